/**
 * PingFederate's admin API model: the `Client` enums and shapes (names and values exactly as the API has them),
 * the grant-time units and their conversion, and the version gates.
 * Facts: ../shared/reference/FACTS.md §3 (endpoints, status codes, PUT-replaces-all, version gating).
 *
 * The one owner of these values and rules: the admin API client, the dynamic providers, the component, the
 * policy rules and the config rules all import them from here. No Pulumi, no I/O. Copied by value into the
 * serialized dynamic provider (see ./admin-api), so: no classes, and nothing imported but pure functions.
 */
import { formatDuration } from "../../src/duration";

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
// Versions

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

// ---------------------------------------------------------------------------------------------------
// Grant times (the finest unit is a minute)

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

/**
 * Why a lifetime in seconds cannot be a PingFederate grant time (it is not whole minutes, its finest unit), as
 * a config problem's message: `must be whole minutes for PingFederate (its finest unit), got 90s`. Undefined when
 * it can (see {@link grantTimeFromSeconds}).
 */
export function wholeMinutesProblem(seconds: number): string | undefined {
  return grantTimeFromSeconds(seconds) === undefined
    ? `must be whole minutes for PingFederate (its finest unit), got ${formatDuration(seconds)}`
    : undefined;
}
