/** `coder-oidc:adoptClientId` in the stack-config contract: its form per IdP, Google, clientId, the old variable. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseStackConfig } from "../../idps/registry";
import { ConfigError } from "../../src/errors";
import { configProblems } from "../support/program";

/** A secretRotation that is valid whenever the test runs (neither in the future nor a secret already ended). */
const THIS_MONTH = new Date().toISOString().slice(0, 7);

function values(extra: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries({ "coder-oidc:coderUrl": "https://coder.example.com", ...extra })
    .map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
}

const KEYCLOAK = { "coder-oidc:idp": "keycloak", "coder-oidc:keycloak": { realm: "r" }, "keycloak:url": "https://sso.example.com" };
const PINGFEDERATE = {
  "coder-oidc:idp": "pingfederate",
  "coder-oidc:pingfederate": { adminUrl: "https://pf.example.com:9999/pf-admin-api/v1", issuerUrl: "https://sso.example.com" },
};
const GOOGLE = {
  "coder-oidc:idp": "google",
  "coder-oidc:google": { clientId: "1-abc.apps.googleusercontent.com", clientSecret: "s3cret-google" },
};

describe("coder-oidc:adoptClientId", () => {
  it("names the client id where the stack names it (Keycloak, PingFederate) when clientId is unset", () => {
    assert.equal(parseStackConfig({ values: values({ ...KEYCLOAK, "coder-oidc:adoptClientId": "coder-prod" }), secretKeys: new Set() }).clientId,
      "coder-prod");
    const same = parseStackConfig({
      values: values({ ...PINGFEDERATE, "coder-oidc:adoptClientId": "coder", "coder-oidc:clientId": "coder" }), secretKeys: new Set(),
    });
    assert.equal(same.adoptClientId, "coder");
    assert.equal(parseStackConfig({ values: values(KEYCLOAK), secretKeys: new Set() }).adoptClientId, undefined);
  });

  it("is refused when it differs from the clientId the stack names", () => {
    const problems = configProblems(values({ ...KEYCLOAK, "coder-oidc:adoptClientId": "coder-prod", "coder-oidc:clientId": "coder" }));
    assert.match(problems.get("coder-oidc:adoptClientId") ?? "", /differs from coder-oidc:clientId \("coder"\)/);
  });

  it("is a config error with Google, saying there is no API and to set the existing client's id and secret", () => {
    const problems = configProblems(values({ ...GOOGLE, "coder-oidc:adoptClientId": "1-abc.apps.googleusercontent.com" }),
      ["coder-oidc:google"]);
    const message = problems.get("coder-oidc:adoptClientId") ?? "";
    assert.match(message, /Google has no API for its OAuth clients/);
    assert.match(message, /coder-oidc:google\.clientId/);
    assert.match(message, /google\.clientSecret/);
  });

  it("must have the form of the IdP's client ids", () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ "coder-oidc:idp": "entra-id", "coder-oidc:entraId": { tenantId: "3f2504e0-4f89-41d3-9a0c-0305e82c3301", secretRotation: THIS_MONTH } },
        /application \(client\) id, a GUID/],
      [{ "coder-oidc:idp": "okta", "coder-oidc:okta": { assignedGroups: "everyone" }, "okta:orgName": "dev-1" }, /0oa/],
      [{ "coder-oidc:idp": "auth0", "auth0:domain": "x.us.auth0.com" }, /32 letters and digits/],
      [PINGFEDERATE, /admin API path/],
    ];
    for (const [idp, pattern] of cases) {
      const problems = configProblems(values({ ...idp, "coder-oidc:adoptClientId": "not/valid" }));
      assert.match(problems.get("coder-oidc:adoptClientId") ?? "", pattern, JSON.stringify(idp));
    }
    assert.match(configProblems(values({ ...KEYCLOAK, "coder-oidc:adoptClientId": " " })).get("coder-oidc:adoptClientId") ?? "",
      /must not be empty/);
  });

  it("accepts each IdP's own form", () => {
    const ok: [Record<string, unknown>, string][] = [
      [{ "coder-oidc:idp": "entra-id", "coder-oidc:entraId": { tenantId: "3f2504e0-4f89-41d3-9a0c-0305e82c3301", secretRotation: THIS_MONTH } },
        "00000000-0000-4000-8000-0000000000aa"],
      [{ "coder-oidc:idp": "okta", "coder-oidc:okta": { assignedGroups: "everyone" }, "okta:orgName": "dev-1", "okta:apiToken": "t" },
        "0oa1b2c3d4e5f6g7h8i9"],
      [{ "coder-oidc:idp": "auth0", "auth0:domain": "x.us.auth0.com" }, "AaiyAPdpYdesoKnqjj8HJqRn4T5titww"],
    ];
    for (const [idp, id] of ok) {
      assert.equal(parseStackConfig({ values: values({ ...idp, "coder-oidc:adoptClientId": id }), secretKeys: new Set(["okta:apiToken"]) })
        .adoptClientId, id);
    }
  });

  it("replaces PINGFEDERATE_ADOPT_CLIENT: setting the variable is an error that points to the key", () => {
    try {
      parseStackConfig({ values: values(PINGFEDERATE), secretKeys: new Set(), environment: { PINGFEDERATE_ADOPT_CLIENT: "coder" } });
      assert.fail("expected a ConfigError");
    } catch (err) {
      assert.ok(err instanceof ConfigError);
      const problem = err.problems.find((p) => p.key === "PINGFEDERATE_ADOPT_CLIENT");
      assert.match(problem?.message ?? "", /replaced by coder-oidc:adoptClientId.*pulumi config set coder-oidc:adoptClientId "coder"/);
    }
  });
});
