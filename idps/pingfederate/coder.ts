/** PingFederate's row of the Coder table. Sources: ../shared/reference/FACTS.md §2 and §4. */
import type { CoderOidcSettings } from "../../src/idp";
import { OFFLINE_ACCESS_SCOPE, OIDC_BASE_SCOPES } from "../../src/coder-table";

/** What Coder needs to know about PingFederate. */
export const PINGFEDERATE_CODER_SETTINGS = {
  label: "PingFederate",
  issuerForm: "PingFederate's runtime base URL (the discovery document's issuer)",
  scopes: [...OIDC_BASE_SCOPES, OFFLINE_ACCESS_SCOPE],
  authUrlParams: { access_type: "offline" },
  acceptsOfflineAccessScope: true,
  refreshLifetimesConfigurable: true,
  rotation: {
    control: "client",
    setting: "Client.refreshRolling (DONT_ROLL / ROLL)",
    reuseWindow: {
      field: "Client.refreshTokenRollingGracePeriod, with refreshTokenRollingGracePeriodType OVERRIDE_SERVER_DEFAULT",
      minSeconds: 1,
      maxSeconds: 2_147_483_647,
      source: "PingFederate 12.1 admin API schema: Client.refreshTokenRollingGracePeriod, seconds, int32; server default 60",
    },
  },
} as const satisfies CoderOidcSettings;
