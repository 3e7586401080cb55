/**
 * `verify` at Okta, read-only over its management API (idps/okta/api.ts): Coder's OIDC app (`web`, the
 * authorization code and refresh token grants, Coder's callback, client authentication, rotation with a leeway),
 * its group assignments, and on a custom authorization server an active policy and rule that let Coder's client use
 * the authorization code grant with `offline_access`, with their lifetimes. Credentials: the stack's `okta:orgName`,
 * `okta:baseUrl`, `okta:apiToken`, or `OKTA_ORG_NAME`, `OKTA_BASE_URL`, `OKTA_API_TOKEN`; the org URL can be given
 * whole with `CODER_OIDC_OKTA_API_URL` (tests point it at a simulator).
 */
import { CoderEnvName } from "../../src/coder-env";
import { OFFLINE_ACCESS_SCOPE } from "../../src/coder-table";
import { maskSecrets } from "../../src/api-http";
import { oktaApi, type OktaApi } from "./api";
import {
  coderCallback, coderOidcObject, configOrEnv, expectation, type IdpCheckContext, listOf, ok, problem, type StackConfigValues, unchecked,
} from "../../src/verify/idp-common";
import type { Finding } from "../../src/verify/core";

/** The environment variable that gives Okta's org URL whole (e.g. a simulator's). */
export const OKTA_API_URL_ENV = "CODER_OIDC_OKTA_API_URL";

/** The org URL and token verify uses, or why it has none. */
export function oktaConnection(config: StackConfigValues, issuer: string | undefined): { orgUrl: string; apiToken: string } | string {
  const apiToken = configOrEnv(config, "okta:apiToken", "OKTA_API_TOKEN");
  const orgName = configOrEnv(config, "okta:orgName", "OKTA_ORG_NAME");
  const baseUrl = configOrEnv(config, "okta:baseUrl", "OKTA_BASE_URL") ?? "okta.com";
  let orgUrl = process.env[OKTA_API_URL_ENV] || (orgName ? `https://${orgName}.${baseUrl.replace(/^\.+|\/+$/g, "")}` : undefined);
  if (!orgUrl && issuer && URL.canParse(issuer)) orgUrl = new URL(issuer).origin;
  if (!orgUrl) return "no Okta org: set the stack's okta:orgName (and okta:baseUrl), or OKTA_ORG_NAME (and OKTA_BASE_URL)";
  if (!apiToken) return "verify reads Okta with an API token: set the stack's okta:apiToken or OKTA_API_TOKEN (an admin token that may read apps and authorization servers)";
  return { orgUrl, apiToken };
}

/** The custom authorization server the issuer names (`…/oauth2/<id>`), or undefined for the org server. */
export function oktaAuthServerOf(issuer: string): string | undefined {
  try {
    return /^\/oauth2\/([^/]+)\/?$/.exec(new URL(issuer).pathname)?.[1];
  } catch {
    return undefined;
  }
}

/** Every Okta check, with `api`. */
export async function checkOktaClient(api: OktaApi, context: IdpCheckContext): Promise<Finding[]> {
  const clientId = context.settings[CoderEnvName.ClientId]!;
  const issuer = context.settings[CoderEnvName.IssuerUrl] ?? "";
  const app = await api.findClientById(clientId);
  if (!app) return [problem("okta.app", `Okta has no OIDC app with client id ${clientId}: run pulumi up, or set CODER_OIDC_CLIENT_ID to the app's client id`)];
  const findings: Finding[] = [];
  const expect = expectation(findings, `Okta app "${app.label ?? app.id}" (${app.id})`);
  const client = app.settings?.oauthClient ?? {};
  expect("okta.app.status", app.status === "ACTIVE", "the app is active", `it is ${app.status ?? "not active"}: activate it (Applications > the app > Activate)`);
  expect("okta.app.type", client.application_type === "web", "it is a web app", `its application type is ${client.application_type ?? "unset"}: Coder needs a "Web Application" (okta.app.OAuth type: web), which keeps its secret on the server`);
  const grants = client.grant_types ?? [];
  const missing = ["authorization_code", "refresh_token"].filter((g) => !grants.includes(g));
  expect("okta.app.grants", missing.length === 0, "the authorization code and refresh token grants are allowed",
    `allow the ${missing.join(" and ")} grant (it has ${listOf(grants)}); without refresh_token Okta issues no refresh token and Coder signs users out hourly`);
  if (context.coderUrl) {
    const callback = coderCallback(context.coderUrl);
    expect("okta.app.redirectUri", (client.redirect_uris ?? []).includes(callback), `Coder's callback ${callback} is a sign-in redirect URI`,
      `add ${callback} to its sign-in redirect URIs (it has ${listOf(client.redirect_uris)})`);
  }
  const auth = app.credentials?.oauthClient?.token_endpoint_auth_method;
  expect("okta.app.authentication", auth !== undefined && auth !== "none", `the client authenticates (${auth})`,
    "give it client authentication with a secret (client_secret_basic): Coder sends CODER_OIDC_CLIENT_SECRET");
  const rotation = client.refresh_token?.rotation_type;
  const leeway = client.refresh_token?.leeway;
  expect("okta.app.rotation", rotation !== "ROTATE" || (leeway ?? 30) > 0,
    rotation === "ROTATE" ? `refresh tokens rotate with a ${leeway ?? 30}s grace period` : "refresh tokens do not rotate",
    "refresh tokens rotate with a grace period of 0: Coder refreshes in parallel and users get signed out at random (coder/coder#25275); " +
    "set the grace period to 1-60 s (coder-oidc:refreshTokenReuseWindow), or stop rotating (coder-oidc:refreshTokenRotation: off)");
  const groups = (await api.appGroups(app.id)).map((g) => g.id).filter((g): g is string => typeof g === "string");
  const wanted = coderOidcObject(context.config, "okta")?.assignedGroups;
  const wantedGroups = Array.isArray(wanted) ? wanted.map(String) : [];
  const unassigned = wantedGroups.filter((g) => !groups.includes(g));
  if (groups.length === 0) {
    findings.push(problem("okta.app.assignments", `Okta app ${app.id}: no group is assigned, so nobody can sign in to Coder; assign Coder's users' groups (coder-oidc:okta.assignedGroups)`));
  } else if (unassigned.length > 0) {
    findings.push(problem("okta.app.assignments", `Okta app ${app.id}: the stack's groups ${unassigned.join(", ")} are not assigned (assigned: ${groups.join(", ")}); run pulumi up`));
  } else {
    findings.push(ok("okta.app.assignments", `assigned to ${groups.length} group(s): ${groups.join(", ")}`));
  }
  const server = oktaAuthServerOf(issuer);
  if (!server) {
    findings.push(ok("okta.authServer", "tokens come from the org authorization server, whose policy Okta fixes (access tokens 1 hour)"));
    return findings;
  }
  findings.push(...await checkOktaServerPolicy(api, server, clientId));
  return findings;
}

async function checkOktaServerPolicy(api: OktaApi, server: string, clientId: string): Promise<Finding[]> {
  const found = await api.authorizationServer(server);
  if (!found) {
    return [problem("okta.authServer", `CODER_OIDC_ISSUER_URL names authorization server ${server}, which this org does not have: ` +
      "set coder-oidc:okta.authorizationServer to an existing server's id (e.g. default), or org")];
  }
  if (found.status !== "ACTIVE") {
    return [problem("okta.authServer", `authorization server ${server} is ${found.status ?? "not active"}: activate it (Security > API > Authorization Servers), or no one can sign in`)];
  }
  const policies = (await api.serverPolicies(server)).filter((p) => p.status === "ACTIVE" &&
    (p.conditions?.clients?.include ?? []).some((c) => c === clientId || c === "ALL_CLIENTS"))
    .sort((a, b) => (a.priority ?? 0) - (b.priority ?? 0));
  if (policies.length === 0) {
    return [problem("okta.authServer.policy", `authorization server ${server} has no active access policy for client ${clientId}: sign-in fails with "Policy evaluation failed"; ` +
      "add one (coder-oidc:tokens makes the stack declare it) that names Coder's client")];
  }
  for (const policy of policies) {
    const rules = (await api.policyRules(server, policy.id!)).filter((r) => r.status === "ACTIVE").sort((a, b) => (a.priority ?? 0) - (b.priority ?? 0));
    const rule = rules.find((r) => (r.conditions?.grantTypes?.include ?? []).includes("authorization_code"));
    if (!rule) continue;
    const scopes = rule.conditions?.scopes?.include ?? [];
    const where = `authorization server ${server}, policy "${policy.name ?? policy.id}", rule "${rule.name ?? rule.id}"`;
    if (!scopes.includes(OFFLINE_ACCESS_SCOPE) && !scopes.includes("*")) {
      return [problem("okta.authServer.policy", `${where}: its scopes (${listOf(scopes)}) lack offline_access; add it, or Okta issues Coder no refresh token`)];
    }
    const token = rule.actions?.token ?? {};
    const access = token.accessTokenLifetimeMinutes;
    const window = token.refreshTokenWindowMinutes;
    const lifetimes = `access tokens ${access ?? "?"} min, refresh tokens expire unused after ${window ?? "?"} min and live ${token.refreshTokenLifetimeMinutes ? `${token.refreshTokenLifetimeMinutes} min` : "unlimited"}`;
    const findings = [ok("okta.authServer.policy", `${where} allows the authorization code grant with offline_access`)];
    findings.push(access !== undefined && window !== undefined && window > 0 && window < access
      ? problem("okta.authServer.lifetimes", `${where}: ${lifetimes}; the refresh window is shorter than an access token lives, so the refresh token expires first: raise coder-oidc:tokens.refreshIdleTimeout or lower tokens.accessTokenLifetime`)
      : ok("okta.authServer.lifetimes", `${where}: ${lifetimes}`));
    return findings;
  }
  return [problem("okta.authServer.policy", `authorization server ${server}: no active rule of the policies for client ${clientId} allows the authorization code grant; ` +
    "add one with authorization_code and offline_access (coder-oidc:tokens makes the stack declare it)")];
}

/** The Okta findings of `verify`: credentials from the stack or the environment, then {@link checkOktaClient}. */
export async function oktaFindings(context: IdpCheckContext): Promise<Finding[]> {
  const connection = oktaConnection(context.config, context.settings[CoderEnvName.IssuerUrl]);
  if (typeof connection === "string") return [unchecked("okta.app", connection)];
  try {
    return await checkOktaClient(oktaApi(connection), context);
  } catch (err) {
    return [unchecked("okta.app", maskSecrets(`Okta's management API: ${err instanceof Error ? err.message : String(err)}`, [connection.apiToken]))];
  }
}
