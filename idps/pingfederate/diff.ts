/**
 * What the client provider's `diff` compares: the managed fields by meaning (sets sorted, defaults filled in,
 * grant times in seconds, so 1 DAYS = 24 HOURS), what forces a replacement, and the operational settings.
 * `update` uses the same comparison to decide whether to write. Pure; serialized by value with the providers.
 */
import {
  ClientAuthType, grantTimeSeconds, OfflineAccessRequirement, PersistentGrantType, RefreshRolling,
  RefreshTokenRollingGracePeriodType, supportsOfflineAccessSettings,
} from "./model";
import { DEFAULT_SECRET_OVERLAP_SECONDS, isUnknown, normalizeUrl, type Props, refId, ReplicateMode, UNKNOWN } from "./inputs";

/** A list compared as a set: its items as text, without duplicates, sorted. */
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

/** Properties whose managed meaning differs between a client's state and the wanted inputs (`update` writes when any does). */
export function managedChanges(olds: Props, news: Props, offlineAccessKnown: boolean): string[] {
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

/** What the client provider's `diff` compares of a client's state and its inputs: the properties that change, and those that replace it. */
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
