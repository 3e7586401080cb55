/**
 * The commands as processes, as users run them (`npx coder-oidc …`, the package's bin, and `cli/drift.ts` and
 * `cli/doctor/index.ts` run directly): help, version, exit codes over several stacks, JSON for every stack, every option
 * checked through the command, and what only a process shows (a full disk, stdin). The other test files call the
 * same commands in process, where mutation testing can count them.
 */
import assert from "node:assert/strict";
import { execFile, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import { parse } from "yaml";
import { findOnPath } from "../../engine/automation";
import type { StackDriftResult } from "../../engine/drift";
import { installFakePulumi } from "../support/fake-pulumi";

const ROOT = path.resolve(__dirname, "..", "..");
const BIN = path.join(ROOT, "bin", "coder-oidc.cjs");
const DRIFT_FIXTURES = path.join(__dirname, "..", "engine", "fixtures");
const TEMP = fs.mkdtempSync(path.join(os.tmpdir(), "coder-oidc-cli-"));
after(() => fs.rmSync(TEMP, { recursive: true, force: true }));
let count = 0;

/** Runs the bin as a user would, with no Pulumi CLI on PATH. */
function run(...args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: ROOT, encoding: "utf8", env: { ...process.env, PATH: path.dirname(process.execPath) },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A stacks folder with the given files. */
function stacks(files: Record<string, string>): string {
  const dir = path.join(TEMP, `s${count++}`);
  fs.mkdirSync(dir);
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

const GOOD = fs.readFileSync(path.join(ROOT, "stacks", "Pulumi.dev-keycloak.yaml"), "utf8");
const BAD_CONFIG = "config:\n  coder-oidc:coderUrl: https://coder.example.com\n  coder-oidc:idp: onelogin\n";
const BAD_YAML = "config:\n  coder-oidc:idp: [keycloak\n";

function noStackTrace(text: string) {
  assert.doesNotMatch(text, /\n\s+at .*\(.*:\d+:\d+\)/, "no stack trace");
}

describe("coder-oidc: help and version", () => {
  it("--help prints the commands and exits 0", () => {
    const { status, stdout } = run("--help");
    assert.equal(status, 0);
    assert.match(stdout, /^Usage: coder-oidc <command>/);
    assert.match(stdout, /\n {2}plan {2}/);
    assert.match(stdout, /\n {2}env {3}/);
  });
  it("--version prints package.json's version", () => {
    const version = (JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string }).version;
    assert.deepEqual(run("--version"), { status: 0, stdout: `${version}\n`, stderr: "" });
    assert.deepEqual(run("plan", "--version"), { status: 0, stdout: `${version}\n`, stderr: "" });
  });
  it("plan --help and env --help print their options on stdout and exit 0", () => {
    for (const command of ["plan", "env"]) {
      const { status, stdout } = run(command, "--help");
      assert.equal(status, 0, command);
      assert.match(stdout, new RegExp(`^Usage: coder-oidc ${command} \\[options\\]`));
      assert.match(stdout, /--stack/);
    }
  });
  it("no command or an unknown command exits 2 with the usage", () => {
    for (const args of [[], ["deploy"]]) {
      const { status, stderr, stdout } = run(...args);
      assert.equal(status, 2);
      assert.equal(stdout, "");
      assert.match(stderr, /Usage: coder-oidc/);
    }
  });
});

describe("coder-oidc plan: nothing passes silently", () => {
  it("--all with no stack files exits 2 and says nothing was planned", () => {
    const { status, stderr } = run("plan", "--all", "--stacks-dir", stacks({}));
    assert.equal(status, 2);
    assert.match(stderr, /found no Pulumi.<stack>.yaml .*nothing was planned/);
  });
  it("a missing stacks folder, a file as the stacks folder, a folder as a stack file: exit 2 with the reason, no trace", () => {
    const file = path.join(TEMP, `file${count++}`);
    fs.writeFileSync(file, "");
    const folderAsFile = stacks({});
    fs.mkdirSync(path.join(folderAsFile, "Pulumi.x.yaml"));
    for (const [args, reason] of [
      [["--all", "--stacks-dir", path.join(TEMP, "absent")], /it does not exist/],
      [["--all", "--stacks-dir", file], /not a folder/],
      [["--stack", "x", "--stacks-dir", folderAsFile], /it is a folder, not a file/],
    ] as const) {
      const { status, stderr } = run("plan", ...args);
      assert.equal(status, 2, stderr);
      assert.match(stderr, reason);
      noStackTrace(stderr);
    }
  });

  it("a reader that goes away (| head) is no error: no message, the command's own exit code (class 10)", () => {
    const script = `"${process.execPath}" "${BIN}" plan --all --format json 2>"$ERR" | head -c 20 >/dev/null; echo "\${PIPESTATUS[0]}"`;
    const errFile = path.join(TEMP, "epipe.err");
    const result = spawnSync("bash", ["-c", script], { cwd: ROOT, encoding: "utf8", env: { ...process.env, ERR: errFile } });
    assert.equal(result.stdout.trim(), "0");
    assert.equal(fs.readFileSync(errFile, "utf8"), "");
  });

  it("output that cannot be written (a full disk) exits 2 with the reason, no trace", () => {
    const full = fs.openSync("/dev/full", "w");
    try {
      const result = spawnSync(process.execPath, [BIN, "plan"], { cwd: ROOT, encoding: "utf8", stdio: ["ignore", full, "pipe"] });
      assert.equal(result.status, 2);
      assert.match(result.stderr, /could not write the output \(ENOSPC\)/);
      noStackTrace(result.stderr);
    } finally {
      fs.closeSync(full);
    }
  });

  it("exit codes aggregate over stacks: the highest wins, and JSON has an entry per stack, failures included", () => {
    const cases: readonly [Record<string, string>, number][] = [
      [{ "Pulumi.a.yaml": GOOD, "Pulumi.b.yaml": GOOD }, 0],
      [{ "Pulumi.a.yaml": GOOD, "Pulumi.b.yaml": BAD_CONFIG }, 1],
      [{ "Pulumi.a.yaml": BAD_CONFIG, "Pulumi.b.yaml": GOOD, "Pulumi.c.yaml": BAD_YAML }, 2],
    ];
    for (const [files, expected] of cases) {
      const dir = stacks(files);
      const text = run("plan", "--all", "--stacks-dir", dir);
      assert.equal(text.status, expected, text.stderr);
      const json = run("plan", "--all", "--format", "json", "--stacks-dir", dir);
      assert.equal(json.status, expected, json.stderr);
      const entries = JSON.parse(json.stdout) as { stack: string; error?: { code: string; exitCode: number } }[];
      assert.deepEqual(entries.map((e) => e.stack), Object.keys(files).map((f) => f.split(".")[1]));
      for (const entry of entries) {
        const file = files[`Pulumi.${entry.stack}.yaml`];
        const want = file === GOOD ? undefined : file === BAD_CONFIG ? ["ERR_PLAN_FAILED", 1] : ["ERR_STACK_FILE", 2];
        assert.deepEqual(entry.error && [entry.error.code, entry.error.exitCode], want, entry.stack);
      }
    }
  });

  it("a single failing stack in JSON is one entry with its error, and exit 1", () => {
    const { status, stdout } = run("plan", "--stack", "b", "--format", "json", "--stacks-dir", stacks({ "Pulumi.b.yaml": BAD_CONFIG }));
    assert.equal(status, 1);
    const entry = JSON.parse(stdout) as { stack: string; error: { message: string } };
    assert.equal(entry.stack, "b");
    assert.match(entry.error.message, /coder-oidc:idp: must be one of/);
  });
});

describe("coder-oidc env: every option through the command", () => {
  const dir = () => stacks({ "Pulumi.k.yaml": GOOD });

  it("--secret-name, --secret-key and --namespace reach the Secret manifest and the Helm values", () => {
    const d = dir();
    const manifest = run("env", "--stack", "k", "--stacks-dir", d, "--format", "k8s-secret", "--allow-unknown",
      "--secret-name", "oidc-prod", "--secret-key", "oidc.secret", "--namespace", "coder-prod");
    assert.equal(manifest.status, 0, manifest.stderr);
    const secret = parse(manifest.stdout) as { metadata: { name: string; namespace: string }; stringData: Record<string, string> };
    assert.deepEqual([secret.metadata.name, secret.metadata.namespace, Object.keys(secret.stringData)], ["oidc-prod", "coder-prod", ["oidc.secret"]]);
    const helm = run("env", "--stack", "k", "--stacks-dir", d, "--format", "helm", "--secret-name", "oidc-prod", "--secret-key", "oidc.secret");
    assert.equal(helm.status, 0, helm.stderr);
    const values = parse(helm.stdout) as { coder: { env: { name: string; valueFrom?: unknown }[] } };
    assert.deepEqual(values.coder.env.find((e) => e.name === "CODER_OIDC_CLIENT_SECRET")?.valueFrom,
      { secretKeyRef: { name: "oidc-prod", key: "oidc.secret" } });
  });

  it("names Kubernetes would refuse exit 2, each named", () => {
    const { status, stderr, stdout } = run("env", "--stack", "k", "--stacks-dir", dir(), "--format", "k8s-secret",
      "--secret-name", "Coder_OIDC", "--secret-key", "a/b", "--namespace", "x".repeat(64));
    assert.equal(status, 2);
    assert.equal(stdout, "");
    assert.match(stderr, /--secret-name "Coder_OIDC": Kubernetes accepts/);
    assert.match(stderr, /--secret-key "a\/b": Kubernetes accepts/);
    assert.match(stderr, /--namespace "x{64}": Kubernetes accepts 1 to 63/);
  });

  it("--stacks-dir is where the stack is read from", () => {
    const { status, stderr } = run("env", "--stack", "k", "--stacks-dir", stacks({}), "--format", "helm");
    assert.equal(status, 2);
    assert.match(stderr, /No stack "k"/);
  });

  it("--values writes the user's own values file back with the OIDC entries, and needs --format helm", () => {
    const file = path.join(TEMP, `values${count++}.yaml`);
    fs.writeFileSync(file, "# mine\ncoder:\n  env:\n    - name: CODER_ACCESS_URL # keep\n      value: https://coder.example.com\n");
    const { status, stdout, stderr } = run("env", "--stack", "k", "--stacks-dir", dir(), "--format", "helm", "--values", file);
    assert.equal(status, 0, stderr);
    assert.match(stdout, /^# mine\n/);
    assert.match(stdout, /- name: CODER_ACCESS_URL # keep\n {6}value: https:\/\/coder.example.com\n/);
    assert.match(stdout, /name: CODER_OIDC_ISSUER_URL/);
    assert.equal(run("env", "--stack", "k", "--stacks-dir", dir(), "--format", "dotenv", "--values", file).status, 2);
    assert.equal(run("env", "--stack", "k", "--stacks-dir", dir(), "--format", "helm", "--values", path.join(TEMP, "none.yaml")).status, 2);
  });

  it("shows the plan's warnings on stderr", () => {
    const { stderr } = run("env", "--stack", "k", "--stacks-dir", dir(), "--format", "helm");
    assert.match(stderr, /^warning: Keycloak realm "engineering" does not enable "Offline Session Max Limited"/m);
  });
});

describe("coder-oidc drift as a process (cli/drift.ts)", () => {
  const nodeDir = path.dirname(process.execPath);
  const drift = (args: string[], env: Record<string, string>) =>
    spawnSync(process.execPath, ["--import", "tsx", "cli/drift.ts", ...args], { cwd: ROOT, encoding: "utf8", env: { HOME: os.tmpdir(), ...env } });

  it("without the Pulumi CLI on PATH: exit 2, saying to install it", () => {
    assert.equal(findOnPath("pulumi", nodeDir), undefined, "test premise: no pulumi next to node");
    const result = drift(["--stack", "dev-keycloak"], { PATH: nodeDir });
    assert.equal(result.status, 2, result.stderr);
    assert.match(result.stdout, /could not check \(no-cli\): the Pulumi CLI is not on PATH: install it/);
  });

  it("through the Automation API: replays a hand edit as drift (exit 1), the field named with both values", () => {
    const fake = installFakePulumi();
    const log = path.join(fake, "calls.log");
    const result = drift(["--stack", "dev-keycloak", "--format", "json"], {
      PATH: `${fake}${path.delimiter}${nodeDir}`, PULUMI_FAKE_LOG: log,
      PULUMI_FAKE_EVENTS: path.join(DRIFT_FIXTURES, "drift-keycloak-hand-edit.json"), PULUMI_FAKE_EXIT: "255",
      PULUMI_FAKE_STDERR: "error: no changes were expected but changes were proposed\n",
      PULUMI_CONFIG_PASSPHRASE: "test-passphrase",
    });
    assert.equal(result.status, 1, result.stderr);
    const json = JSON.parse(result.stdout) as StackDriftResult;
    assert.equal(json.status, "drift");
    assert.deepEqual(json.resources[0].fields[0], { path: "clientOfflineSessionIdleTimeout", kind: "update", program: "2592000", live: "604800" });
    const preview = fs.readFileSync(log, "utf8").trim().split("\n").map((l) => JSON.parse(l) as string[]).find((a) => a[0] === "preview")!;
    for (const flag of ["--refresh", "--expect-no-changes", "--diff", "--stack"]) assert.ok(preview.includes(flag), `${flag} in ${preview.join(" ")}`);
  });

  it("through the Automation API: no drift is exit 0, and nothing is left in the temporary directory", () => {
    const fake = installFakePulumi();
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "coder-oidc-drift-test-"));
    try {
      const result = drift(["--stack", "dev-keycloak"], { PATH: `${fake}${path.delimiter}${nodeDir}`, PULUMI_FAKE_EVENTS: path.join(DRIFT_FIXTURES, "drift-none.json"), TMPDIR: tmp });
      assert.equal(result.status, 0, result.stderr + result.stdout);
      assert.match(result.stdout, /Stack dev-keycloak: no drift/);
      // The Automation API removes its event-log directory asynchronously, after a command would have exited.
      assert.deepEqual(fs.readdirSync(tmp).filter((name) => name.startsWith("automation-logs")), []);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  it("keeps each check's engine events with CODER_OIDC_RECORD_EVENTS, to record new fixtures", () => {
    const fake = installFakePulumi();
    const dir = path.join(fake, "recorded");
    const fixture = path.join(DRIFT_FIXTURES, "drift-none.json");
    const result = drift(["--stack", "dev-keycloak"], { PATH: `${fake}${path.delimiter}${nodeDir}`, PULUMI_FAKE_EVENTS: fixture, CODER_OIDC_RECORD_EVENTS: dir });
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(JSON.parse(fs.readFileSync(path.join(dir, "dev-keycloak.json"), "utf8")), JSON.parse(fs.readFileSync(fixture, "utf8")));
  });

  it("a missing stack and an unreachable IdP are exit 2, each saying what to fix; --all reports the worst", () => {
    const fake = installFakePulumi();
    const missing = drift(["--stack", "nope"], { PATH: `${fake}${path.delimiter}${nodeDir}`, PULUMI_FAKE_STACK_MISSING: "1" });
    assert.equal(missing.status, 2);
    assert.match(missing.stdout, /could not check \(stack-missing\): stack "nope": the stack does not exist in this backend/);
    const down = drift(["--all", "--concurrency", "2"], {
      PATH: `${fake}${path.delimiter}${nodeDir}`, PULUMI_FAKE_EVENTS: path.join(DRIFT_FIXTURES, "drift-keycloak-unreachable.json"), PULUMI_FAKE_EXIT: "255",
      PULUMI_FAKE_STDERR: "error: preview failed\n",
    });
    assert.equal(down.status, 2, down.stderr);
    assert.match(down.stdout, /could not check \(idp-unreachable\): the IdP \(or its admin API\) is unreachable/);
    assert.match(down.stdout, /\| Stack \| Result \| Resources drifted \| Detail \|/);
  });
});

describe("coder-oidc doctor as a process (cli/doctor/index.ts)", () => {
  const REAL_LOG = fs.readFileSync(path.join(ROOT, "test/fixtures/coder-v2.30.0-negative-control.jsonl"), "utf8");
  function runDoctor(args: string[], input?: string): Promise<{ status: number; stdout: string }> {
    return new Promise((done) => {
      const child = execFile(process.execPath, ["--import", "tsx", path.join(ROOT, "cli/doctor/index.ts"), ...args], { cwd: ROOT, encoding: "utf8" },
        (err, stdout) => done({ status: err ? Number(err.code) : 0, stdout }));
      child.stdin?.end(input ?? "");
    });
  }

  it("through the command: exit 1 with the cause, JSON on request, 0 on a clean log, 2 on a missing file", async () => {
    const text = await runDoctor(["--coder-log", "-"], REAL_LOG);
    assert.equal(text.status, 1);
    assert.match(text.stdout, /Coder refused an API request with 401: 1 time/);
    assert.match(text.stdout, /requests: \/api\/v2\/users\/me ×1/);
    const json = await runDoctor(["--coder-log", path.join(ROOT, "test/fixtures/coder-v2.30.0-negative-control.jsonl"), "--format", "json"]);
    assert.equal((JSON.parse(json.stdout) as { diagnoses: { id: string }[] }).diagnoses[0].id, "session-refused");
    assert.equal((await runDoctor(["--coder-log", "-"], '{"ts":"2026-12-01T12:00:00Z","level":"DEBUG","msg":"GET","fields":{"path":"/api/v2/users/me","status_code":200}}\n')).status, 0);
    assert.equal((await runDoctor(["--coder-log", "/nonexistent/coder.log"])).status, 2);
  });
});
