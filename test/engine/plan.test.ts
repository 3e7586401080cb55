import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import { runPlan } from "../../cli/plan";
import { PlanFailedError, planStack, planToJson, renderPlanText } from "../../engine/plan";
import { runInProcess } from "../support/in-process";
import { listStacks, readStackFile, SECRET_PLACEHOLDER } from "../../engine/stack-file";
import { StackFileError } from "../../src/errors";

/** Runs `coder-oidc plan <args>` in this process (test/cli/cli.test.ts runs it as a process). */
async function plan(...args: string[]) {
  const { code, stdout, stderr } = await runInProcess(runPlan, args);
  return { status: code, stdout, stderr };
}

const TEMP = fs.mkdtempSync(path.join(os.tmpdir(), "coder-oidc-stacks-"));
after(() => fs.rmSync(TEMP, { recursive: true, force: true }));

function tempStacks(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(TEMP, "s-"));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

const REQUIRED = ["CODER_OIDC_ISSUER_URL", "CODER_OIDC_CLIENT_ID", "CODER_OIDC_CLIENT_SECRET", "CODER_OIDC_SCOPES", "CODER_OIDC_AUTH_URL_PARAMS"];

describe("offline plan of every example stack", () => {
  for (const stack of listStacks()) {
    it(`${stack}: declares resources and outputs the five Coder variables, secrets masked`, async () => {
      const file = readStackFile(stack);
      const result = await planStack(stack, file);
      assert.ok(result.resources.length >= 2, "declares a component and its children");
      assert.deepEqual(result.coderEnv.slice(0, 5).map((e) => e.name), REQUIRED);
      const secret = result.coderEnv.find((e) => e.name === "CODER_OIDC_CLIENT_SECRET")!;
      assert.equal(secret.secret, true);
      const text = renderPlanText(result) + JSON.stringify(planToJson(result));
      assert.ok(!text.includes(SECRET_PLACEHOLDER), "secure: placeholders are never printed");
      for (const ciphertext of fs.readFileSync(file.file, "utf8").matchAll(/secure:\s*(\S+)/g)) {
        assert.ok(!text.includes(ciphertext[1]), "ciphertext is never printed");
      }
    });
  }

  it("finds the example stacks the README names", () => {
    for (const stack of ["dev-keycloak", "prod-entra", "staging-google", "prod-pingfederate", "prod-okta", "dev-auth0"]) {
      assert.ok(listStacks().includes(stack), stack);
    }
  });
});

describe("provider credentials in the plan", () => {
  it("keycloak:additionalHeaders, set with --secret, is shown and passed as [secret]", async () => {
    const file = readStackFile("dev-keycloak");
    const headers = '{"Authorization":"Bearer plan-header-secret-1234"}';
    const result = await planStack("dev-keycloak", {
      ...file, values: { ...file.values, "keycloak:additionalHeaders": headers }, secretKeys: new Set([...file.secretKeys, "keycloak:additionalHeaders"]),
    });
    const provider = result.resources.find((r) => r.type === "pulumi:providers:keycloak")!;
    assert.equal(provider.inputs.additionalHeaders, "[secret]");
    assert.ok(!JSON.stringify(planToJson(result)).includes("plan-header-secret"));
  });

  it("keycloak:additionalHeaders set without --secret (it can carry an Authorization header) is refused, never shown", async () => {
    const file = readStackFile("dev-keycloak");
    const headers = '{"Authorization":"Bearer plan-header-secret-1234"}';
    await assert.rejects(planStack("dev-keycloak", { ...file, values: { ...file.values, "keycloak:additionalHeaders": headers } }),
      (err: Error) => /keycloak:additionalHeaders: is a credential written in plain text/.test(err.message) && !err.message.includes("plan-header-secret"));
  });
});

describe("coder-oidc plan", () => {
  it("plans dev-keycloak by default: the client with Coder's callback and the five variables", async () => {
    const { status, stdout, stderr } = await plan();
    assert.equal(status, 0, stderr);
    assert.match(stdout, /Stack dev-keycloak \(idp: keycloak\)/);
    assert.match(stdout, /\+ keycloak:openid\/client:Client {2}coder-client/);
    assert.match(stdout, /validRedirectUris: \["https:\/\/coder\.dev\.example\.com\/api\/v2\/users\/oidc\/callback"\]/);
    assert.match(stdout, /CODER_OIDC_ISSUER_URL=https:\/\/sso\.dev\.example\.com\/realms\/engineering/);
    assert.match(stdout, /CODER_OIDC_CLIENT_ID=coder\n/);
    assert.match(stdout, /CODER_OIDC_CLIENT_SECRET=\[secret\] \(known after apply\)/);
    assert.match(stdout, /CODER_OIDC_SCOPES=openid,profile,email,offline_access\n/);
    assert.match(stdout, /CODER_OIDC_AUTH_URL_PARAMS=\{"access_type":"offline"\}\n/);
    assert.match(stdout, /clientSecret: \[secret\]/);
  });

  it("prints JSON for machines with --format json, and every stack with --all", async () => {
    const one = await plan("--stack", "dev-keycloak", "--format", "json");
    assert.equal(one.status, 0, one.stderr);
    const parsed = JSON.parse(one.stdout) as { stack: string; coderEnv: Record<string, { value: string; known: boolean; secret: boolean }> };
    assert.equal(parsed.stack, "dev-keycloak");
    assert.deepEqual(parsed.coderEnv.CODER_OIDC_CLIENT_SECRET, { value: "[secret] (known after apply)", known: false, secret: true });
    assert.equal(parsed.coderEnv.CODER_OIDC_SCOPES.value, "openid,profile,email,offline_access");

    const all = await plan("--all", "--format", "json");
    assert.equal(all.status, 0, all.stderr);
    assert.deepEqual((JSON.parse(all.stdout) as { stack: string }[]).map((p) => p.stack), listStacks());
  });

  it("exits 2 with the stacks that exist for a bad or unknown stack name", async () => {
    const bad = await plan("--stack", "../etc/passwd");
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /is not a stack name/);
    const unknown = await plan("--stack", "nope");
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /No stack "nope".*stacks here: .*dev-keycloak/);
  });

  it("exits 2 on bad arguments", async () => {
    assert.equal((await plan("--format", "xml")).status, 2);
    assert.equal((await plan("--stack", "dev-keycloak", "--all")).status, 2);
  });

  it("exits 1 listing every config problem with its key, and no stack trace", async () => {
    const dir = tempStacks({
      "Pulumi.broken.yaml": "config:\n  coder-oidc:coderUrl: http://coder.example.com\n  coder-oidc:idp: onelogin\n  coder-oidc:tokens:\n    refreshIdleTimeout: 3 days\n",
    });
    const { status, stderr, stdout } = await plan("--stack", "broken", "--stacks-dir", dir);
    assert.equal(status, 1);
    assert.equal(stdout, "");
    assert.match(stderr, /coder-oidc:coderUrl: must use https/);
    assert.match(stderr, /coder-oidc:idp: must be one of keycloak, entra-id, google, pingfederate, okta, auth0/);
    assert.match(stderr, /coder-oidc:tokens\.refreshIdleTimeout: "3 days" is not a duration/);
    assert.doesNotMatch(stderr, /\n\s+at /, "no stack trace");
  });
});

describe("stack files", () => {
  it("reads secure: values as secret placeholders and marks their keys secret", () => {
    const dir = tempStacks({
      "Pulumi.s.yaml": "config:\n  coder-oidc:google:\n    clientId: x\n    clientSecret:\n      secure: v1:abc\n  keycloak:password:\n    secure: v1:def\n  coder-oidc:idp: google\n",
    });
    const file = readStackFile("s", dir);
    assert.deepEqual([...file.secretKeys].sort(), ["coder-oidc:google", "keycloak:password"]);
    assert.equal(file.values["keycloak:password"], SECRET_PLACEHOLDER);
    assert.deepEqual(JSON.parse(file.values["coder-oidc:google"]), { clientId: "x", clientSecret: SECRET_PLACEHOLDER });
    assert.equal(file.values["coder-oidc:idp"], "google");
  });

  it("explains malformed YAML, a config that is not a map, and keys without a namespace", () => {
    const dir = tempStacks({
      "Pulumi.yamlerr.yaml": "config:\n  coder-oidc:idp: [unclosed\n",
      "Pulumi.list.yaml": "config:\n  - a\n",
      "Pulumi.keys.yaml": "config:\n  idp: keycloak\n",
    });
    const failure = (stack: string) => {
      try {
        readStackFile(stack, dir);
      } catch (err) {
        assert.ok(err instanceof StackFileError);
        assert.equal(err.code, "ERR_STACK_FILE");
        return err.message;
      }
      assert.fail(`${stack} should not parse`);
    };
    assert.match(failure("yamlerr"), /is not valid YAML/);
    assert.match(failure("list"), /"config:" must be a map/);
    assert.match(failure("keys"), /idp: config keys are written <namespace>:<key>/);
  });

  it("catches a plaintext client secret next to an encrypted field, which only the stack file can tell", async () => {
    const dir = tempStacks({
      "Pulumi.g.yaml": [
        "config:", "  coder-oidc:coderUrl: https://coder.example.com", "  coder-oidc:idp: google", "  coder-oidc:google:",
        "    clientId: 1-abc.apps.googleusercontent.com", "    clientSecret: plaintext-secret", "    hostedDomain:", "      secure: v1:abc", "",
      ].join("\n"),
    });
    const { status, stderr } = await plan("--stack", "g", "--stacks-dir", dir);
    assert.equal(status, 1);
    assert.match(stderr, /coder-oidc:google\.clientSecret: .*pulumi config set --secret --path 'google\.clientSecret'/);
    assert.ok(!stderr.includes("plaintext-secret"));
  });

  it("reports a program failure as a plan failure, not a crash", async () => {
    await assert.rejects(
      planStack("x", { values: { "coder-oidc:idp": "keycloak" }, secretKeys: new Set() }),
      (err: unknown) => err instanceof PlanFailedError && /coder-oidc:coderUrl: is required/.test(err.message),
    );
  });
});
