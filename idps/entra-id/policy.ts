/**
 * Microsoft Entra ID: Coder's app registration is a confidential web app (no public client flows, no
 * implicit grant) that requests Graph's delegated openid, profile, email and offline_access (without
 * offline_access Entra issues no refresh token), and its client secret ends at an explicit date at most two
 * years out. Sources: README "Microsoft Entra ID", ../shared/reference/FACTS.md §2.2.
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { ENTRA_SECRET_MAX_LIFETIME_SECONDS } from "./config";
import { ENTRA_SECRET_EXPIRY_WARNING_DAYS, GRAPH_DELEGATED_SCOPE_IDS, MICROSOFT_GRAPH_APP_ID } from "./coder";
import { ENTRA_TYPES } from "./types";
import { isUnknown, plainRecord } from "../../src/policy/props";
import { listText, resourceRule } from "../../src/policy/rule";

const APPLICATION = [ENTRA_TYPES.application];
const PASSWORD = [ENTRA_TYPES.applicationPassword];
const DAY_MS = 86_400_000;

/** The longest a client secret may live, in days: two years, the most `coder-oidc:entraId.secretLifetime` allows. */
export const MAX_SECRET_LIFETIME_DAYS = ENTRA_SECRET_MAX_LIFETIME_SECONDS / 86400;
/** A client secret ending sooner than this is reported (advisory): rotate it. */
export const SECRET_EXPIRY_WARNING_DAYS = ENTRA_SECRET_EXPIRY_WARNING_DAYS;

/** No public client flows: `fallbackPublicClientEnabled` off and no public-client redirect URIs. */
export function requireEntraNoPublicClientFlows(name: string): ResourceValidationPolicy {
  return resourceRule(name, {
    description: "Coder's Entra application allows no public client flows (Coder is a confidential client).",
    enforcementLevel: "mandatory",
    types: APPLICATION,
    check: (props, { name: resource, report }) => {
      if (props.fallbackPublicClientEnabled === true) {
        report(`Entra application ${resource}: fallbackPublicClientEnabled is true; set it to false.`);
      }
      const publicClient = plainRecord(props.publicClient);
      if (Array.isArray(publicClient.redirectUris) && publicClient.redirectUris.length > 0) {
        report(`Entra application ${resource}: publicClient.redirectUris is set; remove it and keep Coder's callback under web.redirectUris.`);
      }
    },
  });
}

/** No implicit grant: neither access tokens nor ID tokens from the authorization endpoint. */
export function requireEntraNoImplicitGrant(name: string): ResourceValidationPolicy {
  return resourceRule(name, {
    description: "Coder's Entra application issues no tokens through the implicit grant.",
    enforcementLevel: "mandatory",
    types: APPLICATION,
    check: (props, { name: resource, report }) => {
      const grant = plainRecord(plainRecord(props.web).implicitGrant);
      for (const field of ["accessTokenIssuanceEnabled", "idTokenIssuanceEnabled"] as const) {
        if (grant[field] === true) report(`Entra application ${resource}: web.implicitGrant.${field} is true; set it to false.`);
      }
    },
  });
}

/** Graph's delegated openid, profile, email and offline_access are among `requiredResourceAccesses`. */
export function requireEntraGraphRefreshScopes(name: string): ResourceValidationPolicy {
  return resourceRule(name, {
    description: "Coder's Entra application requests Microsoft Graph's delegated openid, profile, email and offline_access.",
    enforcementLevel: "mandatory",
    types: APPLICATION,
    check: (props, { name: resource, report }) => {
      const accesses = props.requiredResourceAccesses;
      if (isUnknown(accesses)) return;
      const requested = new Set<string>();
      let unknown = false;
      for (const access of Array.isArray(accesses) ? accesses : []) {
        const entry = plainRecord(access);
        if (isUnknown(entry.resourceAppId)) unknown = true;
        if (entry.resourceAppId !== MICROSOFT_GRAPH_APP_ID) continue;
        for (const item of Array.isArray(entry.resourceAccesses) ? entry.resourceAccesses : []) {
          const scope = plainRecord(item);
          if (isUnknown(scope.id) || isUnknown(scope.type)) unknown = true;
          else if (scope.type === "Scope") requested.add(String(scope.id));
        }
      }
      const missing = Object.entries(GRAPH_DELEGATED_SCOPE_IDS).filter(([, id]) => !requested.has(id)).map(([scope]) => scope);
      if (missing.length === 0 || unknown) return;
      report(`Entra application ${resource}: requiredResourceAccesses lacks Microsoft Graph's delegated ${listText(missing)}; ` +
        `request them (resourceAppId ${MICROSOFT_GRAPH_APP_ID}, type "Scope"). Without offline_access Entra issues no refresh token.`);
    },
  });
}

/** The client secret has an explicit `endDate`, at most two years from now. */
export function requireEntraSecretEndDate(name: string, now: () => number = Date.now): ResourceValidationPolicy {
  return resourceRule(name, {
    description: `Coder's Entra client secret ends at an explicit date at most ${MAX_SECRET_LIFETIME_DAYS} days (two years) out.`,
    enforcementLevel: "mandatory",
    types: PASSWORD,
    check: (props, { name: resource, report }) => {
      const end = endDateOf(props.endDate);
      if (end === "unknown") return;
      if (end === undefined) {
        report(`Entra client secret ${resource}: no endDate; set coder-oidc:entraId.secretRotation (and secretLifetime) so it ends at a known date.`);
        return;
      }
      const days = Math.floor((end - now()) / DAY_MS);
      if (days > MAX_SECRET_LIFETIME_DAYS) {
        report(`Entra client secret ${resource}: ends ${String(props.endDate)}, ${days} days out; keep it within ${MAX_SECRET_LIFETIME_DAYS} days ` +
          "(lower coder-oidc:entraId.secretLifetime or move secretRotation to this month).");
      }
    },
  });
}

/** Advisory: the client secret ends within {@link SECRET_EXPIRY_WARNING_DAYS} days (or has ended). */
export function requireEntraSecretNotExpiring(name: string, now: () => number = Date.now): ResourceValidationPolicy {
  return resourceRule(name, {
    description: `Coder's Entra client secret does not end within ${SECRET_EXPIRY_WARNING_DAYS} days.`,
    enforcementLevel: "advisory",
    types: PASSWORD,
    check: (props, { name: resource, report }) => {
      const end = endDateOf(props.endDate);
      if (end === "unknown" || end === undefined) return;
      const days = Math.floor((end - now()) / DAY_MS);
      if (days >= SECRET_EXPIRY_WARNING_DAYS) return;
      const thisMonth = new Date(now()).toISOString().slice(0, 7);
      report(`Entra client secret ${resource}: ${days < 0 ? "ended" : `ends in ${days} days,`} on ${String(props.endDate)}; rotate it ` +
        `without signing anyone out: set coder-oidc:entraId.previousSecretRotation to the current secretRotation and ` +
        `secretRotation to "${thisMonth}", run pulumi up, give Coder the new CODER_OIDC_CLIENT_SECRET, then remove previousSecretRotation.`);
    },
  });
}

function endDateOf(value: unknown): number | "unknown" | undefined {
  if (isUnknown(value)) return "unknown";
  if (typeof value !== "string" || value.trim() === "") return undefined;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : time;
}
