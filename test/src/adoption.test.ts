import { OFFLINE_CALL_ANSWERS } from "../support/idps";
/**
 * coder-oidc:adoptClientId under the mock runtime, per IdP: the client is looked up, imported with Pulumi's
 * `import` option under the IdP's import id, its related resources declared, and the secret handled as the IdP
 * allows; the plan says what changes, field by field; a client that is not there is an error that names the IdP,
 * where it looked and the id.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { settle } from "../../engine/offline-runtime";
import { planStack, renderPlanText, type StackPlan } from "../../engine/plan";
import { only, runProgram } from "../support/program";

function stackValues(values: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
}

const CODER = { "coder-oidc:coderUrl": "https://coder.example.com" };
const CALLBACK = "https://coder.example.com/api/v2/users/oidc/callback";

/** Plans `values` with one offline answer changed (from the usual one); the answer is restored afterwards. */
async function planWith(values: Record<string, string>, secretKeys: string[], token: string,
  change: (usual: Record<string, unknown>) => Record<string, unknown>): Promise<StackPlan> {
  const saved = OFFLINE_CALL_ANSWERS[token];
  OFFLINE_CALL_ANSWERS[token] = { ...saved, result: (inputs) => change(saved.result(inputs)) };
  try {
    return await planStack("dev", { values, secretKeys: new Set(secretKeys) });
  } finally {
    OFFLINE_CALL_ANSWERS[token] = saved;
  }
}

function notFound(): never {
  throw new Error("not found: no such client");
}

/**
 * Runs a program whose lookup fails and hands back its error, after letting what the program had started finish
 * (the component's own registration), so that none of it reaches the next test's mocks.
 */
async function failedRun(...args: Parameters<typeof runProgram>): Promise<Error & { code?: string }> {
  const error = await runProgram(...args).then(() => assert.fail("expected the run to fail"), (e: unknown) => e as Error & { code?: string });
  await settle();
  return error;
}

// ------------------------------------------------------------------------------------------------
// Keycloak

const KEYCLOAK_GET_CLIENT = "keycloak:openid/getClient:getClient";
function keycloakStack(extra: Record<string, unknown> = {}): Record<string, string> {
  return stackValues({
    ...CODER,
    "coder-oidc:idp": "keycloak",
    "coder-oidc:keycloak": { realm: "engineering" },
    "keycloak:url": "https://sso.example.com",
    "keycloak:clientId": "pulumi-admin",
    "keycloak:clientSecret": "admin-client-secret-value",
    "coder-oidc:adoptClientId": "coder-prod",
    ...extra,
  });
}

describe("adoptClientId: Keycloak", () => {
  it("looks the client up by clientId in the realm and imports it as <realm>/<internal id>, keeping its secret", async () => {
    const { mocks, outputs } = await runProgram(keycloakStack(), {
      secretKeys: ["keycloak:clientSecret"],
      callResults: { [KEYCLOAK_GET_CLIENT]: (i) => ({ ...OFFLINE_CALL_ANSWERS[KEYCLOAK_GET_CLIENT].result(i), id: "uuid-1" }) },
    });
    const lookup = mocks.calls.find((c) => c.token === KEYCLOAK_GET_CLIENT);
    assert.deepEqual(lookup?.inputs, { realmId: "engineering", clientId: "coder-prod" });
    assert.ok(lookup?.provider?.includes("pulumi:providers:keycloak::coder-admin"), "through the stack's explicit provider");
    const client = only(mocks, "keycloak:openid/client:Client");
    assert.equal(client.importId, "engineering/uuid-1");
    assert.equal(client.inputs.clientId, "coder-prod");
    assert.equal(client.inputs.clientSecret, undefined, "the stack sends no secret: the one Keycloak has stays");
    const scopes = only(mocks, "keycloak:openid/clientOptionalScopes:ClientOptionalScopes");
    assert.equal(scopes.importId, undefined, "optional scopes cannot be imported; they are set");
    assert.ok((scopes.inputs.optionalScopes as string[]).includes("offline_access"));
    assert.equal(outputs.CODER_OIDC_CLIENT_ID.value, "coder-prod");
    assert.equal(outputs.CODER_OIDC_CLIENT_SECRET.secret, true);
    assert.equal(outputs.CODER_OIDC_CLIENT_SECRET.value, "fake-secret-of-coder-client", "the imported client's own secret");
  });

  it("imports the same id on every run, so leaving the key set is a no-op once the client is in the state", async () => {
    const ids = [];
    for (let run = 0; run < 2; run++) {
      const { mocks } = await runProgram(keycloakStack());
      ids.push(only(mocks, "keycloak:openid/client:Client").importId);
    }
    assert.equal(ids[0], ids[1]);
  });

  it("the plan lists the import, each field that changes, and a warning for each redirect URI the stack drops", async () => {
    const plan = await planWith(keycloakStack(), ["keycloak:clientSecret"], KEYCLOAK_GET_CLIENT, (usual) => ({
      ...usual,
      validRedirectUris: [CALLBACK, "https://old.example.com/callback"],
      webOrigins: ["https://coder.example.com"],
    }));
    const note = plan.notes.find((n) => n.startsWith("Keycloak: adopting"));
    assert.ok(note, plan.notes.join("\n"));
    assert.match(note, /imports coder-client \(import id engineering\/6f1c8a52-0000-4000-8000-00000000ad0b\)/);
    assert.match(note, /directAccessGrantsEnabled: true → false/);
    assert.match(note, /validRedirectUris: \["https:\/\/coder\.example\.com\/api\/v2\/users\/oidc\/callback","https:\/\/old\.example\.com\/callback"\] → \["https:\/\/coder\.example\.com\/api\/v2\/users\/oidc\/callback"\]/);
    assert.doesNotMatch(note, /webOrigins/, "an unchanged field is not listed");
    assert.match(note, /CODER_OIDC_CLIENT_SECRET is the secret Coder has today/);
    assert.ok(plan.warnings.some((w) => w.includes('replaces validRedirectUris: "https://old.example.com/callback" is removed')), plan.warnings.join("\n"));
    assert.equal(plan.resources.find((r) => r.name === "coder-client")?.importId, "engineering/6f1c8a52-0000-4000-8000-00000000ad0b");
  });

  it("no client with that id is an error naming Keycloak, the realm and the id, and where it looked", async () => {
    const error = await failedRun(keycloakStack(), { callResults: { [KEYCLOAK_GET_CLIENT]: notFound } });
    assert.equal(error.code, "ERR_ADOPT_CLIENT");
    assert.match(error.message, /^Keycloak has no client "coder-prod" in realm "engineering" at https:\/\/sso\.example\.com \(coder-oidc:adoptClientId\)/);
  });
});

// ------------------------------------------------------------------------------------------------
// PingFederate

function pingFederateStack(extra: Record<string, unknown> = {}): Record<string, string> {
  return stackValues({
    ...CODER,
    "coder-oidc:idp": "pingfederate",
    "coder-oidc:pingfederate": { adminUrl: "https://pf.example.com:9999/pf-admin-api/v1", issuerUrl: "https://sso.example.com" },
    "coder-oidc:adoptClientId": "coder-prod",
    ...extra,
  });
}

describe("adoptClientId: PingFederate", () => {
  it("adopts the OAuth client in place (Pulumi cannot import a dynamic resource): no import, the id as adoptClientId; no secret is issued", async () => {
    const { mocks, outputs } = await runProgram(pingFederateStack());
    const client = only(mocks, "pulumi-nodejs:dynamic/pingfederate:OAuthClient");
    assert.equal(client.importId, undefined);
    assert.equal(client.inputs.clientId, "coder-prod");
    assert.equal(client.inputs.adoptClientId, "coder-prod");
    assert.equal(only(mocks, "pulumi-nodejs:dynamic/pingfederate:CommonScope").importId, undefined);
    assert.equal(outputs.CODER_OIDC_CLIENT_ID.value, "coder-prod");
    assert.equal(outputs.CODER_OIDC_CLIENT_SECRET.value, undefined, "PingFederate's secret is write-only: the stack has none");
  });

  it("without adoptClientId the client carries no adoptClientId, so an existing client is refused as before", async () => {
    const values = pingFederateStack();
    delete values["coder-oidc:adoptClientId"];
    const { mocks } = await runProgram(values);
    assert.equal(only(mocks, "pulumi-nodejs:dynamic/pingfederate:OAuthClient").inputs.adoptClientId, undefined);
  });

  it("the plan says the client is taken over in place, which fields the stack manages, and that Coder keeps its secret", async () => {
    const plan = await planStack("dev", { values: pingFederateStack(), secretKeys: new Set() });
    const note = plan.notes.find((n) => n.startsWith("PingFederate: adopting"));
    assert.ok(note, plan.notes.join("\n"));
    assert.match(note, /takes it over in place \(no import\)/);
    assert.match(note, /Pulumi cannot import a dynamic resource/);
    assert.match(note, /Coder keeps the CODER_OIDC_CLIENT_SECRET it has/);
    assert.match(note, /change coder-oidc:pingfederate\.secretVersion/);
    assert.match(note, /redirect URI or scope there is replaced/);
    assert.match(renderPlanText(plan), /taken over in place when created \(no import\)/);
  });
});

// ------------------------------------------------------------------------------------------------
// Entra ID

const ENTRA_GET_APP = "azuread:index/getApplication:getApplication";
const ENTRA_GET_SP = "azuread:index/getServicePrincipal:getServicePrincipal";
const APP_ID = "00000000-0000-4000-8000-0000000000aa";
function entraStack(extra: Record<string, unknown> = {}): Record<string, string> {
  return stackValues({
    ...CODER,
    "coder-oidc:idp": "entra-id",
    "coder-oidc:entraId": { tenantId: "3f2504e0-4f89-41d3-9a0c-0305e82c3301", secretRotation: "2026-11" },
    "coder-oidc:adoptClientId": APP_ID,
    ...extra,
  });
}

describe("adoptClientId: Entra ID", () => {
  it("imports the application as /applications/<objectId> and its service principal as /servicePrincipals/<objectId>", async () => {
    const { mocks, outputs } = await runProgram(entraStack());
    assert.deepEqual(mocks.calls.find((c) => c.token === ENTRA_GET_APP)?.inputs, { clientId: APP_ID });
    const app = only(mocks, "azuread:index/application:Application");
    assert.equal(app.importId, "/applications/55555555-0000-4000-8000-00000000ad0b");
    const sp = only(mocks, "azuread:index/servicePrincipal:ServicePrincipal");
    assert.equal(sp.importId, "/servicePrincipals/44444444-0000-4000-8000-000000000004");
    // Coder's four Graph scopes are added; User.Read, which the app had, stays.
    const graph = (app.inputs.requiredResourceAccesses as { resourceAppId: string; resourceAccesses: { id: string }[] }[])
      .find((r) => r.resourceAppId === "00000003-0000-0000-c000-000000000000");
    assert.deepEqual(graph?.resourceAccesses.map((a) => a.id).sort(), [
      "14dad69e-099b-42c9-810b-d002981feec1", "37f7f235-527c-4136-accd-4a02d197296e", "64a6cdd6-aab1-4aaf-94b8-3cc8405e90d0",
      "7427e0e9-2fba-42fe-b0c0-848c9e6a8182", "e1fe6dd8-ba31-4d61-89e7-88639da4683d",
    ]);
    // A new password beside the ones the app has (never imported, never replacing one), and the consent grant.
    const password = only(mocks, "azuread:index/applicationPassword:ApplicationPassword");
    assert.equal(password.importId, undefined);
    assert.equal(password.name, "coder-secret-2026-11");
    assert.equal(only(mocks, "azuread:index/servicePrincipalDelegatedPermissionGrant:ServicePrincipalDelegatedPermissionGrant").importId, undefined);
    assert.equal(outputs.CODER_OIDC_CLIENT_SECRET.secret, true);
  });

  it("keeps the API's exposed scopes, other APIs' permissions, the home page and logout URL of the application", async () => {
    const scope = { id: "aaaaaaaa-0000-4000-8000-000000000001", value: "coder.read", type: "User", enabled: true,
      adminConsentDescription: "d", adminConsentDisplayName: "n", userConsentDescription: "d", userConsentDisplayName: "n" };
    const { mocks } = await runProgram(entraStack(), {
      callResults: {
        [ENTRA_GET_APP]: (i) => ({
          ...OFFLINE_CALL_ANSWERS[ENTRA_GET_APP].result(i),
          requiredResourceAccesses: [{ resourceAppId: "other-api", resourceAccesses: [{ id: "r1", type: "Role" }] }],
          webs: [{ homepageUrl: "https://home.example.com", logoutUrl: "https://coder.example.com/logout", redirectUris: [CALLBACK], implicitGrants: [] }],
          apis: [{ requestedAccessTokenVersion: 2, knownClientApplications: [], oauth2PermissionScopes: [scope] }],
        }),
      },
    });
    const app = only(mocks, "azuread:index/application:Application");
    const accesses = app.inputs.requiredResourceAccesses as { resourceAppId: string }[];
    assert.deepEqual(accesses.map((a) => a.resourceAppId), ["other-api", "00000003-0000-0000-c000-000000000000"]);
    const web = app.inputs.web as Record<string, unknown>;
    assert.equal(web.homepageUrl, "https://home.example.com");
    assert.equal(web.logoutUrl, "https://coder.example.com/logout");
    assert.deepEqual((app.inputs.api as { oauth2PermissionScopes: unknown[] }).oauth2PermissionScopes, [scope]);
  });

  it("an application without a service principal gets one created", async () => {
    const { mocks } = await runProgram(entraStack(), {
      callResults: {
        [ENTRA_GET_SP]: (i) => {
          if (i.clientId === APP_ID) throw new Error("service principal not found");
          return OFFLINE_CALL_ANSWERS[ENTRA_GET_SP].result(i);
        },
      },
    });
    assert.equal(only(mocks, "azuread:index/servicePrincipal:ServicePrincipal").importId, undefined);
  });

  it("the plan says the secret Coder has keeps working and a new one is added beside it", async () => {
    const plan = await planStack("dev", { values: entraStack(), secretKeys: new Set() });
    const note = plan.notes.find((n) => n.startsWith("Entra ID: adopting"));
    assert.ok(note, plan.notes.join("\n"));
    assert.match(note, /imports coder-app \(import id \/applications\/55555555-0000-4000-8000-00000000ad0b\), coder-sp/);
    assert.match(note, /web\.redirectUris: \[\] → \["https:\/\/coder\.example\.com\/api\/v2\/users\/oidc\/callback"\]/);
    assert.match(note, /the secrets the application has are not touched/);
    assert.match(note, /ends 2027-04-30T00:00:00Z/);
  });

  it("no application with that id is an error naming Entra ID, the tenant and the id", async () => {
    const error = await failedRun(entraStack(), { callResults: { [ENTRA_GET_APP]: notFound } });
    assert.equal(error.code, "ERR_ADOPT_CLIENT");
    assert.match(error.message, /^Entra ID has no client "00000000-0000-4000-8000-0000000000aa" in tenant 3f2504e0-4f89-41d3-9a0c-0305e82c3301/);
  });
});

// ------------------------------------------------------------------------------------------------
// Okta

const OKTA_GET_APP = "okta:app/getOauth:getOauth";
const OKTA_APP = "0oa1b2c3d4e5f6g7h8i9";
function oktaStack(extra: Record<string, unknown> = {}): Record<string, string> {
  return stackValues({
    ...CODER,
    "coder-oidc:idp": "okta",
    "coder-oidc:okta": { authorizationServer: "default", assignedGroups: ["00g1"] },
    "coder-oidc:tokens": { refreshIdleTimeout: "30d" },
    "okta:orgName": "dev-1",
    "okta:apiToken": "okta-api-token-value",
    "coder-oidc:adoptClientId": OKTA_APP,
    ...extra,
  });
}

describe("adoptClientId: Okta", () => {
  it("imports the OAuth app by its app id, assigns the groups and gives Coder's client its access policy", async () => {
    const { mocks, outputs } = await runProgram(oktaStack(), { secretKeys: ["okta:apiToken"] });
    assert.deepEqual(mocks.calls.find((c) => c.token === OKTA_GET_APP)?.inputs, { id: OKTA_APP });
    const app = only(mocks, "okta:app/oAuth:OAuth");
    assert.equal(app.importId, OKTA_APP);
    assert.deepEqual(app.inputs.grantTypes, ["authorization_code", "refresh_token"]);
    assert.equal(only(mocks, "okta:app/groupAssignment:GroupAssignment").inputs.appId, OKTA_APP, "the imported app's id");
    assert.equal(mocks.ofType("okta:auth/serverPolicy:ServerPolicy").length, 1);
    assert.equal(outputs.CODER_OIDC_CLIENT_SECRET.secret, true);
    assert.equal(outputs.CODER_OIDC_CLIENT_SECRET.value, "fake-secret-of-coder-app", "the imported app's own secret");
  });

  it("the plan lists the grant types the stack adds", async () => {
    const plan = await planStack("dev", { values: oktaStack(), secretKeys: new Set(["okta:apiToken"]) });
    const note = plan.notes.find((n) => n.startsWith("Okta: adopting"));
    assert.ok(note, plan.notes.join("\n"));
    assert.match(note, /grantTypes: \["authorization_code"\] → \["authorization_code","refresh_token"\]/);
    assert.match(note, /Okta gives it back/);
  });

  it("no app with that id is an error naming Okta, the org and the id", async () => {
    const error = await failedRun(oktaStack(), { secretKeys: ["okta:apiToken"], callResults: { [OKTA_GET_APP]: notFound } });
    assert.equal(error.code, "ERR_ADOPT_CLIENT");
    assert.match(error.message, /^Okta has no client "0oa1b2c3d4e5f6g7h8i9" in org dev-1\.okta\.com/);
  });
});

// ------------------------------------------------------------------------------------------------
// Auth0

const AUTH0_GET_CLIENT = "auth0:index/getClient:getClient";
const AUTH0_CLIENT = "AaiyAPdpYdesoKnqjj8HJqRn4T5titww";
function auth0Stack(extra: Record<string, unknown> = {}): Record<string, string> {
  return stackValues({
    ...CODER,
    "coder-oidc:idp": "auth0",
    "auth0:domain": "example.us.auth0.com",
    "auth0:apiToken": "auth0-api-token-value",
    "coder-oidc:adoptClientId": AUTH0_CLIENT,
    ...extra,
  });
}

describe("adoptClientId: Auth0", () => {
  it("imports the application and its client credentials, both by client_id, keeping the secret", async () => {
    const { mocks, outputs } = await runProgram(auth0Stack(), { secretKeys: ["auth0:apiToken"] });
    assert.deepEqual(mocks.calls.find((c) => c.token === AUTH0_GET_CLIENT)?.inputs, { clientId: AUTH0_CLIENT });
    assert.equal(only(mocks, "auth0:index/client:Client").importId, AUTH0_CLIENT);
    const credentials = only(mocks, "auth0:index/clientCredentials:ClientCredentials");
    assert.equal(credentials.importId, AUTH0_CLIENT);
    assert.equal(credentials.inputs.clientSecret, undefined, "no secret is sent: Auth0's stays");
    assert.equal(outputs.CODER_OIDC_CLIENT_SECRET.value, "fake-secret-of-coder-credentials");
    assert.equal(outputs.CODER_OIDC_CLIENT_SECRET.secret, true);
  });

  it("the plan lists the refresh-token fixes field by field", async () => {
    const plan = await planStack("dev", { values: auth0Stack(), secretKeys: new Set(["auth0:apiToken"]) });
    const note = plan.notes.find((n) => n.startsWith("Auth0: adopting"));
    assert.ok(note, plan.notes.join("\n"));
    assert.match(note, /imports coder-client \(import id AaiyAPdpYdesoKnqjj8HJqRn4T5titww\), coder-credentials/);
    assert.match(note, /grantTypes: \["authorization_code","implicit","client_credentials"\] → \["authorization_code","refresh_token"\]/);
    assert.match(note, /refreshToken\.expirationType: "non-expiring" → "expiring"/);
    assert.ok(plan.warnings.some((w) => w.includes('replaces grantTypes: "implicit", "client_credentials" are removed')));
  });

  it("no application with that client_id is an error naming Auth0, the tenant and the id", async () => {
    const error = await failedRun(auth0Stack(), { secretKeys: ["auth0:apiToken"], callResults: { [AUTH0_GET_CLIENT]: notFound } });
    assert.equal(error.code, "ERR_ADOPT_CLIENT");
    assert.match(error.message, /^Auth0 has no client "AaiyAPdpYdesoKnqjj8HJqRn4T5titww" in tenant example\.us\.auth0\.com/);
  });
});
