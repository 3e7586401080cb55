/**
 * Realistic resource properties, as the program declares them (what `npm run plan` records for the example
 * stacks): the compliant starting point of every policy test.
 */

/** The inputs idps/keycloak/component.ts declares for dev-keycloak. */
export const KEYCLOAK_CLIENT = {
  realmId: "engineering",
  clientId: "coder",
  name: "Coder",
  enabled: true,
  accessType: "CONFIDENTIAL",
  standardFlowEnabled: true,
  implicitFlowEnabled: false,
  directAccessGrantsEnabled: false,
  serviceAccountsEnabled: false,
  validRedirectUris: ["https://coder.dev.example.com/api/v2/users/oidc/callback"],
  webOrigins: ["https://coder.dev.example.com"],
  useRefreshTokens: true,
  accessTokenLifespan: "300",
  clientOfflineSessionIdleTimeout: "2592000",
  clientOfflineSessionMaxLifespan: "7776000",
};

/** Microsoft Graph's application id (FACTS.md §2.2). */
export const GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000";
/** Graph's delegated ids, from learn.microsoft.com's permissions reference (FACTS.md §2.2). */
export const GRAPH_SCOPE_IDS = {
  openid: "37f7f235-527c-4136-accd-4a02d197296e",
  profile: "14dad69e-099b-42c9-810b-d002981feec1",
  email: "64a6cdd6-aab1-4aaf-94b8-3cc8405e90d0",
  offline_access: "7427e0e9-2fba-42fe-b0c0-848c9e6a8182",
};

/** The inputs idps/entra-id/component.ts declares for prod-entra (the application). */
export const ENTRA_APPLICATION = {
  displayName: "Coder",
  signInAudience: "AzureADMyOrg",
  fallbackPublicClientEnabled: false,
  web: {
    redirectUris: ["https://coder.example.com/api/v2/users/oidc/callback"],
    implicitGrant: { accessTokenIssuanceEnabled: false, idTokenIssuanceEnabled: false },
  },
  requiredResourceAccesses: [{ resourceAppId: GRAPH_APP_ID, resourceAccesses: Object.values(GRAPH_SCOPE_IDS).map((id) => ({ id, type: "Scope" })) }],
};

/** The inputs idps/pingfederate/component.ts declares for prod-pingfederate. */
export const PINGFEDERATE_CLIENT = {
  adminUrl: "https://pf-admin.example.com:9999/pf-admin-api/v1",
  clientId: "coder",
  name: "Coder",
  redirectUris: ["https://coder.example.com/api/v2/users/oidc/callback"],
  grantTypes: ["AUTHORIZATION_CODE", "REFRESH_TOKEN"],
  restrictScopes: true,
  restrictedScopes: ["openid", "profile", "email", "offline_access", "groups"],
  refreshRolling: "DONT_ROLL",
  persistentGrantIdleTimeoutType: "OVERRIDE_SERVER_DEFAULT",
  persistentGrantIdleTimeout: 30,
  persistentGrantIdleTimeoutTimeUnit: "DAYS",
  __provider: "exports.handler = …",
};

/** The inputs idps/entra-id/component.ts declares for prod-entra (the client secret). */
export const ENTRA_PASSWORD = { applicationId: "/applications/11111111-0000-4000-8000-000000000001", displayName: "Coder OIDC client secret (2026-11)", endDate: "2027-05-30T00:00:00Z", rotateWhenChanged: { secretRotation: "2026-11" } };

/** A Keycloak realm with refresh-token rotation on and one reuse allowed. */
export const KEYCLOAK_REALM = { realm: "engineering", revokeRefreshToken: true, refreshTokenMaxReuse: 1 };

/** The inputs idps/okta/component.ts declares for prod-okta's app. */
export const OKTA_APP = {
  label: "Coder",
  type: "web",
  grantTypes: ["authorization_code", "refresh_token"],
  redirectUris: ["https://coder.example.com/api/v2/users/oidc/callback"],
  responseTypes: ["code"],
  tokenEndpointAuthMethod: "client_secret_basic",
  consentMethod: "TRUSTED",
  refreshTokenRotation: "ROTATE",
  refreshTokenLeeway: 30,
};

/** The inputs idps/okta/component.ts declares for prod-okta's access-policy rule. */
export const OKTA_POLICY_RULE = {
  authServerId: "default",
  name: "Coder sign-in and refresh",
  priority: 1,
  status: "ACTIVE",
  grantTypeWhitelists: ["authorization_code"],
  scopeWhitelists: ["openid", "profile", "email", "offline_access"],
  groupWhitelists: ["00g1coderusers0000x7"],
  accessTokenLifetimeMinutes: 60,
  refreshTokenWindowMinutes: 10080,
  refreshTokenLifetimeMinutes: 129600,
};

/** The inputs idps/auth0/component.ts declares for dev-auth0's application. */
export const AUTH0_CLIENT = {
  name: "Coder",
  appType: "regular_web",
  oidcConformant: true,
  isFirstParty: true,
  grantTypes: ["authorization_code", "refresh_token"],
  callbacks: ["https://coder.dev.example.com/api/v2/users/oidc/callback"],
  allowedOrigins: ["https://coder.dev.example.com"],
  crossOriginAuth: false,
  jwtConfiguration: { alg: "RS256" },
  refreshToken: {
    rotationType: "non-rotating",
    leeway: 0,
    expirationType: "expiring",
    idleTokenLifetime: 259200,
    infiniteIdleTokenLifetime: false,
    tokenLifetime: 2592000,
    infiniteTokenLifetime: false,
  },
};
