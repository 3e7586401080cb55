/**
 * `verify` at Auth0 (idps/auth0/verify.ts), finding by finding: where the connection comes from (the stack's
 * `auth0:*` before the environment, the tenant from the issuer only when neither names one, which credentials are
 * enough); every check of Coder's application with its exact message, ok or what to change, on clients a
 * schema-valid tenant may hold and on fields Auth0 can leave out (a small in-memory API); and, against the Auth0
 * simulator on 127.0.0.1, the whole run: credentials from the stack, a refused login as a ? that names the answer and
 * never the secret.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Auth0Api, Auth0ClientView, Auth0ResourceServerView } from "../../../idps/auth0/api";
import { auth0Connection, auth0Findings, checkAuth0Client } from "../../../idps/auth0/verify";
import type { CoderSettings, Finding } from "../../../src/verify/core";
import type { IdpCheckContext } from "../../../src/verify/idp-common";
import { type Auth0Sim, startAuth0Sim } from "../../support/auth0-sim";
import { stackConfig as config, withEnvOnly } from "../../support/env";

const MARKER = "MARKER-s3cr3t-auth0-4d2a";
const CODER_URL = "https://coder.example.com";
const CALLBACK = "https://coder.example.com/api/v2/users/oidc/callback";
const CLIENT_ID = "coderClient00000000000000000000x7";

const VARIABLES = ["AUTH0_DOMAIN", "AUTH0_API_TOKEN", "AUTH0_CLIENT_ID", "AUTH0_CLIENT_SECRET", "CODER_OIDC_AUTH0_API_URL"];

/** Runs `run` with exactly `env` among the variables these checks read, then puts them back. */
const withEnv = <T>(env: Record<string, string>, run: () => T | Promise<T>) => withEnvOnly(VARIABLES, env, run);

const settings = (authUrlParams?: string): CoderSettings => ({
  CODER_OIDC_ISSUER_URL: "https://example-dev.us.auth0.com/", CODER_OIDC_CLIENT_ID: CLIENT_ID, CODER_OIDC_CLIENT_SECRET: "s",
  ...(authUrlParams === undefined ? {} : { CODER_OIDC_AUTH_URL_PARAMS: authUrlParams }),
});

const context = (over: Partial<IdpCheckContext> = {}): IdpCheckContext =>
  ({ settings: settings('{"access_type":"offline"}'), config: {}, coderUrl: CODER_URL, now: 0, projectDir: process.cwd(), ...over });

/** An in-memory Auth0 API holding `clients` and `servers` (by identifier), logging what was asked. */
function fakeApi(clients: Auth0ClientView[], servers: Record<string, Auth0ResourceServerView> = {}) {
  const asked: string[] = [];
  const api: Auth0Api = {
    findClientById: (id) => {
      asked.push(`client ${id}`);
      return Promise.resolve(clients.find((c) => c.client_id === id));
    },
    listClients: () => Promise.reject(new Error("verify does not list clients")),
    resourceServer: (id) => {
      asked.push(`resource server ${id}`);
      return Promise.resolve(servers[id]);
    },
  };
  return { api, asked };
}

const RIGHT: Auth0ClientView = {
  client_id: CLIENT_ID, name: "Coder", app_type: "regular_web", oidc_conformant: true, grant_types: ["authorization_code", "refresh_token"],
  callbacks: [CALLBACK], token_endpoint_auth_method: "client_secret_post",
  refresh_token: { rotation_type: "non-rotating", expiration_type: "expiring", leeway: 0, idle_token_lifetime: 1296000, token_lifetime: 2592000,
    infinite_idle_token_lifetime: false, infinite_token_lifetime: false },
};

const ok = (check: string, message: string): Finding => ({ check, status: "ok", message } as Finding);
const problem = (check: string, message: string): Finding => ({ check, status: "problem", message } as Finding);

const PREFIX = `Auth0 application "Coder" (${CLIENT_ID})`;
const RIGHT_FINDINGS: Finding[] = [
  ok("auth0.client.appType", "it is a regular web application"),
  ok("auth0.client.oidcConformant", "it is OIDC conformant"),
  ok("auth0.client.grants", "the authorization code and refresh token grants are allowed"),
  ok("auth0.client.redirectUri", `Coder's callback ${CALLBACK} is an allowed callback URL`),
  ok("auth0.client.authentication", "the client authenticates (client_secret_post)"),
  ok("auth0.client.refreshExpiration", "refresh tokens expire after 1296000s unused and 2592000s at most"),
  ok("auth0.client.rotation", "refresh tokens do not rotate"),
];
const ROTATION_FIX = "refresh tokens rotate with a reuse interval of 0: Coder refreshes in parallel and users get signed out at random (coder/coder#25275); " +
  "give a reuse interval (coder-oidc:refreshTokenReuseWindow), or stop rotating (coder-oidc:refreshTokenRotation: off)";
const EXPIRATION_FIX = "make them expiring with finite lifetimes (Refresh Token Expiration; coder-oidc:tokens.refreshIdleTimeout and refreshMaxLifetime)";
const NO_CREDENTIALS = "no Auth0 Management API credentials: set the stack's auth0:clientId and auth0:clientSecret (or auth0:apiToken), or AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET (or AUTH0_API_TOKEN); the client needs read:clients and read:resource_servers";
const NO_TENANT = "no Auth0 tenant: set the stack's auth0:domain or AUTH0_DOMAIN";

describe("auth0Connection: the tenant and credentials verify uses", () => {
  it("the stack's auth0:* values, before the environment's and the issuer's", async () => {
    const stack = config({ "auth0:domain": "stack.eu.auth0.com", "auth0:apiToken": "stack-token", "auth0:clientId": "stack-id", "auth0:clientSecret": "stack-secret" });
    const env = { AUTH0_DOMAIN: "env.us.auth0.com", AUTH0_API_TOKEN: "env-token", AUTH0_CLIENT_ID: "env-id", AUTH0_CLIENT_SECRET: "env-secret" };
    assert.deepEqual(await withEnv(env, () => auth0Connection(stack, "https://issuer.us.auth0.com/")),
      { domain: "stack.eu.auth0.com", apiUrl: undefined, apiToken: "stack-token", clientId: "stack-id", clientSecret: "stack-secret" });
  });

  it("the environment's AUTH0_* values, the API's URL from CODER_OIDC_AUTH0_API_URL", async () => {
    const env = { AUTH0_DOMAIN: "env.us.auth0.com", AUTH0_API_TOKEN: "env-token", AUTH0_CLIENT_ID: "env-id", AUTH0_CLIENT_SECRET: "env-secret",
      CODER_OIDC_AUTH0_API_URL: "http://127.0.0.1:9/api/v2" };
    assert.deepEqual(await withEnv(env, () => auth0Connection({}, "https://issuer.us.auth0.com/")),
      { domain: "env.us.auth0.com", apiUrl: "http://127.0.0.1:9/api/v2", apiToken: "env-token", clientId: "env-id", clientSecret: "env-secret" });
    assert.deepEqual(await withEnv({ ...env, CODER_OIDC_AUTH0_API_URL: "" }, () => auth0Connection({}, undefined)),
      { domain: "env.us.auth0.com", apiUrl: undefined, apiToken: "env-token", clientId: "env-id", clientSecret: "env-secret" });
  });

  it("without a domain, the issuer's host; without either, or with an issuer that is no URL, no tenant", async () => {
    assert.deepEqual(await withEnv({ AUTH0_API_TOKEN: "t0ken" }, () => auth0Connection({}, "https://example-dev.us.auth0.com/")),
      { domain: "example-dev.us.auth0.com", apiUrl: undefined, apiToken: "t0ken", clientId: undefined, clientSecret: undefined });
    assert.equal(await withEnv({ AUTH0_API_TOKEN: "t0ken" }, () => auth0Connection({}, undefined)), NO_TENANT);
    assert.equal(await withEnv({ AUTH0_API_TOKEN: "t0ken" }, () => auth0Connection({}, "not a URL")), NO_TENANT);
    assert.equal(await withEnv({ AUTH0_API_TOKEN: "t0ken" }, () => auth0Connection({}, "")), NO_TENANT);
  });

  it("a client id without its secret, or a secret without its id, is no credential", async () => {
    const stack = config({ "auth0:domain": "stack.eu.auth0.com" });
    assert.equal(await withEnv({ AUTH0_CLIENT_ID: "only-id" }, () => auth0Connection(stack, undefined)), NO_CREDENTIALS);
    assert.equal(await withEnv({ AUTH0_CLIENT_SECRET: "only-secret" }, () => auth0Connection(stack, undefined)), NO_CREDENTIALS);
    assert.deepEqual(await withEnv({ AUTH0_CLIENT_ID: "the-id", AUTH0_CLIENT_SECRET: "the-secret" }, () => auth0Connection(stack, undefined)),
      { domain: "stack.eu.auth0.com", apiUrl: undefined, apiToken: undefined, clientId: "the-id", clientSecret: "the-secret" });
  });
});

describe("checkAuth0Client: each check of Coder's application, with its message", () => {
  it("a right client: every check ok, saying what it found; no resource server asked without an audience", async () => {
    const { api, asked } = fakeApi([RIGHT]);
    assert.deepEqual(await checkAuth0Client(api, context()), RIGHT_FINDINGS);
    assert.deepEqual(asked, [`client ${CLIENT_ID}`]);
  });

  it("no application with the client id: one ✖ saying so", async () => {
    const { api } = fakeApi([{ ...RIGHT, client_id: "another" }]);
    assert.deepEqual(await checkAuth0Client(api, context()), [problem("auth0.client",
      `Auth0 has no application with client id ${CLIENT_ID}: run pulumi up, or set CODER_OIDC_CLIENT_ID to the application's client id`)]);
  });

  it("every check wrong, named by its name: each ✖ says what it found and what to change", async () => {
    const wrong: Auth0ClientView = {
      ...RIGHT, app_type: "spa", oidc_conformant: false, grant_types: ["implicit"], callbacks: ["https://coder.example.com/callback", "https://x.example.com/cb"],
      token_endpoint_auth_method: "none",
      refresh_token: { rotation_type: "rotating", expiration_type: "non-expiring", leeway: 0 },
    };
    const { api } = fakeApi([wrong]);
    assert.deepEqual(await checkAuth0Client(api, context()), [
      problem("auth0.client.appType", `${PREFIX}: its application type is spa: make it a "Regular Web Application" (auth0.Client appType: regular_web)`),
      problem("auth0.client.oidcConformant", `${PREFIX}: turn on OIDC Conformant (Advanced Settings > OAuth; auth0.Client oidcConformant: true): refresh-token rotation and expiration need it`),
      problem("auth0.client.grants", `${PREFIX}: allow the authorization_code and refresh_token grant (Advanced Settings > Grant Types; it has implicit): without refresh_token Auth0 issues no refresh token`),
      problem("auth0.client.redirectUri", `${PREFIX}: add ${CALLBACK} to its Allowed Callback URLs (it has https://coder.example.com/callback, https://x.example.com/cb)`),
      problem("auth0.client.authentication", `${PREFIX}: give it a token endpoint authentication method with a secret (client_secret_post): Coder sends CODER_OIDC_CLIENT_SECRET`),
      problem("auth0.client.refreshExpiration", `${PREFIX}: refresh tokens are non-expiring: ${EXPIRATION_FIX}`),
      problem("auth0.client.rotation", `${PREFIX}: ${ROTATION_FIX}`),
    ]);
  });

  it("a client with only its id: named by its id, every field read as unset", async () => {
    const { api } = fakeApi([{ client_id: CLIENT_ID }]);
    const prefix = `Auth0 application "${CLIENT_ID}" (${CLIENT_ID})`;
    assert.deepEqual(await checkAuth0Client(api, context()), [
      problem("auth0.client.appType", `${prefix}: its application type is unset: make it a "Regular Web Application" (auth0.Client appType: regular_web)`),
      problem("auth0.client.oidcConformant", `${prefix}: turn on OIDC Conformant (Advanced Settings > OAuth; auth0.Client oidcConformant: true): refresh-token rotation and expiration need it`),
      problem("auth0.client.grants", `${prefix}: allow the authorization_code and refresh_token grant (Advanced Settings > Grant Types; it has none): without refresh_token Auth0 issues no refresh token`),
      problem("auth0.client.redirectUri", `${prefix}: add ${CALLBACK} to its Allowed Callback URLs (it has none)`),
      problem("auth0.client.authentication", `${prefix}: give it a token endpoint authentication method with a secret (client_secret_post): Coder sends CODER_OIDC_CLIENT_SECRET`),
      problem("auth0.client.refreshExpiration", `${prefix}: refresh tokens are non-expiring: ${EXPIRATION_FIX}`),
      ok("auth0.client.rotation", "refresh tokens do not rotate"),
    ]);
  });

  it("refresh_token null (Auth0's value for none): non-expiring, not rotating", async () => {
    const { api } = fakeApi([{ ...RIGHT, refresh_token: null }]);
    const findings = await checkAuth0Client(api, context());
    assert.deepEqual(findings.slice(5), [
      problem("auth0.client.refreshExpiration", `${PREFIX}: refresh tokens are non-expiring: ${EXPIRATION_FIX}`),
      ok("auth0.client.rotation", "refresh tokens do not rotate"),
    ]);
  });

  it("one grant missing: only that one named", async () => {
    const { api } = fakeApi([{ ...RIGHT, grant_types: ["refresh_token", "client_credentials"] }]);
    assert.deepEqual((await checkAuth0Client(api, context()))[2], problem("auth0.client.grants",
      `${PREFIX}: allow the authorization_code grant (Advanced Settings > Grant Types; it has refresh_token, client_credentials): without refresh_token Auth0 issues no refresh token`));
  });

  it("expiring refresh tokens with an infinite lifetime, idle or absolute: ✖; without their lifetimes: ok, the lifetimes shown as ?", async () => {
    const expiring = { rotation_type: "non-rotating", expiration_type: "expiring" };
    const infinite = `${PREFIX}: refresh tokens are expiring but with an infinite lifetime: ${EXPIRATION_FIX}`;
    for (const refresh of [{ ...expiring, infinite_token_lifetime: true }, { ...expiring, infinite_idle_token_lifetime: true }]) {
      const { api } = fakeApi([{ ...RIGHT, refresh_token: refresh }]);
      assert.deepEqual((await checkAuth0Client(api, context()))[5], problem("auth0.client.refreshExpiration", infinite), JSON.stringify(refresh));
    }
    const { api } = fakeApi([{ ...RIGHT, refresh_token: expiring }]);
    assert.deepEqual((await checkAuth0Client(api, context())).slice(5), [
      ok("auth0.client.refreshExpiration", "refresh tokens expire after ?s unused and ?s at most"),
      ok("auth0.client.rotation", "refresh tokens do not rotate"),
    ]);
  });

  it("rotation with a reuse interval: ok, naming it; without one (or none given): ✖", async () => {
    const rotating = { ...RIGHT.refresh_token!, rotation_type: "rotating" };
    const { api } = fakeApi([{ ...RIGHT, refresh_token: { ...rotating, leeway: 30 } }]);
    assert.deepEqual((await checkAuth0Client(api, context()))[6], ok("auth0.client.rotation", "refresh tokens rotate with a 30s reuse interval"));
    const { leeway: _, ...withoutLeeway } = rotating;
    const { api: noLeeway } = fakeApi([{ ...RIGHT, refresh_token: withoutLeeway }]);
    assert.deepEqual((await checkAuth0Client(noLeeway, context()))[6], problem("auth0.client.rotation", `${PREFIX}: ${ROTATION_FIX}`));
  });

  it("the authentication method named in the ok; an unset one is ✖", async () => {
    const { api } = fakeApi([{ ...RIGHT, token_endpoint_auth_method: "client_secret_basic" }]);
    assert.deepEqual((await checkAuth0Client(api, context()))[4], ok("auth0.client.authentication", "the client authenticates (client_secret_basic)"));
    const { token_endpoint_auth_method: _, ...unset } = RIGHT;
    const { api: none } = fakeApi([unset]);
    assert.deepEqual((await checkAuth0Client(none, context()))[4], problem("auth0.client.authentication",
      `${PREFIX}: give it a token endpoint authentication method with a secret (client_secret_post): Coder sends CODER_OIDC_CLIENT_SECRET`));
  });

  it("without Coder's URL the callback is not checked", async () => {
    const { api } = fakeApi([{ ...RIGHT, callbacks: [] }]);
    assert.deepEqual(await checkAuth0Client(api, context({ coderUrl: undefined })), RIGHT_FINDINGS.filter((f) => f.check !== "auth0.client.redirectUri"));
  });

  it("an audience in the auth URL params: its API asked for, and it must allow offline access", async () => {
    const servers = {
      "https://api.example.com/": { identifier: "https://api.example.com/", allow_offline_access: true },
      "https://online.example.com/": { identifier: "https://online.example.com/", allow_offline_access: false },
      "https://unset.example.com/": { identifier: "https://unset.example.com/" },
    };
    const run = async (audience: string) => {
      const { api, asked } = fakeApi([RIGHT], servers);
      const findings = await checkAuth0Client(api, context({ settings: settings(JSON.stringify({ access_type: "offline", audience })) }));
      assert.deepEqual(findings.slice(0, 7), RIGHT_FINDINGS);
      assert.deepEqual(asked, [`client ${CLIENT_ID}`, `resource server ${audience}`]);
      return findings.slice(7);
    };
    assert.deepEqual(await run("https://api.example.com/"), [ok("auth0.audience", "the API https://api.example.com/ allows offline access")]);
    const off = (audience: string) => problem("auth0.audience", `${PREFIX}: CODER_OIDC_AUTH_URL_PARAMS asks for audience ${audience}, whose API does not allow offline access: turn on "Allow Offline Access" in its settings, or Auth0 issues no refresh token`);
    assert.deepEqual(await run("https://online.example.com/"), [off("https://online.example.com/")]);
    assert.deepEqual(await run("https://unset.example.com/"), [off("https://unset.example.com/")]);
    assert.deepEqual(await run("https://nowhere.example.com/"), [problem("auth0.audience",
      `${PREFIX}: CODER_OIDC_AUTH_URL_PARAMS asks for audience https://nowhere.example.com/, but the tenant has no such API: remove the audience or create the API with "Allow Offline Access"`)]);
  });

  it("auth URL params without an audience, unset, or not a map: no audience check", async () => {
    for (const params of ['{"access_type":"offline","audience":""}', undefined, "[1, 2]", "just text", "{"]) {
      const { api, asked } = fakeApi([RIGHT]);
      assert.deepEqual(await checkAuth0Client(api, context({ settings: settings(params) })), RIGHT_FINDINGS, String(params));
      assert.deepEqual(asked, [`client ${CLIENT_ID}`]);
    }
  });
});

describe("auth0Findings against the Auth0 simulator", () => {
  let sim: Auth0Sim;
  before(async () => {
    sim = await startAuth0Sim();
    sim.putClient({ clientId: CLIENT_ID });
  });
  after(() => sim.close());

  it("credentials from the stack alone: the client read with a token got for them", async () => {
    const stack = config({ "auth0:domain": "example-dev.us.auth0.com", "auth0:clientId": sim.m2m.clientId, "auth0:clientSecret": sim.m2m.clientSecret });
    const findings = await withEnv({ CODER_OIDC_AUTH0_API_URL: sim.apiUrl }, () => auth0Findings(context({ config: stack })));
    assert.deepEqual(findings, RIGHT_FINDINGS);
    assert.deepEqual(sim.exchanges.map((e) => `${e.request.method} ${e.request.path} ${e.answer.status}`),
      ["POST /oauth/token 200", `GET /api/v2/clients/${CLIENT_ID} 200`]);
    assert.deepEqual(sim.problems, []);
  });

  it("no credentials: one ? naming them, nothing asked", async () => {
    const before = sim.exchanges.length;
    const findings = await withEnv({ CODER_OIDC_AUTH0_API_URL: sim.apiUrl, AUTH0_DOMAIN: "example-dev.us.auth0.com" }, () => auth0Findings(context()));
    assert.deepEqual(findings, [{ check: "auth0.client", status: "unchecked", message: NO_CREDENTIALS }]);
    assert.equal(sim.exchanges.length, before);
  });

  it("a refused API token: one ? with Auth0's answer, the token never shown", async () => {
    const findings = await withEnv({ CODER_OIDC_AUTH0_API_URL: sim.apiUrl, AUTH0_DOMAIN: "example-dev.us.auth0.com", AUTH0_API_TOKEN: MARKER },
      () => auth0Findings(context()));
    assert.deepEqual(findings, [{ check: "auth0.client", status: "unchecked",
      message: `Auth0's Management API: GET ${sim.apiUrl}/clients/${CLIENT_ID} answered HTTP 401: Invalid token` }]);
    assert.doesNotMatch(JSON.stringify(findings), new RegExp(MARKER));
  });
});
