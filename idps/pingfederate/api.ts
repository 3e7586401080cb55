/**
 * The PingFederate admin API: its `Client` model and a small HTTP client for the calls this toolkit makes.
 * Facts: ../shared/reference/FACTS.md §3 (endpoints, status codes, PUT-replaces-all, version gating).
 *
 * No Pulumi here. Everything HTTP goes through {@link pfAdminApi}: `X-XSRF-Header` on every call, JSON,
 * timeouts, bounded retries with backoff and jitter for GET/PUT/DELETE, never a blind POST retry, and every
 * failure wrapped into a {@link PfApiError} that carries no header, credential or secret.
 *
 * This module is copied by value into the dynamic provider that Pulumi serializes into state (`__provider`),
 * and runs from there in Pulumi's provider host, a plain Node.js process without TypeScript. Hence:
 * - no classes (Pulumi's closure serializer rewrites class constructors and loses field initializers);
 * - npm and Node modules are `require`d inside the functions that use them, so the copy requires them at
 *   run time instead of serializing them;
 * - process-wide state (configured credentials, the server version) lives on `globalThis` under registered
 *   symbols, which the serializer never captures: nothing set here can end up in the state file.
 */
import type { AxiosError, AxiosInstance, AxiosRequestConfig, AxiosResponse, AxiosStatic } from "axios";
import type { IAxiosRetryConfig } from "axios-retry";
import type * as NodeCrypto from "node:crypto";
import type * as NodeFs from "node:fs";
import type * as NodeHttp from "node:http";
import type * as NodeHttps from "node:https";
import type * as NodeTls from "node:tls";
import {
  ConfigError, configErrorMessage, type ConfigProblem, PfApiError, type PfApiErrorDetails, pfApiErrorMessage, type PfValidationError,
} from "../../src/errors";
import { redact } from "../../src/redact";

// ---------------------------------------------------------------------------------------------------
// The Client model (names and values exactly as in PingFederate's admin API)

/** A grant type a PingFederate OAuth client may use (`Client.grantTypes`). */
export const GrantType = {
  /** The authorization code flow: how Coder logs users in. */
  AuthorizationCode: "AUTHORIZATION_CODE",
  /** Refresh tokens: how Coder keeps sessions alive past the access token's lifetime. */
  RefreshToken: "REFRESH_TOKEN",
  /** The implicit flow. */
  Implicit: "IMPLICIT",
  /** The resource owner password flow. */
  ResourceOwnerCredentials: "RESOURCE_OWNER_CREDENTIALS",
  /** The client credentials flow. */
  ClientCredentials: "CLIENT_CREDENTIALS",
  /** SAML/JWT assertion grants. */
  Extension: "EXTENSION",
  /** The device authorization flow. */
  DeviceCode: "DEVICE_CODE",
  /** Token validation by a resource server. */
  AccessTokenValidation: "ACCESS_TOKEN_VALIDATION",
  /** Client-initiated backchannel authentication. */
  Ciba: "CIBA",
  /** Token exchange. */
  TokenExchange: "TOKEN_EXCHANGE",
} as const;
/** A grant type a PingFederate OAuth client may use. */
export type GrantType = (typeof GrantType)[keyof typeof GrantType];

/** Whether refresh tokens roll (are replaced on each use): `Client.refreshRolling`. */
export const RefreshRolling = {
  /** Follow the authorization server's "Roll Refresh Token Values" setting (PingFederate's default). */
  ServerDefault: "SERVER_DEFAULT",
  /** Keep the same refresh token for its whole life. */
  DontRoll: "DONT_ROLL",
  /** Issue a new refresh token on every refresh. */
  Roll: "ROLL",
} as const;
/** Whether refresh tokens roll. */
export type RefreshRolling = (typeof RefreshRolling)[keyof typeof RefreshRolling];

/** Whose grace period a rolled refresh token gets: `Client.refreshTokenRollingGracePeriodType`. */
export const RefreshTokenRollingGracePeriodType = {
  /** The authorization server's Refresh Token Grace Period (60 seconds by default). */
  ServerDefault: "SERVER_DEFAULT",
  /** The client's `refreshTokenRollingGracePeriod`. */
  OverrideServerDefault: "OVERRIDE_SERVER_DEFAULT",
} as const;
/** Whose grace period a rolled refresh token gets. */
export type RefreshTokenRollingGracePeriodType =
  (typeof RefreshTokenRollingGracePeriodType)[keyof typeof RefreshTokenRollingGracePeriodType];

/** How a persistent-grant (refresh token) lifetime is decided: `persistentGrantExpirationType` / `…IdleTimeoutType`. */
export const PersistentGrantType = {
  /** Never expires. */
  IndefiniteExpiry: "INDEFINITE_EXPIRY",
  /** The authorization server's setting applies (PingFederate's default). */
  ServerDefault: "SERVER_DEFAULT",
  /** The client's own time and unit apply. */
  OverrideServerDefault: "OVERRIDE_SERVER_DEFAULT",
} as const;
/** How a persistent-grant lifetime is decided. */
export type PersistentGrantType = (typeof PersistentGrantType)[keyof typeof PersistentGrantType];

/** The unit of a persistent-grant time: `persistentGrantExpirationTimeUnit` / `persistentGrantIdleTimeoutTimeUnit`. */
export const GrantTimeUnit = {
  /** Minutes: the finest unit PingFederate accepts. */
  Minutes: "MINUTES",
  /** Hours. */
  Hours: "HOURS",
  /** Days. */
  Days: "DAYS",
} as const;
/** The unit of a persistent-grant time. */
export type GrantTimeUnit = (typeof GrantTimeUnit)[keyof typeof GrantTimeUnit];

/** Seconds in one of each {@link GrantTimeUnit}. */
export const GRANT_TIME_UNIT_SECONDS: Readonly<Record<GrantTimeUnit, number>> = { MINUTES: 60, HOURS: 3600, DAYS: 86400 };

/** Whether the client needs the `offline_access` scope to get refresh tokens (12.1+). */
export const OfflineAccessRequirement = {
  /** The authorization server's setting applies (PingFederate's default). */
  ServerDefault: "SERVER_DEFAULT",
  /** Refresh tokens regardless of `offline_access`. */
  No: "NO",
  /** Refresh tokens only when `offline_access` was requested and granted. */
  Yes: "YES",
} as const;
/** Whether the client needs `offline_access` to get refresh tokens. */
export type OfflineAccessRequirement = (typeof OfflineAccessRequirement)[keyof typeof OfflineAccessRequirement];

/** How a client authenticates at the token endpoint: `Client.clientAuth.type`. */
export const ClientAuthType = {
  /** Public client. */
  None: "NONE",
  /** Client secret (basic or post): what Coder uses. */
  Secret: "SECRET",
  /** Mutual TLS. */
  Certificate: "CERTIFICATE",
  /** `private_key_jwt`. */
  PrivateKeyJwt: "PRIVATE_KEY_JWT",
  /** `client_secret_jwt`. */
  ClientSecretJwt: "CLIENT_SECRET_JWT",
} as const;
/** How a client authenticates at the token endpoint. */
export type ClientAuthType = (typeof ClientAuthType)[keyof typeof ClientAuthType];

/** The first PingFederate version with `requireOfflineAccessScopeToIssueRefreshTokens` on clients. */
export const OFFLINE_ACCESS_SETTINGS_VERSION = "12.1";

/** A reference to another admin API object (`ResourceLink`). */
export interface PfResourceLink {
  /** The referenced object's id. */
  readonly id: string;
  /** Read-only link PingFederate adds on GET. */
  readonly location?: string;
}

/** A secondary (previous) client secret that keeps working until `expiryTime` (`SecondarySecret`). */
export interface PfSecondarySecret {
  /** Plain text; write-only (never returned). */
  readonly secret?: string;
  /** Encrypted form returned on GET; send it back unchanged to keep the secret. */
  readonly encryptedSecret?: string;
  /** When it stops working, ISO 8601. */
  readonly expiryTime?: string;
}

/** `Client.clientAuth` (only the fields this toolkit reads are typed; every other one is kept as is). */
export interface PfClientAuth {
  /** How the client authenticates. */
  readonly type?: ClientAuthType;
  /** The secret in plain text; write-only (never returned). */
  readonly secret?: string;
  /** The secret, encrypted; different on every GET; send it back unchanged to keep the secret. */
  readonly encryptedSecret?: string;
  /** Previous secrets still accepted. */
  readonly secondarySecrets?: readonly PfSecondarySecret[];
  /** Fields this toolkit does not manage. */
  readonly [field: string]: unknown;
}

/** `Client.oidcPolicy` (only `policyGroup` is managed; every other field is kept as is). */
export interface PfClientOidcPolicy {
  /** The OpenID Connect policy for ID tokens; absent = the server's default policy. */
  readonly policyGroup?: PfResourceLink;
  /** Fields this toolkit does not manage. */
  readonly [field: string]: unknown;
}

/**
 * PingFederate's `Client`. The fields this toolkit manages are typed; the index signature carries every
 * other field exactly as the server returned it, so that a PUT can send them back untouched.
 */
export interface PfClient {
  /** The client id; immutable. */
  readonly clientId: string;
  /** Display name. */
  readonly name: string;
  /** Allowed grant types. */
  readonly grantTypes: readonly GrantType[];
  /** Shown on the consent page. */
  readonly description?: string;
  /** Allowed redirect URIs. */
  readonly redirectUris?: readonly string[];
  /** Limit the client to `restrictedScopes`. */
  readonly restrictScopes?: boolean;
  /** The scopes the client may ask for when restricted. */
  readonly restrictedScopes?: readonly string[];
  /** Whether refresh tokens roll. */
  readonly refreshRolling?: RefreshRolling;
  /** Whose grace period a rolled refresh token gets. */
  readonly refreshTokenRollingGracePeriodType?: RefreshTokenRollingGracePeriodType;
  /** Seconds a rolled refresh token keeps working, with `OVERRIDE_SERVER_DEFAULT`. */
  readonly refreshTokenRollingGracePeriod?: number;
  /** How the refresh token's maximum lifetime is decided. */
  readonly persistentGrantExpirationType?: PersistentGrantType;
  /** The maximum lifetime, with `OVERRIDE_SERVER_DEFAULT`; -1 = indefinite. */
  readonly persistentGrantExpirationTime?: number;
  /** Unit of `persistentGrantExpirationTime`. */
  readonly persistentGrantExpirationTimeUnit?: GrantTimeUnit;
  /** How the refresh token's idle timeout is decided. */
  readonly persistentGrantIdleTimeoutType?: PersistentGrantType;
  /** The idle timeout, with `OVERRIDE_SERVER_DEFAULT`. */
  readonly persistentGrantIdleTimeout?: number;
  /** Unit of `persistentGrantIdleTimeout`. */
  readonly persistentGrantIdleTimeoutTimeUnit?: GrantTimeUnit;
  /** 12.1+: whether refresh tokens need the `offline_access` scope. */
  readonly requireOfflineAccessScopeToIssueRefreshTokens?: OfflineAccessRequirement;
  /** Skip the consent page. */
  readonly bypassApprovalPage?: boolean;
  /** The access token manager for this client's tokens; absent = the server's default. */
  readonly defaultAccessTokenManagerRef?: PfResourceLink;
  /** OpenID Connect settings. */
  readonly oidcPolicy?: PfClientOidcPolicy;
  /** Client authentication. */
  readonly clientAuth?: PfClientAuth;
  /** Fields this toolkit does not manage. */
  readonly [field: string]: unknown;
}

/** `ClientSecret`: the body of `PUT /oauth/clients/{id}/clientAuth/clientSecret`. */
export interface PfClientSecret {
  /** The new primary secret in plain text. */
  readonly secret?: string;
  /** The current primary secret, encrypted, to keep it. */
  readonly encryptedSecret?: string;
  /** Previous secrets that keep working until their expiry. */
  readonly secondarySecrets?: readonly PfSecondarySecret[];
}

/** `ScopeEntry`: a scope defined on the authorization server. */
export interface PfScope {
  /** The scope's name, e.g. `offline_access`. */
  readonly name: string;
  /** Shown on the consent page; required by the API. */
  readonly description: string;
  /** Whether the scope is dynamic (a pattern). */
  readonly dynamic?: boolean;
}

/** What this toolkit reads of `ClusterStatus`. */
export interface PfClusterStatus {
  /** Whether configuration changes are waiting to be replicated to the engines. */
  readonly replicationRequired?: boolean;
  /** Every other field, as returned. */
  readonly [field: string]: unknown;
}

/** The outcome of {@link PfAdminApi.replicateIfRequired}. */
export const ReplicationOutcome = {
  /** `GET /cluster/status` answered 403: a standalone server, nothing to replicate. */
  NotClustered: "not-clustered",
  /** The cluster said no replication was required. */
  UpToDate: "up-to-date",
  /** `POST /cluster/replicate` was called and succeeded. */
  Replicated: "replicated",
} as const;
/** The outcome of a replication check. */
export type ReplicationOutcome = (typeof ReplicationOutcome)[keyof typeof ReplicationOutcome];

// ---------------------------------------------------------------------------------------------------
// Versions and times

/** `12.1.0.4` → `[12, 1, 0, 4]`; non-numeric parts count as 0. */
function versionParts(version: string): number[] {
  return version.split(".").map((part) => Number.parseInt(part, 10) || 0);
}

/** Whether `version` is at least `minimum` (dotted numbers, e.g. `12.1.0.4` ≥ `12.1`). */
export function versionAtLeast(version: string, minimum: string): boolean {
  const have = versionParts(version);
  const want = versionParts(minimum);
  for (let i = 0; i < Math.max(have.length, want.length); i++) {
    const a = have[i] ?? 0;
    const b = want[i] ?? 0;
    if (a !== b) return a > b;
  }
  return true;
}

/** Whether a server of this version has the 12.1 offline-access client fields. */
export function supportsOfflineAccessSettings(version: string): boolean {
  return versionAtLeast(version, OFFLINE_ACCESS_SETTINGS_VERSION);
}

/** A persistent-grant time as PingFederate stores it. */
export interface GrantTime {
  /** The amount, in `unit`s. */
  readonly time: number;
  /** The unit. */
  readonly unit: GrantTimeUnit;
}

/**
 * Seconds as a PingFederate grant time, in the largest unit that divides them exactly (86400 → 1 DAYS,
 * 5400 → 90 MINUTES). Undefined when they are not whole minutes: PingFederate has no finer unit.
 */
export function grantTimeFromSeconds(seconds: number): GrantTime | undefined {
  if (!Number.isSafeInteger(seconds) || seconds <= 0) return undefined;
  const units: GrantTimeUnit[] = [GrantTimeUnit.Days, GrantTimeUnit.Hours, GrantTimeUnit.Minutes];
  for (const unit of units) {
    const size = GRANT_TIME_UNIT_SECONDS[unit];
    if (seconds % size === 0) return { time: seconds / size, unit };
  }
  return undefined;
}

/** A PingFederate grant time in seconds; undefined when either part is missing or invalid. */
export function grantTimeSeconds(time: unknown, unit: unknown): number | undefined {
  if (typeof time !== "number" || !Number.isFinite(time)) return undefined;
  const size = GRANT_TIME_UNIT_SECONDS[unit as GrantTimeUnit];
  return size === undefined ? undefined : time * size;
}

// ---------------------------------------------------------------------------------------------------
// Connection settings, retry policy

/** How hard to retry a failed GET/PUT/DELETE. */
export interface RetryPolicy {
  /** Most attempts per call, the first included. Default 5. */
  readonly maxAttempts: number;
  /** Backoff before the first retry; doubles each time. Default 250 ms. */
  readonly baseDelayMs: number;
  /** Longest backoff between two attempts (a longer `Retry-After` is still honoured). Default 8 s. */
  readonly maxDelayMs: number;
  /** No retry starts after this long since the first attempt. Default 60 s. */
  readonly totalTimeMs: number;
}

/** The retry policy used unless a connection sets its own. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 250, maxDelayMs: 8000, totalTimeMs: 60_000 };

/** The per-attempt timeout used unless a connection sets its own. */
export const DEFAULT_TIMEOUT_MS = 30_000;

/** Where and how to reach the admin API. Nothing in here is secret. */
export interface PfConnection {
  /** Base URL of the admin API, e.g. `https://pf.example.com:9999/pf-admin-api/v1`. */
  readonly adminUrl: string;
  /** PEM text, or the path of a PEM file, of the CA that signed the admin API's certificate. Default: Node's CAs. */
  readonly caCertificate?: string;
  /** Skip TLS certificate verification. Default false. */
  readonly insecureSkipTlsVerify?: boolean;
  /** Per-attempt timeout in ms. Default {@link DEFAULT_TIMEOUT_MS}. */
  readonly timeoutMs?: number;
  /** Retry tuning. Default {@link DEFAULT_RETRY_POLICY}. */
  readonly retry?: Partial<RetryPolicy>;
  /** Credentials to use instead of the configured/environment ones (tests and benchmarks). */
  readonly credentials?: AdminCredentials;
}

/**
 * Backoff before retry number `retryNumber` (1 = the first retry): exponential from `baseDelayMs`, capped at
 * `maxDelayMs`, with "equal jitter" (between half and all of it), and never shorter than what the server asked
 * for in `Retry-After`.
 */
export function retryDelayMs(
  retryNumber: number,
  retryAfter: string | undefined,
  policy: RetryPolicy,
  random: () => number = Math.random,
  now: number = Date.now(),
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retryNumber - 1));
  const jittered = ceiling / 2 + random() * (ceiling / 2);
  return Math.max(jittered, parseRetryAfterMs(retryAfter, now) ?? 0);
}

/** `Retry-After` in ms: delta-seconds or an HTTP date. Undefined when absent or unreadable. */
export function parseRetryAfterMs(value: string | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

// ---------------------------------------------------------------------------------------------------
// Credentials

/** Admin API credentials. */
export type AdminCredentials =
  | {
      /** Basic auth (`native` admin authentication, PingFederate's default). */
      readonly kind: "basic";
      /** Admin user. */
      readonly username: string;
      /** Its password. */
      readonly password: string;
    }
  | {
      /** A bearer token (PingFederate 12.0+ with JWT/OAuth admin authentication). */
      readonly kind: "bearer";
      /** The token. */
      readonly token: string;
    };

/** Credential fields as they arrive from stack config (`coder-oidc:pingfederate`) or the environment. */
export interface AdminCredentialFields {
  /** Admin user for basic auth. */
  readonly username?: string;
  /** Its password. */
  readonly password?: string;
  /** A bearer token. */
  readonly token?: string;
}

/** Environment variables that carry admin credentials. */
export const ADMIN_CREDENTIAL_ENV = {
  /** Admin user for basic auth. */
  Username: "PINGFEDERATE_ADMIN_USERNAME",
  /** Its password. */
  Password: "PINGFEDERATE_ADMIN_PASSWORD",
  /** A bearer token, instead of user and password. */
  Token: "PINGFEDERATE_ADMIN_TOKEN",
} as const;

const CONFIG_KEY = "coder-oidc:pingfederate";

/** Process-wide slots on globalThis (registered symbols: never enumerated, never serialized). */
const CREDENTIALS_SLOT = "coder-oidc.pingfederate.adminCredentials";
const VERSION_SLOT = "coder-oidc.pingfederate.serverVersions";

function globalSlot<T>(name: string): { get(): T | undefined; set(value: T | undefined): void } {
  const key = Symbol.for(name);
  const holder = globalThis as unknown as Record<symbol, T | undefined>;
  return { get: () => holder[key], set: (value) => { holder[key] = value; } };
}

/**
 * Remembers the credentials from stack config for this process: the dynamic provider's `configure` calls it.
 * They live on `globalThis`, never on the provider object, so they never reach the serialized provider.
 */
export function rememberConfiguredCredentials(fields: AdminCredentialFields | undefined): void {
  const present = fields && (fields.username || fields.password || fields.token) ? { ...fields } : undefined;
  globalSlot<AdminCredentialFields>(CREDENTIALS_SLOT).set(present);
}

/** Forgets credentials remembered by {@link rememberConfiguredCredentials} (tests). */
export function forgetConfiguredCredentials(): void {
  globalSlot<AdminCredentialFields>(CREDENTIALS_SLOT).set(undefined);
}

/** Reads the credential fields of `coder-oidc:pingfederate` (JSON text) as the engine hands it to `configure`. */
export function credentialFieldsFromConfig(text: string | undefined): AdminCredentialFields | undefined {
  if (!text) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof parsed !== "object" || parsed === null) return undefined;
  const record = parsed as Record<string, unknown>;
  const pick = (key: string) => (typeof record[key] === "string" && record[key] !== "" ? (record[key] as string) : undefined);
  return { username: pick("username"), password: pick("password"), token: pick("token") };
}

function credentialsError(problems: ConfigProblem[], heading: string): Error {
  return newConfigError(problems, heading);
}

/** Credentials from one source, or problems when it is incomplete or ambiguous; undefined when empty. */
function credentialsFrom(
  fields: AdminCredentialFields,
  names: { username: string; password: string; token: string },
): AdminCredentials | ConfigProblem[] | undefined {
  const { username, password, token } = fields;
  if (!username && !password && !token) return undefined;
  if (token && (username || password)) {
    return [{ key: names.token, message: `is set together with ${names.username}/${names.password}: choose one way to log in` }];
  }
  if (token) return { kind: "bearer", token };
  if (!username) return [{ key: names.username, message: `is required when ${names.password} is set` }];
  if (!password) return [{ key: names.password, message: `is required when ${names.username} is set` }];
  return { kind: "basic", username, password };
}

/**
 * The admin credentials for a call: stack config delivered through `configure` first, then the environment.
 * Resolved when a call is made, never when the program is evaluated. Throws a {@link ConfigError} that names
 * both ways when there are none.
 */
export function resolveAdminCredentials(env: NodeJS.ProcessEnv = process.env): AdminCredentials {
  const configured = globalSlot<AdminCredentialFields>(CREDENTIALS_SLOT).get();
  if (configured) {
    const fromConfig = credentialsFrom(configured, {
      username: `${CONFIG_KEY}.username`,
      password: `${CONFIG_KEY}.password`,
      token: `${CONFIG_KEY}.token`,
    });
    if (Array.isArray(fromConfig)) throw credentialsError(fromConfig, "Incomplete PingFederate admin credentials");
    if (fromConfig) return fromConfig;
  }
  const fromEnv = credentialsFrom(
    { username: env[ADMIN_CREDENTIAL_ENV.Username], password: env[ADMIN_CREDENTIAL_ENV.Password], token: env[ADMIN_CREDENTIAL_ENV.Token] },
    { username: ADMIN_CREDENTIAL_ENV.Username, password: ADMIN_CREDENTIAL_ENV.Password, token: ADMIN_CREDENTIAL_ENV.Token },
  );
  if (Array.isArray(fromEnv)) throw credentialsError(fromEnv, "Incomplete PingFederate admin credentials");
  if (fromEnv) return fromEnv;
  throw credentialsError([{
    key: CONFIG_KEY,
    message:
      `no admin API credentials. Either set ${ADMIN_CREDENTIAL_ENV.Username} and ${ADMIN_CREDENTIAL_ENV.Password} ` +
      `(basic auth) or ${ADMIN_CREDENTIAL_ENV.Token} (bearer token) in the environment of pulumi, or store them in ` +
      `the stack: pulumi config set --secret --path 'pingfederate.username' <user> and ` +
      `pulumi config set --secret --path 'pingfederate.password' <password> (or 'pingfederate.token' <token>)`,
  }], "PingFederate admin credentials are missing");
}

// ---------------------------------------------------------------------------------------------------
// Errors (serialization-safe construction)

/**
 * A {@link PfApiError}. A serialized copy of the error classes cannot be constructed (Pulumi's closure
 * serializer drops `new.target` and field initializers), so in Pulumi's provider host this falls back to a
 * plain Error with the same code, fields and message.
 */
function newPfApiError(details: PfApiErrorDetails, hint?: string): PfApiError {
  try {
    const error = new PfApiError(details, hint);
    if (error.message && error.code === PfApiError.code) return error;
  } catch {
    // A serialized copy of the class: use the fallback below.
  }
  const error = new Error(pfApiErrorMessage(details, hint));
  // `stack` too, as the class sets it: no frames where the provider host prints `${err}: ${err.stack}`.
  return Object.assign(error, { name: "PfApiError", code: "ERR_PF_API", __pulumiRunError: true, ...details, stack: "(ERR_PF_API)" }) as unknown as PfApiError;
}

/** A {@link ConfigError}, constructed the same serialization-safe way as {@link newPfApiError}. */
function newConfigError(problems: ConfigProblem[], heading: string): ConfigError {
  try {
    const error = new ConfigError(problems, heading);
    if (error.message && error.code === ConfigError.code) return error;
  } catch {
    // A serialized copy of the class: use the fallback below.
  }
  const error = new Error(configErrorMessage(problems, heading));
  return Object.assign(error, { name: "ConfigError", code: "ERR_CONFIG_INVALID", __pulumiRunError: true, problems, stack: "(ERR_CONFIG_INVALID)" }) as unknown as ConfigError;
}

/** The secrets of a set of credentials, including the `user:password` that Basic authentication sends. */
export function credentialSecrets(credentials: AdminCredentials): string[] {
  return credentials.kind === "basic"
    ? [credentials.password, `${credentials.username}:${credentials.password}`]
    : [credentials.token];
}

const TLS_ERROR_CODES = [
  "DEPTH_ZERO_SELF_SIGNED_CERT", "SELF_SIGNED_CERT_IN_CHAIN", "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT", "UNABLE_TO_GET_ISSUER_CERT_LOCALLY", "CERT_HAS_EXPIRED", "CERT_NOT_YET_VALID",
  "ERR_TLS_CERT_ALTNAME_INVALID", "CERT_UNTRUSTED", "CERT_SIGNATURE_FAILURE",
];

/** What went wrong with a request that got no HTTP response (by its Node error code), in words a user can act on. */
export function transportProblem(code: string | undefined, timeoutMs: number): string {
  if (code && TLS_ERROR_CODES.includes(code)) {
    return `the admin API's TLS certificate is not trusted (${code}): set coder-oidc:pingfederate.caCertificate to ` +
      `the PEM (text or file path) of the CA that signed it; only for a lab, set insecureSkipTlsVerify: true`;
  }
  switch (code) {
    case "ECONNREFUSED": return "connection refused (ECONNREFUSED): check adminUrl, and that the admin port (9999 by default) is reachable";
    case "ENOTFOUND": return "host not found (ENOTFOUND): check the host name in adminUrl";
    case "ETIMEDOUT":
    case "ECONNABORTED": return `no answer within ${timeoutMs} ms (timeout)`;
    case "ECONNRESET": return "the connection was reset (ECONNRESET)";
    case "EPIPE": return "the connection was closed while sending (EPIPE)";
    default: return `the request failed (${code ?? "no response"})`;
  }
}

/** The API's `ApiResult` body, when the response has one. */
function apiResultOf(data: unknown): { resultId?: string; message?: string; validationErrors: PfValidationError[] } | undefined {
  if (typeof data !== "object" || data === null) return undefined;
  const body = data as Record<string, unknown>;
  const text = (value: unknown) => (typeof value === "string" && value !== "" ? value : undefined);
  const validationErrors = Array.isArray(body.validationErrors)
    ? body.validationErrors
        .filter((v): v is Record<string, unknown> => typeof v === "object" && v !== null)
        .map((v) => ({ errorId: text(v.errorId), fieldPath: text(v.fieldPath), message: text(v.message) ?? text(v.developerMessage) }))
    : [];
  return { resultId: text(body.resultId), message: text(body.message) ?? text(body.developerMessage), validationErrors };
}

/** Hint for statuses a user can fix. */
function hintFor(status: number | undefined): string | undefined {
  if (status === 401 || status === 403) {
    return `Check the admin credentials (${ADMIN_CREDENTIAL_ENV.Username}/${ADMIN_CREDENTIAL_ENV.Password} or ` +
      `${ADMIN_CREDENTIAL_ENV.Token}, or ${CONFIG_KEY}.username/password/token) and that the admin account may use the admin API.`;
  }
  if (status !== undefined && status >= 300 && status < 400) {
    return "Check adminUrl: it must be the admin API base, e.g. https://pf.example.com:9999/pf-admin-api/v1.";
  }
  return undefined;
}

/** Wraps anything a request threw into a PfApiError that carries no header, credential or secret. */
function wrapFailure(
  error: unknown,
  method: string,
  path: string,
  context: { secrets: readonly string[]; timeoutMs: number; attempts: number; note?: string },
): PfApiError {
  const axiosError = error as Partial<AxiosError> & { code?: string };
  const response = axiosError.response as AxiosResponse | undefined;
  const status = response?.status;
  let apiMessage: string;
  let resultId: string | undefined;
  let validationErrors: PfValidationError[] = [];
  if (response) {
    const result = apiResultOf(response.data);
    resultId = result?.resultId;
    validationErrors = result?.validationErrors ?? [];
    apiMessage = result?.message ?? (response.statusText || `HTTP ${response.status}`);
    if (status !== undefined && status >= 300 && status < 400) {
      apiMessage = `unexpected redirect${typeof response.headers?.location === "string" ? ` to ${response.headers.location}` : ""}`;
    }
  } else {
    apiMessage = transportProblem(axiosError.code, context.timeoutMs);
  }
  if (context.attempts > 1) apiMessage += ` (gave up after ${context.attempts} attempts)`;
  if (context.note) apiMessage += ` (${context.note})`;
  const clean = (text: string | undefined) => (text === undefined ? undefined : redact(text, context.secrets));
  return newPfApiError({
    method,
    path,
    status,
    resultId: clean(resultId),
    apiMessage: clean(apiMessage),
    validationErrors: validationErrors.map((v) => ({ errorId: clean(v.errorId), fieldPath: clean(v.fieldPath), message: clean(v.message) })),
  }, hintFor(status));
}

// ---------------------------------------------------------------------------------------------------
// The HTTP client

/** The admin API calls this toolkit makes. Every method throws {@link PfApiError} on failure. */
export interface PfAdminApi {
  /** `GET /version`, cached per admin URL for the life of the process. */
  getVersion(): Promise<string>;
  /** `GET /oauth/clients/{id}`; undefined on 404. */
  getClient(clientId: string): Promise<PfClient | undefined>;
  /** `GET /oauth/clients?filter=…` (every page). */
  listClients(filter?: string): Promise<PfClient[]>;
  /**
   * `POST /oauth/clients`. Never retried blindly: after a transport failure, a 429 or a 5xx, the client is
   * looked up, and the POST is repeated only if it does not exist.
   */
  createClient(client: PfClient): Promise<PfClient>;
  /** `PUT /oauth/clients/{id}` with the whole object. */
  updateClient(client: PfClient): Promise<PfClient>;
  /** `DELETE /oauth/clients/{id}`; true when it existed (404 counts as done). */
  deleteClient(clientId: string): Promise<boolean>;
  /** `PUT /oauth/clients/{id}/clientAuth/clientSecret`. */
  updateClientSecret(clientId: string, body: PfClientSecret): Promise<PfClientSecret>;
  /** `GET /oauth/authServerSettings/scopes/commonScopes/{name}`; undefined on 404. */
  getCommonScope(name: string): Promise<PfScope | undefined>;
  /** `POST /oauth/authServerSettings/scopes/commonScopes`, with the same no-blind-retry rule as createClient. */
  addCommonScope(scope: PfScope): Promise<PfScope>;
  /** `GET /cluster/status`; undefined on 403 (not clustered). */
  getClusterStatus(): Promise<PfClusterStatus | undefined>;
  /** `GET /cluster/status`, then `POST /cluster/replicate` only if `replicationRequired`. */
  replicateIfRequired(): Promise<ReplicationOutcome>;
  /** Frees sockets. */
  close(): void;
}

interface Sent<T> {
  readonly status: number;
  readonly data: T;
}

interface SendOptions {
  /** Statuses that resolve instead of throwing. */
  readonly accept?: readonly number[];
  /** Extra strings to redact from errors (secrets in the body). */
  readonly secrets?: readonly string[];
}

/** Node and npm modules, required where used so a serialized copy of this file requires them at run time. */
function load() {
  /* eslint-disable @typescript-eslint/no-require-imports */
  return {
    axios: require("axios") as AxiosStatic,
    axiosRetry: (require("axios-retry") as { default: (instance: AxiosInstance, config: IAxiosRetryConfig) => unknown }).default,
    crypto: require("node:crypto") as typeof NodeCrypto,
    fs: require("node:fs") as typeof NodeFs,
    http: require("node:http") as typeof NodeHttp,
    https: require("node:https") as typeof NodeHttps,
    tls: require("node:tls") as typeof NodeTls,
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
}

/** A new client secret: 32 random bytes, base64url (43 characters, URL-safe). */
export function generateClientSecret(): string {
  return load().crypto.randomBytes(32).toString("base64url");
}

/** The CA bundle for a connection: Node's CAs plus the configured one (PEM text or file). */
function caBundle(caCertificate: string): string[] {
  const { fs, tls } = load();
  let pem = caCertificate;
  if (!caCertificate.includes("-----BEGIN")) {
    try {
      pem = fs.readFileSync(caCertificate, "utf8");
    } catch (error) {
      throw newConfigError([{
        key: `${CONFIG_KEY}.caCertificate`,
        message: `is neither PEM text nor a readable file: "${caCertificate}" (${(error as { code?: string }).code ?? "unreadable"})`,
      }], "Invalid PingFederate TLS settings");
    }
    if (!pem.includes("-----BEGIN")) {
      throw newConfigError([{ key: `${CONFIG_KEY}.caCertificate`, message: `the file "${caCertificate}" holds no PEM certificate` }],
        "Invalid PingFederate TLS settings");
    }
  }
  return [...tls.rootCertificates, pem];
}

/**
 * Whether a failed attempt may be repeated (for GET/PUT/DELETE only): 429, 502, 503, 504, and a connection that
 * was reset, timed out, aborted or closed while sending.
 */
export function isRetryable(error: Pick<AxiosError, "code" | "response">): boolean {
  const status = error.response?.status;
  if (status !== undefined) return status === 429 || status === 502 || status === 503 || status === 504;
  return ["ECONNRESET", "ETIMEDOUT", "ECONNABORTED", "EPIPE"].includes(error.code ?? "");
}

const IDEMPOTENT = ["GET", "PUT", "DELETE"];

/**
 * A client for one admin API. Credentials are resolved now (at call time, inside a provider method), from
 * `connection.credentials`, then stack config delivered through `configure`, then the environment.
 */
export function pfAdminApi(connection: PfConnection): PfAdminApi {
  const { axios, axiosRetry, http, https } = load();
  const credentials = connection.credentials ?? resolveAdminCredentials();
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...connection.retry };
  const timeoutMs = connection.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const baseURL = connection.adminUrl.replace(/\/+$/, "");
  const secrets = credentialSecrets(credentials);

  const httpsAgent = new https.Agent({
    keepAlive: true,
    rejectUnauthorized: connection.insecureSkipTlsVerify !== true,
    ...(connection.caCertificate ? { ca: caBundle(connection.caCertificate) } : {}),
  });
  const httpAgent = new http.Agent({ keepAlive: true });
  const headers: Record<string, string> = { "X-XSRF-Header": "PingFederate", Accept: "application/json" };
  if (credentials.kind === "bearer") headers.Authorization = `Bearer ${credentials.token}`;
  const instance = axios.create({
    baseURL,
    timeout: timeoutMs,
    headers,
    auth: credentials.kind === "basic" ? { username: credentials.username, password: credentials.password } : undefined,
    httpAgent,
    httpsAgent,
    maxRedirects: 0,
    transitional: { clarifyTimeoutError: true, silentJSONParsing: true, forcedJSONParsing: true },
  });
  // The defaults matter only for calls that pass no per-request settings; send() always does.
  axiosRetry(instance, { retries: 0 });

  async function send<T>(method: string, path: string, body?: unknown, options: SendOptions = {}): Promise<Sent<T>> {
    const started = Date.now();
    let attempts = 0;
    let budgetNote: string | undefined;
    let nextDelay = 0;
    const retrying = IDEMPOTENT.includes(method);
    const retryConfig: IAxiosRetryConfig = {
      retries: retrying ? policy.maxAttempts - 1 : 0,
      shouldResetTimeout: true,
      retryCondition: (error) => {
        if (!retrying || !isRetryable(error)) return false;
        const header = error.response?.headers?.["retry-after"];
        nextDelay = retryDelayMs(attempts, typeof header === "string" ? header : undefined, policy);
        if (Date.now() - started + nextDelay > policy.totalTimeMs) {
          budgetNote = `the next retry, in ${Math.ceil(nextDelay / 1000)} s, would pass the ${Math.round(policy.totalTimeMs / 1000)} s retry budget`;
          return false;
        }
        return true;
      },
      retryDelay: () => nextDelay,
      onRetry: () => {
        attempts++;
      },
    };
    const config: AxiosRequestConfig = {
      method,
      url: path,
      data: body,
      validateStatus: (status) => (status >= 200 && status < 300) || (options.accept ?? []).includes(status),
      "axios-retry": retryConfig,
    };
    attempts = 1;
    try {
      const response = await instance.request<T>(config);
      if (!isDocumentedAnswer(response)) {
        const type = String(response.headers?.["content-type"] ?? "no content type").split(";")[0];
        throw newPfApiError({
          method, path, status: response.status, validationErrors: [],
          apiMessage: `the answer is ${type}, not the JSON the admin API documents: check that adminUrl is the admin ` +
            "API base (…/pf-admin-api/v1) and that no proxy or login page answers in its place",
        });
      }
      return { status: response.status, data: response.data };
    } catch (error) {
      if ((error as { code?: string }).code === "ERR_PF_API") throw error;
      throw wrapFailure(error, method, path, {
        secrets: [...secrets, ...(options.secrets ?? [])],
        timeoutMs,
        attempts,
        note: budgetNote,
      });
    }
  }

  /**
   * A success (2xx) with a body must be JSON, as the API documents every answer, and so must a 404 that a call
   * takes as "gone" (the API's `ApiResult`): a proxy's or web server's HTML 404 for a wrong adminUrl would
   * otherwise read as a deleted client, and a refresh would drop it from the state. An empty answer counts.
   * A 403 that says "not clustered" is taken as it is: its body is not documented.
   */
  function isDocumentedAnswer(response: AxiosResponse): boolean {
    if (response.status === 204 || response.status === 403) return true;
    const type = String(response.headers?.["content-type"] ?? "");
    const empty = response.data === undefined || response.data === "";
    if (empty) return type === "" || /json/i.test(type);
    return /^application\/(.+\+)?json\b/i.test(type) && typeof response.data === "object" && response.data !== null;
  }

  /** Whether a failed POST may have been refused before anything happened, or may have gone through. */
  function mayRetryPost(error: unknown): boolean {
    const status = (error as { status?: number }).status;
    if (status === undefined) return true; // transport failure: it may or may not have been applied
    return status === 429 || status === 502 || status === 503 || status === 504;
  }

  /**
   * A POST that is never repeated blindly: after a retryable failure, `exists()` says whether it went through;
   * only if not is it sent again, within the same attempt and time budget as other calls.
   */
  async function postOnce<T>(path: string, body: unknown, exists: () => Promise<T | undefined>, secretValues: string[]): Promise<T> {
    const started = Date.now();
    for (let attempt = 1; ; attempt++) {
      try {
        return (await send<T>("POST", path, body, { secrets: secretValues })).data;
      } catch (error) {
        if (!mayRetryPost(error)) throw error;
        const found = await exists();
        if (found !== undefined) return found;
        const delay = retryDelayMs(attempt, undefined, policy);
        if (attempt >= policy.maxAttempts || Date.now() - started + delay > policy.totalTimeMs) throw error;
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  const clientPath = (clientId: string) => `/oauth/clients/${encodeURIComponent(clientId)}`;
  const scopePath = (name: string) => `/oauth/authServerSettings/scopes/commonScopes/${encodeURIComponent(name)}`;
  const versions = globalSlot<Record<string, string>>(VERSION_SLOT);

  const api: PfAdminApi = {
    async getVersion() {
      const cache = versions.get() ?? {};
      const cached = cache[baseURL];
      if (cached) return cached;
      const { data } = await send<{ version?: string }>("GET", "/version");
      const version = typeof data?.version === "string" ? data.version : "0";
      versions.set({ ...cache, [baseURL]: version });
      return version;
    },
    async getClient(clientId) {
      const { status, data } = await send<PfClient>("GET", clientPath(clientId), undefined, { accept: [404] });
      return status === 404 ? undefined : data;
    },
    async listClients(filter) {
      const items: PfClient[] = [];
      for (let page = 1; page <= 1000; page++) {
        const query = new URLSearchParams({ page: String(page), numberPerPage: "100", ...(filter ? { filter } : {}) });
        const { data } = await send<{ items?: PfClient[] }>("GET", `/oauth/clients?${query.toString()}`);
        const batch = data?.items ?? [];
        items.push(...batch);
        if (batch.length < 100) break;
      }
      return items;
    },
    async createClient(client) {
      const sent = client.clientAuth?.secret ? [client.clientAuth.secret] : [];
      return postOnce<PfClient>("/oauth/clients", client, () => api.getClient(client.clientId), sent);
    },
    async updateClient(client) {
      const sent = client.clientAuth?.secret ? [client.clientAuth.secret] : [];
      return (await send<PfClient>("PUT", clientPath(client.clientId), client, { secrets: sent })).data;
    },
    async deleteClient(clientId) {
      const { status } = await send<unknown>("DELETE", clientPath(clientId), undefined, { accept: [404] });
      return status !== 404;
    },
    async updateClientSecret(clientId, body) {
      const sent = [body.secret, ...(body.secondarySecrets ?? []).map((s) => s.secret)].filter((s): s is string => !!s);
      return (await send<PfClientSecret>("PUT", `${clientPath(clientId)}/clientAuth/clientSecret`, body, { secrets: sent })).data;
    },
    async getCommonScope(name) {
      const { status, data } = await send<PfScope>("GET", scopePath(name), undefined, { accept: [404] });
      return status === 404 ? undefined : data;
    },
    async addCommonScope(scope) {
      return postOnce<PfScope>("/oauth/authServerSettings/scopes/commonScopes", scope, () => api.getCommonScope(scope.name), []);
    },
    async getClusterStatus() {
      const { status, data } = await send<PfClusterStatus>("GET", "/cluster/status", undefined, { accept: [403] });
      return status === 403 ? undefined : data;
    },
    async replicateIfRequired() {
      const status = await api.getClusterStatus();
      if (status === undefined) return ReplicationOutcome.NotClustered;
      if (status.replicationRequired !== true) return ReplicationOutcome.UpToDate;
      // After a failed POST, the status says whether the replication happened anyway.
      await postOnce<unknown>("/cluster/replicate", undefined, async () => {
        const now = await api.getClusterStatus();
        return now !== undefined && now.replicationRequired !== true ? true : undefined;
      }, []);
      return ReplicationOutcome.Replicated;
    },
    close() {
      httpsAgent.destroy();
      httpAgent.destroy();
    },
  };
  return api;
}
