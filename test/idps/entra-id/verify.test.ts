/**
 * `verify` at Microsoft Entra ID (idps/entra-id/verify.ts), finding by finding: which login it uses (the stack's
 * azuread:* before ARM_*, the tenant from the stack, the environment, coder-oidc:entraId or the issuer), and every
 * finding of {@link checkEntraApplication} with its exact message, against a small in-memory Graph that can hold what
 * the schema-checked simulator never answers (an application without a web platform, a name, an appId, secrets without
 * dates, grants to other resources, no Graph service principal). Then {@link entraFindings} end to end over HTTP against
 * the Graph simulator on 127.0.0.1: a right app registration passes with the requests Graph expects, and a missing or
 * refused login is a ? on entra.application that names what to set or what Entra answered, the secret masked.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { checkEntraApplication, entraConnection, entraFindings } from "../../../idps/entra-id/verify";
import type { GraphApi, GraphApplication, GraphPermissionGrant, GraphServicePrincipal } from "../../../idps/entra-id/graph";
import type { IdpCheckContext } from "../../../src/verify/idp-common";
import type { Finding } from "../../../src/verify/core";
import { GRAPH_APP_ID, GRAPH_SCOPE_IDS, type GraphSim, startGraphSim } from "../../support/graph-sim";
import { stackConfig as config, withEnvOnly } from "../../support/env";

const MARKER = "MARKER-s3cr3t-7f1e9c";
const VARIABLES = ["ARM_CLIENT_ID", "ARM_CLIENT_SECRET", "ARM_TENANT_ID", "CODER_OIDC_GRAPH_URL", "CODER_OIDC_ENTRA_AUTHORITY_URL"];

/** Runs `run` with exactly `env` among the variables these checks read, then puts them back. */
const withEnv = <T>(env: Record<string, string>, run: () => T | Promise<T>) => withEnvOnly(VARIABLES, env, run);

const TENANT = "6b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d";
const OTHER_TENANT = "0a1b2c3d-4e5f-4061-8273-8495a6b7c8d9";
const issuerOf = (tenant: string) => `https://login.microsoftonline.com/${tenant}/v2.0`;

describe("entraConnection: the login verify uses", () => {
  const login = { clientId: "c1", clientSecret: "s1" };
  const connection = (stack: Record<string, string | object>, env: Record<string, string>, issuer: string | undefined) =>
    withEnv(env, () => entraConnection(config(stack), issuer));

  it("the stack's azuread:* before ARM_*, the graph and authority URLs from the environment", async () => {
    const stack = { "azuread:clientId": "c1", "azuread:clientSecret": "s1", "azuread:tenantId": TENANT, "coder-oidc:entraId": { tenantId: OTHER_TENANT } };
    const env = { ARM_CLIENT_ID: "c2", ARM_CLIENT_SECRET: "s2", ARM_TENANT_ID: OTHER_TENANT, CODER_OIDC_GRAPH_URL: "http://127.0.0.1:1/v1.0", CODER_OIDC_ENTRA_AUTHORITY_URL: "http://127.0.0.1:1" };
    assert.deepEqual(await connection(stack, env, issuerOf(OTHER_TENANT)),
      { tenantId: TENANT, ...login, graphUrl: "http://127.0.0.1:1/v1.0", authorityUrl: "http://127.0.0.1:1" });
  });

  it("ARM_TENANT_ID before coder-oidc:entraId.tenantId and the issuer's; empty URL variables are unset", async () => {
    const env = { ARM_CLIENT_ID: "c1", ARM_CLIENT_SECRET: "s1", ARM_TENANT_ID: TENANT, CODER_OIDC_GRAPH_URL: "", CODER_OIDC_ENTRA_AUTHORITY_URL: "" };
    assert.deepEqual(await connection({ "coder-oidc:entraId": { tenantId: OTHER_TENANT } }, env, issuerOf(OTHER_TENANT)),
      { tenantId: TENANT, ...login, graphUrl: undefined, authorityUrl: undefined });
  });

  it("coder-oidc:entraId.tenantId before the issuer's", async () => {
    assert.deepEqual(await connection({ "coder-oidc:entraId": { tenantId: TENANT } }, { ARM_CLIENT_ID: "c1", ARM_CLIENT_SECRET: "s1" }, issuerOf(OTHER_TENANT)),
      { tenantId: TENANT, ...login, graphUrl: undefined, authorityUrl: undefined });
  });

  const fromIssuer: [string, string | undefined][] = [
    [issuerOf(TENANT), TENANT],
    [`${issuerOf(TENANT)}/`, TENANT],
    ["https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0", "contoso.onmicrosoft.com"],
    ["https://login.microsoftonline.com/Contoso.OnMicrosoft.com/V2.0/", "Contoso.OnMicrosoft.com"],
    [`${issuerOf(TENANT)}/x`, undefined],
    [`https://login.microsoftonline.com/${TENANT}/v2.0/.well-known`, undefined],
    ["https://login.microsoftonline.com/common/v2.0", undefined],
    ["https://login.microsoftonline.com//.onmicrosoft.com/v2.0", undefined],
    [`https://login.microsoftonline.com/${TENANT}`, undefined],
  ];
  for (const [issuer, tenant] of fromIssuer) {
    it(`the tenant of the issuer ${issuer}: ${tenant ?? "none"}`, async () => {
      const got = await connection({}, { ARM_CLIENT_ID: "c1", ARM_CLIENT_SECRET: "s1" }, issuer);
      assert.deepEqual(got, tenant === undefined ? "no tenant: set the stack's azuread:tenantId or ARM_TENANT_ID"
        : { tenantId: tenant, ...login, graphUrl: undefined, authorityUrl: undefined });
    });
  }

  it("no issuer and no tenant anywhere: says which to set", async () => {
    assert.equal(await connection({ "azuread:clientId": "c1", "azuread:clientSecret": "s1", "azuread:tenantId": "" }, {}, undefined),
      "no tenant: set the stack's azuread:tenantId or ARM_TENANT_ID");
  });

  it("no client id or no client secret: says which keys to set, whatever the tenant", async () => {
    const why = "verify reads Microsoft Graph with a client secret: set the stack's azuread:clientId and azuread:clientSecret, or ARM_CLIENT_ID and ARM_CLIENT_SECRET (an app with Application.Read.All)";
    assert.equal(await connection({}, { ARM_CLIENT_ID: "c1", ARM_TENANT_ID: TENANT }, undefined), why);
    assert.equal(await connection({ "azuread:clientSecret": "s1" }, { ARM_TENANT_ID: TENANT }, issuerOf(TENANT)), why);
  });
});

const APP_ID = "5f0a9d1e-2b3c-4d5e-8f90-a1b2c3d4e5f6";
const OBJECT_ID = "9a8b7c6d-5e4f-4321-9abc-def012345678";
const CODER_URL = "https://coder.example.com";
const CALLBACK = `${CODER_URL}/api/v2/users/oidc/callback`;
const NOW = Date.parse("2026-12-06T00:00:00Z");
const DAY = 86_400_000;
const at = (days: number) => new Date(NOW + days * DAY).toISOString();
const ALL_SCOPES = Object.values(GRAPH_SCOPE_IDS).map((id) => ({ id, type: "Scope" }));

/** Coder's app registration as pulumi up makes it. */
const RIGHT: GraphApplication = {
  id: OBJECT_ID, appId: APP_ID, displayName: "Coder", signInAudience: "AzureADMyOrg", isFallbackPublicClient: false,
  web: { redirectUris: [CALLBACK], implicitGrantSettings: { enableAccessTokenIssuance: false, enableIdTokenIssuance: false } },
  publicClient: { redirectUris: [] },
  requiredResourceAccess: [{ resourceAppId: GRAPH_APP_ID, resourceAccess: ALL_SCOPES }],
  passwordCredentials: [{ displayName: "s", startDateTime: "2026-01-01T00:00:00Z", endDateTime: "2027-06-01T00:00:00Z" }],
};
const CODER_SP: GraphServicePrincipal = { id: "sp-coder", appId: APP_ID };
const GRAPH_SP: GraphServicePrincipal = { id: "sp-graph", appId: GRAPH_APP_ID };
const CONSENT: GraphPermissionGrant = { clientId: "sp-coder", consentType: "AllPrincipals", resourceId: "sp-graph", scope: "openid profile email offline_access" };

/** An in-memory Graph: the application (any appId asked finds it), service principals by appId, grants by client. */
function fakeGraph(app: GraphApplication | undefined, sps: GraphServicePrincipal[] = [CODER_SP, GRAPH_SP], grants: GraphPermissionGrant[] = [CONSENT]) {
  const calls: string[] = [];
  const api: GraphApi = {
    findClientById: (appId) => { calls.push(`application ${appId}`); return Promise.resolve(app); },
    servicePrincipalByAppId: (appId) => { calls.push(`servicePrincipal ${appId}`); return Promise.resolve(sps.find((sp) => sp.appId === appId)); },
    delegatedGrants: (id) => { calls.push(`grants ${id}`); return Promise.resolve(grants.filter((g) => g.clientId === id)); },
  };
  return { api, calls };
}

const context = (stack: Record<string, string | object> = {}, withCoderUrl = true): IdpCheckContext =>
  ({ settings: { CODER_OIDC_CLIENT_ID: APP_ID }, config: config(stack), now: NOW, projectDir: "/nonexistent", ...(withCoderUrl ? { coderUrl: CODER_URL } : {}) });

const okF = (check: string, message: string): Finding => ({ check, status: "ok", message } as Finding);
const problemF = (check: string, message: string): Finding => ({ check, status: "problem", message } as Finding);
const uncheckedF = (check: string, message: string): Finding => ({ check, status: "unchecked", message } as Finding);

const OK = {
  redirectUri: okF("entra.application.redirectUri", `Coder's callback ${CALLBACK} is a Web redirect URI`),
  implicitGrant: okF("entra.application.implicitGrant", "no tokens through the implicit grant"),
  publicClient: okF("entra.application.publicClient", "it is not a public client"),
  graphScopes: okF("entra.application.graphScopes", "it requests Microsoft Graph's delegated openid, profile, email and offline_access"),
  secret: okF("entra.application.secret", "a client secret is valid until 2027-06-01T00:00:00Z (177 days)"),
  adminConsent: okF("entra.adminConsent", "an admin consented to openid, profile, email and offline_access for every user"),
};
const NAMED = `Entra application "Coder" (${APP_ID})`;
const NO_SECRET = (name: string) => problemF("entra.application.secret", `Entra application ${name}: no client secret is valid now, so Coder can neither log in nor refresh: ` +
  "set coder-oidc:entraId.secretRotation to this month, run pulumi up and give Coder the new CODER_OIDC_CLIENT_SECRET");
const NO_CONSENT = (missing: string) => problemF("entra.adminConsent", `no tenant-wide admin consent for Microsoft Graph's ${missing}: grant it (API permissions > Grant admin consent), ` +
  "or set coder-oidc:entraId.grantAdminConsent: true and run pulumi up; otherwise users are asked to consent, or refused");

describe("checkEntraApplication: every finding, word for word", () => {
  it("a right app registration, no stack: every check passes, the sign-in audience only reported; Graph asked in order", async () => {
    const { api, calls } = fakeGraph(RIGHT);
    assert.deepEqual(await checkEntraApplication(api, context()), [
      OK.redirectUri, OK.implicitGrant, OK.publicClient, OK.graphScopes, OK.secret,
      okF("entra.application.signInAudience", "its sign-in audience is AzureADMyOrg"), OK.adminConsent,
    ]);
    assert.deepEqual(calls, [`application ${APP_ID}`, `servicePrincipal ${APP_ID}`, `servicePrincipal ${GRAPH_APP_ID}`, "grants sp-coder"]);
  });

  it("no Coder URL: no redirect URI check", async () => {
    const findings = await checkEntraApplication(fakeGraph(RIGHT).api, context({}, false));
    assert.deepEqual(findings.map((f) => f.check), ["entra.application.implicitGrant", "entra.application.publicClient", "entra.application.graphScopes",
      "entra.application.secret", "entra.application.signInAudience", "entra.adminConsent"]);
  });

  it("no application with the appId: one ✖ saying what to do, nothing else asked", async () => {
    const { api, calls } = fakeGraph(undefined);
    assert.deepEqual(await checkEntraApplication(api, context()), [problemF("entra.application",
      `the tenant has no application with appId ${APP_ID}: run pulumi up, or set CODER_OIDC_CLIENT_ID to the app registration's Application (client) ID`)]);
    assert.deepEqual(calls, [`application ${APP_ID}`]);
  });

  it("a bare application (no name, appId, platforms, permissions, secrets or audience) and no service principal", async () => {
    const { api, calls } = fakeGraph({ id: OBJECT_ID }, [GRAPH_SP]);
    assert.deepEqual(await checkEntraApplication(api, context()), [
      problemF("entra.application.redirectUri", `Entra application "${APP_ID}" (${APP_ID}): add ${CALLBACK} to its Web redirect URIs (Authentication > Web; it has none)`),
      OK.implicitGrant, OK.publicClient,
      problemF("entra.application.graphScopes", `Entra application ${OBJECT_ID}: add Microsoft Graph's delegated openid, profile, email, offline_access (API permissions)` +
        ": without offline_access Entra issues no refresh token"),
      NO_SECRET(OBJECT_ID),
      okF("entra.application.signInAudience", "its sign-in audience is unset"),
      problemF("entra.adminConsent", `the application ${APP_ID} has no service principal (enterprise application) in this tenant: run pulumi up`),
    ]);
    assert.deepEqual(calls, [`application ${APP_ID}`, `servicePrincipal ${APP_ID}`]);
  });

  it("a web platform without its lists, and an empty Mobile and desktop platform, are neither grants nor a public client", async () => {
    const app = { ...RIGHT, web: { implicitGrantSettings: null }, publicClient: {}, isFallbackPublicClient: null };
    const findings = await checkEntraApplication(fakeGraph(app).api, context());
    assert.deepEqual(findings.slice(0, 3), [
      problemF("entra.application.redirectUri", `${NAMED}: add ${CALLBACK} to its Web redirect URIs (Authentication > Web; it has none)`),
      OK.implicitGrant, OK.publicClient,
    ]);
  });

  it("each mistake in the platforms and permissions, with the app's name, and only Graph's delegated scopes counted", async () => {
    const app: GraphApplication = {
      ...RIGHT,
      web: { redirectUris: [`${CODER_URL}/`, "https://other.example.com/cb"], implicitGrantSettings: { enableAccessTokenIssuance: true, enableIdTokenIssuance: false } },
      publicClient: { redirectUris: ["ms-appx-web://microsoft.aad.brokerplugin/x"] },
      requiredResourceAccess: [
        { resourceAppId: "00000002-0000-0000-c000-000000000000", resourceAccess: [{ id: GRAPH_SCOPE_IDS.openid, type: "Scope" }] },
        { resourceAppId: GRAPH_APP_ID, resourceAccess: [{ id: GRAPH_SCOPE_IDS.profile, type: "Role" }, { id: GRAPH_SCOPE_IDS.email, type: "Scope" }, { id: GRAPH_SCOPE_IDS.offline_access, type: "Scope" }] },
        { resourceAppId: GRAPH_APP_ID },
      ],
    };
    assert.deepEqual(await checkEntraApplication(fakeGraph(app).api, context()), [
      problemF("entra.application.redirectUri", `${NAMED}: add ${CALLBACK} to its Web redirect URIs (Authentication > Web; it has ${CODER_URL}/, https://other.example.com/cb)`),
      problemF("entra.application.implicitGrant", `${NAMED}: turn off the implicit grant's access and ID tokens (Authentication > Implicit grant and hybrid flows)`),
      problemF("entra.application.publicClient", `${NAMED}: turn off "Allow public client flows" and remove the Mobile and desktop redirect URIs: Coder is a confidential client`),
      problemF("entra.application.graphScopes", `Entra application ${APP_ID}: add Microsoft Graph's delegated openid, profile (API permissions)`),
      OK.secret, okF("entra.application.signInAudience", "its sign-in audience is AzureADMyOrg"), OK.adminConsent,
    ]);
  });

  it("ID tokens through the implicit grant, or public client flows allowed, are each a ✖", async () => {
    const idTokens = await checkEntraApplication(fakeGraph({ ...RIGHT, web: { ...RIGHT.web, implicitGrantSettings: { enableIdTokenIssuance: true } } }).api, context());
    assert.equal(idTokens[1].status, "problem");
    const fallback = await checkEntraApplication(fakeGraph({ ...RIGHT, isFallbackPublicClient: true }).api, context());
    assert.equal(fallback[2].status, "problem");
  });

  const secrets: [string, GraphApplication["passwordCredentials"], Finding][] = [
    ["not valid yet", [{ startDateTime: at(1), endDateTime: at(400) }], NO_SECRET(APP_ID)],
    ["ended", [{ startDateTime: at(-400), endDateTime: at(-1) }], NO_SECRET(APP_ID)],
    ["ending this instant", [{ startDateTime: at(-400), endDateTime: at(0) }], NO_SECRET(APP_ID)],
    ["without an end", [{ startDateTime: at(-400) }, { startDateTime: at(-400), endDateTime: null }], NO_SECRET(APP_ID)],
    ["without a start", [{ endDateTime: at(100) }], okF("entra.application.secret", `a client secret is valid until ${at(100)} (100 days)`)],
    ["starting this instant", [{ startDateTime: at(0), endDateTime: at(100) }], okF("entra.application.secret", `a client secret is valid until ${at(100)} (100 days)`)],
    ["ending in exactly 30 days", [{ endDateTime: at(30) }], okF("entra.application.secret", `a client secret is valid until ${at(30)} (30 days)`)],
    ["ending in 29 days and a half", [{ endDateTime: at(29.5) }], problemF("entra.application.secret", `Entra application ${APP_ID}: its last client secret ends on ${at(29.5)}, ` +
      "in 29 days: rotate it (coder-oidc:entraId.previousSecretRotation = the current secretRotation, secretRotation = this month, pulumi up, give Coder the new secret)")],
    ["the later of two, listed first", [{ endDateTime: at(200) }, { endDateTime: at(10) }], okF("entra.application.secret", `a client secret is valid until ${at(200)} (200 days)`)],
    ["the valid one among others", [{ startDateTime: at(5), endDateTime: at(500) }, { endDateTime: at(40) }, { endDateTime: at(-3) }], okF("entra.application.secret", `a client secret is valid until ${at(40)} (40 days)`)],
  ];
  for (const [name, passwordCredentials, finding] of secrets) {
    it(`a client secret ${name}`, async () => {
      const findings = await checkEntraApplication(fakeGraph({ ...RIGHT, passwordCredentials }).api, context());
      assert.deepEqual(findings.filter((f) => f.check === "entra.application.secret"), [finding]);
    });
  }

  const audiences: [string, Record<string, string | object>, string | undefined, Finding][] = [
    ["the stack's own audience, as the app has", { "coder-oidc:idp": "entra-id", "coder-oidc:entraId": { signInAudience: "AzureADMultipleOrgs" } }, "AzureADMultipleOrgs",
      okF("entra.application.signInAudience", "its sign-in audience is AzureADMultipleOrgs, as the stack says")],
    ["the stack's default (its idp set), the app unset", { "coder-oidc:idp": "entra-id" }, undefined,
      problemF("entra.application.signInAudience", `${NAMED}: its sign-in audience is unset but the stack says AzureADMyOrg: run pulumi up (coder-oidc:entraId.signInAudience)`)],
    ["the stack's audience without its idp", { "coder-oidc:entraId": { signInAudience: "AzureADMyOrg" } }, "AzureADMultipleOrgs",
      problemF("entra.application.signInAudience", `${NAMED}: its sign-in audience is AzureADMultipleOrgs but the stack says AzureADMyOrg: run pulumi up (coder-oidc:entraId.signInAudience)`)],
    ["no stack", {}, "AzureADandPersonalMicrosoftAccount", okF("entra.application.signInAudience", "its sign-in audience is AzureADandPersonalMicrosoftAccount")],
  ];
  for (const [name, stack, signInAudience, finding] of audiences) {
    it(`sign-in audience: ${name}`, async () => {
      const findings = await checkEntraApplication(fakeGraph({ ...RIGHT, signInAudience }).api, context(stack));
      assert.deepEqual(findings.filter((f) => f.check === "entra.application.signInAudience"), [finding]);
    });
  }

  it("admin consent counts only tenant-wide grants to Graph, whitespace and empty scopes aside", async () => {
    const grants: GraphPermissionGrant[] = [
      { ...CONSENT, resourceId: "sp-other" },
      { ...CONSENT, consentType: "Principal", principalId: "u1" },
      { ...CONSENT, clientId: "sp-someone-else" },
      { ...CONSENT, scope: "  openid \t email  " },
      { ...CONSENT, scope: null },
    ];
    const { api, calls } = fakeGraph(RIGHT, undefined, grants);
    const findings = await checkEntraApplication(api, context());
    assert.deepEqual(findings.at(-1), NO_CONSENT("profile, offline_access"));
    assert.deepEqual(calls.at(-1), "grants sp-coder");
  });

  it("admin consent split over grants is consent", async () => {
    const grants = [{ ...CONSENT, scope: "openid profile" }, { ...CONSENT, scope: "email offline_access" }];
    assert.deepEqual((await checkEntraApplication(fakeGraph(RIGHT, undefined, grants).api, context())).at(-1), OK.adminConsent);
  });

  it("no Graph service principal in the tenant: no grant can be to it", async () => {
    const findings = await checkEntraApplication(fakeGraph(RIGHT, [CODER_SP]).api, context());
    assert.deepEqual(findings.at(-1), NO_CONSENT("openid, profile, email, offline_access"));
  });
});

describe("entraFindings against the Graph simulator", () => {
  let sim: GraphSim;
  before(async () => {
    sim = await startGraphSim();
    sim.putApp({ appId: APP_ID, consented: ["openid", "profile", "email", "offline_access"], passwordEnds: ["2027-06-01T00:00:00Z"] });
  });
  after(() => sim.close());
  const env = () => ({ CODER_OIDC_GRAPH_URL: sim.graphUrl, CODER_OIDC_ENTRA_AUTHORITY_URL: sim.authorityUrl, ARM_CLIENT_ID: sim.login.clientId, ARM_CLIENT_SECRET: sim.login.clientSecret });
  const ctx = (): IdpCheckContext => ({ ...context({ "coder-oidc:idp": "entra-id" }), settings: { CODER_OIDC_CLIENT_ID: APP_ID, CODER_OIDC_ISSUER_URL: issuerOf(sim.tenantId) } });

  it("a right app registration: every check passes, read with a token from the tenant the issuer names", async () => {
    const asked = sim.exchanges.length;
    const findings = await withEnv(env(), () => entraFindings(ctx()));
    assert.deepEqual(findings, [
      OK.redirectUri, OK.implicitGrant, OK.publicClient, OK.graphScopes, OK.secret,
      okF("entra.application.signInAudience", "its sign-in audience is AzureADMyOrg, as the stack says"), OK.adminConsent,
    ]);
    assert.deepEqual(sim.exchanges.slice(asked).map((e) => `${e.request.method} ${e.request.path}`), [
      `POST /${sim.tenantId}/oauth2/v2.0/token`, `GET /applications(appId='${APP_ID}')`, `GET /servicePrincipals(appId='${APP_ID}')`,
      `GET /servicePrincipals(appId='${GRAPH_APP_ID}')`, "GET /oauth2PermissionGrants",
    ]);
    assert.deepEqual(sim.problems, []);
  });

  it("no login: a ? on entra.application saying what to set, and nothing asked", async () => {
    const asked = sim.exchanges.length;
    assert.deepEqual(await withEnv({ ARM_CLIENT_SECRET: MARKER }, () => entraFindings(ctx())), [uncheckedF("entra.application",
      "verify reads Microsoft Graph with a client secret: set the stack's azuread:clientId and azuread:clientSecret, or ARM_CLIENT_ID and ARM_CLIENT_SECRET (an app with Application.Read.All)")]);
    assert.deepEqual(await withEnv({ ...env(), ARM_TENANT_ID: "" }, () => entraFindings({ ...ctx(), settings: { CODER_OIDC_CLIENT_ID: APP_ID } })),
      [uncheckedF("entra.application", "no tenant: set the stack's azuread:tenantId or ARM_TENANT_ID")]);
    assert.equal(sim.exchanges.length, asked);
  });

  it("a refused secret: a ? on entra.application with Entra's answer, the secret masked", async () => {
    const findings = await withEnv({ ...env(), ARM_CLIENT_SECRET: MARKER }, () => entraFindings(ctx()));
    assert.deepEqual(findings, [uncheckedF("entra.application",
      `Microsoft Graph: POST ${sim.authorityUrl}/${sim.tenantId}/oauth2/v2.0/token answered HTTP 401: invalid_client: AADSTS7000215: Invalid client secret provided.`)]);
    assert.doesNotMatch(JSON.stringify(findings), new RegExp(MARKER));
  });

  it("Graph unreachable: a ? on entra.application naming the request", async () => {
    const findings = await withEnv({ ...env(), CODER_OIDC_GRAPH_URL: "http://127.0.0.1:9/v1.0" }, () => entraFindings(ctx()));
    assert.deepEqual(findings, [uncheckedF("entra.application",
      `Microsoft Graph: GET http://127.0.0.1:9/v1.0/applications(appId='${APP_ID}') failed: connect ECONNREFUSED 127.0.0.1:9`)]);
  });
});
