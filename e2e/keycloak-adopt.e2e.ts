/**
 * Adopting a Keycloak client made by hand (coder-oidc:adoptClientId) on a real Keycloak, through the stand-in of
 * support/keycloak-standin.ts (the provider plugin cannot be built here): the client starts as an admin makes it
 * from Coder's page, without offline_access; the program finds it with openid.getClient, imports it by
 * `<realm>/<internal id>` and sets the refresh-token fixes; the client id and the secret Coder has stay, a field the
 * stack does not manage survives, and Coder's login then gets an offline refresh token that refreshes.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import * as oidc from "openid-client";
import { e2eTempDir, e2eTools } from "./support/context";
import { jwtClaims, loginLikeCoder } from "./support/coder-login";
import { startKeycloak, type KeycloakAdmin, type KeycloakServer } from "./support/keycloak";
import { applyKeycloakStack, keycloakStackConfig, type AppliedKeycloakStack } from "./support/keycloak-standin";

const REALM = "coder-adopt";
const CLIENT_ID = "coder-by-hand";
const CODER_URL = "https://coder.e2e.example.com";
const CALLBACK = `${CODER_URL}/api/v2/users/oidc/callback`;
const HAND_SECRET = `secret-coder-has-${randomBytes(8).toString("hex")}`;
const DESCRIPTION = "Made by hand from Coder's docs";
const USER = { username: "bob", password: `bob-${randomBytes(6).toString("hex")}` };

describe("Keycloak: adopting the client Coder already uses", () => {
  let tmp: string;
  let keycloak: KeycloakServer;
  let admin: KeycloakAdmin;
  let handId: string;
  let applied: AppliedKeycloakStack;

  before(async () => {
    tmp = e2eTempDir("keycloak-adopt");
    keycloak = await startKeycloak((await e2eTools()).keycloakHome, tmp, `kc-admin-${randomBytes(8).toString("hex")}`);
    admin = await keycloak.adminApi();
    await admin.createRealm({ realm: REALM, enabled: true });
    await admin.createUser(REALM, { username: USER.username, email: "bob@example.com", firstName: "Bob", lastName: "E2e" }, USER.password);
    // As Coder's page has an admin make it: confidential, standard flow, Coder's callback, a secret Coder is given.
    handId = await admin.createClient(REALM, {
      clientId: CLIENT_ID, protocol: "openid-connect", publicClient: false, secret: HAND_SECRET, description: DESCRIPTION,
      standardFlowEnabled: true, directAccessGrantsEnabled: true, redirectUris: [CALLBACK],
    });
    // The page's starting point for the refresh-token problem: offline_access not attached to the client.
    const offline = (await admin.clientScopeIds(REALM)).get("offline_access")!;
    await admin.setClientOptionalScope(REALM, handId, offline, false);
  });

  after(async () => {
    await keycloak?.stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it("the program finds the client, imports it by <realm>/<internal id>, and keeps its id and secret", async () => {
    applied = await applyKeycloakStack(admin, REALM, keycloakStackConfig(keycloak, REALM, {
      coderUrl: CODER_URL,
      adoptClientId: CLIENT_ID,
    }));
    assert.equal(applied.clientInternalId, handId, "the same client, not a new one");
    assert.equal(applied.coderEnv.CODER_OIDC_CLIENT_ID, CLIENT_ID);
    assert.equal(applied.coderEnv.CODER_OIDC_CLIENT_SECRET, HAND_SECRET, "the secret Coder has");
    assert.equal(applied.coderEnv.CODER_OIDC_SCOPES, "openid,profile,email,offline_access");
    assert.deepEqual((await admin.clients(REALM)).filter((c) => c.clientId === CLIENT_ID).length, 1);
  });

  it("the client has the refresh-token fixes, and what the stack does not manage survives", async () => {
    const client = await admin.client(REALM, handId);
    assert.equal(client.directAccessGrantsEnabled, false);
    assert.equal(client.description, DESCRIPTION);
    assert.equal(client.secret, HAND_SECRET);
    assert.ok((await admin.clientScopes(REALM, handId, "optional")).includes("offline_access"));
  });

  it("Coder's login with the same client id and secret gets an offline refresh token, and refreshing works", async () => {
    const login = await loginLikeCoder(applied.coderEnv, CALLBACK, USER);
    assert.equal(jwtClaims(login.tokens.refresh_token!).typ, "Offline");
    const refreshed = await oidc.refreshTokenGrant(login.config, login.tokens.refresh_token!);
    assert.ok(refreshed.access_token);
    assert.notEqual(refreshed.access_token, login.tokens.access_token);
  });

  it("a client id that is not in the realm is an error naming Keycloak, the realm and the id", async () => {
    await assert.rejects(applyKeycloakStack(admin, REALM, keycloakStackConfig(keycloak, REALM, {
      coderUrl: CODER_URL, adoptClientId: "not-there",
    })), /Keycloak has no client "not-there" in realm "coder-adopt"/);
  });
});
