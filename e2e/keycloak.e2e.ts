/**
 * The refresh-token proof against a real Keycloak: what the coder-oidc program declares for a Keycloak stack,
 * written to a Keycloak started for the run, gives Coder (logging in from nothing but the stack's outputs) an
 * offline refresh token with the stack's lifetimes, and a refresh grant with it works; the same login without
 * offline_access gets an ordinary refresh token that dies with the SSO session.
 *
 * The Keycloak provider plugin cannot be built here (e2e/versions.json), so the resources are written by the
 * stand-in of support/keycloak-standin.ts instead of `pulumi up`.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import * as oidc from "openid-client";
import { e2eTempDir, e2eTools } from "./support/context";
import { jwtClaims, loginLikeCoder, type CoderLogin } from "./support/coder-login";
import { startKeycloak, type KeycloakAdmin, type KeycloakServer } from "./support/keycloak";
import { applyKeycloakStack, keycloakStackConfig, type AppliedKeycloakStack } from "./support/keycloak-standin";

const REALM = "coder-e2e";
const CODER_URL = "https://coder.e2e.example.com";
const CALLBACK = `${CODER_URL}/api/v2/users/oidc/callback`;
const USER = { username: "alice", password: `alice-${randomBytes(6).toString("hex")}` };
/** The stack's token lifetimes, chosen unlike every Keycloak default so that a wrong mapping shows. */
const ACCESS_TOKEN_SECONDS = 120;
const REFRESH_IDLE_SECONDS = 7 * 86400;
const REFRESH_MAX_SECONDS = 14 * 86400;
/** The realm's SSO Session Idle: what an ordinary (online) refresh token lives. */
const SSO_SESSION_IDLE_SECONDS = 1800;

describe("the refresh-token proof against a real Keycloak", () => {
  let tmp: string;
  let keycloak: KeycloakServer;
  let admin: KeycloakAdmin;
  let applied: AppliedKeycloakStack;
  let login: CoderLogin;
  const before_ = { clientScopes: [] as string[], defaultScopes: [] as string[], optionalScopes: [] as string[] };

  before(async () => {
    tmp = e2eTempDir("keycloak");
    const tools = await e2eTools();
    const started = performance.now();
    keycloak = await startKeycloak(tools.keycloakHome, tmp, `kc-admin-${randomBytes(8).toString("hex")}`);
    process.stdout.write(`# Keycloak ready in ${((performance.now() - started) / 1000).toFixed(1)} s at ${keycloak.url}\n`);
    admin = await keycloak.adminApi();
    await admin.createRealm({
      realm: REALM,
      enabled: true,
      ssoSessionIdleTimeout: SSO_SESSION_IDLE_SECONDS,
      offlineSessionMaxLifespanEnabled: true,
      offlineSessionMaxLifespan: 60 * 86400,
    });
    await admin.createUser(REALM, { username: USER.username, email: "alice@example.com", firstName: "Alice", lastName: "E2e" }, USER.password);
    before_.clientScopes = await admin.clientScopeNames(REALM);
    before_.defaultScopes = await admin.realmDefaultScopes(REALM, "default");
    before_.optionalScopes = await admin.realmDefaultScopes(REALM, "optional");
  });

  after(async () => {
    await keycloak?.stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it("the program's Keycloak resources apply to a real Keycloak and output the Coder variables", async () => {
    applied = await applyKeycloakStack(admin, REALM, keycloakStackConfig(keycloak, REALM, {
      coderUrl: CODER_URL,
      clientId: "coder-e2e",
      tokens: { accessTokenLifetime: "2m", refreshIdleTimeout: "7d", refreshMaxLifetime: "14d" },
    }));
    const env = applied.coderEnv;
    assert.equal(env.CODER_OIDC_ISSUER_URL, `${keycloak.url}/realms/${REALM}`);
    assert.equal(env.CODER_OIDC_CLIENT_ID, "coder-e2e");
    assert.equal(env.CODER_OIDC_SCOPES, "openid,profile,email,offline_access");
    assert.equal(env.CODER_OIDC_AUTH_URL_PARAMS, '{"access_type":"offline"}');
    assert.ok(env.CODER_OIDC_CLIENT_SECRET.length >= 16, "Keycloak generated the client secret");
  });

  it("the client read back from Keycloak has every setting the stack declared", async () => {
    const client = await admin.client(REALM, applied.clientInternalId);
    assert.equal(client.publicClient, false, "confidential");
    assert.equal(client.bearerOnly, false);
    assert.equal(client.standardFlowEnabled, true);
    assert.equal(client.implicitFlowEnabled, false);
    assert.equal(client.directAccessGrantsEnabled, false);
    assert.equal(client.serviceAccountsEnabled, false);
    assert.deepEqual(client.redirectUris, [CALLBACK]);
    assert.deepEqual(client.webOrigins, [CODER_URL]);
    const attributes = client.attributes as Record<string, string>;
    assert.equal(attributes["access.token.lifespan"], String(ACCESS_TOKEN_SECONDS));
    assert.equal(attributes["client.offline.session.idle.timeout"], String(REFRESH_IDLE_SECONDS));
    assert.equal(attributes["client.offline.session.max.lifespan"], String(REFRESH_MAX_SECONDS));
    assert.equal(attributes["use.refresh.tokens"], "true");
    const optional = await admin.clientScopes(REALM, applied.clientInternalId, "optional");
    assert.ok(optional.includes("offline_access"), `offline_access is an optional scope of the client: ${optional.join(", ")}`);
    for (const scope of before_.optionalScopes) assert.ok(optional.includes(scope), `the realm's optional scope ${scope} is kept`);
  });

  it("the realm's client scopes are what they were before", async () => {
    assert.deepEqual(await admin.clientScopeNames(REALM), before_.clientScopes);
    assert.deepEqual(await admin.realmDefaultScopes(REALM, "default"), before_.defaultScopes);
    assert.deepEqual(await admin.realmDefaultScopes(REALM, "optional"), before_.optionalScopes);
  });

  it("Coder's login, from the outputs alone, gets an offline refresh token with the stack's lifetimes", async () => {
    login = await loginLikeCoder(applied.coderEnv, CALLBACK, USER);
    const { access_token: access, refresh_token: refresh } = login.tokens;
    assert.ok(refresh, "a refresh token is returned");
    const refreshClaims = jwtClaims(refresh);
    assert.equal(refreshClaims.typ, "Offline", "it is an offline token, independent of the browser session");
    assert.equal(Number(refreshClaims.exp) - Number(refreshClaims.iat), REFRESH_IDLE_SECONDS, "offline idle = tokens.refreshIdleTimeout");
    const accessClaims = jwtClaims(access);
    assert.equal(Number(accessClaims.exp) - Number(accessClaims.iat), ACCESS_TOKEN_SECONDS, "access token lifetime = tokens.accessTokenLifetime");
    assert.match(String(login.tokens.scope), /\boffline_access\b/);
  });

  it("a refresh grant with the offline token returns a new access token", async () => {
    const refreshed = await oidc.refreshTokenGrant(login.config, login.tokens.refresh_token!);
    assert.ok(refreshed.access_token);
    assert.notEqual(refreshed.access_token, login.tokens.access_token);
    assert.equal(jwtClaims(refreshed.refresh_token!).typ, "Offline");
  });

  it("negative control: without offline_access the refresh token is an ordinary one that ends with the SSO session", async () => {
    const withoutOffline = { ...applied.coderEnv, CODER_OIDC_SCOPES: "openid,profile,email" };
    const online = await loginLikeCoder(withoutOffline, CALLBACK, USER);
    const claims = jwtClaims(online.tokens.refresh_token!);
    assert.equal(claims.typ, "Refresh", "an ordinary refresh token, not an offline one");
    assert.equal(Number(claims.exp) - Number(claims.iat), SSO_SESSION_IDLE_SECONDS, "it lives only as long as the SSO session");
    assert.doesNotMatch(String(online.tokens.scope), /\boffline_access\b/);
  });
});
