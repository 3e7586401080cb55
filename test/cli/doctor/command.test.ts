/** `coder-oidc doctor` (cli/doctor/index.ts) in this process: its arguments, its output in each format, its exit codes. */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { Readable } from "node:stream";
import { gzipSync } from "node:zlib";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { MAX_LINE_CHARS, readLog, runDoctor } from "../../../cli/doctor";
import { diagnose, type LogDiagnoser, renderDiagnoses } from "../../../cli/doctor/core";
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

  it("empty, blank, binary, compressed or archived input: says what it is, exit 2, never \"no failure found\"", async () => {
    const decompress = (format: string, tool: string) => `it is ${format}-compressed: decompress it first (${tool} <file> | coder-oidc doctor --coder-log -)`;
    const notCoders = "no line of it is in Coder's log format (JSON with ts, level and msg; or `2026-01-01 12:00:00.000 [info]  …`): is it Coder's server log?";
    const cases: [string, string | Buffer, string][] = [
      ["empty.log", "", "it is empty"],
      ["blank.log", "\n  \n\t\n", "it is empty"],
      ["elf.log", Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x00, 0x00]), "it is binary (it holds NUL bytes), not a text log"],
      ["latin1.log", Buffer.from("caf\xe9 [info]\n", "latin1"), "it is binary (not UTF-8 text), not a text log"],
      ["cut.log", Buffer.concat([Buffer.from('{"ts":"2026-12-01T12:00:00Z","level":"INFO","msg":"caf'), Buffer.from([0xc3])]), "it is binary (not UTF-8 text), not a text log"],
      ["coder.log.gz", gzipSync(Buffer.from('{"ts":"2026-12-01T12:00:00Z","level":"ERROR","msg":"oauth2: login failed"}\n')), decompress("gzip", "zcat")],
      ["coder.log.zst", Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x04, 0x00]), decompress("zstd", "zstdcat")],
      ["coder.log.bz2", Buffer.from("BZh91AY&SY"), decompress("bzip2", "bzcat")],
      ["coder.log.xz", Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0x00, 0x04]), decompress("xz", "xzcat")],
      ["logs.zip", Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00]), "it is a zip archive: extract the log first"],
      // Half of gzip's magic number is no gzip: a text that starts with 0x1f, bytes that are not UTF-8 after one.
      ["unit.log", "\x1fA unit separator first\n", notCoders],
      ["mark.log", Buffer.from([0x41, 0x8b, 0x0a]), "it is binary (not UTF-8 text), not a text log"],
      ["notes.txt", "Dear diary,\nnothing about Coder here.\n", notCoders],
    ];
    for (const [name, content, why] of cases) {
      const target = file(name, content);
      const text = await doctor("--coder-log", target);
      assert.deepEqual(text, { code: 2, stdout: "", stderr: `error: doctor: cannot diagnose ${target}: ${why}\n` }, name);
      const json = await doctor("--coder-log", target, "--format", "json");
      assert.deepEqual(JSON.parse(json.stdout), { error: { code: "ERR_NOT_A_LOG", message: `doctor: cannot diagnose ${target}: ${why}`, exitCode: 2 } }, name);
      assert.equal(json.code, 2, name);
    }
  });

  it("a log it cannot open, as JSON: the error with its code", async () => {
    const missing = join(dir, "absent.log");
    assert.deepEqual(JSON.parse((await doctor("--coder-log", missing, "--format", "json")).stdout),
      { error: { code: "ERR_STACK_FILE", message: `Cannot read --coder-log ${missing}: it does not exist`, exitCode: 2 } });
  });

  it("standard input is named as such when it cannot be diagnosed", async () => {
    const { streams, written } = recordingStreams();
    assert.equal(await runDoctor(["--coder-log", "-"], streams, Readable.from([])), 2);
    assert.equal(written().stderr, "error: doctor: cannot diagnose standard input: it is empty\n");
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

describe("readLog: the lines of a log as it streams", () => {
  /** The lines `readLog` hands the diagnoser for `chunks`. */
  async function linesOf(chunks: (string | Buffer)[]): Promise<string[]> {
    const lines: string[] = [];
    await readLog(Readable.from(chunks), { add: (line: string) => lines.push(line) } as unknown as LogDiagnoser);
    return lines;
  }

  it("cuts a line longer than the bound, skips the rest of it, and goes on at the next line", async () => {
    const over = MAX_LINE_CHARS + 10;
    assert.deepEqual(await linesOf(["x".repeat(over), "y".repeat(over), "\n", `${OIDC_401}\n`]), ["x".repeat(MAX_LINE_CHARS), OIDC_401]);
    assert.deepEqual(await linesOf(["x".repeat(over), `${OIDC_401}\n`, `${HEALTHZ}\n`]), ["x".repeat(MAX_LINE_CHARS), HEALTHZ]);
    assert.deepEqual(await linesOf(["x".repeat(over)]), ["x".repeat(MAX_LINE_CHARS)]);
    assert.deepEqual(await linesOf(["x".repeat(MAX_LINE_CHARS), "\n", "next\n"]), ["x".repeat(MAX_LINE_CHARS), "next"]);
  });

  it("a last line without a line break is a line; a final line break adds none", async () => {
    assert.deepEqual(await linesOf(["one\ntw", "o"]), ["one", "two"]);
    assert.deepEqual(await linesOf(["one\n"]), ["one"]);
  });

  it("reads text chunks as well as bytes, and a character split between chunks", async () => {
    assert.deepEqual(await linesOf(["a 0 line\n", "b\n"]), ["a 0 line", "b"]);
    assert.deepEqual(await linesOf([Buffer.from("caf\xc3", "latin1"), Buffer.from("\xa9\n", "latin1")]), ["café"]);
  });

  it("looks for a compressed format in the first bytes only", async () => {
    assert.deepEqual(await linesOf([`${HEALTHZ}\n`, "BZh is a word here\n"]), [HEALTHZ, "BZh is a word here"]);
  });
});

describe("doctor: what it diagnoses, and the streams it was given", () => {
  it("diagnoses a pasted answer even when no line is in Coder's own format", async () => {
    const dir = mkdtempSync(join(tmpdir(), "coder-oidc-doctor-pasted-"));
    try {
      const log = join(dir, "pasted.log");
      writeFileSync(log, '2026-12-01T12:00:00Z proxy: 400 GET /api/v2/users/oidc/callback body={"message":"Failed exchanging Oauth code.",' +
        '"detail":"oauth2: \\"invalid_client\\" \\"Client authentication failed\\""}\n');
      const run = await runInProcess(runDoctor, ["--coder-log", log]);
      assert.equal(run.code, 1, run.stderr);
      assert.match(run.stdout, /CODER_OIDC_CLIENT_SECRET/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("leaves standard input open, and closes a file it gave up on", async () => {
    // Standard input as a bare stream of chunks, which says whether anything closed it.
    let destroyed = false;
    const stdin = { async *[Symbol.asyncIterator]() {
      yield Buffer.from(`${OIDC_401}\n`);
    }, destroy: () => (destroyed = true) } as unknown as NodeJS.ReadableStream;
    assert.equal(await runDoctor(["--coder-log", "-"], recordingStreams().streams, stdin), 1);
    assert.equal(destroyed, false);
    const dir = mkdtempSync(join(tmpdir(), "coder-oidc-doctor-fd-"));
    try {
      const log = join(dir, "coder.log.gz");
      // Far more than one read: the file is still open when doctor gives up after its first bytes.
      writeFileSync(log, Buffer.concat([Buffer.from([0x1f, 0x8b]), randomBytes(1 << 20)]));
      const open = () => readdirSync("/proc/self/fd").length;
      const before = open();
      assert.equal(await runDoctor(["--coder-log", log], recordingStreams().streams), 2);
      // Closing a descriptor is asynchronous: wait for it, up to a second.
      for (let i = 0; i < 100 && open() > before; i++) await new Promise((resolve) => setTimeout(resolve, 10));
      assert.equal(open(), before);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
