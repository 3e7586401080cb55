/**
 * What the Coder e2e files share: Keycloak and PostgreSQL started together (and both stopped when either fails to
 * start), Coder's OIDC settings rendered with this project's dotenv renderer, the first owner made over Coder's API,
 * a request made with a session token, what Coder's database holds for a user's IdP login, this project's commands
 * run as processes, and `sessions --format json` against Coder's database.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { renderDotenv } from "../../cli/env/render";
import type { CoderEnvEntry } from "../../engine/plan";
import type { SessionsJson } from "../../cli/sessions";
import type { CoderServer } from "./coder";
import { startKeycloak, type KeycloakServer } from "./keycloak";
import { startPostgres, type PostgresServer } from "./postgres";
import { REPO_ROOT } from "./versions";

/** Coder's OIDC settings, by their environment variable names. */
export type CoderSettings = Record<string, string>;

/** What a command printed, and its exit code. */
export interface CommandResult {
  /** The exit code. */
  readonly status: number;
  /** Its stdout. */
  readonly stdout: string;
  /** Its stderr. */
  readonly stderr: string;
}

/**
 * Starts Keycloak (from `keycloakHome`, under `dir`) and PostgreSQL (database `coder`) side by side. When either
 * fails, the one that started is stopped before the error is rethrown, so nothing is left running.
 */
export async function startKeycloakAndPostgres(keycloakHome: string, dir: string, adminPassword: string): Promise<{ keycloak: KeycloakServer; db: PostgresServer }> {
  const [keycloak, db] = await Promise.allSettled([
    startKeycloak(keycloakHome, dir, adminPassword),
    startPostgres(join(dir, "postgres"), "coder"),
  ]);
  if (keycloak.status === "fulfilled" && db.status === "fulfilled") return { keycloak: keycloak.value, db: db.value };
  await Promise.allSettled([keycloak, db].flatMap((started) => started.status === "fulfilled" ? [started.value.stop()] : []));
  throw [keycloak, db].flatMap((failed) => failed.status === "rejected" ? [failed.reason as unknown] : [])[0];
}

/**
 * Stops Coder first (it holds connections to the database and the IdP), then Keycloak and PostgreSQL; every one
 * that was started is stopped even when another one's stop fails (undefined ones, never started, are skipped).
 */
export async function stopCoderStack(coder: { stop(): Promise<void> } | undefined, ...services: ({ stop(): Promise<void> } | undefined)[]): Promise<void> {
  const first = await Promise.allSettled(coder ? [coder.stop()] : []);
  const rest = await Promise.allSettled(services.flatMap((s) => s ? [s.stop()] : []));
  const failed = [...first, ...rest].find((r) => r.status === "rejected");
  if (failed) throw failed.reason;
}

/** Renders Coder's settings with this project's dotenv renderer, as `npm run env -- --format dotenv` does, to `file` (mode 0600). */
export function writeCoderDotenv(file: string, settings: CoderSettings): void {
  const entries: CoderEnvEntry[] = Object.entries(settings).map(([name, value]) => ({
    name, known: true, secret: name === "CODER_OIDC_CLIENT_SECRET", value,
  }));
  writeFileSync(file, renderDotenv(entries), { mode: 0o600 });
}

/** Makes Coder's first owner over its API (`POST /api/v2/users/first`), logs in with the password; returns the owner's session token. */
export async function createFirstOwner(coder: CoderServer, owner: { email: string; username: string; password: string }): Promise<string> {
  const first = await fetch(`${coder.url}/api/v2/users/first`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ ...owner, name: "Owner", trial: false }),
  });
  assert.equal(first.status, 201, await first.clone().text());
  const login = await fetch(`${coder.url}/api/v2/users/login`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ email: owner.email, password: owner.password }),
  });
  assert.equal(login.status, 201, await login.clone().text());
  return ((await login.json()) as { session_token: string }).session_token;
}

/** Runs one of this project's commands (`coder-oidc <name>`, as users do) as a process; resolves to its exit code and output. */
export function runCommand(name: string, args: string[], env: Record<string, string> = {}): Promise<CommandResult> {
  return new Promise((done) => {
    execFile(process.execPath, [join(REPO_ROOT, "bin/coder-oidc.cjs"), name, ...args], { cwd: REPO_ROOT, encoding: "utf8", env: { ...process.env, ...env } },
      (err, stdout, stderr) => done({ status: err ? Number(err.code) : 0, stdout, stderr }));
  });
}

/** Coder's answer to a request made with a session token. */
export async function asUser(coder: CoderServer, token: string, path: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${coder.url}${path}`, { headers: { "Coder-Session-Token": token } });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** What Coder holds for the user's IdP login. */
export function userLink(db: PostgresServer, username: string): { accessToken: string; hasRefreshToken: boolean; expiry: number } {
  const row = db.query(
    `SELECT l.oauth_access_token || '|' || (l.oauth_refresh_token <> '')::text || '|' || extract(epoch FROM l.oauth_expiry) ` +
    `FROM user_links l JOIN users u ON u.id = l.user_id WHERE u.username = '${username}' AND l.login_type = 'oidc'`,
  );
  const [accessToken, hasRefresh, expiry] = row.split("|");
  return { accessToken, hasRefreshToken: hasRefresh === "true", expiry: Number(expiry) };
}

/** Waits until the IdP token Coder holds for `username` has expired (plus a margin). */
export async function waitPastOAuthExpiry(db: PostgresServer, username: string): Promise<void> {
  const expiry = Number(db.query(
    `SELECT extract(epoch FROM l.oauth_expiry) FROM user_links l JOIN users u ON u.id = l.user_id WHERE u.username = '${username}' AND l.login_type = 'oidc'`,
  ));
  assert.ok(expiry > 0, "Coder stored an expiry for the IdP token");
  const waitMs = expiry * 1000 - Date.now() + 5_000;
  process.stdout.write(`# waiting ${(waitMs / 1000).toFixed(0)} s for the IdP access token to expire\n`);
  if (waitMs > 0) await new Promise((resolve) => setTimeout(resolve, waitMs));
}

/** `sessions --format json` against Coder's database; its exit code and report. */
export async function sessionsReport(db: PostgresServer, ...args: string[]): Promise<{ status: number; stderr: string; report: SessionsJson }> {
  const result = await runCommand("sessions", ["--pg-url", db.url, "--format", "json", ...args]);
  assert.ok(result.stdout.trim().startsWith("{"), result.stdout + result.stderr);
  return { status: result.status, stderr: result.stderr, report: JSON.parse(result.stdout) as SessionsJson };
}
