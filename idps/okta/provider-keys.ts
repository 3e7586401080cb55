/**
 * The `okta:` provider namespace's keys, from the pinned SDK's `ProviderArgs`: `secret` is every key the provider's
 * schema marks secret plus every key that can hold a credential by what it is; test/src/provider-config.test.ts derives
 * both from the installed SDK and fails when this table lags.
 */
import type { ProviderKeyKinds } from "../../src/provider-config";

/** The `okta:` namespace: the provider this IdP's component configures explicitly. */
export const PROVIDER_NAMESPACE = "okta";

/** How to read each `okta:` key. */
export const OKTA_PROVIDER_KEYS: ProviderKeyKinds = {
  known: [
    "accessToken", "apiToken", "backoff", "baseUrl", "clientId", "httpProxy", "logLevel", "maxApiCapacity", "maxRetries",
    "maxWaitSeconds", "minWaitSeconds", "orgName", "parallelism", "privateKey", "privateKeyId", "requestTimeout", "scopes",
  ],
  secret: ["apiToken", "accessToken", "privateKey"],
  boolean: ["backoff"],
  number: ["logLevel", "maxApiCapacity", "maxRetries", "maxWaitSeconds", "minWaitSeconds", "parallelism", "requestTimeout"],
  structured: ["scopes"],
  // A path to the PEM file, or the PEM.
  paths: ["privateKey"],
};
