/**
 * PingFederate: Coder's OAuth client (a dynamic resource, matched on `args.type`) has the authorization code
 * and refresh token grants, may request offline_access, keeps an unused refresh token at least as long as an
 * access token lives, and authenticates. Sources: README "PingFederate", ../shared/reference/FACTS.md §2.4, §3.4.
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { DURATION_FORMAT_HINT, formatDuration, parseDurationSeconds } from "../../src/duration";
import { OFFLINE_ACCESS_SCOPE } from "../../src/coder-table";
import { PINGFEDERATE_TYPES } from "./types";
import { isUnknown, plainRecord, seconds, stringList } from "../../src/policy/props";
import { listText, resourceRule } from "../../src/policy/rule";
import type { RotationCheck } from "../../src/policy/rotation";
import { ClientAuthType, GRANT_TIME_UNIT_SECONDS, GrantTimeUnit, GrantType, PersistentGrantType } from "./model";

const CLIENT = [PINGFEDERATE_TYPES.oauthClient];

/** The grants Coder needs. */
const REQUIRED_GRANTS: readonly string[] = [GrantType.AuthorizationCode, GrantType.RefreshToken];

/** `grantTypes` include `AUTHORIZATION_CODE` and `REFRESH_TOKEN`. */
export function requirePingFederateRefreshGrants(name: string): ResourceValidationPolicy {
  return resourceRule(name, {
    description: "Coder's PingFederate client has the AUTHORIZATION_CODE and REFRESH_TOKEN grants.",
    enforcementLevel: "mandatory",
    types: CLIENT,
    check: (props, { name: resource, report }) => {
      const grants = stringList(props.grantTypes);
      if (isUnknown(grants) || grants?.some(isUnknown)) return;
      const missing = REQUIRED_GRANTS.filter((g) => !(grants ?? []).includes(g));
      if (missing.length > 0) {
        report(`PingFederate client ${resource}: grantTypes ${listText(grants ?? [])} lack ${listText(missing)}; add ${missing.length === 1 ? "it" : "them"} ` +
          "(without REFRESH_TOKEN Coder signs users out when the access token expires).");
      }
    },
  });
}

/** `offline_access` is among `restrictedScopes`. */
export function requirePingFederateOfflineAccessScope(name: string): ResourceValidationPolicy {
  return resourceRule(name, {
    description: `Coder's PingFederate client lists ${OFFLINE_ACCESS_SCOPE} among its restricted scopes.`,
    enforcementLevel: "mandatory",
    types: CLIENT,
    check: (props, { name: resource, report }) => {
      const scopes = stringList(props.restrictedScopes);
      if (isUnknown(scopes) || scopes?.some(isUnknown)) return;
      if (!(scopes ?? []).includes(OFFLINE_ACCESS_SCOPE)) {
        report(`PingFederate client ${resource}: restrictedScopes ${listText(scopes ?? [])} lack ${OFFLINE_ACCESS_SCOPE}; add it, ` +
          "or the client cannot ask for refresh tokens.");
      }
    },
  });
}

/** Configuration of {@link requirePingFederateIdleCoversAccessToken}. */
export interface PingFederateIdleConfig {
  /** The access-token lifetime of the client's Access Token Manager, e.g. `2h` (PingFederate keeps it there, not on the client). */
  readonly accessTokenLifetime?: string;
}

/**
 * With its own idle timeout (`OVERRIDE_SERVER_DEFAULT`), the client keeps an unused refresh token at least as
 * long as an access token lives. The access-token lifetime belongs to the Access Token Manager, so it comes
 * from this policy's config (`accessTokenLifetime`, e.g. `2h`; the offline plan passes the stack's
 * `coder-oidc:tokens.accessTokenLifetime`); without it, a non-positive idle timeout is still reported.
 */
export function requirePingFederateIdleCoversAccessToken(name: string): ResourceValidationPolicy {
  return resourceRule(name, {
    description: "Coder's PingFederate client keeps an unused refresh token at least as long as an access token lives.",
    enforcementLevel: "mandatory",
    types: CLIENT,
    configSchema: {
      properties: {
        accessTokenLifetime: { type: "string", description: `The Access Token Manager's token lifetime: ${DURATION_FORMAT_HINT}` },
      },
    },
    check: (props, { name: resource, args, report }) => {
      if (props.persistentGrantIdleTimeoutType !== PersistentGrantType.OverrideServerDefault) return;
      const amount = seconds(props.persistentGrantIdleTimeout);
      const unit = props.persistentGrantIdleTimeoutTimeUnit;
      if (amount === undefined || isUnknown(unit)) return;
      const idle = amount * (GRANT_TIME_UNIT_SECONDS[String(unit ?? GrantTimeUnit.Minutes) as GrantTimeUnit] ?? GRANT_TIME_UNIT_SECONDS.MINUTES);
      if (idle <= 0) {
        report(`PingFederate client ${resource}: persistentGrantIdleTimeout is ${amount}; set coder-oidc:tokens.refreshIdleTimeout to a positive duration.`);
        return;
      }
      const configured = args.getConfig<PingFederateIdleConfig>().accessTokenLifetime;
      const access = configured === undefined ? undefined : parseDurationSeconds(configured);
      if (access === undefined || idle >= access) return;
      report(`PingFederate client ${resource}: refresh idle timeout ${formatDuration(idle)} is shorter than the access-token lifetime ` +
        `${formatDuration(access)}; raise coder-oidc:tokens.refreshIdleTimeout to at least ${formatDuration(access)}.`);
    },
  });
}

/** Client authentication is not `NONE` (a public client): Coder authenticates with its secret. */
export function requirePingFederateClientAuthentication(name: string): ResourceValidationPolicy {
  return resourceRule(name, {
    description: "Coder's PingFederate client authenticates (clientAuth.type is not NONE).",
    enforcementLevel: "mandatory",
    types: CLIENT,
    check: (props, { name: resource, report }) => {
      const auth = [props.clientAuthType, plainRecord(props.clientAuth).type];
      if (auth.includes(ClientAuthType.None)) {
        report(`PingFederate client ${resource}: client authentication is NONE (a public client); set it back to SECRET.`);
      }
    },
  });
}

/** PingFederate's part of the rotation rule: the client rolls with no grace period. */
export const pingFederateRotationCheck: RotationCheck = {
  type: PINGFEDERATE_TYPES.oauthClient,
  check: (props, { name: resource, report }) => {
    if (props.refreshRolling !== "ROLL" || isUnknown(props.refreshTokenRollingGracePeriod)) return;
    const grace = seconds(props.refreshTokenRollingGracePeriod) ?? 0;
    if (grace > 0) return;
    report(`PingFederate client ${resource}: refreshRolling is ROLL without a grace period; Coder refreshes in parallel, so users get ` +
      "signed out at random (coder/coder#25275). Set coder-oidc:pingfederate.rollRefreshTokens: false, or give the rolling a grace period.");

  },
};
