/**
 * Keycloak: Coder's OpenID client must be a confidential client that logs in through the authorization code
 * flow only, redirects only to Coder's callback, and can hand out offline (refresh) tokens that outlive an
 * access token. Sources: README "Keycloak", ../shared/reference/FACTS.md §2.1.
 */
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { CODER_OIDC_CALLBACK_PATH, OFFLINE_ACCESS_SCOPE } from "../../src/coder-table";
import { KEYCLOAK_TYPES } from "./types";
import { isUnknown, plainRecord, seconds, stringList } from "../../src/policy/props";
import { isCoderCallback, resourceRule } from "../../src/policy/rule";
import type { RotationCheck } from "../../src/policy/rotation";

export { isCoderCallback } from "../../src/policy/rule";

const CLIENT = [KEYCLOAK_TYPES.client];

/** The client's `accessType` is `CONFIDENTIAL`: Coder authenticates with the client secret. */
export function requireKeycloakConfidentialClient(name: string): ResourceValidationPolicy {
  return resourceRule(name, {
    description: "Coder's Keycloak client is CONFIDENTIAL (Coder authenticates with its client secret).",
    enforcementLevel: "mandatory",
    types: CLIENT,
    check: (props, { name: resource, report }) => {
      const accessType = props.accessType;
      if (isUnknown(accessType) || accessType === "CONFIDENTIAL") return;
      report(`Keycloak client ${resource}: accessType is ${String(accessType ?? "unset")}; set accessType: "CONFIDENTIAL".`);
    },
  });
}

/** Standard flow on (its documented default is off), implicit flow and direct access grants off. */
export function requireKeycloakAuthorizationCodeFlowOnly(name: string): ResourceValidationPolicy {
  return resourceRule(name, {
    description: "Coder's Keycloak client uses the standard (authorization code) flow only: implicit flow and direct access grants off.",
    enforcementLevel: "mandatory",
    types: CLIENT,
    check: (props, { name: resource, report }) => {
      if (!isUnknown(props.standardFlowEnabled) && props.standardFlowEnabled !== true) {
        report(`Keycloak client ${resource}: the standard flow is off (its default); set standardFlowEnabled: true, or Coder cannot log in.`);
      }
      for (const field of ["implicitFlowEnabled", "directAccessGrantsEnabled"] as const) {
        if (props[field] === true) report(`Keycloak client ${resource}: ${field} is true; set ${field}: false (Coder never uses it).`);
      }
    },
  });
}

/** Every redirect URI is a Coder callback (`https://<coder>/api/v2/users/oidc/callback`), no wildcard, and there is one. */
export function requireKeycloakCoderRedirectUris(name: string): ResourceValidationPolicy {
  return resourceRule(name, {
    description: `Coder's Keycloak client redirects only to Coder's callback(s), <coderUrl>${CODER_OIDC_CALLBACK_PATH}, without wildcards.`,
    enforcementLevel: "mandatory",
    types: CLIENT,
    check: (props, { name: resource, report }) => {
      const uris = stringList(props.validRedirectUris);
      if (isUnknown(uris)) return;
      if (uris === undefined || uris.length === 0) {
        report(`Keycloak client ${resource}: no validRedirectUris; set them to Coder's callback, <coderUrl>${CODER_OIDC_CALLBACK_PATH}.`);
        return;
      }
      const wrong = uris.filter((u): u is string => !isUnknown(u) && !isCoderCallback(u));
      if (wrong.length > 0) {
        report(`Keycloak client ${resource}: validRedirectUris ${wrong.join(", ")} ${wrong.length === 1 ? "is" : "are"} not Coder's ` +
          `callback; list exactly <coderUrl>${CODER_OIDC_CALLBACK_PATH} (https, no wildcard, no query).`);
      }
    },
  });
}

/** The client's offline session idle timeout is at least its access-token lifespan, when both are set (seconds). */
export function requireKeycloakOfflineIdleCoversAccessToken(name: string): ResourceValidationPolicy {
  return resourceRule(name, {
    description: "Coder's Keycloak client keeps an offline session idle at least as long as an access token lives.",
    enforcementLevel: "mandatory",
    types: CLIENT,
    check: (props, { name: resource, report }) => {
      const idle = seconds(props.clientOfflineSessionIdleTimeout);
      const access = seconds(props.accessTokenLifespan);
      if (idle === undefined || access === undefined || idle === 0 || idle >= access) return;
      report(`Keycloak client ${resource}: clientOfflineSessionIdleTimeout ${idle}s is shorter than accessTokenLifespan ${access}s, ` +
        "so the refresh token expires before the access token; raise coder-oidc:tokens.refreshIdleTimeout or lower tokens.accessTokenLifetime.");
    },
  });
}

/**
 * Each Keycloak client has `offline_access` among its optional scopes (a ClientOptionalScopes of the same
 * realm that refers to it): without it Keycloak issues no offline token, and Coder signs users out with the
 * SSO session. A stack rule, since the scopes are a resource of their own.
 */
export function requireKeycloakOfflineAccessOptionalScope(name: string): StackValidationPolicy {
  return {
    name,
    description: "Every Keycloak client of the stack has offline_access among its optional client scopes.",
    enforcementLevel: "mandatory",
    validateStack: (args, report) => {
      const clients = args.resources.filter((r) => r.type === KEYCLOAK_TYPES.client);
      if (clients.length === 0) return args.notApplicable("no Keycloak client in this stack");
      const scopeSets = args.resources.filter((r) => r.type === KEYCLOAK_TYPES.clientOptionalScopes);
      for (const client of clients) {
        const props = plainRecord(client.props);
        const candidates = scopeSets.filter((s) => {
          const scopes = plainRecord(s.props);
          if (!isUnknown(scopes.realmId) && !isUnknown(props.realmId) && scopes.realmId !== props.realmId) return false;
          if (!isUnknown(scopes.clientId) && !isUnknown(props.id) && props.id !== undefined) return scopes.clientId === props.id;
          const deps = s.propertyDependencies?.clientId ?? [];
          if (deps.length > 0) return deps.some((d) => d.urn === client.urn);
          // Unknown ids during preview: a realm with one client leaves no doubt.
          return clients.filter((c) => plainRecord(c.props).realmId === props.realmId).length === 1;
        });
        if (candidates.length === 0) {
          report(`Keycloak client ${client.name}: no ClientOptionalScopes refers to it; declare one listing "${OFFLINE_ACCESS_SCOPE}" ` +
            "(Keycloak issues offline tokens only for that scope).", client.urn);
          continue;
        }
        for (const set of candidates) {
          const scopes = stringList(plainRecord(set.props).optionalScopes);
          if (isUnknown(scopes) || (scopes ?? []).some(isUnknown)) continue;
          if (!(scopes ?? []).includes(OFFLINE_ACCESS_SCOPE)) {
            report(`Keycloak client ${client.name}: optional scopes (${set.name}) lack "${OFFLINE_ACCESS_SCOPE}"; add it to optionalScopes, ` +
              "or Keycloak issues no refresh token that outlives the SSO session.", set.urn);
          }
        }
      }
    },
  };
}

/** Keycloak's part of the rotation rule: the realm's Revoke Refresh Token with no reuse allowed. */
export const keycloakRotationCheck: RotationCheck = {
  type: KEYCLOAK_TYPES.realm,
  check: (props, { name: resource, report }) => {
    if (props.revokeRefreshToken !== true || isUnknown(props.refreshTokenMaxReuse)) return;
    const reuse = seconds(props.refreshTokenMaxReuse) ?? 0;
    if (reuse >= 1) return;
    report(`Keycloak realm ${resource}: revokeRefreshToken is on with refreshTokenMaxReuse ${reuse}; Coder refreshes in parallel, ` +
      "so users get signed out at random (coder/coder#25275). Turn revokeRefreshToken off, or set refreshTokenMaxReuse to 1 or more.");
  },
};
