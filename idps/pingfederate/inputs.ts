/**
 * The inputs and outputs of the two dynamic providers (typed and named as in PingFederate's `Client`), their
 * defaults, and how the engine hands values over: a value not known yet (preview) is a marker string, and
 * `undefined` must never go back (the provider host's protobuf encoder rejects it). Pure; serialized by value
 * with the providers.
 */
import type { PfClient, PfResourceLink } from "./model";

/** Whether to replicate the PingFederate cluster after a change. */
export const ReplicateMode = {
  /** Check `/cluster/status` after every change and replicate when it says so (the default). */
  Auto: "auto",
  /** Never replicate (e.g. `replicateClientsOnSave` is on, or an operator replicates by hand). */
  Never: "never",
} as const;
/** Whether to replicate the PingFederate cluster after a change. */
export type ReplicateMode = (typeof ReplicateMode)[keyof typeof ReplicateMode];

/** How both resources reach the admin API. Nothing here is secret; credentials never are inputs. */
export interface PfConnectionInputs {
  /** Base URL of the admin API, e.g. `https://pf.example.com:9999/pf-admin-api/v1`. Changing it replaces the resource. */
  readonly adminUrl: string;
  /** PEM text or file path of the admin API's CA. Default: Node's CAs. */
  readonly caCertificate?: string;
  /** Skip TLS verification of the admin API. Default false. */
  readonly insecureSkipTlsVerify?: boolean;
  /** Replicate the cluster after changes: `auto` (default) or `never`. */
  readonly replicate?: ReplicateMode;
}

/** `Client` fields this toolkit manages that every Coder client has. */
type RequiredManagedField = "clientId" | "name" | "redirectUris" | "grantTypes" | "restrictScopes" | "restrictedScopes";

/** `Client` fields this toolkit manages when they are set; unset, whatever the client has is left alone. */
type OptionalManagedField =
  | "description" | "refreshRolling" | "refreshTokenRollingGracePeriodType" | "refreshTokenRollingGracePeriod"
  | "persistentGrantExpirationType" | "persistentGrantExpirationTime" | "persistentGrantExpirationTimeUnit"
  | "persistentGrantIdleTimeoutType" | "persistentGrantIdleTimeout" | "persistentGrantIdleTimeoutTimeUnit"
  | "requireOfflineAccessScopeToIssueRefreshTokens" | "bypassApprovalPage" | "defaultAccessTokenManagerRef";

/**
 * The resolved inputs of an OAuth client: the managed fields, typed and named as in PingFederate's `Client`
 * (lists compared as sets; `clientId` changes replace the client), plus how to rotate its secret.
 */
export interface PfOAuthClientInputs
  extends PfConnectionInputs, Required<Pick<PfClient, RequiredManagedField>>, Pick<PfClient, OptionalManagedField> {
  /** Only `oidcPolicy.policyGroup` is managed; unset = the server's default policy. */
  readonly oidcPolicy?: { readonly policyGroup?: PfResourceLink };
  /** Any text; changing it rotates the client secret. Default: never rotate. */
  readonly secretVersion?: string;
  /** Seconds the previous secret keeps working after a rotation. Default 86400 (24h). */
  readonly secretOverlap?: number;
  /**
   * `coder-oidc:adoptClientId`: create takes over the existing client of this id (it must be `clientId`), keeping its
   * secret, instead of refusing. Never part of a diff: once the client is in the state, it changes nothing.
   */
  readonly adoptClientId?: string;
}

/** The state of an OAuth client: its inputs as they are live, plus what the provider computed. */
export interface PfOAuthClientOutputs extends PfOAuthClientInputs {
  /**
   * The client secret (≥ 32 random bytes, base64url); a secret output. Absent (whatever the type says) for an
   * adopted client that has a secret already, which PingFederate never shows, until `secretVersion` changes.
   */
  readonly clientSecret: string;
  /** PingFederate's version when the client was last written. */
  readonly serverVersion: string;
  /** `clientAuth.type` as live; anything but `SECRET` is drift. */
  readonly clientAuthType?: string;
}

/** The resolved inputs of a common scope. */
export interface PfCommonScopeInputs extends PfConnectionInputs {
  /** The scope, e.g. `offline_access`; changing it replaces the resource. */
  readonly name: string;
  /** Its description, used only when this resource creates the scope. */
  readonly description: string;
}

/** The state of a common scope. */
export interface PfCommonScopeOutputs extends PfCommonScopeInputs {
  /** True when the scope existed already and was adopted rather than created. */
  readonly adopted: boolean;
}

/** Seconds the previous secret keeps working after a rotation unless `secretOverlap` says otherwise. */
export const DEFAULT_SECRET_OVERLAP_SECONDS = 86_400;

/** Inputs, outputs or a live object read as plain properties. */
export type Props = Record<string, unknown>;

/** The engine's marker for a value not known yet (preview). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Whether the engine does not know `value` yet (preview). */
export function isUnknown(value: unknown): boolean {
  return value === UNKNOWN;
}

/** Drops `undefined` everywhere: the provider host's protobuf encoder rejects it. */
export function compact<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => compact(v)) as T;
  if (typeof value === "object" && value !== null) {
    const result: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) if (v !== undefined) result[key] = compact(v);
    return result as T;
  }
  return value;
}

/** `https://x/` and `https://x` are the same admin API. */
export function normalizeUrl(url: unknown): unknown {
  return typeof url === "string" && !isUnknown(url) ? url.replace(/\/+$/, "") : url;
}

/** The `id` of a reference (`{ id }`); {@link UNKNOWN} when not known yet, undefined when it is no object. */
export function refId(value: unknown): unknown {
  if (isUnknown(value)) return UNKNOWN;
  return typeof value === "object" && value !== null ? (value as { id?: unknown }).id : undefined;
}
