/**
 * No secret in any error path: recognisable secrets are pushed through every failure that can be triggered
 * (bad config, bad stack files, HTTP faults that echo what they got, TLS, replication failure) and looked for in
 * every encoding a server, proxy or logger might show them in.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { after, afterEach, before, describe, test } from "node:test";
import { inspect } from "node:util";
import { readStackFile } from "../../../engine/stack-file";
import { pfAdminApi } from "../../../idps/pingfederate/admin-api";
import { credentialSecrets, forgetConfiguredCredentials } from "../../../idps/pingfederate/credentials";
import { redact } from "../../../src/redact";
import type { RetryPolicy } from "../../../idps/pingfederate/retry";
import { pingFederateClientProvider as provider } from "../../../idps/pingfederate/provider";
import { parseStackConfig } from "../../../idps/registry";
import { coderClientInputs, type PfAdminSim, startPfAdminSim, uniqueId } from "../../../e2e/support/pf-admin-sim";

const FAST: RetryPolicy = { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2, totalTimeMs: 5_000 };
const PASSWORD = "Pw!7q-Sweep-Secret";
const TOKEN = "Tk_91-sweep-bearer-token";
const USER = "sweep-admin";

/** Every form a secret could be shown in. */
function encodings(secret: string): string[] {
  const b64 = Buffer.from(secret).toString("base64");
  return [secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1), b64, b64.replace(/=+$/, ""),
    Buffer.from(secret).toString("base64url"), Buffer.from(secret).toString("hex"), secret.toUpperCase(), secret.toLowerCase()];
}

/** Everything an error shows a person or a logger: message, inspect (hidden fields too), JSON, stack. */
function shown(error: unknown): string {
  const e = error as Error;
  // Loggers (pino, winston) copy an error's own enumerable fields: `{ ...error }` is what they write.
  const copied = typeof error === "object" && error !== null ? inspect({ ...error }, { depth: 10 }) : "";
  return [String(error), e?.stack ?? "", inspect(error, { depth: 10, showHidden: true }), JSON.stringify(error) ?? "", copied].join("\n");
}

function assertNoSecret(text: string, secrets: readonly string[], where: string): void {
  for (const secret of secrets) {
    for (const form of encodings(secret)) assert.ok(!text.includes(form), `${where}: ${JSON.stringify(form)} (from a secret) is shown:\n${text}`);
  }
}

async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  assert.fail("expected a failure");
}

describe("redact catches every form of a secret", () => {
  test("each encoding, every occurrence, for secrets of every length modulo 3 (base64 padding)", () => {
    for (const secret of [PASSWORD, `${PASSWORD}x`, `${PASSWORD}xy`]) {
      for (const form of encodings(secret).slice(0, 6)) {
        const text = `first ${form} and again ${form}.`;
        assert.equal(redact(text, [secret]), "first [redacted] and again [redacted].", form);
      }
    }
  });
  test("the base64 of user:password that Basic authentication sends", () => {
    const basic = Buffer.from(`${USER}:${PASSWORD}`).toString("base64");
    const secrets = credentialSecrets({ kind: "basic", username: USER, password: PASSWORD });
    assert.ok(!redact(`got credentials ${basic}`, secrets).includes(basic));
  });
  test("Authorization header values, whatever the secret list", () => {
    for (const text of ['{"authorization":"Basic dXNlcjpwdw=="}', "Authorization: Bearer abc.def-ghi", "authorization=Basic Zm9vOmJhcg=="]) {
      const out = redact(text, []);
      assert.match(out, /\[redacted\]/, text);
      assert.ok(!/dXNlcjpwdw|abc\.def|Zm9vOmJhcg/.test(out), out);
    }
  });
  test("a password shorter than 4 characters, where it stands on its own", () => {
    for (const pw of ["a", "pw", "p@1"]) {
      assert.equal(redact(`password "${pw}" rejected; ${pw}`, [pw]), 'password "[redacted]" rejected; [redacted]', pw);
    }
    assert.equal(redact("Validation error", ["a"]), "Validation error", "words are not shredded");
  });
});

describe("every error path keeps the secrets out", () => {
  let sim: PfAdminSim;
  let echo: http.Server;
  let echoUrl: string;
  let temp: string;

  before(async () => {
    sim = await startPfAdminSim({
      username: USER, password: PASSWORD, token: TOKEN, version: "12.1.0.4",
      commonScopes: [{ name: "profile", description: "Profile" }, { name: "email", description: "Email" }, { name: "offline_access", description: "Offline" }],
    });
    // A proxy that echoes what it got (headers and body) in its error pages, with several statuses and types.
    echo = http.createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => {
        const echoed = JSON.stringify({ headers: req.headers, body });
        const kind = req.url ?? "";
        if (kind.includes("html")) {
          res.writeHead(200, { "content-type": "text/html" }).end(`<html>${echoed} ${Buffer.from(echoed).toString("base64")}</html>`);
        } else if (kind.includes("reset")) {
          req.socket.destroy();
        } else {
          res.writeHead(kind.includes("502") ? 502 : 400, { "content-type": "application/json" })
            .end(JSON.stringify({ resultId: "proxy", message: `rejected ${echoed}`, validationErrors: [{ fieldPath: "x", message: echoed }] }));
        }
      });
    });
    await new Promise<void>((resolve) => echo.listen(0, "127.0.0.1", resolve));
    echoUrl = `http://127.0.0.1:${(echo.address() as AddressInfo).port}/pf-admin-api/v1`;
    temp = fs.mkdtempSync(path.join(os.tmpdir(), "coder-oidc-sweep-"));
  });
  after(() => {
    sim.close();
    echo.close();
    fs.rmSync(temp, { recursive: true, force: true });
  });
  afterEach(() => {
    sim.clearFaults();
    sim.settings.clustered = false;
    forgetConfiguredCredentials();
  });

  const basic = { kind: "basic" as const, username: USER, password: PASSWORD };
  const bearer = { kind: "bearer" as const, token: TOKEN };

  for (const [name, credentials] of [["basic", basic], ["bearer", bearer]] as const) {
    test(`${name}: a proxy that echoes headers and body (400, 502, HTML with 200, reset) shows no credential`, async () => {
      const clientSecret = "Cs-sweep-client-secret-0123456789";
      for (const kind of ["json400", "502", "html", "reset"]) {
        const api = pfAdminApi({ adminUrl: `${echoUrl}/${kind}`, credentials, retry: FAST });
        for (const call of [
          () => api.getClient("coder"),
          () => api.updateClient({ clientId: "coder", name: "Coder", grantTypes: ["AUTHORIZATION_CODE"], clientAuth: { type: "SECRET", secret: clientSecret } }),
          () => api.createClient({ clientId: "coder", name: "Coder", grantTypes: ["AUTHORIZATION_CODE"], clientAuth: { type: "SECRET", secret: clientSecret } }),
        ]) {
          const error = await failureOf(call());
          assertNoSecret(shown(error), [PASSWORD, TOKEN, clientSecret, `${USER}:${PASSWORD}`], `${name} ${kind}`);
        }
        api.close();
      }
    });
  }

  test("an HTML page with 200 is an error naming method, path, status and content type", async () => {
    const api = pfAdminApi({ adminUrl: `${echoUrl}/html`, credentials: basic, retry: FAST });
    const error = (await failureOf(api.getClient("coder"))) as Error & { code: string };
    api.close();
    assert.equal(error.code, "ERR_PF_API");
    assert.match(error.message, /^PingFederate admin API GET \/oauth\/clients\/coder failed with HTTP 200: the answer is text\/html, not the JSON the admin API documents/);
    assert.doesNotMatch(error.message, /undefined/);
  });

  test("TLS failures (untrusted certificate) show no credential", async () => {
    for (const credentials of [basic, bearer]) {
      const api = pfAdminApi({ adminUrl: sim.httpsUrl, credentials, retry: FAST });
      const error = await failureOf(api.getVersion());
      api.close();
      assert.match((error as Error).message, /TLS certificate is not trusted/);
      assertNoSecret(shown(error), [PASSWORD, TOKEN], "TLS");
    }
  });

  test("API errors that echo the request body show no client secret", async () => {
    const clientSecret = "Cs-echoed-by-422-abcdefghijkl";
    sim.inject({ method: "POST", path: "/oauth/clients", status: 422, body: (b: unknown) => ({ resultId: "validation_error", message: `bad ${JSON.stringify(b)}`, validationErrors: [{ fieldPath: "clientAuth.secret", message: JSON.stringify(b) }] }) });
    const api = pfAdminApi({ adminUrl: sim.url, credentials: basic, retry: FAST });
    const error = await failureOf(api.createClient({ clientId: uniqueId("c"), name: "Coder", grantTypes: ["AUTHORIZATION_CODE"], clientAuth: { type: "SECRET", secret: clientSecret } }));
    api.close();
    assertNoSecret(shown(error), [clientSecret, PASSWORD], "422 echo");
  });

  test("a replication failure after create keeps the new client secret for the engine, but never shows it", async () => {
    process.env.PINGFEDERATE_ADMIN_USERNAME = USER;
    process.env.PINGFEDERATE_ADMIN_PASSWORD = PASSWORD;
    try {
      sim.settings.clustered = true;
      sim.inject({ method: "POST", path: "/cluster/replicate", status: 500, times: 10 });
      const inputs = coderClientInputs(sim.url, { clientId: uniqueId("coder") });
      const checked = (await provider.check!({} as never, inputs)).inputs!;
      const error = (await failureOf(provider.create(checked))) as Error & { code: string; properties?: { clientSecret?: string } };
      assert.equal(error.code, "ERR_PF_REPLICATION_FAILED", error.message);
      const secret = error.properties?.clientSecret;
      assert.match(secret ?? "", /^[A-Za-z0-9_-]{43}$/, "the engine still reads the partial state");
      assertNoSecret(shown(error), [secret!, PASSWORD], "replication failure");
    } finally {
      delete process.env.PINGFEDERATE_ADMIN_USERNAME;
      delete process.env.PINGFEDERATE_ADMIN_PASSWORD;
    }
  });

  test("config errors show no secret set with --secret, nor a credential in a URL", () => {
    const secret = "Cfg-sweep-secret-42";
    const values = {
      "coder-oidc:coderUrl": `https://u:${secret}@coder.example.com`,
      "coder-oidc:idp": "pingfederate",
      "coder-oidc:pingfederate": `{"adminUrl": "http://admin:${secret}@pf", "password": "${secret}", "token": "${secret}", "secretOverlap": "${secret}"}`,
      "keycloak:clientSecret": secret,
      "keycloak:additionalHeaders": `{"Authorization": "${secret}"`,
    };
    for (const secretKeys of [[], ["coder-oidc:pingfederate"]]) {
      const error = (() => {
        try {
          parseStackConfig({ values, secretKeys: new Set(secretKeys) });
        } catch (err) {
          return err;
        }
        assert.fail("expected a config error");
      })();
      assertNoSecret(shown(error), secretKeys.length > 0 ? [secret] : [`u:${secret}`, `admin:${secret}`], `config (${secretKeys.join(",") || "no --secret"})`);
    }
  });

  test("stack-file errors never quote the file: a broken line may hold a secret", () => {
    const secret = "File-sweep-secret-77";
    for (const text of [`config:\n  a:pw: [${secret}\n`, `config:\n  a:pw: !vault ${secret}\n`, `config:\n  a:pw: ${secret}\n  a:pw: ${secret}\n`, `confg:\n  a:pw: ${secret}\n`]) {
      const dir = fs.mkdtempSync(path.join(temp, "s-"));
      fs.writeFileSync(path.join(dir, "Pulumi.s.yaml"), text);
      const error = (() => {
        try {
          readStackFile("s", dir);
        } catch (err) {
          return err;
        }
        assert.fail(`expected ${JSON.stringify(text)} to be refused`);
      })();
      assertNoSecret(shown(error), [secret], JSON.stringify(text));
    }
  });
});
