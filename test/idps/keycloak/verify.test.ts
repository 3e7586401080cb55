/**
 * `verify` at Keycloak (idps/keycloak/verify.ts), against a small Keycloak on 127.0.0.1 that answers the calls verify
 * makes as Keycloak 26 does (the token endpoint, and the admin REST API's client list and client scopes, with their
 * field names, shapes and refusals): a right client passes; each refresh-token mistake, one at a time, is a ✖ that
 * says what to change; fields Keycloak may leave out read as their defaults; the admin login uses the stack's
 * `keycloak:*` config before KEYCLOAK_*, at the realm and as the client they name (master and admin-cli by default);
 * a refused login, a token endpoint without a token and an admin API that refuses or does not answer are each a ?
 * that says which; and every credential read, and the token, are handed to the masker.
 */
import assert from "node:assert/strict";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, beforeEach, describe, it } from "node:test";
import axios from "axios";
import { checkKeycloakClient, keycloakFindings } from "../../../idps/keycloak/verify";
import { Masker } from "../../../src/safe-text";
import type { CoderSettings, Finding } from "../../../src/verify/core";
import { withEnvOnly } from "../../support/env";

const VARIABLES = ["KEYCLOAK_URL", "KEYCLOAK_REALM", "KEYCLOAK_CLIENT_ID", "KEYCLOAK_CLIENT_SECRET", "KEYCLOAK_USER", "KEYCLOAK_PASSWORD"];

/** Runs `run` with exactly `env` among the variables these checks read, then puts them back. */
const withEnv = <T>(env: Record<string, string>, run: () => Promise<T>) => withEnvOnly(VARIABLES, env, run);

const CODER_URL = "https://coder.example.com";
const CALLBACK = "https://coder.example.com/api/v2/users/oidc/callback";
const ISSUER = "https://sso.example.com/realms/coder";
const CODER_CLIENT_UUID = "5a1b0c3e-8f0d-4c1e-9b7a-2d6c1f0e4a11";
const OFFLINE_SCOPE = { id: "b3e1c7a2-41d0-4e8f-a6c2-0f9d8e7c6b5a", name: "offline_access" };

/** A client as Keycloak 26's admin API returns it (ClientRepresentation), with Coder's right settings. */
function coderClient(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: CODER_CLIENT_UUID, clientId: "coder", name: "Coder", rootUrl: "", adminUrl: "", baseUrl: "", surrogateAuthRequired: false,
    enabled: true, alwaysDisplayInConsole: false, clientAuthenticatorType: "client-secret", redirectUris: [CALLBACK], webOrigins: [CODER_URL],
    notBefore: 0, bearerOnly: false, consentRequired: false, standardFlowEnabled: true, implicitFlowEnabled: false,
    directAccessGrantsEnabled: false, serviceAccountsEnabled: false, publicClient: false, frontchannelLogout: true, protocol: "openid-connect",
    attributes: { "use.refresh.tokens": "true", "client.offline.session.idle.timeout": "604800", "backchannel.logout.session.required": "true" },
    authenticationFlowBindingOverrides: {}, fullScopeAllowed: true, nodeReRegistrationTimeout: -1,
    defaultClientScopes: ["web-origins", "acr", "roles", "profile", "basic", "email"],
    optionalClientScopes: ["address", "phone", "offline_access", "organization", "microprofile-jwt"],
    access: { view: true, configure: true, manage: true },
    ...overrides,
  };
}

/** A client scope as the admin API lists it (ClientScopeRepresentation). */
const scope = (name: string) => ({ id: `00000000-0000-4000-8000-${name.padEnd(12, "0").slice(0, 12).replace(/[^0-9a-f]/g, "0")}`, name,
  description: `OpenID Connect scope ${name}`, protocol: "openid-connect", attributes: { "include.in.token.scope": "true", "display.on.consent.screen": "true" } });
const DEFAULT_SCOPES = ["web-origins", "acr", "roles", "profile", "basic", "email"].map(scope);
const OPTIONAL_SCOPES = [scope("address"), scope("phone"), { ...scope("offline_access"), id: OFFLINE_SCOPE.id }, scope("organization"), scope("microprofile-jwt")];

/** The realm's built-in clients, listed before Coder's, as Keycloak lists them. */
const BUILT_IN = ["account", "account-console", "admin-cli", "broker", "realm-management", "security-admin-console"]
  .map((clientId, i) => coderClient({ id: `0000000${i}-aaaa-4bbb-8ccc-000000000000`, clientId, name: `\${client_${clientId}}`, redirectUris: [],
    publicClient: clientId.endsWith("console") || clientId === "admin-cli", standardFlowEnabled: true, attributes: {} }));

interface Logged { method: string; path: string; query: string; authorization?: string; form?: Record<string, string> }

/** A Keycloak on 127.0.0.1: its token endpoint (master and ops realms) and the admin API of the realm "coder". */
interface FakeKeycloak {
  url: string;
  requests: Logged[];
  /** Coder's client as the admin API returns it; undefined: there is none. */
  client: Record<string, unknown> | undefined;
  defaultScopes: { name: string }[];
  optionalScopes: { name: string }[];
  /** What the token endpoint answers instead of a token, when set. */
  tokenAnswer?: { status: number; body: string };
  /** A status the scope lists answer instead, when set. */
  scopesStatus?: number;
  /** What the optional scope list answers instead (with 200), when set. */
  optionalScopesBody?: unknown;
  close(): Promise<void>;
}

const ADMIN_LOGINS: Record<string, { clientId: string; secret?: string; username?: string; password?: string }[]> = {
  master: [{ clientId: "admin-cli", username: "admin", password: "admin-pw-0815" }, { clientId: "admin-cli", secret: "master-secret-4711" }],
  ops: [{ clientId: "terraform", secret: "ops-secret-1234" }, { clientId: "tf-user", username: "ops-admin", password: "ops-pw-5678" }],
};
const ACCESS_TOKEN = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhZG1pbiJ9.c2lnbmF0dXJl";

async function startKeycloak(): Promise<FakeKeycloak> {
  const json = (res: http.ServerResponse, status: number, body: unknown) =>
    void res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
  const fake: FakeKeycloak = {
    url: "", requests: [], client: coderClient(), defaultScopes: DEFAULT_SCOPES, optionalScopes: OPTIONAL_SCOPES,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      const logged: Logged = { method: req.method ?? "", path: url.pathname, query: url.search };
      if (req.headers.authorization !== undefined) logged.authorization = req.headers.authorization;
      fake.requests.push(logged);
      const token = /^\/realms\/([^/]+)\/protocol\/openid-connect\/token$/.exec(url.pathname);
      if (token && req.method === "POST") {
        const form = Object.fromEntries(new URLSearchParams(body));
        logged.form = form;
        if (fake.tokenAnswer) return void res.writeHead(fake.tokenAnswer.status, { "content-type": "application/json" }).end(fake.tokenAnswer.body);
        const logins = ADMIN_LOGINS[token[1]];
        if (!logins) return json(res, 404, { error: "Realm does not exist", error_description: "Realm does not exist" });
        const match = logins.find((l) => l.clientId === form.client_id && (form.grant_type === "client_credentials"
          ? l.secret !== undefined && l.secret === form.client_secret
          : form.grant_type === "password" && l.username !== undefined && l.username === form.username && l.password === form.password));
        if (!match) {
          return form.grant_type === "password"
            ? json(res, 401, { error: "invalid_grant", error_description: "Invalid user credentials" })
            : json(res, 401, { error: "unauthorized_client", error_description: "Invalid client or Invalid client credentials" });
        }
        return json(res, 200, { access_token: ACCESS_TOKEN, expires_in: 60, refresh_expires_in: 0, token_type: "Bearer", "not-before-policy": 0, scope: "profile email" });
      }
      const admin = /^\/admin\/realms\/([^/]+)\/clients(?:\/([^/]+)\/(default|optional)-client-scopes)?$/.exec(url.pathname);
      if (!admin || req.method !== "GET") return json(res, 404, { error: "Unable to find matching target resource method" });
      if (req.headers.authorization !== `Bearer ${ACCESS_TOKEN}`) return json(res, 401, { error: "HTTP 401 Unauthorized" });
      if (admin[1] !== "coder") return json(res, 404, { error: "Realm not found." });
      const all = [...BUILT_IN, ...(fake.client ? [fake.client] : [])];
      if (admin[2] === undefined) {
        const clientId = url.searchParams.get("clientId");
        return json(res, 200, clientId === null ? all : all.filter((c) => c.clientId === clientId));
      }
      if (!all.some((c) => c.id === admin[2])) return json(res, 404, { error: "Could not find client" });
      if (fake.scopesStatus !== undefined) return json(res, fake.scopesStatus, { error: "HTTP 403 Forbidden" });
      if (fake.optionalScopesBody !== undefined && admin[3] === "optional") return json(res, 200, fake.optionalScopesBody);
      return json(res, 200, admin[2] === CODER_CLIENT_UUID ? (admin[3] === "default" ? fake.defaultScopes : fake.optionalScopes) : DEFAULT_SCOPES);
    });
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}

const rows = (findings: Finding[]) => findings.map((f) => [f.check, f.status, f.message]);
const ALL_OK = [
  ["keycloak.client.confidential", "ok", "the client is confidential"],
  ["keycloak.client.standardFlow", "ok", "the standard flow is on"],
  ["keycloak.client.refreshTokens", "ok", "refresh tokens are on"],
  ["keycloak.client.redirectUri", "ok", `Coder's callback ${CALLBACK} is a valid redirect URI`],
  ["keycloak.client.offlineAccess", "ok", "offline_access is one of the client's scopes"],
];

describe("the Keycloak client, read over the admin API with an admin token", () => {
  let kc: FakeKeycloak;
  before(async () => (kc = await startKeycloak()));
  after(() => kc.close());
  beforeEach(() => {
    kc.requests.length = 0;
    kc.client = coderClient();
    kc.defaultScopes = DEFAULT_SCOPES;
    kc.optionalScopes = OPTIONAL_SCOPES;
    kc.scopesStatus = undefined;
    kc.optionalScopesBody = undefined;
  });
  const check = (issuer = ISSUER, clientId = "coder", coderUrl: string | undefined = CODER_URL, accessToken = ACCESS_TOKEN, url = kc.url) =>
    checkKeycloakClient({ url, accessToken }, issuer, clientId, coderUrl, axios.create());
  const reads = () => kc.requests.map((r) => `${r.method} ${r.path}${r.query} ${r.authorization ?? "-"}`);

  it("a right client: every check passes; the client is found by its client id, its scopes by its id, with the token", async () => {
    assert.deepEqual(rows(await check()), ALL_OK);
    assert.deepEqual(reads(), [
      `GET /admin/realms/coder/clients?clientId=coder Bearer ${ACCESS_TOKEN}`,
      `GET /admin/realms/coder/clients/${CODER_CLIENT_UUID}/optional-client-scopes Bearer ${ACCESS_TOKEN}`,
      `GET /admin/realms/coder/clients/${CODER_CLIENT_UUID}/default-client-scopes Bearer ${ACCESS_TOKEN}`,
    ]);
  });

  it("the realm comes from the issuer (with or without its trailing slash); Keycloak's URL loses its trailing slashes", async () => {
    assert.deepEqual(rows(await check(`${ISSUER}/`, "coder", CODER_URL, ACCESS_TOKEN, `${kc.url}//`)), ALL_OK);
    assert.deepEqual(kc.requests.map((r) => r.path)[0], "/admin/realms/coder/clients");
  });

  it("an issuer that names no realm: a ? that says what it should look like, and nothing is read", async () => {
    for (const issuer of ["https://sso.example.com", "https://sso.example.com/realms/", `${ISSUER}/account`, `${ISSUER}/protocol/openid-connect`]) {
      assert.deepEqual(await check(issuer), [{ check: "keycloak.client", status: "unchecked",
        message: `CODER_OIDC_ISSUER_URL ${issuer} names no realm (…/realms/<realm>)` }], issuer);
    }
    assert.deepEqual(kc.requests, []);
  });

  it("no such client in the realm: a ✖ that says to deploy it", async () => {
    kc.client = undefined;
    assert.deepEqual(await check(), [{ check: "keycloak.client", status: "problem", message: "realm coder has no client coder: run pulumi up" }]);
    assert.deepEqual(await check(ISSUER, "other"), [{ check: "keycloak.client", status: "problem", message: "realm coder has no client other: run pulumi up" }]);
  });

  it("an admin API that refuses the token, or has no such realm: a ? with its answer", async () => {
    assert.deepEqual(await check(ISSUER, "coder", CODER_URL, "expired-token"), [{ check: "keycloak.client", status: "unchecked",
      message: `GET ${kc.url}/admin/realms/coder/clients answered HTTP 401: check the admin credentials` }]);
    assert.deepEqual(await check("https://sso.example.com/realms/gone"), [{ check: "keycloak.client", status: "unchecked",
      message: `GET ${kc.url}/admin/realms/gone/clients answered HTTP 404: check the admin credentials` }]);
  });

  it("a client with every mistake: a ✖ each, saying what to change", async () => {
    kc.client = coderClient({ publicClient: true, standardFlowEnabled: false, attributes: { "use.refresh.tokens": "false" }, redirectUris: ["https://coder.example.com/*"] });
    kc.optionalScopes = OPTIONAL_SCOPES.filter((s) => s.name !== "offline_access");
    assert.deepEqual(rows(await check()), [
      ["keycloak.client.confidential", "problem", "Keycloak client coder: make it confidential (Client authentication on)"],
      ["keycloak.client.standardFlow", "problem", "Keycloak client coder: turn the standard flow on: Coder logs in with the authorization code flow"],
      ["keycloak.client.refreshTokens", "problem", 'Keycloak client coder: turn "Use refresh tokens" on'],
      ["keycloak.client.redirectUri", "problem", `Keycloak client coder: add ${CALLBACK} to its valid redirect URIs`],
      ["keycloak.client.offlineAccess", "problem", "Keycloak client coder: add offline_access to its client scopes (optional), or Keycloak issues no offline token"],
    ]);
  });

  it("fields left out: not confidential, no standard flow, refresh tokens on (Keycloak's default), no redirect URI", async () => {
    kc.client = { id: CODER_CLIENT_UUID, clientId: "coder" };
    assert.deepEqual(rows(await check()).map(([c, s]) => `${c} ${s}`), [
      "keycloak.client.confidential problem", "keycloak.client.standardFlow problem", "keycloak.client.refreshTokens ok",
      "keycloak.client.redirectUri problem", "keycloak.client.offlineAccess ok",
    ]);
    kc.client = coderClient({ attributes: { "use.refresh.tokens": "" } });
    assert.deepEqual(rows(await check())[2], ["keycloak.client.refreshTokens", "ok", "refresh tokens are on"]);
  });

  it("offline_access counts as a default scope as well as an optional one", async () => {
    kc.optionalScopes = [];
    kc.defaultScopes = [...DEFAULT_SCOPES, OFFLINE_SCOPE];
    assert.deepEqual(rows(await check()).at(-1), ["keycloak.client.offlineAccess", "ok", "offline_access is one of the client's scopes"]);
    kc.defaultScopes = DEFAULT_SCOPES;
    assert.deepEqual(rows(await check()).at(-1)?.[1], "problem");
  });

  it("the callback is built from Coder's URL without its trailing slashes; without Coder's URL it is not checked", async () => {
    assert.deepEqual(rows(await check(ISSUER, "coder", `${CODER_URL}//`)), ALL_OK);
    assert.deepEqual(rows(await check(ISSUER, "coder", `${CODER_URL}/`)), ALL_OK);
    assert.deepEqual(rows(await check(ISSUER, "coder", "https://coder.example.com/coder")).at(3),
      ["keycloak.client.redirectUri", "problem", "Keycloak client coder: add https://coder.example.com/coder/api/v2/users/oidc/callback to its valid redirect URIs"]);
    assert.deepEqual(rows(await checkKeycloakClient({ url: kc.url, accessToken: ACCESS_TOKEN }, ISSUER, "coder", undefined, axios.create())),
      ALL_OK.filter(([c]) => c !== "keycloak.client.redirectUri"));
  });

  it("scope lists the token may not read, or that are no list: the offline_access check is a ? that says which and why", async () => {
    const scopesOf = (kind: string) => `GET ${kc.url}/admin/realms/coder/clients/${CODER_CLIENT_UUID}/${kind}-client-scopes`;
    kc.scopesStatus = 403;
    assert.deepEqual(rows(await check()), [...ALL_OK.slice(0, -1),
      ["keycloak.client.offlineAccess", "unchecked", `${scopesOf("optional")} answered HTTP 403: check that the admin credentials may view clients (the view-clients role)`]]);
    kc.scopesStatus = undefined;
    for (const body of [{ scopes: [] }, "offline_access", null]) {
      kc.optionalScopesBody = body;
      assert.deepEqual(rows(await check()).at(-1),
        ["keycloak.client.offlineAccess", "unchecked", `${scopesOf("optional")} answered no list of scopes: check that the admin credentials may view clients (the view-clients role)`], JSON.stringify(body));
    }
  });

  it("scope entries without a name are no scope; offline_access among them still counts", async () => {
    kc.defaultScopes = [];
    kc.optionalScopesBody = [null, { id: "9f1c" }, { name: 7 }, { name: "offline_access" }];
    assert.deepEqual(rows(await check()).at(-1), ["keycloak.client.offlineAccess", "ok", "offline_access is one of the client's scopes"]);
    kc.optionalScopesBody = [null, { id: "9f1c", name: null }, { name: "profile" }];
    assert.deepEqual(rows(await check()).at(-1)?.[1], "problem");
  });
});

describe("verify logs in to Keycloak's admin API and checks Coder's client", () => {
  let kc: FakeKeycloak;
  const settings: CoderSettings = {
    CODER_OIDC_ISSUER_URL: ISSUER, CODER_OIDC_CLIENT_ID: "coder", CODER_OIDC_CLIENT_SECRET: "s",
    CODER_OIDC_SCOPES: "openid,profile,email,offline_access", CODER_OIDC_AUTH_URL_PARAMS: '{"access_type":"offline"}',
  };
  before(async () => (kc = await startKeycloak()));
  after(() => kc.close());
  beforeEach(() => {
    kc.requests.length = 0;
    kc.tokenAnswer = undefined;
    kc.scopesStatus = undefined;
  });
  const stack = (values: Record<string, string>) => Object.fromEntries(Object.entries(values).map(([k, value]) => [`keycloak:${k}`, { value }]));
  const findings = (env: Record<string, string>, config: Record<string, { value?: string }> = {}, options: { masker?: Masker; withSettings?: CoderSettings } = {}) =>
    withEnv(env, () => keycloakFindings({ settings: options.withSettings ?? settings, config, coderUrl: CODER_URL, now: Date.now(), projectDir: "/nonexistent", masker: options.masker }));
  const logins = () => kc.requests.filter((r) => r.form).map((r): Record<string, string> => ({ path: r.path, ...r.form }));
  const unchecked = (message: string) => [{ check: "keycloak.client", status: "unchecked", message }];
  const NO_CREDENTIALS = unchecked("no Keycloak admin credentials: set the stack's keycloak:* config, or KEYCLOAK_URL with KEYCLOAK_CLIENT_SECRET or KEYCLOAK_USER and KEYCLOAK_PASSWORD");

  it("KEYCLOAK_URL and KEYCLOAK_CLIENT_SECRET: logs in as admin-cli at master, and checks the client with the token", async () => {
    assert.deepEqual(rows(await findings({ KEYCLOAK_URL: kc.url, KEYCLOAK_CLIENT_SECRET: "master-secret-4711" })), ALL_OK);
    assert.deepEqual(logins(), [{ path: "/realms/master/protocol/openid-connect/token", grant_type: "client_credentials", client_id: "admin-cli", client_secret: "master-secret-4711" }]);
    assert.equal(kc.requests.filter((r) => r.authorization === `Bearer ${ACCESS_TOKEN}`).length, 3);
  });

  it("KEYCLOAK_USER and KEYCLOAK_PASSWORD, with a realm and client: logs in with the password grant there", async () => {
    const env = { KEYCLOAK_URL: `${kc.url}//`, KEYCLOAK_REALM: "ops", KEYCLOAK_CLIENT_ID: "tf-user", KEYCLOAK_USER: "ops-admin", KEYCLOAK_PASSWORD: "ops-pw-5678" };
    assert.deepEqual(rows(await findings(env)), ALL_OK);
    assert.deepEqual(logins(), [{ path: "/realms/ops/protocol/openid-connect/token", grant_type: "password", client_id: "tf-user", username: "ops-admin", password: "ops-pw-5678" }]);
  });

  it("the stack's keycloak:* config comes before the environment, each key of it", async () => {
    const env = { KEYCLOAK_URL: "http://127.0.0.1:9", KEYCLOAK_REALM: "master", KEYCLOAK_CLIENT_ID: "admin-cli", KEYCLOAK_USER: "admin", KEYCLOAK_PASSWORD: "admin-pw-0815" };
    const config = stack({ url: kc.url, realm: "ops", clientId: "tf-user", username: "ops-admin", password: "ops-pw-5678" });
    assert.deepEqual(rows(await findings(env, config)), ALL_OK);
    assert.deepEqual(rows(await findings({ KEYCLOAK_CLIENT_SECRET: "wrong" }, stack({ url: kc.url, realm: "ops", clientId: "terraform", clientSecret: "ops-secret-1234" }))), ALL_OK);
    assert.deepEqual(logins(), [
      { path: "/realms/ops/protocol/openid-connect/token", grant_type: "password", client_id: "tf-user", username: "ops-admin", password: "ops-pw-5678" },
      { path: "/realms/ops/protocol/openid-connect/token", grant_type: "client_credentials", client_id: "terraform", client_secret: "ops-secret-1234" },
    ]);
  });

  it("an empty keycloak:* value is unset: the environment's is used, and the realm and client default", async () => {
    const config = stack({ url: "", realm: "", clientId: "", clientSecret: "", username: "", password: "" });
    assert.deepEqual(rows(await findings({ KEYCLOAK_URL: kc.url, KEYCLOAK_CLIENT_SECRET: "master-secret-4711" }, config)), ALL_OK);
    assert.deepEqual(logins(), [
      { path: "/realms/master/protocol/openid-connect/token", grant_type: "client_credentials", client_id: "admin-cli", client_secret: "master-secret-4711" },
    ]);
  });

  it("a client secret is used before a user and password", async () => {
    await findings({ KEYCLOAK_URL: kc.url, KEYCLOAK_CLIENT_SECRET: "master-secret-4711", KEYCLOAK_USER: "admin", KEYCLOAK_PASSWORD: "admin-pw-0815" });
    assert.deepEqual(logins().map((l) => l.grant_type), ["client_credentials"]);
  });

  it("without an issuer or a client id in Coder's settings there is nothing to check", async () => {
    const env = { KEYCLOAK_URL: kc.url, KEYCLOAK_CLIENT_SECRET: "master-secret-4711" };
    assert.deepEqual(await findings(env, {}, { withSettings: { ...settings, CODER_OIDC_CLIENT_ID: "" } }), []);
    assert.deepEqual(await findings(env, {}, { withSettings: { ...settings, CODER_OIDC_ISSUER_URL: "" } }), []);
    assert.deepEqual(kc.requests, []);
  });

  it("without Keycloak's URL, or without a secret or a whole user and password: a ? that says what to set, and no request", async () => {
    assert.deepEqual(await findings({}), NO_CREDENTIALS);
    assert.deepEqual(await findings({ KEYCLOAK_CLIENT_SECRET: "master-secret-4711" }), NO_CREDENTIALS);
    assert.deepEqual(await findings({ KEYCLOAK_URL: kc.url }), NO_CREDENTIALS);
    assert.deepEqual(await findings({ KEYCLOAK_URL: kc.url, KEYCLOAK_USER: "admin" }), NO_CREDENTIALS);
    assert.deepEqual(await findings({ KEYCLOAK_URL: kc.url, KEYCLOAK_PASSWORD: "admin-pw-0815" }), NO_CREDENTIALS);
    assert.deepEqual(await findings({}, stack({ url: kc.url, username: "admin" })), NO_CREDENTIALS);
    assert.deepEqual(kc.requests, []);
  });

  it("a refused login: a ? that names the token endpoint and its answer", async () => {
    const tokenUrl = `${kc.url}/realms/master/protocol/openid-connect/token`;
    assert.deepEqual(await findings({ KEYCLOAK_URL: kc.url, KEYCLOAK_CLIENT_SECRET: "wrong-secret" }),
      unchecked(`POST ${tokenUrl} answered HTTP 401: check the Keycloak admin credentials`));
    assert.deepEqual(await findings({ KEYCLOAK_URL: kc.url, KEYCLOAK_USER: "admin", KEYCLOAK_PASSWORD: "wrong-pw" }),
      unchecked(`POST ${tokenUrl} answered HTTP 401: check the Keycloak admin credentials`));
    assert.deepEqual(await findings({ KEYCLOAK_URL: kc.url, KEYCLOAK_REALM: "nope", KEYCLOAK_CLIENT_SECRET: "master-secret-4711" }),
      unchecked(`POST ${kc.url}/realms/nope/protocol/openid-connect/token answered HTTP 404: check the Keycloak admin credentials`));
  });

  it("a token endpoint that answers without a usable token, or a token with an error status: a ? with the status", async () => {
    const tokenUrl = `${kc.url}/realms/master/protocol/openid-connect/token`;
    const answers: [number, string][] = [[200, "{}"], [200, '{"access_token":""}'], [200, '{"access_token":5}'], [200, "null"],
      [400, `{"access_token":"${ACCESS_TOKEN}"}`], [201, `{"access_token":"${ACCESS_TOKEN}"}`]];
    for (const [status, body] of answers) {
      kc.tokenAnswer = { status, body };
      assert.deepEqual(await findings({ KEYCLOAK_URL: kc.url, KEYCLOAK_CLIENT_SECRET: "master-secret-4711" }),
        unchecked(`POST ${tokenUrl} answered HTTP ${status}: check the Keycloak admin credentials`), body);
    }
    assert.deepEqual(kc.requests.filter((r) => !r.form), []);
  });

  it("an admin API that refuses a part of what the token it gave should read: that check is a ? that says so, the others are made", async () => {
    kc.scopesStatus = 403;
    const found = await findings({ KEYCLOAK_URL: kc.url, KEYCLOAK_CLIENT_SECRET: "master-secret-4711" });
    assert.deepEqual(found.map((f) => f.status), ["ok", "ok", "ok", "ok", "unchecked"]);
    assert.equal(found.at(-1)?.message, `GET ${kc.url}/admin/realms/coder/clients/${CODER_CLIENT_UUID}/optional-client-scopes answered HTTP 403: ` +
      "check that the admin credentials may view clients (the view-clients role)");
  });

  it("a Keycloak that does not answer: a ? with the reason", async () => {
    const closed = http.createServer();
    await new Promise<void>((done) => closed.listen(0, "127.0.0.1", done));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((done) => closed.close(() => done()));
    assert.deepEqual(await findings({ KEYCLOAK_URL: `http://127.0.0.1:${port}`, KEYCLOAK_CLIENT_SECRET: "master-secret-4711" }),
      unchecked(`Keycloak's admin API did not answer: connect ECONNREFUSED 127.0.0.1:${port}`));
  });

  it("the client secret, the password, the URL's credentials and the admin token are handed to the masker", async () => {
    const masker = new Masker();
    await findings({ KEYCLOAK_URL: kc.url.replace("http://", "http://kcuser:url-secret-4711@"), KEYCLOAK_CLIENT_SECRET: "master-secret-4711" }, {}, { masker });
    await findings({ KEYCLOAK_URL: kc.url, KEYCLOAK_USER: "admin", KEYCLOAK_PASSWORD: "admin-pw-0815" }, {}, { masker });
    const text = ["master-secret-4711", "url-secret-4711", "admin-pw-0815", ACCESS_TOKEN].join(" ");
    const masked = masker.mask(text);
    for (const secret of text.split(" ")) assert.equal(masked.includes(secret), false, `${secret} in ${masked}`);
  });
});
