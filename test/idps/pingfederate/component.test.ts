import { coderRow } from "../../support/idps";
/**
 * The PingFederate component and the program under Pulumi's mock runtime (no engine, no CLI): what is declared
 * with which inputs, that the serialized providers (`__provider`) hold no credential or secret, that the client
 * secret is a secret output, and the warnings.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { after, before, describe, test } from "node:test";
import { parse } from "yaml";
import * as pulumi from "@pulumi/pulumi";
import { installMocks, resolveOutput, revealSecrets } from "../../../engine/offline-runtime";
import { forgetConfiguredCredentials } from "../../../idps/pingfederate/credentials";
import { PingFederateCoderClient } from "../../../idps/pingfederate/component";
import { pingFederateClientProvider, pingFederateScopeProvider } from "../../../idps/pingfederate/provider";
import { PingFederateResourceType } from "../../../idps/pingfederate/resource";
import { coderClientRequest } from "../../../src/coder-env";
import { parseStackConfig } from "../../../idps/registry";
import type { ConfigError } from "../../../src/errors";
import { coderClientInputs, type PfAdminSim, startPfAdminSim } from "../../../e2e/support/pf-admin-sim";
import { runProgram as runStackProgram } from "../../support/program";

const CONFIG_PASSWORD = "stack-config-PASSWORD-5f1c9e";
const ENV_PASSWORD = "environment-PASSWORD-8d2a71";
const ENV_TOKEN = "environment-TOKEN-3b7e44";
const CA_PEM = "-----BEGIN CERTIFICATE-----\nMIIBfakeCAforTests\n-----END CERTIFICATE-----\n";

function stackValues(
  pingfederate: Record<string, unknown> = {},
  tokens: Record<string, string> = { refreshIdleTimeout: "36h", refreshMaxLifetime: "90d" },
  overrides: Record<string, string> = {},
): Record<string, string> {
  return {
    ...overrides,
    "coder-oidc:coderUrl": "https://coder.example.com",
    "coder-oidc:idp": "pingfederate",
    "coder-oidc:extraScopes": JSON.stringify(["groups"]),
    "coder-oidc:tokens": JSON.stringify(tokens),
    "coder-oidc:pingfederate": JSON.stringify({
      adminUrl: "https://pf.example.com:9999/pf-admin-api/v1",
      issuerUrl: "https://sso.example.com",
      username: "administrator",
      password: CONFIG_PASSWORD,
      accessTokenManagerId: "coderAtm",
      oidcPolicyGroupId: "coderOidcPolicy",
      secretVersion: "2026-01",
      secretOverlap: "12h",
      caCertificate: CA_PEM,
      ...pingfederate,
    }),
  };
}
const SECRET_KEYS = ["coder-oidc:pingfederate"];

/** Runs the real program (program/index.ts) under mocks, with the PingFederate settings as a secret key. */
function runProgram(values: Record<string, string>) {
  return runStackProgram(values, { secretKeys: SECRET_KEYS });
}

/** Builds the component directly from stack config values, with recording transformations. */
async function construct(values: Record<string, string>, preview = false) {
  const mocks = await installMocks({ values, secretKeys: SECRET_KEYS, preview });
  const config = parseStackConfig({ values, secretKeys: new Set(SECRET_KEYS) });
  const seen: pulumi.ResourceTransformationArgs[] = [];
  const component = new PingFederateCoderClient("coder", { request: coderClientRequest(config, coderRow(config.idp)), settings: config.pingfederate! }, {
    transformations: [(args) => {
      seen.push(args);
      return undefined;
    }],
  });
  await resolveOutput(component.clientSecret);
  return { mocks, component, seen };
}

describe("PingFederate component under the mock runtime", () => {
  let sim: PfAdminSim;
  let realSecret = "";

  before(async () => {
    // A real create first, in this process: the generated secret, the configured credentials and the cached
    // server version must all stay out of what is serialized afterwards.
    sim = await startPfAdminSim({ commonScopes: [{ name: "profile", description: "P" }, { name: "email", description: "E" }, { name: "offline_access", description: "O" }] });
    const config: Record<string, string> = { "coder-oidc:pingfederate": JSON.stringify({ username: sim.username, password: sim.password }) };
    await pingFederateClientProvider.configure!({ config: { get: (k) => config[k], require: (k) => config[k] } });
    const created = await pingFederateClientProvider.create(coderClientInputs(sim.url, { clientId: "serialization-probe" }));
    realSecret = created.outs!.clientSecret;
    process.env.PINGFEDERATE_ADMIN_USERNAME = "environment-user";
    process.env.PINGFEDERATE_ADMIN_PASSWORD = ENV_PASSWORD;
    process.env.PINGFEDERATE_ADMIN_TOKEN = ENV_TOKEN;
  });
  after(async () => {
    forgetConfiguredCredentials();
    await sim.close();
  });

  test("the program declares Coder's client with the managed inputs and no credential", async () => {
    const { mocks, outputs } = await runProgram(stackValues());
    const [client] = mocks.ofType(PingFederateResourceType.OAuthClient);
    const [scope] = mocks.ofType(PingFederateResourceType.CommonScope);
    assert.ok(client && scope, `declared: ${mocks.resources.map((r) => r.type).join(", ")}`);
    assert.equal(mocks.ofType("coder-oidc:providers:PingFederateCoderClient").length, 1);
    const { __provider: _provider, ...inputs } = revealSecrets(client.inputs) as Record<string, unknown>;
    assert.deepEqual(inputs, {
      adminUrl: "https://pf.example.com:9999/pf-admin-api/v1",
      // Config strips surrounding whitespace from every text value.
      caCertificate: CA_PEM.trim(),
      insecureSkipTlsVerify: false,
      replicate: "auto",
      clientId: "coder",
      name: "Coder",
      description: "Coder at https://coder.example.com (managed by Pulumi, coder-oidc)",
      redirectUris: ["https://coder.example.com/api/v2/users/oidc/callback"],
      grantTypes: ["AUTHORIZATION_CODE", "REFRESH_TOKEN"],
      restrictScopes: true,
      restrictedScopes: ["openid", "profile", "email", "offline_access", "groups"],
      refreshRolling: "DONT_ROLL",
      persistentGrantExpirationType: "OVERRIDE_SERVER_DEFAULT",
      persistentGrantExpirationTime: 90,
      persistentGrantExpirationTimeUnit: "DAYS",
      persistentGrantIdleTimeoutType: "OVERRIDE_SERVER_DEFAULT",
      persistentGrantIdleTimeout: 36,
      persistentGrantIdleTimeoutTimeUnit: "HOURS",
      requireOfflineAccessScopeToIssueRefreshTokens: "YES",
      bypassApprovalPage: true,
      defaultAccessTokenManagerRef: { id: "coderAtm" },
      oidcPolicy: { policyGroup: { id: "coderOidcPolicy" } },
      secretVersion: "2026-01",
      secretOverlap: 43200,
    });
    const { __provider: _scopeProvider, ...scopeInputs } = revealSecrets(scope.inputs) as Record<string, unknown>;
    assert.deepEqual(scopeInputs, {
      adminUrl: "https://pf.example.com:9999/pf-admin-api/v1",
      caCertificate: CA_PEM.trim(),
      insecureSkipTlsVerify: false,
      replicate: "auto",
      name: "offline_access",
      description: "Stay signed in: issue refresh tokens that outlive the browser session",
    });
    assert.equal(outputs.CODER_OIDC_ISSUER_URL.value, "https://sso.example.com");
    assert.equal(outputs.CODER_OIDC_CLIENT_ID.value, "coder");
    assert.equal(outputs.CODER_OIDC_SCOPES.value, "openid,profile,email,offline_access,groups");
    const secret = outputs.CODER_OIDC_CLIENT_SECRET;
    assert.equal(secret.secret, true);
    assert.equal(secret.value, "fake-secret-of-coder-client");
  });

  test("the example stack Pulumi.prod-pingfederate.yaml is valid and declares the client", async () => {
    const file = resolve(__dirname, "../../../stacks/Pulumi.prod-pingfederate.yaml");
    const { config } = parse(readFileSync(file, "utf8")) as { config: Record<string, unknown> };
    const values = Object.fromEntries(Object.entries(config).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
    const pingfederate = JSON.parse(values["coder-oidc:pingfederate"]) as Record<string, unknown>;
    for (const key of ["username", "password", "token"]) assert.equal(key in pingfederate, false, `the example stores ${key}`);
    const { mocks } = await runProgram(values);
    const [client] = mocks.ofType(PingFederateResourceType.OAuthClient);
    assert.equal(client.inputs.adminUrl, "https://pf-admin.example.com:9999/pf-admin-api/v1");
    assert.deepEqual(client.inputs.restrictedScopes, ["openid", "profile", "email", "offline_access", "groups"]);
  });

  test("the serialized providers (__provider) hold no credential or secret", async () => {
    const { mocks } = await runProgram(stackValues());
    const leaks = [CONFIG_PASSWORD, ENV_PASSWORD, ENV_TOKEN, sim.password, realSecret];
    const dynamic = mocks.resources.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic"));
    assert.equal(dynamic.length, 2);
    for (const resource of dynamic) {
      const text = resource.inputs.__provider;
      assert.equal(typeof text, "string");
      assert.ok((text as string).includes("exports.handler"), "not a serialized provider");
      for (const leak of leaks) assert.ok(!(text as string).includes(leak), `${resource.type} __provider holds a secret`);
    }
    const everything = JSON.stringify(revealSecrets(mocks.resources.map((r) => r.inputs)));
    for (const leak of leaks) assert.ok(!everything.includes(leak), "a recorded input holds a secret");
    for (const provider of [pingFederateClientProvider, pingFederateScopeProvider]) {
      const serialized = await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
      assert.equal(serialized.containsSecrets, false);
      for (const leak of leaks) assert.ok(!serialized.text.includes(leak), "serializeFunction output holds a secret");
    }
  });

  test("the client secret is a secret output, also of the dynamic resource (additionalSecretOutputs)", async () => {
    const { component, seen } = await construct(stackValues());
    const secret = await resolveOutput(component.clientSecret);
    assert.equal(secret.secret, true);
    assert.equal(secret.value, "fake-secret-of-coder-client");
    const client = seen.find((args) => args.type === PingFederateResourceType.OAuthClient)!;
    assert.deepEqual((client.opts as pulumi.CustomResourceOptions).additionalSecretOutputs, ["clientSecret"]);
  });

  test("during preview the client secret is unknown and still secret", async () => {
    const { component } = await construct(stackValues(), true);
    const secret = await resolveOutput(component.clientSecret);
    assert.equal(secret.known, false);
    assert.equal(secret.secret, true);
  });

  test("the client is created after the offline_access scope it restricts itself to", async () => {
    const { seen } = await construct(stackValues());
    const client = seen.find((args) => args.type === PingFederateResourceType.OAuthClient)!;
    const scope = seen.find((args) => args.type === PingFederateResourceType.CommonScope)!;
    assert.deepEqual(client.opts.dependsOn, [scope.resource]);
  });

  test("without token lifetimes, the server's defaults apply, and refresh tokens never roll (rotation off by default)", async () => {
    const { mocks } = await construct(stackValues({ accessTokenManagerId: undefined, oidcPolicyGroupId: undefined }, {}));
    const inputs = mocks.ofType(PingFederateResourceType.OAuthClient)[0].inputs;
    assert.equal(inputs.persistentGrantExpirationType, "SERVER_DEFAULT");
    assert.equal(inputs.persistentGrantIdleTimeoutType, "SERVER_DEFAULT");
    // Not SERVER_DEFAULT: the server's own default (rollRefreshTokenValues) is to roll.
    assert.equal(inputs.refreshRolling, "DONT_ROLL");
    for (const key of [
      "persistentGrantExpirationTime", "persistentGrantIdleTimeout", "defaultAccessTokenManagerRef", "oidcPolicy",
      "refreshTokenRollingGracePeriodType", "refreshTokenRollingGracePeriod",
    ]) {
      assert.equal(key in inputs, false, `${key} is set`);
    }
  });

  test("refreshTokenRotation: on rolls refresh tokens with the reuse window as the client's grace period, and warns", async (t) => {
    const warn = t.mock.method(pulumi.log, "warn", async () => undefined);
    const { mocks } = await construct(stackValues({}, undefined, { "coder-oidc:refreshTokenRotation": "on", "coder-oidc:refreshTokenReuseWindow": "2m" }));
    const inputs = mocks.ofType(PingFederateResourceType.OAuthClient)[0].inputs;
    assert.equal(inputs.refreshRolling, "ROLL");
    assert.equal(inputs.refreshTokenRollingGracePeriodType, "OVERRIDE_SERVER_DEFAULT");
    assert.equal(inputs.refreshTokenRollingGracePeriod, 120);
    assert.deepEqual(warn.mock.calls.map((c) => String(c.arguments[0])), [
      "PingFederate rotates Coder's refresh tokens, with a 2m reuse window in which the previous one still works: Coder's " +
      "handling of rotating refresh tokens is still open (coder/coder#25275); if users are signed out after a refresh, " +
      "set coder-oidc:refreshTokenRotation to off.",
    ]);
  });

  test("pingfederate.rollRefreshTokens is refused, pointing to refreshTokenRotation", async () => {
    for (const roll of [true, false]) {
      await assert.rejects(construct(stackValues({ rollRefreshTokens: roll })), (error: ConfigError) => {
        assert.equal(error.code, "ERR_CONFIG_INVALID");
        assert.deepEqual(error.problems, [{
          key: "coder-oidc:pingfederate.rollRefreshTokens",
          message: "is replaced by coder-oidc:refreshTokenRotation: remove it; refreshTokenRotation off (the default) sets " +
            "refreshRolling DONT_ROLL, on (with coder-oidc:refreshTokenReuseWindow) sets ROLL with that grace period",
        }]);
        return true;
      });
    }
  });

  test("refresh lifetimes that are not whole minutes are config errors, so nothing is declared", async () => {
    await assert.rejects(construct(stackValues({}, { refreshIdleTimeout: "90s", refreshMaxLifetime: "1d" })), (error: ConfigError) => {
      assert.equal(error.code, "ERR_CONFIG_INVALID");
      assert.deepEqual(error.problems, [
        { key: "coder-oidc:tokens.refreshIdleTimeout", message: "must be whole minutes for PingFederate (its finest unit), got 90s" },
      ]);
      return true;
    });
  });

  test("insecureSkipTlsVerify is warned about on every run", async (t) => {
    const warn = t.mock.method(pulumi.log, "warn", async () => undefined);
    await construct(stackValues({ insecureSkipTlsVerify: true }));
    await construct(stackValues({ insecureSkipTlsVerify: true }));
    const messages = warn.mock.calls.map((c) => String(c.arguments[0])).filter((m) => m.includes("insecureSkipTlsVerify is true"));
    assert.equal(messages.length, 2);
    assert.match(messages[0], /Set coder-oidc:pingfederate\.caCertificate/);
  });

  test("an access-token lifetime is warned about: it belongs to the Access Token Manager", async (t) => {
    const warn = t.mock.method(pulumi.log, "warn", async () => undefined);
    await construct(stackValues({}, { accessTokenLifetime: "1h", refreshIdleTimeout: "30d" }));
    const message = warn.mock.calls.map((c) => String(c.arguments[0])).find((m) => m.includes("accessTokenLifetime"));
    assert.ok(message);
    assert.match(message, /\(1h\) is not applied: in PingFederate the access-token lifetime belongs to the Access Token Manager \("coderAtm"\)/);
  });

  test("refreshMaxLifetime alone, under the server's default 30-day idle timeout, is warned about", async (t) => {
    const warning = "coder-oidc:tokens.refreshMaxLifetime (7d) is shorter than the idle timeout the server applies as " +
      "tokens.refreshIdleTimeout is unset: its persistentGrantIdleTimeout, 30d by PingFederate's default (the value this plan " +
      "assumed; the server's own is not read). Set tokens.refreshIdleTimeout too, at most refreshMaxLifetime.";
    const cases: [Record<string, string>, boolean][] = [
      [{ refreshMaxLifetime: "7d" }, true], [{ refreshMaxLifetime: "29d" }, true], [{ refreshMaxLifetime: "30d" }, false],
      [{ refreshIdleTimeout: "1d", refreshMaxLifetime: "7d" }, false], [{ refreshIdleTimeout: "1d" }, false], [{}, false],
    ];
    for (const [tokens, warns] of cases) {
      const warn = t.mock.method(pulumi.log, "warn", async () => undefined);
      await construct(stackValues({}, tokens));
      const messages = warn.mock.calls.map((c) => String(c.arguments[0])).filter((m) => m.includes("persistentGrantIdleTimeout"));
      assert.equal(messages.length, warns ? 1 : 0, JSON.stringify(tokens));
      if (tokens.refreshMaxLifetime === "7d" && warns) assert.equal(messages[0], warning);
      warn.mock.restore();
    }
  });

  test("no warning when TLS is verified and no access-token lifetime is set", async (t) => {
    const warn = t.mock.method(pulumi.log, "warn", async () => undefined);
    await construct(stackValues());
    assert.equal(warn.mock.callCount(), 0);
  });
});
