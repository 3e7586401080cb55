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
  },
  "entra-id": {
    label: "Microsoft Entra ID",
    issuerForm: "https://login.microsoftonline.com/<tenantId>/v2.0",
    scopes: [...OIDC_BASE_SCOPES, OFFLINE_ACCESS],
    authUrlParams: { access_type: "offline" },
    acceptsOfflineAccessScope: true,
    // Entra's refresh tokens live 90 days, fixed; only Conditional Access sign-in frequency shortens sessions.
    refreshLifetimesConfigurable: false,
  },
  google: {
    label: "Google",
    issuerForm: "https://accounts.google.com",
    scopes: [...OIDC_BASE_SCOPES],
    // Without prompt=consent Google returns a refresh token only at the very first consent.
    authUrlParams: { access_type: "offline", prompt: "consent" },
    acceptsOfflineAccessScope: false,
    refreshLifetimesConfigurable: false,
  },
  pingfederate: {
    label: "PingFederate",
    issuerForm: "PingFederate's runtime base URL (the discovery document's issuer)",
    scopes: [...OIDC_BASE_SCOPES, OFFLINE_ACCESS],
    authUrlParams: { access_type: "offline" },
    acceptsOfflineAccessScope: true,
    refreshLifetimesConfigurable: true,
  },
} as const satisfies Record<IdpKind, CoderOidcSettings>;

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

/** Google's issuer. */
export const GOOGLE_ISSUER_URL = "https://accounts.google.com";
