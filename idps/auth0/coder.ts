/** Auth0's row of the Coder table, its fixed defaults, and its issuer. Sources: ../shared/reference/FACTS.md §2. */
import type { CoderOidcSettings } from "../../src/idp";
import { OFFLINE_ACCESS_SCOPE, OIDC_BASE_SCOPES } from "../../src/coder-table";

/** What Coder needs to know about Auth0. */
export const AUTH0_CODER_SETTINGS = {
  label: "Auth0",
  issuerForm: "https://<auth0:domain>/ (with the trailing slash)",
  scopes: [...OIDC_BASE_SCOPES, OFFLINE_ACCESS_SCOPE],
  authUrlParams: { access_type: "offline" },
  acceptsOfflineAccessScope: true,
  refreshLifetimesConfigurable: true,
  rotation: {
    control: "client",
    setting: "auth0.Client refreshToken.rotationType (non-rotating / rotating)",
    reuseWindow: {
      field: "auth0.Client refreshToken.leeway",
      minSeconds: 1,
      // The Management API sets no maximum; a day is far beyond any concurrent refresh.
      maxSeconds: 86_400,
      source: "Auth0 Management API ClientRefreshTokenConfiguration.leeway, seconds, minimum 0",
    },
  },
} as const satisfies CoderOidcSettings;

/** Auth0's defaults for a new application's expiring refresh tokens. */
export const AUTH0_DEFAULT_LIFETIMES = {
  refreshIdleTimeout: 15 * 86400,
  refreshMaxLifetime: 30 * 86400,
  source: "Auth0's defaults for a new application's expiring refresh tokens: idle 15 days, absolute 30 days",
} as const;

/**
 * Auth0's issuer, exactly as its discovery document writes it: `https://<domain>/`, with the trailing slash.
 * Coder compares the issuer character for character, so the slash matters.
 */
export function auth0IssuerUrl(domain: string): string {
  return `https://${domain.replace(/\/+$/, "")}/`;
}
