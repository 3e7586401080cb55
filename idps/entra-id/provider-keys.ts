/**
 * The `azuread:` provider namespace's keys, from the pinned SDK's `ProviderArgs`: `secret` is every key the provider's
 * schema marks secret plus every key that can hold a credential by what it is; test/src/provider-config.test.ts derives
 * both from the installed SDK and fails when this table lags.
 */
import type { ProviderKeyKinds } from "../../src/provider-config";

/** The `azuread:` namespace: the provider this IdP's component configures explicitly. */
export const PROVIDER_NAMESPACE = "azuread";

/** How to read each `azuread:` key. */
export const AZUREAD_PROVIDER_KEYS: ProviderKeyKinds = {
  known: [
    "adoPipelineServiceConnectionId", "clientCertificate", "clientCertificatePassword", "clientCertificatePath",
    "clientId", "clientIdFilePath", "clientSecret", "clientSecretFilePath", "disableTerraformPartnerId",
    "environment", "metadataHost", "msiEndpoint", "oidcRequestToken", "oidcRequestUrl", "oidcToken",
    "oidcTokenFilePath", "partnerId", "tenantId", "useAksWorkloadIdentity", "useCli", "useMsi", "useOidc",
  ],
  // clientId: the provider's schema marks it secret.
  secret: ["clientSecret", "clientCertificate", "clientCertificatePassword", "oidcRequestToken", "oidcToken", "clientId"],
  // The service principal's application id identifies it; it grants nothing on its own.
  plainTextAllowed: ["clientId"],
  boolean: ["disableTerraformPartnerId", "useAksWorkloadIdentity", "useCli", "useMsi", "useOidc"],
  number: [],
  structured: [],
  paths: ["clientCertificatePath", "clientIdFilePath", "clientSecretFilePath", "oidcTokenFilePath"],
};
