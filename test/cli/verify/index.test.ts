import { checkPingFederateClient } from "../../../idps/pingfederate/verify";
import { coderRow } from "../../support/idps";
/**
 * `verify`'s checks against real peers on 127.0.0.1: `oidc-provider` (a certified OpenID provider) configured with
 * and without offline_access (and so the refresh_token grant), a discovery document whose issuer differs only by a
 * trailing slash, a Coder deployment-config endpoint; and the command itself, through its flags and exit codes.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import {
  checkCoderDeployment, checkCoderSettings, checkDiscovery, FindingStatus, verifyExitCode, type Finding,
} from "../../../src/verify/core";
import { parseCoderAuthUrlParams, parseCoderScopes } from "../../../src/coder-settings";
import { runVerify } from "../../../cli/verify";
import { runInProcess } from "../../support/in-process";
import { startOktaSim } from "../../support/okta-sim";
import { startOp } from "../../support/oidc-op";


/** Serves `handler` on 127.0.0.1; resolves to its base URL and a close function. */
async function serve(handler: http.RequestListener): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer(handler);
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((done) => server.close(() => done())) };
}

/** A real OpenID provider (oidc-provider) on 127.0.0.1 with the given scopes. */
const byCheck = (findings: readonly Finding[], check: string) => findings.find((f) => f.check === check);

const KEYCLOAK_SETTINGS = {
  CODER_OIDC_ISSUER_URL: "https://sso.example.com/realms/main",
  CODER_OIDC_CLIENT_ID: "coder",
  CODER_OIDC_CLIENT_SECRET: "x",
  CODER_OIDC_SCOPES: "openid,profile,email,offline_access",
  CODER_OIDC_AUTH_URL_PARAMS: '{"access_type":"offline"}',
};

describe("checkCoderSettings", () => {
  it("passes Keycloak's row as the stack outputs it", () => {
    const findings = checkCoderSettings(coderRow("keycloak"), KEYCLOAK_SETTINGS);
    assert.deepEqual(findings.filter((f) => f.status !== FindingStatus.Ok), []);
  });
  it("names offline_access when CODER_OIDC_SCOPES lacks it", () => {
    const finding = byCheck(checkCoderSettings(coderRow("keycloak"), { ...KEYCLOAK_SETTINGS, CODER_OIDC_SCOPES: "openid,profile,email" }), "settings.scopes");
    assert.equal(finding?.status, FindingStatus.Problem);
    assert.match(finding!.message, /lacks offline_access: set it to openid,profile,email,offline_access/);
  });
  it("refuses offline_access for Google, and wants prompt=consent there", () => {
    const findings = checkCoderSettings(coderRow("google"), {
      ...KEYCLOAK_SETTINGS, CODER_OIDC_SCOPES: "openid,profile,email,offline_access", CODER_OIDC_AUTH_URL_PARAMS: '{"access_type":"offline"}',
    });
    assert.match(byCheck(findings, "settings.scopes")!.message, /Google rejects/);
    assert.equal(byCheck(findings, "settings.authUrlParams")?.status, FindingStatus.Problem);
    assert.match(byCheck(findings, "settings.authUrlParams")!.message, /prompt=consent/);
  });
  it("reports a missing issuer and malformed params", () => {
    const findings = checkCoderSettings(coderRow("keycloak"), { ...KEYCLOAK_SETTINGS, CODER_OIDC_ISSUER_URL: undefined, CODER_OIDC_AUTH_URL_PARAMS: "[1]" });
    assert.equal(byCheck(findings, "settings.CODER_OIDC_ISSUER_URL")?.status, FindingStatus.Problem);
    assert.match(byCheck(findings, "settings.authUrlParams")!.message, /not a map/);
  });
  it("parses scopes as one CSV record and params as YAML, as Coder does", () => {
    assert.deepEqual(parseCoderScopes('openid,"a,b"'), ["openid", "a,b"]);
    assert.deepEqual(parseCoderScopes(""), []);
    assert.throws(() => parseCoderScopes("a\nb"), /not one CSV record/);
    assert.deepEqual(parseCoderAuthUrlParams("access_type: offline"), { access_type: "offline" });
    assert.equal(parseCoderAuthUrlParams("- x"), undefined);
  });
});

describe("checkPingFederateClient", () => {
  const good = {
    grantTypes: ["AUTHORIZATION_CODE", "REFRESH_TOKEN"], redirectUris: ["https://coder.example.com/api/v2/users/oidc/callback"],
    restrictScopes: true, restrictedScopes: ["openid", "profile", "email", "offline_access"], clientAuth: { type: "SECRET" },
  };
  it("passes a client with both grants, offline_access, a secret and Coder's callback", () => {
    assert.deepEqual(checkPingFederateClient("coder", good, "https://coder.example.com").map((f) => f.status), ["ok", "ok", "ok", "ok"]);
  });
  it("names each thing a client lacks", () => {
    const findings = checkPingFederateClient("coder", {
      ...good, grantTypes: ["AUTHORIZATION_CODE"], restrictedScopes: ["openid"], clientAuth: { type: "NONE" }, redirectUris: [],
    }, "https://coder.example.com");
    assert.deepEqual(findings.filter((f) => f.status === "problem").map((f) => f.check), [
      "pingfederate.client.grants", "pingfederate.client.offlineAccess", "pingfederate.client.authentication", "pingfederate.client.redirectUri",
    ]);
    assert.match(findings[0].message, /allow the REFRESH_TOKEN grant/);
  });
  it("says a missing client must be made by pulumi up", () => {
    assert.match(checkPingFederateClient("coder", undefined, undefined)[0].message, /no OAuth client coder: run pulumi up/);
  });
});

describe("checkDiscovery against oidc-provider", () => {
  it("passes an OP with offline_access: refresh_token grant, scope and an RSA signing algorithm", async () => {
    const op = await startOp(["openid", "offline_access", "profile", "email"]);
    try {
      const findings = await checkDiscovery(coderRow("keycloak"), op.issuer);
      assert.deepEqual(findings.map((f) => [f.check, f.status]), [
        ["discovery.issuer", "ok"], ["discovery.grantTypes", "ok"], ["discovery.scopes", "ok"], ["discovery.signing", "ok"],
      ]);
    } finally {
      await op.close();
    }
  });
  it("names the missing refresh_token grant and offline_access scope of an OP without them", async () => {
    const op = await startOp(["openid", "profile", "email"]);
    try {
      const findings = await checkDiscovery(coderRow("keycloak"), op.issuer);
      assert.equal(byCheck(findings, "discovery.grantTypes")?.status, FindingStatus.Problem);
      assert.match(byCheck(findings, "discovery.grantTypes")!.message, /lacks refresh_token/);
      assert.equal(byCheck(findings, "discovery.scopes")?.status, FindingStatus.Problem);
      assert.equal(verifyExitCode(findings), 1);
    } finally {
      await op.close();
    }
  });
  it("does not ask Google's discovery for offline_access", async () => {
    const op = await startOp(["openid", "profile", "email"]);
    try {
      assert.equal(byCheck(await checkDiscovery(coderRow("google"), op.issuer), "discovery.scopes"), undefined);
    } finally {
      await op.close();
    }
  });
});

describe("checkDiscovery on documents made by hand", () => {
  let server: { url: string; close: () => Promise<void> };
  let doc: Record<string, unknown> = {};
  before(async () => {
    server = await serve((_req, res) => {
      res.setHeader("Content-Type", "application/json");
      res.end(JSON.stringify(doc));
    });
  });
  after(() => server.close());

  it("fails an issuer that differs only by a trailing slash, naming the value to use", async () => {
    doc = { issuer: `${server.url}/`, grant_types_supported: ["refresh_token"], scopes_supported: ["offline_access"], id_token_signing_alg_values_supported: ["RS256"] };
    const finding = byCheck(await checkDiscovery(coderRow("keycloak"), server.url), "discovery.issuer");
    assert.equal(finding?.status, FindingStatus.Problem);
    assert.ok(finding!.message.includes(`set CODER_OIDC_ISSUER_URL to "${server.url}/"`));
  });
  it("fails ID tokens signed only with an algorithm Coder does not verify", async () => {
    doc = { issuer: server.url, id_token_signing_alg_values_supported: ["HS256"] };
    assert.equal(byCheck(await checkDiscovery(coderRow("keycloak"), server.url), "discovery.signing")?.status, FindingStatus.Problem);
  });
  it("says it could not check when the document lists no grant types", async () => {
    doc = { issuer: server.url, id_token_signing_alg_values_supported: ["RS256"] };
    assert.equal(byCheck(await checkDiscovery(coderRow("keycloak"), server.url), "discovery.grantTypes")?.status, FindingStatus.Unchecked);
  });
  it("says it could not check an IdP that does not answer (exit 2)", async () => {
    const findings = await checkDiscovery(coderRow("keycloak"), "http://127.0.0.1:1");
    assert.deepEqual(findings.map((f) => f.status), [FindingStatus.Unchecked]);
    assert.equal(verifyExitCode(findings), 2);
  });
});

describe("checkCoderDeployment", () => {
  let coder: { url: string; close: () => Promise<void> };
  let oidc: Record<string, unknown> = {};
  let seenToken: string | undefined;
  before(async () => {
    coder = await serve((req, res) => {
      seenToken = req.headers["coder-session-token"] as string | undefined;
      res.setHeader("Content-Type", "application/json");
      if (seenToken !== "owner-token") {
        res.statusCode = 401;
        res.end(JSON.stringify({ message: "You are signed out or your session has expired." }));
        return;
      }
      res.end(JSON.stringify({ config: { oidc } }));
    });
  });
  after(() => coder.close());

  it("passes a Coder that runs with the stack's settings", async () => {
    oidc = { issuer_url: KEYCLOAK_SETTINGS.CODER_OIDC_ISSUER_URL, client_id: "coder", scopes: ["openid", "profile", "email", "offline_access"], auth_url_params: { access_type: "offline" } };
    const findings = await checkCoderDeployment(coder.url, "owner-token", KEYCLOAK_SETTINGS);
    assert.equal(seenToken, "owner-token");
    assert.deepEqual(findings.map((f) => f.status), ["ok", "ok", "ok", "ok"]);
  });
  it("names each setting Coder runs with that differs from the stack's", async () => {
    oidc = { issuer_url: `${KEYCLOAK_SETTINGS.CODER_OIDC_ISSUER_URL}/`, client_id: "coder", scopes: ["openid", "profile", "email"], auth_url_params: {} };
    const findings = await checkCoderDeployment(coder.url, "owner-token", KEYCLOAK_SETTINGS);
    assert.deepEqual(findings.filter((f) => f.status === "problem").map((f) => f.check), ["coder.issuer", "coder.scopes", "coder.authUrlParams"]);
    assert.match(byCheck(findings, "coder.scopes")!.message, /CODER_OIDC_SCOPES=\["openid","profile","email"\]/);
  });
  it("says it could not check without an owner's token", async () => {
    const findings = await checkCoderDeployment(coder.url, "wrong", KEYCLOAK_SETTINGS);
    assert.equal(findings[0].status, FindingStatus.Unchecked);
    assert.match(findings[0].message, /owner's token/);
  });
});

describe("coder-oidc verify", () => {
  // In this process (test/cli/cli.test.ts runs the commands as processes).
  const run = async (args: string[]) => {
    const { code, stdout, stderr } = await runInProcess(runVerify, args);
    return { status: code, stdout, stderr };
  };

  it("exits 0 for good settings at a good OP, 1 without offline_access, with findings as JSON", async () => {
    const op = await startOp(["openid", "offline_access", "profile", "email"]);
    const dir = mkdtempSync(join(tmpdir(), "coder-oidc-verify-"));
    try {
      const file = join(dir, "coder.env");
      writeFileSync(file, `CODER_OIDC_ISSUER_URL='${op.issuer}'\nCODER_OIDC_CLIENT_ID='coder'\nCODER_OIDC_CLIENT_SECRET='s'\nCODER_OIDC_SCOPES='openid,profile,email,offline_access'\nCODER_OIDC_AUTH_URL_PARAMS='{"access_type":"offline"}'\n`);
      // Coder's app at a simulated Okta (test/cli/verify/idps.test.ts checks it in depth).
      const okta = await startOktaSim();
      okta.putApp({ clientId: "coder", groups: ["00g1"] });
      const saved = { url: process.env.CODER_OIDC_OKTA_API_URL, token: process.env.OKTA_API_TOKEN };
      Object.assign(process.env, { CODER_OIDC_OKTA_API_URL: okta.orgUrl, OKTA_API_TOKEN: okta.apiToken });
      const good = await run(["--dotenv", file, "--idp", "okta", "--format", "json"]).finally(async () => {
        for (const [key, value] of [["CODER_OIDC_OKTA_API_URL", saved.url], ["OKTA_API_TOKEN", saved.token]] as const) {
          if (value === undefined) delete process.env[key];
          else process.env[key] = value;
        }
        await okta.close();
      });
      assert.equal(good.status, 0, good.stdout + good.stderr);
      const report = JSON.parse(good.stdout) as { exitCode: number; findings: Finding[]; manual: string[] };
      assert.equal(report.exitCode, 0);
      assert.ok(report.manual.some((m) => /log out of Coder and log in once/.test(m)));
      writeFileSync(file, `CODER_OIDC_ISSUER_URL='${op.issuer}'\nCODER_OIDC_CLIENT_ID='coder'\nCODER_OIDC_CLIENT_SECRET='s'\nCODER_OIDC_SCOPES='openid,profile,email'\n`);
      const bad = await run(["--dotenv", file, "--idp", "okta"]);
      assert.equal(bad.status, 1, bad.stdout + bad.stderr);
      assert.match(bad.stdout, /✖ settings.scopes: CODER_OIDC_SCOPES lacks offline_access/);
    } finally {
      await op.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it("exits 2 on bad arguments, and 0 for --help", async () => {
    assert.equal((await run([])).status, 2);
    assert.equal((await run(["--dotenv", "x.env"])).status, 2);
    const help = await run(["--help"]);
    assert.equal(help.status, 0);
    assert.match(help.stdout, /--coder-url/);
  });
});
