import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { coderOidcPolicies } from "../../policy/policies";
import { ENTRA_APPLICATION, ENTRA_PASSWORD, KEYCLOAK_CLIENT, KEYCLOAK_REALM, PINGFEDERATE_CLIENT } from "./fixtures";
import { UNKNOWN_STRING, validateResource, validateStack } from "./support";

/** Every resource a rule looks at, compliant. */
const RESOURCES = [
  { type: "keycloak:openid/client:Client", name: "coder-client", props: KEYCLOAK_CLIENT },
  { type: "keycloak:index/realm:Realm", name: "engineering", props: KEYCLOAK_REALM },
  { type: "azuread:index/application:Application", name: "coder-app", props: ENTRA_APPLICATION },
  { type: "azuread:index/applicationPassword:ApplicationPassword", name: "coder-secret", props: ENTRA_PASSWORD },
  { type: "pulumi-nodejs:dynamic/pingfederate:OAuthClient", name: "coder-client", props: PINGFEDERATE_CLIENT },
] as const;

const policies = coderOidcPolicies(() => Date.parse("2026-12-01T00:00:00Z"));
const resourcePolicies = policies.filter((p): p is ResourceValidationPolicy => "validateResource" in p);
const stackPolicies = policies.filter((p): p is StackValidationPolicy => "validateStack" in p);

describe("no rule fails on a value unknown during preview", () => {
  for (const resource of RESOURCES) {
    const props = resource.props as Record<string, unknown>;
    it(`${resource.type}: every rule passes it with any one field unknown, or all of them, behind the engine's proxy`, async () => {
      const variants = [
        ...Object.keys(props).map((key) => ({ ...props, [key]: UNKNOWN_STRING })),
        Object.fromEntries(Object.keys(props).map((key) => [key, UNKNOWN_STRING])),
      ];
      for (const policy of resourcePolicies) {
        assert.deepEqual((await validateResource(policy, { ...resource, props, config: { accessTokenLifetime: "2h" } })).violations, [],
          `${policy.name} passes the compliant fixture`);
        for (const variant of variants) {
          const outcome = await validateResource(policy, { ...resource, props: variant, config: { accessTokenLifetime: "2h" } }, { proxy: true });
          assert.deepEqual(outcome.violations, [], `${policy.name} with ${JSON.stringify(variant)}`);
        }
      }
    });
  }

  it("stack rules pass when every property of every resource is unknown", async () => {
    const unknown = (props: object) => Object.fromEntries(Object.keys(props).map((k) => [k, UNKNOWN_STRING]));
    const resources = [
      { type: "coder-oidc:providers:KeycloakCoderClient", name: "coder", props: {} },
      { type: "pulumi:pulumi:Stack", name: "coder-oidc-dev", props: { CODER_OIDC_SCOPES: UNKNOWN_STRING, CODER_OIDC_AUTH_URL_PARAMS: UNKNOWN_STRING } },
      { type: "keycloak:openid/client:Client", name: "coder-client", props: unknown(KEYCLOAK_CLIENT) },
      { type: "keycloak:openid/clientOptionalScopes:ClientOptionalScopes", name: "coder-optional-scopes", props: { realmId: UNKNOWN_STRING, clientId: UNKNOWN_STRING, optionalScopes: UNKNOWN_STRING } },
    ];
    for (const policy of stackPolicies) {
      assert.deepEqual((await validateStack(policy, resources, { proxy: true })).violations, [], policy.name);
    }
  });
});
