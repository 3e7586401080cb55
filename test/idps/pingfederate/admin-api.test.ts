/**
 * The admin API client against the simulator over real HTTP(S): headers, auth, 404 handling, retries and their
 * bounds, the no-blind-POST rule, error wrapping without secrets, TLS, credentials and version gating.
 */
import assert from "node:assert/strict";
import { after, afterEach, before, describe, test } from "node:test";
import { inspect } from "node:util";
import axios from "axios";
import { generateClientSecret, pfAdminApi } from "../../../idps/pingfederate/admin-api";
import {
  type AdminCredentials, forgetConfiguredCredentials, rememberConfiguredCredentials, resolveAdminCredentials,
} from "../../../idps/pingfederate/credentials";
import { type PfClient, supportsOfflineAccessSettings, versionAtLeast } from "../../../idps/pingfederate/model";
import { parseRetryAfterMs, retryDelayMs, type RetryPolicy } from "../../../idps/pingfederate/retry";
import { type PfAdminSim, startPfAdminSim, uniqueId } from "../../../e2e/support/pf-admin-sim";

const FAST: RetryPolicy = { maxAttempts: 4, baseDelayMs: 5, maxDelayMs: 20, totalTimeMs: 10_000 };

function client(clientId: string, extra: Partial<PfClient> = {}): PfClient {
  return {
    clientId,
    name: `Client ${clientId}`,
    grantTypes: ["AUTHORIZATION_CODE", "REFRESH_TOKEN"],
    redirectUris: ["https://coder.example.com/api/v2/users/oidc/callback"],
    clientAuth: { type: "SECRET", secret: generateClientSecret() },
    ...extra,
  };
}

/** Everything an error exposes to a logger. */
function everythingIn(error: unknown): string {
  return `${String(error)}\n${inspect(error, { depth: 10, showHidden: true })}\n${JSON.stringify(error)}`;
}

describe("admin API client", () => {
  let sim: PfAdminSim;
  let basic: AdminCredentials;
  const api = (extra: Parameters<typeof pfAdminApi>[0] | object = {}) =>
    pfAdminApi({ adminUrl: sim.url, credentials: basic, retry: FAST, ...extra });

  before(async () => {
    sim = await startPfAdminSim({ clustered: false });
    basic = { kind: "basic", username: sim.username, password: sim.password };
  });
  after(() => sim.close());
  afterEach(() => {
    sim.clearFaults();
    sim.settings.clustered = false;
  });

  describe("requests", () => {
    test("every call sends X-XSRF-Header, the credentials, and JSON bodies as application/json", async () => {
      const id = uniqueId("headers");
      sim.clearLog();
      await api().createClient(client(id));
      await api().getClient(id);
      assert.equal(sim.requests.length, 2);
      for (const r of sim.requests) {
        assert.equal(r.xsrf, true, `${r.method} ${r.path} lacks X-XSRF-Header`);
        assert.equal(r.auth, "basic");
      }
      const post = sim.requests.find((r) => r.method === "POST")!;
      assert.match(post.contentType ?? "", /^application\/json/);
    });

    test("a bearer token authenticates as bearer", async () => {
      sim.clearLog();
      await api({ credentials: { kind: "bearer", token: sim.token } }).getClient("nobody");
      assert.equal(sim.requests.at(-1)?.auth, "bearer");
    });

    test("the simulator refuses a request without X-XSRF-Header, as PingFederate does", async () => {
      const response = await axios.get(`${sim.url}/oauth/clients`, {
        auth: { username: sim.username, password: sim.password },
        validateStatus: () => true,
      });
      assert.equal(response.status, 403);
    });

    test("a GET that answers 404 gives undefined", async () => {
      assert.equal(await api().getClient(uniqueId("missing")), undefined);
      assert.equal(await api().getCommonScope("no_such_scope"), undefined);
    });

    test("a DELETE of a client that is already gone counts as done", async () => {
      assert.equal(await api().deleteClient(uniqueId("gone")), false);
      const id = uniqueId("deleted");
      await api().createClient(client(id));
      assert.equal(await api().deleteClient(id), true);
      assert.equal(sim.getClient(id), undefined);
    });

    test("listing clients reads every page and applies the filter", async () => {
      const prefix = uniqueId("listed");
      for (let i = 0; i < 130; i++) sim.addClientByHand({ clientId: `${prefix}-${i}`, name: "Listed", grantTypes: ["CLIENT_CREDENTIALS"] });
      sim.clearLog();
      const listed = await api().listClients(prefix);
      assert.equal(listed.length, 130);
      assert.equal(sim.count("GET", "/oauth/clients"), 2);
    });
  });

  describe("retries", () => {
    for (const status of [429, 502, 503, 504]) {
      for (const method of ["GET", "PUT", "DELETE"] as const) {
        test(`${method} is retried after HTTP ${status}`, async () => {
          const id = uniqueId("retried");
          await api().createClient(client(id));
          const path = `/oauth/clients/${id}`;
          sim.inject({ method, path, status, times: 2 });
          sim.clearLog();
          if (method === "GET") assert.equal((await api().getClient(id))?.clientId, id);
          if (method === "PUT") await api().updateClient({ ...sim.getClient(id), clientId: id, name: "renamed" } as PfClient);
          if (method === "DELETE") assert.equal(await api().deleteClient(id), true);
          assert.equal(sim.count(method, path), 3);
        });
      }
    }

    test("a connection reset on GET is retried", async () => {
      const id = uniqueId("reset");
      await api().createClient(client(id));
      sim.inject({ method: "GET", path: `/oauth/clients/${id}`, reset: "before" });
      sim.clearLog();
      assert.equal((await api().getClient(id))?.clientId, id);
      assert.equal(sim.count("GET", `/oauth/clients/${id}`), 2);
    });

    test("a timeout is retried", async () => {
      const id = uniqueId("slow");
      await api().createClient(client(id));
      sim.inject({ method: "GET", path: `/oauth/clients/${id}`, delayMs: 400 });
      sim.clearLog();
      assert.equal((await api({ timeoutMs: 150 }).getClient(id))?.clientId, id);
      assert.equal(sim.count("GET", `/oauth/clients/${id}`), 2);
    });

    test("retries stop after maxAttempts and the error says how many were made", async () => {
      const id = uniqueId("down");
      sim.inject({ method: "GET", path: `/oauth/clients/${id}`, status: 503, times: 100 });
      sim.clearLog();
      await assert.rejects(api().getClient(id), (error: Error & { code?: string; status?: number }) => {
        assert.equal(error.code, "ERR_PF_API");
        assert.equal(error.status, 503);
        assert.match(error.message, /gave up after 4 attempts/);
        return true;
      });
      assert.equal(sim.count("GET", `/oauth/clients/${id}`), FAST.maxAttempts);
    });

    test("a timeout on every attempt ends with a timeout error after the bounded attempts", async () => {
      const id = uniqueId("hung");
      sim.inject({ method: "GET", path: `/oauth/clients/${id}`, delayMs: 300, times: 100 });
      await assert.rejects(api({ timeoutMs: 60, retry: { ...FAST, maxAttempts: 2 } }).getClient(id), /no answer within 60 ms \(timeout\) \(gave up after 2 attempts\)/);
    });

    test("a Retry-After beyond the retry budget stops retrying at once and says so", async () => {
      const id = uniqueId("throttled");
      sim.inject({ method: "GET", path: `/oauth/clients/${id}`, status: 429, retryAfter: "3600", times: 100 });
      sim.clearLog();
      await assert.rejects(api().getClient(id), /next retry, in 3600 s, would pass the 10 s retry budget/);
      assert.equal(sim.count("GET", `/oauth/clients/${id}`), 1);
    });

    test("a Retry-After within the budget is waited for, then the call succeeds", async () => {
      const id = uniqueId("later");
      await api().createClient(client(id));
      sim.inject({ method: "GET", path: `/oauth/clients/${id}`, status: 429, retryAfter: "1" });
      sim.clearLog();
      assert.equal((await api().getClient(id))?.clientId, id);
      assert.equal(sim.count("GET", `/oauth/clients/${id}`), 2);
    });

    test("the backoff doubles from baseDelayMs, is capped at maxDelayMs, and is jittered between half and all of it", () => {
      const policy: RetryPolicy = { maxAttempts: 10, baseDelayMs: 100, maxDelayMs: 1000, totalTimeMs: 60_000 };
      assert.deepEqual([1, 2, 3, 4, 5].map((n) => retryDelayMs(n, undefined, policy, () => 1)), [100, 200, 400, 800, 1000]);
      assert.deepEqual([1, 2, 3, 4, 5].map((n) => retryDelayMs(n, undefined, policy, () => 0)), [50, 100, 200, 400, 500]);
    });

    test("the backoff is never shorter than Retry-After, in seconds or as an HTTP date", () => {
      const policy: RetryPolicy = { maxAttempts: 10, baseDelayMs: 100, maxDelayMs: 1000, totalTimeMs: 60_000 };
      const now = Date.parse("2026-01-01T00:00:00Z");
      assert.equal(retryDelayMs(1, "7", policy, () => 1, now), 7000);
      assert.equal(retryDelayMs(1, "Thu, 01 Jan 2026 00:00:30 GMT", policy, () => 1, now), 30_000);
      assert.equal(parseRetryAfterMs("soon", now), undefined);
    });
  });

  describe("POST is never retried blindly", () => {
    test("when the answer to a POST is lost after it took effect, the client is found and not posted again", async () => {
      const id = uniqueId("lost-answer");
      sim.inject({ method: "POST", path: "/oauth/clients", reset: "after" });
      sim.clearLog();
      const created = await api().createClient(client(id));
      assert.equal(created.clientId, id);
      assert.equal(sim.count("POST", "/oauth/clients"), 1);
      assert.deepEqual(sim.requests.map((r) => r.method), ["POST", "GET"]);
    });

    test("a POST is sent again only after a GET showed that it did not go through", async () => {
      const id = uniqueId("dropped");
      sim.inject({ method: "POST", path: "/oauth/clients", reset: "before" });
      sim.clearLog();
      await api().createClient(client(id));
      assert.deepEqual(sim.requests.map((r) => `${r.method} ${r.path}`), ["POST /oauth/clients", `GET /oauth/clients/${id}`, "POST /oauth/clients"]);
      assert.ok(sim.getClient(id));
    });

    for (const status of [429, 502, 503, 504]) {
      test(`a POST answered ${status} is looked up, then sent again`, async () => {
        const id = uniqueId(`post-${status}`);
        sim.inject({ method: "POST", path: "/oauth/clients", status });
        sim.clearLog();
        await api().createClient(client(id));
        assert.deepEqual(sim.requests.map((r) => `${r.method} ${r.path}`), ["POST /oauth/clients", `GET /oauth/clients/${id}`, "POST /oauth/clients"]);
      });
    }

    test("a POST answered 500 is neither looked up nor repeated", async () => {
      sim.inject({ method: "POST", path: "/oauth/clients", status: 500 });
      sim.clearLog();
      await assert.rejects(api().createClient(client(uniqueId("post-500"))), (err: Error & { status?: number }) => err.status === 500);
      assert.deepEqual(sim.requests.map((r) => r.method), ["POST"]);
    });

    test("a POST that keeps failing stops after maxAttempts", async () => {
      sim.inject({ method: "POST", path: "/oauth/clients", status: 503, times: 10 });
      sim.clearLog();
      await assert.rejects(api().createClient(client(uniqueId("post-503"))), (err: Error & { status?: number }) => err.status === 503);
      assert.equal(sim.count("POST", "/oauth/clients"), FAST.maxAttempts);
    });

    test("a common scope is added with the same rule: found after a lost answer, not added twice", async () => {
      sim.inject({ method: "POST", path: "/oauth/authServerSettings/scopes/commonScopes", reset: "after" });
      sim.clearLog();
      const scope = await api().addCommonScope({ name: "coder_scope_x", description: "x" });
      assert.equal(scope.name, "coder_scope_x");
      assert.deepEqual(sim.requests.map((r) => `${r.method} ${r.path}`), ["POST /oauth/authServerSettings/scopes/commonScopes",
        "GET /oauth/authServerSettings/scopes/commonScopes/coder_scope_x"]);
      assert.equal((await api().getCommonScope("coder_scope_x"))?.description, "x");
    });

    test("a POST refused with 422 is not repeated", async () => {
      sim.clearLog();
      await assert.rejects(api().createClient({ ...client(uniqueId("bad")), name: "" }),
        (err: Error & { code?: string; status?: number }) => err.code === "ERR_PF_API" && err.status === 422);
      assert.equal(sim.count("POST", "/oauth/clients"), 1);
      assert.equal(sim.count("GET"), 0);
    });
  });

  describe("errors", () => {
    test("a 422 names method, path, status, the API's message and every field path", async () => {
      const body = { ...client(uniqueId("invalid")), name: "", refreshRolling: "SOMETIMES", grantTypes: ["AUTHORIZATION_CODE", "TELEPATHY"] };
      await assert.rejects(api().createClient(body as unknown as PfClient), (error: Error & Record<string, unknown>) => {
        assert.equal(error.code, "ERR_PF_API");
        assert.equal(error.status, 422);
        assert.equal(error.method, "POST");
        assert.equal(error.path, "/oauth/clients");
        const paths = (error.validationErrors as { fieldPath?: string }[]).map((v) => v.fieldPath).sort();
        assert.deepEqual(paths, ["grantTypes[1]", "name", "refreshRolling"]);
        assert.match(error.message, /^PingFederate admin API POST \/oauth\/clients failed with HTTP 422: Validation error\(s\) occurred/);
        for (const path of paths) assert.ok(error.message.includes(`  - ${path}: `), `message lacks ${path}`);
        return true;
      });
    });

    test("401 says to check the admin credentials, and no error carries a credential or a header", async () => {
      const wrong = { kind: "basic" as const, username: sim.username, password: "Wr0ng-Passw0rd-Value" };
      await assert.rejects(api({ credentials: wrong }).getClient("coder"), (error: Error & { status?: number; code?: string }) => {
        assert.equal(error.code, "ERR_PF_API");
        assert.equal(error.status, 401);
        assert.match(error.message, /Check the admin credentials/);
        const text = everythingIn(error);
        for (const leak of [wrong.password, "Authorization", "Basic ", Buffer.from(`${wrong.username}:${wrong.password}`).toString("base64")]) {
          assert.ok(!text.includes(leak), `error exposes ${leak}`);
        }
        return true;
      });
      const badToken = "tok-not-the-right-one-12345";
      await assert.rejects(api({ credentials: { kind: "bearer", token: badToken } }).getClient("coder"), (error: Error) => {
        assert.match(error.message, /HTTP 401[\s\S]*Check the admin credentials/);
        assert.ok(!everythingIn(error).includes(badToken));
        return true;
      });
    });

    test("a secret sent in a body never appears in the error, even when the server echoes it", async () => {
      const id = uniqueId("echo");
      await api().createClient(client(id));
      const secret = generateClientSecret();
      sim.inject({
        method: "PUT",
        path: `/oauth/clients/${id}/clientAuth/clientSecret`,
        status: 422,
        body: (sent: unknown) => ({
          resultId: "validation_error",
          message: `Secret ${(sent as { secret: string }).secret} rejected`,
          validationErrors: [{ errorId: "weak", fieldPath: "secret", message: `"${(sent as { secret: string }).secret}" is too weak` }],
        }),
      });
      await assert.rejects(api().updateClientSecret(id, { secret }), (error: Error) => {
        assert.ok(!everythingIn(error).includes(secret));
        assert.match(error.message, /Secret \[redacted\] rejected/);
        assert.match(error.message, /- secret: "\[redacted\]" is too weak/);
        return true;
      });
    });

    test("a wrong adminUrl fails with a message that names the problem", async () => {
      const closed = pfAdminApi({ adminUrl: "http://127.0.0.1:9/pf-admin-api/v1", credentials: basic, retry: FAST });
      await assert.rejects(closed.getVersion(), /GET \/version failed: connection refused \(ECONNREFUSED\): check adminUrl/);
    });
  });

  describe("TLS", () => {
    test("the certificate is verified by default and the error says how to trust it", async () => {
      await assert.rejects(api({ adminUrl: sim.httpsUrl }).getVersion(), (error: Error & { code?: string }) => {
        assert.equal(error.code, "ERR_PF_API");
        assert.match(error.message, /TLS certificate is not trusted \([A-Z_]+\): set coder-oidc:pingfederate\.caCertificate/);
        return true;
      });
    });

    test("a CA given as PEM text is trusted", async () => {
      assert.equal(await api({ adminUrl: sim.httpsUrl, caCertificate: sim.caPem }).getClient("nobody"), undefined);
    });

    test("a CA given as a file path is trusted", async () => {
      assert.equal(await api({ adminUrl: sim.httpsUrl, caCertificate: sim.caFile }).getClient("nobody"), undefined);
    });

    test("insecureSkipTlsVerify skips verification only when set", async () => {
      assert.equal(await api({ adminUrl: sim.httpsUrl, insecureSkipTlsVerify: true }).getClient("nobody"), undefined);
    });

    test("a caCertificate that is neither PEM nor a readable file is a config error naming the key", () => {
      assert.throws(() => api({ adminUrl: sim.httpsUrl, caCertificate: "/no/such/ca.pem" }), (error: Error & { code?: string }) => {
        assert.equal(error.code, "ERR_CONFIG_INVALID");
        assert.match(error.message, /coder-oidc:pingfederate\.caCertificate: is neither PEM text nor a readable file: "\/no\/such\/ca\.pem" \(ENOENT\)/);
        return true;
      });
    });
  });

  describe("credentials", () => {
    afterEach(() => forgetConfiguredCredentials());

    test("missing credentials are an error that names both the environment and the stack config", () => {
      assert.throws(() => resolveAdminCredentials({}), (error: Error & { code?: string }) => {
        assert.equal(error.code, "ERR_CONFIG_INVALID");
        for (const needle of ["PINGFEDERATE_ADMIN_USERNAME", "PINGFEDERATE_ADMIN_PASSWORD", "PINGFEDERATE_ADMIN_TOKEN",
          "pulumi config set --secret --path 'pingfederate.username'", "'pingfederate.token'"]) {
          assert.ok(error.message.includes(needle), `message lacks ${needle}`);
        }
        return true;
      });
    });

    test("basic and bearer credentials come from the environment", () => {
      assert.deepEqual(resolveAdminCredentials({ PINGFEDERATE_ADMIN_USERNAME: "u", PINGFEDERATE_ADMIN_PASSWORD: "p" }), { kind: "basic", username: "u", password: "p" });
      assert.deepEqual(resolveAdminCredentials({ PINGFEDERATE_ADMIN_TOKEN: "t" }), { kind: "bearer", token: "t" });
    });

    test("credentials from stack config (configure) come before the environment", async () => {
      rememberConfiguredCredentials({ username: sim.username, password: sim.password });
      const env = { PINGFEDERATE_ADMIN_USERNAME: "someone-else", PINGFEDERATE_ADMIN_PASSWORD: "wrong" };
      assert.deepEqual(resolveAdminCredentials(env), { kind: "basic", username: sim.username, password: sim.password });
      assert.equal(await pfAdminApi({ adminUrl: sim.url }).getClient("nobody"), undefined);
    });

    test("incomplete or ambiguous credentials are errors naming the key to fix", () => {
      assert.throws(() => resolveAdminCredentials({ PINGFEDERATE_ADMIN_PASSWORD: "p" }), /PINGFEDERATE_ADMIN_USERNAME: is required when PINGFEDERATE_ADMIN_PASSWORD is set/);
      assert.throws(() => resolveAdminCredentials({ PINGFEDERATE_ADMIN_USERNAME: "u", PINGFEDERATE_ADMIN_TOKEN: "t" }), /PINGFEDERATE_ADMIN_TOKEN: is set together with/);
      rememberConfiguredCredentials({ username: "u" });
      assert.throws(() => resolveAdminCredentials({}), /coder-oidc:pingfederate\.password: is required when coder-oidc:pingfederate\.username is set/);
    });
  });

  describe("versions and replication", () => {
    test("versions compare as dotted numbers and 12.1 gates the offline-access fields", () => {
      assert.equal(versionAtLeast("12.1.0.4", "12.1"), true);
      assert.equal(versionAtLeast("12.0.9", "12.1"), false);
      assert.equal(versionAtLeast("13.0", "12.1"), true);
      assert.equal(supportsOfflineAccessSettings("12.1.0.4"), true);
      assert.equal(supportsOfflineAccessSettings("11.3.5"), false);
    });

    test("the version is asked once per admin URL and process", async () => {
      const other = await startPfAdminSim({ version: "12.0.3" });
      try {
        const credentials = { kind: "basic" as const, username: other.username, password: other.password };
        assert.equal(await pfAdminApi({ adminUrl: other.url, credentials }).getVersion(), "12.0.3");
        assert.equal(await pfAdminApi({ adminUrl: `${other.url}/`, credentials }).getVersion(), "12.0.3");
        assert.equal(other.count("GET", "/version"), 1);
      } finally {
        await other.close();
      }
    });

    test("a standalone server (403 on /cluster/status) is not replicated", async () => {
      sim.clearLog();
      assert.equal(await api().replicateIfRequired(), "not-clustered");
      assert.equal(sim.count("POST", "/cluster/replicate"), 0);
    });

    test("a cluster is replicated only when it says replication is required", async () => {
      sim.settings.clustered = true;
      assert.equal(await api().replicateIfRequired(), "up-to-date");
      await api().createClient(client(uniqueId("replicated")));
      sim.clearLog();
      assert.equal(await api().replicateIfRequired(), "replicated");
      assert.equal(sim.count("POST", "/cluster/replicate"), 1);
      assert.equal(sim.replicationRequired, false);
    });
  });

  describe("client secrets", () => {
    test("generated secrets are 32 random bytes in base64url", () => {
      const secrets = new Set(Array.from({ length: 20 }, () => generateClientSecret()));
      assert.equal(secrets.size, 20);
      for (const secret of secrets) {
        assert.match(secret, /^[A-Za-z0-9_-]{43}$/);
        assert.equal(Buffer.from(secret, "base64url").length, 32);
      }
    });
  });
});
