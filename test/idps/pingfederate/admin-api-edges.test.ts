/**
 * The PingFederate client at the edges a careless change would move: status ranges at their bounds, the API's
 * error body when it is partly missing or odd, the secrets of every write, connections kept alive, replication
 * after a lost answer, and a 404 that is not the API's. (Transport failures by their code: failures.test.ts;
 * what is retried: retry.test.ts; redaction: redact.test.ts.)
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as http from "node:http";
import * as net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, afterEach, before, describe, it } from "node:test";
import { generateClientSecret, pfAdminApi } from "../../../idps/pingfederate/admin-api";
import type { AdminCredentials } from "../../../idps/pingfederate/credentials";
import type { PfClient } from "../../../idps/pingfederate/model";
import type { RetryPolicy } from "../../../idps/pingfederate/retry";
import { type PfAdminSim, startPfAdminSim, uniqueId } from "../../../e2e/support/pf-admin-sim";

const FAST: RetryPolicy = { maxAttempts: 3, baseDelayMs: 2, maxDelayMs: 5, totalTimeMs: 10_000 };

/** The message of the error a call ends with. */
async function failureOf(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (error) {
    return (error as Error).message;
  }
  return assert.fail("expected the call to fail");
}

describe("the client against answers at the bounds", () => {
  let server: http.Server;
  let raw: net.Server;
  let url: string;
  let rawUrl: string;
  const answers = new Map<string, { status: number; headers?: Record<string, string>; body?: string }>();
  let connections = 0;
  before(async () => {
    server = http.createServer((req, res) => {
      const answer = answers.get(req.url ?? "") ?? { status: 404, headers: { "content-type": "application/json" }, body: "{}" };
      res.writeHead(answer.status, answer.headers ?? {});
      res.end(answer.body ?? "");
    });
    server.on("connection", () => (connections += 1));
    // Answers with a status line that has no reason phrase, which Node's own server never writes.
    raw = net.createServer((socket) => {
      socket.once("data", () => socket.end("HTTP/1.1 499 \r\ncontent-type: text/plain\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"));
    });
    const listen = (s: net.Server) => new Promise<number>((resolve) => s.listen(0, "127.0.0.1", () => resolve((s.address() as net.AddressInfo).port)));
    url = `http://127.0.0.1:${await listen(server)}/pf-admin-api/v1`;
    rawUrl = `http://127.0.0.1:${await listen(raw)}/pf-admin-api/v1`;
  });
  after(async () => {
    server.closeAllConnections();
    await Promise.all([server, raw].map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  });

  const credentials: AdminCredentials = { kind: "basic", username: "admin", password: "pw-0123456789" };
  const api = (adminUrl = url) => pfAdminApi({ adminUrl, credentials, retry: FAST });
  const answer = (id: string, status: number, body?: unknown, headers: Record<string, string> = { "content-type": "application/json" }) =>
    answers.set(`/pf-admin-api/v1/oauth/clients/${id}`, { status, headers, body: typeof body === "string" ? body : JSON.stringify(body) });
  const getClientFailure = (id: string) => failureOf(api().getClient(id));
  const head = (id: string, status: number) => `PingFederate admin API GET /oauth/clients/${id} failed with HTTP ${status}`;

  it("401 and 403 say to check the credentials and the account's rights", async () => {
    const hint = "Check the admin credentials (PINGFEDERATE_ADMIN_USERNAME/PINGFEDERATE_ADMIN_PASSWORD or " +
      "PINGFEDERATE_ADMIN_TOKEN, or coder-oidc:pingfederate.username/password/token) and that the admin account may use the admin API.";
    answer("unauthorized", 401, "");
    assert.equal(await getClientFailure("unauthorized"), `${head("unauthorized", 401)}: Unauthorized\n${hint}`);
    answer("forbidden", 403, { message: "Access denied." });
    assert.equal(await getClientFailure("forbidden"), `${head("forbidden", 403)}: Access denied.\n${hint}`);
  });

  it("300 and 399 are redirects; 400 is not", async () => {
    const hint = "Check adminUrl: it must be the admin API base, e.g. https://pf.example.com:9999/pf-admin-api/v1.";
    answer("multiple", 300, "", { location: "https://pf.example.com/elsewhere" });
    assert.equal(await getClientFailure("multiple"), `${head("multiple", 300)}: unexpected redirect to https://pf.example.com/elsewhere\n${hint}`);
    answer("odd", 399, "", {});
    assert.equal(await getClientFailure("odd"), `${head("odd", 399)}: unexpected redirect\n${hint}`);
    answer("bad", 400, { message: "Bad thing." }, { "content-type": "application/json", location: "https://pf.example.com/x" });
    assert.equal(await getClientFailure("bad"), `${head("bad", 400)}: Bad thing.`);
  });

  it("an answer without a reason phrase or a message is named by its status", async () => {
    assert.equal(await failureOf(api(rawUrl).getClient("any")), "PingFederate admin API GET /oauth/clients/any failed with HTTP 499: HTTP 499");
  });

  it("takes the API's message, else its developer message, else the status text; empty or non-text ones do not count", async () => {
    answer("null-body", 400, "null");
    assert.equal(await getClientFailure("null-body"), `${head("null-body", 400)}: Bad Request`);
    answer("empty-message", 400, { message: "", developerMessage: "" });
    assert.equal(await getClientFailure("empty-message"), `${head("empty-message", 400)}: Bad Request`);
    answer("number-message", 400, { message: 42, developerMessage: "Use a string." });
    assert.equal(await getClientFailure("number-message"), `${head("number-message", 400)}: Use a string.`);
    answer("array-body", 400, ["Not", "an", "ApiResult"]);
    assert.equal(await getClientFailure("array-body"), `${head("array-body", 400)}: Bad Request`);
  });

  it("lists the validation errors that are objects, each with what it has, and nothing for a list that is not one", async () => {
    answer("mixed", 422, {
      message: "Validation error(s) occurred.",
      validationErrors: [null, "words", 7, { fieldPath: "name", message: "is required" }, { errorId: "bad_value" },
        { fieldPath: "grantTypes[0]", message: "", developerMessage: "unknown grant" }, {}],
    });
    assert.equal(await getClientFailure("mixed"), `${head("mixed", 422)}: Validation error(s) occurred.\n` +
      "  - name: is required\n  - (no field): bad_value\n  - grantTypes[0]: unknown grant\n  - (no field): invalid");
    answer("not-a-list", 422, { message: "Validation error(s) occurred.", validationErrors: "name" });
    assert.equal(await getClientFailure("not-a-list"), `${head("not-a-list", 422)}: Validation error(s) occurred.`);
  });

  it("a 200 whose JSON does not parse is not the API's answer", async () => {
    answer("broken-json", 200, '{"clientId": "broken', { "content-type": "application/json" });
    assert.equal(await getClientFailure("broken-json"), `${head("broken-json", 200)}: the answer is application/json, not the JSON ` +
      "the admin API documents: check that adminUrl is the admin API base (…/pf-admin-api/v1) and that no proxy or login page answers in its place");
  });

  it("a 404 is taken as gone only when it is the API's: an HTML page is an error, not a deleted client", async () => {
    answer("gone", 404, { resultId: "resource_not_found", message: "Resource not found." });
    assert.equal(await api().getClient("gone"), undefined);
    answer("gone-empty", 404, "", {});
    assert.equal(await api().getClient("gone-empty"), undefined);
    answer("proxy-page", 404, "<html>Not Found</html>", { "content-type": "text/html" });
    assert.equal(await getClientFailure("proxy-page"), `${head("proxy-page", 404)}: the answer is text/html, not the JSON ` +
      "the admin API documents: check that adminUrl is the admin API base (…/pf-admin-api/v1) and that no proxy or login page answers in its place");
    answers.set("/pf-admin-api/v1/oauth/clients/proxy-page-2", { status: 404, headers: { "content-type": "text/html" }, body: "" });
    await assert.rejects(api().deleteClient("proxy-page-2"), /DELETE \/oauth\/clients\/proxy-page-2 failed with HTTP 404: the answer is text\/html/);
  });

  it("reads a version that is not text as 0, and a list without items as empty", async () => {
    answers.set("/pf-admin-api/v1/version", { status: 200, headers: { "content-type": "application/json" }, body: '{"version":12.1}' });
    assert.equal(await api().getVersion(), "0");
    answers.set("/pf-admin-api/v1/oauth/clients?page=1&numberPerPage=100", { status: 200, headers: { "content-type": "application/json" }, body: "{}" });
    assert.deepEqual(await api().listClients(), []);
  });

  it("trims every trailing slash of adminUrl", async () => {
    answer("slashes", 200, { clientId: "slashes" });
    assert.deepEqual(await api(`${url}///`).getClient("slashes"), { clientId: "slashes" });
  });

  it("keeps one connection open across calls", async () => {
    answer("alive", 200, { clientId: "alive" });
    const client = api();
    const before = connections;
    for (let i = 0; i < 3; i++) await client.getClient("alive");
    client.close();
    assert.equal(connections - before, 1);
  });
});

describe("the client against the simulator, at the edges", () => {
  let sim: PfAdminSim;
  let caDir: string;
  before(async () => {
    sim = await startPfAdminSim({ clustered: false });
    caDir = mkdtempSync(join(tmpdir(), "coder-oidc-ca-"));
  });
  after(async () => {
    rmSync(caDir, { recursive: true, force: true });
    await sim.close();
  });
  afterEach(() => {
    sim.clearFaults();
    sim.settings.clustered = false;
  });
  const credentials = () => ({ kind: "basic" as const, username: sim.username, password: sim.password });
  const api = (extra: Partial<Parameters<typeof pfAdminApi>[0]> = {}) => pfAdminApi({ adminUrl: sim.url, credentials: credentials(), retry: FAST, ...extra });
  const client = (clientId: string, extra: Partial<PfClient> = {}): PfClient => ({
    clientId, name: `Client ${clientId}`, grantTypes: ["AUTHORIZATION_CODE", "REFRESH_TOKEN"],
    redirectUris: ["https://coder.example.com/api/v2/users/oidc/callback"], ...extra,
  });

  it("sends the headers the API asks for on every call", async () => {
    sim.clearLog();
    await api().getClient("nobody");
    await pfAdminApi({ adminUrl: sim.url, credentials: { kind: "bearer", token: sim.token }, retry: FAST }).getClient("nobody");
    assert.deepEqual(sim.requests.map((r) => [r.auth, r.xsrf, r.status]), [["basic", true, 404], ["bearer", true, 404]]);
  });

  it("keeps one TLS connection open across calls", async () => {
    const tls = api({ adminUrl: sim.httpsUrl, caCertificate: sim.caPem });
    sim.clearLog();
    for (let i = 0; i < 3; i++) await tls.getClient("nobody");
    tls.close();
    assert.equal(new Set(sim.requests.map((r) => r.connection)).size, 1);
  });

  it("a CA file that holds no PEM is a config error naming the key and the file", () => {
    const file = join(caDir, "not-a-ca.txt");
    writeFileSync(file, "this is not a certificate\n");
    assert.throws(() => api({ adminUrl: sim.httpsUrl, caCertificate: file }), (error: Error & { code?: string }) => {
      assert.equal(error.code, "ERR_CONFIG_INVALID");
      assert.equal(error.message, `Invalid PingFederate TLS settings:\n  - coder-oidc:pingfederate.caCertificate: the file "${file}" holds no PEM certificate`);
      return true;
    });
    assert.throws(() => api({ adminUrl: sim.httpsUrl, caCertificate: join(caDir, "absent.pem") }), {
      message: `Invalid PingFederate TLS settings:\n  - coder-oidc:pingfederate.caCertificate: is neither PEM text nor a readable file: "${join(caDir, "absent.pem")}" (ENOENT)`,
    });
  });

  it("retries every kind of GET: a list, a scope, the cluster status", async () => {
    sim.settings.clustered = true;
    for (const [path, call] of [
      ["/oauth/clients", () => api().listClients()],
      ["/oauth/authServerSettings/scopes/commonScopes/offline_access", () => api().getCommonScope("offline_access")],
      ["/cluster/status", () => api().getClusterStatus()],
      ["/version", () => api().getVersion()],
    ] as const) {
      sim.inject({ method: "GET", path, status: 503 });
      sim.clearLog();
      await call();
      assert.equal(sim.count("GET", path), 2, path);
    }
  });

  it("waits for Retry-After before the next attempt", async () => {
    const id = uniqueId("wait");
    await api().createClient(client(id));
    sim.inject({ method: "GET", path: `/oauth/clients/${id}`, status: 503, retryAfter: "1" });
    sim.clearLog();
    assert.equal((await api().getClient(id))?.clientId, id);
    const [first, second] = sim.requests.map((r) => r.receivedAt);
    assert.ok(second - first >= 950, `the retry came ${second - first} ms after the first attempt`);
  });

  it("creates and updates a client that has no clientAuth", async () => {
    const id = uniqueId("public");
    assert.equal((await api().createClient(client(id))).clientId, id);
    assert.equal((await api().updateClient(client(id, { name: "Renamed" }))).name, "Renamed");
  });

  it("keeps every secret of a write out of its errors: the client's, and each secondary secret", async () => {
    const id = uniqueId("echoes");
    const secret = generateClientSecret();
    const echo = (sent: unknown) => ({ message: `Refused ${JSON.stringify(sent)}`, validationErrors: [] });
    sim.inject({ method: "POST", path: "/oauth/clients", status: 422, body: echo });
    const created = await failureOf(api().createClient(client(id, { clientAuth: { type: "SECRET", secret } })));
    assert.ok(created.startsWith("PingFederate admin API POST /oauth/clients failed with HTTP 422: Refused"), created);
    assert.ok(!created.includes(secret), created);
    await api().createClient(client(id));
    sim.inject({ method: "PUT", path: `/oauth/clients/${id}`, status: 422, body: echo });
    const updated = await failureOf(api().updateClient(client(id, { clientAuth: { type: "SECRET", secret } })));
    assert.ok(updated.includes("failed with HTTP 422: Refused") && !updated.includes(secret), updated);
    const secondary = generateClientSecret();
    const expiryTime = new Date(Date.now() + 86_400_000).toISOString();
    sim.inject({ method: "PUT", path: `/oauth/clients/${id}/clientAuth/clientSecret`, status: 422, body: echo });
    const rotated = await failureOf(api().updateClientSecret(id, { secondarySecrets: [{ secret: secondary, expiryTime }] }));
    assert.ok(rotated.includes("failed with HTTP 422: Refused") && !rotated.includes(secondary), rotated);
    assert.ok(rotated.includes(expiryTime), "the rest of the echo is kept");
  });

  it("replication whose answer was lost is not posted again once the status says it happened", async () => {
    sim.settings.clustered = true;
    await api().createClient(client(uniqueId("replicate-lost")));
    sim.inject({ method: "POST", path: "/cluster/replicate", reset: "after" });
    sim.clearLog();
    assert.equal(await api().replicateIfRequired(), "replicated");
    assert.equal(sim.count("POST", "/cluster/replicate"), 1);
    assert.equal(sim.replicationRequired, false);
  });

  it("replication refused before it happened is posted again", async () => {
    sim.settings.clustered = true;
    await api().createClient(client(uniqueId("replicate-again")));
    sim.inject({ method: "POST", path: "/cluster/replicate", reset: "before" });
    sim.clearLog();
    assert.equal(await api().replicateIfRequired(), "replicated");
    assert.equal(sim.count("POST", "/cluster/replicate"), 2);
    assert.equal(sim.replicationRequired, false);
  });
});
