/** `coder-oidc doctor` (cli/doctor/index.ts) in this process: its arguments, its output in each format, its exit codes. */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { Readable } from "node:stream";
import { gzipSync } from "node:zlib";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { runDoctor } from "../../../cli/doctor";
import { diagnose, renderDiagnoses } from "../../../cli/doctor/core";
import { recordingStreams, runInProcess } from "../../support/in-process";

describe("coder-oidc doctor", () => {
  let dir: string;
  let failing: string;
  let clean: string;
  const FAILING_LOG = '{"ts":"2026-12-01T12:00:00Z","level":"ERROR","msg":"oauth2: login failed","fields":{"user":"carol"}}\n';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "coder-oidc-doctor-"));
    failing = join(dir, "failing.log");
    clean = join(dir, "clean.log");
    writeFileSync(failing, FAILING_LOG);
    writeFileSync(clean, '{"ts":"2026-12-01T12:00:00Z","level":"DEBUG","msg":"GET","fields":{"path":"/api/v2/users/me","status_code":200}}\n');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));
  const doctor = (...argv: string[]) => runInProcess(runDoctor, argv);

  it("failures found: exit 1, each with its cause and fix", async () => {
    assert.deepEqual(await doctor("--coder-log", failing), { code: 1, stdout: renderDiagnoses(diagnose(FAILING_LOG)), stderr: "" });
    assert.match((await doctor("--coder-log", failing)).stdout, /^✖ An OIDC login failed: 1 time, 2026-12-01T12:00:00Z … 2026-12-01T12:00:00Z \(lines 1\)\n {2}users: carol ×1\n/);
  });

  it("--format json: the diagnoses, as JSON", async () => {
    const run = await doctor("--coder-log", failing, "--format", "json");
    assert.equal(run.code, 1);
    assert.equal(run.stdout, JSON.stringify({ diagnoses: diagnose(FAILING_LOG) }, null, 2) + "\n");
    assert.deepEqual((JSON.parse(run.stdout) as { diagnoses: { id: string }[] }).diagnoses.map((d) => d.id), ["login-failed"]);
    assert.deepEqual(await doctor("-f", "json", "--coder-log", clean), { code: 0, stdout: '{\n  "diagnoses": []\n}\n', stderr: "" });
  });

  it("a clean log: exit 0, saying so", async () => {
    assert.deepEqual(await doctor("--coder-log", clean), { code: 0, stdout: "No refresh or login failure found in the log.\n", stderr: "" });
  });

  it("a log it cannot read: exit 2, naming the file and why", async () => {
    const missing = join(dir, "absent.log");
    assert.deepEqual(await doctor("--coder-log", missing),
      { code: 2, stdout: "", stderr: `error: Cannot read --coder-log ${missing}: it does not exist\n` });
    assert.deepEqual(await doctor("--coder-log", dir),
      { code: 2, stdout: "", stderr: `error: Cannot read --coder-log ${dir}: it is a folder, not a file\n` });
  });

  it("bad arguments: exit 2 with commander's message; --help and --version: exit 0", async () => {
    assert.deepEqual(await doctor(), { code: 2, stdout: "", stderr: "error: required option '--coder-log <file>' not specified\n" });
    const format = await doctor("--coder-log", clean, "--format", "yaml");
    assert.equal(format.code, 2);
    assert.match(format.stderr, /^error: option '-f, --format <format>' argument 'yaml' is invalid\. Allowed choices are text, json\.\n$/);
    // Commander wraps at 80 columns when stdout is not a terminal, as here.
    assert.deepEqual(await doctor("--help"), { code: 0, stderr: "", stdout: [
      "Usage: coder-oidc doctor [options]",
      "",
      "Names the cause and fix of each OIDC refresh or login failure in a Coder server",
      "log",
      "",
      "Options:",
      "  --coder-log <file>     Coder's server log; - for standard input",
      '  -f, --format <format>  output format (choices: "text", "json", default:',
      '                         "text")',
      "  -V, --version          output the version number",
      "  -h, --help             display help for command",
      "",
    ].join("\n") });
    assert.match((await doctor("--version")).stdout, /^\d+\.\d+\.\d+/);
  });
});

describe("doctor on input that is not a Coder log, and on logs of any size (class 6)", () => {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), "coder-oidc-doctor-input-"))));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, content: string | Buffer) => {
    const target = join(dir, name);
    writeFileSync(target, content);
    return target;
  };
  const doctor = (...argv: string[]) => runInProcess(runDoctor, argv);

  it("empty, blank, binary, gzip- or zstd-compressed input: says what it is, exit 2, never \"no failure found\"", async () => {
    const cases: [string, string | Buffer, RegExp][] = [
      ["empty.log", "", /it is empty/],
      ["blank.log", "\n  \n\t\n", /it is empty/],
      ["binary.log", Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x00, 0x00]), /binary/],
      ["latin1.log", Buffer.from("caf\xe9 [info]\n", "latin1"), /not UTF-8/],
      ["coder.log.gz", gzipSync(Buffer.from('{"ts":"2026-12-01T12:00:00Z","level":"ERROR","msg":"oauth2: login failed"}\n')), /gzip-compressed: decompress it first \(zcat/],
      ["coder.log.zst", Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x04, 0x00]), /zstd-compressed/],
      ["notes.txt", "Dear diary,\nnothing about Coder here.\n", /no line of it is in Coder's log format/],
    ];
    for (const [name, content, why] of cases) {
      const text = await doctor("--coder-log", file(name, content));
      assert.equal(text.code, 2, name);
      assert.equal(text.stdout, "", name);
      assert.match(text.stderr, why, name);
      assert.doesNotMatch(text.stderr, /No refresh or login failure/, name);
      const json = await doctor("--coder-log", file(name, content), "--format", "json");
      assert.equal(json.code, 2, name);
      const error = (JSON.parse(json.stdout) as { error: { code: string; message: string; exitCode: number } }).error;
      assert.equal(error.exitCode, 2, name);
      assert.match(error.message, why, name);
    }
  });

  it("a FIFO or a device is refused before it is read (no hang), with the way to stream: --coder-log -", async () => {
    const fifo = join(dir, "log.fifo");
    execFileSync("mkfifo", [fifo]);
    for (const target of [fifo, "/dev/zero"]) {
      const run = await doctor("--coder-log", target);
      assert.equal(run.code, 2, target);
      assert.match(run.stderr, /not a regular file \(to read a stream, use a command that takes - for standard input\)/, target);
    }
  });

  it("reads standard input as a stream", async () => {
    const { streams, written } = recordingStreams();
    const code = await runDoctor(["--coder-log", "-"], streams, Readable.from([Buffer.from(OIDC_401.slice(0, 40)), Buffer.from(OIDC_401.slice(40) + "\n")]));
    assert.equal(code, 1);
    assert.match(written().stdout, /Coder refused an API request with 401: 1 time/);
  });

  it("a log of many megabytes, and a line far longer than any of Coder's, are read in a stream, counting every failure", async () => {
    const lines = function* () {
      yield Buffer.from("x".repeat(5 * 1024 * 1024) + "\n");
      for (let i = 0; i < 20_000; i++) yield Buffer.from(OIDC_401 + "\n" + HEALTHZ + "\n");
    };
    const { streams, written } = recordingStreams();
    const code = await runDoctor(["--coder-log", "-", "--format", "json"], streams, Readable.from(lines()));
    assert.equal(code, 1);
    const [d] = (JSON.parse(written().stdout) as { diagnoses: { id: string; count: number; lines: number[] }[] }).diagnoses;
    assert.equal(d.id, "session-refused");
    assert.equal(d.count, 20_000);
    assert.equal(d.lines[0], 2, "the long first line counts as one line");
  });

  it("counts only 401s an OIDC session can get: not an agent's, a provisioner's, a proxy's or the password login's", () => {
    const at = (path: string) => `{"ts":"2026-12-01T12:00:00Z","level":"DEBUG","msg":"GET","fields":{"path":"${path}","status_code":401}}`;
    for (const path of ["/api/v2/workspaceagents/me/manifest", "/api/v2/provisionerdaemons/serve", "/api/v2/workspaceproxies/me/register", "/api/v2/users/login"]) {
      assert.deepEqual(diagnose(at(path)), [], path);
    }
    assert.deepEqual(diagnose(at("/api/v2/users/me")).map((d) => d.id), ["session-refused"]);
    assert.deepEqual(diagnose(at("/api/v2/workspaceagents/abc/listening-ports")).map((d) => d.id), ["session-refused"]);
  });

  it("invalid_client (a secret rotated at the IdP, not in Coder): its own cause and fix, at a refresh and at a login", () => {
    // golang.org/x/oauth2's RetrieveError text, in the detail of Coder v2.30.0's answers (escaped in a JSON line).
    const refresh = '{"message":"Could not refresh expired OpenID Connect token. Try re-authenticating to resolve this issue.","detail":"oauth2: \\"invalid_client\\" \\"Invalid client or Invalid client credentials\\""}';
    const login = '2026-12-01T12:00:00Z proxy: 400 GET /api/v2/users/oidc/callback body={"message":"Failed exchanging Oauth code.","detail":"oauth2: \\"invalid_client\\" \\"Client authentication failed\\""}';
    for (const line of [refresh, login]) {
      const [d, ...rest] = diagnose(line);
      assert.deepEqual(rest, []);
      assert.equal(d.id, "invalid-client");
      assert.match(d.fix, /CODER_OIDC_CLIENT_SECRET/);
      assert.match(d.fix, /rotated/);
    }
    assert.deepEqual(diagnose('{"detail":"oauth2: \\"invalid_grant\\" \\"Token is not active\\"","message":"Could not refresh expired OpenID Connect token."}').map((d) => d.id), ["refresh-failed"]);
  });

  it("shows users and paths from the log escaped and capped", async () => {
    const user = "\u202Eevil" + "u".repeat(300);
    const log = file("hostile.log", `{"ts":"2026-12-01T12:00:00Z","level":"ERROR","msg":"oauth2: login failed","fields":{"user":${JSON.stringify(user)}}}\n`);
    const run = await doctor("--coder-log", log);
    assert.equal(run.code, 1);
    assert.ok(!run.stdout.includes("\u202E"));
    assert.match(run.stdout, /users: \\u\{202E\}evilu+… \(305 characters\) ×1/);
  });
});

const OIDC_401 = '{"ts":"2026-12-01T12:58:25Z","level":"DEBUG","msg":"GET","fields":{"path":"/api/v2/users/me","status_code":401,"requestor_name":"bob"}}';
const HEALTHZ = '{"ts":"2026-12-01T12:58:25Z","level":"DEBUG","msg":"GET","fields":{"path":"/healthz","status_code":200}}';
