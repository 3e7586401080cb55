/**
 * The PingFederate client against answers the admin API never gives, from a server on 127.0.0.1 standing in for
 * a proxy, a login page or a dead port: each is an error naming the method, the path and what came back.
 */
import assert from "node:assert/strict";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { pfAdminApi } from "../../../idps/pingfederate/admin-api";

interface Answer { status: number; headers?: Record<string, string>; body?: string; destroy?: boolean }

describe("the client refuses what is not the admin API's answer", () => {
  let server: http.Server;
  let url: string;
  const answers = new Map<string, Answer>();
  before(async () => {
    server = http.createServer((req, res) => {
      const answer = answers.get(req.url ?? "") ?? { status: 404, headers: { "content-type": "application/json" }, body: "{}" };
      if (answer.destroy) return void req.socket.destroy();
      res.writeHead(answer.status, answer.headers ?? {});
      res.end(answer.body ?? "");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/pf-admin-api/v1`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const api = () => pfAdminApi({ adminUrl: `${url}/`, credentials: { kind: "basic", username: "admin", password: "pw-0123456789" },
    retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2, totalTimeMs: 5000 } });
  const answer = (id: string, a: Answer) => answers.set(`/pf-admin-api/v1/oauth/clients/${id}`, a);
  const failure = async (id: string): Promise<string> => {
    try {
      await api().getClient(id);
    } catch (err) {
      return (err as Error).message;
    }
    assert.fail("expected the call to fail");
  };

  it("a redirect: says where to, and that adminUrl must be the API base", async () => {
    answer("moved", { status: 302, headers: { location: "https://login.example.com/" } });
    assert.equal(await failure("moved"), "PingFederate admin API GET /oauth/clients/moved failed with HTTP 302: unexpected redirect to " +
      "https://login.example.com/\nCheck adminUrl: it must be the admin API base, e.g. https://pf.example.com:9999/pf-admin-api/v1.");
    answer("moved-nowhere", { status: 301 });
    assert.match(await failure("moved-nowhere"), /failed with HTTP 301: unexpected redirect\nCheck adminUrl/);
  });

  it("an HTML page with 200: names its content type", async () => {
    answer("html", { status: 200, headers: { "content-type": "text/html; charset=utf-8" }, body: "<html>login</html>" });
    assert.equal(await failure("html"), "PingFederate admin API GET /oauth/clients/html failed with HTTP 200: the answer is text/html, not " +
      "the JSON the admin API documents: check that adminUrl is the admin API base (…/pf-admin-api/v1) and that no proxy or " +
      "login page answers in its place");
    answer("bare", { status: 200, body: "plain words" });
    assert.match(await failure("bare"), /failed with HTTP 200: the answer is no content type, not the JSON/);
    answer("json-text", { status: 200, headers: { "content-type": "application/json" }, body: '"a string"' });
    assert.match(await failure("json-text"), /failed with HTTP 200: the answer is application\/json, not the JSON/);
    answer("empty-text", { status: 200, headers: { "content-type": "text/plain" } });
    assert.match(await failure("empty-text"), /the answer is text\/plain, not the JSON/);
  });

  it("takes JSON of any +json type, and an empty answer without a type", async () => {
    answer("problem", { status: 200, headers: { "content-type": "application/vnd.pingidentity.client+json" }, body: '{"clientId":"problem"}' });
    assert.deepEqual(await api().getClient("problem"), { clientId: "problem" });
    answer("empty", { status: 200 });
    assert.equal(await api().getClient("empty"), "");
  });

  it("an error status without the API's body: the status text stands in for its message", async () => {
    answer("teapot", { status: 418, headers: { "content-type": "text/plain" }, body: "short and stout" });
    assert.equal(await failure("teapot"), "PingFederate admin API GET /oauth/clients/teapot failed with HTTP 418: I'm a Teapot");
  });

  it("a dropped connection: retried, then says so", async () => {
    answer("reset", { status: 0, destroy: true });
    assert.equal(await failure("reset"),
      "PingFederate admin API GET /oauth/clients/reset failed: the connection was reset (ECONNRESET) (gave up after 2 attempts)");
  });

  it("a port nobody listens on: says to check adminUrl and the admin port", async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await assert.rejects(pfAdminApi({ adminUrl: `http://127.0.0.1:${port}`, credentials: { kind: "bearer", token: "t0ken-0123456789" } }).getVersion(),
      { message: "PingFederate admin API GET /version failed: connection refused (ECONNREFUSED): check adminUrl, and that the admin port " +
        "(9999 by default) is reachable" });
  });
});
