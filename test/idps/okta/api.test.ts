/**
 * Okta's read-only management client (idps/okta/api.ts) over HTTP on 127.0.0.1, against the Okta simulator (every
 * request and answer checked against Okta's official schemas): the requests it makes (paths with ids escaped, the
 * OIDC filter, page sizes, `SSWS` and JSON headers), finding an app by client id directly or by listing every page,
 * following `Link` headers for at most 101 pages, a missing authorization server as none, and Okta's errors named
 * with their code and causes, the token masked. A bare server answers what the simulator cannot (error causes, bodies
 * that are not Okta's).
 */
import assert from "node:assert/strict";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { after, afterEach, before, describe, it } from "node:test";
import { nextLink, oktaApi } from "../../../idps/okta/api";
import { IdpApiError } from "../../../src/api-http";
import { type OktaSim, startOktaSim } from "../../support/okta-sim";

const MARKER = "MARKER-s3cr3t-7f1e9c";

/** The path and query of each request `sim` got since `from`, in order. */
const requests = (sim: OktaSim, from = 0) => sim.exchanges.slice(from).map((e) => `${e.request.path}${e.request.query.size > 0 ? `?${e.request.query}` : ""}`);

/** The error `promise` rejects with. */
async function failure(promise: Promise<unknown>): Promise<IdpApiError> {
  const err = await promise.then(() => undefined, (e: unknown) => e);
  assert.ok(err instanceof IdpApiError, `an IdpApiError, not ${String(err)}`);
  return err;
}

describe("the Okta client against the Okta simulator", () => {
  let sim: OktaSim;
  before(async () => {
    sim = await startOktaSim({ pageSize: 2 });
    sim.putApp({ clientId: "0oadirect", groups: ["00g1"] });
    // Okta gives an app its client id as id unless one was chosen: these differ, and one's id is another's client id.
    for (let i = 0; i < 3; i++) sim.putApp({ clientId: `client${i}`, id: `0oaapp${i}` });
    sim.putApp({ clientId: "0oashared", id: "0oalisted" });
    sim.putApp({ clientId: "someone-else", id: "0oashared" });
    sim.putApp({ clientId: "a/b c12", id: "0oaslash", groups: ["00ga", "00gb", "00gc", "00gd", "00ge"] });
    sim.putServer("default", [{ id: "pol1", name: "Coder", clients: ["0oadirect"], rules: [{ id: "r1", grantTypes: ["authorization_code"], scopes: ["offline_access"] }] }]);
    sim.putServer("aus/odd id", [{ id: "pol/2", clients: ["ALL_CLIENTS"], rules: [{ id: "r2", grantTypes: ["authorization_code"], scopes: ["openid"] }] }]);
    sim.putServer("ausoff", [], "INACTIVE");
  });
  after(() => sim.close());
  afterEach(() => assert.deepEqual(sim.problems, []));
  const api = () => oktaApi({ orgUrl: sim.orgUrl, apiToken: sim.apiToken });

  it("finds an app whose id is its client id with one request, as SSWS with JSON", async () => {
    const from = sim.exchanges.length;
    const app = await api().findClientById("0oadirect");
    assert.equal(app?.id, "0oadirect");
    assert.equal(app?.credentials?.oauthClient?.client_id, "0oadirect");
    assert.deepEqual(requests(sim, from), ["/api/v1/apps/0oadirect"]);
    assert.equal(sim.exchanges[from].request.headers.authorization, `SSWS ${sim.apiToken}`);
    assert.equal(sim.exchanges[from].request.headers.accept, "application/json");
  });

  it("else lists the OIDC apps, every page, to find it: an app whose id is the client id but whose client id is another's is not it", async () => {
    const from = sim.exchanges.length;
    const app = await api().findClientById("0oashared");
    assert.equal(app?.id, "0oalisted");
    const list = "/api/v1/apps?filter=name+eq+%22oidc_client%22&limit=200";
    assert.deepEqual(requests(sim, from), ["/api/v1/apps/0oashared", list, `${list}&after=0oaapp0`, `${list}&after=0oaapp2`, `${list}&after=0oashared`]);
    assert.deepEqual(sim.exchanges.slice(from).map((e) => e.answer.status), [200, 200, 200, 200, 200]);
  });

  it("escapes the client id in the path, and finds none when no app has it", async () => {
    const from = sim.exchanges.length;
    assert.equal((await api().findClientById("a/b c12"))?.id, "0oaslash");
    assert.equal(requests(sim, from)[0], "/api/v1/apps/a%2Fb%20c12");
    assert.equal(sim.exchanges[from].answer.status, 404);
    const none = sim.exchanges.length;
    assert.equal(await api().findClientById("0oanothere"), undefined);
    assert.deepEqual(requests(sim, none).length, 5, "the app, then 4 pages of 7 apps");
  });

  it("lists every OIDC app, in the order Okta gives them", async () => {
    assert.deepEqual((await api().listOidcApps()).map((a) => a.id), ["0oadirect", "0oaapp0", "0oaapp1", "0oaapp2", "0oalisted", "0oashared", "0oaslash"]);
  });

  it("reads every page of an app's groups, its id escaped", async () => {
    const from = sim.exchanges.length;
    assert.deepEqual((await api().appGroups("0oaslash")).map((g) => g.id), ["00ga", "00gb", "00gc", "00gd", "00ge"]);
    const groups = "/api/v1/apps/0oaslash/groups?limit=200";
    assert.deepEqual(requests(sim, from), [groups, `${groups}&after=00gb`, `${groups}&after=00gd`]);
    assert.deepEqual(await api().appGroups("0oaapp0"), []);
    await api().appGroups("0oa/x").then(() => assert.fail("no such app"), (err: unknown) => assert.ok(err instanceof IdpApiError));
    assert.equal(sim.exchanges.at(-1)?.request.path, "/api/v1/apps/0oa%2Fx/groups");
  });

  it("reads an authorization server, its policies and their rules, ids escaped; a missing server is none", async () => {
    const server = await api().authorizationServer("default");
    assert.deepEqual([server?.id, server?.status, server?.issuer], ["default", "ACTIVE", `${sim.orgUrl}/oauth2/default`]);
    assert.equal((await api().authorizationServer("ausoff"))?.status, "INACTIVE");
    const from = sim.exchanges.length;
    assert.equal(await api().authorizationServer("aus/gone"), undefined);
    assert.deepEqual(requests(sim, from), ["/api/v1/authorizationServers/aus%2Fgone"]);
    const policies = await api().serverPolicies("aus/odd id");
    assert.deepEqual(policies.map((p) => [p.id, p.status, p.priority, p.conditions?.clients?.include]), [["pol/2", "ACTIVE", 1, ["ALL_CLIENTS"]]]);
    const rules = await api().policyRules("aus/odd id", "pol/2");
    assert.deepEqual(rules.map((r) => [r.id, r.conditions?.grantTypes?.include, r.conditions?.scopes?.include, r.actions?.token?.accessTokenLifetimeMinutes]),
      [["r2", ["authorization_code"], ["openid"], 60]]);
    assert.deepEqual(requests(sim, from + 1), ["/api/v1/authorizationServers/aus%2Fodd%20id/policies", "/api/v1/authorizationServers/aus%2Fodd%20id/policies/pol%2F2/rules"]);
  });

  it("a server that is missing for its policies or rules is an error naming Okta's answer; a refused token too, with it masked", async () => {
    const missing = await failure(api().serverPolicies("gone"));
    assert.equal(missing.message, `GET ${sim.orgUrl}/api/v1/authorizationServers/gone/policies answered HTTP 404: Not found: Resource not found: policies (AppInstance) (E0000007)`);
    const rules = await failure(api().policyRules("default", "gone"));
    assert.equal(rules.message, `GET ${sim.orgUrl}/api/v1/authorizationServers/default/policies/gone/rules answered HTTP 404: Not found: Resource not found: rules (AppInstance) (E0000007)`);
    const refused = await failure(oktaApi({ orgUrl: sim.orgUrl, apiToken: MARKER }).authorizationServer("default"));
    assert.equal(refused.message, `GET ${sim.orgUrl}/api/v1/authorizationServers/default answered HTTP 401: Invalid token provided (E0000011)`);
  });

  it("masks a token the server echoes back", async () => {
    const echo = await startOktaSim({ echoToken: true });
    try {
      const err = await failure(oktaApi({ orgUrl: echo.orgUrl, apiToken: MARKER }).listOidcApps());
      assert.equal(err.message, `GET ${echo.orgUrl}/api/v1/apps?filter=name+eq+%22oidc_client%22&limit=200 answered HTTP 401: Invalid token provided: SSWS **** (E0000011)`);
    } finally {
      await echo.close();
    }
  });
});

describe("the Okta client's paging bound", () => {
  let sim: OktaSim;
  before(async () => {
    sim = await startOktaSim({ pageSize: 1 });
    for (let i = 0; i < 103; i++) sim.putApp({ clientId: `0oa${String(i).padStart(4, "0")}` });
  });
  after(() => sim.close());

  it("reads at most 101 pages of a list", async () => {
    const apps = await oktaApi({ orgUrl: sim.orgUrl, apiToken: sim.apiToken }).listOidcApps();
    assert.equal(apps.length, 101);
    assert.equal(apps.at(-1)?.id, "0oa0100");
    assert.equal(sim.exchanges.length, 101);
    assert.deepEqual(sim.problems, []);
  });
});

describe("the Okta client against answers the simulator does not give", () => {
  let server: http.Server;
  let orgUrl = "";
  /** What the bare server answers next, by path. */
  const answers = new Map<string, { status: number; body: string; headers?: Record<string, string> }>();
  before(async () => {
    server = http.createServer((req, res) => {
      const answer = answers.get(new URL(req.url ?? "/", "http://x").pathname) ?? { status: 404, body: "{}" };
      res.writeHead(answer.status, { "content-type": "application/json", ...answer.headers }).end(answer.body);
    });
    await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
    orgUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((done) => {
    server.closeAllConnections();
    server.close(() => done());
  }));
  const api = () => oktaApi({ orgUrl, apiToken: MARKER });
  const policiesError = async (status: number, body: unknown) => {
    answers.set("/api/v1/authorizationServers/default/policies", { status, body: typeof body === "string" ? body : JSON.stringify(body) });
    return (await failure(api().serverPolicies("default"))).message;
  };
  const at = (status: number) => `GET ${orgUrl}/api/v1/authorizationServers/default/policies answered HTTP ${status}`;

  it("names Okta's error code and every cause that has a summary; no code reads ?", async () => {
    assert.equal(await policiesError(400, { errorCode: "E0000001", errorSummary: "Api validation failed: name",
      errorCauses: [{ errorSummary: "name: must not be blank" }, {}, { errorSummary: "" }, { errorSummary: `token ${MARKER}` }] }),
    `${at(400)}: Api validation failed: name (E0000001): name: must not be blank; token ****`);
    assert.equal(await policiesError(403, { errorSummary: "You do not have permission" }), `${at(403)}: You do not have permission (?)`);
    assert.equal(await policiesError(403, { errorSummary: "You do not have permission", errorCode: "E0000006", errorCauses: [{}] }),
      `${at(403)}: You do not have permission (E0000006)`);
  });

  it("an error without Okta's summary, or not Okta's shape, says there is no message", async () => {
    assert.equal(await policiesError(403, { errorCode: "E0000006" }), `${at(403)}: no message`);
    assert.equal(await policiesError(403, { errorCode: "E0000006", errorSummary: "" }), `${at(403)}: no message`);
    assert.equal(await policiesError(404, "null"), `${at(404)}: no message`);
    assert.equal(await policiesError(404, "not json"), `${at(404)}: no message`);
  });

  it("a list answer that is not a list reads as empty; a Link without rel=next ends the list", async () => {
    answers.set("/api/v1/apps", { status: 200, body: JSON.stringify({ id: "0oanotalist" }), headers: { link: `<${orgUrl}/api/v1/apps>; rel="self"` } });
    assert.deepEqual(await api().listOidcApps(), []);
    answers.set("/api/v1/apps/0oa1/groups", { status: 200, body: JSON.stringify([{ id: "00g1" }]), headers: { link: `<${orgUrl}/api/v1/apps/0oa1/groups?after=00g1>; rel="prev"` } });
    assert.deepEqual(await api().appGroups("0oa1"), [{ id: "00g1" }]);
  });

  it("finds no app from answers without a client id", async () => {
    answers.set("/api/v1/apps", { status: 200, body: JSON.stringify([{ id: "0oa1" }, { id: "0oa2", credentials: {} }, { id: "0oa3", credentials: { oauthClient: {} } }]) });
    for (const direct of [{ id: "0oa1" }, { id: "0oa1", credentials: {} }, { id: "0oa1", credentials: { oauthClient: {} } }]) {
      answers.set("/api/v1/apps/0oa1", { status: 200, body: JSON.stringify(direct) });
      assert.equal(await api().findClientById("0oa1"), undefined, JSON.stringify(direct));
    }
    // A 404 is no app, whatever its body says.
    answers.set("/api/v1/apps/0oa1", { status: 404, body: JSON.stringify({ id: "0oa1", credentials: { oauthClient: { client_id: "0oa1" } } }) });
    assert.equal(await api().findClientById("0oa1"), undefined);
  });
});

describe("Okta's Link header", () => {
  it("gives the rel=next URL, quoted or not, from a header or a list of its values; else none", () => {
    const next = "https://o.okta.com/api/v1/apps?after=x&limit=2";
    assert.equal(nextLink(`<https://o.okta.com/api/v1/apps?limit=2>; rel="self", <${next}>; rel="next"`), next);
    assert.equal(nextLink(`<${next}> ;rel=next`), next);
    assert.equal(nextLink([`<https://o.okta.com/api/v1/apps>; rel="self"`, `<${next}>; rel="next"`]), next);
    assert.equal(nextLink(`<https://o.okta.com/api/v1/apps>; rel="self"`), undefined);
    assert.equal(nextLink(undefined), undefined);
    assert.equal(nextLink(42), undefined);
    assert.equal(nextLink([]), undefined);
    // Only a string or a list of them is read: a list's values are one header's, joined with commas (RFC 9110 5.3).
    assert.equal(nextLink({ toString: () => `<${next}>; rel="next"` }), undefined);
    assert.equal(nextLink(["<https://o.okta.com/api/v1/apps?after=a", 'b>; rel="next"']), "https://o.okta.com/api/v1/apps?after=a, b");
  });
});
