/**
 * `coder-oidc drift` (cli/drift.ts) in this process, through the real Automation API and the stand-in CLI of
 * test/support/fake-pulumi.ts: one stack or all, each format, the exit code of the worst stack, and every
 * argument it refuses. test/engine/drift.test.ts runs it as a process.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import nodeFs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { PROJECT_ROOT } from "../../engine/automation";
import { runDrift } from "../../cli/drift";
import type { StackDriftResult } from "../../engine/drift";
import { installFakePulumi } from "../support/fake-pulumi";
import { assertHelpLists, runInProcess } from "../support/in-process";

const FIXTURES = path.join(__dirname, "..", "engine", "fixtures");
const NODE_DIR = path.dirname(process.execPath);
const REFUSED = "error: no changes were expected but changes were proposed\n";

describe("coder-oidc drift", () => {
  let fake: string;
  let stacksDir: string;
  before(() => {
    fake = installFakePulumi();
    stacksDir = fs.mkdtempSync(path.join(os.tmpdir(), "coder-oidc-drift-stacks-"));
    for (const name of ["Pulumi.alpha.yaml", "Pulumi.beta.yaml", "Pulumi.yaml", "notes.txt"]) fs.writeFileSync(path.join(stacksDir, name), "config: {}\n");
  });
  after(() => fs.rmSync(stacksDir, { recursive: true, force: true }));

  /** Runs drift with the stand-in CLI on PATH and its switches in the environment, then puts the environment back. */
  async function drift(env: Record<string, string>, ...argv: string[]) {
    const saved = { ...process.env };
    Object.assign(process.env, { PATH: `${fake}${path.delimiter}${NODE_DIR}`, ...env });
    try {
      return await runInProcess(runDrift, argv);
    } finally {
      for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
      Object.assign(process.env, saved);
    }
  }
  const none = { PULUMI_FAKE_EVENTS: path.join(FIXTURES, "drift-none.json") };
  const edited = { PULUMI_FAKE_EVENTS: path.join(FIXTURES, "drift-keycloak-hand-edit.json"), PULUMI_FAKE_EXIT: "255", PULUMI_FAKE_STDERR: REFUSED };
  const down = { PULUMI_FAKE_EVENTS: path.join(FIXTURES, "drift-keycloak-unreachable.json"), PULUMI_FAKE_EXIT: "255", PULUMI_FAKE_STDERR: "error: preview failed\n" };

  it("one stack without drift: exit 0, one line", async () => {
    assert.deepEqual(await drift(none, "--stack", "dev-keycloak"), { code: 0, stdout: "Stack dev-keycloak: no drift: the IdP matches the program.\n", stderr: "" });
  });

  it("one stack with drift: exit 1, each field with both values; as JSON, the stack's result alone", async () => {
    assert.deepEqual(await drift(edited, "-s", "dev-keycloak"), { code: 1, stderr: "", stdout: [
      "Stack dev-keycloak: DRIFT in 1 resource(s); pulumi up --refresh restores the program's values:",
      "  ~ keycloak:openid/client:Client coder-client (update)",
      "      clientOfflineSessionIdleTimeout: program 2592000, live 604800",
      "      validRedirectUris[1]: program (unset), live https://evil.example.com/*",
      "",
    ].join("\n") });
    const json = await drift(edited, "--stack", "dev-keycloak", "--format", "json");
    assert.equal(json.code, 1);
    const result = JSON.parse(json.stdout) as StackDriftResult;
    assert.equal(result.stack, "dev-keycloak");
    assert.equal(result.status, "drift");
    assert.deepEqual(result.resources[0].fields[0], { path: "clientOfflineSessionIdleTimeout", kind: "update", program: "2592000", live: "604800" });
  });

  it("--all: every stack file of the folder, then a summary; the exit code of the worst", async () => {
    const text = await drift(down, "--all", "--stacks-dir", stacksDir, "--concurrency", "1");
    assert.equal(text.code, 2);
    const lines = text.stdout.split("\n");
    assert.match(lines[0], /^Stack alpha: could not check \(idp-unreachable\): /);
    assert.match(lines[1], /^Stack beta: could not check \(idp-unreachable\): /);
    assert.equal(lines[2], "");
    assert.match(text.stdout, /\| Stack \| Result \| Resources drifted \| Detail \|\n/);
    assert.match(text.stdout, /\| alpha \| could not check \| 0 \| idp-unreachable: /);
    const json = await drift(none, "-a", "--stacks-dir", stacksDir, "-f", "json");
    assert.equal(json.code, 0);
    const all = JSON.parse(json.stdout) as { exitCode: number; stacks: StackDriftResult[] };
    assert.equal(all.exitCode, 0);
    assert.deepEqual(all.stacks.map((s) => [s.stack, s.status]), [["alpha", "no-drift"], ["beta", "no-drift"]]);
    assert.ok(!json.stdout.includes("| Stack |"), "no table in JSON");
    assert.ok(json.stdout.endsWith("}\n"), "one JSON document, ending its line");
  });

  it("leaves TMPDIR as it was, and nothing of its own in the temporary directory", async (t) => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "coder-oidc-drift-tmp-"));
    try {
      let during: string | undefined;
      const saved = process.env.TMPDIR;
      process.env.TMPDIR = tmp;
      const made = t.mock.method(nodeFs, "mkdtempSync");
      try {
        assert.equal((await drift(none, "--stack", "dev-keycloak")).code, 0);
        // The check's own temporary directory, inside TMPDIR, is named after it.
        assert.ok(made.mock.calls.some((call) => call.arguments[0] === path.join(tmp, "coder-oidc-drift-")),
          made.mock.calls.map((call) => String(call.arguments[0])).join(", "));
        during = process.env.TMPDIR;
      } finally {
        if (saved === undefined) delete process.env.TMPDIR;
        else process.env.TMPDIR = saved;
      }
      assert.equal(during, tmp);
      assert.deepEqual(fs.readdirSync(tmp), []);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  it("refuses what it cannot do, with exit 2 and what to change", async () => {
    const refused = async (expected: string, ...argv: string[]) => assert.deepEqual(await drift(none, ...argv), { code: 2, stdout: "", stderr: expected });
    const which = "error: name one stack with --stack <name>, or check every stack with --all\n";
    await refused(which);
    await refused(which, "--stack", "a", "--all");
    for (const n of ["0", "-1", "1.5", "x", ""]) {
      await refused(`error: --concurrency must be a whole number of 1 or more, got "${n}"\n`, "--all", "--stacks-dir", stacksDir, "--concurrency", n);
    }
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), "coder-oidc-drift-empty-"));
    try {
      await refused(`error: no stack files (Pulumi.<stack>.yaml) in ${empty}\n`, "--all", "--stacks-dir", empty);
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
    const absent = path.join(stacksDir, "absent");
    const listing = await drift(none, "--all", "--stacks-dir", absent);
    assert.equal(listing.code, 2);
    assert.match(listing.stderr, /^error: Cannot list the stacks folder .*absent: /);
    const format = await drift(none, "--stack", "a", "--format", "yaml");
    assert.equal(format.code, 2);
    assert.match(format.stderr, /argument 'yaml' is invalid\. Allowed choices are text, json\./);
  });

  it("one CLI (class 10): a bad stack name, options --stack does not use, and JSON errors", async () => {
    const bad = await drift(none, "--stack", "../../etc/x");
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^error: "\.\.\/\.\.\/etc\/x" is not a stack name/);
    assert.deepEqual(await drift(none, "--stack", "alpha", "--concurrency", "2", "--stacks-dir", stacksDir), { code: 2, stdout: "",
      stderr: "error: --concurrency goes with --all only (one stack is one check)\n--stacks-dir goes with --all only (--stack names the stack in the backend)\n" });
    const json = await drift(none, "--format", "json");
    assert.equal(json.code, 2);
    assert.deepEqual(JSON.parse(json.stdout), { error: { code: "ERR_USAGE", message: "name one stack with --stack <name>, or check every stack with --all", exitCode: 2 } });
    const unknownOption = await drift(none, "-f", "json", "--nope");
    assert.equal(unknownOption.code, 2);
    assert.equal((JSON.parse(unknownOption.stdout) as { error: { exitCode: number } }).error.exitCode, 2);
  });

  it("--help lists every option with what it does, and exits 0", async () => {
    await assertHelpLists(runDrift, [
      "Usage: coder-oidc drift [options] Drift check: does the live IdP still match the program? (refresh-preview, nothing is changed)",
      "-s, --stack <name> stack to check",
      "-a, --all check every stack in the stacks folder",
      `--project-dir <dir> the Pulumi project (Pulumi.yaml and its stack files) (default: "${PROJECT_ROOT}")`,
      "--stacks-dir <dir> folder of Pulumi.<stack>.yaml files (for --all); default: the project's stacks/",
      '-c, --concurrency <n> stacks checked at once with --all (default: "4")',
      '-f, --format <format> output format (choices: "text", "json", default: "text")',
    ]);
  });

  /** TMPDIR right after a check that started with TMPDIR `tmpdir` (unset when undefined). */
  async function tmpdirAfterCheck(tmpdir: string | undefined): Promise<string | undefined> {
    const saved = { ...process.env };
    delete process.env.TMPDIR;
    Object.assign(process.env, { PATH: `${fake}${path.delimiter}${NODE_DIR}`, ...none }, tmpdir === undefined ? {} : { TMPDIR: tmpdir });
    try {
      assert.equal((await runInProcess(runDrift, ["--stack", "dev-keycloak"])).code, 0);
      return process.env.TMPDIR;
    } finally {
      for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
      Object.assign(process.env, saved);
    }
  }

  it("puts TMPDIR back as it was: unset, or set", async () => {
    assert.equal(await tmpdirAfterCheck(undefined), undefined);
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "coder-oidc-drift-tmp-"));
    try {
      assert.equal(await tmpdirAfterCheck(tmp), tmp);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
