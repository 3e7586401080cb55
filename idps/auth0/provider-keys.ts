/**
 * The `auth0:` provider namespace's keys, from the pinned SDK's `ProviderArgs`: `secret` is every key the provider's
 * schema marks secret plus every key that can hold a credential by what it is; test/src/provider-config.test.ts derives
 * both from the installed SDK and fails when this table lags.
 */
import type { ProviderKeyKinds } from "../../src/provider-config";

/** The `auth0:` namespace: the provider this IdP's component configures explicitly. */
export const PROVIDER_NAMESPACE = "auth0";

/** How to read each `auth0:` key. */
export const AUTH0_PROVIDER_KEYS: ProviderKeyKinds = {
  known: [
    "apiToken", "audience", "cliLogin", "clientAssertionPrivateKey", "clientAssertionSigningAlg", "clientId", "clientSecret",
    "customDomainHeader", "debug", "domain", "dynamicCredentials",
  ],
  secret: ["apiToken", "clientSecret", "clientAssertionPrivateKey"],
  boolean: ["cliLogin", "debug", "dynamicCredentials"],
  number: [],
  structured: [],
};
