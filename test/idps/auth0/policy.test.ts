import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { requireAuth0ExpiringRefreshTokens, requireAuth0OidcConformant, requireAuth0RefreshGrant } from "../../../idps/auth0/policy";
import { AUTH0_CLIENT } from "../../policy/fixtures";
import { UNKNOWN_STRING, validateResource } from "../../policy/support";

const client = (props: Record<string, unknown> = {}) => ({ type: "auth0:index/client:Client", name: "coder-client", props: { ...AUTH0_CLIENT, ...props } });
const refresh = (props: Record<string, unknown>) => client({ refreshToken: { ...AUTH0_CLIENT.refreshToken, ...props } });

describe("auth0-client-refresh-grant", () => {
  const policy = requireAuth0RefreshGrant("auth0-client-refresh-grant");
  it("passes the client the program declares", async () => assert.deepEqual((await validateResource(policy, client())).violations, []));
  it("fails a client without refresh_token, saying to add it", async () => {
    const { violations } = await validateResource(policy, client({ grantTypes: ["authorization_code", "implicit"] }));
    assert.equal(violations.length, 1);
    assert.match(violations[0], /Auth0 application coder-client: grantTypes \(authorization_code, implicit\) lack refresh_token; set grantTypes/);
  });
  it("passes a client that leaves the grants to Auth0's defaults", async () => {
    assert.deepEqual((await validateResource(policy, client({ grantTypes: undefined }))).violations, []);
  });
  it("is not applicable to the client credentials", async () => {
    assert.ok((await validateResource(policy, { type: "auth0:index/clientCredentials:ClientCredentials", name: "c", props: {} })).notApplicable);
  });
});

describe("auth0-client-regular-web-oidc-conformant", () => {
  const policy = requireAuth0OidcConformant("auth0-client-regular-web-oidc-conformant");
  it("passes the client the program declares", async () => assert.deepEqual((await validateResource(policy, client())).violations, []));
  it("fails a client that is not OIDC conformant (unset means false)", async () => {
    const { violations } = await validateResource(policy, client({ oidcConformant: undefined }));
    assert.equal(violations.length, 1);
    assert.match(violations[0], /oidcConformant is unset \(false\); set oidcConformant: true/);
  });
  it("fails a single-page application", async () => {
    assert.match((await validateResource(policy, client({ appType: "spa" }))).violations[0], /appType is spa; set appType: "regular_web"/);
  });
  it("does not fail unknowns behind the engine's proxy", async () => {
    assert.deepEqual((await validateResource(policy, client({ appType: UNKNOWN_STRING, oidcConformant: UNKNOWN_STRING }), { proxy: true })).violations, []);
  });
});

describe("auth0-client-expiring-refresh-tokens", () => {
  const policy = requireAuth0ExpiringRefreshTokens("auth0-client-expiring-refresh-tokens");
  it("passes the client the program declares", async () => assert.deepEqual((await validateResource(policy, client())).violations, []));
  it("fails non-expiring refresh tokens, naming the config keys", async () => {
    const { violations } = await validateResource(policy, refresh({ expirationType: "non-expiring" }));
    assert.equal(violations.length, 1);
    assert.match(violations[0], /expirationType is non-expiring; set it to "expiring".*coder-oidc:tokens\.refreshIdleTimeout/);
  });
  it("fails a client with no refreshToken settings (Auth0's API default is non-expiring)", async () => {
    assert.match((await validateResource(policy, client({ refreshToken: undefined }))).violations[0], /expirationType is unset \(non-expiring\)/);
  });
  it("fails an infinite idle lifetime", async () => {
    assert.match((await validateResource(policy, refresh({ infiniteIdleTokenLifetime: true }))).violations[0], /infiniteIdleTokenLifetime is true; set it to false/);
  });
});
