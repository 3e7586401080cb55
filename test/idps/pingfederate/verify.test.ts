/**
 * `verify` at PingFederate (idps/pingfederate/verify.ts). The client check, on in-memory views of the client: each
 * refresh-token mistake is a ✖ that says what to change, word for word, and fields the admin API may leave out read
 * as missing. The read, against the simulated admin API on 127.0.0.1 (official 12.1 schema): the stack's
 * `coder-oidc:pingfederate` connection and credentials (or PINGFEDERATE_ADMIN_*) are the ones used, each thing missing
 * or unreadable is a ? that says what, a refused or failing API is a ? that names its answer, retries stay within
 * verify's small budget, the connection is closed, and the credentials read are handed to the masker.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, beforeEach, describe, it } from "node:test";
import { type PfAdminSim, startPfAdminSim } from "../../../e2e/support/pf-admin-sim";
import { checkPingFederateClient, type PfClientView, pingFederateFindings } from "../../../idps/pingfederate/verify";
import { Masker } from "../../../src/safe-text";
import type { CoderSettings, Finding } from "../../../src/verify/core";
import { withEnvOnly } from "../../support/env";

const VARIABLES = ["PINGFEDERATE_ADMIN_USERNAME", "PINGFEDERATE_ADMIN_PASSWORD", "PINGFEDERATE_ADMIN_TOKEN"];

/** Runs `run` with exactly `env` among the variables these checks read, then puts them back. */
const withEnv = <T>(env: Record<string, string>, run: () => Promise<T>) => withEnvOnly(VARIABLES, env, run);

const CODER_URL = "https://coder.example.com";
const CALLBACK = "https://coder.example.com/api/v2/users/oidc/callback";
const rows = (findings: Finding[]) => findings.map((f) => [f.check, f.status, f.message]);

describe("the PingFederate client against what refresh tokens need", () => {
  const right: PfClientView = {
    grantTypes: ["AUTHORIZATION_CODE", "REFRESH_TOKEN"], redirectUris: [CALLBACK], restrictScopes: true,
    restrictedScopes: ["openid", "offline_access"], clientAuth: { type: "SECRET" },
  };

  it("a right client: every check passes, each saying what it saw", () => {
    assert.deepEqual(rows(checkPingFederateClient("coder", right, CODER_URL)), [
      ["pingfederate.client.grants", "ok", "the authorization code and refresh token grants are allowed"],
      ["pingfederate.client.offlineAccess", "ok", "offline_access is among the client's restricted scopes"],
      ["pingfederate.client.authentication", "ok", "the client authenticates (SECRET)"],
      ["pingfederate.client.redirectUri", "ok", `Coder's callback ${CALLBACK} is a redirect URI`],
    ]);
  });

  it("no client: one ✖ that says to deploy it", () => {
    assert.deepEqual(checkPingFederateClient("coder", undefined, CODER_URL), [
      { check: "pingfederate.client", status: "problem", message: "PingFederate has no OAuth client coder: run pulumi up" },
    ]);
  });

  it("a client with none of the fields: each missing one is a ✖; scopes that are not restricted are not checked", () => {
    assert.deepEqual(rows(checkPingFederateClient("coder", {}, CODER_URL)), [
      ["pingfederate.client.grants", "problem", "PingFederate client coder: allow the AUTHORIZATION_CODE and REFRESH_TOKEN grant (it has none)"],
      ["pingfederate.client.authentication", "problem",
        "PingFederate client coder: give it client authentication (a secret): Coder sends CODER_OIDC_CLIENT_SECRET"],
      ["pingfederate.client.redirectUri", "problem", `PingFederate client coder: add ${CALLBACK} to its redirect URIs`],
    ]);
  });

  it("other grants are listed as they are; restricted scopes without offline_access, or without any, are a ✖", () => {
    const findings = checkPingFederateClient("web", {
      ...right, grantTypes: ["IMPLICIT", "CLIENT_CREDENTIALS", "AUTHORIZATION_CODE"], restrictedScopes: ["openid", "profile"],
    }, CODER_URL);
    assert.deepEqual(rows(findings).slice(0, 2), [
      ["pingfederate.client.grants", "problem", "PingFederate client web: allow the REFRESH_TOKEN grant (it has IMPLICIT, CLIENT_CREDENTIALS, AUTHORIZATION_CODE)"],
      ["pingfederate.client.offlineAccess", "problem", "PingFederate client web: add offline_access to its restricted scopes"],
    ]);
    assert.deepEqual(rows(checkPingFederateClient("web", { ...right, restrictedScopes: undefined }, CODER_URL))[1],
      ["pingfederate.client.offlineAccess", "problem", "PingFederate client web: add offline_access to its restricted scopes"]);
    assert.deepEqual(rows(checkPingFederateClient("web", { ...right, restrictScopes: false, restrictedScopes: [] }, CODER_URL)).map((r) => r[0]),
      ["pingfederate.client.grants", "pingfederate.client.authentication", "pingfederate.client.redirectUri"]);
  });

  it("client authentication NONE, or an authentication without a type, is a ✖", () => {
    for (const clientAuth of [{ type: "NONE" }, {}]) {
      assert.deepEqual(checkPingFederateClient("coder", { ...right, clientAuth }, CODER_URL)[2], {
        check: "pingfederate.client.authentication", status: "problem",
        message: "PingFederate client coder: give it client authentication (a secret): Coder sends CODER_OIDC_CLIENT_SECRET",
      });
    }
    assert.equal(checkPingFederateClient("coder", { ...right, clientAuth: { type: "PRIVATE_KEY_JWT" } }, CODER_URL)[2].message,
      "the client authenticates (PRIVATE_KEY_JWT)");
  });

  it("the callback is built from Coder's URL without its trailing slashes; without Coder's URL it is not checked", () => {
    assert.deepEqual(rows(checkPingFederateClient("coder", right, "https://coder.example.com//")).at(-1),
      ["pingfederate.client.redirectUri", "ok", `Coder's callback ${CALLBACK} is a redirect URI`]);
    assert.deepEqual(rows(checkPingFederateClient("coder", right, "https://coder.example.com/")).at(-1),
      ["pingfederate.client.redirectUri", "ok", `Coder's callback ${CALLBACK} is a redirect URI`]);
    assert.deepEqual(rows(checkPingFederateClient("coder", right, "https://other.example.com")).at(-1),
      ["pingfederate.client.redirectUri", "problem", "PingFederate client coder: add https://other.example.com/api/v2/users/oidc/callback to its redirect URIs"]);
    assert.deepEqual(checkPingFederateClient("coder", right, undefined).map((f) => f.check),
      ["pingfederate.client.grants", "pingfederate.client.offlineAccess", "pingfederate.client.authentication"]);
  });
});

describe("verify reads the client over PingFederate's admin API", () => {
  let sim: PfAdminSim;
  /** The project a relative CA path is read from: the simulator's own folder, which holds its CA as ca.pem. */
  let projectDir: string;
  const settings: CoderSettings = {
    CODER_OIDC_ISSUER_URL: "https://pf.example.com", CODER_OIDC_CLIENT_ID: "coder", CODER_OIDC_CLIENT_SECRET: "s",
    CODER_OIDC_SCOPES: "openid,profile,email,offline_access", CODER_OIDC_AUTH_URL_PARAMS: "{}",
  };
  const stack = (pingfederate: unknown) => ({ "coder-oidc:pingfederate": { value: typeof pingfederate === "string" ? pingfederate : JSON.stringify(pingfederate) } });
  const findings = (config: Record<string, { value?: string }>, options: { env?: Record<string, string>; masker?: Masker; coderUrl?: string; withSettings?: CoderSettings } = {}) =>
    withEnv(options.env ?? {}, () => pingFederateFindings({
      settings: options.withSettings ?? settings, config, coderUrl: options.coderUrl ?? CODER_URL, now: Date.now(), projectDir, masker: options.masker,
    }));
  const unchecked = (message: string) => [{ check: "pingfederate.client", status: "unchecked", message }];
  const ALL_OK = [
    ["pingfederate.client.grants", "ok", "the authorization code and refresh token grants are allowed"],
    ["pingfederate.client.offlineAccess", "ok", "offline_access is among the client's restricted scopes"],
    ["pingfederate.client.authentication", "ok", "the client authenticates (SECRET)"],
    ["pingfederate.client.redirectUri", "ok", `Coder's callback ${CALLBACK} is a redirect URI`],
  ];

  before(async () => {
    sim = await startPfAdminSim({ commonScopes: ["openid", "profile", "email", "offline_access"].map((name) => ({ name, description: name })) });
    sim.addClientByHand({
      clientId: "coder", name: "Coder", grantTypes: ["AUTHORIZATION_CODE", "REFRESH_TOKEN"], redirectUris: [CALLBACK],
      restrictScopes: true, restrictedScopes: ["openid", "offline_access"], clientAuth: { type: "SECRET" },
    }, "s-0123456789");
    projectDir = path.dirname(sim.caFile);
  });
  after(() => sim.close());
  beforeEach(() => {
    sim.clearLog();
    sim.clearFaults();
  });
  const gets = () => sim.requests.map((r) => `${r.method} ${r.path} ${r.auth}`);

  it("with the stack's user and password: the client is read once, with basic auth, and every check passes", async () => {
    assert.deepEqual(rows(await findings(stack({ adminUrl: sim.url, username: sim.username, password: sim.password }))), ALL_OK);
    assert.deepEqual(gets(), ["GET /oauth/clients/coder basic"]);
  });

  it("with the stack's token: bearer auth, even when a user and password are there too", async () => {
    assert.deepEqual(rows(await findings(stack({ adminUrl: sim.url, token: sim.token }))), ALL_OK);
    assert.deepEqual(rows(await findings(stack({ adminUrl: sim.url, token: sim.token, username: sim.username, password: "wrong-password" }))), ALL_OK);
    assert.deepEqual(gets(), ["GET /oauth/clients/coder bearer", "GET /oauth/clients/coder bearer"]);
  });

  it("without credentials in the stack, or with ones that do not pass the section's schema: PINGFEDERATE_ADMIN_* are used", async () => {
    const env = { PINGFEDERATE_ADMIN_USERNAME: sim.username, PINGFEDERATE_ADMIN_PASSWORD: sim.password };
    assert.deepEqual(rows(await findings(stack({ adminUrl: sim.url }), { env })), ALL_OK);
    assert.deepEqual(rows(await findings(stack({ adminUrl: sim.url, username: 5, password: "", token: ["t"] }), { env })), ALL_OK);
    assert.deepEqual(gets(), ["GET /oauth/clients/coder basic", "GET /oauth/clients/coder basic"]);
  });

  it("no credentials anywhere, or a user without a password: a ? that names both ways to give them, and no request", async () => {
    const none = await findings(stack({ adminUrl: sim.url }));
    assert.equal(none.length, 1);
    assert.equal(none[0].status, "unchecked");
    assert.match(none[0].message, /^PingFederate admin credentials are missing:\n {2}- coder-oidc:pingfederate: no admin API credentials/);
    assert.deepEqual(await findings(stack({ adminUrl: sim.url, username: sim.username })), none);
    assert.deepEqual(sim.requests, []);
  });

  it("a client that is not there is a ✖ that says to deploy it", async () => {
    assert.deepEqual(await findings(stack({ adminUrl: sim.url, token: sim.token }), { withSettings: { ...settings, CODER_OIDC_CLIENT_ID: "gone" } }), [
      { check: "pingfederate.client", status: "problem", message: "PingFederate has no OAuth client gone: run pulumi up" },
    ]);
    assert.deepEqual(gets(), ["GET /oauth/clients/gone bearer"]);
  });

  it("without Coder's client id there is nothing to read", async () => {
    const { CODER_OIDC_CLIENT_ID: _, ...noClient } = settings;
    assert.deepEqual(await findings(stack({ adminUrl: sim.url, token: sim.token }), { withSettings: noClient as CoderSettings }), []);
    assert.deepEqual(await findings(stack({ adminUrl: sim.url, token: sim.token }), { withSettings: { ...settings, CODER_OIDC_CLIENT_ID: "" } }), []);
    assert.deepEqual(sim.requests, []);
  });

  it("without the stack's PingFederate config, or with one that is not JSON: a ? that says what verify needs", async () => {
    const give = unchecked("verify reads the PingFederate client with the stack's coder-oidc:pingfederate config: give --stack");
    assert.deepEqual(await findings({}), give);
    assert.deepEqual(await findings({ "coder-oidc:pingfederate": { value: "" } }), give);
    assert.deepEqual(await findings({ "coder-oidc:pingfederate": {} }), give);
    assert.deepEqual(await findings(stack("{adminUrl:")), unchecked("the stack's coder-oidc:pingfederate config is not JSON"));
  });

  it("a config without an admin URL (null, a string, a blank or a non-string adminUrl): a ? that names the field", async () => {
    const missing = unchecked("the stack's coder-oidc:pingfederate.adminUrl is missing: verify reads the PingFederate client through the admin API it names");
    for (const written of ["null", '"https://pf.example.com"', "5", { token: sim.token }, { adminUrl: "   ", token: sim.token }, { adminUrl: 443, token: sim.token }]) {
      assert.deepEqual(await findings(stack(written)), missing, JSON.stringify(written));
    }
    assert.deepEqual(sim.requests, []);
  });

  it("an admin URL with blanks around it is read without them", async () => {
    assert.deepEqual(rows(await findings(stack({ adminUrl: ` ${sim.url}/ `, token: sim.token }))), ALL_OK);
    assert.deepEqual(gets(), ["GET /oauth/clients/coder bearer"]);
  });

  it("over HTTPS: the CA named relative to the project is used; without it the certificate is refused; insecureSkipTlsVerify skips it", async () => {
    assert.equal(fs.readFileSync(path.join(projectDir, "ca.pem"), "utf8"), sim.caPem);
    assert.deepEqual(rows(await findings(stack({ adminUrl: sim.httpsUrl, token: sim.token, caCertificate: "ca.pem" }))), ALL_OK);
    assert.deepEqual(rows(await findings(stack({ adminUrl: sim.httpsUrl, token: sim.token, insecureSkipTlsVerify: true }))), ALL_OK);
    const refused = await findings(stack({ adminUrl: sim.httpsUrl, token: sim.token }));
    assert.equal(refused.length, 1);
    assert.equal(refused[0].status, "unchecked");
    assert.match(refused[0].message, /^PingFederate admin API GET \/oauth\/clients\/coder failed: .*certificate/i);
    assert.deepEqual(await findings(stack({ adminUrl: sim.httpsUrl, token: sim.token, caCertificate: "none.pem" })), unchecked(
      "Invalid stack configuration:\n  - coder-oidc:pingfederate.caCertificate: is neither PEM text nor a readable file: " +
      `"none.pem" (relative to the project root, ${projectDir}) (ENOENT)`));
  });

  it("an admin API that refuses the credentials: a ? that names its answer", async () => {
    const [refused, ...more] = await findings(stack({ adminUrl: sim.url, token: "not-the-token" }));
    assert.deepEqual(more, []);
    assert.equal(refused.check, "pingfederate.client");
    assert.equal(refused.status, "unchecked");
    assert.match(refused.message, /^PingFederate admin API GET \/oauth\/clients\/coder failed with HTTP 401/);
  });

  it("a failing admin API is tried twice, not more", async () => {
    sim.inject({ method: "GET", path: "/oauth/clients/coder", status: 503, times: 2 });
    const [failed, ...more] = await findings(stack({ adminUrl: sim.url, token: sim.token }));
    assert.deepEqual(more, []);
    assert.equal(failed.status, "unchecked");
    assert.match(failed.message, /^PingFederate admin API GET \/oauth\/clients\/coder failed with HTTP 503.* 2 attempts/);
    assert.equal(sim.count("GET", "/oauth/clients/coder"), 2);
  });

  it("a retry the server asks for later than 15 s from now is not waited for", async () => {
    sim.inject({ method: "GET", path: "/oauth/clients/coder", status: 503, retryAfter: "20" });
    const started = Date.now();
    const [failed] = await findings(stack({ adminUrl: sim.url, token: sim.token }));
    assert.ok(Date.now() - started < 10_000);
    assert.match(failed.message, /the next retry, in 20 s, would pass the 15 s retry budget/);
    assert.equal(sim.count("GET", "/oauth/clients/coder"), 1);
  });

  it("the connection to the admin API is closed when the check is done", async () => {
    const sockets = () => process.getActiveResourcesInfo().filter((r) => r === "TCPSocketWrap").length;
    const settle = () => new Promise((done) => setTimeout(done, 100));
    await settle();
    const before = sockets();
    await findings(stack({ adminUrl: sim.url, token: sim.token }));
    await settle();
    assert.equal(sockets(), before);
  });

  it("the password, the token and the admin URL's credentials are handed to the masker", async () => {
    const masker = new Masker();
    const url = sim.url.replace("http://", "http://pfadmin:url-secret-4711@");
    await findings(stack({ adminUrl: url, username: sim.username, password: sim.password }), { masker });
    const token = "token-secret-0815";
    await findings(stack({ adminUrl: sim.url, token }), { masker });
    const text = `${sim.password} ${token} url-secret-4711`;
    assert.equal(masker.mask(text).includes(sim.password) || masker.mask(text).includes(token) || masker.mask(text).includes("url-secret-4711"), false,
      masker.mask(text));
  });
});
