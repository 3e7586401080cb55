/**
 * The dynamic providers' `check`: every input validated, each failure naming the property and the rule (unknown
 * values, in preview, pass), and the client's inputs with their defaults filled in. Pure; serialized by value with
 * the providers.
 */
import type * as pulumi from "@pulumi/pulumi";
import {
  GrantTimeUnit, GrantType, OfflineAccessRequirement, PersistentGrantType, RefreshRolling, RefreshTokenRollingGracePeriodType,
} from "./model";
import { compact, DEFAULT_SECRET_OVERLAP_SECONDS, isUnknown, normalizeUrl, type Props, refId, ReplicateMode } from "./inputs";

/** A text property: a non-empty string when set (or always, when `required`); an unknown value passes. */
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

/** Validates client inputs; every failure names the property and the rule. */
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

/** A client's inputs with the defaults filled in (and the admin URL without a trailing slash), as `check` returns them. */
export function withClientDefaults(news: Props): Props {
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

/** Validates common-scope inputs; every failure names the property and the rule. */
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
