/** What the offline plan assumes of this IdP when it cannot reach it: data-source answers and computed outputs. */
import { fakeHex, type IdpOfflineAnswers } from "../../src/offline-answers";

/** The offline plan's answers for this IdP. */
export const OFFLINE_ANSWERS: IdpOfflineAnswers = {
  calls: {
    "auth0:index/getClient:getClient": {
      assumption: "the application named by coder-oidc:adoptClientId exists in the tenant, made by hand as Coder's page " +
        "describes (a regular web application without the refresh token grant, non-expiring refresh tokens); its callbacks " +
        "are not known offline",
      result: (inputs) => ({
        id: inputs.clientId,
        clientId: inputs.clientId,
        name: "Coder",
        appType: "regular_web",
        oidcConformant: true,
        isFirstParty: true,
        grantTypes: ["authorization_code", "implicit", "client_credentials"],
        tokenEndpointAuthMethod: "client_secret_post",
        jwtConfigurations: [{ alg: "RS256" }],
        refreshTokens: [{ rotationType: "non-rotating", expirationType: "non-expiring", leeway: 0, idleTokenLifetime: 1296000,
          infiniteIdleTokenLifetime: true, tokenLifetime: 2592000, infiniteTokenLifetime: true }],
      }),
    },
  },
  computed: {
    "auth0:index/client:Client": (_i, name) => ({ clientId: `auth0-client-id-${fakeHex(name)}` }),
    "auth0:index/clientCredentials:ClientCredentials": (_i, name) => ({ clientSecret: `fake-secret-of-${name}` }),
  },
};
