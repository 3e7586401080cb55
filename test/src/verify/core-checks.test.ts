import { coderRow } from "../../support/idps";
import { idpOf } from "../../../idps/registry";
/**
 * `verify`'s checks (src/verify/core.ts) word for word, against answers from servers on 127.0.0.1: each finding
 * of the Coder settings per IdP, of the discovery document, of Coder's running config, of the Keycloak and the
 * PingFederate client, and the exit code and manual steps they add up to.
 */
import assert from "node:assert/strict";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { checkCoderDeployment, checkCoderSettings, checkDiscovery, type Finding, MAX_ANSWER_BYTES, manualChecks, verifyExitCode } from "../../../src/verify/core";
import { checkKeycloakClient } from "../../../idps/keycloak/verify";
import { checkPingFederateClient } from "../../../idps/pingfederate/verify";

const GOOD = {
  CODER_OIDC_ISSUER_URL: "https://sso.example.com", CODER_OIDC_CLIENT_ID: "coder", CODER_OIDC_CLIENT_SECRET: "s",
  CODER_OIDC_SCOPES: "openid,profile,email,offline_access", CODER_OIDC_AUTH_URL_PARAMS: '{"access_type":"offline"}',
};
const f = (check: string, status: Finding["status"], message: string): Finding => ({ check, status, message });

describe("checkCoderSettings", () => {
  it("names each missing variable, and what Coder cannot do without it", () => {
    assert.deepEqual(checkCoderSettings(coderRow("okta"), { ...GOOD, CODER_OIDC_ISSUER_URL: undefined, CODER_OIDC_CLIENT_ID: "", CODER_OIDC_CLIENT_SECRET: undefined }), [
      f("settings.CODER_OIDC_ISSUER_URL", "problem", "CODER_OIDC_ISSUER_URL is not set: Coder cannot log in with Okta without it"),
      f("settings.CODER_OIDC_CLIENT_ID", "problem", "CODER_OIDC_CLIENT_ID is not set: Coder cannot log in with Okta without it"),
      f("settings.CODER_OIDC_CLIENT_SECRET", "problem", "CODER_OIDC_CLIENT_SECRET is not set: Coder cannot log in with Okta without it"),
      f("settings.scopes", "ok", "CODER_OIDC_SCOPES=openid,profile,email,offline_access"),
      f("settings.authUrlParams", "ok", 'CODER_OIDC_AUTH_URL_PARAMS={"access_type":"offline"}'),
    ]);
  });

  it("names the scopes missing, and why offline_access matters", () => {
    assert.deepEqual(checkCoderSettings(coderRow("keycloak"), { ...GOOD, CODER_OIDC_SCOPES: "openid" })[0], f("settings.scopes", "problem",
      "CODER_OIDC_SCOPES lacks profile, email, offline_access: set it to openid,profile,email,offline_access (without offline_access Keycloak " +
      "issues no refresh token that outlives the session; once fixed, coder-oidc sessions names the users to sign in again)"));
    assert.deepEqual(checkCoderSettings(coderRow("auth0"), { ...GOOD, CODER_OIDC_SCOPES: "openid,offline_access,email" })[0], f("settings.scopes", "problem",
      "CODER_OIDC_SCOPES lacks profile: set it to openid,profile,email,offline_access"));
    assert.deepEqual(checkCoderSettings(coderRow("keycloak"), { ...GOOD, CODER_OIDC_SCOPES: undefined })[0].message,
      "CODER_OIDC_SCOPES lacks offline_access: set it to openid,profile,email,offline_access (without offline_access Keycloak issues no refresh token that outlives the session; once fixed, coder-oidc sessions names the users to sign in again)");
  });

  it("refuses offline_access where the IdP rejects it, and scopes that do not parse", () => {
    assert.deepEqual(checkCoderSettings(coderRow("google"), { ...GOOD, CODER_OIDC_AUTH_URL_PARAMS: '{"access_type":"offline","prompt":"consent"}' }), [
      f("settings.scopes", "problem", "CODER_OIDC_SCOPES has offline_access, which Google rejects (invalid_scope): remove it"),
      f("settings.authUrlParams", "ok", 'CODER_OIDC_AUTH_URL_PARAMS={"access_type":"offline","prompt":"consent"}'),
    ]);
    const broken = checkCoderSettings(coderRow("okta"), { ...GOOD, CODER_OIDC_SCOPES: '"openid' });
    assert.equal(broken.length, 1);
    assert.equal(broken[0].check, "settings.scopes");
    assert.match(broken[0].message, /: set it to openid,profile,email,offline_access$/);
  });

  it("a scopes problem is the only scopes finding, whatever else is missing", () => {
    assert.deepEqual(checkCoderSettings(coderRow("okta"), { ...GOOD, CODER_OIDC_CLIENT_ID: undefined, CODER_OIDC_SCOPES: "openid,profile,email" })
      .map((x) => `${x.check} ${x.status}`), ["settings.CODER_OIDC_CLIENT_ID problem", "settings.scopes problem", "settings.authUrlParams ok"]);
  });

  it("checks the auth URL params: the IdP's own, a default when unset, and a value that is not a map", () => {
    assert.deepEqual(checkCoderSettings(coderRow("google"), { ...GOOD, CODER_OIDC_SCOPES: "openid,profile,email" }).at(-1), f("settings.authUrlParams", "problem",
      'CODER_OIDC_AUTH_URL_PARAMS lacks prompt=consent: Google needs {"access_type":"offline","prompt":"consent"}'));
    assert.deepEqual(checkCoderSettings(coderRow("google"), { ...GOOD, CODER_OIDC_SCOPES: "openid,profile,email", CODER_OIDC_AUTH_URL_PARAMS: "{}" }).at(-1), f("settings.authUrlParams",
      "problem", 'CODER_OIDC_AUTH_URL_PARAMS lacks access_type=offline, prompt=consent: Google needs {"access_type":"offline","prompt":"consent"}'));
    assert.deepEqual(checkCoderSettings(coderRow("okta"), { ...GOOD, CODER_OIDC_AUTH_URL_PARAMS: undefined }).at(-1), f("settings.authUrlParams", "ok",
      'CODER_OIDC_AUTH_URL_PARAMS={"access_type":"offline"}'));
    assert.deepEqual(checkCoderSettings(coderRow("okta"), { ...GOOD, CODER_OIDC_AUTH_URL_PARAMS: "[1]" }).at(-1), f("settings.authUrlParams", "problem",
      'CODER_OIDC_AUTH_URL_PARAMS is not a map of strings: set it to {"access_type":"offline"}'));
  });
});

describe("checks over HTTP", () => {
  let server: http.Server;
  let base: string;
  const answers = new Map<string, { status: number; body: unknown; type?: string }>();
  const seen: { url: string; headers: http.IncomingHttpHeaders }[] = [];
  before(async () => {
    server = http.createServer((req, res) => {
      seen.push({ url: req.url ?? "", headers: req.headers });
      const answer = answers.get((req.url ?? "").split("?")[0]) ?? { status: 404, body: { message: "none" } };
      res.writeHead(answer.status, { "content-type": answer.type ?? "application/json" });
      res.end(typeof answer.body === "string" ? answer.body : JSON.stringify(answer.body));
    });
    await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((done) => server.close(() => done())));

  describe("checkDiscovery", () => {
    const discovery = (path: string, body: unknown, status = 200, type?: string) => answers.set(`${path}/.well-known/openid-configuration`, { status, body, type });

    it("passes a document that matches, and reads it where Coder does, trailing slashes trimmed", async () => {
      discovery("/good", { issuer: `${base}/good/`, grant_types_supported: ["authorization_code", "refresh_token"], scopes_supported: ["openid", "offline_access"],
        id_token_signing_alg_values_supported: ["HS256", "ES256", "RS256"] });
      assert.deepEqual(await checkDiscovery(coderRow("okta"), `${base}/good/`), [
        f("discovery.issuer", "ok", "the discovery document's issuer is CODER_OIDC_ISSUER_URL, character for character"),
        f("discovery.grantTypes", "ok", "the IdP supports the refresh_token grant"),
        f("discovery.scopes", "ok", "the IdP supports the offline_access scope"),
        f("discovery.signing", "ok", "ID tokens are signed with an algorithm Coder verifies (ES256, RS256)"),
      ]);
      assert.equal(seen.at(-1)!.url, "/good/.well-known/openid-configuration");
    });

    it("names each difference and what to change", async () => {
      discovery("/bad", { issuer: `${base}/bad/`, grant_types_supported: ["authorization_code", "implicit"], scopes_supported: ["openid"],
        id_token_signing_alg_values_supported: ["HS256"] });
      assert.deepEqual(await checkDiscovery(coderRow("keycloak"), `${base}/bad`), [
        f("discovery.issuer", "problem", `the discovery document says issuer "${base}/bad/" but CODER_OIDC_ISSUER_URL is "${base}/bad": Coder refuses ` +
          `any difference, trailing slash included; set CODER_OIDC_ISSUER_URL to "${base}/bad/"`),
        f("discovery.grantTypes", "problem", "the IdP's grant_types_supported (authorization_code, implicit) lacks refresh_token: enable refresh tokens at " +
          "Keycloak, or Coder signs users out when the access token expires"),
        f("discovery.scopes", "problem", "the IdP's scopes_supported lacks offline_access: define the scope at Keycloak (and let Coder's client use it)"),
        f("discovery.signing", "problem", "the IdP signs ID tokens with HS256; Coder verifies only RS256, RS384, RS512, ES256, ES384, ES512, PS256, PS384, " +
          "PS512, EdDSA: configure an RSA or EC signing key"),
      ]);
    });

    it("says what it could not tell from a document that lists little; asks Google nothing of offline_access", async () => {
      discovery("/bare", { issuer: `${base}/bare` });
      assert.deepEqual(await checkDiscovery(coderRow("okta"), `${base}/bare`), [
        f("discovery.issuer", "ok", "the discovery document's issuer is CODER_OIDC_ISSUER_URL, character for character"),
        f("discovery.grantTypes", "unchecked", "the discovery document lists no grant_types_supported: check at the IdP that the refresh_token grant is enabled"),
        f("discovery.scopes", "unchecked", "the discovery document lists no scopes_supported: check at the IdP that offline_access exists"),
        f("discovery.signing", "problem", "the IdP signs ID tokens with nothing it names; Coder verifies only RS256, RS384, RS512, ES256, ES384, ES512, " +
          "PS256, PS384, PS512, EdDSA: configure an RSA or EC signing key"),
      ]);
      assert.deepEqual((await checkDiscovery(coderRow("google"), `${base}/bare`)).map((x) => x.check), ["discovery.issuer", "discovery.grantTypes", "discovery.signing"]);
    });

    it("an answer that is not a document, or none", async () => {
      assert.deepEqual(await checkDiscovery(coderRow("okta"), `${base}/missing`),
        [f("discovery", "unchecked", `GET ${base}/missing/.well-known/openid-configuration answered HTTP 404: is CODER_OIDC_ISSUER_URL right?`)]);
      discovery("/html", "<html>login</html>", 200, "text/html");
      assert.deepEqual(await checkDiscovery(coderRow("okta"), `${base}/html`),
        [f("discovery", "problem", `GET ${base}/html/.well-known/openid-configuration did not answer a JSON discovery document`)]);
      const [down] = await checkDiscovery(coderRow("okta"), "http://127.0.0.1:9");
      assert.equal(down.status, "unchecked");
      assert.match(down.message, /^GET http:\/\/127\.0\.0\.1:9\/\.well-known\/openid-configuration failed: .*ECONNREFUSED.* \(TLS is verified, as Coder verifies it\)$/);
    });
    it("reads the document of an issuer written with several trailing slashes where Coder does", async () => {
      discovery("/slashes", { issuer: `${base}/slashes//` });
      assert.equal((await checkDiscovery(coderRow("okta"), `${base}/slashes//`))[0].status, "ok");
      assert.equal(seen.at(-1)!.url, "/slashes/.well-known/openid-configuration");
    });

    it("names every algorithm it cannot use", async () => {
      discovery("/algs", { issuer: `${base}/algs`, id_token_signing_alg_values_supported: ["HS256", "none"] });
      assert.match((await checkDiscovery(coderRow("okta"), `${base}/algs`)).at(-1)!.message, /^the IdP signs ID tokens with HS256, none; /);
    });

    it("a JSON null is no document", async () => {
      discovery("/null", "null");
      assert.deepEqual(await checkDiscovery(coderRow("okta"), `${base}/null`),
        [f("discovery", "problem", `GET ${base}/null/.well-known/openid-configuration did not answer a JSON discovery document`)]);
    });

    it("an answer over the bound is not read, and said to be so", async () => {
      discovery("/huge", { issuer: `${base}/huge`, padding: "x".repeat(MAX_ANSWER_BYTES) });
      assert.deepEqual(await checkDiscovery(coderRow("okta"), `${base}/huge`), [f("discovery", "unchecked",
        `GET ${base}/huge/.well-known/openid-configuration failed: the answer is larger than 1048576 bytes, far more than the few ` +
        "kilobytes expected: not read (is the URL right?) (TLS is verified, as Coder verifies it)")]);
    });

    it("a server that does not answer is a discovery check left undone", async () => {
      const [down] = await checkDiscovery(coderRow("okta"), "http://127.0.0.1:9");
      assert.equal(down.check, "discovery");
    });
  });

  describe("checkCoderDeployment", () => {
    const config = (oidc: Record<string, unknown>) => answers.set("/coder/api/v2/deployment/config", { status: 200, body: { config: { oidc } } });

    it("compares what Coder runs with what the stack outputs, with the owner's token", async () => {
      config({ issuer_url: GOOD.CODER_OIDC_ISSUER_URL, client_id: "coder", scopes: ["openid", "profile", "email", "offline_access"], auth_url_params: { access_type: "offline" } });
      assert.deepEqual(await checkCoderDeployment(`${base}/coder/`, "owner-token", GOOD), [
        f("coder.issuer", "ok", "Coder runs with CODER_OIDC_ISSUER_URL as the stack outputs it"),
        f("coder.clientId", "ok", "Coder runs with CODER_OIDC_CLIENT_ID as the stack outputs it"),
        f("coder.scopes", "ok", "Coder runs with CODER_OIDC_SCOPES as the stack outputs it"),
        f("coder.authUrlParams", "ok", "Coder runs with CODER_OIDC_AUTH_URL_PARAMS as the stack outputs it"),
      ]);
      assert.equal(seen.at(-1)!.headers["coder-session-token"], "owner-token");
      config({ issuer_url: "https://old.example.com", client_id: "coder", scopes: ["openid"] });
      assert.deepEqual((await checkCoderDeployment(`${base}/coder`, "t", GOOD)).filter((x) => x.status !== "ok"), [
        f("coder.issuer", "problem", 'Coder runs with CODER_OIDC_ISSUER_URL="https://old.example.com" but the stack outputs "https://sso.example.com": ' +
          "give Coder the stack's value and restart it"),
        f("coder.scopes", "problem", 'Coder runs with CODER_OIDC_SCOPES=["openid"] but the stack outputs ["openid","profile","email","offline_access"]: ' +
          "give Coder the stack's value and restart it"),
        f("coder.authUrlParams", "problem", 'Coder runs with CODER_OIDC_AUTH_URL_PARAMS={} but the stack outputs {"access_type":"offline"}: give Coder ' +
          "the stack's value and restart it"),
      ]);
    });

    it("says it could not check without an owner, without a config, or without an answer", async () => {
      answers.set("/denied/api/v2/deployment/config", { status: 403, body: { message: "Forbidden." } });
      assert.deepEqual(await checkCoderDeployment(`${base}/denied`, "t", GOOD), [f("coder", "unchecked",
        `GET ${base}/denied/api/v2/deployment/config answered HTTP 403 (Forbidden.): give an owner's token (--coder-token or CODER_SESSION_TOKEN)`)]);
      answers.set("/empty/api/v2/deployment/config", { status: 200, body: { config: {} } });
      assert.deepEqual(await checkCoderDeployment(`${base}/empty`, "t", GOOD), [f("coder", "unchecked",
        `GET ${base}/empty/api/v2/deployment/config answered HTTP 200 without a deployment config`)]);
      assert.deepEqual(await checkCoderDeployment(`${base}/none`, "t", GOOD), [f("coder", "unchecked",
        `GET ${base}/none/api/v2/deployment/config answered HTTP 404 without a deployment config`)]);
      const [down] = await checkCoderDeployment("http://127.0.0.1:9", "t", GOOD);
      assert.match(down.message, /^GET http:\/\/127\.0\.0\.1:9\/api\/v2\/deployment\/config failed: /);
    });
  });

  describe("checkCoderDeployment at its edges", () => {
    const deployment = (path: string, status: number, body: unknown) => answers.set(`${path}/api/v2/deployment/config`, { status, body });

    it("a stack that leaves scopes and auth URL params unset wants Coder's defaults", async () => {
      deployment("/defaults", 200, { config: { oidc: { issuer_url: GOOD.CODER_OIDC_ISSUER_URL, client_id: "coder",
        scopes: ["openid", "profile", "email"], auth_url_params: { access_type: "offline" } } } });
      const settings = { ...GOOD, CODER_OIDC_SCOPES: undefined, CODER_OIDC_AUTH_URL_PARAMS: undefined };
      assert.deepEqual((await checkCoderDeployment(`${base}/defaults//`, "t", settings)).map((x) => `${x.check} ${x.status}`),
        ["coder.issuer ok", "coder.clientId ok", "coder.scopes ok", "coder.authUrlParams ok"]);
      assert.equal(seen.at(-1)!.url, "/defaults/api/v2/deployment/config");
    });

    it("a 401 asks for an owner's token, with Coder's message when it gives one", async () => {
      deployment("/unauthorized", 401, null);
      assert.deepEqual(await checkCoderDeployment(`${base}/unauthorized`, "t", GOOD), [f("coder", "unchecked",
        `GET ${base}/unauthorized/api/v2/deployment/config answered HTTP 401: give an owner's token (--coder-token or CODER_SESSION_TOKEN)`)]);
      deployment("/expired", 401, { message: "You must be logged in." });
      assert.match((await checkCoderDeployment(`${base}/expired`, "t", GOOD))[0].message, /answered HTTP 401 \(You must be logged in\.\): /);
    });

    it("only a 200 with a config is read; anything else says what came", async () => {
      const oidc = { issuer_url: GOOD.CODER_OIDC_ISSUER_URL, client_id: "coder" };
      for (const [path, status, body] of [["/error", 500, { config: { oidc } }], ["/bare", 200, {}], ["/nothing", 200, null]] as const) {
        deployment(path, status, body);
        assert.deepEqual(await checkCoderDeployment(`${base}${path}`, "t", GOOD), [f("coder", "unchecked",
          `GET ${base}${path}/api/v2/deployment/config answered HTTP ${status} without a deployment config`)], path);
      }
    });

    it("an answer over the bound, or none, is a Coder check left undone", async () => {
      deployment("/huge", 200, { config: { oidc: {} }, padding: "x".repeat(MAX_ANSWER_BYTES) });
      assert.deepEqual(await checkCoderDeployment(`${base}/huge`, "t", GOOD), [f("coder", "unchecked",
        `GET ${base}/huge/api/v2/deployment/config failed: the answer is larger than 1048576 bytes, far more than the few kilobytes ` +
        "expected: not read (is the URL right?)")]);
      assert.equal((await checkCoderDeployment("http://127.0.0.1:9", "t", GOOD))[0].check, "coder");
    });
  });

  describe("checkKeycloakClient", () => {
    const admin = () => ({ url: `${base}/kc/`, accessToken: "admin-token" });
    const client = (realm: string, body: unknown, status = 200) => answers.set(`/kc/admin/realms/${realm}/clients`, { status, body });
    const scopes = (realm: string, id: string, optional: string[], defaults: string[]) => {
      answers.set(`/kc/admin/realms/${realm}/clients/${id}/optional-client-scopes`, { status: 200, body: optional.map((name) => ({ name })) });
      answers.set(`/kc/admin/realms/${realm}/clients/${id}/default-client-scopes`, { status: 200, body: defaults.map((name) => ({ name })) });
    };

    it("passes a client set up for refresh tokens, asking with the admin token for that client", async () => {
      client("main", [{ id: "uuid-1", publicClient: false, standardFlowEnabled: true, attributes: {}, redirectUris: ["https://coder.example.com/api/v2/users/oidc/callback"] }]);
      scopes("main", "uuid-1", ["offline_access"], ["profile"]);
      assert.deepEqual(await checkKeycloakClient(admin(), "https://sso.example.com/realms/main/", "coder", "https://coder.example.com/"), [
        f("keycloak.client.confidential", "ok", "the client is confidential"),
        f("keycloak.client.standardFlow", "ok", "the standard flow is on"),
        f("keycloak.client.refreshTokens", "ok", "refresh tokens are on"),
        f("keycloak.client.redirectUri", "ok", "Coder's callback https://coder.example.com/api/v2/users/oidc/callback is a valid redirect URI"),
        f("keycloak.client.offlineAccess", "ok", "offline_access is one of the client's scopes"),
      ]);
      const asked = seen.find((s) => s.url.startsWith("/kc/admin/realms/main/clients?"))!;
      assert.equal(asked.url, "/kc/admin/realms/main/clients?clientId=coder");
      assert.equal(asked.headers.authorization, "Bearer admin-token");
    });

    it("names each setting to change", async () => {
      client("bad", [{ id: "uuid-2", publicClient: true, standardFlowEnabled: false, attributes: { "use.refresh.tokens": "false" }, redirectUris: [] }]);
      scopes("bad", "uuid-2", [], ["profile"]);
      assert.deepEqual(await checkKeycloakClient(admin(), "https://sso.example.com/realms/bad", "coder", "https://coder.example.com"), [
        f("keycloak.client.confidential", "problem", "Keycloak client coder: make it confidential (Client authentication on)"),
        f("keycloak.client.standardFlow", "problem", "Keycloak client coder: turn the standard flow on: Coder logs in with the authorization code flow"),
        f("keycloak.client.refreshTokens", "problem", 'Keycloak client coder: turn "Use refresh tokens" on'),
        f("keycloak.client.redirectUri", "problem", "Keycloak client coder: add https://coder.example.com/api/v2/users/oidc/callback to its valid redirect URIs"),
        f("keycloak.client.offlineAccess", "problem", "Keycloak client coder: add offline_access to its client scopes (optional), or Keycloak issues no offline token"),
      ]);
      client("plain", [{ id: "uuid-3", publicClient: false, standardFlowEnabled: true }]);
      scopes("plain", "uuid-3", [], ["offline_access"]);
      assert.deepEqual((await checkKeycloakClient(admin(), "https://sso.example.com/realms/plain", "coder", undefined)).map((x) => [x.check, x.status]), [
        ["keycloak.client.confidential", "ok"], ["keycloak.client.standardFlow", "ok"], ["keycloak.client.refreshTokens", "ok"], ["keycloak.client.offlineAccess", "ok"],
      ]);
    });

    it("a client that is not there, an admin API that refuses, an issuer without a realm", async () => {
      client("empty", []);
      assert.deepEqual(await checkKeycloakClient(admin(), "https://sso.example.com/realms/empty", "coder", undefined),
        [f("keycloak.client", "problem", "realm empty has no client coder: run pulumi up")]);
      client("locked", { error: "forbidden" }, 403);
      assert.deepEqual(await checkKeycloakClient(admin(), "https://sso.example.com/realms/locked", "coder", undefined),
        [f("keycloak.client", "unchecked", `GET ${base}/kc/admin/realms/locked/clients answered HTTP 403: check the admin credentials`)]);
      assert.deepEqual(await checkKeycloakClient(admin(), "https://sso.example.com/auth", "coder", undefined),
        [f("keycloak.client", "unchecked", "CODER_OIDC_ISSUER_URL https://sso.example.com/auth names no realm (…/realms/<realm>)")]);
    });
  });
});

describe("checkPingFederateClient", () => {
  const callback = "https://coder.example.com/api/v2/users/oidc/callback";
  it("names what the client lacks, and only what applies", () => {
    assert.deepEqual(checkPingFederateClient("coder", undefined, undefined), [f("pingfederate.client", "problem", "PingFederate has no OAuth client coder: run pulumi up")]);
    assert.deepEqual(checkPingFederateClient("coder", { clientAuth: { type: "NONE" } }, "https://coder.example.com/"), [
      f("pingfederate.client.grants", "problem", "PingFederate client coder: allow the AUTHORIZATION_CODE and REFRESH_TOKEN grant (it has none)"),
      f("pingfederate.client.authentication", "problem", "PingFederate client coder: give it client authentication (a secret): Coder sends CODER_OIDC_CLIENT_SECRET"),
      f("pingfederate.client.redirectUri", "problem", `PingFederate client coder: add ${callback} to its redirect URIs`),
    ]);
    assert.deepEqual(checkPingFederateClient("coder", { grantTypes: ["AUTHORIZATION_CODE", "REFRESH_TOKEN"], restrictScopes: true, restrictedScopes: ["openid", "offline_access"],
      redirectUris: [callback] }, "https://coder.example.com"), [
      f("pingfederate.client.grants", "ok", "the authorization code and refresh token grants are allowed"),
      f("pingfederate.client.offlineAccess", "ok", "offline_access is among the client's restricted scopes"),
      f("pingfederate.client.authentication", "problem", "PingFederate client coder: give it client authentication (a secret): Coder sends CODER_OIDC_CLIENT_SECRET"),
      f("pingfederate.client.redirectUri", "ok", `Coder's callback ${callback} is a redirect URI`),
    ]);
    assert.deepEqual(checkPingFederateClient("coder", { grantTypes: ["REFRESH_TOKEN"], restrictScopes: true, clientAuth: { type: "SECRET" } }, undefined), [
      f("pingfederate.client.grants", "problem", "PingFederate client coder: allow the AUTHORIZATION_CODE grant (it has REFRESH_TOKEN)"),
      f("pingfederate.client.offlineAccess", "problem", "PingFederate client coder: add offline_access to its restricted scopes"),
      f("pingfederate.client.authentication", "ok", "the client authenticates (SECRET)"),
    ]);
  });
});

describe("what the findings add up to", () => {
  it("exit 1 for any problem, else 2 for anything unchecked, else 0", () => {
    assert.equal(verifyExitCode([]), 0);
    assert.equal(verifyExitCode([f("a", "ok", ""), f("b", "unchecked", "")]), 2);
    assert.equal(verifyExitCode([f("a", "unchecked", ""), f("b", "problem", ""), f("c", "ok", "")]), 1);
    assert.equal(verifyExitCode([f("a", "ok", ""), f("b", "ok", "")]), 0);
  });

  it("the manual steps, with each IdP's own", () => {
    const common = manualChecks(idpOf("okta").verify.manual);
    assert.deepEqual(common, [
      "After enabling refresh tokens, every user must log out of Coder and log in once: Coder keeps the IdP's tokens from the last " +
        "login. `coder-oidc sessions` names who has none yet; --sign-out ends their sessions.",
      "Stay signed in past the IdP's access-token lifetime once, and watch Coder's log for \"Could not refresh expired OpenID Connect " +
        "token\" (npx coder-oidc doctor --coder-log <file> names the cause).",
    ]);
    assert.deepEqual(manualChecks(idpOf("keycloak").verify.manual), common);
    // verify reads Entra's admin consent over Graph: nothing left to check by hand there.
    assert.deepEqual(manualChecks(idpOf("entra-id").verify.manual), common);
    assert.deepEqual(manualChecks(idpOf("auth0").verify.manual), common);
    assert.deepEqual(manualChecks(idpOf("google").verify.manual), [...common, 'Google: check that the OAuth client is a "Web application" whose only redirect URI is Coder\'s callback, and that the consent screen asks for no scopes beyond openid, email and profile.']);
    assert.deepEqual(manualChecks(idpOf("pingfederate").verify.manual), [...common, "PingFederate: check that the access token manager's lifetime is shorter than the client's refresh idle timeout."]);
  });
});
