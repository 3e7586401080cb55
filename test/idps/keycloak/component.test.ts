import { OFFLINE_CALL_ANSWERS } from "../../support/idps";
import assert from "node:assert/strict";
import { describe, it, type TestContext } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { isSecretValue, revealSecrets, settle } from "../../../engine/offline-runtime";
import { planStack } from "../../../engine/plan";
import { configProblems, plaintextStrings, runProgram, stackConfig, installStackMocks } from "../../support/program";

const CLIENT = "keycloak:openid/client:Client";
const OPTIONAL_SCOPES = "keycloak:openid/clientOptionalScopes:ClientOptionalScopes";
const PROVIDER = "pulumi:providers:keycloak";
const GET_REALM = "keycloak:index/getRealm:getRealm";

function keycloakStack(overrides: Record<string, unknown> = {}): Record<string, string> {
  const values: Record<string, unknown> = {
    "coder-oidc:coderUrl": "https://coder.example.com/",
    "coder-oidc:idp": "keycloak",
    "coder-oidc:keycloak": { realm: "engineering" },
    "keycloak:url": "https://sso.example.com",
    "keycloak:clientId": "pulumi-admin",
    "keycloak:clientSecret": "admin-client-secret-value",
    ...overrides,
  };
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
}

describe("KeycloakCoderClient", () => {
  it("declares a confidential client with only the standard flow and Coder's callback", async () => {
    const { mocks } = await runProgram(keycloakStack());
    assert.equal(mocks.ofType(CLIENT).length, 1);
    const [client] = mocks.ofType(CLIENT);
    assert.equal(client.name, "coder-client");
    const i = client.inputs;
    assert.equal(i.realmId, "engineering");
    assert.equal(i.clientId, "coder");
    assert.equal(i.name, "Coder");
    assert.equal(i.accessType, "CONFIDENTIAL");
    assert.equal(i.enabled, true);
    assert.equal(i.standardFlowEnabled, true);
    assert.equal(i.implicitFlowEnabled, false);
    assert.equal(i.directAccessGrantsEnabled, false);
    assert.equal(i.serviceAccountsEnabled, false);
    assert.equal(i.useRefreshTokens, true);
    assert.deepEqual(i.validRedirectUris, ["https://coder.example.com/api/v2/users/oidc/callback"]);
    assert.deepEqual(i.webOrigins, ["https://coder.example.com"]);
    // No lifetimes configured → none sent, so the realm's apply.
    assert.equal(i.accessTokenLifespan, undefined);
    assert.equal(i.clientOfflineSessionIdleTimeout, undefined);
    assert.equal(i.clientOfflineSessionMaxLifespan, undefined);
  });

  it("sets token lifetimes on the client in seconds, each to its own attribute", async () => {
    const { mocks } = await runProgram(keycloakStack({
      "coder-oidc:tokens": { accessTokenLifetime: "5m", refreshIdleTimeout: "30d", refreshMaxLifetime: "90d" },
    }));
    const i = mocks.ofType(CLIENT)[0].inputs;
    assert.equal(i.accessTokenLifespan, "300");
    assert.equal(i.clientOfflineSessionIdleTimeout, "2592000");
    assert.equal(i.clientOfflineSessionMaxLifespan, "7776000");
  });

  it("uses the configured client id and display name", async () => {
    const { mocks, outputs } = await runProgram(keycloakStack({ "coder-oidc:clientId": "coder-prod", "coder-oidc:displayName": "Coder (prod)" }));
    assert.equal(mocks.ofType(CLIENT)[0].inputs.clientId, "coder-prod");
    assert.equal(mocks.ofType(CLIENT)[0].inputs.name, "Coder (prod)");
    assert.equal(outputs.CODER_OIDC_CLIENT_ID.value, "coder-prod");
  });

  it("attaches offline_access without dropping the optional scopes the realm gives every client", async () => {
    const { mocks } = await runProgram(keycloakStack({ "coder-oidc:extraScopes": ["groups", "email"] }));
    const scopes = mocks.ofType(OPTIONAL_SCOPES);
    assert.equal(scopes.length, 1);
    // Realm defaults (the offline answer: Keycloak's built-ins) kept, offline_access and groups added;
    // email is a realm default scope already, so it is not made optional too.
    assert.deepEqual(scopes[0].inputs.optionalScopes,
      ["address", "microprofile-jwt", "offline_access", "organization", "phone", "groups"]);
    assert.equal(scopes[0].inputs.clientId, "coder-client-id");
    assert.equal(scopes[0].inputs.realmId, "engineering");
  });

  it("adds offline_access even when the realm does not offer it", async () => {
    const mocks = await installStackMocks({
      values: keycloakStack(),
      callResults: {
        "keycloak:index/getRealm:getRealm": () => ({ defaultDefaultClientScopes: ["profile", "email"], defaultOptionalClientScopes: ["phone"] }),
      },
    });
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    await (require("../../../program/index") as () => Promise<unknown>)();
    await settle();
    assert.deepEqual(mocks.ofType(OPTIONAL_SCOPES)[0].inputs.optionalScopes, ["phone", "offline_access"]);
  });

  it("manages the client through an explicit provider built from the keycloak:* keys", async () => {
    const { mocks } = await runProgram(keycloakStack({
      "keycloak:basePath": "/auth", "keycloak:tlsInsecureSkipVerify": "true", "keycloak:clientTimeout": "30",
    }));
    const [provider] = mocks.ofType(PROVIDER);
    assert.equal(provider.inputs.url, "https://sso.example.com");
    assert.equal(provider.inputs.basePath, "/auth");
    assert.equal(provider.inputs.tlsInsecureSkipVerify, "true");
    assert.equal(provider.inputs.clientTimeout, "30");
    const managed = mocks.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"));
    assert.ok(managed.length >= 2);
    for (const r of managed) {
      assert.match(r.provider ?? "", /::coder-oidc:providers:KeycloakCoderClient\$pulumi:providers:keycloak::coder-admin::coder-admin-id$/, `${r.type} uses the explicit provider`);
    }
  });

  it("keeps admin credentials secret even when they were set without --secret", async () => {
    const { mocks } = await runProgram(keycloakStack({ "keycloak:password": "admin-password", "keycloak:username": "admin" }));
    const [provider] = mocks.ofType(PROVIDER);
    assert.ok(isSecretValue(provider.inputs.clientSecret));
    assert.ok(isSecretValue(provider.inputs.password));
    assert.equal(revealSecrets(provider.inputs.password), "admin-password");
  });

  it("keeps any keycloak:* value set with --secret secret in the provider's inputs, not only credentials", async () => {
    const { mocks } = await runProgram(
      keycloakStack({ "keycloak:additionalHeaders": { Authorization: "Bearer header-token" }, "keycloak:tlsClientCertificate": "client-cert-pem" }),
      { secretKeys: ["keycloak:additionalHeaders", "keycloak:tlsClientCertificate"] },
    );
    const [provider] = mocks.ofType(PROVIDER);
    assert.ok(isSecretValue(provider.inputs.additionalHeaders));
    assert.ok(isSecretValue(provider.inputs.tlsClientCertificate));
    assert.ok(!plaintextStrings(provider.inputs).some((v) => v.includes("header-token") || v.includes("client-cert-pem")));
  });

  it("outputs the issuer, the client and the Coder scopes and params", async () => {
    const { outputs } = await runProgram(keycloakStack({ "coder-oidc:extraScopes": ["groups"] }));
    assert.equal(outputs.CODER_OIDC_ISSUER_URL.value, "https://sso.example.com/realms/engineering");
    assert.equal(outputs.CODER_OIDC_SCOPES.value, "openid,profile,email,offline_access,groups");
    assert.equal(outputs.CODER_OIDC_AUTH_URL_PARAMS.value, '{"access_type":"offline"}');
    assert.equal(outputs.CODER_OIDC_CLIENT_SECRET.secret, true);
    assert.equal(outputs.CODER_OIDC_CLIENT_SECRET.value, "fake-secret-of-coder-client");
  });

  it("builds the issuer from keycloak:basePath, or takes the issuerUrl override", async () => {
    let run = await runProgram(keycloakStack({ "keycloak:basePath": "/auth" }));
    assert.equal(run.outputs.CODER_OIDC_ISSUER_URL.value, "https://sso.example.com/auth/realms/engineering");
    run = await runProgram(keycloakStack({
      "coder-oidc:keycloak": { realm: "engineering", issuerUrl: "https://login.example.com/realms/engineering" },
    }));
    assert.equal(run.outputs.CODER_OIDC_ISSUER_URL.value, "https://login.example.com/realms/engineering");
  });

  it("marks the client secret unknown during preview, and still secret", async () => {
    const { outputs } = await runProgram(keycloakStack(), { preview: true });
    assert.deepEqual(outputs.CODER_OIDC_CLIENT_SECRET, { known: false, secret: true });
    assert.equal(outputs.CODER_OIDC_CLIENT_ID.value, "coder");
  });

  it("never puts a secret in plaintext in a stack output or a non-secret input", async () => {
    const secrets = ["admin-client-secret-value", "admin-password", "fake-secret-of-coder-client"];
    const { mocks, outputs } = await runProgram(
      keycloakStack({ "keycloak:password": "admin-password", "keycloak:username": "admin" }),
      { secretKeys: ["keycloak:clientSecret", "keycloak:password"] },
    );
    const visible = [
      ...mocks.resources.flatMap((r) => plaintextStrings(r.inputs)),
      ...Object.values(outputs).filter((o) => !o.secret).map((o) => String(o.value)),
    ];
    assert.ok(visible.length > 10);
    for (const secret of secrets) assert.ok(!visible.some((v) => v.includes(secret)), `${secret} leaked`);
  });

  it("warns that the offline max lifespan needs the realm's Offline Session Max Limited", async () => {
    const values = keycloakStack({ "coder-oidc:tokens": { refreshIdleTimeout: "30d", refreshMaxLifetime: "90d" } });
    const plan = await planStack("t", stackConfig(values));
    assert.ok(plan.warnings.some((w) => w.includes('does not enable "Offline Session Max Limited"')), plan.warnings.join("\n"));
    const quiet = await planStack("t", stackConfig(keycloakStack({ "coder-oidc:tokens": { refreshIdleTimeout: "30d" } })));
    assert.deepEqual(quiet.warnings, []);
  });

  it("warns when the realm's offline idle is shorter than the requested idle timeout", async () => {
    const plan = await planStack("t", stackConfig(keycloakStack({ "coder-oidc:tokens": { refreshIdleTimeout: "45d" } })));
    assert.ok(plan.warnings.some((w) => w.includes("Offline Session Idle 720h0m0s")), plan.warnings.join("\n"));
  });
});

describe("KeycloakCoderClient: refresh-token rotation", () => {

  it("refuses refreshTokenRotation: on, since Keycloak has no reuse window", () => {
    const p = configProblems(keycloakStack({ "coder-oidc:refreshTokenRotation": "on", "coder-oidc:refreshTokenReuseWindow": "30s" }));
    assert.equal(p.get("coder-oidc:refreshTokenRotation"),
      "cannot be on with Keycloak: Keycloak has no client setting for rotation: it is the realm's \"Revoke Refresh Token\", " +
      "whose only allowance is a reuse count (Refresh Token Max Reuse), not a time window, so Coder's concurrent refreshes " +
      "can still be refused with invalid_grant; keep refreshTokenRotation off and the realm's Revoke Refresh Token off");
  });

  it("warns, naming the realm setting, when the realm revokes refresh tokens", async (t) => {
    const warn = t.mock.method(pulumi.log, "warn", async () => undefined);
    const realm = OFFLINE_CALL_ANSWERS[GET_REALM].result;
    await installStackMocks({
      values: keycloakStack(),
      callResults: { [GET_REALM]: (inputs) => ({ ...realm(inputs), revokeRefreshToken: true, refreshTokenMaxReuse: 2 }) },
    });
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    await (require("../../../program/index") as () => Promise<unknown>)();
    await settle();
    assert.deepEqual(warn.mock.calls.map((c) => String(c.arguments[0])), [
      'Keycloak realm "engineering" has "Revoke Refresh Token" on (Refresh Token Max Reuse 2): a refresh token is revoked ' +
      "once used beyond that count, and Keycloak offers no reuse window in time, so Coder's concurrent refreshes are " +
      "answered with invalid_grant and users are signed out at random (coder/coder#25275). Keycloak has no client " +
      "setting to override it: turn Revoke " +
      "Refresh Token off in the realm (Realm settings > Sessions / Tokens).",
    ]);
  });

  it("says nothing about rotation when the realm does not revoke refresh tokens", async () => {
    const plan = await planStack("t", stackConfig(keycloakStack()));
    assert.deepEqual(plan.warnings, []);
  });
});

describe("KeycloakCoderClient: the realm it reads", () => {
  /** The warnings of a run whose realm has `realm` over Keycloak's defaults, and the run's mocks. */
  async function realmRun(t: TestContext, realm: Record<string, unknown>, tokens?: Record<string, string>) {
    const warn = t.mock.method(pulumi.log, "warn", async () => undefined);
    const defaults = OFFLINE_CALL_ANSWERS[GET_REALM].result;
    const mocks = await installStackMocks({
      values: keycloakStack(tokens ? { "coder-oidc:tokens": tokens } : {}),
      callResults: { [GET_REALM]: (inputs) => ({ ...defaults(inputs), ...realm }) },
    });
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    await (require("../../../program/index") as () => Promise<unknown>)();
    await settle();
    return { mocks, warnings: warn.mock.calls.map((c) => String(c.arguments[0])) };
  }
  const capped = (idle: string) => `Keycloak realm "engineering" has Offline Session Idle ${idle}, shorter than ` +
    "coder-oidc:tokens.refreshIdleTimeout: Keycloak caps the client's value at the realm's.";

  it("reads the realm through the explicit provider", async (t: TestContext) => {
    const { mocks } = await realmRun(t, {});
    const [call] = mocks.calls.filter((c) => c.token === GET_REALM);
    assert.deepEqual(call.inputs, { realm: "engineering" });
    // The URN names the provider's parent too: the component.
    assert.equal(call.provider,
      "urn:pulumi:test::coder-oidc::coder-oidc:providers:KeycloakCoderClient$pulumi:providers:keycloak::coder-admin::coder-admin-id");
  });

  it("offers offline_access and Coder's scopes when the realm has no optional or default scopes", async (t: TestContext) => {
    const { mocks } = await realmRun(t, { defaultDefaultClientScopes: undefined, defaultOptionalClientScopes: undefined });
    assert.deepEqual(mocks.ofType(OPTIONAL_SCOPES)[0].inputs.optionalScopes, ["offline_access", "profile", "email"]);
  });

  it("warns that the offline max lifespan needs the realm's Offline Session Max Limited, only when it is off", async (t: TestContext) => {
    assert.deepEqual((await realmRun(t, { offlineSessionMaxLifespanEnabled: false }, { refreshMaxLifetime: "30d" })).warnings, [
      'Keycloak realm "engineering" does not enable "Offline Session Max Limited": the client\'s offline max lifespan ' +
      "(coder-oidc:tokens.refreshMaxLifetime) applies only when the realm enables it.",
    ]);
    t.mock.restoreAll();
    assert.deepEqual((await realmRun(t, { offlineSessionMaxLifespanEnabled: true }, { refreshMaxLifetime: "30d" })).warnings, []);
  });

  it("warns when refreshIdleTimeout is under the realm's access token lifespan, which the client then uses", async (t: TestContext) => {
    const warning = 'Keycloak realm "engineering" has an access token lifespan of 10m (the value this plan used; offline, ' +
      "Keycloak's default), longer than coder-oidc:tokens.refreshIdleTimeout (5m): Coder's refresh tokens would expire " +
      "unused before its access token does; set coder-oidc:tokens.accessTokenLifetime for the client, or a longer refreshIdleTimeout.";
    const cases: [string, Record<string, string> | undefined, boolean][] = [
      ["10m0s", { refreshIdleTimeout: "5m" }, true], ["10m0s", { refreshIdleTimeout: "10m" }, false],
      ["10m0s", { accessTokenLifetime: "1m", refreshIdleTimeout: "5m" }, false], ["", { refreshIdleTimeout: "5m" }, false],
      ["10m0s", undefined, false],
    ];
    for (const [accessTokenLifespan, tokens, warns] of cases) {
      t.mock.restoreAll();
      const { warnings } = await realmRun(t, { accessTokenLifespan }, tokens);
      assert.deepEqual(warnings.filter((w) => w.includes("access token lifespan")), warns ? [warning] : [], `${accessTokenLifespan} ${JSON.stringify(tokens)}`);
    }
    // Offline, the realm is Keycloak's defaults: a 5-minute access token lifespan.
    t.mock.restoreAll();
    const { warnings } = await realmRun(t, {}, { refreshIdleTimeout: "2m" });
    assert.ok(warnings.some((w) => w.startsWith('Keycloak realm "engineering" has an access token lifespan of 5m (')), warnings.join("\n"));
  });

  it("warns when refreshMaxLifetime alone is under the realm's Offline Session Idle, where the realm limits the max", async (t: TestContext) => {
    const warning = 'Keycloak realm "engineering" has Offline Session Idle 30d (the value this plan used; offline, Keycloak\'s ' +
      "default), longer than coder-oidc:tokens.refreshMaxLifetime (7d): set coder-oidc:tokens.refreshIdleTimeout too, at most refreshMaxLifetime.";
    const limited = { offlineSessionIdleTimeout: "720h0m0s", offlineSessionMaxLifespanEnabled: true };
    const cases: [Record<string, unknown>, Record<string, string> | undefined, boolean][] = [
      [limited, { refreshMaxLifetime: "7d" }, true], [limited, { refreshMaxLifetime: "30d" }, false],
      [limited, { refreshIdleTimeout: "1d", refreshMaxLifetime: "7d" }, false], [limited, undefined, false],
      [{ ...limited, offlineSessionMaxLifespanEnabled: false }, { refreshMaxLifetime: "7d" }, false],
      [{ ...limited, offlineSessionIdleTimeout: "" }, { refreshMaxLifetime: "7d" }, false],
    ];
    for (const [realm, tokens, warns] of cases) {
      t.mock.restoreAll();
      const { warnings } = await realmRun(t, realm, tokens);
      assert.deepEqual(warnings.filter((w) => w.includes("refreshMaxLifetime (")), warns ? [warning] : [], `${JSON.stringify(realm)} ${JSON.stringify(tokens)}`);
    }
  });

  it("warns when the realm's Offline Session Idle, a Go duration, is shorter than the client's", async (t: TestContext) => {
    const cases: [string, string, boolean][] = [
      ["1h0m0s", "2h", true], ["1h0m0s", "1h", false], [" 1h ", "2h", true], ["1.25h", "2h", true], ["1.25h", "75m", false],
      ["90m0.5s", "91m", true], ["0s", "2h", false], ["forever", "2h", false], ["junk1h", "4h", false], ["", "2h", false],
    ];
    for (const [idle, client, warns] of cases) {
      t.mock.restoreAll();
      const { warnings } = await realmRun(t, { offlineSessionIdleTimeout: idle }, { refreshIdleTimeout: client });
      assert.deepEqual(warnings, warns ? [capped(idle)] : [], `${idle} vs ${client}`);
    }
  });
});
