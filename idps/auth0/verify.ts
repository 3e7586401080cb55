/**
 * `verify` at Auth0, read-only over its Management API (idps/auth0/api.ts): Coder's client (`regular_web`, OIDC
 * conformant, the authorization code and refresh token grants, Coder's callback, client authentication, expiring
 * refresh tokens, rotation with a leeway) and, when CODER_OIDC_AUTH_URL_PARAMS names an `audience`, that API's
 * "Allow Offline Access". Credentials: the stack's `auth0:domain` with `auth0:apiToken` or `auth0:clientId` +
 * `auth0:clientSecret`, or `AUTH0_DOMAIN`, `AUTH0_API_TOKEN`, `AUTH0_CLIENT_ID`, `AUTH0_CLIENT_SECRET`; the
 * Management API's base URL can be given with `CODER_OIDC_AUTH0_API_URL` (tests point it at a simulator).
 */
import { CoderEnvName } from "../../src/coder-env";
import { parseCoderAuthUrlParams } from "../../src/coder-settings";
import { auth0Api, type Auth0Api } from "./api";
import { maskSecrets } from "../../src/api-http";
import { coderCallback, configOrEnv, expectation, type IdpCheckContext, listOf, problem, type StackConfigValues, unchecked } from "../../src/verify/idp-common";
import type { Finding } from "../../src/verify/core";

/** The environment variable that gives the Management API's base URL whole (e.g. a simulator's `…/api/v2`). */
export const AUTH0_API_URL_ENV = "CODER_OIDC_AUTH0_API_URL";

/** The connection verify uses, or why it has none. */
export function auth0Connection(config: StackConfigValues, issuer: string | undefined):
  { domain: string; apiUrl?: string; apiToken?: string; clientId?: string; clientSecret?: string } | string {
  let domain = configOrEnv(config, "auth0:domain", "AUTH0_DOMAIN");
  if (!domain && issuer && URL.canParse(issuer)) domain = new URL(issuer).host;
  if (!domain) return "no Auth0 tenant: set the stack's auth0:domain or AUTH0_DOMAIN";
  const apiToken = configOrEnv(config, "auth0:apiToken", "AUTH0_API_TOKEN");
  const clientId = configOrEnv(config, "auth0:clientId", "AUTH0_CLIENT_ID");
  const clientSecret = configOrEnv(config, "auth0:clientSecret", "AUTH0_CLIENT_SECRET");
  if (!apiToken && !(clientId && clientSecret)) {
    return "no Auth0 Management API credentials: set the stack's auth0:clientId and auth0:clientSecret (or auth0:apiToken), or AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET (or AUTH0_API_TOKEN); the client needs read:clients and read:resource_servers";
  }
  return { domain, apiUrl: process.env[AUTH0_API_URL_ENV] || undefined, apiToken, clientId, clientSecret };
}

/** Every Auth0 check, with `api`. */
export async function checkAuth0Client(api: Auth0Api, context: IdpCheckContext): Promise<Finding[]> {
  const clientId = context.settings[CoderEnvName.ClientId]!;
  const client = await api.findClientById(clientId);
  if (!client) return [problem("auth0.client", `Auth0 has no application with client id ${clientId}: run pulumi up, or set CODER_OIDC_CLIENT_ID to the application's client id`)];
  const findings: Finding[] = [];
  const expect = expectation(findings, `Auth0 application "${client.name ?? clientId}" (${clientId})`);
  expect("auth0.client.appType", client.app_type === "regular_web", "it is a regular web application",
    `its application type is ${client.app_type ?? "unset"}: make it a "Regular Web Application" (auth0.Client appType: regular_web)`);
  expect("auth0.client.oidcConformant", client.oidc_conformant === true, "it is OIDC conformant",
    "turn on OIDC Conformant (Advanced Settings > OAuth; auth0.Client oidcConformant: true): refresh-token rotation and expiration need it");
  const grants = client.grant_types ?? [];
  const missing = ["authorization_code", "refresh_token"].filter((g) => !grants.includes(g));
  expect("auth0.client.grants", missing.length === 0, "the authorization code and refresh token grants are allowed",
    `allow the ${missing.join(" and ")} grant (Advanced Settings > Grant Types; it has ${listOf(grants)}): without refresh_token Auth0 issues no refresh token`);
  if (context.coderUrl) {
    const callback = coderCallback(context.coderUrl);
    expect("auth0.client.redirectUri", (client.callbacks ?? []).includes(callback), `Coder's callback ${callback} is an allowed callback URL`,
      `add ${callback} to its Allowed Callback URLs (it has ${listOf(client.callbacks)})`);
  }
  expect("auth0.client.authentication", client.token_endpoint_auth_method !== undefined && client.token_endpoint_auth_method !== "none",
    `the client authenticates (${client.token_endpoint_auth_method})`, "give it a token endpoint authentication method with a secret (client_secret_post): Coder sends CODER_OIDC_CLIENT_SECRET");
  const refresh = client.refresh_token ?? undefined;
  expect("auth0.client.refreshExpiration", refresh?.expiration_type === "expiring" && refresh.infinite_idle_token_lifetime !== true && refresh.infinite_token_lifetime !== true,
    `refresh tokens expire after ${refresh?.idle_token_lifetime ?? "?"}s unused and ${refresh?.token_lifetime ?? "?"}s at most`,
    `refresh tokens are ${refresh?.expiration_type === "expiring" ? "expiring but with an infinite lifetime" : "non-expiring"}: make them expiring with finite lifetimes (Refresh Token Expiration; coder-oidc:tokens.refreshIdleTimeout and refreshMaxLifetime)`);
  const rotating = refresh?.rotation_type === "rotating";
  expect("auth0.client.rotation", !rotating || (refresh?.leeway ?? 0) > 0,
    rotating ? `refresh tokens rotate with a ${refresh?.leeway}s reuse interval` : "refresh tokens do not rotate",
    "refresh tokens rotate with a reuse interval of 0: Coder refreshes in parallel and users get signed out at random (coder/coder#25275); " +
    "give a reuse interval (coder-oidc:refreshTokenReuseWindow), or stop rotating (coder-oidc:refreshTokenRotation: off)");
  const audience = parseCoderAuthUrlParams(context.settings[CoderEnvName.AuthUrlParams] ?? "{}")?.audience;
  if (audience) {
    const server = await api.resourceServer(audience);
    expect("auth0.audience", server?.allow_offline_access === true, `the API ${audience} allows offline access`,
      server ? `CODER_OIDC_AUTH_URL_PARAMS asks for audience ${audience}, whose API does not allow offline access: turn on "Allow Offline Access" in its settings, or Auth0 issues no refresh token`
        : `CODER_OIDC_AUTH_URL_PARAMS asks for audience ${audience}, but the tenant has no such API: remove the audience or create the API with "Allow Offline Access"`);
  }
  return findings;
}

/** The Auth0 findings of `verify`: credentials from the stack or the environment, then {@link checkAuth0Client}. */
export async function auth0Findings(context: IdpCheckContext): Promise<Finding[]> {
  const connection = auth0Connection(context.config, context.settings[CoderEnvName.IssuerUrl]);
  if (typeof connection === "string") return [unchecked("auth0.client", connection)];
  try {
    return await checkAuth0Client(auth0Api(connection), context);
  } catch (err) {
    return [unchecked("auth0.client", maskSecrets(`Auth0's Management API: ${err instanceof Error ? err.message : String(err)}`, [connection.apiToken, connection.clientSecret]))];
  }
}
