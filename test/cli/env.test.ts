import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, it } from "node:test";
import fc from "fast-check";
import { parse } from "yaml";
import { EnvFormat, renderDotenv, renderEnv, renderHelmValues, renderK8sSecret, shellQuote, unknownFor } from "../../cli/env-render";
import { coderEnvForStack } from "../../cli/env-source";
import type { CoderEnvEntry } from "../../cli/plan-core";
import { listStacks } from "../../cli/stack-file";

const ROOT = path.resolve(__dirname, "..", "..");
const SECRET = "s3cr3t-'$(rm -rf /)`x`\"";

const DEPLOYED: CoderEnvEntry[] = [
  { name: "CODER_OIDC_ISSUER_URL", known: true, secret: false, value: "https://sso.example.com/realms/main" },
  { name: "CODER_OIDC_CLIENT_ID", known: true, secret: false, value: "coder" },
  { name: "CODER_OIDC_CLIENT_SECRET", known: true, secret: true, value: SECRET },
  { name: "CODER_OIDC_SCOPES", known: true, secret: false, value: "openid,profile,email,offline_access" },
  { name: "CODER_OIDC_AUTH_URL_PARAMS", known: true, secret: false, value: '{"access_type":"offline"}' },
];

/** Sources a dotenv file in sh and reads one variable back. */
function sourced(dotenv: string, name: string): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "coder-oidc-env-")), ".env");
  fs.writeFileSync(file, dotenv);
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
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "coder-oidc-bin-"));
  const json = path.join(dir, "outputs.json");
  fs.writeFileSync(json, JSON.stringify(outputs));
  fs.writeFileSync(path.join(dir, "args.txt"), "");
  fs.writeFileSync(path.join(dir, "pulumi"),
    `#!/bin/sh\necho "$@" > "${dir}/args.txt"\n[ ${exitCode} -eq 0 ] || { echo "error: no stack named 'x' found" >&2; exit ${exitCode}; }\ncat "${json}"\n`,
    { mode: 0o755 });
  return dir;
}

describe("dotenv", () => {
  it("quotes every value so a shell reads back exactly what Coder must get", () => {
    const dotenv = renderDotenv(DEPLOYED);
    for (const e of DEPLOYED) assert.equal(sourced(dotenv, e.name), e.value, e.name);
  });

  it("quotes any text safely for POSIX shells", () => {
    fc.assert(fc.property(fc.string({ unit: "binary-ascii" }).filter((s) => !s.includes("\0")), (value) => {
      assert.equal(sourced(`X=${shellQuote(value)}\n`, "X"), value);
    }), { numRuns: 40 });
    for (const value of ["a'b", "$(id)", "`id`", "line\nbreak", "back\\slash", "'"]) {
      assert.equal(sourced(`X=${shellQuote(value)}\n`, "X"), value);
    }
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
      for (const format of Object.values(EnvFormat)) {
        const text = renderEnv(format, entries);
        assert.match(text, /CODER_OIDC_CLIENT_SECRET|client-secret/);
        assert.doesNotMatch(text, /offline-placeholder/);
      }
    });
  }

  it("renders offline through the command line too", () => {
    const { status, stdout, stderr } = env(["--stack", "dev-keycloak", "--format", "helm", "--source", "offline"]);
    assert.equal(status, 0, stderr);
    assert.match(stderr, /^Source: offline plan of stacks\/Pulumi\.dev-keycloak\.yaml \(--source offline\)/);
    assert.match(stdout, /secretKeyRef/);
  });

  it("marks unknown values offline and says so, but refuses a Secret manifest without its secret", () => {
    const dotenv = env(["--stack", "dev-keycloak", "--format", "dotenv", "--source", "offline"]);
    assert.equal(dotenv.status, 0, dotenv.stderr);
    assert.match(dotenv.stderr, /Not known here, marked in the output: CODER_OIDC_CLIENT_SECRET\. Do not deploy this file as it is\./);
    assert.match(dotenv.stdout, /^# CODER_OIDC_CLIENT_SECRET is a secret, not available offline/m);
    const refused = env(["--stack", "dev-keycloak", "--format", "k8s-secret", "--source", "offline"]);
    assert.equal(refused.status, 1);
    assert.equal(refused.stdout, "");
    assert.match(refused.stderr, /not rendering k8s-secret: the client secret is not known here.*--allow-unknown/s);
    const preview = env(["--stack", "dev-keycloak", "--format", "k8s-secret", "--source", "offline", "--allow-unknown"]);
    assert.equal(preview.status, 0, preview.stderr);
    assert.match(preview.stdout, /do not apply this manifest/);
  });

  it("knows which values each format needs", () => {
    const offline = DEPLOYED.map((e) => (e.secret || e.name === "CODER_OIDC_CLIENT_ID" ? { ...e, known: false, value: undefined } : e));
    assert.deepEqual(unknownFor("dotenv", offline), ["CODER_OIDC_CLIENT_ID", "CODER_OIDC_CLIENT_SECRET"]);
    assert.deepEqual(unknownFor("helm", offline), ["CODER_OIDC_CLIENT_ID"]);
    assert.deepEqual(unknownFor("k8s-secret", offline), ["CODER_OIDC_CLIENT_SECRET"]);
    for (const format of Object.values(EnvFormat)) assert.deepEqual(unknownFor(format, DEPLOYED), [], format);
  });

  it("falls back to the offline plan in auto mode when `pulumi` is not on PATH", () => {
    const emptyBin = fs.mkdtempSync(path.join(os.tmpdir(), "coder-oidc-nobin-"));
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
