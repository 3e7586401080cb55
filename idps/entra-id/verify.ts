/**
 * `verify` at Microsoft Entra ID, read-only over Microsoft Graph (idps/entra-id/graph.ts): the application whose appId
 * is CODER_OIDC_CLIENT_ID (Coder's web redirect URI, no implicit grant, not a public client, Graph's delegated
 * openid, profile, email and offline_access requested, a client secret valid now and not ending within 30 days, the
 * sign-in audience the stack says) and admin consent (its service principal's tenant-wide delegated grant to Graph).
 * Credentials: the stack's `azuread:clientId`, `azuread:clientSecret`, `azuread:tenantId`, or `ARM_CLIENT_ID`,
 * `ARM_CLIENT_SECRET`, `ARM_TENANT_ID` (the tenant falls back to `coder-oidc:entraId.tenantId`, then the issuer's);
 * the app needs Application.Read.All. `CODER_OIDC_GRAPH_URL` and `CODER_OIDC_ENTRA_AUTHORITY_URL` replace Graph's and
 * the identity platform's URLs (tests point them at a simulator).
 */
import { entraIdSchema } from "./config";
import { CoderEnvName } from "../../src/coder-env";
import { ENTRA_SECRET_EXPIRY_WARNING_DAYS, GRAPH_DELEGATED_SCOPE_IDS, MICROSOFT_GRAPH_APP_ID } from "./coder";
import { graphApi, type GraphApi, type GraphApplication } from "./graph";
import { maskSecrets } from "../../src/api-http";
import {
  coderCallback, configOrEnv, sectionField, expectation, type IdpCheckContext, listOf, ok, problem, type StackConfigValues, unchecked,
} from "../../src/verify/idp-common";
import type { Finding } from "../../src/verify/core";

/** Replaces Graph's base URL (`https://graph.microsoft.com/v1.0`). */
export const GRAPH_URL_ENV = "CODER_OIDC_GRAPH_URL";
/** Replaces the identity platform's authority (`https://login.microsoftonline.com`). */
export const ENTRA_AUTHORITY_URL_ENV = "CODER_OIDC_ENTRA_AUTHORITY_URL";

const DAY_MS = 86_400_000;

/** The login verify uses, or why it has none. */
export function entraConnection(config: StackConfigValues, issuer: string | undefined):
  { tenantId: string; clientId: string; clientSecret: string; graphUrl?: string; authorityUrl?: string } | string {
  const clientId = configOrEnv(config, "azuread:clientId", "ARM_CLIENT_ID");
  const clientSecret = configOrEnv(config, "azuread:clientSecret", "ARM_CLIENT_SECRET");
  const fromIssuer = issuer ? /\/([0-9a-f-]{36}|[^/]+\.onmicrosoft\.com)\/v2\.0\/?$/i.exec(issuer)?.[1] : undefined;
  const tenantId = configOrEnv(config, "azuread:tenantId", "ARM_TENANT_ID") ?? sectionField(config, "entraId", entraIdSchema, "tenantId") ?? fromIssuer;
  if (!clientId || !clientSecret) {
    return "verify reads Microsoft Graph with a client secret: set the stack's azuread:clientId and azuread:clientSecret, or ARM_CLIENT_ID and ARM_CLIENT_SECRET (an app with Application.Read.All)";
  }
  if (!tenantId) return "no tenant: set the stack's azuread:tenantId or ARM_TENANT_ID";
  return { tenantId, clientId, clientSecret, graphUrl: process.env[GRAPH_URL_ENV] || undefined, authorityUrl: process.env[ENTRA_AUTHORITY_URL_ENV] || undefined };
}

/** Every Entra check, with `api`. */
export async function checkEntraApplication(api: GraphApi, context: IdpCheckContext): Promise<Finding[]> {
  const appId = context.settings[CoderEnvName.ClientId]!;
  const app = await api.findClientById(appId);
  if (!app) return [problem("entra.application", `the tenant has no application with appId ${appId}: run pulumi up, or set CODER_OIDC_CLIENT_ID to the app registration's Application (client) ID`)];
  const findings: Finding[] = [];
  const expect = expectation(findings, `Entra application "${app.displayName ?? appId}" (${appId})`);
  if (context.coderUrl) {
    const callback = coderCallback(context.coderUrl);
    expect("entra.application.redirectUri", (app.web?.redirectUris ?? []).includes(callback), `Coder's callback ${callback} is a Web redirect URI`,
      `add ${callback} to its Web redirect URIs (Authentication > Web; it has ${listOf(app.web?.redirectUris)})`);
  }
  const implicit = app.web?.implicitGrantSettings;
  expect("entra.application.implicitGrant", implicit?.enableAccessTokenIssuance !== true && implicit?.enableIdTokenIssuance !== true,
    "no tokens through the implicit grant", "turn off the implicit grant's access and ID tokens (Authentication > Implicit grant and hybrid flows)");
  expect("entra.application.publicClient", app.isFallbackPublicClient !== true && (app.publicClient?.redirectUris ?? []).length === 0,
    "it is not a public client", "turn off \"Allow public client flows\" and remove the Mobile and desktop redirect URIs: Coder is a confidential client");
  findings.push(graphScopes(app));
  findings.push(secretFinding(app, context.now));
  const wanted = sectionField(context.config, "entraId", entraIdSchema, "signInAudience") ?? (context.config["coder-oidc:idp"] ? "AzureADMyOrg" : undefined);
  if (wanted !== undefined) {
    expect("entra.application.signInAudience", app.signInAudience === wanted, `its sign-in audience is ${wanted}, as the stack says`,
      `its sign-in audience is ${app.signInAudience ?? "unset"} but the stack says ${wanted}: run pulumi up (coder-oidc:entraId.signInAudience)`);
  } else {
    findings.push(ok("entra.application.signInAudience", `its sign-in audience is ${app.signInAudience ?? "unset"}`));
  }
  findings.push(...await consentFindings(api, appId));
  return findings;
}

function graphScopes(app: GraphApplication): Finding {
  const requested = new Set((app.requiredResourceAccess ?? []).filter((r) => r.resourceAppId === MICROSOFT_GRAPH_APP_ID)
    .flatMap((r) => (r.resourceAccess ?? []).filter((a) => a.type === "Scope").map((a) => a.id)));
  const missing = Object.entries(GRAPH_DELEGATED_SCOPE_IDS).filter(([, id]) => !requested.has(id)).map(([scope]) => scope);
  return missing.length === 0
    ? ok("entra.application.graphScopes", "it requests Microsoft Graph's delegated openid, profile, email and offline_access")
    : problem("entra.application.graphScopes", `Entra application ${app.appId ?? app.id}: add Microsoft Graph's delegated ${missing.join(", ")} (API permissions)` +
      (missing.includes("offline_access") ? ": without offline_access Entra issues no refresh token" : ""));
}

function secretFinding(app: GraphApplication, now: number): Finding {
  const valid = (app.passwordCredentials ?? []).filter((p) => (!p.startDateTime || Date.parse(p.startDateTime) <= now) && p.endDateTime && Date.parse(p.endDateTime) > now);
  if (valid.length === 0) {
    return problem("entra.application.secret", `Entra application ${app.appId ?? app.id}: no client secret is valid now, so Coder can neither log in nor refresh: ` +
      "set coder-oidc:entraId.secretRotation to this month, run pulumi up and give Coder the new CODER_OIDC_CLIENT_SECRET");
  }
  const latest = valid.map((p) => p.endDateTime!).sort().at(-1)!;
  const days = Math.floor((Date.parse(latest) - now) / DAY_MS);
  return days < ENTRA_SECRET_EXPIRY_WARNING_DAYS
    ? problem("entra.application.secret", `Entra application ${app.appId ?? app.id}: its last client secret ends on ${latest}, in ${days} days: rotate it ` +
      "(coder-oidc:entraId.previousSecretRotation = the current secretRotation, secretRotation = this month, pulumi up, give Coder the new secret)")
    : ok("entra.application.secret", `a client secret is valid until ${latest} (${days} days)`);
}

async function consentFindings(api: GraphApi, appId: string): Promise<Finding[]> {
  const sp = await api.servicePrincipalByAppId(appId);
  if (!sp) return [problem("entra.adminConsent", `the application ${appId} has no service principal (enterprise application) in this tenant: run pulumi up`)];
  const graph = await api.servicePrincipalByAppId(MICROSOFT_GRAPH_APP_ID);
  const grants = (await api.delegatedGrants(sp.id)).filter((g) => g.resourceId === graph?.id && g.consentType === "AllPrincipals");
  const consented = new Set(grants.flatMap((g) => (g.scope ?? "").split(/\s+/).filter(Boolean)));
  const missing = Object.keys(GRAPH_DELEGATED_SCOPE_IDS).filter((s) => !consented.has(s));
  return [missing.length === 0
    ? ok("entra.adminConsent", "an admin consented to openid, profile, email and offline_access for every user")
    : problem("entra.adminConsent", `no tenant-wide admin consent for Microsoft Graph's ${missing.join(", ")}: grant it (API permissions > Grant admin consent), ` +
      "or set coder-oidc:entraId.grantAdminConsent: true and run pulumi up; otherwise users are asked to consent, or refused")];
}

/** The Entra findings of `verify`: the login from the stack or the environment, then {@link checkEntraApplication}. */
export async function entraFindings(context: IdpCheckContext): Promise<Finding[]> {
  const connection = entraConnection(context.config, context.settings[CoderEnvName.IssuerUrl]);
  if (typeof connection === "string") return [unchecked("entra.application", connection)];
  try {
    return await checkEntraApplication(graphApi(connection), context);
  } catch (err) {
    return [unchecked("entra.application", maskSecrets(`Microsoft Graph: ${err instanceof Error ? err.message : String(err)}`, [connection.clientSecret]))];
  }
}
