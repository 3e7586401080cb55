/**
 * `doctor` on the log a real Coder v2.30.0 wrote during the e2e's negative control (test/fixtures), on the
 * response Coder sent, and on each signature's strings as Coder's source writes them.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, it } from "node:test";
import { diagnose, parseLogLine, SIGNATURES } from "../../cli/doctor-core";

const ROOT = resolve(__dirname, "../..");
const REAL_LOG = readFileSync(join(ROOT, "test/fixtures/coder-v2.30.0-negative-control.jsonl"), "utf8");
/** What Coder v2.30.0 answered the refused request in the same run. */
const REAL_RESPONSE = '{"message":"Could not refresh expired OpenID Connect token. Try re-authenticating to resolve this issue.","detail":"oauth2: \\"invalid_grant\\" \\"Token is not active\\""}';

function runDoctor(args: string[], input?: string): Promise<{ status: number; stdout: string }> {
  return new Promise((done) => {
    const child = execFile(process.execPath, ["--import", "tsx", join(ROOT, "cli/doctor.ts"), ...args], { cwd: ROOT, encoding: "utf8" },
      (err, stdout) => done({ status: err ? Number(err.code) : 0, stdout }));
    child.stdin?.end(input ?? "");
  });
}

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
  it("through the command: exit 1 with the cause, JSON on request, 0 on a clean log, 2 on a missing file", async () => {
    const text = await runDoctor(["--coder-log", "-"], REAL_LOG);
    assert.equal(text.status, 1);
    assert.match(text.stdout, /Coder refused an API request with 401: 1 time/);
    assert.match(text.stdout, /requests: \/api\/v2\/users\/me ×1/);
    const json = await runDoctor(["--coder-log", join(ROOT, "test/fixtures/coder-v2.30.0-negative-control.jsonl"), "--format", "json"]);
    assert.equal((JSON.parse(json.stdout) as { diagnoses: { id: string }[] }).diagnoses[0].id, "session-refused");
    assert.equal((await runDoctor(["--coder-log", "-"], '{"ts":"2026-12-01T12:00:00Z","msg":"GET","fields":{"path":"/api/v2/users/me","status_code":200}}\n')).status, 0);
    assert.equal((await runDoctor(["--coder-log", "/nonexistent/coder.log"])).status, 2);
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
  it("matches no string from the docs that Coder's code does not write", () => {
    assert.deepEqual(diagnose("failed to renew OIDC token: token has expired\n"), []);
    assert.equal(SIGNATURES.length, 5);
  });
});
