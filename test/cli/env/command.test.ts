/**
 * `coder-oidc env` (cli/env/index.ts) in this process, at its edges: every refusal word for word, what it says on
 * stderr about its source, warnings and unknown values, the user's Helm values file merged, and the exit code of
 * each failure (2 for what the user names wrongly, 1 for what the stack or the CLI failed).
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { parse } from "yaml";
import { runEnv } from "../../../cli/env";
import { renderEnv } from "../../../cli/env/render";
import { STACKS_DIR } from "../../../engine/stack-file";
import { DEPLOYED } from "../../support/coder-env";
import { assertHelpLists, runInProcess } from "../../support/in-process";

/** What planning dev-keycloak warns about (its realm, read offline). */
const REALM_WARNING = 'warning: Keycloak realm "engineering" does not enable "Offline Session Max Limited": the client\'s offline max ' +
  "lifespan (coder-oidc:tokens.refreshMaxLifetime) applies only when the realm enables it.\n";

describe("coder-oidc env", () => {
  let dir: string;
  let bin: string;
  let noCli: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "coder-oidc-env-command-"));
    bin = path.join(dir, "bin");
    noCli = path.join(dir, "empty-bin");
    fs.mkdirSync(bin);
    fs.mkdirSync(noCli);
    fs.writeFileSync(path.join(dir, "outputs.json"), JSON.stringify(Object.fromEntries(DEPLOYED.map((e) => [e.name, e.value]))));
    fs.writeFileSync(path.join(bin, "pulumi"), `#!/bin/sh\ncat "${dir}/outputs.json"\n`, { mode: 0o755 });
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** Runs env with `pathDirs` first on PATH (node's folder always there, for the stand-in's shell). */
  async function env(argv: string[], pathDirs: string[] = [noCli]) {
    const saved = process.env.PATH;
    process.env.PATH = [...pathDirs, "/bin", "/usr/bin"].join(path.delimiter);
    try {
      return await runInProcess(runEnv, argv);
    } finally {
      process.env.PATH = saved;
    }
  }
  const deployed = (argv: string[]) => env(argv, [bin]);

  it("names every Kubernetes name it refuses, and --values without --format helm, at once", async () => {
    assert.deepEqual(await env(["-s", "dev-keycloak", "--secret-name", "Coder_OIDC", "--secret-key", "a b", "--namespace", "-ns", "--values", "v.yaml"]), {
      code: 2, stdout: "", stderr: [
        'error: --secret-name "Coder_OIDC": Kubernetes accepts 1 to 253 lowercase letters, digits, \'-\' and \'.\', starting and ending with a letter or digit (a DNS subdomain)',
        'error: --secret-key "a b": Kubernetes accepts 1 to 253 letters, digits, \'-\', \'_\' and \'.\'',
        'error: --namespace "-ns": Kubernetes accepts 1 to 63 lowercase letters, digits and \'-\', starting and ending with a letter or digit (a DNS label)',
        "error: --values goes with --format helm only",
        "error: --secret-name goes with --format helm or k8s-secret: a dotenv file holds the secret itself",
        "error: --secret-key goes with --format helm or k8s-secret: a dotenv file holds the secret itself",
        "error: --namespace goes with --format k8s-secret only (the Secret manifest)",
        "",
      ].join("\n"),
    });
  });

  it("deployed: the file on stdout, its source on stderr", async () => {
    assert.deepEqual(await deployed(["--stack", "dev-keycloak", "--format", "k8s-secret", "--namespace", "coder"]), {
      code: 0, stdout: renderEnv("k8s-secret", DEPLOYED, { name: "coder-oidc", key: "client-secret", namespace: "coder" }),
      stderr: `Source: deployed stack outputs (pulumi stack output --stack dev-keycloak).\n${REALM_WARNING}`,
    });
  });

  it("offline: refuses a file with values it does not know, naming them, unless asked for a preview", async () => {
    const source = `Source: offline plan of ${path.relative(process.cwd(), path.join(STACKS_DIR, "Pulumi.dev-keycloak.yaml"))} (the Pulumi CLI is not ` +
      'installed); values marked "(known after apply)" exist only after `pulumi up`, and secrets are never available offline.\n';
    assert.deepEqual(await env(["--stack", "dev-keycloak"]), { code: 1, stdout: "", stderr: source + REALM_WARNING +
      "Stack dev-keycloak: not rendering dotenv: CODER_OIDC_CLIENT_SECRET is not known here (they exist only after `pulumi up`, and secrets " +
      "are never available offline). Run `pulumi up`, then this command with the Pulumi CLI installed; or pass --allow-unknown to preview the file.\n" });
    const preview = await env(["--stack", "dev-keycloak", "--allow-unknown"]);
    assert.equal(preview.code, 0);
    assert.equal(preview.stderr, `${source}${REALM_WARNING}Not known here, marked in the output: CODER_OIDC_CLIENT_SECRET. Do not deploy this file as it is.\n`);
    assert.match(preview.stdout, /^# CODER_OIDC_CLIENT_SECRET is a secret, not available offline: /m);
    assert.doesNotMatch(preview.stdout, /^CODER_OIDC_CLIENT_SECRET=/m);
  });

  it("says 'are' for several unknown values", async () => {
    const run = await env(["--stack", "prod-entra", "--source", "offline"]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /not rendering dotenv: CODER_OIDC_CLIENT_ID, CODER_OIDC_CLIENT_SECRET are not known here/);
    const preview = await env(["--stack", "prod-entra", "--source", "offline", "--allow-unknown"]);
    assert.match(preview.stderr, /\nNot known here, marked in the output: CODER_OIDC_CLIENT_ID, CODER_OIDC_CLIENT_SECRET\. Do not deploy/);
  });

  it("takes the Secret's name and key with the formats that refer to a Secret", async () => {
    for (const format of ["helm", "k8s-secret"]) {
      const run = await env(["--stack", "dev-keycloak", "--format", format, "--secret-name", "my-oidc", "--secret-key", "secret", "--allow-unknown"]);
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /my-oidc/, format);
    }
  });

  it("--values: the user's file with the CODER_OIDC_* entries added, everything else kept", async () => {
    const values = path.join(dir, "values.yaml");
    fs.writeFileSync(values, "# ours\ncoder:\n  env:\n    - name: CODER_ACCESS_URL # keep\n      value: https://coder.example.com\n");
    const run = await deployed(["--stack", "dev-keycloak", "--format", "helm", "--values", values]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^# ours\ncoder:\n {2}env:\n {4}- name: CODER_ACCESS_URL # keep\n/);
    const env = (parse(run.stdout) as { coder: { env: { name: string }[] } }).coder.env.map((e) => e.name);
    assert.deepEqual(env, ["CODER_ACCESS_URL", ...DEPLOYED.map((e) => e.name)]);
  });

  it("--values it cannot read or parse: exit 2, naming the file", async () => {
    const absent = path.join(dir, "absent.yaml");
    assert.deepEqual(await deployed(["--stack", "dev-keycloak", "--format", "helm", "--values", absent]),
      { code: 2, stdout: "", stderr: `Stack dev-keycloak: Cannot read --values ${absent}: it does not exist\n` });
    const broken = path.join(dir, "broken.yaml");
    fs.writeFileSync(broken, "coder: [\n");
    const parsed = await deployed(["--stack", "dev-keycloak", "--format", "helm", "--values", broken]);
    assert.equal(parsed.code, 2);
    assert.ok(parsed.stderr.includes(`${REALM_WARNING}Stack dev-keycloak: ${broken} is not valid YAML:\n`), parsed.stderr);
    assert.equal(parsed.stdout, "");
  });

  it("--source pulumi without the CLI: exit 2 (could not check, as in every command), saying to use --source offline; an unknown stack: exit 2", async () => {
    assert.deepEqual(await env(["--stack", "dev-keycloak", "--source", "pulumi"]),
      { code: 2, stdout: "", stderr: "Stack dev-keycloak: The Pulumi CLI is not installed (no `pulumi` on PATH); use --source offline\n" });
    const unknown = await env(["--stack", "nope", "--source", "offline"]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /^Stack nope: No stack "nope": /);
  });

  it("prints the plan's warnings for the stack", async () => {
    const stacks = path.join(dir, "stacks");
    fs.mkdirSync(stacks, { recursive: true });
    const entra = fs.readFileSync(path.join(STACKS_DIR, "Pulumi.prod-entra.yaml"), "utf8");
    // A secret that ends 20 days after the start of this month: at most 20 days left, so the plan warns.
    const month = new Date().toISOString().slice(0, 7);
    fs.writeFileSync(path.join(stacks, "Pulumi.soon.yaml"),
      entra.replace(/secretRotation: .*/, `secretRotation: "${month}"`).replace(/secretLifetime: .*/, "secretLifetime: 20d"));
    const run = await deployed(["--stack", "soon", "--stacks-dir", stacks]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /^warning: .*expire/m);
  });

  it("--help lists every option with what it does, and exits 0", async () => {
    await assertHelpLists(runEnv, [
      "Usage: coder-oidc env [options] Coder's OIDC settings for a stack, as a dotenv file, Helm values or a Kubernetes Secret",
      "-s, --stack <name> stack (stacks/Pulumi.<name>.yaml)",
      '-f, --format <format> output format (choices: "dotenv", "helm", "k8s-secret", default: "dotenv")',
      '--source <source> where values come from (choices: "auto", "pulumi", "offline", default: "auto")',
      '--secret-name <name> Kubernetes Secret holding the client secret (default: "coder-oidc")',
      '--secret-key <key> key of the client secret in that Secret (default: "client-secret")',
      "--namespace <namespace> namespace of the Secret manifest",
      "--values <file> with --format helm: your Coder values file, printed back with the CODER_OIDC_* entries of coder.env added or replaced and everything else kept",
      `--stacks-dir <dir> folder of Pulumi.<stack>.yaml files (offline source) (default: "${STACKS_DIR}")`,
      "--allow-unknown print the file even when values are not known here (a preview, not for deploying)",
    ]);
    assert.deepEqual(await env([]), { code: 2, stdout: "", stderr: "error: required option '-s, --stack <name>' not specified\n" });
  });
});
