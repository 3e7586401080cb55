/**
 * The strongest proof: a real Coder server, fed this project's outputs for a Keycloak stack, keeps a user signed
 * in after the IdP's access token has expired, and fails to when `CODER_OIDC_SCOPES` lacks offline_access.
 *
 * The test realm's SSO Session Idle is shorter than the wait and its offline idle far longer, so the run shows
 * what users see overnight: the offline token keeps them in, the ordinary (online) one does not. Coder's log of
 * the negative control is kept in the run directory (and printed) for `doctor`'s fixtures.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { execFile } from "node:child_process";
import { copyFileSync, existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { renderDotenv } from "../cli/env-render";
import type { CoderEnvEntry } from "../cli/plan-core";
import type { SessionsJson } from "../cli/sessions";
import { e2eTempDir, e2eTools } from "./support/context";
import { signInToCoder } from "./support/coder-login";
import { startCoder, type CoderServer } from "./support/coder";
import { startKeycloak, type KeycloakAdmin, type KeycloakServer } from "./support/keycloak";
import { applyKeycloakStack, keycloakStackConfig, type CoderEnv } from "./support/keycloak-standin";
import { startPostgres, type PostgresServer } from "./support/postgres";
import { freePort } from "./support/services";
import { REPO_ROOT } from "./support/versions";

const REALM = "coder-journey";
const USER = { username: "bob", password: `bob-${randomBytes(6).toString("hex")}` };
const OWNER = { email: "owner@example.com", username: "owner", password: `Owner-${randomBytes(8).toString("hex")}!` };
/** The stack's access-token lifetime: short, so the test can wait it out. */
const ACCESS_TOKEN_SECONDS = 60;
/** The realm's SSO Session Idle: shorter than the wait, so an online refresh token is dead by then. */
const SSO_SESSION_IDLE_SECONDS = 30;
/** Where `KEEP_COPY_OF_LOG` (optional) copies the negative control's Coder log, for doctor's fixtures. */
const KEEP_LOG_ENV = "CODER_OIDC_E2E_KEEP_CODER_LOG";

/** Runs one of this project's commands (`cli/<name>.ts`) and resolves to its exit code and output. */
function command(name: string, args: string[], env: Record<string, string> = {}): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, ["--import", "tsx", join(REPO_ROOT, `cli/${name}.ts`), ...args], { cwd: REPO_ROOT, encoding: "utf8", env: { ...process.env, ...env } },
      (err, stdout, stderr) => done({ status: err ? Number(err.code) : 0, stdout, stderr }));
  });
}

/** Coder's answer to a request made with a session token. */
async function asUser(coder: CoderServer, token: string, path: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${coder.url}${path}`, { headers: { "Coder-Session-Token": token } });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** Waits until the IdP token Coder holds for `username` has expired (plus a margin). */
async function waitPastOAuthExpiry(db: PostgresServer, username: string): Promise<void> {
  const expiry = Number(db.query(
    `SELECT extract(epoch FROM l.oauth_expiry) FROM user_links l JOIN users u ON u.id = l.user_id WHERE u.username = '${username}' AND l.login_type = 'oidc'`,
  ));
  assert.ok(expiry > 0, "Coder stored an expiry for the IdP token");
  const waitMs = expiry * 1000 - Date.now() + 5_000;
  process.stdout.write(`# waiting ${(waitMs / 1000).toFixed(0)} s for the IdP access token to expire\n`);
  if (waitMs > 0) await new Promise((resolve) => setTimeout(resolve, waitMs));
}

/** What Coder holds for the user's IdP login. */
function userLink(db: PostgresServer, username: string): { accessToken: string; hasRefreshToken: boolean; expiry: number } {
  const row = db.query(
    `SELECT l.oauth_access_token || '|' || (l.oauth_refresh_token <> '')::text || '|' || extract(epoch FROM l.oauth_expiry) ` +
    `FROM user_links l JOIN users u ON u.id = l.user_id WHERE u.username = '${username}' AND l.login_type = 'oidc'`,
  );
  const [accessToken, hasRefresh, expiry] = row.split("|");
  return { accessToken, hasRefreshToken: hasRefresh === "true", expiry: Number(expiry) };
}

/** `sessions --format json` against Coder's database; its exit code and report. */
async function sessionsReport(db: PostgresServer, ...args: string[]): Promise<{ status: number; stderr: string; report: SessionsJson }> {
  const result = await command("sessions", ["--pg-url", db.url, "--format", "json", ...args]);
  assert.ok(result.stdout.trim().startsWith("{"), result.stdout + result.stderr);
  return { status: result.status, stderr: result.stderr, report: JSON.parse(result.stdout) as SessionsJson };
}

describe("a real Coder keeps a Keycloak user signed in past the access token's expiry", () => {
  let tmp: string;
  let keycloak: KeycloakServer;
  let admin: KeycloakAdmin;
  let db: PostgresServer;
  let coder: CoderServer | undefined;
  let coderBinary: string;
  let coderPort: number;
  let env: CoderEnv;
  let session: string;
  let ownerToken: string;
  /** verify --dotenv on the stack's settings, against the live Keycloak and Coder; its JSON report. */
  async function verifyLive(): Promise<{ status: number; report: { findings: { check: string; status: string; message: string }[] } }> {
    const result = await command("verify", ["--dotenv", join(tmp, "stack.env"), "--idp", "keycloak", "--coder-url", coder!.url, "--format", "json"], {
      CODER_SESSION_TOKEN: ownerToken,
      KEYCLOAK_URL: keycloak.url,
      KEYCLOAK_USER: keycloak.admin.username,
      KEYCLOAK_PASSWORD: keycloak.admin.password,
    });
    return { status: result.status, report: JSON.parse(result.stdout) as { findings: { check: string; status: string; message: string }[] } };
  }
  const problems = (report: { findings: { check: string; status: string }[] }) => report.findings.filter((f) => f.status !== "ok").map((f) => f.check);

  const dotenvFile = () => join(tmp, "coder-oidc.env");
  /** Renders the Coder settings with this project's dotenv renderer, as `npm run env -- --format dotenv` does. */
  function writeDotenv(settings: CoderEnv): void {
    const entries: CoderEnvEntry[] = Object.entries(settings).map(([name, value]) => ({
      name, known: true, secret: name === "CODER_OIDC_CLIENT_SECRET", value,
    }));
    writeFileSync(dotenvFile(), renderDotenv(entries), { mode: 0o600 });
  }

  before(async () => {
    tmp = e2eTempDir("coder");
    const tools = await e2eTools();
    coderBinary = tools.coder;
    [keycloak, db] = await Promise.all([
      startKeycloak(tools.keycloakHome, tmp, `kc-admin-${randomBytes(8).toString("hex")}`),
      startPostgres(join(tmp, "postgres"), "coder"),
    ]);
    admin = await keycloak.adminApi();
    await admin.createRealm({ realm: REALM, enabled: true, ssoSessionIdleTimeout: SSO_SESSION_IDLE_SECONDS, offlineSessionIdleTimeout: 30 * 86400 });
    await admin.createUser(REALM, { username: USER.username, email: "bob@example.com", firstName: "Bob", lastName: "E2e" }, USER.password);
    coderPort = await freePort();
  });

  after(async () => {
    await coder?.stop();
    await Promise.all([keycloak?.stop(), db?.stop()]);
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it("the stack's Coder settings, rendered as a dotenv file, start Coder", async () => {
    const applied = await applyKeycloakStack(admin, REALM, keycloakStackConfig(keycloak, REALM, {
      coderUrl: `http://127.0.0.1:${coderPort}`,
      tokens: { accessTokenLifetime: `${ACCESS_TOKEN_SECONDS}s`, refreshIdleTimeout: "7d" },
    }));
    env = applied.coderEnv;
    assert.equal(env.CODER_OIDC_SCOPES, "openid,profile,email,offline_access");
    writeDotenv(env);
    copyFileSync(dotenvFile(), join(tmp, "stack.env"));
    coder = await startCoder(coderBinary, tmp, { dotenvFile: dotenvFile(), databaseUrl: db.url, port: coderPort, logName: "coder-positive.log" });
  });

  it("the first owner is created over the API, and Coder runs with exactly the stack's OIDC settings", async () => {
    const first = await fetch(`${coder!.url}/api/v2/users/first`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ ...OWNER, name: "Owner", trial: false }),
    });
    assert.equal(first.status, 201, await first.clone().text());
    const login = await fetch(`${coder!.url}/api/v2/users/login`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ email: OWNER.email, password: OWNER.password }),
    });
    ownerToken = ((await login.json()) as { session_token: string }).session_token;
    const config = await asUser(coder!, ownerToken, "/api/v2/deployment/config");
    assert.equal(config.status, 200);
    const oidc = (config.body.config as { oidc: Record<string, unknown> }).oidc;
    assert.equal(oidc.issuer_url, env.CODER_OIDC_ISSUER_URL);
    assert.equal(oidc.client_id, env.CODER_OIDC_CLIENT_ID);
    assert.deepEqual(oidc.scopes, ["openid", "profile", "email", "offline_access"]);
    assert.deepEqual(oidc.auth_url_params, { access_type: "offline" });
  });

  it("the Keycloak user signs in through Coder's OIDC flow and the session works", async () => {
    session = await signInToCoder(coder!.url, USER);
    const me = await asUser(coder!, session, "/api/v2/users/me");
    assert.equal(me.status, 200);
    assert.equal(me.body.username, USER.username);
    assert.equal(userLink(db, USER.username).hasRefreshToken, true, "Coder holds a refresh token");
  });

  it("sessions reads Coder's database: the user signed in with offline_access holds an offline refresh token (exit 0)", async () => {
    const { status, stderr, report } = await sessionsReport(db);
    assert.equal(status, 0, stderr);
    const bob = report.users.find((u) => u.username === USER.username);
    assert.deepEqual([bob?.state, bob?.refreshToken, bob?.refreshTokenKind, bob?.signOut, bob?.toSignInAgain], ["active", "present", "offline", "no", false]);
    assert.ok((bob?.liveSessions ?? 0) >= 1, "its browser session is counted");
    assert.ok(!report.users.some((u) => u.username === OWNER.username), "the password owner is no OIDC user");
  });

  it("after the access token has expired, the same session still works and Coder holds a new IdP access token", async () => {
    const before_ = userLink(db, USER.username);
    await waitPastOAuthExpiry(db, USER.username);
    const me = await asUser(coder!, session, "/api/v2/users/me");
    assert.equal(me.status, 200, JSON.stringify(me.body));
    const after_ = userLink(db, USER.username);
    assert.notEqual(after_.accessToken, before_.accessToken, "Coder refreshed the IdP access token");
    assert.ok(after_.expiry > before_.expiry, "and its expiry moved on");
  });

  it("verify finds everything right at the live Keycloak and Coder (exit 0)", async () => {
    const { status, report } = await verifyLive();
    assert.deepEqual(problems(report), []);
    assert.equal(status, 0);
    assert.ok(report.findings.some((f) => f.check === "keycloak.client.offlineAccess"), "it read the client at Keycloak");
    assert.ok(report.findings.some((f) => f.check === "coder.scopes"), "it read Coder's running config");
  });

  it("verify names a client at Keycloak that lost offline_access (exit 1), and passes again once it is back", async () => {
    const clientId = (await admin.findClient(REALM, env.CODER_OIDC_CLIENT_ID))!;
    const scopeId = (await admin.clientScopeIds(REALM)).get("offline_access")!;
    await admin.setClientOptionalScope(REALM, clientId, scopeId, false);
    try {
      const { status, report } = await verifyLive();
      assert.equal(status, 1);
      assert.deepEqual(problems(report), ["keycloak.client.offlineAccess"]);
    } finally {
      await admin.setClientOptionalScope(REALM, clientId, scopeId, true);
    }
    assert.equal((await verifyLive()).status, 0);
  });

  it("negative control: without offline_access the session is refused after expiry, with Coder's own 401", async () => {
    await coder!.stop();
    writeDotenv({ ...env, CODER_OIDC_SCOPES: "openid,profile,email" });
    coder = await startCoder(coderBinary, tmp, { dotenvFile: dotenvFile(), databaseUrl: db.url, port: coderPort, logName: "coder-negative.log" });
    // Coder keeps the IdP's tokens from the last login: the user signs in again to get the online ones.
    session = await signInToCoder(coder.url, USER);
    assert.equal((await asUser(coder, session, "/api/v2/users/me")).status, 200);
    // Keycloak still hands out a refresh token, but one bound to its SSO session: sessions names the user.
    const named = await sessionsReport(db);
    assert.equal(named.status, 1, named.stderr);
    const bob = named.report.users.find((u) => u.username === USER.username);
    assert.deepEqual([bob?.refreshToken, bob?.refreshTokenKind, bob?.toSignInAgain], ["present", "idp-session", true]);
    const text = await command("sessions", ["--pg-url", db.url]);
    assert.equal(text.status, 1);
    assert.match(text.stdout, new RegExp(`will be signed out: ${USER.username}\\.`));
    await waitPastOAuthExpiry(db, USER.username);
    const me = await asUser(coder, session, "/api/v2/users/me");
    assert.equal(me.status, 401);
    assert.equal(me.body.message, "Could not refresh expired OpenID Connect token. Try re-authenticating to resolve this issue.");
    assert.match(String(me.body.detail), /invalid_grant/);
    const mismatch = await verifyLive();
    assert.equal(mismatch.status, 1, "verify sees Coder running without the stack's scopes");
    assert.deepEqual(problems(mismatch.report), ["coder.scopes"]);
    const doctor = await command("doctor", ["--coder-log", coder.process.logFile]);
    assert.equal(doctor.status, 1, doctor.stdout + doctor.stderr);
    assert.match(doctor.stdout, /Coder refused an API request with 401/);
    assert.match(doctor.stdout, /\/api\/v2\/users\/me/);
    const log = readFileSync(coder.process.logFile, "utf8");
    const keep = process.env[KEEP_LOG_ENV];
    if (keep) copyFileSync(coder.process.logFile, keep);
    process.stdout.write(`# Coder answered: ${JSON.stringify(me.body)}\n`);
    assert.ok(existsSync(coder.process.logFile) && log.length > 0, "Coder wrote its log");
  });

  it("sessions --sign-out ends the named user's live session through Coder's API: the old session gets 401 at once", async () => {
    session = await signInToCoder(coder!.url, USER);
    assert.equal((await asUser(coder!, session, "/api/v2/users/me")).status, 200);
    const { status, stderr, report } = await sessionsReport(db, "--sign-out", "--coder-url", coder!.url, "--coder-token", ownerToken);
    assert.equal(status, 1, stderr);
    const ended = report.signOut?.find((r) => r.username === USER.username);
    assert.deepEqual(ended?.failures, []);
    assert.ok((ended?.ended ?? 0) >= 1, JSON.stringify(report.signOut));
    const me = await asUser(coder!, session, "/api/v2/users/me");
    assert.equal(me.status, 401, JSON.stringify(me.body));
    assert.equal((await asUser(coder!, ownerToken, "/api/v2/users/me")).status, 200, "the owner's own session is left alone");
    assert.equal((await sessionsReport(db)).report.users.find((u) => u.username === USER.username)?.liveSessions, 0);
  });
});
