/** Keycloak's row of the Coder table, and its issuer. Sources: ../shared/reference/FACTS.md §2. */
import type { CoderOidcSettings } from "../../src/idp";
import { OFFLINE_ACCESS_SCOPE, OIDC_BASE_SCOPES } from "../../src/coder-table";

/** What Coder needs to know about Keycloak. */
export const KEYCLOAK_CODER_SETTINGS = {
  label: "Keycloak",
  issuerForm: "<keycloak:url><keycloak:basePath>/realms/<realm>",
  scopes: [...OIDC_BASE_SCOPES, OFFLINE_ACCESS_SCOPE],
  // Keycloak ignores access_type; Coder sends it anyway, so the output states it plainly.
  authUrlParams: { access_type: "offline" },
  acceptsOfflineAccessScope: true,
  refreshLifetimesConfigurable: true,
  rotation: {
    control: "realm",
    setting: 'the realm\'s "Revoke Refresh Token" (revokeRefreshToken), with "Refresh Token Max Reuse"',
    refusal: "Keycloak has no client setting for rotation: it is the realm's \"Revoke Refresh Token\", whose only " +
      "allowance is a reuse count (Refresh Token Max Reuse), not a time window, so Coder's concurrent refreshes can " +
      "still be refused with invalid_grant; keep refreshTokenRotation off and the realm's Revoke Refresh Token off",
  },
} as const satisfies CoderOidcSettings;

/** Keycloak's issuer: `<url><basePath>/realms/<realm>`, without doubled slashes. */
export function keycloakIssuerUrl(url: string, basePath: string, realm: string): string {
  const base = url.replace(/\/+$/, "");
  // One leading slash, none trailing: "" and "/" become "", "auth/" becomes "/auth".
  const path = basePath.replace(/^\/*/, "/").replace(/\/+$/, "");
  return `${base}${path}/realms/${encodeURIComponent(realm)}`;
}
