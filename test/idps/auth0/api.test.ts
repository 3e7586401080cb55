/**
 * The Auth0 Management API client (idps/auth0/api.ts) over HTTP on 127.0.0.1: against the Auth0 simulator (every
 * request and answer checked against the official schemas), the requests it makes (the token request's exact body,
 * to the API's origin, once; the bearer and Accept headers; the paths, encoded; the paging parameters) and what it
 * returns (a client, none on 404, every page and no page more, a resource server); the default URL from the domain;
 * each credential and the token it got masked in every error. A small raw server on 127.0.0.1 gives the answers the
 * simulator does not: Auth0's error codes, bodies without a message, pages without `clients` or `total`, a list that
 * never ends, a token endpoint that echoes the secret.
 */
import assert from "node:assert/strict";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { AUTH0_PAGE_SIZE, auth0Api } from "../../../idps/auth0/api";
import { IdpApiError } from "../../../src/api-http";
import { type Auth0Sim, startAuth0Sim } from "../../support/auth0-sim";

const DOMAIN = "example-dev.us.auth0.com";
const MARKER = "MARKER-s3cr3t-auth0api-91c";

/** What an error says, or a failure when `promise` does not reject. */
async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error("expected a rejection");
}

/** A raw HTTP server on 127.0.0.1: `answer` gives each request's status and JSON body; every request is logged. */
async function rawServer(answer: (req: { method: string; url: string; body: string; authorization?: string }) => { status: number; body?: unknown }) {
  const requests: { method: string; url: string; body: string; authorization?: string }[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      const request = { method: req.method ?? "", url: req.url ?? "", body, authorization: req.headers.authorization };
      requests.push(request);
      const { status, body: out } = answer(request);
      res.writeHead(status, { "content-type": "application/json" });
      res.end(out === undefined ? "" : JSON.stringify(out));
    });
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { origin, apiUrl: `${origin}/api/v2`, requests, close: () => new Promise<void>((done) => server.close(() => done())) };
}

describe("the Auth0 client against the Auth0 simulator", () => {
  let sim: Auth0Sim;
  before(async () => {
    sim = await startAuth0Sim();
    for (let i = 0; i < 2 * AUTH0_PAGE_SIZE; i++) sim.putClient({ clientId: `client${String(i).padStart(3, "0")}` });
    sim.putClient({ clientId: "odd/id?x#y" });
    sim.putResourceServer({ id: "rs1", identifier: "https://api.example.com/", allowOfflineAccess: true });
  });
  after(() => sim.close());
  const since = (from: number) => sim.exchanges.slice(from).map((e) => `${e.request.method} ${e.request.path}${e.request.query.size ? `?${e.request.query}` : ""} ${e.answer.status}`);

  it("client credentials: one token, asked of the API's origin with the exact body, then bearer and Accept on each call", async () => {
    const from = sim.exchanges.length;
    const api = auth0Api({ domain: DOMAIN, apiUrl: `${sim.apiUrl}/`, clientId: sim.m2m.clientId, clientSecret: sim.m2m.clientSecret });
    assert.equal((await api.findClientById("client007"))?.client_id, "client007");
    assert.equal((await api.resourceServer("https://api.example.com/"))?.allow_offline_access, true);
    assert.deepEqual(since(from), ["POST /oauth/token 200", "GET /api/v2/clients/client007 200", `GET /api/v2/resource-servers/${encodeURIComponent("https://api.example.com/")} 200`]);
    const [login, ...calls] = sim.exchanges.slice(from);
    assert.deepEqual(JSON.parse(login.request.text), {
      grant_type: "client_credentials", client_id: sim.m2m.clientId, client_secret: sim.m2m.clientSecret, audience: `https://${DOMAIN}/api/v2/`,
    });
    const token = (login.answer.body as { access_token: string }).access_token;
    for (const call of calls) {
      assert.equal(call.request.headers.authorization, `Bearer ${token}`);
      assert.equal(call.request.headers.accept, "application/json");
    }
    assert.deepEqual(sim.problems, []);
  });

  it("an API token: no token request, the token as the bearer", async () => {
    const from = sim.exchanges.length;
    const api = auth0Api({ domain: DOMAIN, apiUrl: sim.apiUrl, apiToken: sim.apiToken });
    assert.equal((await api.findClientById("client001"))?.client_id, "client001");
    assert.deepEqual(since(from), ["GET /api/v2/clients/client001 200"]);
    assert.equal(sim.exchanges[from].request.headers.authorization, `Bearer ${sim.apiToken}`);
  });

  it("ids are encoded into the path; a 404 is no client and no resource server", async () => {
    const from = sim.exchanges.length;
    const api = auth0Api({ domain: DOMAIN, apiUrl: sim.apiUrl, apiToken: sim.apiToken });
    assert.equal((await api.findClientById("odd/id?x#y"))?.client_id, "odd/id?x#y");
    assert.equal(await api.findClientById("nope"), undefined);
    assert.equal(await api.resourceServer("rs1").then((s) => s?.identifier), "https://api.example.com/");
    assert.equal(await api.resourceServer("https://none.example.com/"), undefined);
    assert.deepEqual(since(from), [`GET /api/v2/clients/${encodeURIComponent("odd/id?x#y")} 200`, "GET /api/v2/clients/nope 404",
      "GET /api/v2/resource-servers/rs1 200", `GET /api/v2/resource-servers/${encodeURIComponent("https://none.example.com/")} 404`]);
    assert.deepEqual(sim.problems, []);
  });

  it("listClients: every page of 100 with totals, and not one more", async () => {
    const api = auth0Api({ domain: DOMAIN, apiUrl: sim.apiUrl, apiToken: sim.apiToken });
    const list = async (count: number) => {
      const from = sim.exchanges.length;
      const clients = await api.listClients();
      assert.equal(clients.length, count);
      assert.equal(new Set(clients.map((c) => c.client_id)).size, count);
      return since(from);
    };
    // 201 clients: two full pages and one of 1.
    assert.deepEqual(await list(201), [0, 1, 2].map((page) => `GET /api/v2/clients?page=${page}&per_page=100&include_totals=true 200`));
    // Exactly 200: the second full page reaches the total; no third asked.
    const exact = await startAuth0Sim();
    try {
      for (let i = 0; i < 2 * AUTH0_PAGE_SIZE; i++) exact.putClient({ clientId: `c${i}` });
      const from = exact.exchanges.length;
      assert.equal((await auth0Api({ domain: DOMAIN, apiUrl: exact.apiUrl, apiToken: exact.apiToken }).listClients()).length, 200);
      assert.deepEqual(exact.exchanges.slice(from).map((e) => `${e.request.path}?${e.request.query}`),
        ["/api/v2/clients?page=0&per_page=100&include_totals=true", "/api/v2/clients?page=1&per_page=100&include_totals=true"]);
      assert.deepEqual(exact.problems, []);
    } finally {
      await exact.close();
    }
    assert.deepEqual(sim.problems, []);
  });

  it("the default API URL is https://<domain>/api/v2", async () => {
    // The simulator speaks plain HTTP: the https call fails, and its message names the URL asked.
    const domain = new URL(sim.origin).host;
    const err = await failure(auth0Api({ domain, apiToken: sim.apiToken }).findClientById("client001"));
    assert.ok(err instanceof IdpApiError, String(err));
    assert.match(err.message, new RegExp(`^GET https://${domain.replace(/\./g, "\\.")}/api/v2/clients/client001 failed: `));
  });

  it("a refused API token: Auth0's message; the token, the client secret and a got token masked wherever they show", async () => {
    const refused = await failure(auth0Api({ domain: DOMAIN, apiUrl: sim.apiUrl, apiToken: MARKER }).findClientById(MARKER));
    assert.equal(refused.message, `GET ${sim.apiUrl}/clients/**** answered HTTP 401: Invalid token`);
    // An error answer names the URL asked, which here holds the secret itself.
    const api = auth0Api({ domain: DOMAIN, apiUrl: sim.apiUrl, clientId: sim.m2m.clientId, clientSecret: sim.m2m.clientSecret });
    sim.inject({ status: 403, path: "/api/v2/clients/" });
    assert.equal((await failure(api.findClientById(sim.m2m.clientSecret))).message, `GET ${sim.apiUrl}/clients/**** answered HTTP 403: Forbidden`);
    const token = (sim.exchanges.filter((e) => e.request.path === "/oauth/token").at(-1)!.answer.body as { access_token: string }).access_token;
    sim.inject({ status: 403, path: "/api/v2/resource-servers/" });
    assert.equal((await failure(api.resourceServer(token))).message, `GET ${sim.apiUrl}/resource-servers/**** answered HTTP 403: Forbidden`);
    const withToken = auth0Api({ domain: DOMAIN, apiUrl: sim.apiUrl, apiToken: sim.apiToken });
    sim.inject({ status: 403, path: "/api/v2/clients/" });
    assert.equal((await failure(withToken.findClientById(sim.apiToken))).message, `GET ${sim.apiUrl}/clients/**** answered HTTP 403: Forbidden`);
  });

  it("refused client credentials: the token endpoint's answer, nothing asked of the API", async () => {
    const from = sim.exchanges.length;
    const err = await failure(auth0Api({ domain: DOMAIN, apiUrl: sim.apiUrl, clientId: sim.m2m.clientId, clientSecret: MARKER }).listClients());
    assert.equal(err.message, `POST ${sim.origin}/oauth/token answered HTTP 401: access_denied: Unauthorized`);
    assert.deepEqual(since(from), ["POST /oauth/token 401"]);
  });

  it("without a client id or secret, the token request sends them empty", async () => {
    const from = sim.exchanges.length;
    await failure(auth0Api({ domain: DOMAIN, apiUrl: sim.apiUrl }).findClientById("client001"));
    await failure(auth0Api({ domain: DOMAIN, apiUrl: sim.apiUrl, clientId: "only-an-id" }).findClientById("client001"));
    assert.deepEqual(sim.exchanges.slice(from).map((e) => JSON.parse(e.request.text) as unknown), [
      { grant_type: "client_credentials", client_id: "", client_secret: "", audience: `https://${DOMAIN}/api/v2/` },
      { grant_type: "client_credentials", client_id: "only-an-id", client_secret: "", audience: `https://${DOMAIN}/api/v2/` },
    ]);
  });
});

describe("the Auth0 client against answers the simulator does not give", () => {
  it("Auth0's error code after its message; an error body without a message: no message", async () => {
    const server = await rawServer((req) => req.url.startsWith("/api/v2/clients/scope")
      ? { status: 403, body: { statusCode: 403, error: "Forbidden", message: "Insufficient scope, expected any of: read:clients", errorCode: "insufficient_scope" } }
      : { status: 403, body: { statusCode: 403, error: "Forbidden" } });
    try {
      const api = auth0Api({ domain: DOMAIN, apiUrl: server.apiUrl, apiToken: "t0ken" });
      assert.equal((await failure(api.findClientById("scope"))).message,
        `GET ${server.apiUrl}/clients/scope answered HTTP 403: Insufficient scope, expected any of: read:clients (insufficient_scope)`);
      assert.equal((await failure(api.resourceServer("rs"))).message, `GET ${server.apiUrl}/resource-servers/rs answered HTTP 403: no message`);
    } finally {
      await server.close();
    }
  });

  it("nothing listening: the transport's error", async () => {
    const server = await rawServer(() => ({ status: 200 }));
    await server.close();
    const err = await failure(auth0Api({ domain: DOMAIN, apiUrl: server.apiUrl, apiToken: "t0ken" }).findClientById("x"));
    assert.match(err.message, new RegExp(`^GET ${server.apiUrl}/clients/x failed: connect ECONNREFUSED`));
  });

  it("a token endpoint that echoes the secret, and an API that echoes the bearer: both masked", async () => {
    const server = await rawServer((req) => {
      if (req.url === "/oauth/token") {
        const body = JSON.parse(req.body) as { client_secret: string };
        return body.client_secret === MARKER ? { status: 401, body: { error: "access_denied", error_description: `wrong secret ${MARKER}` } }
          : { status: 200, body: { access_token: "issued-token-5e7b" } };
      }
      return { status: 403, body: { statusCode: 403, error: "Forbidden", message: `not with ${req.authorization}` } };
    });
    try {
      const refused = await failure(auth0Api({ domain: DOMAIN, apiUrl: server.apiUrl, clientId: "id", clientSecret: MARKER }).findClientById("x"));
      assert.equal(refused.message, `POST ${server.origin}/oauth/token answered HTTP 401: access_denied: wrong secret ****`);
      const echoed = await failure(auth0Api({ domain: DOMAIN, apiUrl: server.apiUrl, clientId: "id", clientSecret: "other-secret" }).findClientById("x"));
      assert.equal(echoed.message, `GET ${server.apiUrl}/clients/x answered HTTP 403: not with Bearer ****`);
      const token = await failure(auth0Api({ domain: DOMAIN, apiUrl: server.apiUrl, apiToken: MARKER }).findClientById("x"));
      assert.equal(token.message, `GET ${server.apiUrl}/clients/x answered HTTP 403: not with Bearer ****`);
    } finally {
      await server.close();
    }
  });

  it("the end of the list: a page without clients, a full page without a total, a short page under a larger (stale) total", async () => {
    const full = Array.from({ length: AUTH0_PAGE_SIZE }, (_, i) => ({ client_id: `c${i}` }));
    const answers = [[{ total: 0 }, 0], [{ clients: full }, AUTH0_PAGE_SIZE], [{ total: 1000, clients: full.slice(0, 50) }, 50]] as const;
    for (const [body, count] of answers) {
      const server = await rawServer(() => ({ status: 200, body }));
      try {
        const clients = await auth0Api({ domain: DOMAIN, apiUrl: server.apiUrl, apiToken: "t0ken" }).listClients();
        assert.deepEqual(clients.map((c) => c.client_id), full.slice(0, count).map((c) => c.client_id));
        assert.equal(server.requests.length, 1);
      } finally {
        await server.close();
      }
    }
  });

  it("a list that never ends stops after 1000 pages", async () => {
    const page = Array.from({ length: AUTH0_PAGE_SIZE }, (_, i) => ({ client_id: `c${i}` }));
    const server = await rawServer(() => ({ status: 200, body: { total: 1e9, clients: page } }));
    try {
      const clients = await auth0Api({ domain: DOMAIN, apiUrl: server.apiUrl, apiToken: "t0ken" }).listClients();
      assert.equal(clients.length, 1000 * AUTH0_PAGE_SIZE);
      assert.equal(server.requests.length, 1000);
      assert.equal(server.requests.at(-1)!.url, "/api/v2/clients?page=999&per_page=100&include_totals=true");
    } finally {
      await server.close();
    }
  });
});
