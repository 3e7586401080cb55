/**
 * The per-IdP Coder table: the one place that knows which scopes and auth URL parameters Coder must use
 * with each identity provider for refresh tokens to work. The program, the plan, the policy pack and
 * live verification all read it; no IdP setting lives anywhere else.
 * Sources: ../shared/reference/FACTS.md §2 (Coder's docs per IdP).
 */

/** The identity providers this toolkit can configure; the value of `coder-oidc:idp`. */
export const IdpKind = {
  /** Keycloak, through @pulumi/keycloak. */
  Keycloak: "keycloak",
  /** Microsoft Entra ID, through @pulumi/azuread. */
  EntraId: "entra-id",
  /** Google, with a manually created OAuth client (no API creates one). */
  Google: "google",
  /** PingFederate, through its admin API (a dynamic resource). */
  PingFederate: "pingfederate",
  /** Okta, through @pulumi/okta. */
  Okta: "okta",
  /** Auth0, through @pulumi/auth0. */
  Auth0: "auth0",
} as const;
/** One of the identity providers this toolkit can configure. */
export type IdpKind = (typeof IdpKind)[keyof typeof IdpKind];

/** Every value `coder-oidc:idp` accepts, in table order. */
export const IDP_KINDS = Object.values(IdpKind) as [IdpKind, ...IdpKind[]];

/** What Coder needs to know about one identity provider. */
export interface CoderOidcSettings {
  /** The IdP's name as people say it. */
  readonly label: string;
  /** The shape of `CODER_OIDC_ISSUER_URL` for this IdP, for humans. */
  readonly issuerForm: string;
  /** The scopes Coder must request (before `extraScopes`), in order. */
  readonly scopes: readonly string[];
  /** The auth URL parameters Coder must send (before per-stack additions such as Google's `hd`). */
  readonly authUrlParams: Readonly<Record<string, string>>;
  /**
   * Whether the IdP accepts the `offline_access` scope. Google rejects it with `invalid_scope`; it
   * hands out refresh tokens for `access_type=offline` + `prompt=consent` instead.
   */
  readonly acceptsOfflineAccessScope: boolean;
  /** Whether this toolkit can set refresh-token lifetimes (`coder-oidc:tokens`) on this IdP. */
  readonly refreshLifetimesConfigurable: boolean;
  /** Whether refresh tokens rotate on this IdP, and how a reuse window is set (`coder-oidc:refreshTokenRotation`). */
  readonly rotation: RefreshTokenRotationSupport;
}

/**
 * How an IdP rotates refresh tokens. Coder's dashboard refreshes several times at once, so an IdP that rotates
 * without a reuse window answers all but one refresh with `invalid_grant` and signs the user out at random
 * (coder/coder#25275): rotation is turned on only where a reuse window can be set with it.
 */
export interface RefreshTokenRotationSupport {
  /**
   * `client`: this toolkit sets rotation on Coder's client (off, or on with a reuse window);
   * `realm`: rotation is a realm-wide setting this toolkit does not own (it warns when it is on);
   * `none`: the IdP never revokes a used refresh token, so there is nothing to switch.
   */
  readonly control: "client" | "realm" | "none";
  /** Where the IdP keeps the setting, as its API names it. */
  readonly setting: string;
  /** The reuse window, when the IdP has one: the previous refresh token keeps working this long after a rotation. */
  readonly reuseWindow?: ReuseWindowSupport;
  /** Why `refreshTokenRotation: on` is refused, for IdPs that have no reuse window. */
  readonly refusal?: string;
}

/** An IdP's reuse window (grace period, leeway) for rotated refresh tokens, in seconds. */
export interface ReuseWindowSupport {
  /** The field that holds it, as the IdP's API names it. */
  readonly field: string;
  /** The shortest window this toolkit sets: never 0, which would be rotation without a window. */
  readonly minSeconds: number;
  /** The longest the IdP accepts. */
  readonly maxSeconds: number;
  /** Where the range comes from. */
  readonly source: string;
}

const OIDC_BASE_SCOPES = ["openid", "profile", "email"] as const;
const OFFLINE_ACCESS = "offline_access";

/** The per-IdP Coder table. */
export const IDP_SETTINGS = {
  keycloak: {
    label: "Keycloak",
    issuerForm: "<keycloak:url><keycloak:basePath>/realms/<realm>",
    scopes: [...OIDC_BASE_SCOPES, OFFLINE_ACCESS],
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
  },
  "entra-id": {
    label: "Microsoft Entra ID",
    issuerForm: "https://login.microsoftonline.com/<tenantId>/v2.0",
    scopes: [...OIDC_BASE_SCOPES, OFFLINE_ACCESS],
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
  },
  google: {
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
  },
  pingfederate: {
    label: "PingFederate",
    issuerForm: "PingFederate's runtime base URL (the discovery document's issuer)",
    scopes: [...OIDC_BASE_SCOPES, OFFLINE_ACCESS],
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
  },
  okta: {
    label: "Okta",
    issuerForm: "https://<org>.<baseUrl> (org server) or https://<org>.<baseUrl>/oauth2/<authServerId>",
    scopes: [...OIDC_BASE_SCOPES, OFFLINE_ACCESS],
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
  },
  auth0: {
    label: "Auth0",
    issuerForm: "https://<auth0:domain>/ (with the trailing slash)",
    scopes: [...OIDC_BASE_SCOPES, OFFLINE_ACCESS],
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
  },
} as const satisfies Record<IdpKind, CoderOidcSettings>;

/**
 * Lifetimes (seconds) an IdP gives Coder's client for a `coder-oidc:tokens` key left unset, where the default is
 * fixed and documented (not a server or realm setting someone may have changed): the cross-field rules
 * (refreshIdleTimeout ≥ accessTokenLifetime, refreshMaxLifetime ≥ refreshIdleTimeout) hold against them too.
 */
export interface DefaultLifetimes {
  /** The access-token lifetime used when `tokens.accessTokenLifetime` is unset. */
  readonly accessTokenLifetime?: number;
  /** The refresh idle timeout used when `tokens.refreshIdleTimeout` is unset. */
  readonly refreshIdleTimeout?: number;
  /** The refresh max lifetime used when `tokens.refreshMaxLifetime` is unset. */
  readonly refreshMaxLifetime?: number;
  /** Where the defaults come from. */
  readonly source: string;
}

/** The IdPs whose defaults for Coder's client are fixed: Okta's access policy rule, Auth0's application. */
export const IDP_DEFAULT_LIFETIMES: Readonly<Partial<Record<IdpKind, DefaultLifetimes>>> = {
  okta: {
    accessTokenLifetime: 3600,
    refreshIdleTimeout: 7 * 86400,
    source: "okta.auth.ServerPolicyRule: accessTokenLifetimeMinutes default 60, refreshTokenWindowMinutes default 10080, " +
      "refreshTokenLifetimeMinutes default unlimited",
  },
  auth0: {
    refreshIdleTimeout: 15 * 86400,
    refreshMaxLifetime: 30 * 86400,
    source: "Auth0's defaults for a new application's expiring refresh tokens: idle 15 days, absolute 30 days",
  },
};

/** The name of the scope that asks for a refresh token on OIDC IdPs other than Google. */
export const OFFLINE_ACCESS_SCOPE = OFFLINE_ACCESS;

/** The scopes Coder requests from `idp`: the table's, then `extraScopes`, duplicates dropped, order kept. */
export function coderScopes(idp: IdpKind, extraScopes: readonly string[] = []): string[] {
  return [...new Set<string>([...IDP_SETTINGS[idp].scopes, ...extraScopes])];
}

/** The auth URL parameters Coder sends to `idp`: the table's, then per-stack additions. */
export function coderAuthUrlParams(
  idp: IdpKind,
  additions: Readonly<Record<string, string>> = {},
): Record<string, string> {
  return { ...IDP_SETTINGS[idp].authUrlParams, ...additions };
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

/** Keycloak's issuer: `<url><basePath>/realms/<realm>`, without doubled slashes. */
export function keycloakIssuerUrl(url: string, basePath: string, realm: string): string {
  const base = url.replace(/\/+$/, "");
  // One leading slash, none trailing: "" and "/" become "", "auth/" becomes "/auth".
  const path = basePath.replace(/^\/*/, "/").replace(/\/+$/, "");
  return `${base}${path}/realms/${encodeURIComponent(realm)}`;
}

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
export const GRAPH_DELEGATED_SCOPE_IDS: Readonly<Record<(typeof IDP_SETTINGS)["entra-id"]["scopes"][number], string>> = {
  openid: "37f7f235-527c-4136-accd-4a02d197296e",
  profile: "14dad69e-099b-42c9-810b-d002981feec1",
  email: "64a6cdd6-aab1-4aaf-94b8-3cc8405e90d0",
  offline_access: "7427e0e9-2fba-42fe-b0c0-848c9e6a8182",
};

/** Days before an Entra client secret's end date from which the plan warns and the policy pack advises rotating it. */
export const ENTRA_SECRET_EXPIRY_WARNING_DAYS = 30;

/** Google's issuer. */
export const GOOGLE_ISSUER_URL = "https://accounts.google.com";

/** Okta's issuer: the org authorization server's (`https://<org>.<baseUrl>`) or a custom server's (`…/oauth2/<id>`). */
export function oktaIssuerUrl(orgName: string, baseUrl: string, authorizationServer: string): string {
  const org = `https://${orgName}.${baseUrl.replace(/^\.+|\/+$/g, "")}`;
  return authorizationServer === OKTA_ORG_AUTHORIZATION_SERVER ? org : `${org}/oauth2/${encodeURIComponent(authorizationServer)}`;
}

/** The value of `coder-oidc:okta.authorizationServer` that names Okta's org authorization server. */
export const OKTA_ORG_AUTHORIZATION_SERVER = "org";

/**
 * Auth0's issuer, exactly as its discovery document writes it: `https://<domain>/`, with the trailing slash.
 * Coder compares the issuer character for character, so the slash matters.
 */
export function auth0IssuerUrl(domain: string): string {
  return `https://${domain.replace(/\/+$/, "")}/`;
}

/**
 * The warning every run prints when refresh tokens rotate: Coder's handling of rotation is an open question
 * (coder/coder#25275), so the way back is named.
 */
export function rotationWarning(idp: IdpKind, reuseWindow: string): string {
  return `${IDP_SETTINGS[idp].label} rotates Coder's refresh tokens, with a ${reuseWindow} reuse window in which the ` +
    "previous one still works: Coder's handling of rotating refresh tokens is still open (coder/coder#25275); if users " +
    "are signed out after a refresh, set coder-oidc:refreshTokenRotation to off.";
}
