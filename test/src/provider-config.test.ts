import { PROVIDER_KEYS, PROVIDER_NAMESPACES, providerKeysOf } from "../support/idps";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { providerArgsFromConfig, providerConfigProblems } from "../../src/provider-config";
import { resolveOutput } from "../../engine/offline-runtime";

/** The installed SDK's provider module, as the provider's schema generated it. */
function sdkFile(namespace: string, file: string): string {
  return fs.readFileSync(path.join(path.dirname(require.resolve(`@pulumi/${namespace}/package.json`)), file), "utf8");
}

interface SdkArg { readonly name: string; readonly type: string; readonly doc: string }

/** Every `ProviderArgs` field of the installed SDK, with its TypeScript type and doc comment. */
function providerArgs(namespace: string): SdkArg[] {
  const dts = sdkFile(namespace, "provider.d.ts");
  const body = /export interface ProviderArgs \{([\s\S]*?)\n\}/.exec(dts)![1];
  const args: SdkArg[] = [];
  for (const m of body.matchAll(/(?:\/\*\*([\s\S]*?)\*\/\s*)?\n {4}(\w+)\?: pulumi\.Input<([^\n]*)/g)) {
    args.push({ name: m[2], type: m[3], doc: m[1] ?? "" });
  }
  return args;
}

/** Keys the schema itself marks secret: the generated provider wraps them in `pulumi.secret`. */
function schemaSecrets(namespace: string): string[] {
  return [...sdkFile(namespace, "provider.js").matchAll(/resourceInputs\["(\w+)"\] = args\?\.\w+ \? pulumi\.secret\(/g)].map((m) => m[1]);
}

/** Keys that can hold a credential by what they are: a secret, password, token, private key, headers, … */
function credentialLike(arg: SdkArg): boolean {
  if (/(FilePath|File|Path|Url|Endpoint)$/.test(arg.name)) return false;
  if (/^(boolean|number)/.test(arg.type)) return false; // a switch such as dynamicCredentials holds no credential
  return /(secret|password|token|credentials|headers|signingkey|privatekey)$/i.test(arg.name) ||
    /private key|PKCS#12|bundle/i.test(arg.doc);
}

describe("provider key table follows the installed provider schemas", () => {
  for (const namespace of PROVIDER_NAMESPACES) {
    const kinds = PROVIDER_KEYS[namespace];
    const args = providerArgs(namespace);

    it(`${namespace}: the SDK's ProviderArgs were read`, () => {
      assert.ok(args.length >= 10, `${args.length} keys read from provider.d.ts`);
    });

    it(`${namespace}: every key the schema marks secret is a secret here`, () => {
      for (const key of schemaSecrets(namespace)) assert.ok(kinds.secret.includes(key), `${namespace}:${key}`);
    });

    it(`${namespace}: every key that can hold a credential is a secret here, and nothing else is`, () => {
      const expected = new Set([...schemaSecrets(namespace), ...args.filter(credentialLike).map((a) => a.name)]);
      assert.ok(expected.size > 0, "a provider with no credential key at all is unlikely: the derivation broke");
      assert.deepEqual([...kinds.secret].sort(), [...expected].sort());
    });

    it(`${namespace}: booleans, numbers and structured keys are typed as the SDK types them`, () => {
      const byType = (test: (type: string) => boolean) => args.filter((a) => test(a.type)).map((a) => a.name).sort();
      assert.deepEqual([...kinds.boolean].sort(), byType((t) => t.startsWith("boolean")));
      assert.deepEqual([...kinds.number].sort(), byType((t) => t.startsWith("number")));
      assert.deepEqual([...kinds.structured].sort(), byType((t) => /^(\{|inputs\.|pulumi\.Input<string>\[\])/.test(t) || t.startsWith("pulumi.Input<string")));
    });

    if (kinds.known) {
      it(`${namespace}: the known keys are exactly the SDK's`, () => {
        assert.deepEqual([...kinds.known!].sort(), args.map((a) => a.name).sort());
      });
    }

    it(`${namespace}: every credential key is passed to the provider as a secret, even set without --secret`, async () => {
      const values = Object.fromEntries(kinds.secret.map((key) => [key, kinds.structured.includes(key) ? '{"X-Api-Key":"k"}' : "v"]));
      const args = providerArgsFromConfig(providerKeysOf(namespace), { values, secretKeys: new Set() });
      for (const key of kinds.secret) {
        assert.ok(pulumi.Output.isInstance(args[key]), `${namespace}:${key} is an Output`);
        assert.equal(await pulumi.isSecret(args[key] as pulumi.Output<unknown>), true, `${namespace}:${key} is secret`);
      }
    });

    it(`${namespace}: a malformed credential is reported without its value`, () => {
      const SECRET = "Zq9-unmistakable-Secret";
      for (const key of kinds.secret) {
        const text = kinds.structured.includes(key) ? `{"Authorization": ${SECRET}` : SECRET;
        const problems = providerConfigProblems(namespace, providerKeysOf(namespace), { values: { [key]: text }, secretKeys: new Set() });
        for (const p of problems) assert.ok(!p.message.includes(SECRET) && !p.message.includes("Zq9"), p.message);
      }
    });
  }
});

describe("provider key values", () => {
  it("keycloak:clientTimeout must be a whole number that fits 32 bits", () => {
    const problem = (text: string) => providerConfigProblems("keycloak", providerKeysOf("keycloak"), { values: { clientTimeout: text }, secretKeys: new Set() })[0]?.message;
    assert.equal(problem("30"), undefined);
    assert.match(problem("1.5")!, /must be a whole number/);
    assert.match(problem("2147483648")!, /at most 2147483647/);
  });

  it("keycloak:realm and gcp:project must be what the service accepts in its URLs", () => {
    const problem = (ns: string, key: string, text: string) =>
      providerConfigProblems(ns, providerKeysOf(ns), { values: { [key]: text }, secretKeys: new Set() })[0]?.message;
    assert.equal(problem("keycloak", "realm", "master"), undefined);
    for (const bad of ["a/b", "a b", "..", "a?b", "a#b", "50%"]) assert.match(problem("keycloak", "realm", bad)!, /realm/, bad);
    assert.equal(problem("gcp", "project", "my-project-1"), undefined);
    for (const bad of ["My-Project", "ab", "proj/x", "1project"]) assert.match(problem("gcp", "project", bad)!, /project id/, bad);
  });
});

describe("providerConfigProblems: every kind of key", () => {
  const problems = (namespace: Parameters<typeof providerConfigProblems>[0], values: Record<string, string>, secretKeys: string[] = []) =>
    providerConfigProblems(namespace, providerKeysOf(namespace), { values, secretKeys: new Set(secretKeys) }).map((p) => `${p.key}: ${p.message}`);

  it("refuses a key the provider does not have, with the nearest name, and lets any key through where the list is open", () => {
    assert.deepEqual(problems("keycloak", { urll: "https://sso.example.com" }),
      ['keycloak:urll: is not a setting of the keycloak provider (check the spelling) (did you mean "url"?)']);
    assert.deepEqual(problems("gcp", { anyKeyAtAll: "x" }), []);
  });

  it("takes true and false in any case and with spaces around, and nothing else, for a flag", () => {
    assert.deepEqual(problems("keycloak", { tlsInsecureSkipVerify: " TRUE ", initialLogin: "false" }), []);
    assert.deepEqual(problems("keycloak", { tlsInsecureSkipVerify: "yes" }), ['keycloak:tlsInsecureSkipVerify: must be true or false, got "yes"']);
    assert.deepEqual(problems("keycloak", { tlsInsecureSkipVerify: "truex" }), ['keycloak:tlsInsecureSkipVerify: must be true or false, got "truex"']);
    assert.deepEqual(problems("keycloak", { tlsInsecureSkipVerify: "xfalse" }), ['keycloak:tlsInsecureSkipVerify: must be true or false, got "xfalse"']);
  });

  it("takes a whole number up to 2147483647 for a number", () => {
    assert.deepEqual(problems("okta", { maxRetries: " 5 ", parallelism: "2147483647" }), []);
    assert.deepEqual(problems("okta", { maxRetries: "4.5" }), ['okta:maxRetries: must be a whole number, got "4.5"']);
    assert.deepEqual(problems("okta", { parallelism: " 2147483648 " }),
      ['okta:parallelism: must be at most 2147483647 (the provider keeps it as a 32-bit integer), got " 2147483648 "']);
  });

  it("takes JSON for a map or list, and never quotes a secret one back", () => {
    assert.deepEqual(problems("okta", { scopes: '["okta.apps.manage"]' }), []);
    const [bad] = problems("okta", { scopes: "[okta" });
    assert.match(bad, /^okta:scopes: must be a map or list \(set it with --path\): \S/);
    assert.doesNotMatch(bad, /secret/);
    assert.deepEqual(problems("keycloak", { additionalHeaders: "{X-Api-Key: k3y" }),
      ["keycloak:additionalHeaders: must be a map or list (set it with --path): the value is a secret, so it is not shown"]);
    assert.deepEqual(problems("okta", { scopes: "[okta" }, ["scopes"]),
      ["okta:scopes: must be a map or list (set it with --path): the value is a secret, so it is not shown"]);
  });

  it("never quotes a credential, nor a value set with --secret", () => {
    assert.deepEqual(problems("okta", { maxRetries: "many" }, ["maxRetries"]), ["okta:maxRetries: must be a whole number"]);
    assert.deepEqual(problems("keycloak", { realm: "a/b" }, ["realm"]),
      ["keycloak:realm: must be 1 to 255 printable ASCII characters without spaces or any of / \\ ? # % (the admin login realm is part of Keycloak's URLs)"]);
  });

  it("skips the placeholder the offline plan reads for a secure value", () => {
    assert.deepEqual(problems("okta", { maxRetries: "offline-placeholder-for-a-secure-value" }), []);
  });
});

describe("providerArgsFromConfig: typed arguments, credentials secret", () => {
  const args = (namespace: string, values: Record<string, string>, secretKeys: string[] = []) =>
    providerArgsFromConfig(providerKeysOf(namespace), { values, secretKeys: new Set(secretKeys) });

  it("types flags, numbers and JSON, and passes text as it is", () => {
    assert.deepEqual(args("okta", { backoff: " TRUE ", maxRetries: "5", scopes: '["a","b"]', orgName: " dev-1 " }),
      { backoff: true, maxRetries: 5, scopes: ["a", "b"], orgName: " dev-1 " });
    assert.deepEqual(args("okta", { backoff: "false" }), { backoff: false });
  });

  it("makes credentials and --secret values secrets, and nothing else", async () => {
    const out = args("okta", { apiToken: "t0ken", orgName: "dev-1", maxRetries: "3" }, ["maxRetries"]);
    assert.deepEqual(await resolveOutput(out.apiToken as pulumi.Output<string>), { known: true, secret: true, value: "t0ken" });
    assert.deepEqual(await resolveOutput(out.maxRetries as pulumi.Output<number>), { known: true, secret: true, value: 3 });
    assert.equal(out.orgName, "dev-1");
  });

  it("makes a relative file path absolute against the root, and leaves inline content and absolute paths as they are", async () => {
    const keycloak = (jwtTokenFile: string) =>
      providerArgsFromConfig(providerKeysOf("keycloak"), { values: { jwtTokenFile }, secretKeys: new Set() }, "/proj").jwtTokenFile;
    assert.equal(keycloak("secrets/token.jwt"), "/proj/secrets/token.jwt");
    assert.equal(keycloak("/etc/token.jwt"), "/etc/token.jwt");
    const inline = '{"type":"service_account"}';
    const google = providerArgsFromConfig(providerKeysOf("gcp"), { values: { credentials: inline }, secretKeys: new Set() }, "/proj");
    assert.deepEqual(await resolveOutput(google.credentials as pulumi.Output<string>), { known: true, secret: true, value: inline });
  });

  it("passes the offline placeholder of a secure value untyped", async () => {
    const out = args("okta", { maxRetries: "offline-placeholder-for-a-secure-value" }, ["maxRetries"]);
    assert.deepEqual(await resolveOutput(out.maxRetries as pulumi.Output<string>),
      { known: true, secret: true, value: "offline-placeholder-for-a-secure-value" });
  });
});
