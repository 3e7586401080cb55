/** What the offline plan assumes of this IdP when it cannot reach it: data-source answers and computed outputs. */
import { fakeHex, type IdpOfflineAnswers } from "../../src/offline-answers";
import { GRAPH_DELEGATED_SCOPE_IDS, MICROSOFT_GRAPH_APP_ID } from "./coder";

/** The offline plan's answers for this IdP. */
export const OFFLINE_ANSWERS: IdpOfflineAnswers = {
  calls: {
    "azuread:index/getApplication:getApplication": {
      assumption: "the application named by coder-oidc:adoptClientId exists in the tenant, registered by hand as Coder's page " +
        "describes (a web redirect URI, Graph's User.Read, no offline_access permission); its object id differs and is made up here",
      result: (inputs) => ({
        id: "/applications/55555555-0000-4000-8000-00000000ad0b",
        objectId: "55555555-0000-4000-8000-00000000ad0b",
        clientId: inputs.clientId,
        displayName: "Coder",
        signInAudience: "AzureADMyOrg",
        fallbackPublicClientEnabled: false,
        // Graph's User.Read, which the portal adds to every new registration.
        requiredResourceAccesses: [{
          resourceAppId: MICROSOFT_GRAPH_APP_ID,
          resourceAccesses: [{ id: "e1fe6dd8-ba31-4d61-89e7-88639da4683d", type: "Scope" }],
        }],
        webs: [{ homepageUrl: "", logoutUrl: "", redirectUris: [], implicitGrants: [{ accessTokenIssuanceEnabled: false, idTokenIssuanceEnabled: false }] }],
        apis: [{ requestedAccessTokenVersion: 1, knownClientApplications: [], oauth2PermissionScopes: [], mappedClaimsEnabled: false }],
      }),
    },
    "azuread:index/getServicePrincipal:getServicePrincipal": {
      assumption: "the Entra ID tenant has Microsoft Graph's service principal (every tenant does), publishing the " +
        "documented delegated permission ids; its object id differs per tenant and is made up here",
      result: (inputs) => {
        // Microsoft Graph's app id and delegated scope ids, the same in every tenant (./coder.ts owns them).
        const isGraph = inputs.clientId === MICROSOFT_GRAPH_APP_ID;
        const objectId = isGraph ? "33333333-0000-4000-8000-000000000003" : "44444444-0000-4000-8000-000000000004";
        return {
          ...inputs,
          id: `/servicePrincipals/${objectId}`,
          objectId,
          displayName: isGraph ? "Microsoft Graph" : String(inputs.displayName ?? "service principal"),
          oauth2PermissionScopeIds: isGraph
            ? { ...GRAPH_DELEGATED_SCOPE_IDS }
            : {},
        };
      },
    },
  },
  computed: {
    "azuread:index/application:Application": (_i, name) => ({
      clientId: `00000000-0000-4000-8000-${fakeHex(name)}`,
      objectId: `11111111-0000-4000-8000-${fakeHex(name)}`,
    }),
    "azuread:index/servicePrincipal:ServicePrincipal": (_i, name) => ({ objectId: `22222222-0000-4000-8000-${fakeHex(name)}` }),
    "azuread:index/applicationPassword:ApplicationPassword": (_i, name) => ({ value: `fake-password-of-${name}`, keyId: fakeHex(name) }),
  },
};
