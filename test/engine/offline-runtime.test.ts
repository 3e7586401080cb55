import { OFFLINE_CALL_ANSWERS } from "../support/idps";
/**
 * The offline runtime (engine/offline-runtime.ts) on its own: what the recording mocks record and answer for each
 * type and data source, in preview and not, how secrets are told and revealed, and how an Output resolves.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { installMocks, isSecretValue, RecordingMocks, resolveOutput, revealSecrets, settle, UNKNOWN_VALUE } from "../../engine/offline-runtime";

const SIG = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270" };
const secret = (value: unknown) => ({ ...SIG, value });
const register = (mocks: RecordingMocks, type: string, name: string, inputs: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) =>
  mocks.newResource({ type, name, inputs, id: undefined, provider: undefined, custom: true, ...extra } as pulumi.runtime.MockResourceArgs);

describe("secrets as Pulumi serializes them", () => {
  it("tells a secret by its signature alone", () => {
    assert.equal(isSecretValue(secret("s")), true);
    for (const value of [null, undefined, "s", 5, [], {}, { value: "s" }, { "4dabf18193072939515e22adb298388d": "other", value: "s" }]) {
      assert.equal(isSecretValue(value), false, JSON.stringify(value));
    }
  });

  it("reveals secrets wherever they are, a secret of a secret too, and leaves the rest", () => {
    assert.deepEqual(revealSecrets({ a: secret("x"), b: [1, secret({ c: secret("y") })], d: null, e: "plain" }), { a: "x", b: [1, { c: "y" }], d: null, e: "plain" });
  });
});

describe("RecordingMocks", () => {
  it("records each registration as the engine gets it, components as not custom", () => {
    const mocks = new RecordingMocks(false);
    register(mocks, "keycloak:openid/client:Client", "coder", { realmId: "main" }, { provider: "urn:p::id" });
    register(mocks, "coder-oidc:providers:KeycloakCoderClient", "c", {}, { custom: false });
    register(mocks, "x:y:Z", "d", {}, { custom: undefined });
    assert.deepEqual(mocks.resources, [
      { type: "keycloak:openid/client:Client", name: "coder", inputs: { realmId: "main" }, provider: "urn:p::id", custom: true },
      { type: "coder-oidc:providers:KeycloakCoderClient", name: "c", inputs: {}, provider: undefined, custom: false },
      { type: "x:y:Z", name: "d", inputs: {}, provider: undefined, custom: true },
    ]);
    assert.deepEqual(mocks.ofType("x:y:Z").map((r) => r.name), ["d"]);
    assert.deepEqual(mocks.ofType("none"), []);
  });

  it("makes up what each provider computes, well formed and the same for the same name", () => {
    const mocks = new RecordingMocks(false);
    const state = (type: string, name: string, inputs: Record<string, unknown> = {}) => register(mocks, type, name, inputs).state;
    assert.deepEqual(state("keycloak:openid/client:Client", "coder"), { clientSecret: "fake-secret-of-coder" });
    assert.deepEqual(state("azuread:index/application:Application", "coder"),
      { clientId: "00000000-0000-4000-8000-000005a71025", objectId: "11111111-0000-4000-8000-000005a71025" });
    assert.deepEqual(state("azuread:index/servicePrincipal:ServicePrincipal", "coder"), { objectId: "22222222-0000-4000-8000-000005a71025" });
    assert.deepEqual(state("azuread:index/applicationPassword:ApplicationPassword", "coder"), { value: "fake-password-of-coder", keyId: "000005a71025" });
    assert.deepEqual(state("gcp:secretmanager/secret:Secret", "s", { project: "p1", secretId: "coder-oidc" }),
      { project: "p1", secretId: "coder-oidc", name: "projects/p1/secrets/coder-oidc" });
    assert.deepEqual(state("gcp:secretmanager/secret:Secret", "s", { secretId: "x" }), { secretId: "x", name: "projects/project/secrets/x" });
    assert.deepEqual(state("gcp:secretmanager/secretVersion:SecretVersion", "v", { secret: "projects/p/secrets/x" }),
      { secret: "projects/p/secrets/x", name: "projects/p/secrets/x/versions/1", version: "1" });
    assert.deepEqual(state("okta:app/oAuth:OAuth", "coder"), { clientId: "0oa000005a71025", clientSecret: "fake-secret-of-coder" });
    assert.deepEqual(state("okta:auth/serverPolicy:ServerPolicy", "coder"), { id: "00p000005a71025" });
    assert.deepEqual(state("auth0:index/client:Client", "coder"), { clientId: "auth0-client-id-000005a71025" });
    assert.deepEqual(state("auth0:index/clientCredentials:ClientCredentials", "coder"), { clientSecret: "fake-secret-of-coder" });
    assert.deepEqual(state("pulumi-nodejs:dynamic:Resource", "pf"), { clientSecret: "fake-secret-of-pf" });
    assert.deepEqual(state("other:any:Type", "x", { a: 1 }), { a: 1 });
    assert.equal(state("okta:auth/serverPolicy:ServerPolicy", "a-much-longer-name-for-hashing").id, "00p00005804601e");
    assert.equal(register(mocks, "x:y:Z", "named").id, "named-id");
  });

  it("keeps an input the program set over what it would make up", () => {
    const mocks = new RecordingMocks(false);
    assert.deepEqual(register(mocks, "okta:app/oAuth:OAuth", "coder", { clientId: "given" }).state, { clientId: "given", clientSecret: "fake-secret-of-coder" });
  });

  it("in preview: what providers compute is unknown, and no resource has an id", () => {
    const mocks = new RecordingMocks(true);
    assert.deepEqual(register(mocks, "okta:app/oAuth:OAuth", "coder", { clientId: "given" }), { id: undefined, state: { clientId: "given", clientSecret: UNKNOWN_VALUE } });
    assert.deepEqual(register(mocks, "pulumi-nodejs:dynamic:Resource", "pf").state, { clientSecret: UNKNOWN_VALUE });
    assert.equal(UNKNOWN_VALUE, "04da6b54-80e4-46f7-96ec-b56ff0331ba9");
  });

  it("records each data-source call, answering from its table or with the inputs", () => {
    const mocks = new RecordingMocks(false, { "a:b:c": (inputs) => ({ got: inputs.x }) });
    assert.deepEqual(mocks.call({ token: "a:b:c", inputs: { x: 1 }, provider: "urn:p::id" } as pulumi.runtime.MockCallArgs), { got: 1 });
    assert.deepEqual(mocks.call({ token: "d:e:f", inputs: { y: 2 } } as pulumi.runtime.MockCallArgs), { y: 2 });
    assert.deepEqual(mocks.calls, [{ token: "a:b:c", inputs: { x: 1 }, provider: "urn:p::id" }, { token: "d:e:f", inputs: { y: 2 }, provider: undefined }]);
  });
});

describe("what the offline plan assumes of each IdP", () => {
  it("a Keycloak realm with Keycloak's built-in scopes and session settings", () => {
    const realm = OFFLINE_CALL_ANSWERS["keycloak:index/getRealm:getRealm"];
    assert.equal(realm.assumption, "the Keycloak realm has Keycloak's built-in client scopes and session settings");
    assert.deepEqual(realm.result({ realm: "main" }), {
      id: "main", realm: "main",
      defaultDefaultClientScopes: ["acr", "basic", "email", "profile", "role_list", "roles", "web-origins"],
      defaultOptionalClientScopes: ["address", "microprofile-jwt", "offline_access", "organization", "phone"],
      accessTokenLifespan: "5m0s", offlineSessionIdleTimeout: "720h0m0s", offlineSessionMaxLifespan: "1440h0m0s", offlineSessionMaxLifespanEnabled: false,
      revokeRefreshToken: false, refreshTokenMaxReuse: 0,
    });
  });

  it("Okta's Everyone group", () => {
    const everyone = OFFLINE_CALL_ANSWERS["okta:group/getEveryoneGroup:getEveryoneGroup"];
    assert.match(everyone.assumption, /built-in Everyone group \(every org does\); its id differs per org and is made up here$/);
    assert.deepEqual(everyone.result({}), { id: "00g0everyone0000000x7", description: "All users in your organization" });
  });

  it("Microsoft Graph's service principal with its documented scope ids; any other with none", () => {
    const sp = OFFLINE_CALL_ANSWERS["azuread:index/getServicePrincipal:getServicePrincipal"];
    assert.match(sp.assumption, /^the Entra ID tenant has Microsoft Graph's service principal \(every tenant does\)/);
    assert.deepEqual(sp.result({ clientId: "00000003-0000-0000-c000-000000000000" }), {
      clientId: "00000003-0000-0000-c000-000000000000", id: "/servicePrincipals/33333333-0000-4000-8000-000000000003",
      objectId: "33333333-0000-4000-8000-000000000003", displayName: "Microsoft Graph",
      oauth2PermissionScopeIds: {
        openid: "37f7f235-527c-4136-accd-4a02d197296e", profile: "14dad69e-099b-42c9-810b-d002981feec1",
        email: "64a6cdd6-aab1-4aaf-94b8-3cc8405e90d0", offline_access: "7427e0e9-2fba-42fe-b0c0-848c9e6a8182",
      },
    });
    assert.deepEqual(sp.result({ clientId: "x", displayName: "Other" }), {
      clientId: "x", displayName: "Other", id: "/servicePrincipals/44444444-0000-4000-8000-000000000004",
      objectId: "44444444-0000-4000-8000-000000000004", oauth2PermissionScopeIds: {},
    });
    assert.equal(sp.result({ clientId: "x" }).displayName, "service principal");
  });
});

describe("resolving Outputs", () => {
  it("keeps known-ness and secretness", async () => {
    assert.deepEqual(await resolveOutput("plain"), { known: true, secret: false, value: "plain" });
    assert.deepEqual(await resolveOutput(pulumi.secret("s")), { known: true, secret: true, value: "s" });
    assert.deepEqual(await resolveOutput(pulumi.output(pulumi.unknown)), { known: false, secret: false });
    assert.deepEqual(await resolveOutput(pulumi.secret(pulumi.output(pulumi.unknown))), { known: false, secret: true });
  });

  it("installs mocks and config the program reads, secrets marked, and lets pending work finish", async () => {
    const mocks = await installMocks({ values: { "ns:plain": "p", "ns:hidden": "h" }, secretKeys: ["ns:hidden"], stack: "dev" });
    const config = new pulumi.Config("ns");
    assert.equal(config.get("plain"), "p");
    assert.deepEqual(await resolveOutput(config.requireSecret("hidden")), { known: true, secret: true, value: "h" });
    assert.equal(pulumi.getStack(), "dev");
    let done = false;
    void Promise.resolve().then(() => new Promise((resolve) => setImmediate(resolve))).then(() => { done = true; });
    await settle();
    assert.equal(done, true);
    assert.deepEqual(mocks.resources, []);
  });
});
