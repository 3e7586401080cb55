/**
 * The client provider's mapping between PingFederate and the state: {@link clientState}, the one mapper from a
 * live client to state that create, read and update share (so `pulumi refresh` reports exactly the drift an admin
 * made by hand); {@link mergedClient}, the whole client to send (unmanaged fields untouched); and what happens to
 * the client's secrets. Pure; serialized by value with the providers.
 */
import {
  ClientAuthType, OfflineAccessRequirement, PersistentGrantType, type PfClient, type PfClientAuth,
  type PfSecondarySecret, RefreshRolling, RefreshTokenRollingGracePeriodType,
} from "./model";
import {
  compact, DEFAULT_SECRET_OVERLAP_SECONDS, type PfOAuthClientInputs, type PfOAuthClientOutputs, type Props, ReplicateMode,
} from "./inputs";

/**
 * The one mapper from a live client to state (create, read and update all use it): the managed fields as
 * PingFederate has them now, plus what only this provider knows (connection, secret, secret version).
 */
export function clientState(live: PfClient, carry: Props): PfOAuthClientOutputs {
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
export function inputsOf(state: PfOAuthClientOutputs): PfOAuthClientInputs {
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
export function mergedClient(live: PfClient | undefined, desired: PfOAuthClientInputs, offlineAccess: boolean, clientAuth: PfClientAuth): PfClient {
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
export function holdsSecret(live: PfClient): boolean {
  return live.clientAuth?.type === ClientAuthType.Secret && Boolean(live.clientAuth.encryptedSecret);
}

/** The live `clientAuth` when it still holds a secret (ours, or the adopted client's); else `SECRET` with the one we know. */
export function keptClientAuth(live: PfClient, knownSecret: string | undefined): PfClientAuth {
  const auth = live.clientAuth ?? {};
  if (holdsSecret(live)) return auth;
  const repaired: Props = { ...auth, type: ClientAuthType.Secret, secret: knownSecret };
  delete repaired.encryptedSecret;
  return repaired as PfClientAuth;
}

/** Secondary secrets that have not expired yet, passed back unchanged. */
export function liveSecondaries(auth: PfClientAuth | undefined): PfSecondarySecret[] {
  return (auth?.secondarySecrets ?? [])
    .filter((s) => s.encryptedSecret && s.expiryTime && Date.parse(s.expiryTime) > Date.now())
    .map((s) => ({ encryptedSecret: s.encryptedSecret, expiryTime: s.expiryTime }));
}

/** The current primary secret as a secondary one that expires after `overlapSeconds` (none for 0). */
export function retiring(auth: PfClientAuth | undefined, overlapSeconds: number): PfSecondarySecret[] {
  if (!auth?.encryptedSecret || overlapSeconds <= 0) return [];
  return [{ encryptedSecret: auth.encryptedSecret, expiryTime: new Date(Date.now() + overlapSeconds * 1000).toISOString() }];
}
