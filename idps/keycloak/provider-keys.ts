/**
 * The `keycloak:` provider namespace's keys, from the pinned SDK's `ProviderArgs`: `secret` is every key the provider's
 * schema marks secret plus every key that can hold a credential by what it is; test/src/provider-config.test.ts derives
 * both from the installed SDK and fails when this table lags.
 */
import type { ProviderKeyKinds } from "../../src/provider-config";
import { isPathSafeId, PATH_SAFE_ID_RULE } from "../../src/identifiers";

/** The `keycloak:` namespace: the provider this IdP's component configures explicitly. */
export const PROVIDER_NAMESPACE = "keycloak";

/** How to read each `keycloak:` key. */
export const KEYCLOAK_PROVIDER_KEYS: ProviderKeyKinds = {
  known: [
    "accessToken", "additionalHeaders", "adminUrl", "basePath", "clientId", "clientSecret", "clientTimeout",
    "initialLogin", "jwtSigningAlg", "jwtSigningKey", "jwtToken", "jwtTokenFile", "keycloakVersion", "password",
    "realm", "redHatSso", "rootCaCertificate", "tlsClientCertificate", "tlsClientPrivateKey",
    "tlsInsecureSkipVerify", "url", "username",
  ],
  // additionalHeaders: sent with every admin API call, so it can carry an Authorization or API-key header.
  secret: ["clientSecret", "password", "accessToken", "jwtToken", "jwtSigningKey", "tlsClientPrivateKey", "additionalHeaders"],
  boolean: ["initialLogin", "redHatSso", "tlsInsecureSkipVerify"],
  number: ["clientTimeout"],
  structured: ["additionalHeaders"],
  paths: ["jwtTokenFile"],
  rules: {
    realm: { valid: (text) => isPathSafeId(text), message: `must be ${PATH_SAFE_ID_RULE} (the admin login realm is part of Keycloak's URLs)` },
  },
};
