/**
 * The type tokens of what this IdP's component declares, and of what its policy rules look at, by role: the policy
 * pack and the offline plan match on them without loading the IdP's SDK. test/policy/pack.test.ts checks each SDK
 * token against the SDK's own class.
 */

/** Type tokens by role. */
export const AUTH0_TYPES = {
  /** The component: `coder-oidc:providers:<Name>`, part of every URN, never renamed. */
  component: "coder-oidc:providers:Auth0CoderClient",
  /** `auth0.Client`: Coder's application in Auth0. */
  client: "auth0:index/client:Client",
  /** `auth0.ClientCredentials`: its token endpoint authentication (and secret). */
  clientCredentials: "auth0:index/clientCredentials:ClientCredentials",
  /** `auth0.ResourceServer`: an API (audience); not declared here, but checked if added. */
  resourceServer: "auth0:index/resourceServer:ResourceServer",
} as const;
