import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { requireGoogleBasicScopesOnly } from "../../../idps/google/policy";
import { validateStack } from "../../policy/support";

const component = (idp: string) => ({ type: `coder-oidc:providers:${idp}CoderClient`, name: "coder", props: {} });
const outputs = (scopes: string) => ({ type: "pulumi:pulumi:Stack", name: "coder-oidc-staging", props: { CODER_OIDC_SCOPES: scopes } });

describe("google-scopes-basic-only", () => {
  const policy = requireGoogleBasicScopesOnly("google-scopes-basic-only");
  it("is advisory", () => assert.equal(policy.enforcementLevel, "advisory"));
  it("passes openid, profile and email", async () => {
    assert.deepEqual((await validateStack(policy, [component("Google"), outputs("openid,profile,email")])).violations, []);
  });
  it("reports a further scope, naming the 7-day expiry and what to change", async () => {
    const { violations } = await validateStack(policy, [component("Google"), outputs("openid,profile,email,https://www.googleapis.com/auth/drive.readonly")]);
    assert.equal(violations.length, 1);
    assert.match(violations[0], /asks Google for https:\/\/www\.googleapis\.com\/auth\/drive\.readonly beyond openid, email and profile.*7 days.*coder-oidc:extraScopes/);
  });
  it("leaves offline_access to coder-settings-ask-for-refresh-tokens", async () => {
    assert.deepEqual((await validateStack(policy, [component("Google"), outputs("openid,profile,email,offline_access")])).violations, []);
  });
  it("is not applicable to other IdPs' stacks", async () => {
    assert.ok((await validateStack(policy, [component("Okta"), outputs("openid,profile,email,groups")])).notApplicable);
  });
});
