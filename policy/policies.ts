/**
 * Every rule of the pack, named: `policy/index.ts` builds the pack from this list, and the offline plan
 * (engine/policy-run.ts) runs the same list, so both report the same violations.
 */
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import {
  requireEntraGraphRefreshScopes,
  requireEntraNoImplicitGrant,
  requireEntraNoPublicClientFlows,
  requireEntraSecretEndDate,
  requireEntraSecretNotExpiring,
} from "../idps/entra-id/policy";
import {
  requireKeycloakAuthorizationCodeFlowOnly,
  requireKeycloakConfidentialClient,
  requireKeycloakCoderRedirectUris,
  requireKeycloakOfflineAccessOptionalScope,
  requireKeycloakOfflineIdleCoversAccessToken,
} from "../idps/keycloak/policy";
import {
  requirePingFederateClientAuthentication,
  requirePingFederateIdleCoversAccessToken,
  requirePingFederateOfflineAccessScope,
  requirePingFederateRefreshGrants,
} from "../idps/pingfederate/policy";
import { requireAuth0ExpiringRefreshTokens, requireAuth0OidcConformant, requireAuth0RefreshGrant } from "../idps/auth0/policy";
import { requireGoogleBasicScopesOnly } from "../idps/google/policy";
import {
  requireOktaAppRefreshGrants,
  requireOktaCoderRedirectUris,
  requireOktaConsentOnCustomServer,
  requireOktaPolicyRuleOfflineAccess,
} from "../idps/okta/policy";
import { requireRotationReuseWindow } from "../src/policy/rotation";
import { requireCoderRefreshSettings } from "../src/policy/stack";

/** The name of the policy pack. */
export const POLICY_PACK_NAME = "coder-oidc";

/** A rule of the pack: a resource or a stack validation. */
export type CoderOidcPolicy = ResourceValidationPolicy | StackValidationPolicy;

/** Every rule, in the order they are reported. `now` is the clock of the secret end-date rules. */
export function coderOidcPolicies(now: () => number = Date.now): CoderOidcPolicy[] {
  return [
    requireKeycloakConfidentialClient("keycloak-client-confidential"),
    requireKeycloakAuthorizationCodeFlowOnly("keycloak-client-authorization-code-flow-only"),
    requireKeycloakCoderRedirectUris("keycloak-client-redirects-to-coder-only"),
    requireKeycloakOfflineAccessOptionalScope("keycloak-client-offline-access-optional-scope"),
    requireKeycloakOfflineIdleCoversAccessToken("keycloak-client-offline-idle-covers-access-token"),
    requireEntraNoPublicClientFlows("entra-application-no-public-client-flows"),
    requireEntraNoImplicitGrant("entra-application-no-implicit-grant"),
    requireEntraGraphRefreshScopes("entra-application-graph-refresh-scopes"),
    requireEntraSecretEndDate("entra-secret-end-date-within-two-years", now),
    requireEntraSecretNotExpiring("entra-secret-not-expiring-soon", now),
    requirePingFederateRefreshGrants("pingfederate-client-refresh-grants"),
    requirePingFederateOfflineAccessScope("pingfederate-client-offline-access-scope"),
    requirePingFederateIdleCoversAccessToken("pingfederate-client-idle-covers-access-token"),
    requirePingFederateClientAuthentication("pingfederate-client-authenticates"),
    requireOktaAppRefreshGrants("okta-app-refresh-grants"),
    requireOktaCoderRedirectUris("okta-app-redirects-to-coder-only"),
    requireOktaPolicyRuleOfflineAccess("okta-policy-rule-allows-offline-access"),
    requireOktaConsentOnCustomServer("okta-app-consent-needs-custom-authorization-server"),
    requireAuth0RefreshGrant("auth0-client-refresh-grant"),
    requireAuth0OidcConformant("auth0-client-regular-web-oidc-conformant"),
    requireAuth0ExpiringRefreshTokens("auth0-client-expiring-refresh-tokens"),
    requireGoogleBasicScopesOnly("google-scopes-basic-only"),
    requireCoderRefreshSettings("coder-settings-ask-for-refresh-tokens"),
    requireRotationReuseWindow("refresh-token-rotation-has-reuse-window"),
  ];
}
