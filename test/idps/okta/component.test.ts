import { coderRow } from "../../support/idps";
import assert from "node:assert/strict";
import { describe, it, type TestContext } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { isSecretValue, revealSecrets, settle } from "../../../engine/offline-runtime";
import { planStack, planToJson, renderPlanText } from "../../../engine/plan";
import { readStackFile, SECRET_PLACEHOLDER } from "../../../engine/stack-file";
import { parseStackConfig } from "../../../idps/registry";
import { configProblems, hex12, only, runProgram, visibleStrings, stackConfig, installStackMocks } from "../../support/program";

const PROVIDER = "pulumi:providers:okta";
const APP = "okta:app/oAuth:OAuth";
const ASSIGNMENT = "okta:app/groupAssignment:GroupAssignment";
const POLICY = "okta:auth/serverPolicy:ServerPolicy";
const RULE = "okta:auth/serverPolicyRule:ServerPolicyRule";
const CLAIM = "okta:auth/serverClaim:ServerClaim";
const GET_EVERYONE = "okta:group/getEveryoneGroup:getEveryoneGroup";

const CALLBACK = "https://coder.example.com/api/v2/users/oidc/callback";
const API_TOKEN = "okta-admin-api-token-value";
// What the mocks make up (engine/offline-runtime.ts): the app's secret and id, the Everyone group's id.
const APP_SECRET = "fake-secret-of-coder-app";
const APP_ID = "coder-app-id";
const EVERYONE_ID = "00g0everyone0000000x7";

/** Stack config for an Okta stack; objects become JSON text, as the engine hands them over. */
function oktaStack(okta: Record<string, unknown> = {}, overrides: Record<string, unknown> = {}): Record<string, string> {
  const values: Record<string, unknown> = {
    "coder-oidc:coderUrl": "https://coder.example.com",
    "coder-oidc:idp": "okta",
    "coder-oidc:okta": { assignedGroups: "everyone", ...okta },
    "okta:orgName": "dev-123456",
    "okta:apiToken": API_TOKEN,
    ...overrides,
  };
  for (const [key, value] of Object.entries(values)) if (value === undefined) delete values[key];
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
}

/** A custom-server stack with every lifetime set. */
const CUSTOM = { authorizationServer: "default" };
const TOKENS = { "coder-oidc:tokens": { accessTokenLifetime: "1h", refreshIdleTimeout: "7d", refreshMaxLifetime: "90d" } };

function plan(values: Record<string, string>) {
  return planStack("test", { values, secretKeys: new Set(["okta:apiToken"]) });
}

describe("stack config: coder-oidc:okta", () => {
  it("applies the documented defaults", () => {
    assert.deepEqual(parseStackConfig(stackConfig(oktaStack())).okta,
      { authorizationServer: "org", consent: "trusted", groupsClaim: false, assignedGroups: "everyone" });
  });

  it("requires coder-oidc:okta, and who may sign in", () => {
    assert.ok(configProblems(oktaStack({}, { "coder-oidc:okta": undefined })).has("coder-oidc:okta"));
    assert.equal(configProblems(oktaStack({ assignedGroups: undefined })).get("coder-oidc:okta.assignedGroups"), "is required");
  });

  it("takes everyone or a non-empty list of group ids in assignedGroups", () => {
    assert.equal(configProblems(oktaStack({ assignedGroups: "all" })).get("coder-oidc:okta.assignedGroups"),
      "must be everyone or a list of Okta group ids, e.g. [00g1abcd2EFGH3ijk4x7]");
    assert.equal(configProblems(oktaStack({ assignedGroups: [] })).get("coder-oidc:okta.assignedGroups"),
      "must list at least one Okta group id, or be everyone");
  });

  it("rejects an authorization server id that is not letters and digits, and a consent mode other than trusted/required", () => {
    const p = configProblems(oktaStack({ authorizationServer: "https://x/oauth2/default", consent: "sometimes" }));
    assert.equal(p.get("coder-oidc:okta.authorizationServer"), "must be org or a custom authorization server id (letters and digits), e.g. default");
    assert.equal(p.get("coder-oidc:okta.consent"), "must be trusted or required");
  });

  it("requires okta:orgName as the org's subdomain, and okta:baseUrl as a bare domain", () => {
    assert.equal(configProblems(oktaStack({}, { "okta:orgName": undefined })).get("okta:orgName"),
      "is required: your Okta org's subdomain, e.g. dev-123456 for dev-123456.okta.com");
    assert.equal(configProblems(oktaStack({}, { "okta:orgName": "dev-123456.okta.com" })).get("okta:orgName"),
      'must be the org\'s subdomain only, e.g. dev-123456 (no scheme or dots), got "dev-123456.okta.com"');
    assert.equal(configProblems(oktaStack({}, { "okta:baseUrl": "https://okta.com" })).get("okta:baseUrl"),
      'must be Okta\'s domain, e.g. okta.com or oktapreview.com (no scheme), got "https://okta.com"');
  });

  it("rejects unknown okta:* keys and typed values of the wrong kind", () => {
    const p = configProblems(oktaStack({}, { "okta:apitoken": "x", "okta:backoff": "maybe", "okta:maxRetries": "many" }));
    assert.equal(p.get("okta:apitoken"), "is not a setting of the okta provider (check the spelling) (did you mean \"apiToken\"?)");
    assert.equal(p.get("okta:backoff"), 'must be true or false, got "maybe"');
    assert.equal(p.get("okta:maxRetries"), 'must be a whole number, got "many"');
  });

  it("refuses token lifetimes on the org authorization server, whose lifetimes are fixed", () => {
    const p = configProblems(oktaStack({}, TOKENS));
    // Each points at a custom authorization server.
    for (const key of ["accessTokenLifetime", "refreshIdleTimeout", "refreshMaxLifetime"]) {
      assert.ok(p.get(`coder-oidc:tokens.${key}`)?.includes("coder-oidc:okta.authorizationServer: default"), key);
    }
  });

  it("enforces Okta's ranges in whole minutes, naming the key", () => {
    const p = configProblems(oktaStack(CUSTOM, { "coder-oidc:tokens": { accessTokenLifetime: "2d", refreshIdleTimeout: "90s", refreshMaxLifetime: "1826d" } }));
    assert.equal(p.get("coder-oidc:tokens.accessTokenLifetime"), "must be between 5m and 1d for Okta, got 2d");
    assert.equal(p.get("coder-oidc:tokens.refreshIdleTimeout"), "must be whole minutes for Okta (its unit), got 90s");
    assert.equal(p.get("coder-oidc:tokens.refreshMaxLifetime"), "must be between 5m and 1825d for Okta, got 1826d");
    assert.equal(configProblems(oktaStack(CUSTOM, { "coder-oidc:tokens": { accessTokenLifetime: "4m" } })).get("coder-oidc:tokens.accessTokenLifetime"),
      "must be between 5m and 1d for Okta, got 4m");
    parseStackConfig(stackConfig(oktaStack(CUSTOM, { "coder-oidc:tokens": { accessTokenLifetime: "5m", refreshIdleTimeout: "1825d" } })));
  });

  it("refuses coder-oidc:clientId: Okta assigns the client id", () => {
    assert.ok(configProblems(oktaStack({}, { "coder-oidc:clientId": "coder" })).has("coder-oidc:clientId"));
  });

  it("needs a custom authorization server for the groups claim", () => {
    assert.equal(configProblems(oktaStack({ groupsClaim: true })).get("coder-oidc:okta.groupsClaim"),
      "needs a custom authorization server (coder-oidc:okta.authorizationServer, e.g. default): the claim is declared there");
  });
});

describe("stack config: refresh-token rotation with Okta", () => {
  it("requires a reuse window with rotation on, saying why", () => {
    assert.equal(configProblems(oktaStack({}, { "coder-oidc:refreshTokenRotation": "on" })).get("coder-oidc:refreshTokenReuseWindow"),
      "is required with refreshTokenRotation: on: rotation without a reuse window signs users out at random, because " +
      "Coder refreshes several times at once and Okta refuses all but one with invalid_grant (coder/coder#25275); set 1s " +
      "to 1m (okta.app.OAuth refreshTokenLeeway)");
  });

  it("keeps the reuse window within Okta's 1-60 seconds", () => {
    assert.equal(configProblems(oktaStack({}, { "coder-oidc:refreshTokenRotation": "on", "coder-oidc:refreshTokenReuseWindow": "2m" }))
      .get("coder-oidc:refreshTokenReuseWindow"),
    "must be between 1s and 1m for Okta (okta.app.OAuth refreshTokenLeeway; Okta: grace period for token rotation, " +
      "0-60 seconds, default 30 (developer.okta.com/docs/guides/refresh-tokens/)), got 2m");
  });

  it("refuses a reuse window without rotation, and a rotation value other than off/on", () => {
    assert.equal(configProblems(oktaStack({}, { "coder-oidc:refreshTokenReuseWindow": "30s" })).get("coder-oidc:refreshTokenReuseWindow"),
      "applies only with coder-oidc:refreshTokenRotation: on");
    assert.equal(configProblems(oktaStack({}, { "coder-oidc:refreshTokenRotation": "true" })).get("coder-oidc:refreshTokenRotation"),
      "must be off or on");
  });
});

describe("OktaCoderClient: okta.Provider", () => {
  it("is explicit, built from okta:*, with credentials secret even without --secret, and used by every resource", async () => {
    const { mocks } = await runProgram(oktaStack(CUSTOM, { ...TOKENS, "okta:baseUrl": "oktapreview.com", "okta:privateKey": "PEM", "okta:maxRetries": "3" }));
    const provider = only(mocks, PROVIDER);
    assert.equal(provider.name, "coder-okta");
    assert.equal(provider.inputs.orgName, "dev-123456");
    assert.equal(provider.inputs.baseUrl, "oktapreview.com");
    assert.equal(String(provider.inputs.maxRetries), "3");
    for (const key of ["apiToken", "privateKey"]) assert.ok(isSecretValue(provider.inputs[key]), `${key} is secret`);
    assert.equal(revealSecrets(provider.inputs.apiToken), API_TOKEN);
    const managed = mocks.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"));
    assert.deepEqual(managed.map((r) => r.type).sort(), [APP, ASSIGNMENT, POLICY, RULE].sort());
    for (const r of managed) assert.match(r.provider ?? "", /::coder-oidc:providers:OktaCoderClient\$pulumi:providers:okta::coder-okta::coder-okta-id$/, `${r.type} uses the explicit provider`);
  });
});

describe("OktaCoderClient: okta.app.OAuth", () => {
  it("is a web app with the code and refresh grants, Coder's callback, client-secret auth and static refresh tokens", async () => {
    const { mocks } = await runProgram(oktaStack());
    const app = only(mocks, APP);
    assert.equal(app.name, "coder-app");
    assert.deepEqual(app.inputs, {
      label: "Coder",
      type: "web",
      grantTypes: ["authorization_code", "refresh_token"],
      redirectUris: [CALLBACK],
      responseTypes: ["code"],
      tokenEndpointAuthMethod: "client_secret_basic",
      consentMethod: "TRUSTED",
      refreshTokenRotation: "STATIC",
    });
  });

  it("asks for consent with consent: required, and uses the display name", async () => {
    const { mocks } = await runProgram(oktaStack({ consent: "required" }, { "coder-oidc:displayName": "Coder (prod)" }));
    const app = only(mocks, APP);
    assert.equal(app.inputs.consentMethod, "REQUIRED");
    assert.equal(app.inputs.label, "Coder (prod)");
  });

  it("rotates refresh tokens with the reuse window as leeway, and warns, with refreshTokenRotation: on", async () => {
    const values = oktaStack({}, { "coder-oidc:refreshTokenRotation": "on", "coder-oidc:refreshTokenReuseWindow": "45s" });
    const app = only((await runProgram(values)).mocks, APP);
    assert.equal(app.inputs.refreshTokenRotation, "ROTATE");
    assert.equal(app.inputs.refreshTokenLeeway, 45);
    const { warnings } = await plan(values);
    assert.deepEqual(warnings, [
      "Okta rotates Coder's refresh tokens, with a 45s reuse window in which the previous one still works: Coder's handling " +
      "of rotating refresh tokens is still open (coder/coder#25275); if users are signed out after a refresh, set " +
      "coder-oidc:refreshTokenRotation to off.",
    ]);
  });
});

describe("OktaCoderClient: who may sign in", () => {
  it("assigns the app to Okta's Everyone group, looked up, with assignedGroups: everyone", async () => {
    const { mocks } = await runProgram(oktaStack());
    const assignment = only(mocks, ASSIGNMENT);
    assert.equal(assignment.name, "coder-everyone");
    assert.deepEqual(assignment.inputs, { appId: APP_ID, groupId: EVERYONE_ID });
    assert.deepEqual(mocks.calls.map((c) => c.token), [GET_EVERYONE]);
    const { notes, warnings } = await plan(oktaStack());
    // Everything the plan says for the simplest stack: who signs in, where lifetimes come from, nothing else.
    assert.deepEqual(notes, [
      "Okta: who can sign in to Coder: every user of the Okta org (the app is assigned to Okta's Everyone group).",
      "Okta: tokens come from the org authorization server, whose lifetimes Okta fixes (its access tokens live 1 hour); " +
      "refresh tokens need offline_access, which Coder requests.",
    ]);
    assert.deepEqual(warnings, []);
  });

  it("says group for one group, listed once however often it is given", async () => {
    for (const assignedGroups of [["00gA"], ["00gA", "00gA"]]) {
      const { notes } = await plan(oktaStack({ assignedGroups }));
      assert.ok(notes.includes("Okta: who can sign in to Coder: only members of the Okta group 00gA (the app is assigned to them)."),
        notes.join("\n"));
    }
  });

  it("assigns the app to each listed group once, named by the group id, and says so in the plan", async () => {
    const values = oktaStack({ assignedGroups: ["00gA", "00gB", "00gA"] });
    const { mocks } = await runProgram(values);
    assert.deepEqual(mocks.ofType(ASSIGNMENT).map((r) => [r.name, r.inputs]).sort(), [
      ["coder-group-00gA", { appId: APP_ID, groupId: "00gA" }],
      ["coder-group-00gB", { appId: APP_ID, groupId: "00gB" }],
    ]);
    assert.deepEqual(mocks.calls, []);
    const { notes } = await plan(values);
    assert.ok(notes.includes("Okta: who can sign in to Coder: only members of the Okta groups 00gA, 00gB (the app is assigned to them)."), notes.join("\n"));
  });
});

describe("OktaCoderClient: authorization server", () => {
  it("declares no policy or claim on the org server, and says its lifetimes are fixed", async () => {
    const { mocks } = await runProgram(oktaStack());
    for (const type of [POLICY, RULE, CLAIM]) assert.deepEqual(mocks.ofType(type), []);
    const { notes } = await plan(oktaStack());
    assert.ok(notes.includes("Okta: tokens come from the org authorization server, whose lifetimes Okta fixes (its access " +
      "tokens live 1 hour); refresh tokens need offline_access, which Coder requests."), notes.join("\n"));
  });

  it("declares an access policy for Coder's client only, with a rule carrying the lifetimes in minutes", async () => {
    const { mocks, outputs } = await runProgram(oktaStack({ ...CUSTOM, assignedGroups: ["00gA"] }, { ...TOKENS, "coder-oidc:extraScopes": ["groups"] }));
    const policy = only(mocks, POLICY);
    assert.equal(policy.name, "coder-policy");
    assert.deepEqual(policy.inputs, {
      authServerId: "default",
      name: "Coder (coder.example.com)",
      description: "Coder at https://coder.example.com: token lifetimes (managed by Pulumi, coder-oidc)",
      priority: 1,
      clientWhitelists: [outputs.CODER_OIDC_CLIENT_ID.value],
      status: "ACTIVE",
    });
    const rule = only(mocks, RULE);
    assert.equal(rule.name, "coder-policy-rule");
    assert.deepEqual(rule.inputs, {
      authServerId: "default",
      policyId: "coder-policy-id",
      name: "Coder sign-in and refresh",
      priority: 1,
      status: "ACTIVE",
      grantTypeWhitelists: ["authorization_code"],
      scopeWhitelists: ["openid", "profile", "email", "offline_access", "groups"],
      groupWhitelists: ["00gA"],
      accessTokenLifetimeMinutes: 60,
      refreshTokenWindowMinutes: 7 * 1440,
      refreshTokenLifetimeMinutes: 90 * 1440,
    });
  });

  it("lets the rule apply to EVERYONE with assignedGroups: everyone, and sends only the lifetimes that are set", async () => {
    const { mocks } = await runProgram(oktaStack(CUSTOM, { "coder-oidc:tokens": { refreshIdleTimeout: "30d" } }));
    const rule = only(mocks, RULE).inputs;
    assert.deepEqual(rule.groupWhitelists, ["EVERYONE"]);
    assert.equal(rule.refreshTokenWindowMinutes, 30 * 1440);
    assert.equal("accessTokenLifetimeMinutes" in rule, false);
    assert.equal("refreshTokenLifetimeMinutes" in rule, false);
    const { notes } = await plan(oktaStack(CUSTOM, { "coder-oidc:tokens": { refreshIdleTimeout: "30d" } }));
    assert.ok(notes.includes('Okta: Coder\'s access policy on authorization server "default": access tokens 1h (Okta\'s default), ' +
      "refresh tokens expire unused after 30d and live at most unlimited (Okta's default)."), notes.join("\n"));
    const max = await plan(oktaStack(CUSTOM, { "coder-oidc:tokens": { refreshMaxLifetime: "90d" } }));
    assert.ok(max.notes.includes('Okta: Coder\'s access policy on authorization server "default": access tokens 1h (Okta\'s default), ' +
      "refresh tokens expire unused after 7d (Okta's default) and live at most 90d."), max.notes.join("\n"));
  });

  it("leaves a custom server's policies alone without tokens, and says what they must allow", async () => {
    const { mocks } = await runProgram(oktaStack(CUSTOM));
    assert.deepEqual([...mocks.ofType(POLICY), ...mocks.ofType(RULE)], []);
    const { notes } = await plan(oktaStack(CUSTOM));
    assert.ok(notes.includes('Okta: lifetimes come from the existing access policies of authorization server "default": one of ' +
      "them must allow Coder's client the authorization code grant and the scopes openid, profile, email, offline_access " +
      '(offline_access included), or sign-in fails with "Policy evaluation failed".'), notes.join("\n"));
  });

  it("declares a groups ID-token claim with groupsClaim, sets CODER_OIDC_GROUP_FIELD, and says Okta omits it for users without groups", async () => {
    const values = oktaStack({ ...CUSTOM, groupsClaim: true });
    const { mocks, outputs } = await runProgram(values);
    const claim = only(mocks, CLAIM);
    assert.equal(claim.name, "coder-groups-claim");
    assert.deepEqual(claim.inputs, {
      authServerId: "default", name: "groups", claimType: "IDENTITY", valueType: "GROUPS", groupFilterType: "REGEX",
      value: ".*", alwaysIncludeInToken: true, status: "ACTIVE",
    });
    assert.equal(outputs.CODER_OIDC_GROUP_FIELD.value, "groups");
    const { notes } = await plan(values);
    assert.ok(notes.includes("Okta: the groups claim (CODER_OIDC_GROUP_FIELD=groups) lists the user's groups; Okta omits the " +
      "claim, rather than sending an empty list, for a user in no group, and Coder then sees no groups for that user."), notes.join("\n"));
  });
});

describe("OktaCoderClient: Coder settings", () => {
  it("outputs the exact Coder variables for the org server", async () => {
    const { outputs } = await runProgram(oktaStack());
    assert.equal(outputs.CODER_OIDC_ISSUER_URL.value, "https://dev-123456.okta.com");
    assert.equal(outputs.CODER_OIDC_CLIENT_ID.value, "0oa" + hex12("coder-app"));
    assert.deepEqual(outputs.CODER_OIDC_CLIENT_SECRET, { known: true, secret: true, value: APP_SECRET });
    assert.equal(outputs.CODER_OIDC_SCOPES.value, "openid,profile,email,offline_access");
    assert.equal(outputs.CODER_OIDC_AUTH_URL_PARAMS.value, '{"access_type":"offline"}');
    assert.equal(outputs.CODER_OIDC_GROUP_FIELD, undefined);
    assert.deepEqual(Object.keys(outputs).sort(), [
      "CODER_OIDC_AUTH_URL_PARAMS", "CODER_OIDC_CLIENT_ID", "CODER_OIDC_CLIENT_SECRET", "CODER_OIDC_ISSUER_URL", "CODER_OIDC_SCOPES",
    ]);
  });

  it("names a custom authorization server in the issuer, on okta:baseUrl's domain", async () => {
    const { outputs } = await runProgram(oktaStack({ authorizationServer: "aus1a2b3c4" }, { "okta:baseUrl": "okta-emea.com" }));
    assert.equal(outputs.CODER_OIDC_ISSUER_URL.value, "https://dev-123456.okta-emea.com/oauth2/aus1a2b3c4");
  });

  it("marks the client id and secret unknown during preview, the secret still secret", async () => {
    const { outputs } = await runProgram(oktaStack(), { preview: true });
    assert.deepEqual(outputs.CODER_OIDC_CLIENT_SECRET, { known: false, secret: true });
    assert.equal(outputs.CODER_OIDC_CLIENT_ID.known, false);
  });

  it("never puts the client secret or the API token in plaintext in an output or a non-secret input", async () => {
    const run = await runProgram(oktaStack({ ...CUSTOM, groupsClaim: true }, TOKENS), { secretKeys: ["okta:apiToken"] });
    const { outputs } = run;
    const visible = visibleStrings(run);
    assert.ok(visible.length > 20);
    for (const secret of [APP_SECRET, API_TOKEN]) assert.ok(!visible.some((v) => v.includes(secret)), `${secret} leaked`);
    assert.deepEqual(Object.entries(outputs).filter(([, o]) => o.secret).map(([name]) => name), ["CODER_OIDC_CLIENT_SECRET"]);
  });

  it("throws before declaring anything when okta:orgName is missing past the config contract", async (t: TestContext) => {
    const { OktaCoderClient } = await import("../../../idps/okta/component");
    const { coderClientRequest } = await import("../../../src/coder-env");
    const mocks = await installStackMocks({ values: oktaStack() });
    const config = parseStackConfig(stackConfig(oktaStack()));
    t.mock.method(pulumi.log, "info", async () => undefined);
    assert.throws(
      () => new OktaCoderClient("coder", { request: coderClientRequest(config, coderRow(config.idp)), settings: config.okta!, connection: { values: {}, secretKeys: new Set() } }),
      /okta:orgName is required: the Okta org's subdomain/);
    await settle();
    assert.deepEqual(mocks.resources.filter((r) => r.custom), []);
  });
});

describe("stacks/Pulumi.prod-okta.yaml", () => {
  it("plans offline: the app, its assignment, the access policy and claim, the lifetimes and the Coder settings", async () => {
    const file = readStackFile("prod-okta");
    assert.deepEqual([...file.secretKeys], ["okta:apiToken"]);
    const result = await planStack("prod-okta", file);
    assert.deepEqual(result.resources.map((r) => `${r.type} ${r.name}`).sort(), [
      "coder-oidc:providers:OktaCoderClient coder",
      `${PROVIDER} coder-okta`,
      `${APP} coder-app`,
      `${ASSIGNMENT} coder-group-00g1coderusers0000x7`,
      `${POLICY} coder-policy`,
      `${RULE} coder-policy-rule`,
      `${CLAIM} coder-groups-claim`,
    ].sort());
    const rule = result.resources.find((r) => r.type === RULE)!.inputs;
    assert.deepEqual([rule.accessTokenLifetimeMinutes, rule.refreshTokenWindowMinutes, rule.refreshTokenLifetimeMinutes], [60, 10080, 129600]);
    const app = result.resources.find((r) => r.type === APP)!.inputs;
    assert.deepEqual([app.refreshTokenRotation, app.refreshTokenLeeway], ["ROTATE", 30]);
    const env = Object.fromEntries(result.coderEnv.map((e) => [e.name, e]));
    assert.equal(env.CODER_OIDC_ISSUER_URL.value, "https://dev-123456.okta.com/oauth2/default");
    assert.equal(env.CODER_OIDC_SCOPES.value, "openid,profile,email,offline_access");
    assert.equal(env.CODER_OIDC_AUTH_URL_PARAMS.value, '{"access_type":"offline"}');
    assert.equal(env.CODER_OIDC_GROUP_FIELD.value, "groups");
    assert.deepEqual([env.CODER_OIDC_CLIENT_SECRET.secret, env.CODER_OIDC_CLIENT_SECRET.known], [true, false]);
    for (const shown of [renderPlanText(result), JSON.stringify(planToJson(result))]) {
      assert.ok(!shown.includes(SECRET_PLACEHOLDER), "the API token (the secure: placeholder) is never shown");
    }
  });
});
