import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseCoderAuthUrlParams, parseCoderScopes } from "../../src/coder-settings";

describe("parseCoderScopes: CODER_OIDC_SCOPES as Coder reads it, one CSV record", () => {
  it("splits on commas, and a quoted field keeps its comma", () => {
    assert.deepEqual(parseCoderScopes("openid,profile,email,offline_access"), ["openid", "profile", "email", "offline_access"]);
    assert.deepEqual(parseCoderScopes('openid,"a,b"'), ["openid", "a,b"]);
    assert.deepEqual(parseCoderScopes("openid"), ["openid"]);
  });

  it("reads an empty string as no scopes", () => {
    assert.deepEqual(parseCoderScopes(""), []);
  });

  it("refuses more than one record, quoting the value", () => {
    assert.throws(() => parseCoderScopes("openid\nprofile"), { message: 'CODER_OIDC_SCOPES is not one CSV record: "openid\\nprofile"' });
  });
});

describe("parseCoderAuthUrlParams: CODER_OIDC_AUTH_URL_PARAMS as Coder reads it, a YAML map of strings", () => {
  it("reads JSON and YAML maps, every value as a string", () => {
    assert.deepEqual(parseCoderAuthUrlParams('{"access_type":"offline","prompt":"consent"}'), { access_type: "offline", prompt: "consent" });
    assert.deepEqual(parseCoderAuthUrlParams("access_type: offline\nmax_age: 300"), { access_type: "offline", max_age: "300" });
    assert.deepEqual(parseCoderAuthUrlParams("{}"), {});
  });

  it("is undefined for anything that is not a map", () => {
    for (const value of ["[]", '["access_type"]', "offline", "42", "null", "", "{", "a: [1"]) {
      assert.equal(parseCoderAuthUrlParams(value), undefined, value);
    }
  });
});
