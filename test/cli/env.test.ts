import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import * as util from "node:util";
import fc from "fast-check";
import { parse } from "yaml";
import { DotenvValueError, EnvFormat, helmEnv, renderDotenv, secretRefProblems, renderEnv, renderHelmValues, renderK8sSecret, shellQuote, unknownFor } from "../../cli/env-render";
import { coderEnvForStack } from "../../cli/env-source";
import type { CoderEnvEntry } from "../../cli/plan-core";
import { listStacks } from "../../cli/stack-file";

const ROOT = path.resolve(__dirname, "..", "..");
const SECRET = "s3cr3t-$(rm -rf /)`x`\" #1 $HOME";

const DEPLOYED: CoderEnvEntry[] = [
  { name: "CODER_OIDC_ISSUER_URL", known: true, secret: false, value: "https://sso.example.com/realms/main" },
  { name: "CODER_OIDC_CLIENT_ID", known: true, secret: false, value: "coder" },
  { name: "CODER_OIDC_CLIENT_SECRET", known: true, secret: true, value: SECRET },
  { name: "CODER_OIDC_SCOPES", known: true, secret: false, value: "openid,profile,email,offline_access" },
  { name: "CODER_OIDC_AUTH_URL_PARAMS", known: true, secret: false, value: '{"access_type":"offline"}' },
];

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

/** Runs `npm run env -- <args>` with a PATH of our choosing. */
function env(args: string[], extraPath?: string) {
  const PATH = extraPath ? `${extraPath}${path.delimiter}${process.env.PATH}` : (process.env.PATH ?? "");
  const result = spawnSync(process.execPath, ["--import", "tsx", "cli/env.ts", ...args], {
    cwd: ROOT, encoding: "utf8", env: { ...process.env, PATH },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
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

  it("a value with ${…} is refused: python-dotenv expands it in any quoting", () => {
    assert.throws(() => renderDotenv([{ name: "X", known: true, secret: false, value: "a${HOME}" }]),
      (err: Error) => err instanceof DotenvValueError && /X holds \$\{…\}/.test(err.message));
  });

  it("two backslashes in a row, or one at the end, are refused: python-dotenv unescapes them in either quoting", () => {
    for (const value of ["a\\\\b", "ends\\"]) assert.throws(() => renderDotenv([{ name: "X", known: true, secret: false, value }]), DotenvValueError, value);
  });

  it("a value no dotenv reader reads alike is refused, naming the variable", () => {
    assert.throws(() => renderDotenv([{ name: "CODER_OIDC_CLIENT_SECRET", known: true, secret: true, value: "a'$b" }]),
      (err: Error) => err instanceof DotenvValueError && /CODER_OIDC_CLIENT_SECRET holds both a ' and one of/.test(err.message));
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

describe("Helm values", () => {
  it("lists every variable in coder.env with the secret as a secretKeyRef, never inline", () => {
    const text = renderHelmValues(DEPLOYED, { name: "coder-oidc-prod", key: "secret" });
    assert.ok(!text.includes("s3cr3t"), "the secret value is not in the Helm values");
    const values = parse(text) as { coder: { env: { name: string; value?: string; valueFrom?: unknown }[] } };
    assert.deepEqual(values.coder.env.map((e) => e.name), DEPLOYED.map((e) => e.name));
    assert.deepEqual(values.coder.env[2], {
      name: "CODER_OIDC_CLIENT_SECRET",
      valueFrom: { secretKeyRef: { name: "coder-oidc-prod", key: "secret" } },
    });
    assert.equal(values.coder.env[4].value, '{"access_type":"offline"}');
  });
});

describe("renderers at their edges", () => {
  const entry = (name: string, extra: Partial<CoderEnvEntry> = {}): CoderEnvEntry => ({ name, known: true, secret: false, value: "v", ...extra });

  it("dotenv starts with its warning line and ends with a newline", () => {
    const dotenv = renderDotenv([entry("A")]);
    assert.equal(dotenv, "# Coder OIDC settings generated by coder-oidc. Holds the client secret: keep this file private.\nA='v'\n");
  });

  it("dotenv refuses a line break, with a coded error that names the variable and the way out", () => {
    for (const value of ["a\nb", "a\rb", "a\u0000b"]) {
      assert.throws(() => renderDotenv([entry("X", { value })]),
        (err: Error & { code?: string }) => err instanceof DotenvValueError && err.code === "ERR_DOTENV_VALUE" &&
          err.message === "X holds a line break: no dotenv form reads it alike; use --format k8s-secret or helm");
    }
  });

  it("dotenv refusals say which characters, and what to use instead", () => {
    assert.throws(() => renderDotenv([entry("Q", { value: "a'\"b" })]), { message: /^Q holds both a ' and one of " \$ ` \\: .*use --format k8s-secret or helm for it$/ });
    assert.throws(() => renderDotenv([entry("B", { value: "a\\\\b" })]), { message: /^B holds two backslashes in a row, or ends in one: .*use --format k8s-secret or helm for it$/ });
  });

  it("Helm values: the client secret is a secretKeyRef even when not flagged secret; another secret under its own key", () => {
    assert.deepEqual(helmEnv([entry("CODER_OIDC_CLIENT_SECRET", { secret: false })], { name: "s", key: "k" }),
      [{ name: "CODER_OIDC_CLIENT_SECRET", valueFrom: { secretKeyRef: { name: "s", key: "k" } } }]);
    assert.deepEqual(helmEnv([entry("OTHER_SECRET", { secret: true })], { name: "s", key: "k" }),
      [{ name: "OTHER_SECRET", valueFrom: { secretKeyRef: { name: "s", key: "OTHER_SECRET" } } }]);
    assert.deepEqual(helmEnv([entry("A", { known: true, value: undefined }), entry("B", { known: false, value: undefined })]),
      [{ name: "A", value: "(known after apply)" }, { name: "B", value: "(known after apply)" }]);
  });

  it("Helm values: the header names the Secret and lists exactly the values known only after apply", () => {
    const known = renderHelmValues([entry("A"), entry("CODER_OIDC_CLIENT_SECRET", { secret: true })], { name: "s", key: "k" });
    assert.ok(known.startsWith("# Helm values for Coder's chart (coder-v2/coder). The client secret is read from the Kubernetes\n" +
      '# Secret "s" (key "k"): render it with --format k8s-secret.\ncoder:\n'), known);
    const unknown = renderHelmValues([entry("A", { known: false }), entry("B"), entry("C", { known: false }), entry("S", { known: false, secret: true })]);
    assert.match(unknown, /\n# Known only after pulumi up: A, C\.\ncoder:\n/);
  });

  it("Secret manifest: a known entry without a value is not a secret to apply", () => {
    const text = renderK8sSecret([entry("CODER_OIDC_CLIENT_SECRET", { secret: true, value: undefined })]);
    assert.match(text, /^# The client secret is not available offline: do not apply this manifest/);
    assert.ok(renderK8sSecret([entry("CODER_OIDC_CLIENT_SECRET", { secret: true })]).startsWith("# Holds Coder's OIDC client secret: apply it, never commit it.\napiVersion: v1\n"));
  });

  it("unknownFor: a secret is needed by dotenv only; a known entry without a value is unknown", () => {
    const entries = [entry("A", { value: undefined }), entry("S", { secret: true, known: false, value: undefined }), entry("CODER_OIDC_CLIENT_SECRET", { secret: false, known: false, value: undefined })];
    assert.deepEqual(unknownFor("dotenv", entries), ["A", "S", "CODER_OIDC_CLIENT_SECRET"]);
    assert.deepEqual(unknownFor("helm", entries), ["A"]);
    assert.deepEqual(unknownFor("k8s-secret", entries), ["CODER_OIDC_CLIENT_SECRET"]);
  });
});

describe("Kubernetes names", () => {
  const problems = (ref: Partial<{ name: string; key: string; namespace: string }>) =>
    secretRefProblems({ name: "coder-oidc", key: "client-secret", ...ref });

  it("accepts what Kubernetes accepts: DNS subdomain names, data keys, DNS label namespaces", () => {
    assert.deepEqual(problems({}), []);
    assert.deepEqual(problems({ name: "a", key: "A", namespace: "a" }), []);
    assert.deepEqual(problems({ name: "coder.oidc-1", key: "client_secret.v2-A", namespace: "coder-prod-1" }), []);
    assert.deepEqual(problems({ name: `${"a".repeat(63)}.${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(61)}`, key: "k".repeat(253), namespace: "n".repeat(63) }), []);
  });

  for (const [option, field, bad] of [
    ["--secret-name", "name", ["", "Coder", "coder_oidc", "-coder", "coder-", "coder..oidc", ".coder", "a".repeat(254), "coder/oidc", "..", "."]],
    ["--secret-key", "key", ["", "a/b", "a b", "k".repeat(254), "..", ".", "é"]],
    ["--namespace", "namespace", ["", "Coder", "coder.prod", "-coder", "coder-", "n".repeat(64), "coder_prod"]],
  ] as const) {
    it(`${option} refuses what Kubernetes refuses, naming the option and the value`, () => {
      for (const value of bad) {
        const found = problems({ [field]: value });
        assert.equal(found.length, 1, `${option} ${JSON.stringify(value)}`);
        assert.ok(found[0].startsWith(`${option} ${JSON.stringify(value)}: Kubernetes accepts 1 to `), found[0]);
      }
    });
  }

  it("reports every bad name at once", () => {
    assert.equal(problems({ name: "X", key: "a/b", namespace: "Y" }).length, 3);
  });
});

describe("Kubernetes Secret", () => {
  it("holds the client secret under the chosen name, key and namespace", () => {
    const manifest = parse(renderK8sSecret(DEPLOYED, { name: "coder-oidc", key: "client-secret", namespace: "coder" })) as Record<string, unknown>;
    assert.deepEqual(manifest, {
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "coder-oidc", namespace: "coder", labels: { "app.kubernetes.io/managed-by": "coder-oidc" } },
      type: "Opaque",
      stringData: { "client-secret": SECRET },
    });
  });

  it("says not to apply it when the secret is not known yet", () => {
    const text = renderK8sSecret(DEPLOYED.map((e) => (e.secret ? { ...e, known: false, value: undefined } : e)));
    assert.match(text, /^# The client secret is not available offline: do not apply this manifest/);
    assert.match(text, /client-secret: "\[secret\] \(not available offline\)"/);
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

  it("renders offline through the command line too", () => {
    const { status, stdout, stderr } = env(["--stack", "dev-keycloak", "--format", "helm", "--source", "offline"]);
    assert.equal(status, 0, stderr);
    assert.match(stderr, /^Source: offline plan of stacks\/Pulumi\.dev-keycloak\.yaml \(--source offline\)/);
    assert.match(stdout, /secretKeyRef/);
  });

  it("marks unknown values offline and says so, but refuses a Secret manifest without its secret", () => {
    const refusedDotenv = env(["--stack", "dev-keycloak", "--format", "dotenv", "--source", "offline"]);
    assert.equal(refusedDotenv.status, 1);
    assert.equal(refusedDotenv.stdout, "");
    assert.match(refusedDotenv.stderr, /not rendering dotenv: CODER_OIDC_CLIENT_SECRET is not known here.*--allow-unknown/s);
    const dotenv = env(["--stack", "dev-keycloak", "--format", "dotenv", "--source", "offline", "--allow-unknown"]);
    assert.equal(dotenv.status, 0, dotenv.stderr);
    assert.match(dotenv.stderr, /Not known here, marked in the output: CODER_OIDC_CLIENT_SECRET\. Do not deploy this file as it is\./);
    assert.match(dotenv.stdout, /^# CODER_OIDC_CLIENT_SECRET is a secret, not available offline/m);
    const refused = env(["--stack", "dev-keycloak", "--format", "k8s-secret", "--source", "offline"]);
    assert.equal(refused.status, 1);
    assert.equal(refused.stdout, "");
    assert.match(refused.stderr, /not rendering k8s-secret: CODER_OIDC_CLIENT_SECRET is not known here.*--allow-unknown/s);
    const preview = env(["--stack", "dev-keycloak", "--format", "k8s-secret", "--source", "offline", "--allow-unknown"]);
    assert.equal(preview.status, 0, preview.stderr);
    assert.match(preview.stdout, /do not apply this manifest/);
  });

  it("refuses Helm values with (known after apply) in them, unless asked for a preview", () => {
    const refused = env(["--stack", "prod-entra", "--format", "helm", "--source", "offline"]);
    assert.equal(refused.status, 1);
    assert.equal(refused.stdout, "");
    assert.match(refused.stderr, /not rendering helm: CODER_OIDC_CLIENT_ID is not known here/);
    const preview = env(["--stack", "prod-entra", "--format", "helm", "--source", "offline", "--allow-unknown"]);
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

  it("falls back to the offline plan in auto mode when `pulumi` is not on PATH", () => {
    const emptyBin = fs.mkdtempSync(path.join(TEMP, "nobin-"));
    const result = spawnSync(process.execPath, ["--import", "tsx", "cli/env.ts", "--stack", "dev-keycloak", "--format", "helm"], {
      cwd: ROOT, encoding: "utf8", env: { ...process.env, PATH: `${emptyBin}${path.delimiter}${path.dirname(process.execPath)}` },
    });
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stderr, /\(the Pulumi CLI is not installed\)/);
  });

  it("uses the deployed stack's outputs when the Pulumi CLI is installed", () => {
    const bin = fakePulumi(Object.fromEntries(DEPLOYED.map((e) => [e.name, e.value!])));
    const dotenv = env(["--stack", "dev-keycloak", "--format", "dotenv"], bin);
    assert.equal(dotenv.status, 0, dotenv.stderr);
    assert.match(dotenv.stderr, /^Source: deployed stack outputs \(pulumi stack output --stack dev-keycloak\)/);
    assert.equal(sourced(dotenv.stdout, "CODER_OIDC_CLIENT_SECRET"), SECRET);
    assert.equal(fs.readFileSync(path.join(bin, "args.txt"), "utf8").trim(), "stack output --json --show-secrets --stack dev-keycloak");

    const helm = env(["--stack", "dev-keycloak", "--format", "helm"], bin);
    assert.equal(helm.status, 0, helm.stderr);
    assert.ok(!helm.stdout.includes("s3cr3t") && !helm.stderr.includes("s3cr3t"), "no secret in Helm values or logs");
  });

  it("exits 1 with the CLI's own error when the stack is not deployed", () => {
    const failing = env(["--stack", "dev-keycloak"], fakePulumi({}, 255));
    assert.equal(failing.status, 1);
    assert.match(failing.stderr, /pulumi stack output --stack dev-keycloak failed \(exit 255\):\nerror: no stack named 'x' found/);
    const empty = env(["--stack", "dev-keycloak"], fakePulumi({ other: "x" }));
    assert.equal(empty.status, 1);
    assert.match(empty.stderr, /has no output CODER_OIDC_ISSUER_URL, .*has it been deployed/);
  });

  it("exits 2 for an unknown stack or format", () => {
    assert.equal(env(["--stack", "nope", "--source", "offline"]).status, 2);
    assert.equal(env(["--stack", "dev-keycloak", "--format", "ini"]).status, 2);
  });
});
