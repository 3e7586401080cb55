import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import * as util from "node:util";
import fc from "fast-check";
import { parse } from "yaml";
import { DotenvValueError, EnvFormat, renderDotenv, renderEnv, shellQuote, unknownFor } from "../../../cli/env/render";
import { runEnv } from "../../../cli/env";
import { coderEnvForStack } from "../../../engine/env-source";
import { runInProcess } from "../../support/in-process";
import { DEPLOYED, DEPLOYED_SECRET } from "../../support/coder-env";
import { listStacks } from "../../../engine/stack-file";

const SECRET = DEPLOYED_SECRET;

const TEMP = fs.mkdtempSync(path.join(os.tmpdir(), "coder-oidc-env-"));
after(() => fs.rmSync(TEMP, { recursive: true, force: true }));
let tempCount = 0;

/** A new file holding `text`, in this test file's temporary folder (removed at the end). */
function tempFile(text: string): string {
  const file = path.join(TEMP, `f${tempCount++}.env`);
  fs.writeFileSync(file, text);
  return file;
}

/** Sources a dotenv file in sh and reads one variable back. */
function sourced(dotenv: string, name: string): string {
  const file = tempFile(dotenv);
  const result = spawnSync("sh", ["-c", `set -a; . "$1"; printf '%s' "$${name}"`, "sh", file], { encoding: "utf8" });
  assert.equal(result.status, 0, result.stderr);
  return result.stdout;
}

/**
 * Runs `coder-oidc env <args>` in this process with `extraPath` before PATH, or PATH replaced by `onlyPath`
 * (test/cli/cli.test.ts runs the commands as processes).
 */
async function env(args: string[], extraPath?: string, onlyPath?: string) {
  const saved = process.env.PATH;
  process.env.PATH = onlyPath ?? (extraPath ? `${extraPath}${path.delimiter}${saved}` : saved);
  try {
    const { code, stdout, stderr } = await runInProcess(runEnv, args);
    return { status: code, stdout, stderr };
  } finally {
    process.env.PATH = saved;
  }
}

/** A stand-in `pulumi` on PATH that prints deployed outputs for `pulumi stack output --json --show-secrets`. */
function fakePulumi(outputs: Record<string, string>, exitCode = 0): string {
  const dir = fs.mkdtempSync(path.join(TEMP, "bin-"));
  const json = path.join(dir, "outputs.json");
  fs.writeFileSync(json, JSON.stringify(outputs));
  fs.writeFileSync(path.join(dir, "args.txt"), "");
  fs.writeFileSync(path.join(dir, "pulumi"),
    `#!/bin/sh\necho "$@" > "${dir}/args.txt"\n[ ${exitCode} -eq 0 ] || { echo "error: no stack named 'x' found" >&2; exit ${exitCode}; }\ncat "${json}"\n`,
    { mode: 0o755 });
  return dir;
}

/** The three dotenv readers Coder's deployments use, each giving `name → value` for a dotenv text. */
const READERS: Record<string, (dotenv: string) => Record<string, string> | undefined> = {
  "bash source": (dotenv) => {
    const file = tempFile(dotenv);
    const result = spawnSync("bash", ["-c", 'env -i bash -c \'set -a; source "$1"; env -0\' bash "$1"', "bash", file], { encoding: "utf8" });
    assert.equal(result.status, 0, result.stderr);
    return Object.fromEntries(result.stdout.split("\0").filter(Boolean).map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]));
  },
  "Node util.parseEnv": (dotenv) => util.parseEnv(dotenv) as Record<string, string>,
  "Node --env-file": (dotenv) => {
    const file = tempFile(dotenv);
    const result = spawnSync(process.execPath, [`--env-file=${file}`, "-e", "process.stdout.write(JSON.stringify(process.env))"], { encoding: "utf8" });
    assert.equal(result.status, 0, result.stderr);
    return JSON.parse(result.stdout) as Record<string, string>;
  },
  "python-dotenv": (dotenv) => {
    const file = tempFile(dotenv);
    const result = spawnSync("python3", ["-c", "import json,sys\nfrom dotenv import dotenv_values\nprint(json.dumps(dotenv_values(sys.argv[1])))", file], { encoding: "utf8" });
    if (result.status !== 0 && /No module named .?dotenv/.test(result.stderr)) return undefined;
    assert.equal(result.status, 0, result.stderr);
    return JSON.parse(result.stdout) as Record<string, string>;
  },
};

/** Asserts every reader reads `values` back from the dotenv text. A missing reader fails under CI=true. */
function assertReadAlike(dotenv: string, values: Record<string, string>, t: { diagnostic(message: string): void }) {
  for (const [reader, read] of Object.entries(READERS)) {
    const got = read(dotenv);
    if (got === undefined) {
      assert.notEqual(process.env.CI, "true", `${reader} is not installed: CI must install it (python3 -m pip install python-dotenv)`);
      t.diagnostic(`${reader} is not installed here: not checked (CI checks it)`);
      continue;
    }
    for (const [name, value] of Object.entries(values)) assert.equal(got[name], value, `${reader}: ${name}`);
  }
}

describe("dotenv", () => {
  it("every value reads back exactly with bash, Node and python-dotenv", (t) => {
    const dotenv = renderDotenv(DEPLOYED);
    assertReadAlike(dotenv, Object.fromEntries(DEPLOYED.map((e) => [e.name, e.value!])), t);
  });

  it("values with quotes, $, backticks, spaces and # read back alike, whichever quoting they need", (t) => {
    const values = ["it's", 'say "hi"', "$HOME and $USER{x}", "`id`", "a b  c", "x #not a comment", "#", "'", "back\\slash", "", "=", "a=b"];
    const entries = values.map((value, i) => ({ name: `V${i}`, known: true, secret: false, value }));
    assertReadAlike(renderDotenv(entries), Object.fromEntries(entries.map((e) => [e.name, e.value])), t);
  });

  it("any printable value either reads back alike or is refused, never misread", (t) => {
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom("a", "'", '"', "$", "`", "\\", " ", "#", "{", "}", "=", "!") , maxLength: 8 }), (value) => {
      let dotenv: string;
      try {
        dotenv = renderDotenv([{ name: "X", known: true, secret: false, value }]);
      } catch (err) {
        assert.ok(err instanceof DotenvValueError, String(err));
        assert.ok(value.includes("'") || value.includes("\\\\") || value.endsWith("\\") || /\$\{[^}]*\}/.test(value), "refused only when no quoting can hold it");
        return;
      }
      assertReadAlike(dotenv, { X: value }, t);
    }), { numRuns: 30 });
  });

  it("quotes any text safely for POSIX shells", () => {
    fc.assert(fc.property(fc.string({ unit: "binary-ascii" }).filter((s) => !s.includes("\0")), (value) => {
      assert.equal(sourced(`X=${shellQuote(value)}\n`, "X"), value);
    }), { numRuns: 40 });
  });

  it("writes unknown values as comments, never as empty assignments", () => {
    const dotenv = renderDotenv(DEPLOYED.map((e) => (e.secret ? { ...e, known: false, value: undefined } : e)));
    assert.match(dotenv, /^# CODER_OIDC_CLIENT_SECRET is a secret, not available offline: after `pulumi up`, render again/m);
    assert.doesNotMatch(dotenv, /^CODER_OIDC_CLIENT_SECRET=/m);
  });
});

describe("npm run env", () => {
  for (const stack of listStacks()) {
    it(`${stack}: renders every format offline, secrets never, and says which source it used`, async () => {
      const { entries, source } = await coderEnvForStack(stack, "offline");
      assert.match(source, /^Source: offline plan of stacks\/Pulumi\..*\.yaml \(--source offline\)/);
      assert.deepEqual(entries.slice(0, 5).map((e) => e.name), DEPLOYED.map((e) => e.name));
      assert.ok(entries.filter((e) => e.secret).every((e) => !e.known && e.value === undefined), "no secret offline");
      // Each checked where the value goes, not in a header comment that names it too.
      const dotenv = renderEnv("dotenv", entries);
      assert.match(dotenv, /^# CODER_OIDC_CLIENT_SECRET is a secret, not available offline/m);
      const helm = parse(renderEnv("helm", entries)) as { coder: { env: { name: string; valueFrom?: unknown }[] } };
      assert.deepEqual(helm.coder.env.find((e) => e.name === "CODER_OIDC_CLIENT_SECRET")?.valueFrom,
        { secretKeyRef: { name: "coder-oidc", key: "client-secret" } });
      const secret = parse(renderEnv("k8s-secret", entries)) as { stringData: Record<string, string> };
      assert.equal(secret.stringData["client-secret"], "[secret] (not available offline)");
      for (const format of Object.values(EnvFormat)) assert.doesNotMatch(renderEnv(format, entries), /offline-placeholder/);
    });
  }

  it("renders offline through the command line too", async () => {
    const { status, stdout, stderr } = await env(["--stack", "dev-keycloak", "--format", "helm", "--source", "offline"]);
    assert.equal(status, 0, stderr);
    assert.match(stderr, /^Source: offline plan of stacks\/Pulumi\.dev-keycloak\.yaml \(--source offline\)/);
    assert.match(stdout, /secretKeyRef/);
  });

  it("marks unknown values offline and says so, but refuses a Secret manifest without its secret", async () => {
    const refusedDotenv = await env(["--stack", "dev-keycloak", "--format", "dotenv", "--source", "offline"]);
    assert.equal(refusedDotenv.status, 1);
    assert.equal(refusedDotenv.stdout, "");
    assert.match(refusedDotenv.stderr, /not rendering dotenv: CODER_OIDC_CLIENT_SECRET is not known here.*--allow-unknown/s);
    const dotenv = await env(["--stack", "dev-keycloak", "--format", "dotenv", "--source", "offline", "--allow-unknown"]);
    assert.equal(dotenv.status, 0, dotenv.stderr);
    assert.match(dotenv.stderr, /Not known here, marked in the output: CODER_OIDC_CLIENT_SECRET\. Do not deploy this file as it is\./);
    assert.match(dotenv.stdout, /^# CODER_OIDC_CLIENT_SECRET is a secret, not available offline/m);
    const refused = await env(["--stack", "dev-keycloak", "--format", "k8s-secret", "--source", "offline"]);
    assert.equal(refused.status, 1);
    assert.equal(refused.stdout, "");
    assert.match(refused.stderr, /not rendering k8s-secret: CODER_OIDC_CLIENT_SECRET is not known here.*--allow-unknown/s);
    const preview = await env(["--stack", "dev-keycloak", "--format", "k8s-secret", "--source", "offline", "--allow-unknown"]);
    assert.equal(preview.status, 0, preview.stderr);
    assert.match(preview.stdout, /do not apply this manifest/);
  });

  it("refuses Helm values with (known after apply) in them, unless asked for a preview", async () => {
    const refused = await env(["--stack", "prod-entra", "--format", "helm", "--source", "offline"]);
    assert.equal(refused.status, 1);
    assert.equal(refused.stdout, "");
    assert.match(refused.stderr, /not rendering helm: CODER_OIDC_CLIENT_ID is not known here/);
    const preview = await env(["--stack", "prod-entra", "--format", "helm", "--source", "offline", "--allow-unknown"]);
    assert.equal(preview.status, 0, preview.stderr);
    assert.match(preview.stdout, /value: \(known after apply\)/);
  });

  it("knows which values each format needs", () => {
    const offline = DEPLOYED.map((e) => (e.secret || e.name === "CODER_OIDC_CLIENT_ID" ? { ...e, known: false, value: undefined } : e));
    assert.deepEqual(unknownFor("dotenv", offline), ["CODER_OIDC_CLIENT_ID", "CODER_OIDC_CLIENT_SECRET"]);
    assert.deepEqual(unknownFor("helm", offline), ["CODER_OIDC_CLIENT_ID"]);
    assert.deepEqual(unknownFor("k8s-secret", offline), ["CODER_OIDC_CLIENT_SECRET"]);
    for (const format of Object.values(EnvFormat)) assert.deepEqual(unknownFor(format, DEPLOYED), [], format);
  });

  it("falls back to the offline plan in auto mode when `pulumi` is not on PATH", async () => {
    const emptyBin = fs.mkdtempSync(path.join(TEMP, "nobin-"));
    const result = await await env(["--stack", "dev-keycloak", "--format", "helm"], undefined, `${emptyBin}${path.delimiter}${path.dirname(process.execPath)}`);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stderr, /\(the Pulumi CLI is not installed\)/);
  });

  it("uses the deployed stack's outputs when the Pulumi CLI is installed", async () => {
    const bin = fakePulumi(Object.fromEntries(DEPLOYED.map((e) => [e.name, e.value!])));
    const dotenv = await env(["--stack", "dev-keycloak", "--format", "dotenv"], bin);
    assert.equal(dotenv.status, 0, dotenv.stderr);
    assert.match(dotenv.stderr, /^Source: deployed stack outputs \(pulumi stack output --stack dev-keycloak\)/);
    assert.equal(sourced(dotenv.stdout, "CODER_OIDC_CLIENT_SECRET"), SECRET);
    assert.equal(fs.readFileSync(path.join(bin, "args.txt"), "utf8").trim(), "stack output --json --show-secrets --stack dev-keycloak");

    const helm = await env(["--stack", "dev-keycloak", "--format", "helm"], bin);
    assert.equal(helm.status, 0, helm.stderr);
    assert.ok(!helm.stdout.includes("s3cr3t") && !helm.stderr.includes("s3cr3t"), "no secret in Helm values or logs");
  });

  it("exits 2 (could not check, as drift and verify) with the CLI's own error when the stack is not deployed", async () => {
    const failing = await env(["--stack", "dev-keycloak"], fakePulumi({}, 255));
    assert.equal(failing.status, 2);
    assert.match(failing.stderr, /pulumi stack output --stack dev-keycloak failed \(exit 255\):\nerror: no stack named 'x' found/);
    const empty = await env(["--stack", "dev-keycloak"], fakePulumi({ other: "x" }));
    assert.equal(empty.status, 2);
    assert.match(empty.stderr, /has no output CODER_OIDC_ISSUER_URL, .*has it been deployed/);
  });

  it("exits 2 for an unknown stack or format", async () => {
    assert.equal((await env(["--stack", "nope", "--source", "offline"])).status, 2);
    assert.equal((await env(["--stack", "dev-keycloak", "--format", "ini"])).status, 2);
  });
});
