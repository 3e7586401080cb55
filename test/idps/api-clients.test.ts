/**
 * The management-API clients (cli/idp-api) against the simulators on 127.0.0.1: lookups, every page of a list
 * (Okta's Link headers, Graph's @odata.nextLink, Auth0's page/per_page), the APIs' own error messages with the
 * credentials masked; and the simulators' schema checks themselves, which must catch a wrong request or answer.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { auth0Api } from "../../idps/auth0/api";
import { graphApi } from "../../idps/entra-id/graph";
import { IdpApiError, maskSecrets } from "../../src/api-http";
import { nextLink, oktaApi } from "../../idps/okta/api";
import { loadApiSchemas } from "../support/api-schema";
import { type Auth0Sim, startAuth0Sim } from "../support/auth0-sim";
import { GRAPH_APP_ID, type GraphSim, startGraphSim } from "../support/graph-sim";
import { type OktaSim, startOktaSim } from "../support/okta-sim";

const MARKER = "MARKER-s3cr3t-7f1e9c";

describe("the Okta client against the Okta simulator", () => {
  let sim: OktaSim;
  before(async () => {
    sim = await startOktaSim({ pageSize: 2 });
    for (let i = 0; i < 5; i++) sim.putApp({ clientId: `0oaclient${i}abc`, id: `0oaapp${i}abcde`, groups: ["00g1", "00g2", "00g3"] });
    sim.putServer("default", [{ id: "pol1", clients: ["0oaclient3abc"], rules: [{ id: "r1", grantTypes: ["authorization_code"], scopes: ["offline_access"] }] }]);
  });
  after(() => sim.close());

  it("finds an app by client id through every page when the app id differs, and reads its groups, policies and rules", async () => {
    const api = oktaApi({ orgUrl: sim.orgUrl, apiToken: sim.apiToken });
    const app = await api.findClientById("0oaclient4abc");
    assert.equal(app?.id, "0oaapp4abcde");
    assert.equal(sim.exchanges.filter((e) => e.request.operation === "GET /api/v1/apps").length, 3, "5 apps in pages of 2");
    assert.deepEqual((await api.appGroups(app!.id)).map((g) => g.id), ["00g1", "00g2", "00g3"]);
    assert.equal((await api.policyRules("default", (await api.serverPolicies("default"))[0].id!))[0].conditions?.scopes?.include?.[0], "offline_access");
    assert.equal(await api.findClientById("0oanothere"), undefined);
    assert.deepEqual(sim.problems, []);
  });

  it("names the method, URL, status and Okta's message on an error, without the token", async () => {
    const api = oktaApi({ orgUrl: sim.orgUrl, apiToken: MARKER });
    const err = await api.serverPolicies("missing").catch((e: unknown) => e);
    assert.ok(err instanceof IdpApiError);
    assert.equal(err.message, `GET ${sim.orgUrl}/api/v1/authorizationServers/missing/policies answered HTTP 401: Invalid token provided (E0000011)`);
    const err404 = await oktaApi({ orgUrl: sim.orgUrl, apiToken: sim.apiToken }).serverPolicies("missing").catch((e: unknown) => e as Error);
    assert.match((err404 as Error).message, /answered HTTP 404: Not found: Resource not found: policies \(AppInstance\) \(E0000007\)$/);
  });

  it("masks a token the server echoes back", async () => {
    const echo = await startOktaSim({ echoToken: true });
    try {
      const err = await oktaApi({ orgUrl: echo.orgUrl, apiToken: MARKER }).appGroups("x").catch((e: unknown) => e as Error);
      assert.doesNotMatch((err as Error).message, new RegExp(MARKER));
      assert.match((err as Error).message, /Invalid token provided: SSWS \*\*\*\*/);
    } finally {
      await echo.close();
    }
  });

  it("retries a 429 and then reads the answer", async () => {
    sim.inject({ status: 429, path: "/api/v1/authorizationServers" });
    const policies = await oktaApi({ orgUrl: sim.orgUrl, apiToken: sim.apiToken }).serverPolicies("default");
    assert.equal(policies.length, 1);
    assert.deepEqual(sim.exchanges.slice(-2).map((e) => e.answer.status), [429, 200]);
  });

  it("reads the next page from a Link header", () => {
    assert.equal(nextLink('<https://o.okta.com/api/v1/apps?limit=2>; rel="self", <https://o.okta.com/api/v1/apps?after=x&limit=2>; rel="next"'), "https://o.okta.com/api/v1/apps?after=x&limit=2");
    assert.equal(nextLink('<https://o.okta.com/api/v1/apps>; rel="self"'), undefined);
  });
});

describe("the Graph client against the Graph simulator", () => {
  let sim: GraphSim;
  const appId = "11111111-2222-3333-4444-555555555555";
  before(async () => {
    sim = await startGraphSim({ pageSize: 2 });
    sim.putApp({ appId, consented: ["openid", "profile", "email", "offline_access"] });
    sim.padGrants(appId, 3);
  });
  after(() => sim.close());
  const api = (secret?: string) => graphApi({ tenantId: sim.tenantId, clientId: sim.login.clientId, clientSecret: secret ?? sim.login.clientSecret, graphUrl: sim.graphUrl, authorityUrl: sim.authorityUrl });

  it("logs in once, finds the application and service principals, and reads every page of grants", async () => {
    const graph = api();
    const app = await graph.findClientById(appId);
    const sp = await graph.servicePrincipalByAppId(appId);
    assert.equal(app?.appId, appId);
    assert.equal((await graph.servicePrincipalByAppId(GRAPH_APP_ID))?.displayName, "Microsoft Graph");
    const grants = await graph.delegatedGrants(sp!.id);
    assert.equal(grants.length, 4);
    assert.equal(sim.exchanges.filter((e) => e.request.operation === "GET /oauth2PermissionGrants").length, 2);
    assert.equal(await graph.findClientById("99999999-0000-0000-0000-000000000000"), undefined);
    assert.equal(sim.exchanges.filter((e) => e.request.path.endsWith("/token")).length, 1);
    assert.deepEqual(sim.problems, []);
  });

  it("says why a login is refused, without the secret", async () => {
    const err = await api(MARKER).findClientById(appId).catch((e: unknown) => e as Error);
    assert.equal((err as Error).message, `POST ${sim.authorityUrl}/${sim.tenantId}/oauth2/v2.0/token answered HTTP 401: invalid_client: AADSTS7000215: Invalid client secret provided.`);
  });
});

describe("the Auth0 client against the Auth0 simulator", () => {
  let sim: Auth0Sim;
  before(async () => {
    sim = await startAuth0Sim();
    for (let i = 0; i < 150; i++) sim.putClient({ clientId: `client${i}` });
    sim.putResourceServer({ id: "rs1", identifier: "https://api.example.com/", allowOfflineAccess: false });
  });
  after(() => sim.close());

  it("with client credentials: finds a client, lists every page, reads a resource server by its identifier", async () => {
    const api = auth0Api({ domain: "example.us.auth0.com", apiUrl: sim.apiUrl, clientId: sim.m2m.clientId, clientSecret: sim.m2m.clientSecret });
    assert.equal((await api.findClientById("client7"))?.app_type, "regular_web");
    assert.equal(await api.findClientById("nope"), undefined);
    assert.equal((await api.listClients()).length, 150);
    assert.equal(sim.exchanges.filter((e) => e.request.operation === "GET /api/v2/clients").length, 2);
    assert.equal((await api.resourceServer("https://api.example.com/"))?.allow_offline_access, false);
    assert.equal(await api.resourceServer("https://none.example.com/"), undefined);
    assert.deepEqual(sim.problems, []);
  });

  it("an API token that is refused: Auth0's message, the token masked", async () => {
    const err = await auth0Api({ domain: "example.us.auth0.com", apiUrl: sim.apiUrl, apiToken: MARKER }).findClientById("client1").catch((e: unknown) => e as Error);
    assert.equal((err as Error).message, `GET ${sim.apiUrl}/clients/client1 answered HTTP 401: Invalid token`);
  });
});

describe("masking", () => {
  it("masks every secret, URL-encoded too, and URL user info", () => {
    assert.equal(maskSecrets(`a ${MARKER} b ${encodeURIComponent("p@ss word")} https://u:p@h.example.com/x`, [MARKER, "p@ss word", undefined]),
      "a **** b **** https://****@h.example.com/x");
  });
});

describe("the simulators' schema checks", () => {
  const okta = loadApiSchemas("okta-management-api", { commonErrors: { 401: "Error" } });
  const graph = loadApiSchemas("microsoft-graph-v1", { extraQuery: ["$skiptoken"] });
  const auth0 = loadApiSchemas("auth0-management-api");
  it("under CI=true, a schema file that is not there is an error, never a silent pass", () => {
    const saved = process.env.CI;
    process.env.CI = "true";
    try {
      assert.throws(() => loadApiSchemas("no-such-api"), /no-such-api\.schemas\.json is absent: CI must validate/);
    } finally {
      if (saved === undefined) delete process.env.CI;
      else process.env.CI = saved;
    }
    // Outside CI, the simulators then check nothing (and say so in their schemasChecked).
    if (process.env.CI !== "true") assert.equal(loadApiSchemas("no-such-api"), undefined);
  });

  it("find the schema files (CI=true fails without them)", (t) => {
    if (!okta || !graph || !auth0) {
      assert.notEqual(process.env.CI, "true");
      t.diagnostic("../shared/reference is absent: the simulators check nothing");
    }
  });

  it("catch an answer that is not the documented shape, and an undocumented status", (t) => {
    if (!okta || !auth0) return t.diagnostic("no schema files: nothing to check");
    assert.deepEqual(okta.operation("GET", "/api/v1/apps/0oa1"), { key: "GET /api/v1/apps/{appId}", params: { appId: "0oa1" } });
    const app = { id: "0oa1", name: "oidc_client", label: "Coder", signOnMode: "OPENID_CONNECT", credentials: {}, settings: { oauthClient: { grant_types: ["authorization_code"], refresh_token: { rotation_type: "SOMETIMES" } } } };
    assert.match(okta.checkResponse("GET /api/v1/apps/{appId}", 200, app).join("\n"), /OpenIdConnectApplication.*rotation_type/);
    assert.match(okta.checkResponse("GET /api/v1/apps/{appId}", 418, {}).join("\n"), /status 418 is not documented/);
    assert.match(auth0.checkResponse("GET /api/v2/clients/{id}", 200, { client_id: "x", refresh_token: { rotation_type: "rotating" } }).join("\n"), /expiration_type/);
  });

  it("catch an undeclared query parameter and a value of the wrong type", (t) => {
    if (!graph || !auth0) return t.diagnostic("no schema files: nothing to check");
    assert.match(graph.checkQuery("GET /oauth2PermissionGrants", new URLSearchParams({ $filterr: "x" })).join(), /\$filterr is not declared/);
    assert.deepEqual(graph.checkQuery("GET /oauth2PermissionGrants", new URLSearchParams({ $skiptoken: "2" })), []);
    assert.match(auth0.checkQuery("GET /api/v2/clients", new URLSearchParams({ per_page: "500" })).join(), /per_page=500: data must be <= 100/);
  });
});
