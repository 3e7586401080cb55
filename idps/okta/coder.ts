/** Okta's row of the Coder table, its fixed defaults, and its issuer. Sources: ../shared/reference/FACTS.md §2. */
import type { CoderOidcSettings } from "../../src/idp";
import { OFFLINE_ACCESS_SCOPE, OIDC_BASE_SCOPES } from "../../src/coder-table";
import { OKTA_ORG_AUTHORIZATION_SERVER } from "./config";

/** What Coder needs to know about Okta. */
export const OKTA_CODER_SETTINGS = {
  label: "Okta",
  issuerForm: "https://<org>.<baseUrl> (org server) or https://<org>.<baseUrl>/oauth2/<authServerId>",
  scopes: [...OIDC_BASE_SCOPES, OFFLINE_ACCESS_SCOPE],
  authUrlParams: { access_type: "offline" },
  acceptsOfflineAccessScope: true,
  refreshLifetimesConfigurable: true,
  rotation: {
    control: "client",
    setting: "okta.app.OAuth refreshTokenRotation (STATIC / ROTATE)",
    reuseWindow: {
      field: "okta.app.OAuth refreshTokenLeeway",
      minSeconds: 1,
      maxSeconds: 60,
      source: "Okta: grace period for token rotation, 0-60 seconds, default 30 (developer.okta.com/docs/guides/refresh-tokens/)",
    },
  },
} as const satisfies CoderOidcSettings;

/** Okta's defaults for Coder's client on a custom authorization server: its access policy rule's. */
export const OKTA_DEFAULT_LIFETIMES = {
  accessTokenLifetime: 3600,
  refreshIdleTimeout: 7 * 86400,
  source: "okta.auth.ServerPolicyRule: accessTokenLifetimeMinutes default 60, refreshTokenWindowMinutes default 10080, " +
    "refreshTokenLifetimeMinutes default unlimited",
} as const;

/** Okta's issuer: the org authorization server's (`https://<org>.<baseUrl>`) or a custom server's (`…/oauth2/<id>`). */
export function oktaIssuerUrl(orgName: string, baseUrl: string, authorizationServer: string): string {
  const org = `https://${orgName}.${baseUrl.replace(/^\.+|\/+$/g, "")}`;
  return authorizationServer === OKTA_ORG_AUTHORIZATION_SERVER ? org : `${org}/oauth2/${encodeURIComponent(authorizationServer)}`;
}
