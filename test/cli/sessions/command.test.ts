/**
 * `coder-oidc sessions` (cli/sessions/index.ts) in this process: the database behind an interface (the SQL's rows as
 * node-postgres returns them), a real connection attempt for the bad-input cases (a closed port, a server that refuses
 * the password), and `--sign-out` against an HTTP server on 127.0.0.1 that answers as Coder's API does.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createTcpServer, type AddressInfo } from "node:net";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { sessionsCommand, type SessionsDatabase, type SessionsJson, pgConnect, runSessions } from "../../../cli/sessions";
import { keyDigest, REQUIRED_COLUMNS, type CoderOidcUserRow } from "../../../cli/sessions/core";
import { assertHelpLists, runInProcess } from "../../support/in-process";
import { dbcryptEncrypt, keycloakRefreshToken } from "../../support/dbcrypt";

const NOW = new Date("2026-12-06T12:00:00Z");
const PASSWORD = "pg-S3cret-pass";
const PG_URL = `postgres://coder:${PASSWORD}@db.example:5432/coder?sslmode=disable`;
const OWNER_TOKEN = "OwnerKeyId-ownerSecretValue123";
const ALL_COLUMNS = Object.entries(REQUIRED_COLUMNS).flatMap(([table_name, cols]) => cols.map((column_name) => ({ table_name, column_name })));

function user(overrides: Partial<CoderOidcUserRow>): CoderOidcUserRow {
  return {
    id: "00000000-0000-4000-8000-000000000001", username: "bob", email: "bob@example.com", status: "active", deleted: false,
    last_seen_at: new Date("2026-12-06T11:00:00Z"), has_link: true, oauth_refresh_token: "", oauth_refresh_token_key_id: null,
    oauth_expiry: new Date("2026-12-06T12:05:00Z"), session_key_ids: [], ...overrides,
  };
}

/** A database that answers the three statements `sessions` sends, and records every statement. */
function fakeDb(rows: CoderOidcUserRow[], columns = ALL_COLUMNS): { db: SessionsDatabase; statements: string[]; ended: () => boolean } {
  const statements: string[] = [];
  let ended = false;
  const db: SessionsDatabase = {
    query: async <R>(text: string): Promise<R[]> => {
      statements.push(text);
      if (text.includes("information_schema.columns")) return columns as R[];
      if (text.includes("FROM users u")) return rows as R[];
      return [];
    },
    end: async () => void (ended = true),
  };
  return { db, statements, ended: () => ended };
}

const TOKEN_OFFLINE = keycloakRefreshToken("Offline");
const BOB = user({ session_key_ids: ["bobKey0001", "bobKey0002"] });
const CAROL = user({ id: "00000000-0000-4000-8000-000000000002", username: "carol", email: "carol@example.com", oauth_refresh_token: TOKEN_OFFLINE, session_key_ids: ["carolKey01"] });
const DAVE = user({ id: "00000000-0000-4000-8000-000000000003", username: "dave", status: "suspended", session_key_ids: ["daveKey001"] });

function withDb(rows: CoderOidcUserRow[], columns = ALL_COLUMNS) {
  const fake = fakeDb(rows, columns);
  const urls: string[] = [];
  const run = sessionsCommand({ connect: async (url) => (urls.push(url), fake.db), now: () => NOW });
  return { ...fake, urls, sessions: (...argv: string[]) => runInProcess(run, argv) };
}

/** Runs with the environment variables set (restored after). */
async function withEnv<T>(vars: Record<string, string | undefined>, body: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  for (const [k, v] of Object.entries(vars)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
  try {
    return await body();
  } finally {
    for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
  }
}

const noEnv = { CODER_PG_CONNECTION_URL: undefined, CODER_SESSION_TOKEN: undefined, CODER_EXTERNAL_TOKEN_ENCRYPTION_KEYS: undefined };

describe("coder-oidc sessions", () => {
  it("--help lists every option", async () => {
    await assertHelpLists(runSessions, [
      "--pg-url <url> Coder's PostgreSQL URL (default: $CODER_PG_CONNECTION_URL)",
      "--sign-out end the Coder sessions of the users who will be signed out",
      "--coder-url <url> Coder's access URL, for --sign-out",
      "--coder-token <token> an owner's session token, for --sign-out (default: $CODER_SESSION_TOKEN)",
      "-f, --format <format> output format",
      "CODER_EXTERNAL_TOKEN_ENCRYPTION_KEYS",
    ]);
  });

  it("reads in one read-only transaction, never writes, and names who will be signed out (exit 1)", async () => {
    await withEnv(noEnv, async () => {
      const t = withDb([BOB, CAROL, DAVE]);
      const run = await t.sessions("--pg-url", PG_URL);
      assert.equal(run.code, 1, run.stderr);
      assert.equal(run.stderr, "");
      assert.deepEqual(t.urls, [PG_URL]);
      assert.equal(t.statements[0], "BEGIN READ ONLY");
      assert.equal(t.statements.at(-1), "ROLLBACK");
      assert.equal(t.statements.length, 4);
      assert.ok(t.statements.every((s) => !/\b(INSERT|UPDATE|DELETE|ALTER|CREATE|DROP)\b/i.test(s)), "nothing written");
      assert.ok(t.ended(), "the connection is closed");
      assert.match(run.stdout, /^bob +active +none +2026-12-06T12:05:00\.000Z +2026-12-06T11:00:00\.000Z +2 +at the next expiry$/m);
      assert.match(run.stdout, /^carol +active +offline .* no$/m);
      assert.doesNotMatch(run.stdout, /^dave/m);
      assert.match(run.stdout, /1 suspended or deleted OIDC user\(s\) not counted\.\n1 of 2 active OIDC user\(s\) will be signed out: bob\./);
      assert.ok(!run.stdout.includes(TOKEN_OFFLINE) && !run.stdout.includes("bobKey0001"), "no token, no key ID");
    });
  });

  it("every active OIDC user has a refresh token: exit 0; CODER_PG_CONNECTION_URL is the default", async () => {
    await withEnv({ ...noEnv, CODER_PG_CONNECTION_URL: PG_URL }, async () => {
      const t = withDb([CAROL, DAVE]);
      const run = await t.sessions();
      assert.equal(run.code, 0);
      assert.deepEqual(t.urls, [PG_URL]);
      assert.match(run.stdout, /Every active OIDC user \(1\) has a refresh token\.\n$/);
    });
  });

  it("--format json: every user with its verdict and the exit code", async () => {
    await withEnv(noEnv, async () => {
      const run = await withDb([BOB, CAROL, DAVE]).sessions("--pg-url", PG_URL, "--format", "json");
      assert.equal(run.code, 1);
      const report = JSON.parse(run.stdout) as SessionsJson;
      assert.equal(report.exitCode, 1);
      assert.deepEqual(report.users.map((u) => [u.username, u.state, u.refreshToken, u.signOut, u.toSignInAgain, u.liveSessions]), [
        ["bob", "active", "absent", "next-expiry", true, 2],
        ["carol", "active", "present", "no", false, 1],
        ["dave", "suspended", "absent", "next-expiry", false, 1],
      ]);
      assert.equal(report.signOut, undefined);
      assert.ok(!run.stdout.includes(TOKEN_OFFLINE));
    });
  });

  it("with CODER_EXTERNAL_TOKEN_ENCRYPTION_KEYS the encrypted tokens are read: a session-bound Keycloak token counts (exit 1)", async () => {
    const key = Buffer.alloc(32, 9);
    const encrypted = user({ oauth_refresh_token: dbcryptEncrypt(keycloakRefreshToken("Refresh"), key), oauth_refresh_token_key_id: keyDigest(key) });
    await withEnv(noEnv, async () => {
      assert.equal((await withDb([encrypted]).sessions("--pg-url", PG_URL)).code, 0, "without the keys: a token is stored");
    });
    await withEnv({ ...noEnv, CODER_EXTERNAL_TOKEN_ENCRYPTION_KEYS: key.toString("base64") }, async () => {
      const run = await withDb([encrypted]).sessions("--pg-url", PG_URL, "-f", "json");
      assert.equal(run.code, 1);
      const [bob] = (JSON.parse(run.stdout) as SessionsJson).users;
      assert.deepEqual([bob!.refreshTokenKind, bob!.signOut, bob!.encrypted], ["idp-session", "idp-session-end", true]);
    });
    await withEnv({ ...noEnv, CODER_EXTERNAL_TOKEN_ENCRYPTION_KEYS: Buffer.from("short").toString("base64") }, async () => {
      const t = withDb([encrypted]);
      const run = await t.sessions("--pg-url", PG_URL);
      assert.deepEqual([run.code, run.stderr], [2, "error: CODER_EXTERNAL_TOKEN_ENCRYPTION_KEYS: key 1 is 5 bytes, not 32\n"]);
      assert.deepEqual(t.urls, [], "nothing read");
    });
  });

  describe("bad input: exit 2, a clear message, no password", () => {
    it("no database URL", async () => {
      await withEnv(noEnv, async () => {
        const run = await withDb([]).sessions();
        assert.deepEqual(run, { code: 2, stdout: "", stderr: "error: no database: give --pg-url or set CODER_PG_CONNECTION_URL (the URL Coder itself uses)\n" });
        const json = await withDb([]).sessions("--format", "json");
        assert.deepEqual(JSON.parse(json.stdout), { error: { code: "ERR_SESSIONS", exitCode: 2, message: "no database: give --pg-url or set CODER_PG_CONNECTION_URL (the URL Coder itself uses)" } });
      });
    });

    it("a database that is not Coder's (no user_links), and a schema from another Coder version", async () => {
      await withEnv(noEnv, async () => {
        const other = withDb([BOB], [{ table_name: "users", column_name: "id" }]);
        const run = await other.sessions("--pg-url", PG_URL);
        assert.equal(run.code, 2);
        assert.equal(run.stderr, "error: cannot read Coder's database at postgres://***@db.example:5432/coder?sslmode=disable: " +
          "this is not Coder's database: it has no table user_links (give the URL Coder itself uses, CODER_PG_CONNECTION_URL)\n");
        assert.equal(other.statements.at(-1), "ROLLBACK");
        assert.ok(!other.statements.some((s) => s.includes("FROM users u")), "the users are not read");
        const older = withDb([BOB], ALL_COLUMNS.filter((c) => c.column_name !== "oauth_refresh_token_key_id"));
        const json = await older.sessions("--pg-url", PG_URL, "--format", "json");
        assert.equal(json.code, 2);
        assert.match((JSON.parse(json.stdout) as { error: { message: string } }).error.message,
          /another Coder version: sessions expects Coder 2\.30\.x's columns, and these are missing: user_links\.oauth_refresh_token_key_id$/);
        assert.ok(!json.stdout.includes(PASSWORD) && !json.stderr.includes(PASSWORD));
      });
    });

    it("an error that quotes the connection string is masked", async () => {
      const run = await runInProcess(sessionsCommand({ connect: async (url) => { throw new Error(`bad connection string ${url} (password ${PASSWORD})`); }, now: () => NOW }),
        ["--pg-url", PG_URL]);
      assert.equal(run.code, 2);
      assert.ok(!run.stderr.includes(PASSWORD), run.stderr);
      assert.match(run.stderr, /^error: cannot connect to Coder's database at postgres:\/\/\*\*\*@db\.example:5432\/coder\?sslmode=disable: bad connection string postgres:\/\/\*\*\*@db/);
    });

    it("a closed port: node-postgres's own connection error", async () => {
      const closed = createTcpServer();
      await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
      const port = (closed.address() as AddressInfo).port;
      await new Promise<void>((r) => closed.close(() => r()));
      await withEnv(noEnv, async () => {
        const run = await runInProcess(sessionsCommand({ connect: pgConnect, now: () => NOW }), ["--pg-url", `postgres://coder:${PASSWORD}@127.0.0.1:${port}/coder`, "-f", "json"]);
        assert.equal(run.code, 2);
        assert.equal((JSON.parse(run.stdout) as { error: { message: string } }).error.message,
          `cannot connect to Coder's database at postgres://***@127.0.0.1:${port}/coder: connect ECONNREFUSED 127.0.0.1:${port}`);
        assert.ok(!run.stdout.includes(PASSWORD) && !run.stderr.includes(PASSWORD));
      });
    });

    it("a wrong password: the server's refusal, through node-postgres, without the password", async () => {
      // A server speaking just enough of PostgreSQL's protocol: it asks for the password, then refuses it as PostgreSQL does.
      const received: Buffer[] = [];
      const server = createTcpServer((socket) => {
        let stage = 0;
        socket.on("data", (chunk) => {
          received.push(chunk);
          if (stage++ === 0) {
            socket.write(Buffer.from([0x52, 0, 0, 0, 8, 0, 0, 0, 3])); // AuthenticationCleartextPassword
            return;
          }
          const fields = Buffer.from('SFATAL\0VFATAL\0C28P01\0Mpassword authentication failed for user "coder"\0\0');
          const head = Buffer.alloc(5);
          head.write("E");
          head.writeInt32BE(fields.length + 4, 1);
          socket.end(Buffer.concat([head, fields]));
        });
      });
      await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
      const port = (server.address() as AddressInfo).port;
      try {
        const run = await runInProcess(sessionsCommand({ connect: pgConnect, now: () => NOW }), ["--pg-url", `postgres://coder:${PASSWORD}@127.0.0.1:${port}/coder`]);
        assert.deepEqual(run, { code: 2, stdout: "",
          stderr: `error: cannot connect to Coder's database at postgres://***@127.0.0.1:${port}/coder: password authentication failed for user "coder"\n` });
        assert.ok(Buffer.concat(received).includes(PASSWORD), "the client did send the password to the server");
      } finally {
        await new Promise<void>((r) => server.close(() => r()));
      }
    });

    it("--sign-out without --coder-url or a token", async () => {
      await withEnv(noEnv, async () => {
        assert.equal((await withDb([BOB]).sessions("--pg-url", PG_URL, "--sign-out")).stderr, "error: --sign-out needs --coder-url <url>\n");
        const run = await withDb([BOB]).sessions("--pg-url", PG_URL, "--sign-out", "--coder-url", "http://127.0.0.1:1");
        assert.deepEqual([run.code, run.stderr], [2, "error: --sign-out needs an owner's token: --coder-token or CODER_SESSION_TOKEN\n"]);
      });
    });
  });

  describe("--sign-out against a Coder-like API on 127.0.0.1", () => {
    let server: Server;
    let url: string;
    const requests: string[] = [];
    /** Key IDs this Coder refuses to delete, answering 500 with a detail that echoes the caller's token. */
    const failing = new Set<string>();
    before(async () => {
      server = createHttpServer((req: IncomingMessage, res: ServerResponse) => {
        const token = req.headers["coder-session-token"];
        requests.push(`${req.method} ${req.url}`);
        const json = (status: number, body: object) => res.writeHead(status, { "Content-Type": "application/json" }).end(JSON.stringify(body));
        if (token !== OWNER_TOKEN) return json(401, { message: "You are signed out or your session has expired. Please sign in again to continue.", detail: `API key "${String(token)}" is invalid.` });
        if (req.method === "GET" && req.url === "/api/v2/users/me") return json(200, { username: "owner", roles: [{ name: "owner" }] });
        const m = /^\/api\/v2\/users\/([^/]+)\/keys\/([^/]+)$/.exec(req.url ?? "");
        if (req.method === "DELETE" && m) {
          if (failing.has(m[2]!)) return json(500, { message: "Internal error deleting API key.", detail: `session ${String(token)}: boom` });
          if (m[2] === "goneKey001") return json(404, { message: "Resource not found or you do not have access to this resource" });
          return res.writeHead(204).end();
        }
        return json(404, { message: "Route not found." });
      });
      await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    after(() => new Promise<void>((r) => server.close(() => r())));

    it("lists whom first, then ends each live OIDC session of theirs only (exit stays 1: they must sign in again)", async () => {
      requests.length = 0;
      await withEnv({ ...noEnv, CODER_SESSION_TOKEN: OWNER_TOKEN }, async () => {
        const run = await withDb([BOB, CAROL, DAVE]).sessions("--pg-url", PG_URL, "--sign-out", "--coder-url", url + "/");
        assert.equal(run.code, 1, run.stderr);
        assert.deepEqual(requests, [
          "GET /api/v2/users/me",
          `DELETE /api/v2/users/${BOB.id}/keys/bobKey0001`,
          `DELETE /api/v2/users/${BOB.id}/keys/bobKey0002`,
        ]);
        const listed = run.stdout.indexOf("Ending the Coder sessions of 1 user(s): bob (2)\n");
        assert.ok(listed > run.stdout.indexOf("will be signed out: bob."), "the table comes first");
        assert.ok(run.stdout.endsWith("✔ bob: 2 session(s) ended\n"), run.stdout);
        assert.ok(!run.stdout.includes(OWNER_TOKEN) && !run.stdout.includes("bobKey0001"));
      });
    });

    it("--format json: the sign-out per user; nobody to sign out ends nothing", async () => {
      requests.length = 0;
      const run = await withDb([BOB, { ...BOB, id: "00000000-0000-4000-8000-000000000009", username: "erin", session_key_ids: ["goneKey001"] }])
        .sessions("--pg-url", PG_URL, "--sign-out", "--coder-url", url, "--coder-token", OWNER_TOKEN, "-f", "json");
      assert.equal(run.code, 1);
      assert.deepEqual((JSON.parse(run.stdout) as SessionsJson).signOut, [
        { username: "bob", ended: 2, failures: [] },
        { username: "erin", ended: 1, failures: [] },
      ]);
      requests.length = 0;
      const none = await withDb([CAROL]).sessions("--pg-url", PG_URL, "--sign-out", "--coder-url", url, "--coder-token", OWNER_TOKEN);
      assert.equal(none.code, 0);
      assert.deepEqual(requests, []);
      assert.match(none.stdout, /No live Coder session to end\.\n$/);
    });

    it("a refused deletion: exit 2, method, path, status and Coder's message, its echo of the token masked", async () => {
      failing.add("bobKey0002");
      try {
        const run = await withDb([BOB]).sessions("--pg-url", PG_URL, "--sign-out", "--coder-url", url, "--coder-token", OWNER_TOKEN);
        assert.equal(run.code, 2);
        assert.ok(run.stdout.endsWith(`✖ bob: 1 session(s) ended\n    DELETE /api/v2/users/${BOB.id}/keys/{keyid} answered HTTP 500: Internal error deleting API key.: session ***: boom\n`), run.stdout);
        assert.ok(!run.stdout.includes(OWNER_TOKEN) && !run.stdout.includes("bobKey0002"));
      } finally {
        failing.clear();
      }
    });

    it("a token Coder refuses: exit 2 before anything is ended, the echoed token masked", async () => {
      requests.length = 0;
      const wrong = "WrongKeyId-wrongSecret456";
      const run = await withDb([BOB]).sessions("--pg-url", PG_URL, "--sign-out", "--coder-url", url, "--coder-token", wrong, "-f", "json");
      assert.equal(run.code, 2);
      assert.deepEqual(requests, ["GET /api/v2/users/me"]);
      assert.equal((JSON.parse(run.stdout) as { error: { message: string } }).error.message, `GET ${url}/api/v2/users/me answered HTTP 401: You are signed out or your session has expired. ` +
        `Please sign in again to continue.: API key "***" is invalid. (give an owner's token: --coder-token or CODER_SESSION_TOKEN)`);
      assert.ok(!run.stdout.includes(wrong) && !run.stderr.includes(wrong));
    });
  });
});

describe("coder-oidc sessions as a process (cli/sessions/index.ts)", () => {
  it("an unreachable database: exit 2 and one masked line on stderr, nothing on stdout", async () => {
    const closed = createTcpServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const root = join(__dirname, "..", "..", "..");
    const run = await new Promise<{ status: number; stdout: string; stderr: string }>((done) => {
      execFile(process.execPath, ["--import", "tsx", join(root, "cli/sessions/index.ts")], {
        cwd: root, encoding: "utf8", env: { ...process.env, CODER_PG_CONNECTION_URL: `postgresql://coder:${PASSWORD}@127.0.0.1:${port}/coder` },
      }, (err, stdout, stderr) => done({ status: err ? Number(err.code) : 0, stdout, stderr }));
    });
    assert.deepEqual(run, { status: 2, stdout: "",
      stderr: `error: cannot connect to Coder's database at postgresql://***@127.0.0.1:${port}/coder: connect ECONNREFUSED 127.0.0.1:${port}\n` });
  });
});
