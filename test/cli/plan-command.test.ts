/**
 * `coder-oidc plan` (cli/plan.ts) in this process, at its edges: what each refusal says, the exit code over
 * several stacks (the worst), a failing stack's JSON entry, and that a failed stack does not stop the others.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import { runPlan } from "../../cli/plan";
import { STACKS_DIR } from "../../engine/stack-file";
import { assertHelpLists, runInProcess } from "../support/in-process";
import { registerIdp } from "../../idps/registry";
import { fakeIdp } from "../fixtures/idps/fake";

const TEMP = fs.mkdtempSync(path.join(os.tmpdir(), "coder-oidc-plan-command-"));
after(() => fs.rmSync(TEMP, { recursive: true, force: true }));
const GOOD = fs.readFileSync(path.join(__dirname, "../../stacks/Pulumi.dev-keycloak.yaml"), "utf8");

function stacksDir(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(TEMP, "s-"));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}
const plan = (...argv: string[]) => runInProcess(runPlan, argv);

// First in this file: it changes the working directory for a moment. A mutation run stops the file at its first
// failing test, with a signal that lands a moment later, and its runner then writes its results to the working
// directory; no test before this one may fail while it runs.
describe("coder-oidc plan reads files the stack names relative to the project root", () => {
  it("plans the PingFederate example (its CA is certs/…, relative to the project) from any working directory", async () => {
    const before = process.cwd();
    let result: Awaited<ReturnType<typeof plan>>;
    try {
      process.chdir(TEMP);
      result = await plan("--stack", "prod-pingfederate", "--format", "json");
    } finally {
      process.chdir(before);
    }
    assert.equal(result.code, 0, result.stderr);
    const entry = JSON.parse(result.stdout) as { resources: { type: string; inputs: Record<string, unknown> }[] };
    const client = entry.resources.find((r) => r.type === "pulumi-nodejs:dynamic/pingfederate:OAuthClient");
    const pem = fs.readFileSync(path.join(__dirname, "../../certs/pingfederate-admin-ca.pem"), "utf8");
    // The plan shows the PEM the provider will trust (read from the file), summarized to one line.
    assert.match(String(client?.inputs.caCertificate), /^\(PEM: 1 certificate, sha256 [0-9a-f]{16}\)$/);
    assert.ok(String(client?.inputs.caCertificate).includes(createHash("sha256").update(pem).digest("hex").slice(0, 16)));
  });
});

describe("coder-oidc plan refuses", () => {
  it("--stack with --all", async () => {
    assert.deepEqual(await plan("--stack", "dev-keycloak", "--all"), { code: 2, stdout: "", stderr: "error: --stack and --all exclude each other\n" });
  });

  it("--format markdown without --diff", async () => {
    assert.deepEqual(await plan("--format", "markdown"), { code: 2, stdout: "", stderr: "error: --format markdown goes with --diff <ref>\n" });
  });

  it("--all on a folder without stack files, or one it cannot list", async () => {
    const empty = stacksDir({ "Pulumi.yaml": "name: x\n", "README.md": "" });
    assert.deepEqual(await plan("--all", "--stacks-dir", empty),
      { code: 2, stdout: "", stderr: `error: --all found no Pulumi.<stack>.yaml in ${empty}: nothing was planned\n` });
    const absent = path.join(TEMP, "absent");
    const listed = await plan("--all", "--stacks-dir", absent);
    assert.equal(listed.code, 2);
    assert.equal(listed.stdout, "");
    assert.match(listed.stderr, /^error: Cannot list the stacks folder .*absent: /);
  });
});

describe("coder-oidc plan output", () => {
  it("ends each stack's text with a blank line, and JSON with a newline", async () => {
    const text = await plan("--stack", "dev-keycloak");
    assert.ok(text.stdout.endsWith("\nPolicies (6 applied): pass\n\n"), text.stdout.slice(-80));
    assert.equal(text.stdout.indexOf("\n\n\n"), -1);
    const json = await plan("--stack", "dev-keycloak", "--format", "json");
    assert.ok(json.stdout.endsWith("}\n") && !json.stdout.endsWith("\n\n"));
  });
});

describe("coder-oidc plan --help", () => {
  it("lists every option with what it does, and exits 0", async () => {
    await assertHelpLists(runPlan, [
      "Usage: coder-oidc plan [options] Offline plan: what a stack declares at its IdP and the Coder settings it outputs",
      "-s, --stack <name> stack to plan (stacks/Pulumi.<name>.yaml)",
      "-a, --all plan every stack in the stacks folder",
      `--stacks-dir <dir> folder of Pulumi.<stack>.yaml files (default: "${STACKS_DIR}")`,
      "--diff <ref> review diff: compare with the plans at a git ref (a temporary worktree of it)",
      '-f, --format <format> output format (markdown: with --diff) (choices: "text", "json", "markdown", default: "text")',
    ]);
  });
});

describe("coder-oidc plan --diff", () => {
  it("a fatal error with --format json is JSON on stdout too (class 10)", async () => {
    const run = await plan("--stack", "dev-keycloak", "--all", "--format", "json");
    assert.equal(run.code, 2);
    assert.deepEqual(JSON.parse(run.stdout), { error: { code: "ERR_USAGE", message: "--stack and --all exclude each other", exitCode: 2 } });
    const name = await plan("--stack", "bad name\u202E", "--format", "json");
    assert.equal(name.code, 2);
    const entry = JSON.parse(name.stdout) as { error: { code: string; message: string; exitCode: number } };
    assert.equal(entry.error.code, "ERR_STACK_FILE");
    assert.match(entry.error.message, /^"bad name\\u\{202E\}" is not a stack name/);
  });

  it("a ref git does not know: exit 2, naming it", async () => {
    const run = await plan("--all", "--diff", "no-such-ref-4d1f", "--format", "json");
    assert.equal(run.code, 2);
    const json = JSON.parse(run.stdout) as { error: { code: string; message: string; exitCode: number } };
    assert.equal(json.error.exitCode, 2);
    assert.match(json.error.message, /no-such-ref-4d1f/);
    assert.match(run.stderr, /^error: .*no-such-ref-4d1f/);
  });
});

describe("coder-oidc plan over several stacks", () => {
  const dir = stacksDir({
    "Pulumi.good.yaml": GOOD,
    "Pulumi.bad-config.yaml": "config:\n  coder-oidc:idp: keycloak\n",
    "Pulumi.bad-yaml.yaml": "config: [\n",
  });

  it("plans each, says what failed in each, and exits with the worst: 2 for a file it cannot read", async () => {
    const run = await plan("--all", "--stacks-dir", dir);
    assert.equal(run.code, 2);
    assert.match(run.stdout, /^Stack good \(idp: keycloak\)/m);
    assert.match(run.stderr, /^Stack bad-config: Invalid stack configuration:\n {2}- coder-oidc:coderUrl: is required/m);
    assert.match(run.stderr, /^Stack bad-yaml: .*is not valid YAML/m);
  });

  it("as JSON: one entry per stack, a failure with its code, message and exit code", async () => {
    const run = await plan("--all", "--stacks-dir", dir, "--format", "json");
    assert.equal(run.code, 2);
    const entries = JSON.parse(run.stdout) as { stack: string; error?: { code: string; exitCode: number; message: string } }[];
    assert.deepEqual(entries.map((e) => [e.stack, e.error?.code, e.error?.exitCode]),
      [["bad-config", "ERR_PLAN_FAILED", 1], ["bad-yaml", "ERR_STACK_FILE", 2], ["good", undefined, undefined]]);
    assert.match(entries[0].error!.message, /^Invalid stack configuration:\n {2}- coder-oidc:coderUrl: is required/);
    assert.ok(!run.stdout.includes("Stack good (idp"), "no text in JSON");
  });

  it("a config problem alone is exit 1; one stack's JSON is its entry, not a list", async () => {
    const one = stacksDir({ "Pulumi.good.yaml": GOOD, "Pulumi.bad-config.yaml": "config:\n  coder-oidc:idp: keycloak\n" });
    assert.equal((await plan("--all", "--stacks-dir", one)).code, 1);
    const single = await plan("--stack", "bad-config", "--stacks-dir", one, "--format", "json");
    assert.equal(single.code, 1);
    assert.equal((JSON.parse(single.stdout) as { stack: string }).stack, "bad-config");
    const good = await plan("-s", "good", "--stacks-dir", one, "-f", "json");
    assert.deepEqual([good.code, good.stderr, (JSON.parse(good.stdout) as { stack: string }).stack], [0, "", "good"]);
  });
});

describe("coder-oidc plan: the default stack, --help, a mandatory policy", () => {
  it("plans the README's example stack when none is named", async () => {
    const { code, stdout } = await plan();
    assert.equal(code, 0);
    assert.match(stdout, /dev-keycloak/);
    assert.deepEqual((await plan("--format", "json")).stdout, (await plan("--stack", "dev-keycloak", "--format", "json")).stdout);
  });

  it("--help prints the help alone", async () => {
    const { code, stdout, stderr } = await plan("--help");
    assert.equal(code, 0);
    assert.equal(stderr, "");
    assert.ok(stdout.startsWith("Usage: coder-oidc plan") && !stdout.includes("dev-keycloak"), stdout);
  });

  it("a stack whose plan fails a mandatory policy: exit 1, naming the stack", async () => {
    const unregister = registerIdp(fakeIdp);
    try {
      const dir = stacksDir({ "Pulumi.dev-fake.yaml": "config:\n  coder-oidc:coderUrl: https://coder.example.com\n  coder-oidc:idp: fake\n" +
        "  coder-oidc:fake:\n    tenant: acme\n    withoutRefreshGrant: true\n" });
      const { code, stdout, stderr } = await plan("--stack", "dev-fake", "--stacks-dir", dir);
      assert.equal(code, 1);
      assert.equal(stderr, "Stack dev-fake: a mandatory policy failed (see Policies); change what it names.\n");
      assert.match(stdout, /fake client .*: allow the refresh_token grant/);
    } finally {
      unregister();
    }
  });
});
