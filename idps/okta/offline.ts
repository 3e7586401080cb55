/** What the offline plan assumes of this IdP when it cannot reach it: data-source answers and computed outputs. */
import { fakeHex, type IdpOfflineAnswers } from "../../src/offline-answers";

/** The offline plan's answers for this IdP. */
export const OFFLINE_ANSWERS: IdpOfflineAnswers = {
  calls: {
    "okta:app/getOauth:getOauth": {
      assumption: "the OIDC app named by coder-oidc:adoptClientId exists in the org, made by hand as Coder's page describes " +
        "(a web app with the authorization code grant only, no refresh token grant); its redirect URIs are not known offline",
      result: (inputs) => ({
        id: inputs.id,
        clientId: inputs.id,
        label: "Coder",
        name: "oidc_client",
        type: "web",
        status: "ACTIVE",
        grantTypes: ["authorization_code"],
        responseTypes: ["code"],
      }),
    },
    "okta:group/getEveryoneGroup:getEveryoneGroup": {
      assumption: "the Okta org has its built-in Everyone group (every org does); its id differs per org and is made up here",
      result: () => ({ id: "00g0everyone0000000x7", description: "All users in your organization" }),
    },
  },
  computed: {
    "okta:app/oAuth:OAuth": (_i, name) => ({ clientId: `0oa${fakeHex(name)}`, clientSecret: `fake-secret-of-${name}` }),
    "okta:auth/serverPolicy:ServerPolicy": (_i, name) => ({ id: `00p${fakeHex(name)}` }),
  },
};
