/**
 * Where `env` and `verify` take Coder's settings from (engine/env-source.ts): the deployed stack's outputs through
 * a stand-in `pulumi` on PATH (what it is asked, each way it can fail, word for word), else the offline plan.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { coderEnvForStack, coderEnvFromPulumiCli, PulumiCliError } from "../../engine/env-source";
import { STACKS_DIR } from "../../engine/stack-file";

const DEPLOYED = {
  CODER_OIDC_SCOPES: "openid,profile,email,offline_access", CODER_OIDC_CLIENT_SECRET: "s3cr3t", CODER_OIDC_AUTH_URL_PARAMS: "{}",
  CODER_OIDC_ISSUER_URL: "https://sso.example.com", CODER_OIDC_CLIENT_ID: "coder",
};

describe("Coder's settings from the Pulumi CLI", () => {
  let dir: string;
  let bin: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "coder-oidc-env-source-"));
    bin = path.join(dir, "bin");
    fs.mkdirSync(bin);
    // Prints what the test put beside it, exits as told, and notes its arguments and working folder.
    fs.writeFileSync(path.join(bin, "pulumi"), [
      "#!/bin/sh",
      `printf '%s\\n' "$*" > "${dir}/args.txt"`,
      `pwd > "${dir}/cwd.txt"`,
      `[ -f "${dir}/stderr.txt" ] && cat "${dir}/stderr.txt" >&2`,
      `cat "${dir}/stdout.txt"`,
      `exit "$(cat "${dir}/exit.txt" 2>/dev/null || echo 0)"`,
      "",
    ].join("\n"), { mode: 0o755 });
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** Runs `body` with the stand-in answering `stdout` (and `stderr`, `exit`), first on PATH. */
  function withCli<T>(answer: { stdout: string; stderr?: string; exit?: number }, body: () => T, pathDirs = [bin]): T {
    fs.writeFileSync(path.join(dir, "stdout.txt"), answer.stdout);
    fs.rmSync(path.join(dir, "stderr.txt"), { force: true });
    if (answer.stderr !== undefined) fs.writeFileSync(path.join(dir, "stderr.txt"), answer.stderr);
    fs.writeFileSync(path.join(dir, "exit.txt"), String(answer.exit ?? 0));
    const saved = process.env.PATH;
    process.env.PATH = [...pathDirs, "/bin", "/usr/bin"].join(path.delimiter);
    try {
      return body();
    } finally {
      process.env.PATH = saved;
    }
  }
  const failure = (answer: { stdout: string; stderr?: string; exit?: number }, pathDirs?: string[]) => withCli(answer, () => {
    try {
      coderEnvFromPulumiCli("s", dir);
    } catch (err) {
      assert.ok(err instanceof PulumiCliError);
      assert.equal(err.code, "ERR_PULUMI_CLI");
      return err.message;
    }
    return assert.fail("expected a PulumiCliError");
  }, pathDirs);

  it("asks for the stack's outputs with their secrets, as JSON, in the project folder", () => {
    withCli({ stdout: JSON.stringify(DEPLOYED) }, () => coderEnvFromPulumiCli("prod", dir));
    assert.equal(fs.readFileSync(path.join(dir, "args.txt"), "utf8"), "stack output --json --show-secrets --stack prod\n");
    assert.equal(fs.realpathSync(fs.readFileSync(path.join(dir, "cwd.txt"), "utf8").trim()), fs.realpathSync(dir));
    withCli({ stdout: JSON.stringify(DEPLOYED) }, () => coderEnvFromPulumiCli("prod"));
    assert.equal(fs.realpathSync(fs.readFileSync(path.join(dir, "cwd.txt"), "utf8").trim()), fs.realpathSync(path.dirname(STACKS_DIR)));
  });

  it("the five variables first, then the optional ones Coder knows, each as text; only the client secret is secret", () => {
    const entries = withCli({ stdout: JSON.stringify({ ...DEPLOYED, CODER_OIDC_EMAIL_FIELD: "upn", CODER_OIDC_GROUP_FIELD: "groups", other: "x",
      CODER_OIDC_USERNAME_FIELD: 5 }) }, () => coderEnvFromPulumiCli("s", dir));
    assert.deepEqual(entries, [
      { name: "CODER_OIDC_ISSUER_URL", known: true, secret: false, value: "https://sso.example.com" },
      { name: "CODER_OIDC_CLIENT_ID", known: true, secret: false, value: "coder" },
      { name: "CODER_OIDC_CLIENT_SECRET", known: true, secret: true, value: "s3cr3t" },
      { name: "CODER_OIDC_SCOPES", known: true, secret: false, value: "openid,profile,email,offline_access" },
      { name: "CODER_OIDC_AUTH_URL_PARAMS", known: true, secret: false, value: "{}" },
      { name: "CODER_OIDC_GROUP_FIELD", known: true, secret: false, value: "groups" },
      { name: "CODER_OIDC_EMAIL_FIELD", known: true, secret: false, value: "upn" },
    ]);
  });

  it("undefined without a `pulumi` on PATH", () => {
    assert.equal(withCli({ stdout: "" }, () => coderEnvFromPulumiCli("s", dir), [path.join(dir, "nowhere")]), undefined);
  });

  it("says what went wrong, word for word", () => {
    assert.equal(failure({ stdout: "", stderr: "\n  error: no stack named 's' found  \n", exit: 255 }),
      "pulumi stack output --stack s failed (exit 255):\nerror: no stack named 's' found");
    // A long stderr: its first 20 lines, each on its own line.
    const lines = Array.from({ length: 30 }, (_, i) => `line ${i + 1}`);
    assert.equal(failure({ stdout: "", stderr: lines.join("\n"), exit: 1 }),
      `pulumi stack output --stack s failed (exit 1):\n${lines.slice(0, 20).join("\n")}`);
    assert.equal(failure({ stdout: "Warning: a banner\n{}" }), "pulumi stack output --stack s did not print JSON");
    for (const stdout of ["[]", "null", "5", '"text"']) assert.equal(failure({ stdout }), "pulumi stack output --stack s printed no map of outputs", stdout);
    assert.equal(failure({ stdout: JSON.stringify({ CODER_OIDC_CLIENT_ID: "coder", CODER_OIDC_SCOPES: 1 }) }),
      "Stack s has no output CODER_OIDC_ISSUER_URL, CODER_OIDC_CLIENT_SECRET, CODER_OIDC_SCOPES, CODER_OIDC_AUTH_URL_PARAMS: has it been deployed with `pulumi up`?");
    const adopted = { CODER_OIDC_ISSUER_URL: "https://sso.example.com", CODER_OIDC_CLIENT_ID: "coder", CODER_OIDC_SCOPES: "openid", CODER_OIDC_AUTH_URL_PARAMS: "{}" };
    assert.match(failure({ stdout: JSON.stringify(adopted) }),
      /^Stack s has no output CODER_OIDC_CLIENT_SECRET: the stack does not know the client secret \(a PingFederate client adopted with coder-oidc:adoptClientId[\s\S]*change coder-oidc:pingfederate\.secretVersion/);
  });

  it("a `pulumi` that cannot run: says why", () => {
    const denied = path.join(dir, "denied-bin");
    fs.mkdirSync(denied, { recursive: true });
    fs.writeFileSync(path.join(denied, "pulumi"), "not a program\n", { mode: 0o644 });
    assert.equal(failure({ stdout: "" }, [denied]), "Could not run the Pulumi CLI: spawnSync pulumi EACCES");
  });

  describe("coderEnvForStack", () => {
    const deployedSource = "Source: deployed stack outputs (pulumi stack output --stack dev-keycloak).";
    const offlineSource = (why: string) => `Source: offline plan of ${path.relative(process.cwd(), path.join(STACKS_DIR, "Pulumi.dev-keycloak.yaml"))} ` +
      `(${why}); values marked "(known after apply)" exist only after \`pulumi up\`, and secrets are never available offline.`;

    it("auto: the deployed outputs when the CLI is there, with the stack file's warnings", async () => {
      const got = await withCli({ stdout: JSON.stringify(DEPLOYED) }, () => coderEnvForStack("dev-keycloak"));
      assert.equal(got.source, deployedSource);
      assert.equal(got.entries.find((e) => e.name === "CODER_OIDC_CLIENT_SECRET")?.value, "s3cr3t");
      assert.equal(got.warnings.length, 1);
      assert.match(got.warnings[0], /^Keycloak realm "engineering" does not enable "Offline Session Max Limited"/);
    });

    it("auto without the CLI, and offline with it: the offline plan, every secret unknown", async () => {
      const none = await withCli({ stdout: "" }, () => coderEnvForStack("dev-keycloak", "auto"), [path.join(dir, "nowhere")]);
      assert.equal(none.source, offlineSource("the Pulumi CLI is not installed"));
      const offline = await withCli({ stdout: JSON.stringify(DEPLOYED) }, () => coderEnvForStack("dev-keycloak", "offline"));
      assert.equal(offline.source, offlineSource("--source offline"));
      for (const got of [none, offline]) {
        assert.deepEqual(got.entries.find((e) => e.name === "CODER_OIDC_CLIENT_SECRET"), { name: "CODER_OIDC_CLIENT_SECRET", known: false, secret: true, value: undefined });
        assert.equal(got.entries.find((e) => e.name === "CODER_OIDC_CLIENT_ID")?.value, "coder");
        assert.equal(got.warnings.length, 1);
      }
    });

    it("pulumi without the CLI: an error saying to use --source offline", async () => {
      await assert.rejects(withCli({ stdout: "" }, () => coderEnvForStack("dev-keycloak", "pulumi"), [path.join(dir, "nowhere")]),
        (err: Error) => err instanceof PulumiCliError && err.message === "The Pulumi CLI is not installed (no `pulumi` on PATH); use --source offline");
    });

    it("a deployed stack whose file does not plan: the outputs, and a warning that says why", async () => {
      const stacks = path.join(dir, "stacks");
      fs.mkdirSync(stacks, { recursive: true });
      fs.writeFileSync(path.join(stacks, "Pulumi.broken.yaml"), "config:\n  coder-oidc:idp: keycloak\n");
      const got = await withCli({ stdout: JSON.stringify(DEPLOYED) }, () => coderEnvForStack("broken", "auto", stacks));
      assert.equal(got.entries.length, 5);
      assert.equal(got.warnings.length, 1);
      assert.match(got.warnings[0], /^the stack file could not be planned for its warnings: .*coder-oidc:coderUrl: is required/s);
    });
  });
});
