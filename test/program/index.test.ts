/**
 * The program entry (program/index.ts) under the mock runtime: for each IdP it declares that IdP's component, named
 * `coder`, from the stack config, and outputs Coder's variables and the component's further outputs.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ComponentType } from "../support/idps";
import type { IdpKind } from "../../idps/registry";
import { runProgram } from "../support/program";

const CODER = { "coder-oidc:coderUrl": "https://coder.example.com" };

/** A minimal valid stack of each IdP, and the secret keys it needs. */
const STACKS: Record<IdpKind, { values: Record<string, string>; secretKeys?: string[] }> = {
  keycloak: { values: { ...CODER, "coder-oidc:idp": "keycloak", "coder-oidc:keycloak": '{"realm":"main"}', "keycloak:url": "https://sso.example.com" } },
  "entra-id": { values: { ...CODER, "coder-oidc:idp": "entra-id",
    "coder-oidc:entraId": '{"tenantId":"3f2504e0-4f89-41d3-9a0c-0305e82c3301","secretRotation":"2026-11"}' } },
  google: { values: { ...CODER, "coder-oidc:idp": "google", "gcp:project": "my-project-1",
    "coder-oidc:google": '{"clientId":"1-x.apps.googleusercontent.com","clientSecret":"s","secretManager":{"secretId":"coder-oidc"}}' },
  secretKeys: ["coder-oidc:google"] },
  pingfederate: { values: { ...CODER, "coder-oidc:idp": "pingfederate",
    "coder-oidc:pingfederate": '{"adminUrl":"https://pf.example.com:9999/pf-admin-api/v1","issuerUrl":"https://sso.example.com"}' } },
  okta: { values: { ...CODER, "coder-oidc:idp": "okta", "coder-oidc:okta": '{"assignedGroups":"everyone"}', "okta:orgName": "dev-123456" } },
  auth0: { values: { ...CODER, "coder-oidc:idp": "auth0", "auth0:domain": "example.us.auth0.com" } },
};

/** The further outputs each IdP's component adds beside Coder's variables. */
const FURTHER_OUTPUTS: Record<IdpKind, string[]> = {
  keycloak: [],
  "entra-id": ["entraApplicationObjectId", "entraClientSecretEndDate"],
  google: ["secretManagerSecretName"],
  pingfederate: [],
  okta: [],
  auth0: [],
};

const CODER_VARIABLES = ["CODER_OIDC_ISSUER_URL", "CODER_OIDC_CLIENT_ID", "CODER_OIDC_CLIENT_SECRET", "CODER_OIDC_SCOPES", "CODER_OIDC_AUTH_URL_PARAMS"];

describe("the program", () => {
  for (const [idp, stack] of Object.entries(STACKS) as [IdpKind, (typeof STACKS)[IdpKind]][]) {
    it(`declares ${idp}'s component, named coder, and outputs Coder's variables and its further outputs`, async () => {
      const { mocks, outputs } = await runProgram(stack.values, { secretKeys: stack.secretKeys });
      const components = mocks.resources.filter((r) => r.type.startsWith("coder-oidc:providers:"));
      assert.deepEqual(components.map((r) => [r.type, r.name]), [[ComponentType[idp], "coder"]]);
      const names = Object.keys(outputs);
      for (const name of [...CODER_VARIABLES, ...FURTHER_OUTPUTS[idp]]) assert.ok(names.includes(name), `${idp}: ${name} in ${names.join(", ")}`);
      assert.equal(outputs.CODER_OIDC_CLIENT_SECRET.secret, true);
      for (const name of FURTHER_OUTPUTS[idp]) assert.ok(outputs[name].known && outputs[name].value !== undefined, name);
    });
  }

  it("gives Auth0 its default settings when the stack has no coder-oidc:auth0", async () => {
    const { mocks } = await runProgram(STACKS.auth0.values);
    const credentials = mocks.ofType("auth0:index/clientCredentials:ClientCredentials");
    assert.equal(credentials.length, 1);
    assert.equal(credentials[0].inputs.authenticationMethod, "client_secret_post");
  });
});
