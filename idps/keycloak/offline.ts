/** What the offline plan assumes of this IdP when it cannot reach it: data-source answers and computed outputs. */
import type { IdpOfflineAnswers } from "../../src/offline-answers";

/** The offline plan's answers for this IdP. */
export const OFFLINE_ANSWERS: IdpOfflineAnswers = {
  calls: {
    "keycloak:index/getRealm:getRealm": {
      assumption: "the Keycloak realm has Keycloak's built-in client scopes and session settings",
      result: (inputs) => ({
        id: inputs.realm,
        realm: inputs.realm,
        defaultDefaultClientScopes: ["acr", "basic", "email", "profile", "role_list", "roles", "web-origins"],
        defaultOptionalClientScopes: ["address", "microprofile-jwt", "offline_access", "organization", "phone"],
        accessTokenLifespan: "5m0s",
        offlineSessionIdleTimeout: "720h0m0s",
        offlineSessionMaxLifespan: "1440h0m0s",
        offlineSessionMaxLifespanEnabled: false,
        revokeRefreshToken: false,
        refreshTokenMaxReuse: 0,
      }),
    },
    "keycloak:openid/getClient:getClient": {
      assumption: "the client named by coder-oidc:adoptClientId exists in the realm, made by hand as Coder's page describes " +
        "(confidential, standard flow and direct access grants on, refresh tokens on, no client lifetimes, no offline_access " +
        "attached); its redirect URIs and web origins are not known offline and shown as unset",
      result: (inputs) => ({
        id: "6f1c8a52-0000-4000-8000-00000000ad0b",
        realmId: inputs.realmId,
        clientId: inputs.clientId,
        name: "",
        enabled: true,
        accessType: "CONFIDENTIAL",
        standardFlowEnabled: true,
        implicitFlowEnabled: false,
        directAccessGrantsEnabled: true,
        serviceAccountsEnabled: false,
        useRefreshTokens: true,
        accessTokenLifespan: "",
        clientOfflineSessionIdleTimeout: "",
        clientOfflineSessionMaxLifespan: "",
      }),
    },
  },
  computed: {
    "keycloak:openid/client:Client": (_i, name) => ({ clientSecret: `fake-secret-of-${name}` }),
  },
};
