/**
 * `coder-oidc sessions [--pg-url <url>] [--sign-out --coder-url <url> [--coder-token <t>]] [--format text|json]`
 *
 * After the fix, who still gets signed out: reads Coder's database (read-only transaction; the URL Coder itself
 * uses, `CODER_PG_CONNECTION_URL`, or `--pg-url`) and lists Coder's OIDC users: refresh token stored or not, when
 * the stored IdP access token expires, last seen, live sessions, and whether Coder signs them out at the next expiry.
 * With database encryption, `CODER_EXTERNAL_TOKEN_ENCRYPTION_KEYS` lets it read the tokens (an empty token is told
 * exactly without them). `--sign-out` ends, through Coder's API (`DELETE /api/v2/users/{user}/keys/{keyid}` for
 * each of their unexpired OIDC browser sessions), the sessions of those who will be signed out, listing them first.
 *
 * Exit codes: 0 every active OIDC user has a refresh token; 1 some don't; 2 could not check (bad arguments, a
 * database that cannot be reached or is not Coder's v2.30 schema, a token that cannot be told, a failed sign-out).
 */
import axios from "axios";
import { Command, Option } from "commander";
import { Client } from "pg";
import { ExitCode, fatal, parseArguments, runAsProcess, type OutputStreams, processStreams } from "../command";
import { version } from "../version";
import {
  classifyUser, maskSecrets, parseEncryptionKeys, renderSessions, schemaProblem, sessionsExitCode,
  type CoderOidcUserRow, type EncryptionKey, type UserSessionReport,
} from "./core";

/** The little of a PostgreSQL connection `sessions` uses; tests give their own. */
export interface SessionsDatabase {
  /** Runs one statement; resolves to its rows. */
  query<R>(text: string): Promise<R[]>;
  /** Closes the connection. */
  end(): Promise<void>;
}

/** What `sessions` reaches out to: the database and the clock (tests replace them). */
export interface SessionsDeps {
  /** Opens a connection to the database at `url`. */
  readonly connect: (url: string) => Promise<SessionsDatabase>;
  /** The current time. */
  readonly now: () => Date;
}

/** A real connection with node-postgres. */
export async function pgConnect(url: string): Promise<SessionsDatabase> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 15_000, query_timeout: 60_000, application_name: "coder-oidc sessions" });
  client.on("error", () => undefined); // a dropped connection fails the running query, which is reported
  await client.connect();
  return { query: async <R>(text: string) => (await client.query(text)).rows as R[], end: () => client.end() };
}

const COLUMNS_SQL = `SELECT table_name::text AS table_name, column_name::text AS column_name FROM information_schema.columns
  WHERE table_schema = ANY (current_schemas(false)) AND table_name IN ('user_links', 'users', 'api_keys')`;

/** Coder's OIDC users, their IdP login and their unexpired OIDC browser sessions (last_seen_at is stored in UTC). */
const USERS_SQL = `SELECT u.id::text AS id, u.username, u.email, u.status::text AS status, u.deleted,
    u.last_seen_at AT TIME ZONE 'UTC' AS last_seen_at,
    (l.user_id IS NOT NULL) AS has_link, l.oauth_refresh_token, l.oauth_refresh_token_key_id, l.oauth_expiry,
    COALESCE((SELECT array_agg(k.id::text ORDER BY k.id) FROM api_keys k
      WHERE k.user_id = u.id AND k.login_type = 'oidc' AND k.expires_at > now()), '{}'::text[]) AS session_key_ids
  FROM users u LEFT JOIN user_links l ON l.user_id = u.id AND l.login_type = 'oidc'
  WHERE u.login_type = 'oidc'
  ORDER BY u.username`;

/** The URL without its user info, for messages. */
function safeUrl(url: string): string {
  return maskSecrets(url);
}

/** The password in a connection URL, to mask wherever it turns up. */
function urlPassword(url: string): string | undefined {
  try {
    const u = new URL(url);
    return u.password ? decodeURIComponent(u.password) : undefined;
  } catch {
    return undefined;
  }
}

/** Reads Coder's OIDC users in one read-only transaction; throws an Error with a message fit to print. */
export async function readCoderUsers(db: SessionsDatabase): Promise<CoderOidcUserRow[]> {
  await db.query("BEGIN READ ONLY");
  try {
    const problem = schemaProblem(await db.query<{ table_name: string; column_name: string }>(COLUMNS_SQL));
    if (problem) throw new Error(problem);
    return await db.query<CoderOidcUserRow>(USERS_SQL);
  } finally {
    await db.query("ROLLBACK").catch(() => undefined);
  }
}

/** What became of one user's sessions under `--sign-out`. */
export interface SignOutResult {
  readonly username: string;
  /** Sessions Coder ended (or that were gone already). */
  readonly ended: number;
  /** Each refusal: method, path (key ID left out), status and Coder's message. */
  readonly failures: readonly string[];
}

/** Coder's message and detail from an error answer, masked. */
function coderMessage(data: unknown, secrets: readonly string[]): string {
  if (data && typeof data === "object") {
    const { message, detail } = data as { message?: unknown; detail?: unknown };
    const text = [message, detail].filter((s) => typeof s === "string" && s !== "").join(": ");
    if (text) return maskSecrets(text, secrets);
  }
  return maskSecrets(typeof data === "string" ? data.slice(0, 200) : "", secrets);
}

/** Ends, through Coder's API, the listed sessions of each user. */
async function signOut(coderUrl: string, token: string, targets: readonly { id: string; username: string; keyIds: readonly string[] }[]): Promise<SignOutResult[]> {
  const base = coderUrl.replace(/\/+$/, "");
  const http = axios.create({ baseURL: base, timeout: 15_000, validateStatus: () => true, headers: { "Coder-Session-Token": token } });
  const results: SignOutResult[] = [];
  for (const t of targets) {
    let ended = 0;
    const failures: string[] = [];
    for (const keyId of t.keyIds) {
      const path = `/api/v2/users/${encodeURIComponent(t.id)}/keys/${encodeURIComponent(keyId)}`;
      const shown = `DELETE /api/v2/users/${t.id}/keys/{keyid}`;
      try {
        const res = await http.delete(path);
        if (res.status === 204 || res.status === 404) ended++;
        else failures.push(`${shown} answered HTTP ${res.status}: ${coderMessage(res.data, [token, keyId])}`);
      } catch (err) {
        failures.push(`${shown} failed: ${maskSecrets(err instanceof Error ? err.message : String(err), [token, keyId])}`);
      }
    }
    results.push({ username: t.username, ended, failures });
  }
  return results;
}

/** Checks that Coder answers and takes the token, before anything is ended; a message when not. */
async function checkCoderToken(coderUrl: string, token: string): Promise<string | undefined> {
  const url = `${coderUrl.replace(/\/+$/, "")}/api/v2/users/me`;
  try {
    const res = await axios.get(url, { timeout: 15_000, validateStatus: () => true, headers: { "Coder-Session-Token": token } });
    if (res.status === 200) return undefined;
    return `GET ${safeUrl(url)} answered HTTP ${res.status}: ${coderMessage(res.data, [token])} (give an owner's token: --coder-token or CODER_SESSION_TOKEN)`;
  } catch (err) {
    return `GET ${safeUrl(url)} failed: ${maskSecrets(err instanceof Error ? err.message : String(err), [token])}`;
  }
}

/** Builds the `sessions` command with its database and clock (tests pass their own). */
export function sessionsCommand(deps: SessionsDeps = { connect: pgConnect, now: () => new Date() }) {
  return async function runSessions(argv: readonly string[], io: OutputStreams = processStreams()): Promise<number> {
    const program = new Command("sessions")
      .description("Lists Coder's OIDC users without a refresh token (from Coder's database, read-only); --sign-out ends their sessions")
      .option("--pg-url <url>", "Coder's PostgreSQL URL (default: $CODER_PG_CONNECTION_URL)")
      .option("--sign-out", "end the Coder sessions of the users who will be signed out (with --coder-url and an owner's token)")
      .option("--coder-url <url>", "Coder's access URL, for --sign-out")
      .option("--coder-token <token>", "an owner's session token, for --sign-out (default: $CODER_SESSION_TOKEN)")
      .addOption(new Option("-f, --format <format>", "output format").choices(["text", "json"]).default("text"))
      .addHelpText("after", "\nWith Coder's database encryption, set CODER_EXTERNAL_TOKEN_ENCRYPTION_KEYS as Coder has it to read the tokens.\n" +
        "Exit codes: 0 every active OIDC user has a refresh token; 1 some don't; 2 could not check.\n")
      .version(version());
    const stop = parseArguments(program, argv, io);
    if (stop !== undefined) return stop;
    const o = program.opts<{ pgUrl?: string; signOut?: boolean; coderUrl?: string; coderToken?: string; format: "text" | "json" }>();
    const pgUrl = o.pgUrl ?? process.env.CODER_PG_CONNECTION_URL;
    const token = o.coderToken ?? process.env.CODER_SESSION_TOKEN;
    const secrets = [urlPassword(pgUrl ?? ""), token].filter((s): s is string => Boolean(s));
    // Told as every command tells a fatal error (cli/command.ts), after masking the password and the token.
    const fail = (message: string): number => fatal(io, o.format === "json", maskSecrets(message, secrets), ExitCode.Usage, "ERR_SESSIONS");
    if (!pgUrl) return fail("no database: give --pg-url or set CODER_PG_CONNECTION_URL (the URL Coder itself uses)");
    if (o.signOut && !o.coderUrl) return fail("--sign-out needs --coder-url <url>");
    if (o.signOut && !token) return fail("--sign-out needs an owner's token: --coder-token or CODER_SESSION_TOKEN");
    let keys: EncryptionKey[] = [];
    const keyList = process.env.CODER_EXTERNAL_TOKEN_ENCRYPTION_KEYS;
    if (keyList) {
      try {
        keys = parseEncryptionKeys(keyList);
      } catch (err) {
        return fail((err as Error).message);
      }
    }
    let rows: CoderOidcUserRow[];
    let db: SessionsDatabase;
    try {
      db = await deps.connect(pgUrl);
    } catch (err) {
      return fail(`cannot connect to Coder's database at ${safeUrl(pgUrl)}: ${err instanceof Error ? err.message : String(err)}`);
    }
    try {
      rows = await readCoderUsers(db);
    } catch (err) {
      return fail(`cannot read Coder's database at ${safeUrl(pgUrl)}: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      await db.end().catch(() => undefined);
    }
    const now = deps.now();
    const users = rows.map((row) => classifyUser(row, keys, now));
    let code = sessionsExitCode(users);
    let signOutResults: SignOutResult[] | undefined;
    if (o.signOut) {
      const targets = rows.flatMap((row, i) => users[i]!.toSignInAgain && row.session_key_ids.length > 0
        ? [{ id: row.id, username: row.username, keyIds: row.session_key_ids }] : []);
      if (o.format === "text") io.stdout.write(renderSessions(users) + "\n");
      if (targets.length > 0) {
        const problem = await checkCoderToken(o.coderUrl!, token!);
        if (problem) return fail(problem);
        if (o.format === "text") {
          io.stdout.write(`Ending the Coder sessions of ${targets.length} user(s): ${targets.map((t) => `${t.username} (${t.keyIds.length})`).join(", ")}\n`);
        }
        signOutResults = await signOut(o.coderUrl!, token!, targets);
        if (signOutResults.some((r) => r.failures.length > 0)) code = 2;
      } else {
        signOutResults = [];
      }
      if (o.format === "text") {
        for (const r of signOutResults) {
          io.stdout.write(`${r.failures.length > 0 ? "✖" : "✔"} ${r.username}: ${r.ended} session(s) ended\n` + r.failures.map((f) => `    ${f}\n`).join(""));
        }
        if (targets.length === 0) io.stdout.write("No live Coder session to end.\n");
      }
    } else if (o.format === "text") {
      io.stdout.write(renderSessions(users));
    }
    if (o.format === "json") {
      io.stdout.write(JSON.stringify({ exitCode: code, users, ...(signOutResults ? { signOut: signOutResults } : {}) } satisfies SessionsJson, null, 2) + "\n");
    }
    return code;
  };
}

/** The `--format json` report. */
export interface SessionsJson {
  readonly exitCode: number;
  readonly users: readonly UserSessionReport[];
  readonly signOut?: readonly SignOutResult[];
}

/** Runs `sessions` with `argv` against the real database and Coder; resolves to its exit code. */
export const runSessions = sessionsCommand();

if (require.main === module) runAsProcess("sessions", runSessions, process.argv.slice(2), 2);
