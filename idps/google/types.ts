/**
 * The type tokens of what this IdP's component declares, and of what its policy rules look at, by role: the policy
 * pack and the offline plan match on them without loading the IdP's SDK. test/policy/pack.test.ts checks each SDK
 * token against the SDK's own class.
 */

/** Type tokens by role. */
export const GOOGLE_TYPES = {
  /** The component: `coder-oidc:providers:<Name>`, part of every URN, never renamed. */
  component: "coder-oidc:providers:GoogleCoderClient",
} as const;
