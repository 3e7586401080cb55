/**
 * Okta's checks of `verify` (idps/okta/verify.ts), word for word: where the org URL and API token come from (the
 * stack's okta:* config, OKTA_*, CODER_OIDC_OKTA_API_URL, the issuer's origin) and what is said without them; which
 * issuers name a custom authorization server; and every finding of the app, its group assignments and the server's
 * policies and rules, against an in-memory Okta that can return what the schema-checked simulator cannot (an app with
 * no settings, groups without ids, policies and rules without status, priority, conditions or lifetimes), in any
 * order. Through HTTP (the simulator on 127.0.0.1): a right app end to end, and a refused token as a ? with Okta's
 * answer and the token masked.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { OktaApi, OktaAuthorizationServer, OktaGroupAssignment, OktaOidcApp, OktaPolicyRule, OktaServerPolicy } from "../../../idps/okta/api";
import { checkOktaClient, oktaAuthServerOf, oktaConnection, oktaFindings } from "../../../idps/okta/verify";
import type { Finding } from "../../../src/verify/core";
import type { IdpCheckContext } from "../../../src/verify/idp-common";
import { type OktaSim, startOktaSim } from "../../support/okta-sim";
import { stackConfig as config, withEnvOnly } from "../../support/env";

const VARIABLES = ["OKTA_ORG_NAME", "OKTA_BASE_URL", "OKTA_API_TOKEN", "CODER_OIDC_OKTA_API_URL"];

/** Runs `run` with exactly `env` among the variables these checks read, then puts them back. */
const withEnv = <T>(env: Record<string, string>, run: () => T | Promise<T>) => withEnvOnly(VARIABLES, env, run);

const CLIENT = "0oacoderclient1x7";
const CODER_URL = "https://coder.example.com";
const CALLBACK = "https://coder.example.com/api/v2/users/oidc/callback";
const ORG_ISSUER = "https://dev-123456.okta.com";
const CUSTOM_ISSUER = "https://dev-123456.okta.com/oauth2/default";
const DEFAULT_LIFETIMES = "access tokens 60 min, refresh tokens expire unused after 10080 min and live unlimited";
const ORG_SERVER = { check: "okta.authServer", status: "ok", message: "tokens come from the org authorization server, whose policy Okta fixes (access tokens 1 hour)" };

const context = (issuer: string, stack: Record<string, string | object> = {}, coderUrl: string | null = CODER_URL): IdpCheckContext => ({
  settings: { CODER_OIDC_ISSUER_URL: issuer, CODER_OIDC_CLIENT_ID: CLIENT, CODER_OIDC_CLIENT_SECRET: "s" },
  config: config(stack), ...(coderUrl === null ? {} : { coderUrl }), now: Date.now(), projectDir: process.cwd(),
});

/** What the in-memory Okta holds; a policy carries its rules. */
interface FakeOrg {
  readonly app?: OktaOidcApp;
  readonly groups?: OktaGroupAssignment[];
  readonly server?: OktaAuthorizationServer;
  readonly policies?: (OktaServerPolicy & { readonly rules?: OktaPolicyRule[] })[];
}

/** An in-memory Okta: `calls` lists what was asked, in order. */
function fakeOkta(org: FakeOrg): { api: OktaApi; calls: string[] } {
  const calls: string[] = [];
  const api: OktaApi = {
    findClientById: (clientId) => (calls.push(`app ${clientId}`), Promise.resolve(org.app)),
    listOidcApps: () => (calls.push("apps"), Promise.resolve(org.app ? [org.app] : [])),
    appGroups: (appId) => (calls.push(`groups ${appId}`), Promise.resolve(org.groups ?? [])),
    authorizationServer: (id) => (calls.push(`server ${id}`), Promise.resolve(org.server)),
    serverPolicies: (id) => (calls.push(`policies ${id}`), Promise.resolve((org.policies ?? []).map(({ rules: _rules, ...policy }) => policy))),
    policyRules: (id, policyId) => (calls.push(`rules ${id} ${policyId}`), Promise.resolve(org.policies?.find((p) => p.id === policyId)?.rules ?? [])),
  };
  return { api, calls };
}

const rightApp: OktaOidcApp = {
  id: "0oaapp1", label: "Coder", status: "ACTIVE",
  credentials: { oauthClient: { client_id: CLIENT, token_endpoint_auth_method: "client_secret_basic" } },
  settings: { oauthClient: { application_type: "web", grant_types: ["authorization_code", "refresh_token"], redirect_uris: [CALLBACK], refresh_token: { rotation_type: "STATIC" } } },
};
const withClient = (oauthClient: NonNullable<NonNullable<OktaOidcApp["settings"]>["oauthClient"]>): OktaOidcApp =>
  ({ ...rightApp, settings: { oauthClient: { ...rightApp.settings!.oauthClient, ...oauthClient } } });
const GROUPS = [{ id: "00g1" }, { id: "00g2" }];
const RIGHT_APP_FINDINGS: Finding[] = [
  { check: "okta.app.status", status: "ok", message: "the app is active" },
  { check: "okta.app.type", status: "ok", message: "it is a web app" },
  { check: "okta.app.grants", status: "ok", message: "the authorization code and refresh token grants are allowed" },
  { check: "okta.app.redirectUri", status: "ok", message: `Coder's callback ${CALLBACK} is a sign-in redirect URI` },
  { check: "okta.app.authentication", status: "ok", message: "the client authenticates (client_secret_basic)" },
  { check: "okta.app.rotation", status: "ok", message: "refresh tokens do not rotate" },
  { check: "okta.app.assignments", status: "ok", message: "assigned to 2 group(s): 00g1, 00g2" },
];

/** The findings of `org` at `issuer`. */
const findingsOf = (org: FakeOrg, issuer = ORG_ISSUER, stack: Record<string, string | object> = {}) =>
  checkOktaClient(fakeOkta(org).api, context(issuer, stack));
/** The one finding of `check` among `findings`. */
const one = (findings: Finding[], check: string) => {
  const found = findings.filter((f) => f.check === check);
  assert.equal(found.length, 1, `one ${check} in ${JSON.stringify(findings)}`);
  return found[0];
};

describe("Okta's org URL and API token", () => {
  const TOKEN = "00tokenABCDEF";
  const connection = (stack: Record<string, string>, env: Record<string, string>, issuer?: string) =>
    withEnv(env, () => oktaConnection(config(stack), issuer));

  it("builds the org URL from okta:orgName and okta:baseUrl, or OKTA_ORG_NAME and OKTA_BASE_URL, okta.com by default", async () => {
    assert.deepEqual(await connection({ "okta:orgName": "dev-1", "okta:apiToken": TOKEN }, {}), { orgUrl: "https://dev-1.okta.com", apiToken: TOKEN });
    assert.deepEqual(await connection({}, { OKTA_ORG_NAME: "dev-2", OKTA_API_TOKEN: TOKEN }), { orgUrl: "https://dev-2.okta.com", apiToken: TOKEN });
    assert.deepEqual(await connection({ "okta:orgName": "dev-3", "okta:baseUrl": "oktapreview.com", "okta:apiToken": TOKEN }, {}),
      { orgUrl: "https://dev-3.oktapreview.com", apiToken: TOKEN });
    assert.deepEqual(await connection({}, { OKTA_ORG_NAME: "dev-4", OKTA_BASE_URL: "okta-emea.com", OKTA_API_TOKEN: TOKEN }),
      { orgUrl: "https://dev-4.okta-emea.com", apiToken: TOKEN });
  });

  it("an empty value in the stack is unset: the environment's is used", async () => {
    assert.deepEqual(await connection({ "okta:orgName": "", "okta:apiToken": "" }, { OKTA_ORG_NAME: "dev-5", OKTA_API_TOKEN: TOKEN }),
      { orgUrl: "https://dev-5.okta.com", apiToken: TOKEN });
  });

  it("the stack's config comes before the environment; an empty value counts as unset", async () => {
    assert.deepEqual(await connection({ "okta:orgName": "stack", "okta:baseUrl": "oktapreview.com", "okta:apiToken": "00stacktoken" },
      { OKTA_ORG_NAME: "env", OKTA_BASE_URL: "okta-emea.com", OKTA_API_TOKEN: TOKEN }), { orgUrl: "https://stack.oktapreview.com", apiToken: "00stacktoken" });
    assert.deepEqual(await connection({ "okta:orgName": "", "okta:baseUrl": "", "okta:apiToken": "" }, { OKTA_ORG_NAME: "env", OKTA_API_TOKEN: TOKEN }),
      { orgUrl: "https://env.okta.com", apiToken: TOKEN });
  });

  it("trims leading dots and trailing slashes of the base URL, and nothing else", async () => {
    const cases: [string, string][] = [
      ["..okta.com", "https://dev-1.okta.com"],
      [".okta.com//", "https://dev-1.okta.com"],
      ["okta.com/", "https://dev-1.okta.com"],
      ["example.com/okta/", "https://dev-1.example.com/okta"],
    ];
    for (const [baseUrl, orgUrl] of cases) {
      assert.deepEqual(await connection({ "okta:orgName": "dev-1", "okta:baseUrl": baseUrl }, { OKTA_API_TOKEN: TOKEN }), { orgUrl, apiToken: TOKEN }, baseUrl);
    }
  });

  it("CODER_OIDC_OKTA_API_URL gives the org URL whole, before the org name; without either, the issuer's origin", async () => {
    assert.deepEqual(await connection({ "okta:orgName": "dev-1" }, { CODER_OIDC_OKTA_API_URL: "http://127.0.0.1:9", OKTA_API_TOKEN: TOKEN }, CUSTOM_ISSUER),
      { orgUrl: "http://127.0.0.1:9", apiToken: TOKEN });
    assert.deepEqual(await connection({}, { OKTA_API_TOKEN: TOKEN }, "https://dev-9.okta.com/oauth2/default"), { orgUrl: "https://dev-9.okta.com", apiToken: TOKEN });
    assert.deepEqual(await connection({ "okta:orgName": "dev-1" }, { OKTA_API_TOKEN: TOKEN }, "https://dev-9.okta.com"), { orgUrl: "https://dev-1.okta.com", apiToken: TOKEN });
  });

  it("without an org (none given, or an issuer that is no URL) or without a token: says which to set", async () => {
    const noOrg = "no Okta org: set the stack's okta:orgName (and okta:baseUrl), or OKTA_ORG_NAME (and OKTA_BASE_URL)";
    assert.equal(await connection({}, { OKTA_API_TOKEN: TOKEN }), noOrg);
    assert.equal(await connection({}, { OKTA_API_TOKEN: TOKEN }, "not a url"), noOrg);
    assert.equal(await connection({ "okta:baseUrl": "oktapreview.com" }, { OKTA_API_TOKEN: TOKEN, CODER_OIDC_OKTA_API_URL: "" }, ""), noOrg);
    assert.equal(await connection({ "okta:orgName": "dev-1" }, {}),
      "verify reads Okta with an API token: set the stack's okta:apiToken or OKTA_API_TOKEN (an admin token that may read apps and authorization servers)");
  });
});

describe("the authorization server an Okta issuer names", () => {
  it("is the id after /oauth2/ when that is the whole path; else (the org server, not a URL) none", () => {
    const cases: [string, string | undefined][] = [
      ["https://dev-1.okta.com/oauth2/default", "default"],
      ["https://dev-1.okta.com/oauth2/aus1abc/", "aus1abc"],
      ["https://dev-1.okta.com", undefined],
      ["https://dev-1.okta.com/oauth2/aus1abc/v1", undefined],
      ["https://dev-1.okta.com/tenant/oauth2/aus1abc", undefined],
      ["not a url", undefined],
    ];
    for (const [issuer, server] of cases) assert.equal(oktaAuthServerOf(issuer), server, issuer);
  });
});

describe("Okta's app checks, against an in-memory Okta", () => {
  it("a right app at the org server: every check passes, in order, after asking for the app and its groups", async () => {
    const { api, calls } = fakeOkta({ app: rightApp, groups: GROUPS });
    assert.deepEqual(await checkOktaClient(api, context(ORG_ISSUER)), [...RIGHT_APP_FINDINGS, ORG_SERVER]);
    assert.deepEqual(calls, [`app ${CLIENT}`, "groups 0oaapp1"]);
  });

  it("no app: one ✖ naming the client id; without a Coder URL the redirect URIs are not checked", async () => {
    assert.deepEqual(await findingsOf({}), [{ check: "okta.app", status: "problem",
      message: `Okta has no OIDC app with client id ${CLIENT}: run pulumi up, or set CODER_OIDC_CLIENT_ID to the app's client id` }]);
    const findings = await checkOktaClient(fakeOkta({ app: rightApp, groups: GROUPS }).api, context(ORG_ISSUER, {}, null));
    assert.deepEqual(findings, [...RIGHT_APP_FINDINGS.filter((f) => f.check !== "okta.app.redirectUri"), ORG_SERVER]);
  });

  it("an app with nothing but its id: every check says what is missing, naming the app by its id", async () => {
    const prefix = 'Okta app "0oabare" (0oabare)';
    assert.deepEqual(await findingsOf({ app: { id: "0oabare" } }), [
      { check: "okta.app.status", status: "problem", message: `${prefix}: it is not active: activate it (Applications > the app > Activate)` },
      { check: "okta.app.type", status: "problem", message: `${prefix}: its application type is unset: Coder needs a "Web Application" (okta.app.OAuth type: web), which keeps its secret on the server` },
      { check: "okta.app.grants", status: "problem", message: `${prefix}: allow the authorization_code and refresh_token grant (it has none); without refresh_token Okta issues no refresh token and Coder signs users out hourly` },
      { check: "okta.app.redirectUri", status: "problem", message: `${prefix}: add ${CALLBACK} to its sign-in redirect URIs (it has none)` },
      { check: "okta.app.authentication", status: "problem", message: `${prefix}: give it client authentication with a secret (client_secret_basic): Coder sends CODER_OIDC_CLIENT_SECRET` },
      { check: "okta.app.rotation", status: "ok", message: "refresh tokens do not rotate" },
      { check: "okta.app.assignments", status: "problem", message: "Okta app 0oabare: no group is assigned, so nobody can sign in to Coder; assign Coder's users' groups (coder-oidc:okta.assignedGroups)" },
      ORG_SERVER,
    ]);
  });

  it("empty credentials and settings read as unset; a wrong app is named by its label", async () => {
    const findings = await findingsOf({ app: { id: "0oaempty", label: "Old Coder", status: "INACTIVE", credentials: {}, settings: {} }, groups: GROUPS });
    assert.deepEqual(one(findings, "okta.app.status").message, 'Okta app "Old Coder" (0oaempty): it is INACTIVE: activate it (Applications > the app > Activate)');
    assert.deepEqual(one(findings, "okta.app.type").status, "problem");
    assert.deepEqual(one(findings, "okta.app.authentication").status, "problem");
    const noClient = await findingsOf({ app: { ...rightApp, credentials: { oauthClient: {} }, settings: { oauthClient: {} } }, groups: GROUPS });
    assert.deepEqual(one(noClient, "okta.app.authentication").message,
      'Okta app "Coder" (0oaapp1): give it client authentication with a secret (client_secret_basic): Coder sends CODER_OIDC_CLIENT_SECRET');
    assert.deepEqual(one(noClient, "okta.app.rotation"), { check: "okta.app.rotation", status: "ok", message: "refresh tokens do not rotate" });
  });

  it("grants, redirect URIs and authentication: each mistake names what the app has", async () => {
    const cases: [OktaOidcApp, Finding][] = [
      [withClient({ grant_types: ["authorization_code"] }), { check: "okta.app.grants", status: "problem",
        message: 'Okta app "Coder" (0oaapp1): allow the refresh_token grant (it has authorization_code); without refresh_token Okta issues no refresh token and Coder signs users out hourly' }],
      [withClient({ grant_types: ["implicit", "client_credentials"] }), { check: "okta.app.grants", status: "problem",
        message: 'Okta app "Coder" (0oaapp1): allow the authorization_code and refresh_token grant (it has implicit, client_credentials); without refresh_token Okta issues no refresh token and Coder signs users out hourly' }],
      [withClient({ redirect_uris: ["https://old.example.com/cb", `${CALLBACK}/`] }), { check: "okta.app.redirectUri", status: "problem",
        message: `Okta app "Coder" (0oaapp1): add ${CALLBACK} to its sign-in redirect URIs (it has https://old.example.com/cb, ${CALLBACK}/)` }],
      [withClient({ application_type: "browser" }), { check: "okta.app.type", status: "problem",
        message: 'Okta app "Coder" (0oaapp1): its application type is browser: Coder needs a "Web Application" (okta.app.OAuth type: web), which keeps its secret on the server' }],
      [{ ...rightApp, credentials: { oauthClient: { client_id: CLIENT, token_endpoint_auth_method: "none" } } }, { check: "okta.app.authentication", status: "problem",
        message: 'Okta app "Coder" (0oaapp1): give it client authentication with a secret (client_secret_basic): Coder sends CODER_OIDC_CLIENT_SECRET' }],
      [{ ...rightApp, credentials: { oauthClient: { client_id: CLIENT, token_endpoint_auth_method: "private_key_jwt" } } }, { check: "okta.app.authentication", status: "ok",
        message: "the client authenticates (private_key_jwt)" }],
    ];
    for (const [app, finding] of cases) {
      const findings = await findingsOf({ app, groups: GROUPS });
      assert.deepEqual(findings, [...RIGHT_APP_FINDINGS.map((f) => (f.check === finding.check ? finding : f)), ORG_SERVER], finding.message);
    }
  });

  it("refresh token rotation: a grace period of 0 is a ✖ only when tokens rotate; Okta's default is 30 s", async () => {
    const rotation = async (refresh_token: { rotation_type?: string; leeway?: number }) =>
      one(await findingsOf({ app: withClient({ refresh_token }), groups: GROUPS }), "okta.app.rotation");
    assert.deepEqual(await rotation({ rotation_type: "ROTATE" }), { check: "okta.app.rotation", status: "ok", message: "refresh tokens rotate with a 30s grace period" });
    assert.deepEqual(await rotation({ rotation_type: "ROTATE", leeway: 5 }), { check: "okta.app.rotation", status: "ok", message: "refresh tokens rotate with a 5s grace period" });
    assert.deepEqual(await rotation({ rotation_type: "ROTATE", leeway: 0 }), { check: "okta.app.rotation", status: "problem",
      message: 'Okta app "Coder" (0oaapp1): refresh tokens rotate with a grace period of 0: Coder refreshes in parallel and users get signed out at random (coder/coder#25275); ' +
        "set the grace period to 1-60 s (coder-oidc:refreshTokenReuseWindow), or stop rotating (coder-oidc:refreshTokenRotation: off)" });
    assert.deepEqual(await rotation({ rotation_type: "STATIC", leeway: 0 }), { check: "okta.app.rotation", status: "ok", message: "refresh tokens do not rotate" });
    assert.deepEqual(await rotation({ leeway: 0 }), { check: "okta.app.rotation", status: "ok", message: "refresh tokens do not rotate" });
  });

  it("group assignments: groups without an id do not count; the stack's groups that are not assigned are named", async () => {
    const assignments = async (groups: OktaGroupAssignment[], stack: Record<string, string | object> = {}) =>
      one(await findingsOf({ app: rightApp, groups }, ORG_ISSUER, stack), "okta.app.assignments");
    assert.deepEqual(await assignments([{ priority: 1 }]), { check: "okta.app.assignments", status: "problem",
      message: "Okta app 0oaapp1: no group is assigned, so nobody can sign in to Coder; assign Coder's users' groups (coder-oidc:okta.assignedGroups)" });
    assert.deepEqual(await assignments([{ id: "00g1" }, { priority: 2 }, { id: "00g2" }, { id: "00g3" }]),
      { check: "okta.app.assignments", status: "ok", message: "assigned to 3 group(s): 00g1, 00g2, 00g3" });
    assert.deepEqual(await assignments(GROUPS, { "coder-oidc:okta": { assignedGroups: ["00g1", "00g3", "00g4"] } }), { check: "okta.app.assignments", status: "problem",
      message: "Okta app 0oaapp1: the stack's groups 00g3, 00g4 are not assigned (assigned: 00g1, 00g2); run pulumi up" });
    assert.deepEqual(await assignments(GROUPS, { "coder-oidc:okta": { assignedGroups: ["00g2", "00g1"] } }),
      { check: "okta.app.assignments", status: "ok", message: "assigned to 2 group(s): 00g1, 00g2" });
    assert.deepEqual(await assignments(GROUPS, { "coder-oidc:okta": { assignedGroups: "00g3" } }),
      { check: "okta.app.assignments", status: "ok", message: "assigned to 2 group(s): 00g1, 00g2" });
  });
});

describe("Okta's custom authorization server checks, against an in-memory Okta", () => {
  const SERVER = { id: "default", status: "ACTIVE" };
  const rule = (over: Partial<OktaPolicyRule> = {}): OktaPolicyRule => ({
    id: "0pr1", name: "Coder rule", status: "ACTIVE", priority: 1,
    conditions: { grantTypes: { include: ["authorization_code"] }, scopes: { include: ["openid", "offline_access"] } },
    actions: { token: { accessTokenLifetimeMinutes: 60, refreshTokenWindowMinutes: 10080, refreshTokenLifetimeMinutes: 0 } }, ...over,
  });
  const policy = (over: Partial<OktaServerPolicy> = {}, rules = [rule()]): OktaServerPolicy & { rules: OktaPolicyRule[] } => ({
    id: "00p1", name: "Coder policy", status: "ACTIVE", priority: 1, conditions: { clients: { include: [CLIENT] } }, ...over, rules,
  });
  /** The findings after the app's, at the custom server `default`. */
  const serverFindings = async (org: Omit<FakeOrg, "app" | "groups">) => {
    const findings = await findingsOf({ app: rightApp, groups: GROUPS, ...org }, CUSTOM_ISSUER);
    assert.deepEqual(findings.slice(0, RIGHT_APP_FINDINGS.length), RIGHT_APP_FINDINGS);
    return findings.slice(RIGHT_APP_FINDINGS.length);
  };
  const WHERE = 'authorization server default, policy "Coder policy", rule "Coder rule"';
  const allowed = (where = WHERE): Finding => ({ check: "okta.authServer.policy", status: "ok", message: `${where} allows the authorization code grant with offline_access` });
  const lifetimes = (text: string, where = WHERE): Finding => ({ check: "okta.authServer.lifetimes", status: "ok", message: `${where}: ${text}` });
  const lacks = (scopes: string, where = WHERE): Finding => ({ check: "okta.authServer.policy", status: "problem",
    message: `${where}: its scopes (${scopes}) lack offline_access; add it, or Okta issues Coder no refresh token` });
  const NO_POLICY: Finding = { check: "okta.authServer.policy", status: "problem",
    message: `authorization server default has no active access policy for client ${CLIENT}: sign-in fails with "Policy evaluation failed"; ` +
      "add one (coder-oidc:tokens makes the stack declare it) that names Coder's client" };
  const NO_RULE: Finding = { check: "okta.authServer.policy", status: "problem",
    message: `authorization server default: no active rule of the policies for client ${CLIENT} allows the authorization code grant; ` +
      "add one with authorization_code and offline_access (coder-oidc:tokens makes the stack declare it)" };

  it("a right policy and rule: passes, with the lifetimes, after asking for the server, its policies and the policy's rules", async () => {
    const { api, calls } = fakeOkta({ app: rightApp, groups: GROUPS, server: SERVER, policies: [policy()] });
    assert.deepEqual(await checkOktaClient(api, context(CUSTOM_ISSUER)), [...RIGHT_APP_FINDINGS, allowed(), lifetimes(DEFAULT_LIFETIMES)]);
    assert.deepEqual(calls, [`app ${CLIENT}`, "groups 0oaapp1", "server default", "policies default", "rules default 00p1"]);
  });

  it("a server the org does not have, or one not active: one ✖", async () => {
    assert.deepEqual(await serverFindings({}), [{ check: "okta.authServer", status: "problem",
      message: "CODER_OIDC_ISSUER_URL names authorization server default, which this org does not have: set coder-oidc:okta.authorizationServer to an existing server's id (e.g. default), or org" }]);
    assert.deepEqual(await serverFindings({ server: { id: "default" }, policies: [policy()] }), [{ check: "okta.authServer", status: "problem",
      message: "authorization server default is not active: activate it (Security > API > Authorization Servers), or no one can sign in" }]);
    assert.deepEqual(await serverFindings({ server: { id: "default", status: "INACTIVE" }, policies: [policy()] }), [{ check: "okta.authServer", status: "problem",
      message: "authorization server default is INACTIVE: activate it (Security > API > Authorization Servers), or no one can sign in" }]);
  });

  it("only active policies that name Coder's client (among others) or all clients count", async () => {
    assert.deepEqual(await serverFindings({ server: SERVER, policies: [] }), [NO_POLICY]);
    assert.deepEqual(await serverFindings({ server: SERVER, policies: [policy({ status: "INACTIVE" }), policy({ id: "00p2", status: undefined })] }), [NO_POLICY]);
    assert.deepEqual(await serverFindings({ server: SERVER, policies: [policy({ conditions: undefined }), policy({ id: "00p2", conditions: {} }),
      policy({ id: "00p3", conditions: { clients: {} } }), policy({ id: "00p4", conditions: { clients: { include: ["0oaother"] } } })] }), [NO_POLICY]);
    assert.deepEqual(await serverFindings({ server: SERVER, policies: [policy({ conditions: { clients: { include: ["0oaother", CLIENT] } } })] }),
      [allowed(), lifetimes(DEFAULT_LIFETIMES)]);
    assert.deepEqual(await serverFindings({ server: SERVER, policies: [policy({ conditions: { clients: { include: ["ALL_CLIENTS"] } } })] }),
      [allowed(), lifetimes(DEFAULT_LIFETIMES)]);
  });

  it("policies are read in priority order, whatever order Okta lists them in; no priority reads as first", async () => {
    const first = policy({ id: "00p1", name: "First", priority: 1 }, [rule({ conditions: { grantTypes: { include: ["authorization_code"] }, scopes: { include: ["openid"] } } })]);
    const second = policy({ id: "00p2", name: "Second", priority: 2 });
    const where = 'authorization server default, policy "First", rule "Coder rule"';
    assert.deepEqual(await serverFindings({ server: SERVER, policies: [first, second] }), [lacks("openid", where)]);
    assert.deepEqual(await serverFindings({ server: SERVER, policies: [second, first] }), [lacks("openid", where)]);
    const unranked = policy({ id: "00p0", name: "Unranked", priority: undefined }, [rule({ conditions: { grantTypes: { include: ["authorization_code"] }, scopes: { include: ["email"] } } })]);
    assert.deepEqual(await serverFindings({ server: SERVER, policies: [second, first, unranked] }),
      [lacks("email", 'authorization server default, policy "Unranked", rule "Coder rule"')]);
  });

  it("rules: only active ones that allow the authorization code grant, in priority order; else the next policy's", async () => {
    const other = rule({ id: "0pr2", name: "Other", priority: 2, conditions: { grantTypes: { include: ["authorization_code"] }, scopes: { include: ["profile"] } } });
    const whereOther = 'authorization server default, policy "Coder policy", rule "Other"';
    assert.deepEqual(await serverFindings({ server: SERVER, policies: [policy({}, [rule(), other])] }), [allowed(), lifetimes(DEFAULT_LIFETIMES)]);
    assert.deepEqual(await serverFindings({ server: SERVER, policies: [policy({}, [other, rule()])] }), [allowed(), lifetimes(DEFAULT_LIFETIMES)]);
    assert.deepEqual(await serverFindings({ server: SERVER, policies: [policy({}, [rule({ status: "INACTIVE" }), other])] }), [lacks("profile", whereOther)]);
    assert.deepEqual(await serverFindings({ server: SERVER, policies: [policy({}, [rule({ status: undefined }), other])] }), [lacks("profile", whereOther)]);
    const noCode = [rule({ conditions: undefined }), rule({ id: "0pr3", conditions: {} }), rule({ id: "0pr4", conditions: { grantTypes: {} } }),
      rule({ id: "0pr5", conditions: { grantTypes: { include: ["client_credentials"] }, scopes: { include: ["offline_access"] } } })];
    assert.deepEqual(await serverFindings({ server: SERVER, policies: [policy({}, noCode)] }), [NO_RULE]);
    assert.deepEqual(await serverFindings({ server: SERVER, policies: [policy({}, noCode), policy({ id: "00p2", name: "Next", priority: 2 }, [other])] }),
      [lacks("profile", 'authorization server default, policy "Next", rule "Other"')]);
    assert.deepEqual(await serverFindings({ server: SERVER, policies: [policy({}, []), policy({ id: "00p2", status: "INACTIVE", priority: 0 }, [other])] }), [NO_RULE]);
  });

  it("a rule's priority orders it whatever order Okta lists the rules in; no priority reads as first", async () => {
    const low = rule({ id: "0pr2", name: "Low", priority: 1, conditions: { grantTypes: { include: ["authorization_code"] }, scopes: { include: ["profile"] } } });
    const high = rule({ id: "0pr3", name: "High", priority: 2 });
    const where = 'authorization server default, policy "Coder policy", rule "Low"';
    assert.deepEqual(await serverFindings({ server: SERVER, policies: [policy({}, [low, high])] }), [lacks("profile", where)]);
    assert.deepEqual(await serverFindings({ server: SERVER, policies: [policy({}, [high, low])] }), [lacks("profile", where)]);
    const unranked = rule({ id: "0pr0", name: "Unranked", priority: undefined, conditions: { grantTypes: { include: ["authorization_code"] }, scopes: { include: ["email"] } } });
    assert.deepEqual(await serverFindings({ server: SERVER, policies: [policy({}, [high, low, unranked])] }),
      [lacks("email", 'authorization server default, policy "Coder policy", rule "Unranked"')]);
  });

  it("scopes: offline_access or * pass; none listed is a ✖; a policy or rule without a name is named by its id", async () => {
    const star = rule({ conditions: { grantTypes: { include: ["authorization_code"] }, scopes: { include: ["*"] } } });
    assert.deepEqual(await serverFindings({ server: SERVER, policies: [policy({}, [star])] }), [allowed(), lifetimes(DEFAULT_LIFETIMES)]);
    const noScopes = rule({ name: undefined, conditions: { grantTypes: { include: ["authorization_code"] } } });
    assert.deepEqual(await serverFindings({ server: SERVER, policies: [policy({ name: undefined }, [noScopes])] }),
      [lacks("none", 'authorization server default, policy "00p1", rule "0pr1"')]);
    const emptyScopes = rule({ conditions: { grantTypes: { include: ["authorization_code"] }, scopes: {} } });
    assert.deepEqual(await serverFindings({ server: SERVER, policies: [policy({}, [emptyScopes])] }), [lacks("none")]);
  });

  it("lifetimes: unknown ones read ?, a refresh lifetime is shown, and a refresh window shorter than an access token is a ✖", async () => {
    const withToken = (token: NonNullable<NonNullable<OktaPolicyRule["actions"]>["token"]> | undefined, actions = true) =>
      serverFindings({ server: SERVER, policies: [policy({}, [rule({ actions: actions ? { token } : undefined })])] });
    assert.deepEqual(await withToken(undefined, false), [allowed(), lifetimes("access tokens ? min, refresh tokens expire unused after ? min and live unlimited")]);
    assert.deepEqual(await withToken(undefined), [allowed(), lifetimes("access tokens ? min, refresh tokens expire unused after ? min and live unlimited")]);
    assert.deepEqual(await withToken({ refreshTokenWindowMinutes: 30 }), [allowed(), lifetimes("access tokens ? min, refresh tokens expire unused after 30 min and live unlimited")]);
    assert.deepEqual(await withToken({ accessTokenLifetimeMinutes: 60 }), [allowed(), lifetimes("access tokens 60 min, refresh tokens expire unused after ? min and live unlimited")]);
    assert.deepEqual(await withToken({ accessTokenLifetimeMinutes: 60, refreshTokenWindowMinutes: 0, refreshTokenLifetimeMinutes: 129600 }),
      [allowed(), lifetimes("access tokens 60 min, refresh tokens expire unused after 0 min and live 129600 min")]);
    assert.deepEqual(await withToken({ accessTokenLifetimeMinutes: 60, refreshTokenWindowMinutes: 60 }),
      [allowed(), lifetimes("access tokens 60 min, refresh tokens expire unused after 60 min and live unlimited")]);
    assert.deepEqual(await withToken({ accessTokenLifetimeMinutes: 60, refreshTokenWindowMinutes: 59 }), [allowed(), { check: "okta.authServer.lifetimes", status: "problem",
      message: `${WHERE}: access tokens 60 min, refresh tokens expire unused after 59 min and live unlimited; the refresh window is shorter than an access token lives, ` +
        "so the refresh token expires first: raise coder-oidc:tokens.refreshIdleTimeout or lower tokens.accessTokenLifetime" }]);
  });
});

describe("Okta's checks over HTTP, against the Okta simulator", () => {
  let sim: OktaSim;
  let echo: OktaSim;
  const MARKER = "MARKER-s3cr3t-7f1e9c";
  before(async () => {
    sim = await startOktaSim();
    echo = await startOktaSim({ echoToken: true });
    sim.putApp({ clientId: CLIENT, id: "0oaapp1", groups: ["00g1", "00g2"] });
    sim.putServer("default", [{ id: "00p1", name: "Coder policy", clients: [CLIENT], rules: [{ id: "0pr1", grantTypes: ["authorization_code"], scopes: ["openid", "offline_access"] }] }]);
  });
  after(async () => {
    await sim.close();
    await echo.close();
  });

  it("a right app and policy: the same findings as in memory, read with the stack's token from the org URL given", async () => {
    const findings = await withEnv({ CODER_OIDC_OKTA_API_URL: sim.orgUrl }, () => oktaFindings(context(CUSTOM_ISSUER, { "okta:apiToken": sim.apiToken })));
    const where = 'authorization server default, policy "Coder policy", rule "0pr1"';
    assert.deepEqual(findings, [...RIGHT_APP_FINDINGS, allowed(where), lifetimes(DEFAULT_LIFETIMES, where)]);
    assert.deepEqual(sim.problems, []);
  });

  it("a refused token: one ? with Okta's answer and the token masked; no credentials: one ? saying which to set", async () => {
    const refused = await withEnv({ CODER_OIDC_OKTA_API_URL: echo.orgUrl, OKTA_API_TOKEN: MARKER }, () => oktaFindings(context(CUSTOM_ISSUER)));
    assert.deepEqual(refused, [{ check: "okta.app", status: "unchecked",
      message: `Okta's management API: GET ${echo.orgUrl}/api/v1/apps/${CLIENT} answered HTTP 401: Invalid token provided: SSWS **** (E0000011)` }]);
    assert.deepEqual(await withEnv({ CODER_OIDC_OKTA_API_URL: sim.orgUrl }, () => oktaFindings(context(CUSTOM_ISSUER))), [{ check: "okta.app", status: "unchecked",
      message: "verify reads Okta with an API token: set the stack's okta:apiToken or OKTA_API_TOKEN (an admin token that may read apps and authorization servers)" }]);
  });

  function allowed(where: string): Finding {
    return { check: "okta.authServer.policy", status: "ok", message: `${where} allows the authorization code grant with offline_access` };
  }
  function lifetimes(text: string, where: string): Finding {
    return { check: "okta.authServer.lifetimes", status: "ok", message: `${where}: ${text}` };
  }
});
