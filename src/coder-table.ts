/**
 * The Coder side of the Coder table: how the scopes, auth URL parameters, redirect URI and rotation warning Coder
 * needs are formed from an IdP's row (src/idp.ts `CoderOidcSettings`, filled in each idps/<idp>/). Names no IdP.
 * Sources: ../shared/reference/FACTS.md §2 (Coder's docs per IdP).
 */
import type { CoderOidcSettings } from "./idp";

/** The scopes every OpenID Connect IdP is asked for. */
export const OIDC_BASE_SCOPES = ["openid", "profile", "email"] as const;

/** The name of the scope that asks for a refresh token on OIDC IdPs other than Google. */
export const OFFLINE_ACCESS_SCOPE = "offline_access";

/** The scopes Coder requests from an IdP: its row's, then `extraScopes`, duplicates dropped, order kept. */
export function coderScopes(settings: CoderOidcSettings, extraScopes: readonly string[] = []): string[] {
  return [...new Set<string>([...settings.scopes, ...extraScopes])];
}

/** The auth URL parameters Coder sends to an IdP: its row's, then per-stack additions. */
export function coderAuthUrlParams(
  settings: CoderOidcSettings,
  additions: Readonly<Record<string, string>> = {},
): Record<string, string> {
  return { ...settings.authUrlParams, ...additions };
}

/**
 * Formats scopes as Coder parses `CODER_OIDC_SCOPES`: one CSV record. A scope that holds a comma or a
 * quote is quoted the CSV way, so Coder reads back exactly the same list.
 */
export function formatCsvRecord(values: readonly string[]): string {
  return values.map((v) => (/[",\r\n]|^\s|\s$/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)).join(",");
}

/** Formats auth URL parameters as Coder parses `CODER_OIDC_AUTH_URL_PARAMS`: a JSON object of strings. */
export function formatAuthUrlParams(params: Readonly<Record<string, string>>): string {
  return JSON.stringify(params);
}

/** Coder's OIDC callback below its access URL. */
export const CODER_OIDC_CALLBACK_PATH = "/api/v2/users/oidc/callback";

/** Coder's OIDC redirect URI for an access URL: no doubled slash, no trailing slash kept. */
export function coderRedirectUri(coderUrl: string): string {
  return `${coderUrl.replace(/\/+$/, "")}${CODER_OIDC_CALLBACK_PATH}`;
}

/** The origin (scheme://host[:port]) of Coder's access URL, for CORS-style `webOrigins`. */
export function coderOrigin(coderUrl: string): string {
  return new URL(coderUrl).origin;
}

/**
 * The warning every run prints when refresh tokens rotate: Coder's handling of rotation is an open question
 * (coder/coder#25275), so the way back is named.
 */
export function rotationWarning(settings: CoderOidcSettings, reuseWindow: string): string {
  return `${settings.label} rotates Coder's refresh tokens, with a ${reuseWindow} reuse window in which the ` +
    "previous one still works: Coder's handling of rotating refresh tokens is still open (coder/coder#25275); if users " +
    "are signed out after a refresh, set coder-oidc:refreshTokenRotation to off.";
}
