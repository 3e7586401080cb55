/**
 * Explicit Pulumi providers configured from their standard config keys (`keycloak:url`, `azuread:tenantId`,
 * `gcp:project`, …). The engine hands every value over as a string; this module knows each namespace's keys,
 * checks them for the config contract, turns them into the provider's typed arguments, and keeps every
 * credential, and every value set with `--secret`, a Pulumi secret.
 */
import * as pulumi from "@pulumi/pulumi";
import type { ConfigProblem } from "./errors";

/** Provider namespaces whose keys the program reads to configure explicit providers. */
export const PROVIDER_NAMESPACES = ["keycloak", "azuread", "gcp", "okta", "auth0"] as const;
/** A provider namespace whose keys configure an explicit provider. */
export type ProviderNamespace = (typeof PROVIDER_NAMESPACES)[number];

/** How to read one provider namespace's keys. */
export interface ProviderKeyKinds {
  /**
   * Every key the provider accepts, when the list is short enough to check (a misspelt key would otherwise
   * be dropped silently). Undefined: any key is passed on (gcp has well over a hundred).
   */
  readonly known?: readonly string[];
  /** Keys that hold credentials: always passed as Pulumi secrets. */
  readonly secret: readonly string[];
  /** Keys that hold `true`/`false`. */
  readonly boolean: readonly string[];
  /** Keys that hold numbers. */
  readonly number: readonly string[];
  /** Keys that hold JSON objects or lists. */
  readonly structured: readonly string[];
}

/** The keys of each provider namespace, from the pinned SDKs' `ProviderArgs`. */
export const PROVIDER_KEYS: Readonly<Record<ProviderNamespace, ProviderKeyKinds>> = {
  keycloak: {
    known: [
      "accessToken", "additionalHeaders", "adminUrl", "basePath", "clientId", "clientSecret", "clientTimeout",
      "initialLogin", "jwtSigningAlg", "jwtSigningKey", "jwtToken", "jwtTokenFile", "keycloakVersion", "password",
      "realm", "redHatSso", "rootCaCertificate", "tlsClientCertificate", "tlsClientPrivateKey",
      "tlsInsecureSkipVerify", "url", "username",
    ],
    secret: ["clientSecret", "password", "accessToken", "jwtToken", "jwtSigningKey", "tlsClientPrivateKey"],
    boolean: ["initialLogin", "redHatSso", "tlsInsecureSkipVerify"],
    number: ["clientTimeout"],
    structured: ["additionalHeaders"],
  },
  azuread: {
    known: [
      "adoPipelineServiceConnectionId", "clientCertificate", "clientCertificatePassword", "clientCertificatePath",
      "clientId", "clientIdFilePath", "clientSecret", "clientSecretFilePath", "disableTerraformPartnerId",
      "environment", "metadataHost", "msiEndpoint", "oidcRequestToken", "oidcRequestUrl", "oidcToken",
      "oidcTokenFilePath", "partnerId", "tenantId", "useAksWorkloadIdentity", "useCli", "useMsi", "useOidc",
    ],
    secret: ["clientSecret", "clientCertificate", "clientCertificatePassword", "oidcRequestToken", "oidcToken"],
    boolean: ["disableTerraformPartnerId", "useAksWorkloadIdentity", "useCli", "useMsi", "useOidc"],
    number: [],
    structured: [],
  },
  gcp: {
    secret: ["accessToken", "credentials", "externalCredentials"],
    boolean: [
      "addPulumiAttributionLabel", "disableGooglePartnerName", "preferGlobalEndpoints", "preferRegionalEndpoints",
      "userProjectOverride",
    ],
    number: [],
    structured: ["batching", "defaultLabels", "externalCredentials", "impersonateServiceAccountDelegates", "scopes"],
  },
  okta: {
    known: [
      "accessToken", "apiToken", "backoff", "baseUrl", "clientId", "httpProxy", "logLevel", "maxApiCapacity", "maxRetries",
      "maxWaitSeconds", "minWaitSeconds", "orgName", "parallelism", "privateKey", "privateKeyId", "requestTimeout", "scopes",
    ],
    secret: ["apiToken", "accessToken", "privateKey"],
    boolean: ["backoff"],
    number: ["logLevel", "maxApiCapacity", "maxRetries", "maxWaitSeconds", "minWaitSeconds", "parallelism", "requestTimeout"],
    structured: ["scopes"],
  },
  auth0: {
    known: [
      "apiToken", "audience", "cliLogin", "clientAssertionPrivateKey", "clientAssertionSigningAlg", "clientId", "clientSecret",
      "customDomainHeader", "debug", "domain", "dynamicCredentials",
    ],
    secret: ["apiToken", "clientSecret", "clientAssertionPrivateKey"],
    boolean: ["cliLogin", "debug", "dynamicCredentials"],
    number: [],
    structured: [],
  },
};

/**
 * What a `secure:` value reads as in the offline plan, where it cannot be decrypted. It is a secret, so it is
 * never printed, and it is not type-checked (the real value is, when the engine runs).
 */
export const OFFLINE_SECRET_PLACEHOLDER = "offline-placeholder-for-a-secure-value";

/** A provider namespace's keys as the stack config holds them. */
export interface ProviderConnection {
  /** `key` (without namespace) → value, as a string. */
  readonly values: Readonly<Record<string, string>>;
  /** Keys (without namespace) whose values were set with `--secret`. */
  readonly secretKeys: ReadonlySet<string>;
}

/** Every problem with a namespace's keys: unknown keys, and values that are not of the key's kind. */
export function providerConfigProblems(namespace: ProviderNamespace, connection: ProviderConnection): ConfigProblem[] {
  const kinds = PROVIDER_KEYS[namespace];
  const problems: ConfigProblem[] = [];
  for (const [key, text] of Object.entries(connection.values)) {
    const fullKey = `${namespace}:${key}`;
    if (kinds.known && !kinds.known.includes(key)) {
      problems.push({ key: fullKey, message: `is not a setting of the ${namespace} provider (check the spelling)` });
      continue;
    }
    if (text === OFFLINE_SECRET_PLACEHOLDER) continue;
    if (kinds.boolean.includes(key) && !/^(true|false)$/i.test(text.trim())) {
      problems.push({ key: fullKey, message: `must be true or false, got "${text}"` });
    } else if (kinds.number.includes(key) && !Number.isFinite(Number(text.trim()))) {
      problems.push({ key: fullKey, message: `must be a number, got "${text}"` });
    } else if (kinds.structured.includes(key)) {
      try {
        JSON.parse(text);
      } catch (err) {
        problems.push({ key: fullKey, message: `must be a map or list (set it with --path): ${(err as Error).message}` });
      }
    }
  }
  return problems;
}

/**
 * Provider arguments from a namespace's config keys (`url` → `url`), typed by their kind. Credentials, and
 * every value set with `--secret`, become Pulumi secrets: provider arguments are stored in the state.
 */
export function providerArgsFromConfig(
  namespace: ProviderNamespace,
  connection: ProviderConnection,
): Record<string, pulumi.Input<unknown>> {
  const kinds = PROVIDER_KEYS[namespace];
  const args: Record<string, pulumi.Input<unknown>> = {};
  for (const [key, text] of Object.entries(connection.values)) {
    let value: unknown = text;
    if (text !== OFFLINE_SECRET_PLACEHOLDER) {
      if (kinds.boolean.includes(key)) value = text.trim().toLowerCase() === "true";
      else if (kinds.number.includes(key)) value = Number(text);
      else if (kinds.structured.includes(key)) value = JSON.parse(text);
    }
    args[key] = kinds.secret.includes(key) || connection.secretKeys.has(key) ? pulumi.secret(value) : value;
  }
  return args;
}
