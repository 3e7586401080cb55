/**
 * Okta (issue 20, class 9): an extra scope on a custom authorization server that may not define it is warned
 * about, as with Entra ID; `assignedGroups` mixing `everyone` with group ids is refused.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { planStack } from "../../../engine/plan";
import { configProblems, stackConfig } from "../../support/program";

function oktaStack(okta: Record<string, unknown>, extraScopes?: string[]): Record<string, string> {
  return {
    "coder-oidc:coderUrl": "https://coder.example.com",
    "coder-oidc:idp": "okta",
    "coder-oidc:okta": JSON.stringify({ assignedGroups: "everyone", ...okta }),
    ...(extraScopes ? { "coder-oidc:extraScopes": JSON.stringify(extraScopes) } : {}),
    "okta:orgName": "dev-123456",
    "okta:apiToken": "okta-api-token-value",
  };
}

describe("Okta: extra scopes on a custom authorization server", () => {
  it("warns, naming the server and the scopes, when a scope is not one every server defines", async () => {
    const { warnings } = await planStack("t", stackConfig(oktaStack({ authorizationServer: "default" }, ["groups", "phone", "coder.read"])));
    assert.deepEqual(warnings.filter((w) => w.includes("extraScopes")), [
      'coder-oidc:extraScopes asks Okta\'s authorization server "default" for groups, coder.read, which this stack does not ' +
      "define there: each must exist as a scope of that server (Security > API > Authorization Servers > Scopes), or " +
      "sign-in fails with invalid_scope. (For groups, set coder-oidc:okta.groupsClaim instead: it adds a groups claim, " +
      "no scope is needed.)",
    ]);
  });

  it("says nothing for the OpenID Connect scopes every server has, nor without extra scopes", async () => {
    for (const extra of [["address", "phone", "device_sso"], undefined]) {
      const { warnings } = await planStack("t", stackConfig(oktaStack({ authorizationServer: "default" }, extra)));
      assert.deepEqual(warnings.filter((w) => w.includes("extraScopes")), [], JSON.stringify(extra));
    }
  });
});

describe("Okta: assignedGroups", () => {
  it("refuses everyone mixed with group ids, in any case", () => {
    for (const everyone of ["everyone", "EVERYONE", " Everyone "]) {
      assert.equal(configProblems(oktaStack({ assignedGroups: [everyone, "00g1abcd2EFGH3ijk4x7"] })).get("coder-oidc:okta.assignedGroups"),
        "mixes everyone with group ids (00g1abcd2EFGH3ijk4x7): everyone already lets every user of the org sign in, so the " +
        "ids would restrict nothing; write either assignedGroups: everyone, or the list of group ids alone", everyone);
    }
  });

  it("refuses a list holding only everyone (it would be taken for a group id), naming the form to write", () => {
    assert.equal(configProblems(oktaStack({ assignedGroups: ["everyone"] })).get("coder-oidc:okta.assignedGroups"),
      "must be the word everyone, not a list holding it: write coder-oidc:okta.assignedGroups: everyone");
  });

  it("takes everyone alone, or group ids alone", async () => {
    for (const assignedGroups of ["everyone", ["00g1abcd2EFGH3ijk4x7", "00g1abcd2EFGH3ijk4x8"]]) {
      await assert.doesNotReject(planStack("t", stackConfig(oktaStack({ assignedGroups }))));
    }
  });
});
