import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  isCoderCallback,
  requireKeycloakAuthorizationCodeFlowOnly,
  requireKeycloakConfidentialClient,
  requireKeycloakCoderRedirectUris,
  requireKeycloakOfflineAccessOptionalScope,
  requireKeycloakOfflineIdleCoversAccessToken,
} from "../../../idps/keycloak/policy";
import { KEYCLOAK_CLIENT } from "../../policy/fixtures";
import { UNKNOWN_STRING, validateResource, validateStack } from "../../policy/support";

const CLIENT = "keycloak:openid/client:Client";
const OPTIONAL = "keycloak:openid/clientOptionalScopes:ClientOptionalScopes";

const client = (props: Record<string, unknown> = {}) => ({ type: CLIENT, name: "coder-client", props: { ...KEYCLOAK_CLIENT, ...props } });

describe("keycloak-client-confidential", () => {
  const policy = requireKeycloakConfidentialClient("keycloak-client-confidential");
  it("passes a CONFIDENTIAL client", async () => assert.deepEqual((await validateResource(policy, client())).violations, []));
  it("fails a PUBLIC client, saying to set CONFIDENTIAL", async () => {
    const { violations } = await validateResource(policy, client({ accessType: "PUBLIC" }));
    assert.equal(violations.length, 1);
    assert.match(violations[0], /coder-client: accessType is PUBLIC; set accessType: "CONFIDENTIAL"/);
  });
  it("is not applicable to other resources", async () => {
    const outcome = await validateResource(policy, { type: OPTIONAL, name: "x", props: {} });
    assert.match(outcome.notApplicable ?? "", /keycloak:openid\/client:Client/);
  });
  it("does not fail on an unknown accessType behind the engine's proxy", async () => {
    assert.deepEqual((await validateResource(policy, client({ accessType: UNKNOWN_STRING }), { proxy: true })).violations, []);
  });
});

describe("keycloak-client-authorization-code-flow-only", () => {
  const policy = requireKeycloakAuthorizationCodeFlowOnly("flows");
  it("passes standard flow only", async () => assert.deepEqual((await validateResource(policy, client())).violations, []));
  it("fails when the standard flow is left at its default (off)", async () => {
    const { violations } = await validateResource(policy, client({ standardFlowEnabled: undefined }));
    assert.match(violations.join("\n"), /set standardFlowEnabled: true/);
  });
  it("fails implicit flow and direct access grants, one message each", async () => {
    const { violations } = await validateResource(policy, client({ implicitFlowEnabled: true, directAccessGrantsEnabled: true }));
    assert.equal(violations.length, 2);
    assert.match(violations[0], /set implicitFlowEnabled: false/);
    assert.match(violations[1], /set directAccessGrantsEnabled: false/);
  });
});

describe("keycloak-client-redirects-to-coder-only", () => {
  const policy = requireKeycloakCoderRedirectUris("redirects");
  it("passes Coder's callback", async () => assert.deepEqual((await validateResource(policy, client())).violations, []));
  it("fails a wildcard and another path, naming them", async () => {
    const { violations } = await validateResource(policy, client({ validRedirectUris: ["https://coder.example.com/*", "https://coder.example.com/login"] }));
    assert.equal(violations.length, 1);
    assert.match(violations[0], /https:\/\/coder\.example\.com\/\*, https:\/\/coder\.example\.com\/login are not Coder's callback/);
  });
  it("fails no redirect URI at all", async () => {
    assert.match((await validateResource(policy, client({ validRedirectUris: [] }))).violations[0], /no validRedirectUris/);
  });
  it("skips unknown redirect URIs during preview", async () => {
    assert.deepEqual((await validateResource(policy, client({ validRedirectUris: [UNKNOWN_STRING] }), { proxy: true })).violations, []);
  });
  it("accepts http only on localhost", () => {
    assert.equal(isCoderCallback("http://localhost:3000/api/v2/users/oidc/callback"), true);
    assert.equal(isCoderCallback("http://coder.example.com/api/v2/users/oidc/callback"), false);
    assert.equal(isCoderCallback("https://coder.example.com/api/v2/users/oidc/callback?x=1"), false);
  });
});

describe("keycloak-client-offline-idle-covers-access-token", () => {
  const policy = requireKeycloakOfflineIdleCoversAccessToken("idle");
  it("passes an idle timeout longer than the access token", async () => assert.deepEqual((await validateResource(policy, client())).violations, []));
  it("fails an idle timeout shorter than the access token, with both values", async () => {
    const { violations } = await validateResource(policy, client({ accessTokenLifespan: "3600", clientOfflineSessionIdleTimeout: "600" }));
    assert.match(violations[0], /clientOfflineSessionIdleTimeout 600s is shorter than accessTokenLifespan 3600s/);
  });
  it("passes when either is unset (the realm's values apply)", async () => {
    assert.deepEqual((await validateResource(policy, client({ accessTokenLifespan: undefined, clientOfflineSessionIdleTimeout: "60" }))).violations, []);
  });
});

describe("keycloak-client-offline-access-optional-scope", () => {
  const policy = requireKeycloakOfflineAccessOptionalScope("offline-scope");
  const scopes = (optionalScopes: unknown) => ({
    type: OPTIONAL, name: "coder-optional-scopes",
    props: { realmId: "engineering", clientId: "kc-internal-id", optionalScopes },
  });
  const withId = { ...client(), props: { ...KEYCLOAK_CLIENT, id: "kc-internal-id" } };
  it("passes when the client's optional scopes include offline_access", async () => {
    assert.deepEqual((await validateStack(policy, [withId, scopes(["address", "offline_access"])])).violations, []);
  });
  it("fails optional scopes without offline_access", async () => {
    const { violations } = await validateStack(policy, [withId, scopes(["address", "phone"])]);
    assert.match(violations[0], /coder-client: optional scopes \(coder-optional-scopes\) lack "offline_access"/);
  });
  it("fails a client without optional scopes", async () => {
    assert.match((await validateStack(policy, [withId])).violations[0], /no ClientOptionalScopes refers to it/);
  });
  it("matches by realm while ids are unknown during preview", async () => {
    const unknownIds = [client({ id: UNKNOWN_STRING }), { ...scopes(["offline_access"]), props: { realmId: "engineering", clientId: UNKNOWN_STRING, optionalScopes: ["offline_access"] } }];
    assert.deepEqual((await validateStack(policy, unknownIds, { proxy: true })).violations, []);
  });
  it("matches through the property dependency on the client", async () => {
    const dependent = { ...scopes(["phone"]), props: { realmId: "engineering", clientId: UNKNOWN_STRING, optionalScopes: ["phone"] }, propertyDependencies: { clientId: ["coder-client"] } };
    const other = { ...client(), name: "other-client", props: { ...KEYCLOAK_CLIENT, id: UNKNOWN_STRING } };
    const { violations } = await validateStack(policy, [client({ id: UNKNOWN_STRING }), other, dependent], { proxy: true });
    assert.equal(violations.filter((v) => /coder-client: optional scopes/.test(v)).length, 1);
  });
  it("is not applicable to a stack without a Keycloak client", async () => {
    assert.match((await validateStack(policy, [])).notApplicable ?? "", /no Keycloak client/);
  });
});
