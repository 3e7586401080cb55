/**
 * The dynamic providers behind {@link PingFederateOAuthClient} and {@link PingFederateCommonScope}: thin CRUD
 * over ./api, with one mapper (`clientState`) shared by create, read and update so that `pulumi refresh`
 * reports exactly the drift an admin made by hand.
 *
 * Pulumi serializes each provider object into the state file (`__provider`) and later runs that copy in its
 * provider host, a plain Node.js process without TypeScript (FACTS.md §4.2). So:
 * - the provider objects hold no client, credential, token or secret: `configure` hands stack-config
 *   credentials to ./api, which keeps them on `globalThis` (never serialized), and every method builds its
 *   HTTP client when it runs;
 * - ./api is captured by value (a relative `require("./api")` inside a method would resolve against the
 *   host's working directory and find nothing), and it requires npm/Node modules inside its functions;
 * - no classes are used on this path (the serializer cannot rebuild them), and outputs never contain
 *   `undefined` (the host's protobuf encoder rejects it).
 *
 * @see {@link https://www.pulumi.com/docs/iac/concepts/resources/dynamic-providers/}
 */
import type * as pulumi from "@pulumi/pulumi";
import {
  ClientAuthType,
  credentialFieldsFromConfig,
  generateClientSecret,
  GrantTimeUnit,
  grantTimeSeconds,
  GrantType,
  OfflineAccessRequirement,
  PersistentGrantType,
  pfAdminApi,
  type PfAdminApi,
  type PfClient,
  type PfClientAuth,
  type PfResourceLink,
  type PfSecondarySecret,
  RefreshRolling,
  RefreshTokenRollingGracePeriodType,
  rememberConfiguredCredentials,
  supportsOfflineAccessSettings,
} from "./api";

// ---------------------------------------------------------------------------------------------------
// Inputs and outputs

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

/** Codes of the errors the providers raise themselves (API failures are `ERR_PF_API`). */
export const PingFederateProviderErrorCode = {
  /** Create found a client with that id already; nothing was changed. */
  ClientExists: "ERR_PF_CLIENT_EXISTS",
  /** Update found the client gone (deleted outside Pulumi). */
  ClientGone: "ERR_PF_CLIENT_GONE",
  /** The client was saved but the cluster could not be replicated. */
  ReplicationFailed: "ERR_PF_REPLICATION_FAILED",
} as const;

/** The config key that adopts an existing client (the program imports it; see `read`). */
const ADOPT_KEY = "coder-oidc:adoptClientId";

/** Seconds the previous secret keeps working after a rotation unless `secretOverlap` says otherwise. */
export const DEFAULT_SECRET_OVERLAP_SECONDS = 86_400;

/** The engine's marker for a value not known yet (preview). */
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

// ---------------------------------------------------------------------------------------------------
// Helpers (plain functions: serialized by value with the providers)

/**
 * An error for the engine. `extra` (e.g. a partial failure's `properties`, which hold the client secret) is
 * attached as non-enumerable fields, and the error serializes to its name, code and message only, so neither
 * `util.inspect`, `JSON.stringify` nor a logger shows what the engine reads from it.
 */
function providerError(code: string, message: string, extra: Record<string, unknown> = {}): Error {
  const error = Object.assign(new Error(message), { name: "PingFederateProviderError", code, __pulumiRunError: true });
  for (const [key, value] of Object.entries(extra)) Object.defineProperty(error, key, { value, enumerable: false, writable: true });
  Object.defineProperty(error, "toJSON", { value: () => ({ name: error.name, code, message }), enumerable: false });
  Object.defineProperty(error, Symbol.for("nodejs.util.inspect.custom"), {
    value: () => `${error.name} [${code}]: ${message}`, enumerable: false,
  });
  return error;
}

/** Drops `undefined` everywhere: the provider host's protobuf encoder rejects it. */
function compact<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => compact(v)) as T;
  if (typeof value === "object" && value !== null) {
    const result: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) if (v !== undefined) result[key] = compact(v);
    return result as T;
  }
  return value;
}

function isUnknown(value: unknown): boolean {
  return value === UNKNOWN;
}

/** Runs `work` with a client for the admin API of `props`, and closes its connections afterwards. */
async function withApi<T>(props: PfConnectionInputs, work: (api: PfAdminApi) => Promise<T>): Promise<T> {
  const api = connect(props);
  try {
    return await work(api);
  } finally {
    api.close();
  }
}

function connect(props: PfConnectionInputs): PfAdminApi {
  if (typeof props.adminUrl !== "string" || props.adminUrl === "") {
    // What `pulumi import` of a dynamic resource would hit: there is no state to read the admin URL from.
    throw providerError("ERR_PF_NO_ADMIN_URL",
      "The PingFederate admin URL is not known for this resource (Pulumi cannot import dynamic resources); to take " +
      `over an existing client, set ${ADOPT_KEY} to its id and run pulumi up.`);
  }
  return pfAdminApi({
    adminUrl: props.adminUrl,
    caCertificate: props.caCertificate,
    insecureSkipTlsVerify: props.insecureSkipTlsVerify === true,
  });
}

/** `https://x/` and `https://x` are the same admin API. */
function normalizeUrl(url: unknown): unknown {
  return typeof url === "string" && !isUnknown(url) ? url.replace(/\/+$/, "") : url;
}

function sortedSet(value: unknown): unknown {
  return Array.isArray(value) ? [...new Set(value.map(String))].sort() : value;
}

/** A persistent-grant setting compared by meaning: an override in seconds (1 DAYS = 24 HOURS), else its type. */
function grantSetting(type: unknown, time: unknown, unit: unknown): unknown {
  const kind = type ?? PersistentGrantType.ServerDefault;
  if (kind !== PersistentGrantType.OverrideServerDefault) return kind;
  if (isUnknown(time) || isUnknown(unit)) return UNKNOWN;
  return `${PersistentGrantType.OverrideServerDefault}:${time === -1 ? "indefinite" : grantTimeSeconds(time, unit)}`;
}

type Props = Record<string, unknown>;

function refId(value: unknown): unknown {
  if (isUnknown(value)) return UNKNOWN;
  return typeof value === "object" && value !== null ? (value as { id?: unknown }).id : undefined;
}

/**
 * The managed fields of a client, normalized for comparison: sets sorted, defaults filled in, grant times in
 * seconds. Each entry names the properties it stands for. `encryptedSecret` is never part of it.
 */
function managedView(
  p: Props, compareOfflineAccess: boolean, compareDescription: boolean, compareGracePeriod: boolean,
): Record<string, { value: unknown; props: string[] }> {
  const policy = p.oidcPolicy as { policyGroup?: unknown } | undefined;
  const view: Record<string, { value: unknown; props: string[] }> = {
    name: { value: p.name, props: ["name"] },
    redirectUris: { value: sortedSet(p.redirectUris), props: ["redirectUris"] },
    grantTypes: { value: sortedSet(p.grantTypes), props: ["grantTypes"] },
    restrictScopes: { value: p.restrictScopes === true, props: ["restrictScopes"] },
    restrictedScopes: { value: sortedSet(p.restrictedScopes ?? []), props: ["restrictedScopes"] },
    refreshRolling: { value: p.refreshRolling ?? RefreshRolling.ServerDefault, props: ["refreshRolling"] },
    persistentGrantExpiration: {
      value: grantSetting(p.persistentGrantExpirationType, p.persistentGrantExpirationTime, p.persistentGrantExpirationTimeUnit),
      props: ["persistentGrantExpirationType", "persistentGrantExpirationTime", "persistentGrantExpirationTimeUnit"],
    },
    persistentGrantIdleTimeout: {
      value: grantSetting(p.persistentGrantIdleTimeoutType, p.persistentGrantIdleTimeout, p.persistentGrantIdleTimeoutTimeUnit),
      props: ["persistentGrantIdleTimeoutType", "persistentGrantIdleTimeout", "persistentGrantIdleTimeoutTimeUnit"],
    },
    bypassApprovalPage: { value: p.bypassApprovalPage === true, props: ["bypassApprovalPage"] },
    defaultAccessTokenManagerRef: { value: refId(p.defaultAccessTokenManagerRef), props: ["defaultAccessTokenManagerRef"] },
    oidcPolicyGroup: { value: isUnknown(policy) ? UNKNOWN : refId(policy?.policyGroup), props: ["oidcPolicy"] },
  };
  if (compareDescription) view.description = { value: p.description ?? "", props: ["description"] };
  if (compareGracePeriod) {
    const override = p.refreshTokenRollingGracePeriodType === RefreshTokenRollingGracePeriodType.OverrideServerDefault;
    view.refreshTokenRollingGracePeriod = {
      value: override ? p.refreshTokenRollingGracePeriod : RefreshTokenRollingGracePeriodType.ServerDefault,
      props: ["refreshTokenRollingGracePeriodType", "refreshTokenRollingGracePeriod"],
    };
  }
  if (compareOfflineAccess) {
    view.requireOfflineAccessScopeToIssueRefreshTokens = {
      value: p.requireOfflineAccessScopeToIssueRefreshTokens ?? OfflineAccessRequirement.ServerDefault,
      props: ["requireOfflineAccessScopeToIssueRefreshTokens"],
    };
  }
  return view;
}

/** Properties whose managed meaning differs between a client's state and the wanted inputs. */
function managedChanges(olds: Props, news: Props, offlineAccessKnown: boolean): string[] {
  const compareDescription = news.description !== undefined;
  // Unmanaged while the inputs leave it unset (refresh tokens that do not roll need no grace period).
  const compareGracePeriod = news.refreshTokenRollingGracePeriodType !== undefined;
  const before = managedView(olds, offlineAccessKnown, compareDescription, compareGracePeriod);
  const after = managedView(news, offlineAccessKnown, compareDescription, compareGracePeriod);
  const changed: string[] = [];
  for (const [key, entry] of Object.entries(after)) {
    if (JSON.stringify(entry.value) !== JSON.stringify(before[key]?.value)) changed.push(...entry.props);
  }
  return changed;
}

/** Whether the 12.1 offline-access field can be compared: the server has it (known version or field present). */
function offlineAccessComparable(olds: Props): boolean {
  if (olds.requireOfflineAccessScopeToIssueRefreshTokens !== undefined) return true;
  return typeof olds.serverVersion === "string" && supportsOfflineAccessSettings(olds.serverVersion);
}

/** What the provider compares of a client and its inputs; exported for tests. */
export function diffClient(olds: Props, news: Props): { changes: string[]; replaces: string[] } {
  const replaces: string[] = [];
  if (olds.clientId !== news.clientId) replaces.push("clientId");
  if (normalizeUrl(olds.adminUrl) !== normalizeUrl(news.adminUrl)) replaces.push("adminUrl");
  const changes = [...replaces, ...managedChanges(olds, news, offlineAccessComparable(olds))];
  if (olds.clientAuthType !== undefined && olds.clientAuthType !== ClientAuthType.Secret) changes.push("clientAuth");
  const operational: [string, unknown, unknown][] = [
    ["secretVersion", olds.secretVersion ?? "", news.secretVersion ?? ""],
    ["secretOverlap", olds.secretOverlap ?? DEFAULT_SECRET_OVERLAP_SECONDS, news.secretOverlap ?? DEFAULT_SECRET_OVERLAP_SECONDS],
    ["replicate", olds.replicate ?? ReplicateMode.Auto, news.replicate ?? ReplicateMode.Auto],
    ["caCertificate", olds.caCertificate ?? "", news.caCertificate ?? ""],
    ["insecureSkipTlsVerify", olds.insecureSkipTlsVerify === true, news.insecureSkipTlsVerify === true],
  ];
  for (const [key, before, after] of operational) if (before !== after) changes.push(key);
  return { changes: [...new Set(changes)], replaces };
}

/**
 * The one mapper from a live client to state (create, read and update all use it): the managed fields as
 * PingFederate has them now, plus what only this provider knows (connection, secret, secret version).
 */
function clientState(live: PfClient, carry: Props): PfOAuthClientOutputs {
  const override = (type: unknown) => type === PersistentGrantType.OverrideServerDefault;
  const expirationType = live.persistentGrantExpirationType ?? PersistentGrantType.ServerDefault;
  const idleType = live.persistentGrantIdleTimeoutType ?? PersistentGrantType.ServerDefault;
  const policyGroup = live.oidcPolicy?.policyGroup;
  return compact({
    adminUrl: carry.adminUrl as string,
    caCertificate: carry.caCertificate as string | undefined,
    insecureSkipTlsVerify: carry.insecureSkipTlsVerify === true,
    replicate: (carry.replicate as ReplicateMode | undefined) ?? ReplicateMode.Auto,
    secretVersion: carry.secretVersion as string | undefined,
    secretOverlap: (carry.secretOverlap as number | undefined) ?? DEFAULT_SECRET_OVERLAP_SECONDS,
    clientId: live.clientId,
    name: live.name,
    // Unmanaged when the inputs leave it unset: then the live value is not reported as ours.
    description: carry.description === undefined ? undefined : live.description ?? "",
    redirectUris: [...(live.redirectUris ?? [])],
    grantTypes: [...(live.grantTypes ?? [])],
    restrictScopes: live.restrictScopes === true,
    restrictedScopes: [...(live.restrictedScopes ?? [])],
    refreshRolling: live.refreshRolling ?? RefreshRolling.ServerDefault,
    refreshTokenRollingGracePeriodType: carry.refreshTokenRollingGracePeriodType === undefined ? undefined
      : live.refreshTokenRollingGracePeriodType ?? RefreshTokenRollingGracePeriodType.ServerDefault,
    refreshTokenRollingGracePeriod: carry.refreshTokenRollingGracePeriodType === undefined ? undefined
      : live.refreshTokenRollingGracePeriod,
    persistentGrantExpirationType: expirationType,
    persistentGrantExpirationTime: override(expirationType) ? live.persistentGrantExpirationTime : undefined,
    persistentGrantExpirationTimeUnit: override(expirationType) ? live.persistentGrantExpirationTimeUnit : undefined,
    persistentGrantIdleTimeoutType: idleType,
    persistentGrantIdleTimeout: override(idleType) ? live.persistentGrantIdleTimeout : undefined,
    persistentGrantIdleTimeoutTimeUnit: override(idleType) ? live.persistentGrantIdleTimeoutTimeUnit : undefined,
    requireOfflineAccessScopeToIssueRefreshTokens: live.requireOfflineAccessScopeToIssueRefreshTokens,
    bypassApprovalPage: live.bypassApprovalPage === true,
    defaultAccessTokenManagerRef: live.defaultAccessTokenManagerRef ? { id: live.defaultAccessTokenManagerRef.id } : undefined,
    oidcPolicy: policyGroup ? { policyGroup: { id: policyGroup.id } } : undefined,
    clientSecret: carry.clientSecret as string,
    serverVersion: carry.serverVersion as string,
    clientAuthType: live.clientAuth?.type,
  });
}

/** The inputs part of a state (what `read` reports as inputs). */
function inputsOf(state: PfOAuthClientOutputs): PfOAuthClientInputs {
  const inputs: Props = { ...state };
  delete inputs.clientSecret;
  delete inputs.serverVersion;
  delete inputs.clientAuthType;
  return inputs as unknown as PfOAuthClientInputs;
}

/**
 * The whole client to send: the live object (every unmanaged field untouched), with the managed fields set
 * from `desired` and `clientAuth` as given.
 */
function mergedClient(live: PfClient | undefined, desired: PfOAuthClientInputs, offlineAccess: boolean, clientAuth: PfClientAuth): PfClient {
  const client: Props = { ...(live ?? {}) };
  const set = (key: string, value: unknown) => {
    if (value === undefined) delete client[key];
    else client[key] = value;
  };
  const override = (type: unknown) => type === PersistentGrantType.OverrideServerDefault;
  const expirationType = desired.persistentGrantExpirationType ?? PersistentGrantType.ServerDefault;
  const idleType = desired.persistentGrantIdleTimeoutType ?? PersistentGrantType.ServerDefault;
  set("clientId", desired.clientId);
  set("name", desired.name);
  if (desired.description !== undefined) set("description", desired.description);
  set("redirectUris", [...desired.redirectUris]);
  set("grantTypes", [...desired.grantTypes]);
  set("restrictScopes", desired.restrictScopes);
  set("restrictedScopes", [...desired.restrictedScopes]);
  set("refreshRolling", desired.refreshRolling ?? RefreshRolling.ServerDefault);
  if (desired.refreshTokenRollingGracePeriodType !== undefined) {
    set("refreshTokenRollingGracePeriodType", desired.refreshTokenRollingGracePeriodType);
    set("refreshTokenRollingGracePeriod",
      desired.refreshTokenRollingGracePeriodType === RefreshTokenRollingGracePeriodType.OverrideServerDefault
        ? desired.refreshTokenRollingGracePeriod : undefined);
  }
  set("persistentGrantExpirationType", expirationType);
  set("persistentGrantExpirationTime", override(expirationType) ? desired.persistentGrantExpirationTime : undefined);
  set("persistentGrantExpirationTimeUnit", override(expirationType) ? desired.persistentGrantExpirationTimeUnit : undefined);
  set("persistentGrantIdleTimeoutType", idleType);
  set("persistentGrantIdleTimeout", override(idleType) ? desired.persistentGrantIdleTimeout : undefined);
  set("persistentGrantIdleTimeoutTimeUnit", override(idleType) ? desired.persistentGrantIdleTimeoutTimeUnit : undefined);
  // Older servers reject fields they do not know (HTTP 400), so the 12.1 field is sent only to 12.1+.
  set("requireOfflineAccessScopeToIssueRefreshTokens",
    offlineAccess ? desired.requireOfflineAccessScopeToIssueRefreshTokens ?? OfflineAccessRequirement.ServerDefault : undefined);
  set("bypassApprovalPage", desired.bypassApprovalPage === true);
  set("defaultAccessTokenManagerRef", desired.defaultAccessTokenManagerRef ? { id: desired.defaultAccessTokenManagerRef.id } : undefined);
  const policy: Props = { ...(live?.oidcPolicy ?? {}) };
  if (desired.oidcPolicy?.policyGroup) policy.policyGroup = { id: desired.oidcPolicy.policyGroup.id };
  else delete policy.policyGroup;
  set("oidcPolicy", Object.keys(policy).length > 0 ? policy : undefined);
  set("clientAuth", clientAuth);
  return client as unknown as PfClient;
}

/** Whether the live client authenticates with a secret it has (whose value PingFederate never shows). */
function holdsSecret(live: PfClient): boolean {
  return live.clientAuth?.type === ClientAuthType.Secret && Boolean(live.clientAuth.encryptedSecret);
}

/** The live `clientAuth` when it still holds a secret (ours, or the adopted client's); else `SECRET` with the one we know. */
function keptClientAuth(live: PfClient, knownSecret: string | undefined): PfClientAuth {
  const auth = live.clientAuth ?? {};
  if (holdsSecret(live)) return auth;
  const repaired: Props = { ...auth, type: ClientAuthType.Secret, secret: knownSecret };
  delete repaired.encryptedSecret;
  return repaired as PfClientAuth;
}

/** Secondary secrets that have not expired yet, passed back unchanged. */
function liveSecondaries(auth: PfClientAuth | undefined): PfSecondarySecret[] {
  return (auth?.secondarySecrets ?? [])
    .filter((s) => s.encryptedSecret && s.expiryTime && Date.parse(s.expiryTime) > Date.now())
    .map((s) => ({ encryptedSecret: s.encryptedSecret, expiryTime: s.expiryTime }));
}

/** The current primary secret as a secondary one that expires after `overlapSeconds` (none for 0). */
function retiring(auth: PfClientAuth | undefined, overlapSeconds: number): PfSecondarySecret[] {
  if (!auth?.encryptedSecret || overlapSeconds <= 0) return [];
  return [{ encryptedSecret: auth.encryptedSecret, expiryTime: new Date(Date.now() + overlapSeconds * 1000).toISOString() }];
}

/** Replicates after a write when `replicate` is `auto`. */
async function replicateAfterWrite(api: PfAdminApi, props: PfConnectionInputs): Promise<void> {
  if ((props.replicate ?? ReplicateMode.Auto) === ReplicateMode.Never) return;
  await api.replicateIfRequired();
}

/** Replicates; on failure, reports the write as done but not replicated, so the state keeps the new outputs. */
async function replicateOrReport(api: PfAdminApi, props: PfConnectionInputs, id: string, outs: unknown, what: string): Promise<void> {
  try {
    await replicateAfterWrite(api, props);
  } catch (error) {
    const reason = `${what}, but replicating the PingFederate cluster failed, so the engines do not have the change yet: ` +
      `${(error as Error).message}\nRun pulumi up again, or replicate in the admin console (System > Cluster Management).`;
    // A partial failure's properties become the resource's state as they are: the engine adds `__provider`
    // only on success, and refresh/destroy load the provider from the state, so carry it over.
    const properties = { ...(outs as Record<string, unknown>), __provider: (props as unknown as Props).__provider };
    throw providerError(PingFederateProviderErrorCode.ReplicationFailed, reason, { id, properties, reasons: [reason] });
  }
}

function checkString(failures: pulumi.dynamic.CheckFailure[], news: Props, key: string, required: boolean): void {
  const value = news[key];
  if (value === undefined ? required : !isUnknown(value) && (typeof value !== "string" || value.trim() === "")) {
    failures.push({ property: key, reason: `${key} must be a non-empty string` });
  }
}

/** Why `value` is not an acceptable URL (https, or http on localhost when allowed); undefined when it is. */
function urlProblem(key: string, value: unknown, localHttp: boolean): string | undefined {
  if (isUnknown(value)) return undefined;
  let url: URL | undefined;
  try {
    url = typeof value === "string" ? new URL(value) : undefined;
  } catch {
    url = undefined;
  }
  if (!url) return `${key} must be an absolute URL, got ${JSON.stringify(value)}`;
  const local = ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname);
  if (url.protocol !== "https:" && !(localHttp && local && url.protocol === "http:")) {
    return `${key} must use https (http only for localhost), got ${JSON.stringify(value)}`;
  }
  return undefined;
}

function checkEnum(failures: pulumi.dynamic.CheckFailure[], news: Props, key: string, values: Record<string, string>): void {
  const value = news[key];
  if (value === undefined || isUnknown(value)) return;
  const allowed = Object.values(values);
  if (!allowed.includes(value as string)) {
    failures.push({ property: key, reason: `${key} must be one of ${allowed.join(", ")}, got ${JSON.stringify(value)}` });
  }
}

function checkConnection(failures: pulumi.dynamic.CheckFailure[], news: Props): void {
  const adminUrlProblem = news.adminUrl === undefined
    ? "adminUrl is required: the admin API base URL, e.g. https://pf.example.com:9999/pf-admin-api/v1"
    : urlProblem("adminUrl", news.adminUrl, true);
  if (adminUrlProblem) failures.push({ property: "adminUrl", reason: adminUrlProblem });
  checkEnum(failures, news, "replicate", ReplicateMode);
  if (news.insecureSkipTlsVerify !== undefined && !isUnknown(news.insecureSkipTlsVerify) && typeof news.insecureSkipTlsVerify !== "boolean") {
    failures.push({ property: "insecureSkipTlsVerify", reason: "insecureSkipTlsVerify must be true or false" });
  }
  if (news.caCertificate !== undefined) checkString(failures, news, "caCertificate", false);
}

function checkGrantTime(failures: pulumi.dynamic.CheckFailure[], news: Props, typeKey: string, timeKey: string, unitKey: string): void {
  checkEnum(failures, news, typeKey, PersistentGrantType);
  if (news[typeKey] !== PersistentGrantType.OverrideServerDefault) return;
  const time = news[timeKey];
  if (!isUnknown(time) && (typeof time !== "number" || !Number.isInteger(time) || (time < 1 && time !== -1))) {
    failures.push({ property: timeKey, reason: `${timeKey} must be a whole number ≥ 1 (or -1 for indefinite) with ${typeKey} OVERRIDE_SERVER_DEFAULT` });
  }
  if (news[unitKey] === undefined) failures.push({ property: unitKey, reason: `${unitKey} is required with ${typeKey} OVERRIDE_SERVER_DEFAULT` });
  checkEnum(failures, news, unitKey, GrantTimeUnit);
}

/** A list property: a list, each known item passing `each` (which says why an item fails). */
function checkList(failures: pulumi.dynamic.CheckFailure[], news: Props, key: string, each: (v: unknown, i: number) => string | undefined): void {
  const value = news[key];
  if (isUnknown(value)) return;
  if (!Array.isArray(value)) {
    failures.push({ property: key, reason: `${key} must be a list` });
    return;
  }
  value.forEach((item, i) => {
    if (isUnknown(item)) return;
    const reason = each(item, i);
    if (reason) failures.push({ property: key, reason });
  });
}

/** Validates client inputs; every failure names the property and the rule. Exported for tests. */
export function checkClientInputs(news: Props): pulumi.dynamic.CheckFailure[] {
  const failures: pulumi.dynamic.CheckFailure[] = [];
  checkConnection(failures, news);
  checkString(failures, news, "clientId", true);
  checkString(failures, news, "name", true);
  if (news.description !== undefined && !isUnknown(news.description) && typeof news.description !== "string") {
    failures.push({ property: "description", reason: "description must be a string" });
  }
  checkList(failures, news, "redirectUris", (uri, i) => urlProblem(`redirectUris[${i}]`, uri, true));
  checkList(failures, news, "grantTypes", (grant, i) =>
    Object.values(GrantType).includes(grant as GrantType) ? undefined
      : `grantTypes[${i}] must be one of ${Object.values(GrantType).join(", ")}, got ${JSON.stringify(grant)}`);
  if (Array.isArray(news.grantTypes) && news.grantTypes.length === 0) failures.push({ property: "grantTypes", reason: "grantTypes must not be empty" });
  if (news.restrictScopes === undefined || (!isUnknown(news.restrictScopes) && typeof news.restrictScopes !== "boolean")) {
    failures.push({ property: "restrictScopes", reason: "restrictScopes must be true or false" });
  }
  checkList(failures, news, "restrictedScopes", (scope, i) =>
    typeof scope === "string" && /^[\x21\x23-\x5B\x5D-\x7E]+$/.test(scope) ? undefined
      : `restrictedScopes[${i}] must be an OAuth scope (printable ASCII, no spaces or quotes), got ${JSON.stringify(scope)}`);
  checkEnum(failures, news, "refreshRolling", RefreshRolling);
  checkEnum(failures, news, "refreshTokenRollingGracePeriodType", RefreshTokenRollingGracePeriodType);
  const grace = news.refreshTokenRollingGracePeriod;
  if (news.refreshTokenRollingGracePeriodType === RefreshTokenRollingGracePeriodType.OverrideServerDefault && !isUnknown(grace) &&
      (typeof grace !== "number" || !Number.isInteger(grace) || grace < 0 || grace > 2_147_483_647)) {
    failures.push({
      property: "refreshTokenRollingGracePeriod",
      reason: "refreshTokenRollingGracePeriod must be whole seconds (0 to 2147483647) with refreshTokenRollingGracePeriodType OVERRIDE_SERVER_DEFAULT",
    });
  }
  checkGrantTime(failures, news, "persistentGrantExpirationType", "persistentGrantExpirationTime", "persistentGrantExpirationTimeUnit");
  checkGrantTime(failures, news, "persistentGrantIdleTimeoutType", "persistentGrantIdleTimeout", "persistentGrantIdleTimeoutTimeUnit");
  checkEnum(failures, news, "requireOfflineAccessScopeToIssueRefreshTokens", OfflineAccessRequirement);
  if (news.bypassApprovalPage !== undefined && !isUnknown(news.bypassApprovalPage) && typeof news.bypassApprovalPage !== "boolean") {
    failures.push({ property: "bypassApprovalPage", reason: "bypassApprovalPage must be true or false" });
  }
  const atm = news.defaultAccessTokenManagerRef;
  if (atm !== undefined && !isUnknown(atm) && (typeof refId(atm) !== "string" || refId(atm) === "")) {
    failures.push({ property: "defaultAccessTokenManagerRef", reason: "defaultAccessTokenManagerRef must be { id: <access token manager id> }" });
  }
  const policy = news.oidcPolicy as Props | undefined;
  if (policy !== undefined && !isUnknown(policy) && policy.policyGroup !== undefined && !isUnknown(policy.policyGroup) &&
      (typeof refId(policy.policyGroup) !== "string" || refId(policy.policyGroup) === "")) {
    failures.push({ property: "oidcPolicy", reason: "oidcPolicy.policyGroup must be { id: <OpenID Connect policy id> }" });
  }
  if (news.secretVersion !== undefined && !isUnknown(news.secretVersion) && typeof news.secretVersion !== "string") {
    failures.push({ property: "secretVersion", reason: "secretVersion must be a string" });
  }
  const adopt = news.adoptClientId;
  if (adopt !== undefined && !isUnknown(adopt) && !isUnknown(news.clientId) && adopt !== news.clientId) {
    failures.push({ property: "adoptClientId", reason: `adoptClientId must be the clientId (${JSON.stringify(news.clientId)}), got ${JSON.stringify(adopt)}` });
  }
  const overlap = news.secretOverlap;
  if (overlap !== undefined && !isUnknown(overlap) && (typeof overlap !== "number" || !Number.isInteger(overlap) || overlap < 0)) {
    failures.push({ property: "secretOverlap", reason: "secretOverlap must be whole seconds ≥ 0" });
  }
  return failures;
}

function withClientDefaults(news: Props): Props {
  return compact({
    ...news,
    adminUrl: normalizeUrl(news.adminUrl),
    refreshRolling: news.refreshRolling ?? RefreshRolling.ServerDefault,
    persistentGrantExpirationType: news.persistentGrantExpirationType ?? PersistentGrantType.ServerDefault,
    persistentGrantIdleTimeoutType: news.persistentGrantIdleTimeoutType ?? PersistentGrantType.ServerDefault,
    requireOfflineAccessScopeToIssueRefreshTokens: news.requireOfflineAccessScopeToIssueRefreshTokens ?? OfflineAccessRequirement.ServerDefault,
    bypassApprovalPage: news.bypassApprovalPage ?? false,
    secretOverlap: news.secretOverlap ?? DEFAULT_SECRET_OVERLAP_SECONDS,
    replicate: news.replicate ?? ReplicateMode.Auto,
    insecureSkipTlsVerify: news.insecureSkipTlsVerify ?? false,
  });
}

/** Why adopting failed: no client of that id at that admin API. */
function adoptionMissing(id: string, adminUrl: unknown): string {
  return `PingFederate has no OAuth client "${id}" at ${String(adminUrl)} (${ADOPT_KEY}): GET /oauth/clients/${id} answered 404. ` +
    "Check the id: it is the CODER_OIDC_CLIENT_ID Coder uses today (Applications > OAuth > Clients). " +
    `Remove ${ADOPT_KEY} to create a new client instead.`;
}

function alreadyExists(existing: PfClient): Error {
  const id = existing.clientId;
  return providerError(PingFederateProviderErrorCode.ClientExists,
    `PingFederate already has an OAuth client "${id}" (name "${existing.name}"); this stack will not overwrite it.\n` +
    `To adopt it (its secret and every setting this stack does not manage are kept, the managed ones are set), run ` +
    `pulumi config set ${ADOPT_KEY} ${id} and pulumi up.\n` +
    `Otherwise choose another coder-oidc:clientId, or delete that client in PingFederate (Applications > OAuth > Clients).`,
    { clientId: id });
}

async function configureCredentials(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
  // Only credentials are taken, and only into ./api's process-wide slot: never onto this object.
  rememberConfiguredCredentials(credentialFieldsFromConfig(req.config.get("coder-oidc:pingfederate")));
}

// ---------------------------------------------------------------------------------------------------
// The providers

/** The dynamic provider of {@link PingFederateOAuthClient}. */
export const pingFederateClientProvider: pulumi.dynamic.ResourceProvider<PfOAuthClientInputs, PfOAuthClientOutputs> = {
  configure: configureCredentials,

  async check(olds, news) {
    const failures = checkClientInputs(news as unknown as Props);
    // Adopting (not yet in the state: no old inputs): the client must be there, which preview says already.
    const creating = (olds as Partial<PfOAuthClientInputs> | undefined)?.clientId === undefined;
    if (creating && failures.length === 0 && typeof news.adoptClientId === "string" && !isUnknown(news.adoptClientId)) {
      const existing = await withApi(news, (api) => api.getClient(news.adoptClientId!));
      if (existing === undefined) failures.push({ property: "adoptClientId", reason: adoptionMissing(news.adoptClientId, news.adminUrl) });
    }
    return { inputs: withClientDefaults(news as unknown as Props) as unknown as PfOAuthClientInputs, failures };
  },

  async diff(_id, olds, news) {
    const { changes, replaces } = diffClient(olds as unknown as Props, news as unknown as Props);
    return {
      changes: changes.length > 0,
      replaces,
      // Same id on another admin URL may well be the same server: delete the old one first.
      deleteBeforeReplace: replaces.length > 0 && !replaces.includes("clientId"),
    };
  },

  async create(inputs) {
    return withApi(inputs, async (api) => {
      const serverVersion = await api.getVersion();
      const offlineAccess = supportsOfflineAccessSettings(serverVersion);
      const clientSecret = generateClientSecret();
      const existing = await api.getClient(inputs.clientId);
      const adopting = inputs.adoptClientId !== undefined && inputs.adoptClientId === inputs.clientId;
      if (existing !== undefined && !adopting) throw alreadyExists(existing);
      if (existing === undefined && adopting) {
        throw providerError("ERR_ADOPT_CLIENT", adoptionMissing(inputs.clientId, inputs.adminUrl), { clientId: inputs.clientId });
      }
      let live: PfClient;
      let known: string | undefined = clientSecret;
      if (existing === undefined) {
        live = await api.createClient(mergedClient(undefined, inputs, offlineAccess, { type: ClientAuthType.Secret, secret: clientSecret }));
      } else {
        // Adopting: the secret the client has stays (PingFederate never shows it, so the state has none); a client
        // without one gets the new one.
        known = holdsSecret(existing) ? undefined : clientSecret;
        live = await api.updateClient(mergedClient(existing, inputs, offlineAccess, keptClientAuth(existing, known)));
      }
      const outs = clientState(live, { ...inputs, clientSecret: known, serverVersion });
      await replicateOrReport(api, inputs, inputs.clientId, outs,
        `The client "${inputs.clientId}" was ${existing === undefined ? "created" : "adopted"}`);
      return { id: inputs.clientId, outs };
    });
  },

  async read(id, props) {
    const state = (props ?? {}) as PfOAuthClientOutputs;
    return withApi(state, async (api) => {
      const live = await api.getClient(id);
      if (live === undefined) return { id: "" };
      const outs = clientState(live, state as unknown as Props);
      return { id, props: outs, inputs: inputsOf(outs) as PfOAuthClientOutputs };
    });
  },

  async update(id, olds, news) {
    return withApi(news, async (api) => {
      const serverVersion = await api.getVersion();
      const offlineAccess = supportsOfflineAccessSettings(serverVersion);
      let live = await api.getClient(id);
      if (live === undefined) {
        throw providerError(PingFederateProviderErrorCode.ClientGone,
          `The PingFederate OAuth client "${id}" no longer exists (deleted outside Pulumi). Run pulumi refresh so the ` +
          `stack forgets it, then pulumi up to create it again (with a new secret).`, { clientId: id });
      }
      // Just imported (coder-oidc:adoptClientId), the secret is unknown: PingFederate keeps it write-only. The one
      // the client has stays; only a client without one (public, or another auth type) gets a new one.
      const knownSecret = (olds.clientSecret as string | undefined) ?? (holdsSecret(live) ? undefined : generateClientSecret());
      const carried = { ...news, clientSecret: knownSecret, serverVersion };
      const liveState = clientState(live, carried as unknown as Props);
      const auth = keptClientAuth(live, knownSecret);
      let wrote = false;
      if (managedChanges(liveState as unknown as Props, news as unknown as Props, offlineAccess).length > 0 || auth !== live.clientAuth) {
        live = await api.updateClient(mergedClient(live, news, offlineAccess, auth));
        wrote = true;
      }
      let clientSecret = knownSecret;
      if ((olds.secretVersion ?? "") !== (news.secretVersion ?? "")) {
        const next = generateClientSecret();
        const overlap = news.secretOverlap ?? DEFAULT_SECRET_OVERLAP_SECONDS;
        await api.updateClientSecret(id, {
          secret: next,
          secondarySecrets: [...retiring(live.clientAuth, overlap), ...liveSecondaries(live.clientAuth)],
        });
        clientSecret = next;
        wrote = true;
      }
      const outs = clientState(live, { ...carried, clientSecret } as unknown as Props);
      // Checked even when nothing was written: a replication that failed after an earlier write (reported
      // as "created/updated but not replicated") is caught up by the next update.
      await replicateOrReport(api, news, id, outs, wrote ? `The client "${id}" was updated` : `The client "${id}" is up to date`);
      return { outs };
    });
  },

  async delete(id, props) {
    return withApi(props, async (api) => {
      await api.deleteClient(id);
      // Even when the client was gone already: an earlier delete's replication may have failed.
      await replicateAfterWrite(api, props);
    });
  },
};

/** Validates common-scope inputs. Exported for tests. */
export function checkScopeInputs(news: Props): pulumi.dynamic.CheckFailure[] {
  const failures: pulumi.dynamic.CheckFailure[] = [];
  checkConnection(failures, news);
  checkString(failures, news, "name", true);
  // A blank name has its failure already.
  if (typeof news.name === "string" && news.name.trim() !== "" && !isUnknown(news.name) && !/^[\x21\x23-\x5B\x5D-\x7E]+$/.test(news.name)) {
    failures.push({ property: "name", reason: `name must be an OAuth scope (printable ASCII, no spaces or quotes), got ${JSON.stringify(news.name)}` });
  }
  checkString(failures, news, "description", true);
  return failures;
}

/**
 * The dynamic provider of {@link PingFederateCommonScope}: makes sure a common scope exists, through the scopes
 * sub-resource only (never a PUT of all authorization-server settings). An existing scope is adopted as is,
 * and the scope is left in place on destroy: other clients may rely on it.
 */
export const pingFederateScopeProvider: pulumi.dynamic.ResourceProvider<PfCommonScopeInputs, PfCommonScopeOutputs> = {
  configure: configureCredentials,

  async check(_olds, news) {
    const failures = checkScopeInputs(news as unknown as Props);
    const inputs = compact({
      ...news,
      adminUrl: normalizeUrl(news.adminUrl) as string,
      replicate: news.replicate ?? ReplicateMode.Auto,
      insecureSkipTlsVerify: news.insecureSkipTlsVerify ?? false,
    });
    return { inputs, failures };
  },

  async diff(_id, olds, news) {
    const replaces: string[] = [];
    if (olds.name !== news.name) replaces.push("name");
    if (normalizeUrl(olds.adminUrl) !== normalizeUrl(news.adminUrl)) replaces.push("adminUrl");
    // Only existence is managed: the description of a scope someone else defined is theirs.
    const operational = (olds.replicate ?? ReplicateMode.Auto) !== (news.replicate ?? ReplicateMode.Auto) ||
      (olds.caCertificate ?? "") !== (news.caCertificate ?? "") ||
      (olds.insecureSkipTlsVerify === true) !== (news.insecureSkipTlsVerify === true);
    return { changes: replaces.length > 0 || operational, replaces };
  },

  async create(inputs) {
    return withApi(inputs, async (api) => {
      const existing = await api.getCommonScope(inputs.name);
      if (existing !== undefined) return { id: inputs.name, outs: compact({ ...inputs, description: existing.description, adopted: true }) };
      const created = await api.addCommonScope({ name: inputs.name, description: inputs.description, dynamic: false });
      const outs = compact({ ...inputs, description: created.description ?? inputs.description, adopted: false });
      await replicateOrReport(api, inputs, inputs.name, outs, `The scope "${inputs.name}" was created`);
      return { id: inputs.name, outs };
    });
  },

  async read(id, props) {
    const state = (props ?? {}) as PfCommonScopeOutputs;
    return withApi(state, async (api) => {
      const live = await api.getCommonScope(id);
      if (live === undefined) return { id: "" };
      const outs = compact({ ...state, name: live.name, adopted: state.adopted === true });
      const inputs = { ...outs } as Props;
      delete inputs.adopted;
      return { id, props: outs, inputs: inputs as unknown as PfCommonScopeOutputs };
    });
  },

  async update(id, olds, news) {
    const outs = compact({ ...news, description: olds.description ?? news.description, adopted: olds.adopted === true });
    return withApi(news, async (api) => {
      // Nothing to write, but a replication that failed after an earlier create is caught up here.
      await replicateOrReport(api, news, id, outs, `The scope "${id}" is up to date`);
      return { outs };
    });
  },

  async delete() {
    // Left in place on purpose: offline_access is server-wide, and other clients may use it.
  },
};
