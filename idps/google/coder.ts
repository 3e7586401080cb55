/** Google's row of the Coder table, and its issuer. Sources: ../shared/reference/FACTS.md §2. */
import type { CoderOidcSettings } from "../../src/idp";
import { OIDC_BASE_SCOPES } from "../../src/coder-table";

/** What Coder needs to know about Google. */
export const GOOGLE_CODER_SETTINGS = {
  label: "Google",
  issuerForm: "https://accounts.google.com",
  scopes: [...OIDC_BASE_SCOPES],
  // Without prompt=consent Google returns a refresh token only at the very first consent.
  authUrlParams: { access_type: "offline", prompt: "consent" },
  acceptsOfflineAccessScope: false,
  refreshLifetimesConfigurable: false,
  rotation: {
    control: "none",
    setting: "none (not configurable)",
    refusal: "Google does not rotate refresh tokens: the one issued at consent is used until it is revoked or expires",
  },
} as const satisfies CoderOidcSettings;

/** Google's issuer. */
export const GOOGLE_ISSUER_URL = "https://accounts.google.com";
