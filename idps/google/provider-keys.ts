/**
 * The `gcp:` provider namespace's keys, from the pinned SDK's `ProviderArgs`: `secret` is every key the provider's
 * schema marks secret plus every key that can hold a credential by what it is; test/src/provider-config.test.ts derives
 * both from the installed SDK and fails when this table lags.
 */
import type { ProviderKeyKinds } from "../../src/provider-config";
import { GCP_PROJECT_ID, GCP_PROJECT_ID_RULE } from "./config";

/** The `gcp:` namespace: the provider this IdP's component configures explicitly. */
export const PROVIDER_NAMESPACE = "gcp";

/** How to read each `gcp:` key. */
export const GCP_PROVIDER_KEYS: ProviderKeyKinds = {
  secret: ["accessToken", "credentials", "externalCredentials"],
  boolean: [
    "addPulumiAttributionLabel", "disableGooglePartnerName", "preferGlobalEndpoints", "preferRegionalEndpoints",
    "userProjectOverride",
  ],
  number: [],
  structured: ["batching", "defaultLabels", "externalCredentials", "impersonateServiceAccountDelegates", "scopes"],
  // A path to a service account key file, or its JSON.
  paths: ["credentials"],
  rules: {
    project: { valid: (text) => GCP_PROJECT_ID.test(text), message: `must be ${GCP_PROJECT_ID_RULE}` },
  },
};
