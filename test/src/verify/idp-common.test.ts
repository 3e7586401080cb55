/**
 * What the IdPs' client checks share (src/verify/idp-common.ts): Coder's callback below any access URL, a credential
 * from the stack's config before the environment (empty counts as unset in both), a structured `coder-oidc:*` value
 * only when it is a map, one field of it only when set and valid, and the lists in messages.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { z } from "zod";
import { coderCallback, coderOidcObject, configOrEnv, expectation, listOf, sectionField } from "../../../src/verify/idp-common";
import type { Finding } from "../../../src/verify/core";

const ENV = "CODER_OIDC_IDP_COMMON_TEST";

/** Runs `run` with ENV set to `value` (or unset), then puts it back. */
function withEnv<T>(value: string | undefined, run: () => T): T {
  const saved = process.env[ENV];
  if (value === undefined) delete process.env[ENV];
  else process.env[ENV] = value;
  try {
    return run();
  } finally {
    if (saved === undefined) delete process.env[ENV];
    else process.env[ENV] = saved;
  }
}

describe("coderCallback", () => {
  it("is Coder's OIDC callback below the access URL, however many trailing slashes it has", () => {
    for (const url of ["https://coder.example.com", "https://coder.example.com/", "https://coder.example.com///"]) {
      assert.equal(coderCallback(url), "https://coder.example.com/api/v2/users/oidc/callback", url);
    }
    assert.equal(coderCallback("https://example.com/coder//"), "https://example.com/coder/api/v2/users/oidc/callback");
  });
});

describe("configOrEnv", () => {
  const config = (value: string) => ({ "okta:orgName": { value } });

  it("the stack's value before the environment's", () => {
    assert.equal(withEnv("from-env", () => configOrEnv(config("from-stack"), "okta:orgName", ENV)), "from-stack");
  });

  it("the environment's when the stack has none, or an empty one", () => {
    assert.equal(withEnv("from-env", () => configOrEnv({}, "okta:orgName", ENV)), "from-env");
    assert.equal(withEnv("from-env", () => configOrEnv(config(""), "okta:orgName", ENV)), "from-env");
    assert.equal(withEnv("from-env", () => configOrEnv({ "okta:orgName": {} }, "okta:orgName", ENV)), "from-env");
  });

  it("undefined when neither gives a value, empty strings included", () => {
    assert.equal(withEnv(undefined, () => configOrEnv({}, "okta:orgName", ENV)), undefined);
    assert.equal(withEnv("", () => configOrEnv({}, "okta:orgName", ENV)), undefined);
    assert.equal(withEnv("", () => configOrEnv(config(""), "okta:orgName", ENV)), undefined);
  });
});

describe("coderOidcObject", () => {
  const config = (value: string) => ({ "coder-oidc:okta": { value } });

  it("a map is read as it is", () => {
    assert.deepEqual(coderOidcObject(config('{"assignedGroups":["00g1"]}'), "okta"), { assignedGroups: ["00g1"] });
  });

  it("undefined for a value that is unset, empty, not JSON, or JSON that is no map", () => {
    assert.equal(coderOidcObject({}, "okta"), undefined);
    assert.equal(coderOidcObject({ "coder-oidc:okta": {} }, "okta"), undefined);
    for (const value of ["", "{", "null", "[1,2]", "5", '"text"', "true"]) {
      assert.equal(coderOidcObject(config(value), "okta"), undefined, value);
    }
  });

  it("reads the key asked for, under coder-oidc:", () => {
    assert.equal(coderOidcObject({ "okta": { value: "{}" } }, "okta"), undefined);
    assert.deepEqual(coderOidcObject({ "coder-oidc:auth0": { value: '{"a":1}' }, "coder-oidc:okta": { value: "{}" } }, "auth0"), { a: 1 });
  });
});

describe("sectionField", () => {
  const schema = z.object({
    authorizationServer: z.string().min(1),
    groups: z.array(z.string()),
    audience: z.string().default("https://api.example.com"),
  });
  const config = (section: object) => ({ "coder-oidc:okta": { value: JSON.stringify(section) } });

  it("a field that passes its schema", () => {
    assert.equal(sectionField(config({ authorizationServer: "default" }), "okta", schema, "authorizationServer"), "default");
    assert.deepEqual(sectionField(config({ groups: ["a", "b"] }), "okta", schema, "groups"), ["a", "b"]);
  });

  it("undefined for a field that fails its schema", () => {
    assert.equal(sectionField(config({ authorizationServer: "" }), "okta", schema, "authorizationServer"), undefined);
    assert.equal(sectionField(config({ groups: "a" }), "okta", schema, "groups"), undefined);
  });

  it("undefined for a field that is unset, even where the schema has a default: the check reads what the stack says", () => {
    assert.equal(sectionField(config({}), "okta", schema, "audience"), undefined);
    assert.equal(sectionField({}, "okta", schema, "authorizationServer"), undefined);
    assert.equal(sectionField(config({ audience: "https://other.example.com" }), "okta", schema, "audience"), "https://other.example.com");
  });
});

describe("expectation", () => {
  it("pushes ok with its text, or a problem with the prefix and the fix", () => {
    const findings: Finding[] = [];
    const expect = expectation(findings, 'Okta app "Coder"');
    expect("okta.app.status", true, "the app is active", "activate it");
    expect("okta.app.type", false, "it is a web app", "make it a web app");
    assert.deepEqual(findings, [
      { check: "okta.app.status", status: "ok", message: "the app is active" },
      { check: "okta.app.type", status: "problem", message: 'Okta app "Coder": make it a web app' },
    ]);
  });
});

describe("listOf", () => {
  it("joins values with commas, and says none for none", () => {
    assert.equal(listOf(["authorization_code", "refresh_token", 3]), "authorization_code, refresh_token, 3");
    assert.equal(listOf(["one"]), "one");
    assert.equal(listOf([]), "none");
    assert.equal(listOf(undefined), "none");
    assert.equal(listOf(null), "none");
  });
});
