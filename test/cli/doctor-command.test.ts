/** `coder-oidc doctor` (cli/doctor.ts) in this process: its arguments, its output in each format, its exit codes. */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { runDoctor } from "../../cli/doctor";
import { diagnose, renderDiagnoses } from "../../cli/doctor-core";
import { runInProcess } from "../support/in-process";

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
    writeFileSync(clean, '{"ts":"2026-12-01T12:00:00Z","msg":"GET","fields":{"path":"/api/v2/users/me","status_code":200}}\n');
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
      { code: 2, stdout: "", stderr: `doctor: cannot read ${missing}: ENOENT: no such file or directory, open '${missing}'\n` });
    assert.deepEqual(await doctor("--coder-log", dir),
      { code: 2, stdout: "", stderr: `doctor: cannot read ${dir}: EISDIR: illegal operation on a directory, read\n` });
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
