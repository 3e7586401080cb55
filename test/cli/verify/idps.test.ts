/**
 * `verify` at Entra ID, Okta and Auth0 against their simulated management APIs on 127.0.0.1 (every request and answer
 * checked against the official schemas): a right client passes; each refresh-token mistake, one at a time, is a ✖
 * that says what to change; missing credentials are a ? that says which to set; a refused login is a ? that names the
 * API's answer; and no credential or token is ever printed (a marker secret proves it). Google: the client id's form.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { runVerify } from "../../../cli/verify";
import type { CoderSettings, Finding } from "../../../src/verify/core";
import { idpClientFindings } from "../../../cli/verify/idps";
import { runInProcess } from "../../support/in-process";
import { type Auth0Sim, startAuth0Sim } from "../../support/auth0-sim";
import { type GraphSim, startGraphSim } from "../../support/graph-sim";
import { type OktaSim, startOktaSim } from "../../support/okta-sim";
import { startOp, type TestOp } from "../../support/oidc-op";
import { registerIdp } from "../../../idps/registry";
import { ok, type IdpCheckContext } from "../../../src/verify/idp-common";
import { Masker } from "../../../src/safe-text";
import { fakeIdp } from "../../fixtures/idps/fake";
import { stackConfig as config, withEnvOnly } from "../../support/env";

const MARKER = "MARKER-s3cr3t-7f1e9c";
const CODER_URL = "https://coder.example.com";
const VARIABLES = ["ARM_CLIENT_ID", "ARM_CLIENT_SECRET", "ARM_TENANT_ID", "OKTA_ORG_NAME", "OKTA_BASE_URL", "OKTA_API_TOKEN", "AUTH0_DOMAIN",
  "AUTH0_CLIENT_ID", "AUTH0_CLIENT_SECRET", "AUTH0_API_TOKEN", "CODER_OIDC_GRAPH_URL", "CODER_OIDC_ENTRA_AUTHORITY_URL", "CODER_OIDC_OKTA_API_URL",
  "CODER_OIDC_AUTH0_API_URL", "CODER_SESSION_TOKEN"];

/** Runs `run` with exactly `env` among the variables these checks read, then puts them back. */
const withEnv = <T>(env: Record<string, string>, run: () => T | Promise<T>) => withEnvOnly(VARIABLES, env, run);

const byCheck = (findings: Finding[]) => Object.fromEntries(findings.map((f) => [f.check, f]));
const statuses = (findings: Finding[]) => Object.fromEntries(findings.map((f) => [f.check, f.status]));
const settings = (issuer: string, clientId: string, authUrlParams = '{"access_type":"offline"}'): CoderSettings => ({
  CODER_OIDC_ISSUER_URL: issuer, CODER_OIDC_CLIENT_ID: clientId, CODER_OIDC_CLIENT_SECRET: "s",
  CODER_OIDC_SCOPES: "openid,profile,email,offline_access", CODER_OIDC_AUTH_URL_PARAMS: authUrlParams,
});
describe("verify at Okta", () => {
  let sim: OktaSim;
  const clientId = "0oacoderclient1x7";
  const issuer = "https://dev-123456.okta.com/oauth2/default";
  const rightApp = { clientId, groups: ["00g1coderusers0000x7"] };
  const rightServer = [{ id: "00p1", name: "Coder", clients: [clientId], rules: [{ id: "0pr1", grantTypes: ["authorization_code"], scopes: ["openid", "profile", "email", "offline_access"], accessTokenLifetimeMinutes: 60, refreshTokenWindowMinutes: 10080 }] }];
  before(async () => {
    sim = await startOktaSim({ pageSize: 2 });
    // Other apps first, so that finding Coder's by listing pages.
    for (let i = 0; i < 3; i++) sim.putApp({ clientId: `0oaother${i}abcdef`, label: `Other ${i}` });
  });
  after(() => sim.close());
  const check = async (app: Parameters<OktaSim["putApp"]>[0], server = rightServer, stack: Record<string, string | object> = {}) => {
    sim.putApp(app);
    sim.putServer("default", server);
    return withEnv({ CODER_OIDC_OKTA_API_URL: sim.orgUrl, OKTA_API_TOKEN: sim.apiToken },
      () => idpClientFindings("okta", settings(issuer, clientId), config(stack), CODER_URL));
  };

  it("a right app and policy: every check passes, with the lifetimes", async () => {
    const findings = await check(rightApp, rightServer, { "coder-oidc:okta": { assignedGroups: ["00g1coderusers0000x7"] } });
    assert.deepEqual(statuses(findings), {
      "okta.app.status": "ok", "okta.app.type": "ok", "okta.app.grants": "ok", "okta.app.redirectUri": "ok", "okta.app.authentication": "ok",
      "okta.app.rotation": "ok", "okta.app.assignments": "ok", "okta.authServer.policy": "ok", "okta.authServer.lifetimes": "ok",
    });
    assert.match(byCheck(findings)["okta.authServer.lifetimes"].message, /access tokens 60 min, refresh tokens expire unused after 10080 min and live unlimited/);
    assert.deepEqual(sim.problems, []);
  });

  it("an app whose id is not its client id is found by listing every page", async () => {
    // The app whose id is Coder's client id now has another client id; Coder's is on an app with another id.
    sim.putApp({ ...rightApp, id: clientId, clientId: "retired-client-x7" });
    const findings = await check({ ...rightApp, id: "0oaappid000000x7" });
    assert.equal(byCheck(findings)["okta.app.grants"].status, "ok");
    assert.ok(sim.exchanges.some((e) => e.request.query.get("after")), "a second page was read");
  });

  const mistakes: [string, Parameters<OktaSim["putApp"]>[0], string, RegExp][] = [
    ["no refresh_token grant", { ...rightApp, grantTypes: ["authorization_code"] }, "okta.app.grants", /allow the refresh_token grant \(it has authorization_code\); without refresh_token Okta issues no refresh token/],
    ["no authorization_code grant", { ...rightApp, grantTypes: ["refresh_token", "implicit"] }, "okta.app.grants", /allow the authorization_code grant/],
    ["a wrong redirect URI", { ...rightApp, redirectUris: ["https://old.example.com/api/v2/users/oidc/callback"] }, "okta.app.redirectUri", /add https:\/\/coder\.example\.com\/api\/v2\/users\/oidc\/callback to its sign-in redirect URIs/],
    ["a single-page app", { ...rightApp, applicationType: "browser" }, "okta.app.type", /application type is browser: Coder needs a "Web Application"/],
    ["no client authentication", { ...rightApp, tokenEndpointAuthMethod: "none" }, "okta.app.authentication", /give it client authentication with a secret/],
    ["rotation without a grace period", { ...rightApp, rotation: "ROTATE", leeway: 0 }, "okta.app.rotation", /grace period of 0.*coder\/coder#25275.*refreshTokenReuseWindow/],
    ["an inactive app", { ...rightApp, status: "INACTIVE" }, "okta.app.status", /it is INACTIVE: activate it/],
    ["nobody assigned", { ...rightApp, groups: [] }, "okta.app.assignments", /no group is assigned, so nobody can sign in/],
  ];
  for (const [name, app, failing, message] of mistakes) {
    it(`${name}: ✖ ${failing} alone, saying what to change`, async () => {
      const findings = await check(app);
      const problems = findings.filter((f) => f.status !== "ok");
      assert.deepEqual(problems.map((f) => f.check), [failing], JSON.stringify(problems));
      assert.match(problems[0].message, message);
      assert.deepEqual(sim.problems, []);
    });
  }

  it("rotation with Okta's default grace period passes", async () => {
    assert.equal(byCheck(await check({ ...rightApp, rotation: "ROTATE" }))["okta.app.rotation"].message, "refresh tokens rotate with a 30s grace period");
  });

  it("the stack's groups not all assigned: names them", async () => {
    const findings = await check(rightApp, rightServer, { "coder-oidc:okta": { assignedGroups: ["00g1coderusers0000x7", "00g2admins000000x7"] } });
    assert.match(byCheck(findings)["okta.app.assignments"].message, /the stack's groups 00g2admins000000x7 are not assigned/);
  });

  it("a policy rule without offline_access, no policy for the client, a rule for another grant, a refresh window shorter than an access token", async () => {
    const rule = rightServer[0].rules[0];
    const withRule = (r: Partial<typeof rule>, clients = [clientId]) => [{ ...rightServer[0], clients, rules: [{ ...rule, ...r }] }];
    assert.match(byCheck(await check(rightApp, withRule({ scopes: ["openid", "profile", "email"] })))["okta.authServer.policy"].message, /lack offline_access; add it/);
    assert.match(byCheck(await check(rightApp, withRule({}, ["0oasomeoneelse"])))["okta.authServer.policy"].message, /no active access policy for client 0oacoderclient1x7.*Policy evaluation failed/);
    assert.equal(byCheck(await check(rightApp, withRule({}, ["ALL_CLIENTS"])))["okta.authServer.policy"].status, "ok");
    assert.match(byCheck(await check(rightApp, withRule({ grantTypes: ["client_credentials"] })))["okta.authServer.policy"].message, /no active rule .* allows the authorization code grant/);
    assert.match(byCheck(await check(rightApp, withRule({ accessTokenLifetimeMinutes: 120, refreshTokenWindowMinutes: 60 })))["okta.authServer.lifetimes"].message, /refresh window is shorter than an access token lives/);
    assert.deepEqual(sim.problems, []);
  });

  it("an authorization server that is inactive, or that the org does not have", async () => {
    sim.putApp(rightApp);
    sim.putServer("default", rightServer, "INACTIVE");
    const env = { CODER_OIDC_OKTA_API_URL: sim.orgUrl, OKTA_API_TOKEN: sim.apiToken };
    const inactive = await withEnv(env, () => idpClientFindings("okta", settings(issuer, clientId), {}, CODER_URL));
    assert.deepEqual(inactive.filter((f) => f.status !== "ok").map((f) => [f.check, f.message]),
      [["okta.authServer", "authorization server default is INACTIVE: activate it (Security > API > Authorization Servers), or no one can sign in"]]);
    const missing = await withEnv(env, () => idpClientFindings("okta", settings("https://dev-123456.okta.com/oauth2/aus0gone", clientId), {}, CODER_URL));
    assert.match(byCheck(missing)["okta.authServer"].message, /names authorization server aus0gone, which this org does not have/);
    sim.putServer("default", rightServer);
    assert.deepEqual(sim.problems, []);
  });

  it("on the org authorization server there is no policy to read", async () => {
    sim.putApp(rightApp);
    const findings = await withEnv({ CODER_OIDC_OKTA_API_URL: sim.orgUrl, OKTA_API_TOKEN: sim.apiToken },
      () => idpClientFindings("okta", settings("https://dev-123456.okta.com", clientId), {}, CODER_URL));
    assert.equal(byCheck(findings)["okta.authServer"].status, "ok");
  });

  it("no app with that client id: ✖ saying to run pulumi up", async () => {
    const findings = await withEnv({ CODER_OIDC_OKTA_API_URL: sim.orgUrl, OKTA_API_TOKEN: sim.apiToken },
      () => idpClientFindings("okta", settings(issuer, "0oamissing000x7"), {}, CODER_URL));
    assert.deepEqual(findings, [{ check: "okta.app", status: "problem", message: "Okta has no OIDC app with client id 0oamissing000x7: run pulumi up, or set CODER_OIDC_CLIENT_ID to the app's client id" }]);
  });

  it("without a token: ? naming okta:apiToken and OKTA_API_TOKEN; a refused token: ? with Okta's answer and no token", async () => {
    const none = await withEnv({}, () => idpClientFindings("okta", settings(issuer, clientId), {}, CODER_URL));
    assert.deepEqual(none.map((f) => [f.check, f.status]), [["okta.app", "unchecked"]]);
    assert.match(none[0].message, /okta:apiToken or OKTA_API_TOKEN/);
    const echo = await startOktaSim({ echoToken: true });
    try {
      const refused = await withEnv({ CODER_OIDC_OKTA_API_URL: echo.orgUrl, OKTA_API_TOKEN: MARKER }, () => idpClientFindings("okta", settings(issuer, clientId), {}, CODER_URL));
      assert.equal(refused[0].status, "unchecked");
      assert.match(refused[0].message, /^Okta's management API: GET http:\/\/127\.0\.0\.1:\d+\/api\/v1\/apps\/0oacoderclient1x7 answered HTTP 401: Invalid token provided: SSWS \*\*\*\* \(E0000011\)$/);
      assert.doesNotMatch(JSON.stringify(refused), new RegExp(MARKER));
    } finally {
      await echo.close();
    }
  });

  it("reads the org and token from the stack's okta:* config before the environment", async () => {
    sim.putApp(rightApp);
    const findings = await withEnv({ CODER_OIDC_OKTA_API_URL: sim.orgUrl, OKTA_API_TOKEN: "not-this-one" },
      () => idpClientFindings("okta", settings(issuer, clientId), config({ "okta:apiToken": sim.apiToken, "okta:orgName": "dev-123456" }), CODER_URL));
    assert.equal(byCheck(findings)["okta.app.grants"].status, "ok");
  });
});

describe("verify at Auth0", () => {
  let sim: Auth0Sim;
  const clientId = "coderClient00000000000000000000x7";
  const issuer = "https://example-dev.us.auth0.com/";
  const right = { clientId };
  const rightRefresh = { rotation_type: "non-rotating", expiration_type: "expiring", leeway: 0, idle_token_lifetime: 259200, token_lifetime: 2592000, infinite_idle_token_lifetime: false, infinite_token_lifetime: false };
  before(async () => {
    sim = await startAuth0Sim();
    sim.putResourceServer({ id: "rs1", identifier: "https://api.example.com/", allowOfflineAccess: true });
    sim.putResourceServer({ id: "rs2", identifier: "https://online-only.example.com/", allowOfflineAccess: false });
  });
  after(() => sim.close());
  const env = () => ({ CODER_OIDC_AUTH0_API_URL: sim.apiUrl, AUTH0_DOMAIN: "example-dev.us.auth0.com", AUTH0_CLIENT_ID: sim.m2m.clientId, AUTH0_CLIENT_SECRET: sim.m2m.clientSecret });
  const check = async (client: Parameters<Auth0Sim["putClient"]>[0], params?: string) => {
    sim.putClient(client);
    return withEnv(env(), () => idpClientFindings("auth0", settings(issuer, clientId, params), {}, CODER_URL));
  };

  it("a right client: every check passes", async () => {
    assert.deepEqual(statuses(await check(right)), {
      "auth0.client.appType": "ok", "auth0.client.oidcConformant": "ok", "auth0.client.grants": "ok", "auth0.client.redirectUri": "ok",
      "auth0.client.authentication": "ok", "auth0.client.refreshExpiration": "ok", "auth0.client.rotation": "ok",
    });
    assert.deepEqual(sim.problems, []);
  });

  const mistakes: [string, Parameters<Auth0Sim["putClient"]>[0], string, RegExp][] = [
    ["no refresh_token grant", { ...right, grantTypes: ["authorization_code", "implicit"] }, "auth0.client.grants", /allow the refresh_token grant .*without refresh_token Auth0 issues no refresh token/],
    ["not OIDC conformant", { ...right, oidcConformant: false }, "auth0.client.oidcConformant", /turn on OIDC Conformant/],
    ["a single-page application", { ...right, appType: "spa" }, "auth0.client.appType", /its application type is spa: make it a "Regular Web Application"/],
    ["a wrong callback", { ...right, callbacks: ["https://coder.example.com/callback"] }, "auth0.client.redirectUri", /add https:\/\/coder\.example\.com\/api\/v2\/users\/oidc\/callback to its Allowed Callback URLs/],
    ["no client authentication", { ...right, tokenEndpointAuthMethod: "none" }, "auth0.client.authentication", /give it a token endpoint authentication method with a secret/],
    ["non-expiring refresh tokens", { ...right, refreshToken: { ...rightRefresh, expiration_type: "non-expiring" } }, "auth0.client.refreshExpiration", /refresh tokens are non-expiring: make them expiring/],
    ["an infinite idle lifetime", { ...right, refreshToken: { ...rightRefresh, infinite_idle_token_lifetime: true } }, "auth0.client.refreshExpiration", /expiring but with an infinite lifetime/],
    ["rotation without a leeway", { ...right, refreshToken: { ...rightRefresh, rotation_type: "rotating", leeway: 0 } }, "auth0.client.rotation", /reuse interval of 0.*coder\/coder#25275/],
  ];
  for (const [name, client, failing, message] of mistakes) {
    it(`${name}: ✖ ${failing} alone, saying what to change`, async () => {
      const problems = (await check(client)).filter((f) => f.status !== "ok");
      assert.deepEqual(problems.map((f) => f.check), [failing], JSON.stringify(problems));
      assert.match(problems[0].message, message);
      assert.deepEqual(sim.problems, []);
    });
  }

  it("an audience in the auth URL params: its API must allow offline access", async () => {
    assert.equal(byCheck(await check(right, '{"access_type":"offline","audience":"https://api.example.com/"}'))["auth0.audience"].status, "ok");
    assert.match(byCheck(await check(right, '{"audience":"https://online-only.example.com/"}'))["auth0.audience"].message, /turn on "Allow Offline Access"/);
    assert.match(byCheck(await check(right, '{"audience":"https://nowhere.example.com/"}'))["auth0.audience"].message, /the tenant has no such API/);
    assert.deepEqual(sim.problems, []);
  });

  it("an API token instead of client credentials; none at all: ? naming the keys; refused: ? without the secret", async () => {
    sim.putClient(right);
    const withToken = await withEnv({ CODER_OIDC_AUTH0_API_URL: sim.apiUrl, AUTH0_DOMAIN: "example-dev.us.auth0.com", AUTH0_API_TOKEN: sim.apiToken },
      () => idpClientFindings("auth0", settings(issuer, clientId), {}, CODER_URL));
    assert.equal(byCheck(withToken)["auth0.client.grants"].status, "ok");
    const none = await withEnv({}, () => idpClientFindings("auth0", settings(issuer, clientId), {}, CODER_URL));
    assert.equal(none[0].status, "unchecked");
    assert.match(none[0].message, /auth0:clientId and auth0:clientSecret .* AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET/);
    const refused = await withEnv({ ...env(), AUTH0_CLIENT_SECRET: MARKER }, () => idpClientFindings("auth0", settings(issuer, clientId), {}, CODER_URL));
    assert.match(refused[0].message, /^Auth0's Management API: POST http:\/\/127\.0\.0\.1:\d+\/oauth\/token answered HTTP 401: access_denied: Unauthorized$/);
    assert.doesNotMatch(JSON.stringify(refused), new RegExp(MARKER));
  });
});

describe("verify at Entra ID", () => {
  let sim: GraphSim;
  const appId = "5f0a9d1e-2b3c-4d5e-8f90-a1b2c3d4e5f6";
  const right = { appId, consented: ["openid", "profile", "email", "offline_access"] };
  const now = Date.parse("2026-12-06T00:00:00Z");
  before(async () => {
    sim = await startGraphSim({ pageSize: 2 });
  });
  after(() => sim.close());
  const env = () => ({ CODER_OIDC_GRAPH_URL: sim.graphUrl, CODER_OIDC_ENTRA_AUTHORITY_URL: sim.authorityUrl, ARM_TENANT_ID: sim.tenantId, ARM_CLIENT_ID: sim.login.clientId, ARM_CLIENT_SECRET: sim.login.clientSecret });
  const issuer = () => `https://login.microsoftonline.com/${sim.tenantId}/v2.0`;
  const check = async (app: Parameters<GraphSim["putApp"]>[0], stack: Record<string, string | object> = {}) => {
    sim.putApp(app);
    return withEnv(env(), () => idpClientFindings("entra-id", settings(issuer(), appId), config(stack), CODER_URL, { now }));
  };

  it("a right app registration: every check passes, consent read through every page of grants", async () => {
    sim.putApp(right);
    sim.padGrants(appId, 3);
    const findings = await check(right, { "coder-oidc:idp": "entra-id", "coder-oidc:entraId": { signInAudience: "AzureADMyOrg" } });
    assert.deepEqual(statuses(findings), {
      "entra.application.redirectUri": "ok", "entra.application.implicitGrant": "ok", "entra.application.publicClient": "ok", "entra.application.graphScopes": "ok",
      "entra.application.secret": "ok", "entra.application.signInAudience": "ok", "entra.adminConsent": "ok",
    });
    assert.ok(sim.exchanges.some((e) => e.request.query.has("$skiptoken")), "a second page of grants was read");
    assert.deepEqual(sim.problems, []);
  });

  const soon = new Date(now + 10 * 86_400_000).toISOString();
  const mistakes: [string, Parameters<GraphSim["putApp"]>[0], string, RegExp][] = [
    ["no offline_access requested", { ...right, scopes: ["openid", "profile", "email"] }, "entra.application.graphScopes", /add Microsoft Graph's delegated offline_access \(API permissions\): without offline_access Entra issues no refresh token/],
    ["no admin consent", { ...right, consented: undefined }, "entra.adminConsent", /no tenant-wide admin consent for Microsoft Graph's openid, profile, email, offline_access: grant it/],
    ["consent without offline_access", { ...right, consented: ["openid", "profile", "email"] }, "entra.adminConsent", /admin consent for Microsoft Graph's offline_access/],
    ["a wrong redirect URI", { ...right, redirectUris: ["https://coder.example.com/"] }, "entra.application.redirectUri", /add https:\/\/coder\.example\.com\/api\/v2\/users\/oidc\/callback to its Web redirect URIs/],
    ["the implicit grant on", { ...right, implicitIdTokens: true }, "entra.application.implicitGrant", /turn off the implicit grant/],
    ["a public client", { ...right, fallbackPublicClient: true }, "entra.application.publicClient", /turn off "Allow public client flows"/],
    ["a secret ending in 10 days", { ...right, passwordEnds: [soon] }, "entra.application.secret", /ends on .*, in 10 days: rotate it/],
    ["no secret valid now", { ...right, passwordEnds: ["2026-01-31T00:00:00Z"] }, "entra.application.secret", /no client secret is valid now/],
    ["no service principal", { ...right, servicePrincipal: false }, "entra.adminConsent", /has no service principal \(enterprise application\).*run pulumi up/],
  ];
  for (const [name, app, failing, message] of mistakes) {
    it(`${name}: ✖ ${failing} alone, saying what to change`, async () => {
      const problems = (await check(app)).filter((f) => f.status !== "ok");
      assert.deepEqual(problems.map((f) => f.check), [failing], JSON.stringify(problems));
      assert.match(problems[0].message, message);
      assert.deepEqual(sim.problems, []);
    });
  }

  it("a sign-in audience other than the stack's", async () => {
    const findings = await check({ ...right, signInAudience: "AzureADMultipleOrgs" }, { "coder-oidc:idp": "entra-id" });
    assert.match(byCheck(findings)["entra.application.signInAudience"].message, /its sign-in audience is AzureADMultipleOrgs but the stack says AzureADMyOrg: run pulumi up/);
  });

  it("no client secret: ? naming the keys; a refused secret: ? with Entra's answer, the secret masked", async () => {
    const none = await withEnv({ ARM_CLIENT_ID: "x" }, () => idpClientFindings("entra-id", settings(issuer(), appId), {}, CODER_URL, { now }));
    assert.match(none[0].message, /azuread:clientId and azuread:clientSecret, or ARM_CLIENT_ID and ARM_CLIENT_SECRET/);
    const refused = await withEnv({ ...env(), ARM_CLIENT_SECRET: MARKER }, () => idpClientFindings("entra-id", settings(issuer(), appId), {}, CODER_URL, { now }));
    assert.match(refused[0].message, /^Microsoft Graph: POST http:\/\/127\.0\.0\.1:\d+\/[0-9a-f-]+\/oauth2\/v2\.0\/token answered HTTP 401: invalid_client: AADSTS7000215/);
    assert.doesNotMatch(JSON.stringify(refused), new RegExp(MARKER));
  });

  it("takes the tenant from the issuer when neither the stack nor ARM_TENANT_ID gives one", async () => {
    sim.putApp(right);
    const { ARM_TENANT_ID: _tenant, ...rest } = env();
    const findings = await withEnv(rest, () => idpClientFindings("entra-id", settings(issuer(), appId), {}, CODER_URL, { now }));
    assert.equal(byCheck(findings)["entra.adminConsent"].status, "ok");
  });
});

describe("verify for Google", () => {
  it("checks the form of the client id", async () => {
    const good = await idpClientFindings("google", settings("https://accounts.google.com", "123456789012-abcdef0123.apps.googleusercontent.com"), {}, CODER_URL);
    assert.deepEqual(good.map((f) => f.status), ["ok"]);
    const bad = await idpClientFindings("google", settings("https://accounts.google.com", "coder"), {}, CODER_URL);
    assert.match(bad[0].message, /is not a Google OAuth client id/);
  });
});

describe("coder-oidc verify at the IdPs, as a command", () => {
  let op: TestOp;
  let okta: OktaSim;
  let dir: string;
  before(async () => {
    op = await startOp(["openid", "offline_access", "profile", "email"]);
    okta = await startOktaSim({ echoToken: true });
    okta.putApp({ clientId: "coder", redirectUris: ["https://coder.example.com/api/v2/users/oidc/callback"], groups: ["00g1"] });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "coder-oidc-verify-idps-"));
  });
  after(async () => {
    await op.close();
    await okta.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const dotenv = () => {
    const file = path.join(dir, "okta.env");
    fs.writeFileSync(file, `CODER_OIDC_ISSUER_URL='${op.issuer}'\nCODER_OIDC_CLIENT_ID='coder'\nCODER_OIDC_CLIENT_SECRET='s'\n` +
      `CODER_OIDC_SCOPES='openid,profile,email,offline_access'\nCODER_OIDC_AUTH_URL_PARAMS='{"access_type":"offline"}'\n`);
    return file;
  };

  it("a right Okta app: ✔ lines for the app, exit 0", async () => {
    const run = await withEnv({ CODER_OIDC_OKTA_API_URL: okta.orgUrl, OKTA_API_TOKEN: okta.apiToken },
      () => runInProcess(runVerify, ["--dotenv", dotenv(), "--idp", "okta"]));
    assert.equal(run.code, 0, run.stdout);
    assert.match(run.stdout, /^✔ okta\.app\.grants: the authorization code and refresh token grants are allowed$/m);
    assert.match(run.stdout, /^✔ okta\.authServer: tokens come from the org authorization server/m);
  });

  it("--stack at Entra ID: the login from the stack's azuread:* config (read through the CLI) before ARM_*, the callback from its coderUrl", async () => {
    const graph = await startGraphSim();
    const appId = "5f0a9d1e-2b3c-4d5e-8f90-a1b2c3d4e5f6";
    graph.putApp({ appId, consented: ["openid", "profile", "email", "offline_access"] });
    try {
      // A stand-in `pulumi`: `config` and `stack output` print what the test put beside it.
      const bin = path.join(dir, "bin");
      fs.mkdirSync(bin, { recursive: true });
      fs.writeFileSync(path.join(bin, "pulumi"), `#!/bin/sh\ncase "$1" in\n  config) cat "${dir}/config.json" ;;\n  stack) cat "${dir}/outputs.json" ;;\n  *) exit 3 ;;\nesac\n`, { mode: 0o755 });
      fs.mkdirSync(path.join(dir, "stacks"), { recursive: true });
      fs.writeFileSync(path.join(dir, "stacks", "Pulumi.entra.yaml"), `config:\n  coder-oidc:idp: entra-id\n  coder-oidc:coderUrl: ${CODER_URL}\n`);
      fs.writeFileSync(path.join(dir, "outputs.json"), JSON.stringify({
        CODER_OIDC_ISSUER_URL: op.issuer, CODER_OIDC_CLIENT_ID: appId, CODER_OIDC_CLIENT_SECRET: "s",
        CODER_OIDC_SCOPES: "openid,profile,email,offline_access", CODER_OIDC_AUTH_URL_PARAMS: '{"access_type":"offline"}',
      }));
      fs.writeFileSync(path.join(dir, "config.json"), JSON.stringify(config({
        "coder-oidc:idp": "entra-id", "coder-oidc:entraId": { tenantId: graph.tenantId, signInAudience: "AzureADMyOrg" },
        "azuread:clientId": graph.login.clientId, "azuread:clientSecret": graph.login.clientSecret,
      })));
      const run = await withEnv({ CODER_OIDC_GRAPH_URL: graph.graphUrl, CODER_OIDC_ENTRA_AUTHORITY_URL: graph.authorityUrl, ARM_CLIENT_SECRET: MARKER },
        async () => {
          const savedPath = process.env.PATH;
          process.env.PATH = `${bin}${path.delimiter}${savedPath ?? ""}`;
          try {
            return await runInProcess(runVerify, ["--stack", "entra", "--project-dir", dir, "--stacks-dir", path.join(dir, "stacks"), "--format", "json"]);
          } finally {
            process.env.PATH = savedPath;
          }
        });
      const report = JSON.parse(run.stdout) as { exitCode: number; findings: Finding[] };
      assert.equal(run.code, 0, run.stdout);
      assert.equal(byCheck(report.findings)["entra.application.redirectUri"].status, "ok");
      assert.equal(byCheck(report.findings)["entra.adminConsent"].status, "ok");
      assert.doesNotMatch(run.stdout, new RegExp(`${MARKER}|${graph.login.clientSecret}`));
      assert.deepEqual(graph.problems, []);
    } finally {
      await graph.close();
    }
  });

  it("a refused token, in text and JSON: exit 2, the token never printed", async () => {
    for (const format of ["text", "json"]) {
      const run = await withEnv({ CODER_OIDC_OKTA_API_URL: okta.orgUrl, OKTA_API_TOKEN: MARKER },
        () => runInProcess(runVerify, ["--dotenv", dotenv(), "--idp", "okta", "--format", format]));
      assert.equal(run.code, 2);
      assert.doesNotMatch(run.stdout + run.stderr, new RegExp(MARKER));
      assert.match(run.stdout, /answered HTTP 401: Invalid token provided: SSWS \*\*\*\*/);
    }
  });
});

describe("idpClientFindings", () => {
  it("no client id: no IdP is asked anything, even one without credentials", async () => {
    for (const idp of ["keycloak", "entra-id", "google", "pingfederate", "okta", "auth0"]) {
      for (const clientId of [undefined, ""]) {
        const found = await withEnv({}, () => idpClientFindings(idp, { ...settings("https://sso.example.com/x", "c"), CODER_OIDC_CLIENT_ID: clientId }, {}, CODER_URL));
        assert.deepEqual(found, [], `${idp} ${clientId}`);
      }
    }
  });

  it("an IdP with no API to read its client: no finding; one with: its checks get the context, with the clock and this folder by default", async () => {
    const contexts: IdpCheckContext[] = [];
    const withApi = { ...fakeIdp, kind: "fake-with-api", verify: { findings: async (context: IdpCheckContext) => [ok(`seen.${contexts.push(context)}`, "x")] } };
    const withoutApi = { ...fakeIdp, kind: "fake-without-api", verify: { manual: ["Look at it."] } };
    const unregister = [registerIdp(withApi), registerIdp(withoutApi)];
    try {
      const clientSettings = settings("https://fake.example.com/acme", "fake-client-id");
      assert.deepEqual(await idpClientFindings("fake-without-api", clientSettings, {}, CODER_URL), []);
      const before = Date.now();
      assert.deepEqual(await idpClientFindings("fake-with-api", clientSettings, config({ "fake:x": "y" }), CODER_URL), [ok("seen.1", "x")]);
      const masker = new Masker();
      await idpClientFindings("fake-with-api", clientSettings, {}, undefined, { now: 42, projectDir: "/project", masker });
      assert.deepEqual(contexts.map(({ now: _now, ...rest }) => rest), [
        { settings: clientSettings, config: { "fake:x": { value: "y" } }, coderUrl: CODER_URL, projectDir: process.cwd(), masker: undefined },
        { settings: clientSettings, config: {}, coderUrl: undefined, projectDir: "/project", masker },
      ]);
      assert.ok(contexts[0].now >= before && contexts[0].now <= Date.now());
      assert.equal(contexts[1].now, 42);
    } finally {
      for (const off of unregister) off();
    }
  });
});
