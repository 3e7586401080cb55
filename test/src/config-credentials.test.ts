import { CONFIG_CREDENTIAL_FIELDS, PROVIDER_KEYS, PROVIDER_NAMESPACES, providerKeysOf } from "../support/idps";
/**
 * Plaintext credentials in stack files (issue 20, class 8): every provider credential and every credential field
 * of `coder-oidc:` is refused when set without `--secret`, naming the key and the command to use; never shown.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, it } from "node:test";
import { parseStackConfig } from "../../idps/registry";
import { type RawStackConfig } from "../../src/config";
import { ConfigError, type ConfigProblem } from "../../src/errors";
import { credentialKeys } from "../../src/provider-config";
import { runPlan } from "../../cli/plan";
import { recordingStreams } from "../support/in-process";

const MARKER = "MARKER-plaintext-credential-7f3a";

const KEYCLOAK: Record<string, string> = {
  "coder-oidc:coderUrl": "https://coder.example.com",
  "coder-oidc:idp": "keycloak",
  "coder-oidc:keycloak": JSON.stringify({ realm: "main" }),
  "keycloak:url": "https://sso.example.com",
};

function problemsOf(raw: RawStackConfig): readonly ConfigProblem[] {
  try {
    parseStackConfig(raw);
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    return err.problems;
  }
  return [];
}

describe("plaintext credentials in stack files", () => {
  it("the one list holds every credential the issue names, and not azuread:clientId (an identifier)", () => {
    const all = PROVIDER_NAMESPACES.flatMap((ns) => credentialKeys(providerKeysOf(ns)).map((key) => `${ns}:${key}`));
    for (const key of ["keycloak:clientSecret", "keycloak:password", "okta:apiToken", "okta:privateKey", "auth0:clientSecret",
      "auth0:apiToken", "azuread:clientSecret", "azuread:clientCertificatePassword", "gcp:credentials"]) {
      assert.ok(all.includes(key), key);
    }
    assert.ok(!all.includes("azuread:clientId"));
    // Every credential is also passed to the provider as a secret.
    for (const ns of PROVIDER_NAMESPACES) for (const key of credentialKeys(providerKeysOf(ns))) assert.ok(PROVIDER_KEYS[ns].secret.includes(key));
    assert.deepEqual(CONFIG_CREDENTIAL_FIELDS.map(([s, f]) => `${s}.${f}`), ["google.clientSecret", "pingfederate.password", "pingfederate.token"]);
  });

  for (const ns of PROVIDER_NAMESPACES) {
    for (const key of credentialKeys(providerKeysOf(ns))) {
      const fullKey = `${ns}:${key}`;
      const text = PROVIDER_KEYS[ns].structured.includes(key) ? JSON.stringify({ value: MARKER }) : MARKER;
      it(`${fullKey} in plain text is refused with the command to use, its value never shown (a ${KEYCLOAK["coder-oidc:idp"]} stack)`, () => {
        const problems = problemsOf({ values: { ...KEYCLOAK, [fullKey]: text }, secretKeys: new Set() });
        const mine = problems.filter((p) => p.key === fullKey);
        assert.equal(mine.length, 1, JSON.stringify(problems));
        assert.equal(mine[0].message,
          `is a credential written in plain text: store it encrypted with pulumi config set --secret ${fullKey} <value> ` +
          "(the stack file then holds only its ciphertext); the value is not shown");
        assert.doesNotMatch(JSON.stringify(problems), new RegExp(MARKER));
      });
      it(`${fullKey} set with --secret passes this check`, () => {
        const problems = problemsOf({ values: { ...KEYCLOAK, [fullKey]: text }, secretKeys: new Set([fullKey]) });
        assert.deepEqual(problems.filter((p) => /plain text/.test(p.message)), []);
      });
    }
  }

  it("azuread:clientId may stay in plain text (the example Entra stack has it so)", () => {
    const problems = problemsOf({ values: { ...KEYCLOAK, "azuread:clientId": "00000000-0000-4000-8000-0000000000c1" }, secretKeys: new Set() });
    assert.deepEqual(problems, []);
  });

  it("google.clientSecret and the PingFederate admin password and token, in plain text, name the --path command", () => {
    const google = problemsOf({
      values: {
        "coder-oidc:coderUrl": "https://coder.example.com",
        "coder-oidc:idp": "google",
        "coder-oidc:google": JSON.stringify({ clientId: "1-a.apps.googleusercontent.com", clientSecret: MARKER }),
      },
      secretKeys: new Set(),
      secretPaths: new Set(),
    });
    assert.deepEqual(google.map((p) => p.key), ["coder-oidc:google.clientSecret"]);
    assert.ok(google[0].message.includes("pulumi config set --secret --path 'google.clientSecret'"));
    assert.doesNotMatch(JSON.stringify(google), new RegExp(MARKER));
    const pf = problemsOf({
      values: {
        "coder-oidc:coderUrl": "https://coder.example.com",
        "coder-oidc:idp": "pingfederate",
        "coder-oidc:pingfederate": JSON.stringify({ adminUrl: "https://pf:9999/pf-admin-api/v1", issuerUrl: "https://sso.example.com", token: MARKER }),
      },
      secretKeys: new Set(),
      secretPaths: new Set(),
    });
    assert.deepEqual(pf.map((p) => p.key), ["coder-oidc:pingfederate.token"]);
    assert.ok(pf[0].message.includes("pulumi config set --secret --path 'pingfederate.token'"));
    assert.doesNotMatch(JSON.stringify(pf), new RegExp(MARKER));
  });

  it("the offline plan refuses a stack file with a plaintext okta:apiToken, exit 1, the token in no output", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "coder-oidc-cred-"));
    try {
      fs.writeFileSync(path.join(dir, "Pulumi.t.yaml"), [
        "config:",
        "  coder-oidc:coderUrl: https://coder.example.com",
        "  coder-oidc:idp: okta",
        "  coder-oidc:okta:",
        "    assignedGroups: everyone",
        "  okta:orgName: dev-123456",
        `  okta:apiToken: ${MARKER}`,
        "",
      ].join("\n"));
      for (const format of ["text", "json"]) {
        const { streams, written } = recordingStreams();
        const code = await runPlan(["--stack", "t", "--stacks-dir", dir, "--format", format], streams);
        assert.equal(code, 1);
        const all = written().stdout + written().stderr;
        assert.match(all, /okta:apiToken: is a credential written in plain text: store it encrypted with pulumi config set --secret okta:apiToken <value>/);
        assert.doesNotMatch(all, new RegExp(MARKER));
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
