import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  requireOktaAppRefreshGrants,
  requireOktaCoderRedirectUris,
  requireOktaConsentOnCustomServer,
  requireOktaPolicyRuleOfflineAccess,
} from "../../../idps/okta/policy";
import { OKTA_APP, OKTA_POLICY_RULE } from "../../policy/fixtures";
import { UNKNOWN_STRING, validateResource, validateStack } from "../../policy/support";

const APP = "okta:app/oAuth:OAuth";
const RULE = "okta:auth/serverPolicyRule:ServerPolicyRule";
const app = (props: Record<string, unknown> = {}) => ({ type: APP, name: "coder-app", props: { ...OKTA_APP, ...props } });
const rule = (props: Record<string, unknown> = {}) => ({ type: RULE, name: "coder-policy-rule", props: { ...OKTA_POLICY_RULE, ...props } });

describe("okta-app-refresh-grants", () => {
  const policy = requireOktaAppRefreshGrants("okta-app-refresh-grants");
  it("passes the app the program declares", async () => assert.deepEqual((await validateResource(policy, app())).violations, []));
  it("fails an app without refresh_token, saying to add it and why", async () => {
    const { violations } = await validateResource(policy, app({ grantTypes: ["authorization_code"] }));
    assert.equal(violations.length, 1);
    assert.match(violations[0], /Okta app coder-app: grantTypes \(authorization_code\) lack refresh_token; set grantTypes: \["authorization_code", "refresh_token"\].*no refresh token/);
  });
  it("fails an app without authorization_code", async () => {
    assert.match((await validateResource(policy, app({ grantTypes: ["refresh_token", "implicit"] }))).violations[0], /lack authorization_code;/);
  });
  it("fails a browser (SPA) app, saying to make it web", async () => {
    assert.match((await validateResource(policy, app({ type: "browser" }))).violations[0], /type is browser; set type: "web"/);
  });
  it("does not fail unknown grants behind the engine's proxy", async () => {
    assert.deepEqual((await validateResource(policy, app({ grantTypes: UNKNOWN_STRING }), { proxy: true })).violations, []);
  });
  it("is not applicable to a policy rule", async () => {
    assert.match((await validateResource(policy, rule())).notApplicable ?? "", /okta:app\/oAuth:OAuth/);
  });
});

describe("okta-app-redirects-to-coder-only", () => {
  const policy = requireOktaCoderRedirectUris("okta-app-redirects-to-coder-only");
  it("passes Coder's callback", async () => assert.deepEqual((await validateResource(policy, app())).violations, []));
  it("fails a wildcard and another path, naming them", async () => {
    const { violations } = await validateResource(policy, app({ redirectUris: ["https://*.example.com/api/v2/users/oidc/callback", "https://coder.example.com/login"] }));
    assert.equal(violations.length, 1);
    assert.match(violations[0], /redirectUris https:\/\/\*\.example\.com\/api\/v2\/users\/oidc\/callback, https:\/\/coder\.example\.com\/login are not Coder's callback/);
  });
  it("fails an app with no redirect URI", async () => {
    assert.match((await validateResource(policy, app({ redirectUris: [] }))).violations[0], /no redirectUris; set them to Coder's callback/);
  });
});

describe("okta-policy-rule-allows-offline-access", () => {
  const policy = requireOktaPolicyRuleOfflineAccess("okta-policy-rule-allows-offline-access");
  it("passes the rule the program declares", async () => assert.deepEqual((await validateResource(policy, rule())).violations, []));
  it("passes a rule that allows every scope", async () => {
    assert.deepEqual((await validateResource(policy, rule({ scopeWhitelists: ["*"] }))).violations, []);
  });
  it("fails a rule without offline_access, saying Okta then issues no refresh token", async () => {
    const { violations } = await validateResource(policy, rule({ scopeWhitelists: ["openid", "profile", "email"] }));
    assert.equal(violations.length, 1);
    assert.match(violations[0], /coder-policy-rule: scopeWhitelists \(openid, profile, email\) lack offline_access; add it, or Okta issues Coder no refresh token/);
  });
  it("fails a rule for client credentials only", async () => {
    assert.match((await validateResource(policy, rule({ grantTypeWhitelists: ["client_credentials"] }))).violations[0], /lack authorization_code; add it/);
  });
});

describe("okta-app-consent-needs-custom-authorization-server", () => {
  const policy = requireOktaConsentOnCustomServer("consent");
  const outputs = (issuer: string) => ({ type: "pulumi:pulumi:Stack", name: "coder-oidc-prod", props: { CODER_OIDC_ISSUER_URL: issuer } });
  it("passes REQUIRED on a custom authorization server", async () => {
    assert.deepEqual((await validateStack(policy, [app({ consentMethod: "REQUIRED" }), outputs("https://dev-1.okta.com/oauth2/default")])).violations, []);
  });
  it("passes TRUSTED on the org server", async () => {
    assert.deepEqual((await validateStack(policy, [app(), outputs("https://dev-1.okta.com")])).violations, []);
  });
  it("fails REQUIRED on the org server, saying what to set", async () => {
    const { violations } = await validateStack(policy, [app({ consentMethod: "REQUIRED" }), outputs("https://dev-1.okta.com")]);
    assert.equal(violations.length, 1);
    assert.match(violations[0], /consentMethod is REQUIRED, but CODER_OIDC_ISSUER_URL https:\/\/dev-1\.okta\.com is Okta's org authorization server.*coder-oidc:okta\.consent: trusted/);
  });
  it("does not fail an unknown issuer during preview", async () => {
    assert.deepEqual((await validateStack(policy, [app({ consentMethod: "REQUIRED" }), outputs(UNKNOWN_STRING)], { proxy: true })).violations, []);
  });
  it("is not applicable without an Okta app", async () => {
    assert.ok((await validateStack(policy, [outputs("https://dev-1.okta.com")])).notApplicable);
  });
});
