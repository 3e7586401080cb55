/** Entra ID's row of the Coder table, its issuer, and Microsoft Graph's fixed ids. Sources: ../shared/reference/FACTS.md §2. */
import type { CoderOidcSettings } from "../../src/idp";
import { OFFLINE_ACCESS_SCOPE, OIDC_BASE_SCOPES } from "../../src/coder-table";

/** What Coder needs to know about Microsoft Entra ID. */
export const ENTRA_CODER_SETTINGS = {
  label: "Microsoft Entra ID",
  issuerForm: "https://login.microsoftonline.com/<tenantId>/v2.0",
  scopes: [...OIDC_BASE_SCOPES, OFFLINE_ACCESS_SCOPE],
  authUrlParams: { access_type: "offline" },
  acceptsOfflineAccessScope: true,
  // Entra's refresh tokens live 90 days, fixed; only Conditional Access sign-in frequency shortens sessions.
  refreshLifetimesConfigurable: false,
  rotation: {
    control: "none",
    setting: "none (not configurable)",
    refusal: "Entra ID cannot be told to rotate: it hands out a new refresh token on each refresh and does not " +
      "revoke the one used, so there is nothing to switch on",
  },
} as const satisfies CoderOidcSettings;

/** Entra ID's v2.0 issuer for a tenant. */
export function entraIssuerUrl(tenantId: string): string {
  return `https://login.microsoftonline.com/${tenantId}/v2.0`;
}

/** Microsoft Graph's application (client) id: the same in every tenant. */
export const MICROSOFT_GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000";

/**
 * Graph's delegated permission (`type: "Scope"`) ids of the scopes Coder requests from Entra ID: the same in
 * every tenant (https://learn.microsoft.com/en-us/graph/permissions-reference). Pinned rather than looked up
 * so the plan shows them and a change is a reviewed code change; every run still compares them with the live
 * Graph service principal when it looks that up, and warns on a difference. The policy pack checks an
 * application requests them.
 */
export const GRAPH_DELEGATED_SCOPE_IDS: Readonly<Record<(typeof ENTRA_CODER_SETTINGS)["scopes"][number], string>> = {
  openid: "37f7f235-527c-4136-accd-4a02d197296e",
  profile: "14dad69e-099b-42c9-810b-d002981feec1",
  email: "64a6cdd6-aab1-4aaf-94b8-3cc8405e90d0",
  offline_access: "7427e0e9-2fba-42fe-b0c0-848c9e6a8182",
};

/** Days before an Entra client secret's end date from which the plan warns and the policy pack advises rotating it. */
export const ENTRA_SECRET_EXPIRY_WARNING_DAYS = 30;
