/**
 * The type tokens of what this IdP's component declares, and of what its policy rules look at, by role: the policy
 * pack and the offline plan match on them without loading the IdP's SDK. test/policy/pack.test.ts checks each SDK
 * token against the SDK's own class.
 */

/** Type tokens by role. */
export const OKTA_TYPES = {
  /** The component: `coder-oidc:providers:<Name>`, part of every URN, never renamed. */
  component: "coder-oidc:providers:OktaCoderClient",
  /** `okta.app.OAuth`: Coder's OIDC app in Okta. */
  oauthApp: "okta:app/oAuth:OAuth",
  /** `okta.auth.ServerPolicy`: Coder's access policy on a custom authorization server. */
  serverPolicy: "okta:auth/serverPolicy:ServerPolicy",
  /** `okta.auth.ServerPolicyRule`: its rule (grants, scopes, lifetimes). */
  serverPolicyRule: "okta:auth/serverPolicyRule:ServerPolicyRule",
  /** `okta.app.GroupAssignment`: who may sign in. */
  groupAssignment: "okta:app/groupAssignment:GroupAssignment",
} as const;
