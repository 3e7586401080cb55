/**
 * Coder's refresh-token page, end to end, on a real Coder, Keycloak and PostgreSQL: Coder runs with a client made by
 * hand as the page starts (no offline_access); a user signs in; the stack adopts and fixes that client
 * (`coder-oidc:adoptClientId`, through the Keycloak stand-in of support/keycloak-standin.ts); Coder is restarted with
 * the stack's settings; `sessions` names the user who signed in before the fix; `sessions --sign-out` ends their
 * session; they sign in once more and keep their session past the access token's expiry.
 *
 * The realm's SSO Session Idle is shorter than the wait for the access token's expiry, so only an offline refresh
 * token can keep the user in by then (coder.e2e.ts shows the refusal without one).
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { e2eTempDir, e2eTools } from "./support/context";
import { signInToCoder } from "./support/coder-login";
import { startCoder, type CoderServer } from "./support/coder";
import {
  asUser, createFirstOwner, runCommand, sessionsReport, startKeycloakAndPostgres, stopCoderStack, userLink, waitPastOAuthExpiry, writeCoderDotenv,
  type CoderSettings,
} from "./support/coder-stack";
import type { KeycloakAdmin, KeycloakServer } from "./support/keycloak";
import { applyKeycloakStack, keycloakStackConfig } from "./support/keycloak-standin";
import type { PostgresServer } from "./support/postgres";
import { freePort } from "./support/services";

const REALM = "coder-page";
/** The client id an admin typed by hand, following Coder's page. */
const CLIENT_ID = "coder";
const HAND_SECRET = `secret-coder-has-${randomBytes(8).toString("hex")}`;
const USER = { username: "alice", password: `alice-${randomBytes(6).toString("hex")}` };
const OWNER = { email: "owner@example.com", username: "owner", password: `Owner-${randomBytes(8).toString("hex")}!` };
/** The access-token lifetime, at the realm before the fix and in the stack after it: short, so the test can wait it out. */
const ACCESS_TOKEN_SECONDS = 60;
/** The realm's SSO Session Idle: shorter than the wait, so a refresh token bound to the IdP's session is dead by then. */
const SSO_SESSION_IDLE_SECONDS = 30;
/** Coder's message when it cannot refresh the IdP token: a 401 with it is an expiry, not a sign-out. */
const REFRESH_FAILED = "Could not refresh expired OpenID Connect token. Try re-authenticating to resolve this issue.";

describe("Coder's refresh-token procedure end to end: adopt the hand-made client, restart Coder, sign out who has no refresh token", () => {
  let tmp: string;
  let keycloak: KeycloakServer | undefined;
  let db: PostgresServer | undefined;
  let coder: CoderServer | undefined;
  let admin: KeycloakAdmin;
  let coderBinary: string;
  let coderPort: number;
  let handId: string;
  let stackEnv: CoderSettings;
  let ownerToken: string;
  let oldSession: string;
  let newSession: string;

  const dotenvFile = () => join(tmp, "coder-oidc.env");
  /** (Re)starts Coder with `settings`, rendered with the project's dotenv renderer; its log is `<logName>`. */
  async function restartCoder(settings: CoderSettings, logName: string): Promise<CoderServer> {
    await coder?.stop();
    coder = undefined;
    writeCoderDotenv(dotenvFile(), settings);
    coder = await startCoder(coderBinary, tmp, { dotenvFile: dotenvFile(), databaseUrl: db!.url, port: coderPort, logName });
    return coder;
  }

  before(async () => {
    tmp = e2eTempDir("journey");
    const tools = await e2eTools();
    coderBinary = tools.coder;
    ({ keycloak, db } = await startKeycloakAndPostgres(tools.keycloakHome, tmp, `kc-admin-${randomBytes(8).toString("hex")}`));
    admin = await keycloak.adminApi();
    await admin.createRealm({
      realm: REALM, enabled: true, accessTokenLifespan: ACCESS_TOKEN_SECONDS,
      ssoSessionIdleTimeout: SSO_SESSION_IDLE_SECONDS, offlineSessionIdleTimeout: 30 * 86400,
    });
    await admin.createUser(REALM, { username: USER.username, email: "alice@example.com", firstName: "Alice", lastName: "E2e" }, USER.password);
    coderPort = await freePort();
  });

  after(async () => {
    try {
      await stopCoderStack(coder, keycloak, db);
    } finally {
      if (tmp) rmSync(tmp, { recursive: true, force: true });
    }
  });

  it("1. a client `coder` made by hand over the admin API as Coder's page has it: confidential, standard flow, a secret, no offline_access", async () => {
    handId = await admin.createClient(REALM, {
      clientId: CLIENT_ID, protocol: "openid-connect", publicClient: false, secret: HAND_SECRET,
      standardFlowEnabled: true, redirectUris: [`http://127.0.0.1:${coderPort}/api/v2/users/oidc/callback`],
    });
    const offline = (await admin.clientScopeIds(REALM)).get("offline_access")!;
    await admin.setClientOptionalScope(REALM, handId, offline, false);
    const scopes = [...await admin.clientScopes(REALM, handId, "default"), ...await admin.clientScopes(REALM, handId, "optional")];
    assert.ok(!scopes.includes("offline_access"), scopes.join(","));
  });

  it("2. Coder runs with the hand-made client's settings (scopes without offline_access); the user signs in through Coder", async () => {
    const server = await restartCoder({
      CODER_OIDC_ISSUER_URL: `${keycloak!.url}/realms/${REALM}`,
      CODER_OIDC_CLIENT_ID: CLIENT_ID,
      CODER_OIDC_CLIENT_SECRET: HAND_SECRET,
      CODER_OIDC_SCOPES: "openid,profile,email",
    }, "coder-before.log");
    ownerToken = await createFirstOwner(server, OWNER);
    const config = await asUser(server, ownerToken, "/api/v2/deployment/config");
    assert.deepEqual((config.body.config as { oidc: { scopes: string[] } }).oidc.scopes, ["openid", "profile", "email"]);
    oldSession = await signInToCoder(server.url, USER);
    const me = await asUser(server, oldSession, "/api/v2/users/me");
    assert.equal(me.status, 200, JSON.stringify(me.body));
    assert.equal(me.body.username, USER.username);
  });

  it("3. the stack with adoptClientId: coder adopts and fixes the client: same client, id and secret, offline_access attached", async () => {
    const applied = await applyKeycloakStack(admin, REALM, keycloakStackConfig(keycloak!, REALM, {
      coderUrl: `http://127.0.0.1:${coderPort}`,
      adoptClientId: CLIENT_ID,
      tokens: { accessTokenLifetime: `${ACCESS_TOKEN_SECONDS}s`, refreshIdleTimeout: "7d" },
    }));
    assert.equal(applied.clientInternalId, handId, "the same client, not a new one");
    stackEnv = applied.coderEnv;
    assert.equal(stackEnv.CODER_OIDC_CLIENT_ID, CLIENT_ID);
    assert.equal(stackEnv.CODER_OIDC_CLIENT_SECRET, HAND_SECRET, "the secret Coder has");
    assert.equal(stackEnv.CODER_OIDC_SCOPES, "openid,profile,email,offline_access");
    assert.equal((await admin.clients(REALM)).filter((c) => c.clientId === CLIENT_ID).length, 1);
    assert.ok((await admin.clientScopes(REALM, handId, "optional")).includes("offline_access"));
  });

  it("4. Coder restarted with the stack's settings, rendered with the project's dotenv renderer; the old session still works", async () => {
    const server = await restartCoder(stackEnv, "coder-after.log");
    const config = await asUser(server, ownerToken, "/api/v2/deployment/config");
    assert.equal(config.status, 200, JSON.stringify(config.body));
    const oidc = (config.body.config as { oidc: Record<string, unknown> }).oidc;
    assert.equal(oidc.client_id, CLIENT_ID);
    assert.deepEqual(oidc.scopes, ["openid", "profile", "email", "offline_access"]);
    // Its access token is younger than 60 s here: the session from before the fix still works, until step 6 ends it.
    assert.equal((await asUser(server, oldSession, "/api/v2/users/me")).status, 200, "the session from before the fix survives the restart");
  });

  it("5. sessions names the user who signed in before the fix (exit 1)", async () => {
    const { status, stderr, report } = await sessionsReport(db!);
    assert.equal(status, 1, stderr);
    const alice = report.users.find((u) => u.username === USER.username);
    assert.deepEqual([alice?.state, alice?.refreshToken, alice?.refreshTokenKind, alice?.toSignInAgain], ["active", "present", "idp-session", true]);
    assert.ok((alice?.liveSessions ?? 0) >= 1, "the session from before the fix is counted");
    assert.ok(!report.users.some((u) => u.username === OWNER.username), "the password owner is no OIDC user");
    const text = await runCommand("sessions", ["--pg-url", db!.url]);
    assert.equal(text.status, 1, text.stderr);
    assert.match(text.stdout, new RegExp(`will be signed out: ${USER.username}\\.`));
    assert.ok(!text.stdout.includes(HAND_SECRET) && !text.stdout.includes(userLink(db!, USER.username).accessToken), "no secret or token printed");
  });

  it("6. sessions --sign-out ends that user's session through Coder's API: the old session token gets 401", async () => {
    const { status, stderr, report } = await sessionsReport(db!, "--sign-out", "--coder-url", coder!.url, "--coder-token", ownerToken);
    assert.equal(status, 1, stderr);
    const ended = report.signOut?.find((r) => r.username === USER.username);
    assert.deepEqual(ended?.failures, []);
    assert.ok((ended?.ended ?? 0) >= 1, JSON.stringify(report.signOut));
    const me = await asUser(coder!, oldSession, "/api/v2/users/me");
    assert.equal(me.status, 401, JSON.stringify(me.body));
    assert.notEqual(me.body.message, REFRESH_FAILED, "refused because the session was ended, not because a refresh failed");
    assert.equal((await asUser(coder!, ownerToken, "/api/v2/users/me")).status, 200, "the owner's own session is left alone");
    assert.equal((await sessionsReport(db!)).report.users.find((u) => u.username === USER.username)?.liveSessions, 0);
  });

  it("7. the user signs in again and now holds an offline refresh token: sessions exit 0", async () => {
    newSession = await signInToCoder(coder!.url, USER);
    assert.equal((await asUser(coder!, newSession, "/api/v2/users/me")).status, 200);
    const { status, stderr, report } = await sessionsReport(db!);
    assert.equal(status, 0, stderr);
    const alice = report.users.find((u) => u.username === USER.username);
    assert.deepEqual([alice?.refreshToken, alice?.refreshTokenKind, alice?.signOut, alice?.toSignInAgain], ["present", "offline", "no", false]);
    assert.equal(alice?.liveSessions, 1);
  });

  it("8. after the access token's expiry the session still works, with a new IdP access token", async () => {
    const before_ = userLink(db!, USER.username);
    await waitPastOAuthExpiry(db!, USER.username);
    const me = await asUser(coder!, newSession, "/api/v2/users/me");
    assert.equal(me.status, 200, JSON.stringify(me.body));
    assert.equal(me.body.username, USER.username);
    const after_ = userLink(db!, USER.username);
    assert.notEqual(after_.accessToken, before_.accessToken, "Coder refreshed the IdP access token");
    assert.ok(after_.expiry > before_.expiry, "and its expiry moved on");
  });
});
