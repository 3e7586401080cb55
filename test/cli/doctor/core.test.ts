/**
 * `doctor` on the log a real Coder v2.30.0 wrote during the e2e's negative control (test/fixtures), on the
 * response Coder sent, and on each signature's strings as Coder's source writes them.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, it } from "node:test";
import { diagnose, isCoderLogLine, LogDiagnoser, MAX_DISTINCT_KEYS, parseLogLine, renderDiagnoses, SIGNATURES } from "../../../cli/doctor/core";

const ROOT = resolve(__dirname, "../../..");
const REAL_LOG = readFileSync(join(ROOT, "test/fixtures/coder-v2.30.0-negative-control.jsonl"), "utf8");
/** What Coder v2.30.0 answered the refused request in the same run. */
const REAL_RESPONSE = '{"message":"Could not refresh expired OpenID Connect token. Try re-authenticating to resolve this issue.","detail":"oauth2: \\"invalid_grant\\" \\"Token is not active\\""}';

describe("doctor on the e2e's real Coder log", () => {
  it("finds the request Coder refused with 401 after the IdP token expired, on its path and hour", () => {
    const [refused, ...rest] = diagnose(REAL_LOG);
    assert.deepEqual(rest, [], "nothing else in that log is a failure (the logins succeeded)");
    assert.equal(refused.id, "session-refused");
    assert.equal(refused.count, 1);
    assert.deepEqual(refused.paths, { "/api/v2/users/me": 1 });
    assert.deepEqual(Object.keys(refused.hours), ["2026-12-01T12"]);
  });
  it("names the refresh failure and its cause from the response Coder sent", () => {
    const [d] = diagnose(`2026-12-01T12:58:25Z proxy: 401 GET /api/v2/users/me user=bob body=${REAL_RESPONSE}\n`);
    assert.equal(d.id, "refresh-failed");
    assert.deepEqual(d.users, { bob: 1 });
    assert.match(d.fix, /offline_access/);
    assert.match(d.fix, /refreshIdleTimeout/);
  });
});

describe("doctor's signatures, as Coder v2.30.0's source writes them", () => {
  const cases: [string, string][] = [
    ["refresh-failed", '{"message":"Could not refresh expired OpenID Connect token. Try re-authenticating to resolve this issue."}'],
    ["no-refresh-token", '{"message":"You are signed out or your session has expired. Please sign in again to continue.","detail":"OpenID Connect session expired at \\"2026-12-01 12:00:00 +0000 UTC\\". Try signing in again."}'],
    ["no-user-link", '{"message":"You are signed out or your session has expired. Please sign in again to continue.","detail":"You must re-authenticate with the login provider."}'],
    ["login-failed", '{"ts":"2026-12-01T12:00:00Z","level":"ERROR","msg":"oauth2: login failed","fields":{"user":"carol","error":"email domain not allowed"}}'],
    ["session-refused", "2026-12-01 12:00:00.000 [debu]  coderd: GET  path=/api/v2/workspaces status_code=401 request_id=x"],
  ];
  for (const [id, line] of cases) {
    it(`recognises ${id}`, () => {
      assert.deepEqual(diagnose(line).map((d) => d.id), [id]);
    });
  }
  it("counts a line once, for its most specific signature", () => {
    const line = `{"ts":"2026-12-01T12:00:00Z","msg":"GET","fields":{"path":"/api/v2/users/me","status_code":401,"body":${JSON.stringify(REAL_RESPONSE)}}}`;
    assert.deepEqual(diagnose(line).map((d) => [d.id, d.count]), [["refresh-failed", 1]]);
  });
  it("reads the human format's fields and time", () => {
    const event = parseLogLine('2026-12-01 12:00:00.123 [erro]  coderd.userauth: oauth2: login failed  user=dave error="no email"', 3)!;
    assert.equal(event.time, "2026-12-01T12:00:00.123");
    assert.equal(event.fields.user, "dave");
    assert.equal(event.fields.error, "no email");
    assert.equal(event.message, "oauth2: login failed");
  });
  it("reads a blank line as nothing, a broken JSON line as text, and fields only where they start a word", () => {
    assert.equal(parseLogLine("", 1), undefined);
    assert.equal(parseLogLine(" \t ", 1), undefined);
    assert.deepEqual(parseLogLine('  {not json user=eve  ', 4), { line: 4, time: undefined, message: '{not json user=eve', fields: { user: "eve" }, text: "{not json user=eve" });
    assert.deepEqual(parseLogLine('{"ts":"2026-12-01T12:00:00Z"}', 2), { line: 2, time: "2026-12-01T12:00:00Z", message: "", fields: {}, text: '{"ts":"2026-12-01T12:00:00Z"}' });
    const human = parseLogLine('2026-12-01T12:00:00Z [info]  GET  a:user=no path=/api/v2/users/me note="say \\"hi\\"" status_code=401', 9)!;
    assert.deepEqual(human, {
      line: 9, time: "2026-12-01T12:00:00Z", message: "GET", fields: { path: "/api/v2/users/me", note: 'say "hi"', status_code: "401" },
      text: '2026-12-01T12:00:00Z [info]  GET  a:user=no path=/api/v2/users/me note="say \\"hi\\"" status_code=401',
    });
    assert.equal(parseLogLine("at 2026-12-01T12:00:00Z something", 1)!.time, undefined);
    assert.equal(parseLogLine("2026-12-01 12:00:00 [warn]  coderd.oidc: the words  x=1", 1)!.time, "2026-12-01T12:00:00");
    assert.equal(parseLogLine("2026-12-01 12:00:00 [warn]  coderd.oidc: the words  x=1", 1)!.message, "the words");
    assert.equal(parseLogLine("2026-12-01 12:00:00 [warn]  the words", 1)!.message, "the words");
    assert.equal(parseLogLine("2026-12-01 12:00:00 [warn] coderd:  the words", 1)!.message, "the words");
  });

  it("a 401 counts as a refused session only on the API", () => {
    const line = (path: string) => `2026-12-01 12:00:00.000 [debu]  coderd: GET  path=${path} status_code=401`;
    assert.deepEqual(diagnose(line("/api/v2/workspaces")).map((d) => d.id), ["session-refused"]);
    assert.deepEqual(diagnose(line("/login/api/v2")), []);
    assert.deepEqual(diagnose(line("/apiv2")), []);
    assert.deepEqual(diagnose("2026-12-01 12:00:00.000 [debu]  coderd: GET  status_code=401"), []);
  });

  it("names the user from the first field that has one, and keeps 20 line numbers", () => {
    const lines = Array.from({ length: 21 }, (_, i) =>
      `{"ts":"2026-12-01T${String(10 + (i % 3)).padStart(2, "0")}:00:00Z","msg":"oauth2: login failed","fields":{"user":"","username":"u${i % 2}","email":"e@x"}}`);
    const [d] = diagnose(lines.join("\n"));
    assert.equal(d.count, 21);
    assert.deepEqual(d.users, { u0: 11, u1: 10 });
    assert.deepEqual(d.lines, Array.from({ length: 20 }, (_, i) => i + 1));
    assert.deepEqual([d.first, d.last], ["2026-12-01T10:00:00Z", "2026-12-01T12:00:00Z"]);
    assert.deepEqual(d.hours, { "2026-12-01T10": 7, "2026-12-01T11": 7, "2026-12-01T12": 7 });
  });

  it("renders each diagnosis with its counts, times, lines and fix, word for word", () => {
    const log = [
      '2026-12-01T13:10:00Z proxy: 401 GET /api/v2/users/me user=bob body={"message":"Could not refresh expired OpenID Connect token. Try re-authenticating to resolve this issue."}',
      '2026-12-01T12:58:25Z proxy: 401 GET /api/v2/users/me user=bob body={"message":"Could not refresh expired OpenID Connect token."}',
      '2026-12-01T12:59:00Z proxy: 401 GET /api/v2/workspaces email=alice@example.com body={"message":"Could not refresh expired OpenID Connect token."}',
      "",
      '{"ts":"2026-12-01T12:00:00Z","level":"ERROR","msg":"oauth2: login failed","fields":{"user":"carol","error":"email domain not allowed"}}',
      '{not json, but "msg":"oauth2: unable to find linked user" quoted',
      "2026-12-01 14:00:00.000 [debu]  coderd: GET  path=/api/v2/workspaces status_code=401 request_id=x",
      '{"ts":"2026-12-01T15:00:00Z","msg":"GET","fields":{"path":"/api/v2/users/me","status_code":200}}',
      'detail: OpenID Connect session expired at "2026-12-01 12:00:00 +0000 UTC". Try signing in again. user_id=42',
      "You must re-authenticate with the login provider.",
    ].join("\n");
    assert.equal(renderDiagnoses(diagnose(log)), [
      "✖ Coder's OIDC refresh was refused by the IdP: 3 times, 2026-12-01T12:58:25Z … 2026-12-01T13:10:00Z (lines 1, 2, 3)",
      "  users: bob ×2, alice@example.com ×1",
      "  per hour: 2026-12-01T12 ×2, 2026-12-01T13 ×1",
      "  cause and fix: The refresh token expired or was revoked. Without offline_access in CODER_OIDC_SCOPES, an IdP such as Keycloak " +
        'hands out an ordinary refresh token that ends with its SSO session (the detail then reads oauth2: "invalid_grant" "Token is not ' +
        "active\"): output offline_access (coder-oidc does), and make the IdP's refresh idle timeout (coder-oidc:tokens.refreshIdleTimeout) " +
        "longer than users stay away. A rotating refresh token used by Coder's parallel refreshes fails the same way (coder/coder#25275): " +
        "keep rotation off or give it a reuse window. Affected users must log in again: `coder-oidc sessions` names those whose refresh token is bound to the IdP session.",
      "",
      "✖ Coder held no refresh token when the IdP's token expired: 1 time (lines 9)",
      "  users: 42 ×1",
      "  cause and fix: The IdP issued no refresh token at login: add offline_access to CODER_OIDC_SCOPES (for Google instead " +
        "access_type=offline and prompt=consent in CODER_OIDC_AUTH_URL_PARAMS), check the IdP's client allows the refresh grant, then " +
        "every user must log out of Coder and log in once: `coder-oidc sessions` names who still has no refresh token, and --sign-out ends their sessions.",
      "",
      "✖ Coder has no IdP login for the user: 1 time (lines 10)",
      "  users: (not in the log) ×1",
      "  cause and fix: The user's link to the IdP is gone (e.g. the login type changed): the user must log in again with OIDC.",
      "",
      "✖ An OIDC login failed: 2 times, 2026-12-01T12:00:00Z … 2026-12-01T12:00:00Z (lines 5, 6)",
      "  users: carol ×1, (not in the log) ×1",
      "  per hour: 2026-12-01T12 ×1",
      "  cause and fix: Read the error of the line: claims missing from the ID token or user info (email, sub, the username field), " +
        "an email domain not allowed, or the IdP's user info endpoint failing. Check CODER_OIDC_EMAIL_FIELD, CODER_OIDC_USERNAME_FIELD " +
        "and the IdP's client scopes.",
      "",
      "✖ Coder refused an API request with 401: 1 time, 2026-12-01T14:00:00.000 … 2026-12-01T14:00:00.000 (lines 7)",
      "  users: (not in the log) ×1",
      "  per hour: 2026-12-01T14 ×1",
      "  requests: /api/v2/workspaces ×1",
      "  cause and fix: Coder logs no reason for a refused session; its response carries it. After the IdP's access-token lifetime " +
        "this is what a failed OIDC refresh looks like: run `npx coder-oidc verify --stack <name>`, and check that users logged in " +
        "again after refresh tokens were enabled. (An expired Coder session, CODER_SESSION_DURATION, also answers 401.)",
      "",
    ].join("\n"));
    assert.equal(renderDiagnoses([]), "No refresh or login failure found in the log.\n");
  });

  it("matches no string from the docs that Coder's code does not write", () => {
    assert.deepEqual(diagnose("failed to renew OIDC token: token has expired\n"), []);
    assert.equal(SIGNATURES.length, 6);
  });
});

describe("invalid_client: its own cause, however the detail is quoted", () => {
  it("the detail as golang.org/x/oauth2 writes it (a pasted answer, the CLI), and escaped inside a JSON line", () => {
    const raw = 'oauth2: "invalid_client" "Invalid client or Invalid client credentials"';
    for (const line of [raw, JSON.stringify({ detail: raw }), `2026-12-01T12:00:00Z proxy: 401 GET /api/v2/users/me body=${JSON.stringify({ detail: raw })}`]) {
      assert.deepEqual(diagnose(line).map((d) => d.id), ["invalid-client"], line);
    }
    assert.deepEqual(diagnose('oauth2: "invalid_grant" "Token is not active"'), []);
  });
  it("renders its title and whole fix, word for word", () => {
    assert.equal(renderDiagnoses(diagnose('oauth2: "invalid_client" "Client authentication failed" user=bob')), [
      "✖ The IdP refused Coder's client credentials (invalid_client): 1 time (lines 1)",
      "  users: bob ×1",
      "  cause and fix: The client secret Coder sends is not the one the IdP holds: it was rotated (or the client recreated) at the IdP " +
        "but not in Coder. Give Coder the current secret (CODER_OIDC_CLIENT_SECRET: `npx coder-oidc env --stack <name>` after " +
        "`pulumi up`, or the Kubernetes Secret) and restart Coder; check CODER_OIDC_CLIENT_ID names the client. Until then every " +
        "refresh and every login fails; users need not log in again once Coder has the right secret, unless their refresh tokens expired meanwhile.",
      "",
    ].join("\n"));
  });
});

describe("lines that are not quite Coder's: fields, quotes and JSON values read as written", () => {
  it("a login failure quoted with more after it (a pasted answer, a human line's message) is a login failure", () => {
    for (const line of ["oauth2: unable to extract OIDC claims: email is missing", "2026-12-01 12:00:00.000 [erro]  coderd.userauth: oauth2: login failed: email domain not allowed  user=dave"]) {
      assert.deepEqual(diagnose(line).map((d) => d.id), ["login-failed"], line);
    }
  });
  it("a field at the start of a line (logfmt) is read", () => {
    const event = parseLogLine("path=/api/v2/users/me status_code=401 user=eve", 1)!;
    assert.deepEqual(event.fields, { path: "/api/v2/users/me", status_code: "401", user: "eve" });
    const [d] = diagnose("path=/api/v2/users/me status_code=401 user=eve");
    assert.deepEqual([d.id, d.users, d.paths], ["session-refused", { eve: 1 }, { "/api/v2/users/me": 1 }]);
  });
  it("a quoted value that is not valid JSON text is kept as written between its quotes; a bare value keeps its quotes", () => {
    assert.deepEqual(parseLogLine('2026-12-01 12:00:00 [erro]  x: y  error="bad \\x escape" note=say"hi" q="ok"', 1)!.fields,
      { error: "bad \\x escape", note: 'say"hi"', q: "ok" });
  });
  it("a line that is JSON but not an object is read as text", () => {
    for (const text of ['"oauth2: login failed user=eve"', "401", "[1, 2]"]) {
      const event = parseLogLine(`  ${text}  `, 5)!;
      assert.equal(event.message, text);
      assert.equal(event.text, text);
    }
    assert.deepEqual(parseLogLine('"a value" user=eve', 1)!.fields, { user: "eve" });
  });
});

describe("which lines are Coder's own log (a file with none is not a Coder log)", () => {
  const coder = [
    '{"ts":"2026-12-01T12:00:00.123456Z","level":"INFO","msg":"started"}',
    '{"ts":"2026-12-01T12:00:00Z", "level" : "ERROR", "msg":"oauth2: login failed"}',
    "2026-12-01 12:00:00.000 [info]  coderd: started",
    "2026-12-01 12:00:00 [warn]  coderd: no fraction",
    "2026-12-01T12:00:00.123Z [erro]  coderd: T and Z",
    "2026-12-01T12:00:00Z [debu]  coderd: T and Z, no fraction",
    "2026-12-01 12:00:00.123456789 [crit]  coderd: nanoseconds",
    "1999-01-09 23:59:59.5 [fata]  coderd: the last level",
  ];
  const notCoder = [
    '{"level":"INFO","msg":"no time"}',
    '{"ts":"2026-12-01T12:00:00Z","level":"INFO"}',
    '{"ts":"2026-12-01T12:00:00Z","level":"INFO","msg":""}',
    '{"ts":"2026-12-01T12:00:00Z","msg":"no level key","fields":{"kind":"level","path":"/api/v2/users/me"}}',
    '{"ts":"2026-12-01T12:00:00Z","level":"INFO","msg":"broken"',
    "proxy: 2026-12-01 12:00:00.000 [info]  coderd: a Coder line quoted further in",
    "2026-12-01 12:00:00.000 [note]  coderd: not a level",
    "2026-12-01 12:00:00.000  [info]  coderd: two spaces",
    "2026-12-01_12:00:00.000 [info]  coderd: another separator",
    "2026-12-01 12:00:00. [info]  coderd: a dot without digits",
    "2026-12-1 12:00:00 [info]  coderd: one-digit day",
    "26-12-01 12:00:00 [info]  coderd: two-digit year",
    "2026-12-01 12:0:00 [info]  coderd: one-digit minute",
    "2026-12-01 2:00:00 [info]  coderd: one-digit hour",
    "2026-12-01 12:00:0 [info]  coderd: one-digit second",
    "2026-1-01 12:00:00 [info]  coderd: one-digit month",
    "a line of text",
  ];
  it("JSON with ts, level and msg, or the human format's time and level, is Coder's", () => {
    for (const line of coder) assert.equal(isCoderLogLine(parseLogLine(line, 1)!), true, line);
  });
  it("anything else is not, even with Coder's words in it", () => {
    for (const line of notCoder) assert.equal(isCoderLogLine(parseLogLine(line, 1)!), false, line);
  });
  it("the diagnoser counts the non-blank lines and Coder's among them", () => {
    const diagnoser = new LogDiagnoser();
    const lines = [...coder, "", ...notCoder, "  ", ...coder];
    for (const line of lines) diagnoser.add(line);
    assert.equal(diagnoser.nonBlankLines, coder.length * 2 + notCoder.length);
    assert.equal(diagnoser.coderLines, coder.length * 2);
  });
});

describe("memory stays bounded: at most MAX_DISTINCT_KEYS users, hours and paths a diagnosis", () => {
  it("the users past the limit are counted under (others); users already counted go on being counted", () => {
    const extra = 5;
    const lines = Array.from({ length: MAX_DISTINCT_KEYS + extra }, (_, i) =>
      `2026-12-01 12:00:00.000 [debu]  coderd: GET  path=/api/v2/p${i} status_code=401 user=u${i}`);
    lines.push("2026-12-01 12:00:00.000 [debu]  coderd: GET  path=/api/v2/p0 status_code=401 user=u0");
    const [d] = diagnose(lines.join("\n"));
    assert.equal(d.count, MAX_DISTINCT_KEYS + extra + 1);
    for (const counts of [d.users, d.paths]) {
      assert.equal(Object.keys(counts).length, MAX_DISTINCT_KEYS + 1);
      assert.equal(counts["(others)"], extra);
      assert.equal(Object.values(counts).reduce((a, b) => a + b, 0), d.count);
    }
    assert.equal(d.users.u0, 2);
    assert.equal(d.users[`u${MAX_DISTINCT_KEYS - 1}`], 1);
    assert.equal(d.users[`u${MAX_DISTINCT_KEYS}`], undefined);
  });
});
