/**
 * Explicit Pulumi providers configured from their standard config keys (`keycloak:url`, `azuread:tenantId`,
 * `gcp:project`, …). The engine hands every value over as a string; this module knows each namespace's keys,
 * checks them for the config contract, turns them into the provider's typed arguments, and keeps every
 * credential, and every value set with `--secret`, a Pulumi secret.
 */
import * as pulumi from "@pulumi/pulumi";
import type { ConfigProblem } from "./errors";
import { isInlineContent, resolveProjectPath } from "./project-paths";
import { GCP_PROJECT_ID, GCP_PROJECT_ID_RULE, isPathSafeId, PATH_SAFE_ID_RULE } from "./identifiers";
import { didYouMean } from "./spelling";

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
  /**
   * Keys that hold a file path (or a path or the content itself): a relative path is resolved against the project
   * root (src/project-paths.ts), since the provider would read it from whatever directory it runs in.
   */
  readonly paths?: readonly string[];
  /** Keys whose text must follow a rule of the provider's service (ids that end up in URLs). */
  readonly rules?: Readonly<Record<string, { readonly valid: (text: string) => boolean; readonly message: string }>>;
}

const INT32_MAX = 2_147_483_647;

/**
 * The keys of each provider namespace, from the pinned SDKs' `ProviderArgs`. `secret` is every key the
 * provider's schema marks secret plus every key that can hold a credential by what it is;
 * test/src/provider-config.test.ts derives both from the installed SDKs and fails when this table lags.
 */
export const PROVIDER_KEYS: Readonly<Record<ProviderNamespace, ProviderKeyKinds>> = {
  keycloak: {
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
  },
  azuread: {
    known: [
      "adoPipelineServiceConnectionId", "clientCertificate", "clientCertificatePassword", "clientCertificatePath",
      "clientId", "clientIdFilePath", "clientSecret", "clientSecretFilePath", "disableTerraformPartnerId",
      "environment", "metadataHost", "msiEndpoint", "oidcRequestToken", "oidcRequestUrl", "oidcToken",
      "oidcTokenFilePath", "partnerId", "tenantId", "useAksWorkloadIdentity", "useCli", "useMsi", "useOidc",
    ],
    // clientId: the provider's schema marks it secret.
    secret: ["clientSecret", "clientCertificate", "clientCertificatePassword", "oidcRequestToken", "oidcToken", "clientId"],
    boolean: ["disableTerraformPartnerId", "useAksWorkloadIdentity", "useCli", "useMsi", "useOidc"],
    number: [],
    structured: [],
    paths: ["clientCertificatePath", "clientIdFilePath", "clientSecretFilePath", "oidcTokenFilePath"],
  },
  gcp: {
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
    // A path to the PEM file, or the PEM.
    paths: ["privateKey"],
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
      problems.push({ key: fullKey, message: `is not a setting of the ${namespace} provider (check the spelling)${didYouMean(key, kinds.known)}` });
      continue;
    }
    if (text === OFFLINE_SECRET_PLACEHOLDER) continue;
    // A credential's value is never quoted back, even when it was set without --secret.
    const got = kinds.secret.includes(key) || connection.secretKeys.has(key) ? "" : `, got ${JSON.stringify(text)}`;
    if (kinds.boolean.includes(key) && !/^(true|false)$/i.test(text.trim())) {
      problems.push({ key: fullKey, message: `must be true or false${got}` });
    } else if (kinds.number.includes(key) && !/^\d+$/.test(text.trim())) {
      problems.push({ key: fullKey, message: `must be a whole number${got}` });
    } else if (kinds.number.includes(key) && Number(text.trim()) > INT32_MAX) {
      problems.push({ key: fullKey, message: `must be at most ${INT32_MAX} (the provider keeps it as a 32-bit integer)${got}` });
    } else if (kinds.structured.includes(key)) {
      try {
        JSON.parse(text);
      } catch (err) {
        const why = got === "" ? "the value is a secret, so it is not shown" : (err as Error).message;
        problems.push({ key: fullKey, message: `must be a map or list (set it with --path): ${why}` });
      }
    }
    const rule = kinds.rules?.[key];
    if (rule && !rule.valid(text)) problems.push({ key: fullKey, message: `${rule.message}${got}` });
  }
  return problems;
}

/**
 * Provider arguments from a namespace's config keys (`url` → `url`), typed by their kind. Credentials, and
 * every value set with `--secret`, become Pulumi secrets: provider arguments are stored in the state. A relative
 * file path becomes absolute against `root` (default: the project root).
 */
export function providerArgsFromConfig(
  namespace: ProviderNamespace,
  connection: ProviderConnection,
  root?: string,
): Record<string, pulumi.Input<unknown>> {
  const kinds = PROVIDER_KEYS[namespace];
  const args: Record<string, pulumi.Input<unknown>> = {};
  for (const [key, text] of Object.entries(connection.values)) {
    let value: unknown = text;
    if (text !== OFFLINE_SECRET_PLACEHOLDER) {
      if (kinds.boolean.includes(key)) value = text.trim().toLowerCase() === "true";
      else if (kinds.number.includes(key)) value = Number(text);
      else if (kinds.structured.includes(key)) value = JSON.parse(text);
      else if (kinds.paths?.includes(key) && !isInlineContent(text)) value = resolveProjectPath(text, root);
    }
    args[key] = kinds.secret.includes(key) || connection.secretKeys.has(key) ? pulumi.secret(value) : value;
  }
  return args;
}
