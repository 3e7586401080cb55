import { coderRow } from "../../support/idps";
import assert from "node:assert/strict";
import { describe, it, type TestContext } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { isSecretValue, revealSecrets, settle } from "../../../engine/offline-runtime";
import { planStack, planToJson, renderPlanText } from "../../../engine/plan";
import { readStackFile, SECRET_PLACEHOLDER } from "../../../engine/stack-file";
import { parseStackConfig } from "../../../idps/registry";
import { configProblems, hex12, only, runProgram, visibleStrings, stackConfig, installStackMocks } from "../../support/program";

const PROVIDER = "pulumi:providers:auth0";
const CLIENT = "auth0:index/client:Client";
const CREDENTIALS = "auth0:index/clientCredentials:ClientCredentials";

const CALLBACK = "https://coder.example.com/api/v2/users/oidc/callback";
const ADMIN_SECRET = "auth0-management-client-secret";
// What the mocks make up (engine/offline-runtime.ts): the client's id and the secret read through its credentials.
const CLIENT_SECRET = "fake-secret-of-coder-credentials";

/** Stack config for an Auth0 stack; objects become JSON text, as the engine hands them over. */
function auth0Stack(overrides: Record<string, unknown> = {}): Record<string, string> {
  const values: Record<string, unknown> = {
    "coder-oidc:coderUrl": "https://coder.example.com",
    "coder-oidc:idp": "auth0",
    "auth0:domain": "example.us.auth0.com",
    "auth0:clientId": "management-client",
    "auth0:clientSecret": ADMIN_SECRET,
    ...overrides,
  };
  for (const [key, value] of Object.entries(values)) if (value === undefined) delete values[key];
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
}

function plan(values: Record<string, string>) {
  return planStack("test", { values, secretKeys: new Set(["auth0:clientSecret"]) });
}

describe("stack config: Auth0", () => {
  it("needs no coder-oidc:auth0, and applies its defaults", () => {
    const config = parseStackConfig(stackConfig(auth0Stack()));
    assert.equal(config.auth0, undefined);
    assert.deepEqual(parseStackConfig(stackConfig(auth0Stack({ "coder-oidc:auth0": {} }))).auth0,
      { tokenEndpointAuthMethod: "client_secret_post" });
  });

  it("checks coder-oidc:auth0's fields", () => {
    const p = configProblems(auth0Stack({ "coder-oidc:auth0": { customDomain: "https://login.example.com", tokenEndpointAuthMethod: "none", x: 1 } }));
    assert.equal(p.get("coder-oidc:auth0.customDomain"), "must be a host name such as login.example.com, without https:// or a path (Auth0 custom domain)");
    assert.equal(p.get("coder-oidc:auth0.tokenEndpointAuthMethod"), "must be client_secret_post or client_secret_basic");
    assert.equal(p.get("coder-oidc:auth0.x"), "is not a known setting (check the spelling)");
  });

  it("refuses coder-oidc:clientId: Auth0 assigns the client id", () => {
    assert.ok(configProblems(auth0Stack({ "coder-oidc:clientId": "coder" })).has("coder-oidc:clientId"));
  });

  it("requires auth0:domain as a bare host name", () => {
    assert.equal(configProblems(auth0Stack({ "auth0:domain": undefined })).get("auth0:domain"),
      "is required: the tenant's domain, e.g. example.us.auth0.com");
    assert.equal(configProblems(auth0Stack({ "auth0:domain": "https://example.us.auth0.com/" })).get("auth0:domain"),
      'must be the tenant\'s domain, e.g. example.us.auth0.com (no https:// or path), got "https://example.us.auth0.com/"');
  });

  it("rejects unknown auth0:* keys and booleans that are not true/false", () => {
    const p = configProblems(auth0Stack({ "auth0:client_secret": "x", "auth0:debug": "yes" }));
    assert.equal(p.get("auth0:client_secret"), "is not a setting of the auth0 provider (check the spelling) (did you mean \"clientSecret\"?)");
    assert.equal(p.get("auth0:debug"), 'must be true or false, got "yes"');
  });

  it("refuses an access-token lifetime, which is the tenant's for Coder's /userinfo token", () => {
    assert.ok(configProblems(auth0Stack({ "coder-oidc:tokens": { accessTokenLifetime: "1h" } })).has("coder-oidc:tokens.accessTokenLifetime"));
  });

  it("keeps refresh lifetimes within Auth0's five years", () => {
    const p = configProblems(auth0Stack({ "coder-oidc:tokens": { refreshIdleTimeout: "1000d", refreshMaxLifetime: "1827d" } }));
    assert.equal(p.get("coder-oidc:tokens.refreshMaxLifetime"), "must be at most 157788000s (five years, Auth0's limit), got 1827d");
    assert.equal(p.has("coder-oidc:tokens.refreshIdleTimeout"), false);
  });

  it("requires a reuse window with rotation on, within 1s to 1d", () => {
    assert.match(configProblems(auth0Stack({ "coder-oidc:refreshTokenRotation": "on" })).get("coder-oidc:refreshTokenReuseWindow")!,
      /^is required with refreshTokenRotation: on: .* Auth0 refuses all but one with invalid_grant \(coder\/coder#25275\); set 1s to 1d \(auth0\.Client refreshToken\.leeway\)$/);
    assert.equal(configProblems(auth0Stack({ "coder-oidc:refreshTokenRotation": "on", "coder-oidc:refreshTokenReuseWindow": "2d" }))
      .get("coder-oidc:refreshTokenReuseWindow"),
    "must be between 1s and 1d for Auth0 (auth0.Client refreshToken.leeway; Auth0 Management API " +
      "ClientRefreshTokenConfiguration.leeway, seconds, minimum 0), got 2d");
  });
});

describe("Auth0CoderClient: auth0.Provider", () => {
  it("is explicit, built from auth0:*, with credentials secret even without --secret, and used by every resource", async () => {
    const { mocks } = await runProgram(auth0Stack({ "auth0:debug": "false" }));
    const provider = only(mocks, PROVIDER);
    assert.equal(provider.name, "coder-auth0");
    assert.equal(provider.inputs.domain, "example.us.auth0.com");
    assert.equal(provider.inputs.clientId, "management-client");
    assert.equal(String(provider.inputs.debug), "false");
    assert.ok(isSecretValue(provider.inputs.clientSecret));
    assert.equal(revealSecrets(provider.inputs.clientSecret), ADMIN_SECRET);
    const managed = mocks.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"));
    assert.deepEqual(managed.map((r) => r.type).sort(), [CLIENT, CREDENTIALS]);
    for (const r of managed) assert.match(r.provider ?? "", /::coder-oidc:providers:Auth0CoderClient\$pulumi:providers:auth0::coder-auth0::coder-auth0-id$/, `${r.type} uses the explicit provider`);
  });

  it("keeps an API token secret too", async () => {
    const { mocks } = await runProgram(auth0Stack({ "auth0:clientId": undefined, "auth0:clientSecret": undefined, "auth0:apiToken": "mgmt-token" }));
    assert.ok(isSecretValue(only(mocks, PROVIDER).inputs.apiToken));
  });
});

describe("Auth0CoderClient: auth0.Client", () => {
  it("is an OIDC-conformant regular web app with the code and refresh grants, Coder's callback and origin", async () => {
    const { mocks } = await runProgram(auth0Stack());
    const client = only(mocks, CLIENT);
    assert.equal(client.name, "coder-client");
    assert.deepEqual(client.inputs, {
      name: "Coder",
      description: "Coder at https://coder.example.com (managed by Pulumi, coder-oidc)",
      appType: "regular_web",
      oidcConformant: true,
      isFirstParty: true,
      grantTypes: ["authorization_code", "refresh_token"],
      callbacks: [CALLBACK],
      allowedOrigins: ["https://coder.example.com"],
      crossOriginAuth: false,
      jwtConfiguration: { alg: "RS256" },
      refreshToken: {
        rotationType: "non-rotating",
        leeway: 0,
        expirationType: "expiring",
        idleTokenLifetime: 15 * 86400,
        infiniteIdleTokenLifetime: false,
        tokenLifetime: 30 * 86400,
        infiniteTokenLifetime: false,
      },
    });
  });

  it("takes the idle and absolute refresh lifetimes from coder-oidc:tokens, in seconds", async () => {
    const { mocks } = await runProgram(auth0Stack({ "coder-oidc:tokens": { refreshIdleTimeout: "3d", refreshMaxLifetime: "90d" } }));
    const refresh = only(mocks, CLIENT).inputs.refreshToken as Record<string, unknown>;
    assert.deepEqual([refresh.idleTokenLifetime, refresh.tokenLifetime], [3 * 86400, 90 * 86400]);
    // An idle lifetime beyond the default absolute one is refused (tokens.refreshMaxLifetime must be set too).
    assert.match(configProblems(auth0Stack({ "coder-oidc:tokens": { refreshIdleTimeout: "45d" } })).get("coder-oidc:tokens.refreshIdleTimeout")!,
      /^must be at most 30d, Auth0's default refresh-token max lifetime, which applies as tokens.refreshMaxLifetime is unset/);
  });

  it("rotates with the reuse window as leeway with refreshTokenRotation: on, and warns", async () => {
    const values = auth0Stack({ "coder-oidc:refreshTokenRotation": "on", "coder-oidc:refreshTokenReuseWindow": "1m" });
    const refresh = only((await runProgram(values)).mocks, CLIENT).inputs.refreshToken as Record<string, unknown>;
    assert.deepEqual([refresh.rotationType, refresh.leeway, refresh.expirationType], ["rotating", 60, "expiring"]);
    const { warnings } = await plan(values);
    assert.deepEqual(warnings, [
      "Auth0 rotates Coder's refresh tokens, with a 1m reuse window in which the previous one still works: Coder's handling " +
      "of rotating refresh tokens is still open (coder/coder#25275); if users are signed out after a refresh, set " +
      "coder-oidc:refreshTokenRotation to off.",
    ]);
  });

  it("says in the plan what Auth0 needs to issue refresh tokens", async () => {
    const { notes, warnings } = await plan(auth0Stack());
    assert.deepEqual(notes, [
      "Auth0: refresh tokens are issued for the offline_access scope (Coder requests it) to an application with the " +
      "refresh_token grant; they expire after 15d unused and 30d at most. Coder requests no audience; if you add one, " +
      'that API needs "Allow Offline Access" on.',
    ]);
    assert.deepEqual(warnings, []);
  });
});

describe("Auth0CoderClient: auth0.ClientCredentials", () => {
  it("authenticates Coder's client by secret at the token endpoint, client_secret_post unless told otherwise", async () => {
    const { mocks, outputs } = await runProgram(auth0Stack());
    const credentials = only(mocks, CREDENTIALS);
    assert.equal(credentials.name, "coder-credentials");
    assert.deepEqual(credentials.inputs, { clientId: outputs.CODER_OIDC_CLIENT_ID.value, authenticationMethod: "client_secret_post" });
    const basic = await runProgram(auth0Stack({ "coder-oidc:auth0": { tokenEndpointAuthMethod: "client_secret_basic" } }));
    assert.equal(only(basic.mocks, CREDENTIALS).inputs.authenticationMethod, "client_secret_basic");
  });

  it("reads the client secret only as a secret: a secret output of the resource and of the stack", async () => {
    const { Auth0CoderClient } = await import("../../../idps/auth0/component");
    const { coderClientRequest } = await import("../../../src/coder-env");
    await installStackMocks({ values: auth0Stack() });
    const config = parseStackConfig(stackConfig(auth0Stack()));
    const seen: pulumi.ResourceTransformationArgs[] = [];
    new Auth0CoderClient("coder", { request: coderClientRequest(config, coderRow(config.idp)), settings: { tokenEndpointAuthMethod: "client_secret_post" }, connection: config.providers.auth0 }, {
      transformations: [(args) => {
        seen.push(args);
        return undefined;
      }],
    });
    await settle();
    const credentials = seen.find((args) => args.type === CREDENTIALS)!;
    assert.ok(((credentials.opts as pulumi.CustomResourceOptions).additionalSecretOutputs ?? []).includes("clientSecret"));
    const { outputs } = await runProgram(auth0Stack());
    assert.deepEqual(outputs.CODER_OIDC_CLIENT_SECRET, { known: true, secret: true, value: CLIENT_SECRET });
  });
});

describe("Auth0CoderClient: Coder settings", () => {
  it("outputs the exact Coder variables, the issuer with Auth0's trailing slash", async () => {
    const { outputs } = await runProgram(auth0Stack());
    assert.equal(outputs.CODER_OIDC_ISSUER_URL.value, "https://example.us.auth0.com/");
    assert.equal(outputs.CODER_OIDC_CLIENT_ID.value, "auth0-client-id-" + hex12("coder-client"));
    assert.equal(outputs.CODER_OIDC_SCOPES.value, "openid,profile,email,offline_access");
    assert.equal(outputs.CODER_OIDC_AUTH_URL_PARAMS.value, '{"access_type":"offline"}');
    assert.deepEqual(Object.keys(outputs).sort(), [
      "CODER_OIDC_AUTH_URL_PARAMS", "CODER_OIDC_CLIENT_ID", "CODER_OIDC_CLIENT_SECRET", "CODER_OIDC_ISSUER_URL", "CODER_OIDC_SCOPES",
    ]);
  });

  it("uses the custom domain in the issuer when there is one", async () => {
    const { outputs } = await runProgram(auth0Stack({ "coder-oidc:auth0": { customDomain: "login.example.com" } }));
    assert.equal(outputs.CODER_OIDC_ISSUER_URL.value, "https://login.example.com/");
  });

  it("appends extraScopes after Auth0's", async () => {
    const { outputs } = await runProgram(auth0Stack({ "coder-oidc:extraScopes": ["read:workspaces"] }));
    assert.equal(outputs.CODER_OIDC_SCOPES.value, "openid,profile,email,offline_access,read:workspaces");
  });

  it("marks the client id and secret unknown during preview, the secret still secret", async () => {
    const { outputs } = await runProgram(auth0Stack(), { preview: true });
    assert.deepEqual(outputs.CODER_OIDC_CLIENT_SECRET, { known: false, secret: true });
    assert.equal(outputs.CODER_OIDC_CLIENT_ID.known, false);
    assert.equal(outputs.CODER_OIDC_ISSUER_URL.value, "https://example.us.auth0.com/");
  });

  it("never puts the client secret or the management credential in plaintext in an output or a non-secret input", async () => {
    const run = await runProgram(auth0Stack(), { secretKeys: ["auth0:clientSecret"] });
    const { outputs } = run;
    const visible = visibleStrings(run);
    assert.ok(visible.length > 10);
    for (const secret of [CLIENT_SECRET, ADMIN_SECRET]) assert.ok(!visible.some((v) => v.includes(secret)), `${secret} leaked`);
    assert.deepEqual(Object.entries(outputs).filter(([, o]) => o.secret).map(([name]) => name), ["CODER_OIDC_CLIENT_SECRET"]);
  });

  it("throws before declaring anything when auth0:domain is missing past the config contract", async (t: TestContext) => {
    const { Auth0CoderClient } = await import("../../../idps/auth0/component");
    const { coderClientRequest } = await import("../../../src/coder-env");
    const mocks = await installStackMocks({ values: auth0Stack() });
    const config = parseStackConfig(stackConfig(auth0Stack()));
    t.mock.method(pulumi.log, "info", async () => undefined);
    assert.throws(
      () => new Auth0CoderClient("coder", { request: coderClientRequest(config, coderRow(config.idp)), settings: { tokenEndpointAuthMethod: "client_secret_post" }, connection: { values: {}, secretKeys: new Set() } }),
      /auth0:domain is required: the tenant's domain/);
    await settle();
    assert.deepEqual(mocks.resources.filter((r) => r.custom), []);
  });
});

describe("stacks/Pulumi.dev-auth0.yaml", () => {
  it("plans offline: the client with its refresh lifetimes, its credentials and the Coder settings", async () => {
    const file = readStackFile("dev-auth0");
    assert.deepEqual([...file.secretKeys], ["auth0:clientSecret"]);
    const result = await planStack("dev-auth0", file);
    assert.deepEqual(result.resources.map((r) => `${r.type} ${r.name}`).sort(), [
      "coder-oidc:providers:Auth0CoderClient coder",
      `${PROVIDER} coder-auth0`,
      `${CLIENT} coder-client`,
      `${CREDENTIALS} coder-credentials`,
    ].sort());
    const refresh = result.resources.find((r) => r.type === CLIENT)!.inputs.refreshToken as Record<string, unknown>;
    assert.deepEqual([refresh.rotationType, refresh.idleTokenLifetime, refresh.tokenLifetime], ["non-rotating", 259200, 2592000]);
    const env = Object.fromEntries(result.coderEnv.map((e) => [e.name, e]));
    assert.equal(env.CODER_OIDC_ISSUER_URL.value, "https://example-dev.us.auth0.com/");
    assert.equal(env.CODER_OIDC_SCOPES.value, "openid,profile,email,offline_access");
    assert.equal(env.CODER_OIDC_AUTH_URL_PARAMS.value, '{"access_type":"offline"}');
    assert.deepEqual([env.CODER_OIDC_CLIENT_SECRET.secret, env.CODER_OIDC_CLIENT_SECRET.known], [true, false]);
    assert.deepEqual(result.warnings, []);
    for (const shown of [renderPlanText(result), JSON.stringify(planToJson(result))]) {
      assert.ok(!shown.includes(SECRET_PLACEHOLDER), "the management credential (the secure: placeholder) is never shown");
    }
  });
});
