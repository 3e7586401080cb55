/**
 * The stack-config contract (namespace `coder-oidc`). One zod schema describes every key; it is parsed
 * once, before any resource is declared, and every problem is reported at once with its full key.
 * Nothing else in the project reads Pulumi config.
 */
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { DURATION_FORMAT_HINT, formatDuration, parseDurationSeconds, parseUtcMonthOrDay } from "./duration";
import { ConfigError, type ConfigProblem } from "./errors";
import { GCP_PROJECT_ID, GCP_PROJECT_ID_RULE, isPathSafeId, PATH_SAFE_ID_RULE } from "./identifiers";
import {
  IDP_KINDS, IDP_SETTINGS, type IdpKind, OFFLINE_ACCESS_SCOPE, OKTA_ORG_AUTHORIZATION_SERVER, type ReuseWindowSupport,
  type DefaultLifetimes, IDP_DEFAULT_LIFETIMES,
} from "./idps";
import {
  OFFLINE_SECRET_PLACEHOLDER, PROVIDER_NAMESPACES, providerConfigProblems, type ProviderConnection, type ProviderNamespace,
  CONFIG_CREDENTIAL_FIELDS, plainTextCredentialProblems, setSecretCommand,
} from "./provider-config";
import { didYouMean } from "./spelling";

/** The config namespace of this project (`coder-oidc:<key>`). */
export const CONFIG_NAMESPACE = "coder-oidc";


/** An Entra ID directory (tenant) id: the form its issuer URL names it by. */
const ENTRA_TENANT_GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The longest Conditional Access sign-in frequency Entra ID accepts: 365 days. */
export const ENTRA_SIGN_IN_FREQUENCY_MAX_SECONDS = 365 * 86400;

/** The most an Entra ID client secret may live: Microsoft's own limit is two years. */
export const ENTRA_SECRET_MAX_LIFETIME_SECONDS = 730 * 86400;

// ---------------------------------------------------------------------------------------------------
// Field schemas

const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** A URL as it may be shown in a message: any user info (`user:password@`) replaced, parsable or not. */
export function urlForMessage(text: string): string {
  return text.replace(/^([^/?#]*\/\/)[^/?#]*@/, "$1[credentials]@");
}

/**
 * A URL that must be https; with `localHttp`, plain http is allowed for localhost during development (never
 * where credentials travel, such as the PingFederate admin API). Messages never echo user info.
 */
function httpsUrl(what: string, localHttp = true, originOnly = false, form?: UrlForm) {
  return z.string({ error: `must be a string (${what})` }).superRefine((text, ctx) => {
    // Set with --secret and read offline: checked when the engine runs, where it is decrypted.
    if (text === OFFLINE_SECRET_PLACEHOLDER) return;
    const shown = urlForMessage(text);
    const fail = (message: string) => ctx.addIssue({ code: "custom", message });
    // eslint-disable-next-line no-control-regex
    if (/[\s\x00-\x1f\x7f]/.test(text)) {
      return fail(`must not contain spaces or control characters (${what}), got ${JSON.stringify(shown)}`);
    }
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      return fail(`must be an absolute URL (${what}), got "${shown}"`);
    }
    if (url.username || url.password) return fail(`must not carry credentials in the URL, got "${shown}"`);
    if (url.protocol !== "https:" && !(localHttp && url.protocol === "http:" && LOCAL_HOSTS.has(url.hostname))) {
      return fail(localHttp
        ? `must use https (http is allowed only for localhost or 127.0.0.1), got "${shown}"`
        : `must use https (the admin credentials travel over it), got "${shown}"`);
    }
    if (url.search || url.hash || text.includes("?") || text.includes("#")) {
      return fail(`must not have a query or fragment, got "${shown}"`);
    }
    if (originOnly) originProblem(text, url, fail);
    else if (form) canonicalUrlProblem(text, url, form, fail);
  });
}

/**
 * How a URL that names an IdP is written: `issuer`, exactly as the IdP publishes its issuer (no trailing slash);
 * `base`, a base the issuer is built on (a trailing slash is dropped when the issuer is built).
 */
type UrlForm = { readonly kind: "issuer" | "base"; readonly idp: string };

/**
 * The issuer's one form, as {@link originProblem} does for `coderUrl`: Coder compares `CODER_OIDC_ISSUER_URL` with
 * the discovery document's `issuer` character for character, and IdPs publish it serialized as URLs are (lowercase
 * scheme and host, punycode, no default port, no trailing slash here); anything else is refused with the form to write.
 */
function canonicalUrlProblem(text: string, url: URL, form: UrlForm, fail: (message: string) => void): void {
  const path = url.pathname.replace(/\/+$/, "");
  const canonical = `${url.protocol}//${url.host}${path}`;
  const written = form.kind === "base" ? text.replace(/\/+$/, "") : text;
  if (written !== canonical) {
    fail(`must be written as ${form.idp} publishes it, "${canonical}" (lowercase scheme and host, punycode for an ` +
      `internationalized host, no default port${form.kind === "issuer" ? ", no trailing slash" : ""}), got "${urlForMessage(text)}": ` +
      "Coder compares CODER_OIDC_ISSUER_URL with the discovery document's issuer character for character");
  }
}

/**
 * Coder's access URL, exactly as Coder serializes it. Coder builds its redirect URI with Go's
 * `AccessURL.Parse("/api/v2/users/oidc/callback")` (coder/coder `cli/server.go`): an absolute path, so any
 * path of the access URL is dropped, and Coder serves its API and login at the root of its host; and the
 * IdP compares redirect URIs byte for byte. So the access URL must be an origin, written in the one form a
 * browser, Coder and the IdP all agree on (lowercase scheme and host, an internationalized host in
 * punycode, no default port); anything else is refused with the form to write instead.
 */
function originProblem(text: string, url: URL, fail: (message: string) => void): void {
  const origin = `${url.protocol}//${url.host}`;
  if (!/^\/*$/.test(url.pathname)) {
    fail(`must not have a path, got "${text}": Coder resolves /api/v2/users/oidc/callback against its access URL ` +
      "as an absolute path (the path is dropped) and serves its API at the root of its host, so Coder cannot run " +
      `under a path; give Coder a host of its own, e.g. ${origin}`);
  } else if (text.replace(/\/+$/, "") !== origin) {
    fail(`must be written as browsers and Coder serialize it, "${origin}" (lowercase scheme and host, punycode ` +
      `for an internationalized host, no default port), got "${text}": the IdP compares the redirect URI byte for ` +
      "byte; set CODER_ACCESS_URL to the same");
  }
}

/** A duration in `90s` / `15m` / `1h` / `30d`, parsed to seconds. */
const duration = z.string({ error: `must be a duration: ${DURATION_FORMAT_HINT}` }).transform((text, ctx) => {
  const seconds = parseDurationSeconds(text);
  if (seconds === undefined) {
    ctx.addIssue({ code: "custom", message: `"${text}" is not a duration: ${DURATION_FORMAT_HINT}` });
    return z.NEVER;
  }
  if (seconds <= 0) {
    ctx.addIssue({ code: "custom", message: `must be positive, got "${text}"` });
    return z.NEVER;
  }
  if (seconds > MAX_LIFETIME_SECONDS) {
    ctx.addIssue({
      code: "custom",
      message: `must be at most ${MAX_LIFETIME_SECONDS} seconds (${Math.floor(MAX_LIFETIME_SECONDS / 86400)} days), got "${text}": ` +
        "Keycloak and PingFederate store lifetimes as 32-bit integers",
    });
    return z.NEVER;
  }
  return seconds;
});

/** The longest lifetime any IdP here can store: Keycloak keeps lifetimes as 32-bit seconds. */
export const MAX_LIFETIME_SECONDS = 2_147_483_647;

/** An identifier that ends up in an IdP URL or admin API path (a realm, a client id): see {@link isPathSafeId}. */
function pathSafeId(what: string) {
  return z.string({ error: `must be a string (${what})` }).refine(isPathSafeId, {
    error: (issue) => `must be ${PATH_SAFE_ID_RULE} (${what}): it is part of the IdP's URLs, got ${JSON.stringify(issue.input)}`,
  });
}

/**
 * A PingFederate plugin instance id (access token manager, OIDC policy): letters, digits and `_`, at most 32,
 * as PingFederate's own Terraform provider validates them.
 */
const pingFederateId = (what: string) =>
  z.string({ error: `must be a string (${what})` }).refine((text) => text === OFFLINE_SECRET_PLACEHOLDER || /^[A-Za-z0-9_]{1,32}$/.test(text), {
    error: `must be 1 to 32 letters, digits or _ (${what}), as PingFederate names plugin instances`,
  });

const nonEmpty = (what: string) =>
  z.string({ error: `must be a string (${what})` }).trim().min(1, { error: `must not be empty (${what})` });

/** A config boolean: a YAML boolean, or the strings `true`/`false` that `pulumi config set` stores. */
const flag = z.union([z.boolean(), z.enum(["true", "false"]).transform((v) => v === "true")], {
  error: "must be true or false",
});

// OAuth 2.0 scope-token characters (RFC 6749 §3.3): printable ASCII without space, `"` and `\`.
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

// ---------------------------------------------------------------------------------------------------
// The schema

/** Token lifetimes, each in seconds once parsed. Not every IdP lets these be set: see the IdP sections. */
const tokensSchema = z.strictObject({
  /** How long an access token lives. Keycloak: the client's access token lifespan. */
  accessTokenLifetime: duration.optional(),
  /** How long a refresh token may go unused before it expires. Must be ≥ accessTokenLifetime. */
  refreshIdleTimeout: duration.optional(),
  /** How long a refresh token chain may live at most. Must be ≥ refreshIdleTimeout. */
  refreshMaxLifetime: duration.optional(),
});

/** `coder-oidc:keycloak`: where Coder's client lives in Keycloak. */
const keycloakSchema = z.strictObject({
  /** The realm Coder's users log in to (not necessarily the admin login realm, `keycloak:realm`). */
  realm: pathSafeId("the Keycloak realm Coder's users log in to"),
  /**
   * The issuer Coder should use, when Coder reaches Keycloak on another hostname than `keycloak:url`.
   * Default: `<keycloak:url><keycloak:basePath>/realms/<realm>`.
   */
  issuerUrl: httpsUrl("Keycloak issuer as Coder reaches it", true, false, { kind: "issuer", idp: "Keycloak" }).optional(),
});

/** Who may sign in to an Entra ID application. */
export const EntraSignInAudience = {
  /** Accounts in this tenant only (the default). */
  MyOrg: "AzureADMyOrg",
  /** Accounts in any Entra ID tenant. */
  MultipleOrgs: "AzureADMultipleOrgs",
  /** Any Entra ID tenant and personal Microsoft accounts. */
  MultipleOrgsAndPersonal: "AzureADandPersonalMicrosoftAccount",
  /** Personal Microsoft accounts only. */
  PersonalOnly: "PersonalMicrosoftAccount",
} as const;
/** Who may sign in to an Entra ID application. */
export type EntraSignInAudience = (typeof EntraSignInAudience)[keyof typeof EntraSignInAudience];

/** `coder-oidc:entraId`: the Entra ID application Coder logs in with. */
const entraIdSchema = z.strictObject({
  /** Directory (tenant) id. Required unless `azuread:tenantId` is set. */
  tenantId: nonEmpty("the Entra ID directory (tenant) id").optional(),
  /** Who may sign in. Default `AzureADMyOrg`. */
  signInAudience: z
    .enum(Object.values(EntraSignInAudience) as [EntraSignInAudience, ...EntraSignInAudience[]], {
      error: `must be one of ${Object.values(EntraSignInAudience).join(", ")}`,
    })
    .default(EntraSignInAudience.MyOrg),
  /** Emit security groups in the `groups` claim and set `CODER_OIDC_GROUP_FIELD=groups`. Default false. */
  groupsClaim: flag.default(false),
  /** Emit the `upn` ID-token claim and set `CODER_OIDC_EMAIL_FIELD=upn`. Default false. */
  upnAsEmail: flag.default(false),
  /** Users need an app role assignment to sign in. Default false. */
  appRoleAssignmentRequired: flag.default(false),
  /** How long the client secret lives, at most 730d. Default 180d. */
  secretLifetime: duration.prefault("180d"),
  /**
   * The UTC month or day the client secret is issued (`2026-11`, `2026-11-28`); required. The secret's endDate
   * is this date plus secretLifetime, the same on every run; changing it issues a new secret (a rotation).
   */
  secretRotation: z.string({ error: 'must be a UTC month or day in quotes, e.g. "2026-11"' }).trim().optional(),
  /**
   * The secretRotation value before the last rotation: its secret is kept, with its own end date, so Coder keeps
   * working until it has the new secret. Remove it once every Coder replica runs with the new one. Default: none.
   */
  previousSecretRotation: z.string({ error: 'must be a UTC month or day in quotes, e.g. "2026-11"' }).trim().optional(),
  /** Grant tenant-wide admin consent for the four delegated Graph scopes. Default true. */
  grantAdminConsent: flag.default(true),
  /**
   * Conditional Access sign-in frequency for this application only (whole hours or days, e.g. `12h`,
   * `7d`): Entra's only lever over session length. Needs Entra ID P1. Default: none.
   */
  signInFrequency: duration.optional(),
});

/** `coder-oidc:google`: the manually created Google OAuth client, and what can be automated around it. */
const googleSchema = z.strictObject({
  /** The OAuth client id, `….apps.googleusercontent.com`. */
  clientId: nonEmpty("the Google OAuth client id").refine((v) => v === OFFLINE_SECRET_PLACEHOLDER || v.endsWith(".apps.googleusercontent.com"), {
    error: "must be a Google OAuth client id ending in .apps.googleusercontent.com",
  }),
  /** The OAuth client secret; must be stored with `pulumi config set --secret`. */
  clientSecret: nonEmpty("the Google OAuth client secret"),
  /** Store the client secret in Secret Manager so Coder's deployment can mount it. Default: don't. */
  secretManager: z
    .strictObject({
      /** The Google Cloud project that holds the secret. Default: `gcp:project`. */
      project: z.string({ error: "must be a string" }).regex(GCP_PROJECT_ID, { error: `must be ${GCP_PROJECT_ID_RULE}` }).optional(),
      /** The secret's id. */
      secretId: z
        .string({ error: "must be a string" })
        .regex(/^[A-Za-z0-9_-]{1,255}$/, { error: "must be 1-255 letters, digits, _ or -" }),
    })
    .optional(),
  /** Google Workspace domain: adds `hd` to the auth URL params and sets `CODER_OIDC_EMAIL_DOMAIN`. */
  hostedDomain: z
    .string({ error: "must be a string" })
    .regex(/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i, {
      error: "must be a domain name such as example.com",
    })
    .optional(),
});

/** `coder-oidc:pingfederate`: the PingFederate admin API and Coder's OAuth client there. */
const pingfederateSchema = z.strictObject({
  /** Base of the admin API, e.g. `https://pf.example.com:9999/pf-admin-api/v1`. */
  adminUrl: httpsUrl("PingFederate admin API base", false),
  /** PingFederate's runtime base URL (its issuer), e.g. `https://sso.example.com`. */
  issuerUrl: httpsUrl("PingFederate runtime base URL", true, false, { kind: "issuer", idp: "PingFederate" }),
  /** Admin user for basic auth; or set PINGFEDERATE_ADMIN_USERNAME. */
  username: nonEmpty("admin username").optional(),
  /** Admin password (secret); or set PINGFEDERATE_ADMIN_PASSWORD. */
  password: nonEmpty("admin password").optional(),
  /** Admin bearer token (secret); or set PINGFEDERATE_ADMIN_TOKEN. */
  token: nonEmpty("admin bearer token").optional(),
  /** PEM text, or a path to a PEM file, of the CA that signed the admin API's certificate. */
  caCertificate: nonEmpty("CA certificate PEM or file path").optional(),
  /** Skip TLS verification of the admin API. Only when set explicitly; warned about on every run. */
  insecureSkipTlsVerify: flag.default(false),
  /**
   * Replaced by `coder-oidc:refreshTokenRotation`; setting it is an error that says so (it would be a second
   * switch for the same thing).
   */
  rollRefreshTokens: z.unknown().optional(),
  /** Access token manager for Coder's tokens. Default: the server's default manager. */
  accessTokenManagerId: pingFederateId("access token manager id").optional(),
  /** OpenID Connect policy for Coder's ID tokens. Default: the server's default policy. */
  oidcPolicyGroupId: pingFederateId("OIDC policy id").optional(),
  /** Replicate the cluster after changes when it says replication is required. Default `auto`. */
  replicate: z.enum(["auto", "never"], { error: "must be auto or never" }).default("auto"),
  /** Any text; changing it rotates the client secret. Default: never rotate. */
  secretVersion: z.union([z.string(), z.number()], { error: "must be a string, e.g. 2026-11" }).transform(String).optional(),
  /** How long the previous secret keeps working after a rotation. Default 24h. */
  secretOverlap: duration.prefault("24h"),
});

/** A DNS host name such as `example.us.auth0.com`: no scheme, no path. */
const hostName = (what: string) =>
  z.string({ error: `must be a string (${what})` }).refine(
    (text) => text === OFFLINE_SECRET_PLACEHOLDER || /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i.test(text),
    { error: `must be a host name such as login.example.com, without https:// or a path (${what})` });

/** Who may sign in to Coder's Okta app: Okta's built-in Everyone group. */
export const OKTA_EVERYONE = "everyone";

/** `coder-oidc:okta`: Coder's app in Okta and the authorization server that issues its tokens. */
const oktaSchema = z.strictObject({
  /**
   * `org` (Okta's org authorization server: issuer `https://<org>.okta.com`, fixed lifetimes) or the id of a custom
   * authorization server, e.g. `default` (issuer `…/oauth2/<id>`; needs API Access Management). Default `org`.
   */
  authorizationServer: z
    .string({ error: "must be org or a custom authorization server id, e.g. default" })
    .regex(/^[A-Za-z0-9]+$/, { error: "must be org or a custom authorization server id (letters and digits), e.g. default" })
    .default(OKTA_ORG_AUTHORIZATION_SERVER),
  /** `trusted` (no consent screen) or `required` (users consent once). Default `trusted`. */
  consent: z.enum(["trusted", "required"], { error: "must be trusted or required" }).default("trusted"),
  /** Add a `groups` claim (every group, on the custom server) and set `CODER_OIDC_GROUP_FIELD=groups`. Default false. */
  groupsClaim: flag.default(false),
  /** Who may sign in: `everyone` (Okta's Everyone group) or a list of Okta group ids. Required. */
  assignedGroups: z.union([
    z.literal(OKTA_EVERYONE),
    z.array(nonEmpty("Okta group id"), { error: "must be everyone or a list of Okta group ids" })
      .min(1, { error: "must list at least one Okta group id, or be everyone" }),
  ], { error: "must be everyone or a list of Okta group ids, e.g. [00g1abcd2EFGH3ijk4x7]" }),
});

/** `coder-oidc:auth0`: Coder's application in an Auth0 tenant. Every field is optional. */
const auth0Schema = z.strictObject({
  /** The tenant's custom domain, when Coder reaches Auth0 through one: the issuer is then `https://<customDomain>/`. */
  customDomain: hostName("Auth0 custom domain").optional(),
  /** How Coder authenticates at the token endpoint with its secret. Default `client_secret_post`. */
  tokenEndpointAuthMethod: z
    .enum(["client_secret_post", "client_secret_basic"], { error: "must be client_secret_post or client_secret_basic" })
    .default("client_secret_post"),
});

/** Whether refresh tokens rotate: `off` (the default while coder/coder#25275 is open) or `on`, with a reuse window. */
export const RefreshTokenRotation = { Off: "off", On: "on" } as const;
/** Whether refresh tokens rotate. */
export type RefreshTokenRotation = (typeof RefreshTokenRotation)[keyof typeof RefreshTokenRotation];

const topLevelSchema = z.strictObject({
  /** Coder's access URL, e.g. `https://coder.example.com`; https unless localhost. */
  coderUrl: httpsUrl("Coder's access URL", true, true).transform((url) => url.replace(/\/+$/, "")),
  /** Which identity provider this stack configures. */
  idp: z.enum(IDP_KINDS, { error: `must be one of ${IDP_KINDS.join(", ")}` }),
  /** The OAuth client id Coder logs in with (Keycloak, PingFederate). Default `coder`. */
  clientId: nonEmpty("OAuth client id").regex(/^[\x21-\x7e]{0,255}$/, {
    error: "must be 1 to 255 printable ASCII characters without spaces (OAuth client id; Keycloak keeps at most 255)",
  }).default("coder"),
  /**
   * The client id Coder uses today (its `CODER_OIDC_CLIENT_ID`), to take that client over instead of creating one:
   * the stack finds it at the IdP and imports it (Pulumi's `import` option), keeping its id and, where the IdP
   * allows, its secret; then sets the refresh-token settings. Not with Google (no API). Leaving it set after the
   * first `up` is harmless. Default: none (a new client).
   */
  adoptClientId: nonEmpty("the client id Coder uses today").regex(/^[\x21-\x7e]{0,255}$/, {
    error: "must be 1 to 255 printable ASCII characters without spaces (the CODER_OIDC_CLIENT_ID Coder uses today)",
  }).optional(),
  /** The client's name as users see it on consent screens. Default `Coder`. */
  displayName: nonEmpty("display name").default("Coder"),
  /** Scopes requested after the IdP's own, e.g. `[groups]`; duplicates dropped, order kept. */
  extraScopes: z
    .array(
      z.string({ error: "must be a string" }).regex(SCOPE_TOKEN, {
        error: "must be an OAuth scope: printable ASCII without spaces, quotes or backslashes",
      }),
      { error: "must be a list of scopes, e.g. [groups]" },
    )
    .default([]),
  /** Token lifetimes. */
  tokens: tokensSchema.default({}),
  /**
   * `off` (default): refresh tokens do not rotate. `on`: they rotate, and the previous one keeps working for
   * refreshTokenReuseWindow, so Coder's concurrent refreshes are not refused; only on IdPs that have such a window.
   */
  refreshTokenRotation: z.enum(["off", "on"], { error: "must be off or on" }).default("off"),
  /** With refreshTokenRotation: on, how long a rotated refresh token keeps working (required then; IdP's range). */
  refreshTokenReuseWindow: duration.optional(),
  /** Keycloak settings; required when idp is keycloak. */
  keycloak: keycloakSchema.optional(),
  /** Entra ID settings; required when idp is entra-id. */
  entraId: entraIdSchema.optional(),
  /** Google settings; required when idp is google. */
  google: googleSchema.optional(),
  /** PingFederate settings; required when idp is pingfederate. */
  pingfederate: pingfederateSchema.optional(),
  /** Okta settings; required when idp is okta. */
  okta: oktaSchema.optional(),
  /** Auth0 settings; optional (defaults) when idp is auth0. */
  auth0: auth0Schema.optional(),
});

/** Token lifetimes in seconds. */
export type TokenLifetimes = z.infer<typeof tokensSchema>;
/** Parsed `coder-oidc:keycloak`. */
export type KeycloakSettings = z.infer<typeof keycloakSchema>;
/** Parsed `coder-oidc:entraId`. */
export type EntraIdSettings = z.infer<typeof entraIdSchema>;
/** Parsed `coder-oidc:google`. */
export type GoogleSettings = z.infer<typeof googleSchema>;
/** Parsed `coder-oidc:pingfederate`. */
export type PingFederateSettings = z.infer<typeof pingfederateSchema>;
/** Parsed `coder-oidc:okta`. */
export type OktaSettings = z.infer<typeof oktaSchema>;
/** Parsed `coder-oidc:auth0`. */
export type Auth0Settings = z.infer<typeof auth0Schema>;

/** `coder-oidc:auth0` when the stack leaves it out: every default. */
export const DEFAULT_AUTH0_SETTINGS: Auth0Settings = auth0Schema.parse({});

/** Which config object holds each IdP's settings. */
export const IDP_CONFIG_KEY = {
  keycloak: "keycloak",
  "entra-id": "entraId",
  google: "google",
  pingfederate: "pingfederate",
  okta: "okta",
  auth0: "auth0",
} as const satisfies Record<IdpKind, keyof z.infer<typeof topLevelSchema>>;

/** The whole, validated stack configuration. */
export type StackConfig = z.infer<typeof topLevelSchema> & {
  /** Keys of each provider namespace (`keycloak:url` → `providers.keycloak.values.url`), as strings. */
  readonly providers: Readonly<Record<ProviderNamespace, ProviderConnection>>;
  /** Full keys whose values are secrets (`pulumi config set --secret`). */
  readonly secretKeys: ReadonlySet<string>;
};

/** Raw stack config: every `ns:key` and its string value, as the Pulumi engine hands it over. */
export interface RawStackConfig {
  /** `ns:key` → value; structured values are JSON text. */
  readonly values: Readonly<Record<string, string>>;
  /** Full keys whose values are secrets. */
  readonly secretKeys: ReadonlySet<string>;
  /**
   * The environment variables the program sees, for the ones that config replaced (`PINGFEDERATE_ADOPT_CLIENT`).
   * Default: none.
   */
  readonly environment?: Readonly<Record<string, string | undefined>>;
  /**
   * The exact paths of secret values inside structured keys (`coder-oidc:google.clientSecret`), when known:
   * the offline plan reads them from the stack file. The engine tells only which top-level keys hold one.
   */
  readonly secretPaths?: ReadonlySet<string>;
  /**
   * Keys whose value was written as a map or list, when known (the offline plan reads the stack file): a
   * string key given a map is then an error. The engine hands both over as text, indistinguishably.
   */
  readonly structuredKeys?: ReadonlySet<string>;
}

// ---------------------------------------------------------------------------------------------------
// Parsing

/** `coder-oidc:tokens.refreshIdleTimeout`, `coder-oidc:extraScopes[1]`. */
function keyOf(path: readonly PropertyKey[]): string {
  let key = CONFIG_NAMESPACE + ":";
  path.forEach((part, i) => {
    key += typeof part === "number" ? `[${part}]` : `${i === 0 ? "" : "."}${String(part)}`;
  });
  return key;
}

const UNKNOWN_KEY = "is not a known setting (check the spelling)";

/** The raw value at `path` below `root`, or undefined. */
function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let value = root;
  for (const part of path) {
    if (typeof value !== "object" || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[part];
  }
  return value;
}

function problemsOf(error: z.ZodError, prefix: readonly PropertyKey[], raw: unknown): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const issue of error.issues) {
    const path = [...prefix, ...issue.path];
    if (issue.code === "unrecognized_keys") {
      const known = Object.keys(objectShapeAt(path));
      for (const unknown of issue.keys) problems.push({ key: keyOf([...path, unknown]), message: UNKNOWN_KEY + didYouMean(unknown, known) });
    } else if (valueAt(raw, path) === undefined) {
      problems.push({ key: keyOf(path), message: "is required" });
    } else {
      problems.push({ key: keyOf(path), message: issue.message });
    }
  }
  return problems;
}

type SchemaDef = { type: string; innerType?: z.ZodType; in?: z.ZodType; shape?: Record<string, z.ZodType> };

/** The definition under optional/default/transform wrappers. */
function coreDef(schema: z.ZodType | undefined): SchemaDef | undefined {
  let def = schema?._zod.def as SchemaDef | undefined;
  while (def && (def.innerType || def.in)) def = (def.innerType ?? def.in)!._zod.def as SchemaDef;
  return def;
}

/** The fields of the object schema at `path` (`[]`: the top level), for suggestions. */
function objectShapeAt(path: readonly PropertyKey[]): Record<string, z.ZodType> {
  let shape: Record<string, z.ZodType> = topLevelSchema.shape;
  for (const part of path) shape = coreDef(shape[String(part)])?.shape ?? {};
  return shape;
}

/** Top-level keys whose values are maps or lists: the engine hands them over as JSON text. */
function isStructuredKey(key: string): boolean {
  const def = coreDef((topLevelSchema.shape as Record<string, z.ZodType | undefined>)[key]);
  return def?.type === "object" || def?.type === "array";
}

/**
 * Turns a raw config value into what the schema expects: structured keys arrive as JSON text, every other key
 * takes its text as it is (a display name may well start with `[`). A secret is never quoted back.
 */
function decodeValue(key: string, text: string, secret: boolean, writtenStructured = false): { value: unknown } | { error: string } {
  if (!isStructuredKey(key)) {
    if (writtenStructured && key in topLevelSchema.shape) {
      return { error: "must be a single value, not a map or list (quote it in the stack file if it is text)" };
    }
    return { value: text };
  }
  const trimmed = text.trim();
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
    try {
      return { value: JSON.parse(trimmed) };
    } catch (err) {
      const why = secret ? "the value is a secret, so it is not shown" : (err as Error).message;
      return { error: `is not a valid map or list (set it with --path, or fix the stack file): ${why}` };
    }
  }
  return { value: text };
}

/** Namespaces read by Pulumi itself, not by a provider: passed through unchecked. */
const PASSED_NAMESPACES: readonly string[] = ["pulumi"];

/** Every namespace a stack of this project may hold keys in. */
function knownNamespaces(): string[] {
  return [CONFIG_NAMESPACE, ...PROVIDER_NAMESPACES, ...PASSED_NAMESPACES];
}

/** A namespace nothing here reads: a typo (`coder-odic:idp`) would otherwise pass silently. */
function unknownNamespaceProblem(namespace: string, keys: readonly string[]): ConfigProblem {
  const more = keys.length > 1 ? ` (and ${keys.length - 1} more key${keys.length > 2 ? "s" : ""} in "${namespace}:")` : "";
  return {
    key: keys[0],
    message: `is in the namespace "${namespace}", which this project does not read${didYouMean(namespace, knownNamespaces())}; ` +
      `the namespaces read are ${knownNamespaces().join(", ")}${more}`,
  };
}

/** Every secret value of `raw` (whole values and the strings inside them), to keep out of messages. */
function secretValuesOf(raw: RawStackConfig): string[] {
  const found = new Set<string>();
  const walk = (value: unknown) => {
    if (typeof value === "string") found.add(value);
    else if (Array.isArray(value)) value.forEach(walk);
    else if (typeof value === "object" && value !== null) Object.values(value).forEach(walk);
  };
  for (const key of raw.secretKeys) {
    const text = raw.values[key];
    if (text === undefined) continue;
    found.add(text);
    try {
      walk(JSON.parse(text));
    } catch {
      // a plain string: added whole above
    }
  }
  found.delete(OFFLINE_SECRET_PLACEHOLDER);
  return [...found].filter((v) => v.trim().length > 0);
}

/**
 * The problems with every secret value taken out of their messages. A message quotes any value it shows
 * (`got "…"`), so a secret is replaced wherever it stands quoted, as written or JSON-escaped, whatever its length;
 * a long one (8 characters or more) wherever it appears, e.g. inside a URL. Under the engine a whole section is
 * secret when one field is, so short words of that section (`auto`) are left alone where they are not quoted.
 */
function withoutSecrets(problems: readonly ConfigProblem[], raw: RawStackConfig): ConfigProblem[] {
  const secretValues = secretValuesOf(raw).sort((a, b) => b.length - a.length);
  if (secretValues.length === 0) return [...problems];
  return problems.map((p) => {
    let message = p.message;
    for (const secret of secretValues) {
      for (const form of new Set([secret, JSON.stringify(secret).slice(1, -1)])) {
        message = form.length >= 8
          ? message.split(form).join(REDACTED)
          : message.split(`"${form}"`).join(`"${REDACTED}"`);
      }
    }
    return { key: p.key, message };
  });
}

/** What stands in a message for a secret value. */
const REDACTED = "[secret]";

/** The object-valued keys, whose fields are parsed one by one when the whole fails, so no problem hides another. */
const SECTION_SCHEMAS: Readonly<Record<string, z.ZodObject>> = {
  tokens: tokensSchema,
  keycloak: keycloakSchema,
  entraId: entraIdSchema,
  google: googleSchema,
  pingfederate: pingfederateSchema,
  okta: oktaSchema,
  auth0: auth0Schema,
};

/** The fields of `value` that `schema` accepts on their own, for the rules that span fields. */
function partialSection(schema: z.ZodObject, value: unknown): Record<string, unknown> | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const partial: Record<string, unknown> = {};
  for (const [field, fieldSchema] of Object.entries(schema.shape)) {
    const result = (fieldSchema as z.ZodType).safeParse((value as Record<string, unknown>)[field]);
    if (result.success) partial[field] = result.data;
  }
  return partial;
}

/**
 * Whether `<section>.<field>` was set with `--secret`: exactly, where the stack file's paths are known;
 * otherwise as well as the engine can tell, by its top-level key.
 */
function isSecretField(raw: RawStackConfig, section: string, field: string): boolean {
  const key = `${CONFIG_NAMESPACE}:${section}`;
  return raw.secretPaths ? raw.secretPaths.has(`${key}.${field}`) : raw.secretKeys.has(key);
}

/** Rules that span several keys, checked once every key parsed on its own. */
function crossFieldProblems(
  config: Partial<z.infer<typeof topLevelSchema>>,
  raw: RawStackConfig,
  own: Readonly<Record<string, unknown>>,
  now: number,
): ConfigProblem[] {
  const { problems, add } = problemList();
  const { tokens = {}, idp, extraScopes = [] } = config;

  // Okta's defaults are its access policy rule's, on a custom authorization server (the org server takes no tokens).
  const oktaOrgServer = idp === "okta" && (config.okta?.authorizationServer ?? OKTA_ORG_AUTHORIZATION_SERVER) === OKTA_ORG_AUTHORIZATION_SERVER;
  const defaults = idp === undefined || oktaOrgServer ? undefined : IDP_DEFAULT_LIFETIMES[idp];
  const label = idp === undefined ? "" : IDP_SETTINGS[idp].label;
  // A lifetime the IdP refuses outright is left out of the order rules; one outside the IdP's range gets that
  // problem alone, not one against a default: the range's hint is then the one to follow.
  const settable = Object.fromEntries(Object.entries(tokens).filter(([key]) =>
    idp === undefined || (!oktaOrgServer && lifetimeSettable(idp, key as keyof TokenLifetimes)))) as Partial<TokenLifetimes>;
  const inRange = Object.fromEntries(Object.entries(settable).filter(([key, seconds]) =>
    seconds !== undefined && idp !== undefined && lifetimeInRange(idp, key as keyof TokenLifetimes, seconds))) as Partial<TokenLifetimes>;
  lifetimeOrderProblems(inRange, "accessTokenLifetime", "refreshIdleTimeout", defaults, label, add,
    ", or refreshes fail before the access token even expires", settable);
  lifetimeOrderProblems(inRange, "refreshIdleTimeout", "refreshMaxLifetime", defaults, label, add, "", settable);

  if (raw.secretKeys.has(`${CONFIG_NAMESPACE}:coderUrl`)) {
    add(["coderUrl"], "must not be set with --secret: Coder's access URL is public (every browser is sent there) and " +
      "is written in plain text into the IdP's redirect URIs and the state, so it would not stay secret; set it with " +
      "pulumi config set coder-oidc:coderUrl <url>");
  }

  // The rest depends on which IdP; an invalid `idp` was reported already.
  if (idp === undefined) return problems;
  const settings = IDP_SETTINGS[idp];
  const section = IDP_CONFIG_KEY[idp];
  if (idp !== "auth0" && config[section] === undefined && raw.values[`${CONFIG_NAMESPACE}:${section}`] === undefined) {
    add([section], `is required when idp is ${idp}`);
  }

  if (idp !== "keycloak" && idp !== "pingfederate" && raw.values[`${CONFIG_NAMESPACE}:clientId`] !== undefined) {
    add(["clientId"], idp === "google"
      ? "is not used with Google: set coder-oidc:google.clientId to the OAuth client you created"
      : idp === "entra-id"
        ? "is not used with Entra ID: Entra assigns the application (client) id; remove coder-oidc:clientId"
        : `is not used with ${settings.label}: ${settings.label} assigns the client id; remove coder-oidc:clientId`);
  }

  if (!settings.acceptsOfflineAccessScope && extraScopes.includes(OFFLINE_ACCESS_SCOPE)) {
    add(["extraScopes"],
      `must not include ${OFFLINE_ACCESS_SCOPE}: ${settings.label} rejects it with invalid_scope; refresh tokens ` +
      `come from the access_type=offline and prompt=consent auth URL params, which this stack already sets`);
  }

  if (idp === "google") {
    for (const key of Object.keys(tokens)) {
      add(["tokens", key], "cannot be set with Google: Google owns its token lifetimes; remove coder-oidc:tokens");
    }
    if (config.google?.secretManager && config.google.secretManager.project === undefined && !raw.values["gcp:project"]) {
      add(["google", "secretManager", "project"], "is required unless gcp:project is set");
    }
  }

  if (idp === "entra-id") {
    for (const key of ["refreshIdleTimeout", "refreshMaxLifetime"] as const) {
      if (tokens[key] !== undefined) {
        add(["tokens", key],
          "cannot be set with Entra ID: its refresh tokens live 90 days, fixed by Microsoft; to shorten sessions " +
          "set coder-oidc:entraId.signInFrequency (Conditional Access, needs Entra ID P1)");
      }
    }
    if (tokens.accessTokenLifetime !== undefined) {
      add(["tokens", "accessTokenLifetime"],
        "cannot be set with Entra ID by this toolkit: Entra decides access-token lifetimes (60-90 minutes)");
    }
    const entra = config.entraId;
    if (entra) {
      const providerTenant = raw.values["azuread:tenantId"];
      if (entra.tenantId === undefined && !providerTenant) {
        add(["entraId", "tenantId"], "is required unless azuread:tenantId is set");
      }
      const written = entra.tenantId ?? providerTenant;
      // A tenant set with --secret is checked when the engine runs, where it is decrypted; offline the issuer is unknown.
      const tenant = written === OFFLINE_SECRET_PLACEHOLDER ? undefined : written;
      if (tenant && !ENTRA_TENANT_GUID.test(tenant)) {
        problems.push({
          key: entra.tenantId !== undefined ? keyOf(["entraId", "tenantId"]) : "azuread:tenantId",
          message: `must be the directory (tenant) id, a GUID such as 3f2504e0-4f89-41d3-9a0c-0305e82c3301, got "${tenant}": ` +
            "Entra's discovery document names its issuer by that GUID, and Coder refuses an issuer URL that differs",
        });
      }
      if (tenant && ENTRA_TENANT_GUID.test(tenant) && tenant !== tenant.toLowerCase()) {
        problems.push({
          key: entra.tenantId !== undefined ? keyOf(["entraId", "tenantId"]) : "azuread:tenantId",
          message: `must be written in lowercase, "${tenant.toLowerCase()}", got "${tenant}": Entra's discovery document ` +
            "names its issuer by the lowercase GUID, and Coder compares the issuer character for character",
        });
      }
      const cloud = raw.values["azuread:environment"];
      if (cloud !== undefined && cloud !== OFFLINE_SECRET_PLACEHOLDER && !["global", "public"].includes(cloud.trim().toLowerCase())) {
        problems.push({ key: "azuread:environment", message: `is "${cloud}": this toolkit outputs the global cloud's issuer ` +
          "(https://login.microsoftonline.com/<tenant>/v2.0) only, and a national cloud publishes another; remove it, or " +
          "set CODER_OIDC_ISSUER_URL from that cloud's discovery document yourself" });
      }
      if (raw.values["azuread:metadataHost"] !== undefined) {
        problems.push({ key: "azuread:metadataHost", message: "is not supported with Entra ID here: the issuer this toolkit " +
          "outputs is the global cloud's (https://login.microsoftonline.com/<tenant>/v2.0), which another metadata host does not publish" });
      }
      if (entra.tenantId !== undefined && providerTenant && entra.tenantId.toLowerCase() !== providerTenant.toLowerCase() &&
          entra.tenantId !== OFFLINE_SECRET_PLACEHOLDER && providerTenant !== OFFLINE_SECRET_PLACEHOLDER) {
        add(["entraId", "tenantId"],
          `differs from azuread:tenantId ("${providerTenant}"): the app would be created in one tenant while Coder's issuer ` +
          "names another; set only one of them, or both to the same id");
      }
      const rotation = entra.secretRotation;
      const issued = rotation === undefined ? undefined : parseUtcMonthOrDay(rotation);
      if (rotation === undefined) {
        add(["entraId", "secretRotation"],
          'is required with Entra ID: the UTC month or day the client secret is issued, e.g. "2026-11" or "2026-11-28"; ' +
          "the secret's endDate is that date plus secretLifetime, the same on every run, and changing it issues a new secret");
      } else if (issued === undefined) {
        add(["entraId", "secretRotation"],
          `must be a UTC month or day, e.g. "2026-11" or "2026-11-28", got "${rotation}": it anchors the client ` +
          "secret's endDate (that date plus secretLifetime)");
      } else if (issued > now) {
        add(["entraId", "secretRotation"],
          `must not be in the future, got "${rotation}": the client secret would outlive secretLifetime; ` +
          `set it to the month or day the secret is issued${rotationHint(now, entra.secretLifetime)}`);
      } else if (issued + entra.secretLifetime * 1000 <= now) {
        add(["entraId", "secretRotation"],
          `names a client secret that has already ended, on ${new Date(issued + entra.secretLifetime * 1000).toISOString().replace(".000Z", "Z")} ` +
          `("${rotation}" + secretLifetime ${formatDuration(entra.secretLifetime)}): Entra would issue a secret that no ` +
          `login can use; set it to the month or day the new secret is issued${rotationHint(now, entra.secretLifetime)}`);
      }
      const previous = entra.previousSecretRotation;
      if (previous !== undefined) {
        const previousIssued = parseUtcMonthOrDay(previous);
        if (previousIssued === undefined) {
          add(["entraId", "previousSecretRotation"],
            `must be a UTC month or day, e.g. "2026-11" or "2026-11-28", got "${previous}": the secretRotation value before ` +
            "the last rotation, whose secret is kept until Coder has the new one");
        } else if (issued !== undefined && previousIssued >= issued) {
          add(["entraId", "previousSecretRotation"],
            `must be earlier than secretRotation ("${rotation}"), got "${previous}": it names the secret being replaced`);
        }
      }
      if (entra.secretLifetime > ENTRA_SECRET_MAX_LIFETIME_SECONDS) {
        add(["entraId", "secretLifetime"], "must be at most 730d (Microsoft's limit is two years)");
      }
      const frequency = entra.signInFrequency;
      if (frequency !== undefined && frequency % 3600 !== 0) {
        add(["entraId", "signInFrequency"], "must be whole hours or days, e.g. 12h or 7d (Conditional Access has no finer unit)");
      } else if (frequency !== undefined && frequency > ENTRA_SIGN_IN_FREQUENCY_MAX_SECONDS) {
        add(["entraId", "signInFrequency"], "must be at most 365d: Conditional Access sign-in frequency goes up to 365 days");
      }
    }
  }

  if (idp === "keycloak" && !raw.values["keycloak:url"]) {
    problems.push({ key: "keycloak:url", message: "is required: the Keycloak base URL, e.g. https://sso.example.com" });
  }
  if (idp === "keycloak" && raw.values["keycloak:url"]) {
    const parsed = httpsUrl("Keycloak base URL", true, false, { kind: "base", idp: "Keycloak" }).safeParse(raw.values["keycloak:url"]);
    if (!parsed.success) problems.push({ key: "keycloak:url", message: parsed.error.issues[0].message });
  }

  const keycloakIssuer = idp === "keycloak" ? config.keycloak?.issuerUrl : undefined;
  if (keycloakIssuer !== undefined && keycloakIssuer !== OFFLINE_SECRET_PLACEHOLDER && config.keycloak?.realm !== undefined) {
    // An explicit issuer still names the stack's own realm: Coder would otherwise trust another realm's logins.
    const realm = config.keycloak.realm;
    const { origin, pathname } = new URL(keycloakIssuer);
    const named = /\/realms\/([^/]+)$/.exec(pathname)?.[1];
    const form = `${origin}${named === undefined ? pathname : pathname.slice(0, -named.length - "/realms/".length)}/realms/${encodeURIComponent(realm)}`;
    if (named !== encodeURIComponent(realm)) {
      add(["keycloak", "issuerUrl"], named === undefined
        ? `must end in /realms/<realm>, as Keycloak's issuers do, e.g. "${form}", got "${keycloakIssuer}"`
        : `names the realm "${decodeURIComponent(named)}", not this stack's realm "${realm}" (coder-oidc:keycloak.realm), ` +
          `whose issuer is "${form}": Coder would trust another realm than the one its client is in`);
    }
  }

  if (idp === "pingfederate" && config.clientId !== undefined) {
    const inPath = pathSafeId("PingFederate client id, part of the admin API path /oauth/clients/<id>").safeParse(config.clientId);
    if (!inPath.success) add(["clientId"], inPath.error.issues[0].message);
  }

  if (idp === "pingfederate") {
    for (const key of ["refreshIdleTimeout", "refreshMaxLifetime"] as const) {
      const seconds = tokens[key];
      if (seconds !== undefined && seconds % 60 !== 0) {
        add(["tokens", key], `must be whole minutes for PingFederate (its finest unit), got ${formatDuration(seconds)}`);
      }
    }
  }

  for (const [section, field] of CONFIG_CREDENTIAL_FIELDS) {
    if (valueAt(own, [section, field]) !== undefined && !isSecretField(raw, section, field)) {
      add([section, field], `must be a secret: ${setSecretCommand(`${section}.${field}`, true)}`);
    }
  }
  if (idp === "pingfederate") {
    // Presence is read from the raw values: a field that failed its own check is still there to check here.
    const has = (field: string) => valueAt(own, ["pingfederate", field]) !== undefined;
    if (has("password") && !has("username")) {
      add(["pingfederate", "username"], "is required when pingfederate.password is set");
    }
    if (has("token") && (has("username") || has("password"))) {
      add(["pingfederate", "token"], "excludes pingfederate.username and pingfederate.password: choose one way to log in");
    }
    if (has("rollRefreshTokens")) {
      add(["pingfederate", "rollRefreshTokens"],
        "is replaced by coder-oidc:refreshTokenRotation: remove it; refreshTokenRotation off (the default) sets " +
        "refreshRolling DONT_ROLL, on (with coder-oidc:refreshTokenReuseWindow) sets ROLL with that grace period");
    }
  }

  problems.push(...adoptionProblems(config, raw, idp));
  problems.push(...rotationProblems(config, idp, valueAt(own, ["refreshTokenReuseWindow"]) !== undefined));
  if (idp === "okta") problems.push(...oktaProblems(config, raw));
  if (idp === "auth0") problems.push(...auth0Problems(config, raw));
  return problems;
}

/** The environment variable that adopted a PingFederate client before `coder-oidc:adoptClientId` replaced it. */
export const LEGACY_PINGFEDERATE_ADOPT_ENV = "PINGFEDERATE_ADOPT_CLIENT";

/**
 * The form of a client id each IdP assigns, for `adoptClientId` (Keycloak and PingFederate let the admin choose it:
 * checked as `clientId` is). Okta's generated client id is the app's id (`0oa…`), which the stack looks the app up by.
 */
const ADOPT_ID_FORMS: Partial<Record<IdpKind, { pattern: RegExp; form: string }>> = {
  "entra-id": { pattern: ENTRA_TENANT_GUID, form: "the application (client) id, a GUID such as 3f2504e0-4f89-41d3-9a0c-0305e82c3301" },
  okta: { pattern: /^0oa[A-Za-z0-9]{6,30}$/, form: "the OIDC app's client id as Okta generated it, 0oa… (the app's id)" },
  auth0: { pattern: /^[A-Za-z0-9]{32}$/, form: "the application's Client ID, 32 letters and digits" },
};

/** `coder-oidc:adoptClientId` against the IdP and `clientId`; the environment variable it replaced. */
function adoptionProblems(config: Partial<z.infer<typeof topLevelSchema>>, raw: RawStackConfig, idp: IdpKind): ConfigProblem[] {
  const { problems, add } = problemList();
  const legacy = raw.environment?.[LEGACY_PINGFEDERATE_ADOPT_ENV];
  if (legacy !== undefined) {
    problems.push({
      key: LEGACY_PINGFEDERATE_ADOPT_ENV,
      message: `is replaced by coder-oidc:adoptClientId: unset it and run pulumi config set coder-oidc:adoptClientId ${JSON.stringify(legacy)}; ` +
        "the stack then imports that client (its secret kept) instead of issuing a new secret",
    });
  }
  const adopt = config.adoptClientId;
  if (adopt === undefined) return problems;
  if (idp === "google") {
    add(["adoptClientId"],
      "cannot be used with Google: Google has no API for its OAuth clients, so there is nothing to import; the stack " +
      "already uses the client you made: set coder-oidc:google.clientId to its client id and coder-oidc:google.clientSecret " +
      "(pulumi config set --secret --path 'google.clientSecret') to its secret, and remove adoptClientId");
    return problems;
  }
  const form = ADOPT_ID_FORMS[idp];
  if (form && !form.pattern.test(adopt)) {
    add(["adoptClientId"], `must be ${form.form} for ${IDP_SETTINGS[idp].label}, got "${adopt}"`);
  }
  if (idp === "pingfederate" && !isPathSafeId(adopt)) {
    add(["adoptClientId"], `must be ${PATH_SAFE_ID_RULE} (PingFederate client id, part of the admin API path /oauth/clients/<id>), got "${adopt}"`);
  }
  const named = raw.values[`${CONFIG_NAMESPACE}:clientId`];
  if ((idp === "keycloak" || idp === "pingfederate") && named !== undefined && named.trim() !== adopt) {
    add(["adoptClientId"],
      `differs from coder-oidc:clientId ("${named.trim()}"): the adopted client keeps its id, so the stack cannot name it ` +
      "otherwise; remove coder-oidc:clientId (it defaults to adoptClientId) or set both to the same id");
  }
  return problems;
}

/** What each lifetime is, in words. */
const LIFETIME_WORDS: Readonly<Record<keyof TokenLifetimes, string>> = {
  accessTokenLifetime: "access-token lifetime",
  refreshIdleTimeout: "refresh-token idle timeout",
  refreshMaxLifetime: "refresh-token max lifetime",
};

/**
 * `tokens.<longer>` ≥ `tokens.<shorter>`, also when one side is unset and the IdP's fixed default applies
 * ({@link IDP_DEFAULT_LIFETIMES}): the explicit side is refused, with the default named and the bound to write,
 * which always passes this rule and the IdP's ranges (the defaults lie within them).
 */
function lifetimeOrderProblems(
  tokens: Partial<TokenLifetimes>,
  shorter: keyof TokenLifetimes,
  longer: keyof TokenLifetimes,
  defaults: DefaultLifetimes | undefined,
  label: string,
  add: (path: readonly PropertyKey[], message: string) => void,
  why: string,
  written: Partial<TokenLifetimes>,
): void {
  if (written[shorter] !== undefined && written[longer] !== undefined) {
    if (written[longer] < written[shorter]) add(["tokens", longer], `must be at least tokens.${shorter}${why}`);
    return;
  }
  const low = tokens[shorter];
  const high = tokens[longer];
  const defaultHigh = defaults?.[longer];
  if (low !== undefined && defaultHigh !== undefined && defaultHigh < low) {
    add(["tokens", shorter], `must be at most ${formatDuration(defaultHigh)}, ${label}'s default ${LIFETIME_WORDS[longer]}, which ` +
      `applies as tokens.${longer} is unset (${defaults!.source}), got ${formatDuration(low)}; or set tokens.${longer} too`);
  }
  const defaultLow = defaults?.[shorter];
  if (high !== undefined && defaultLow !== undefined && high < defaultLow) {
    add(["tokens", longer], `must be at least ${formatDuration(defaultLow)}, ${label}'s default ${LIFETIME_WORDS[shorter]}, which ` +
      `applies as tokens.${shorter} is unset (${defaults!.source}), got ${formatDuration(high)}${why}; or set tokens.${shorter} too`);
  }
}

/**
 * The `secretRotation` to write now: this UTC month, or today when the month's secret would already have ended;
 * only a value later than `after` (the rotation being replaced). Undefined when none is valid (a secretLifetime
 * shorter than today so far). Every value it gives passes the secretRotation checks at `now`.
 */
export function suggestedSecretRotation(now: number, lifetimeSeconds: number, after?: number): string | undefined {
  const today = new Date(now).toISOString().slice(0, 10);
  for (const text of [today.slice(0, 7), today]) {
    const issued = parseUtcMonthOrDay(text)!;
    if (issued + lifetimeSeconds * 1000 > now && (after === undefined || issued > after)) return text;
  }
  return undefined;
}

/** The end of a secretRotation message: the value to write, or why there is none. */
function rotationHint(now: number, lifetimeSeconds: number): string {
  const suggestion = suggestedSecretRotation(now, lifetimeSeconds);
  return suggestion !== undefined
    ? `, e.g. "${suggestion}"`
    : ` (no date works with secretLifetime ${formatDuration(lifetimeSeconds)}: a secret issued today would already ` +
      "have ended; lengthen secretLifetime, e.g. 180d)";
}

/**
 * Whether this toolkit sets `key` at the IdP at all (Google and Entra ID own their lifetimes; Auth0 its access
 * token's; Okta's org server, checked by the caller, all of them): such a key is refused on its own.
 */
function lifetimeSettable(idp: IdpKind, key: keyof TokenLifetimes): boolean {
  return idp !== "google" && idp !== "entra-id" && !(idp === "auth0" && key === "accessTokenLifetime");
}

/** Whether `seconds` is a value the IdP takes for `key` (its unit and range), as {@link oktaProblems} and {@link auth0Problems} check. */
function lifetimeInRange(idp: IdpKind, key: keyof TokenLifetimes, seconds: number): boolean {
  if (idp === "okta") {
    const range = key === "accessTokenLifetime" ? OKTA_ACCESS_TOKEN_MINUTES : OKTA_REFRESH_MINUTES;
    return seconds % 60 === 0 && seconds / 60 >= range.min && seconds / 60 <= range.max;
  }
  return idp !== "auth0" || seconds <= AUTH0_MAX_REFRESH_SECONDS;
}

/** A list of problems and the function that adds one at a config path. */
function problemList(): { problems: ConfigProblem[]; add: (path: readonly PropertyKey[], message: string) => void } {
  const problems: ConfigProblem[] = [];
  return { problems, add: (path, message) => problems.push({ key: keyOf(path), message }) };
}

/** `refreshTokenRotation` and `refreshTokenReuseWindow`, against what the IdP can do (the table in ./idps). */
function rotationProblems(config: Partial<z.infer<typeof topLevelSchema>>, idp: IdpKind, windowSet: boolean): ConfigProblem[] {
  const { problems, add } = problemList();
  const { label, rotation } = IDP_SETTINGS[idp];
  const window = config.refreshTokenReuseWindow;
  const reuse: ReuseWindowSupport | undefined = "reuseWindow" in rotation ? rotation.reuseWindow : undefined;
  if (config.refreshTokenRotation === "on") {
    if (!reuse) {
      add(["refreshTokenRotation"], `cannot be on with ${label}: ${"refusal" in rotation ? rotation.refusal : ""}`);
    } else if (!windowSet) {
      add(["refreshTokenReuseWindow"],
        `is required with refreshTokenRotation: on: rotation without a reuse window signs users out at random, ` +
        `because Coder refreshes several times at once and ${label} refuses all but one with invalid_grant ` +
        `(coder/coder#25275); set ${formatDuration(reuse.minSeconds)} to ${formatDuration(reuse.maxSeconds)} (${reuse.field})`);
    }
  }
  if (window !== undefined) {
    if (config.refreshTokenRotation !== "on") {
      add(["refreshTokenReuseWindow"], "applies only with coder-oidc:refreshTokenRotation: on");
    } else if (reuse && (window < reuse.minSeconds || window > reuse.maxSeconds)) {
      add(["refreshTokenReuseWindow"],
        `must be between ${formatDuration(reuse.minSeconds)} and ${formatDuration(reuse.maxSeconds)} for ${label} ` +
        `(${reuse.field}; ${reuse.source}), got ${formatDuration(window)}`);
    }
  }
  return problems;
}

/** Okta's token ranges (minutes), from @pulumi/okta's ServerPolicyRule documentation. */
const OKTA_ACCESS_TOKEN_MINUTES = { min: 5, max: 1440 } as const;
const OKTA_REFRESH_MINUTES = { min: 5, max: 2_628_000 } as const;

function oktaProblems(config: Partial<z.infer<typeof topLevelSchema>>, raw: RawStackConfig): ConfigProblem[] {
  const { problems, add } = problemList();
  const orgName = raw.values["okta:orgName"];
  if (!orgName) {
    problems.push({ key: "okta:orgName", message: "is required: your Okta org's subdomain, e.g. dev-123456 for dev-123456.okta.com" });
  } else if (orgName === OFFLINE_SECRET_PLACEHOLDER) {
    // Set with --secret: checked when the engine runs, where it is decrypted.
  } else if (!/^[A-Za-z0-9][A-Za-z0-9-]*$/.test(orgName)) {
    problems.push({ key: "okta:orgName", message: `must be the org's subdomain only, e.g. dev-123456 (no scheme or dots), got "${orgName}"` });
  } else if (orgName !== orgName.toLowerCase()) {
    problems.push({ key: "okta:orgName", message: `must be written in lowercase, "${orgName.toLowerCase()}", got "${orgName}": ` +
      ISSUER_HOST_CASE });
  }
  const baseUrl = raw.values["okta:baseUrl"];
  if (baseUrl !== undefined && baseUrl !== OFFLINE_SECRET_PLACEHOLDER && !hostName("").safeParse(baseUrl).success) {
    problems.push({ key: "okta:baseUrl", message: `must be Okta's domain, e.g. okta.com or oktapreview.com (no scheme), got "${baseUrl}"` });
  } else if (baseUrl !== undefined && baseUrl !== baseUrl.toLowerCase()) {
    problems.push({ key: "okta:baseUrl", message: `must be written in lowercase, "${baseUrl.toLowerCase()}", got "${baseUrl}": ${ISSUER_HOST_CASE}` });
  }
  const { tokens = {}, okta } = config;
  const orgServer = (okta?.authorizationServer ?? OKTA_ORG_AUTHORIZATION_SERVER) === OKTA_ORG_AUTHORIZATION_SERVER;
  for (const [key, seconds] of Object.entries(tokens) as [keyof TokenLifetimes, number | undefined][]) {
    if (seconds === undefined) continue;
    if (orgServer) {
      add(["tokens", key], "cannot be set with Okta's org authorization server (coder-oidc:okta.authorizationServer: org), " +
        "whose lifetimes are fixed: use a custom authorization server, e.g. coder-oidc:okta.authorizationServer: default");
      continue;
    }
    const range = key === "accessTokenLifetime" ? OKTA_ACCESS_TOKEN_MINUTES : OKTA_REFRESH_MINUTES;
    if (seconds % 60 !== 0) {
      add(["tokens", key], `must be whole minutes for Okta (its unit), got ${formatDuration(seconds)}`);
    } else if (seconds / 60 < range.min || seconds / 60 > range.max) {
      add(["tokens", key], `must be between ${formatDuration(range.min * 60)} and ${formatDuration(range.max * 60)} for Okta, ` +
        `got ${formatDuration(seconds)}`);
    }
  }
  const groups = okta?.assignedGroups;
  if (Array.isArray(groups) && groups.some((id) => id.trim().toLowerCase() === OKTA_EVERYONE)) {
    const ids = groups.filter((id) => id.trim().toLowerCase() !== OKTA_EVERYONE);
    add(["okta", "assignedGroups"], ids.length === 0
      ? `must be the word everyone, not a list holding it: write coder-oidc:okta.assignedGroups: everyone`
      : `mixes everyone with group ids (${ids.join(", ")}): everyone already lets every user of the org sign in, so the ` +
        "ids would restrict nothing; write either assignedGroups: everyone, or the list of group ids alone");
  }
  if (okta?.groupsClaim && orgServer) {
    add(["okta", "groupsClaim"], "needs a custom authorization server (coder-oidc:okta.authorizationServer, e.g. default): " +
      "the claim is declared there");
  }
  return problems;
}

/** A tenant's own Auth0 domain (`<tenant>[.<region>].auth0.com`), never a custom domain. */
const AUTH0_TENANT_DOMAIN = /(^|\.)auth0\.com$/;

/** Why an issuer's host must be written in lowercase. */
const ISSUER_HOST_CASE = "the IdP publishes its issuer with a lowercase host, and Coder compares the issuer character for character";

/** Auth0's longest refresh-token lifetime (idle or absolute), from its Management API: 157788000 s, five years. */
const AUTH0_MAX_REFRESH_SECONDS = 157_788_000;

function auth0Problems(config: Partial<z.infer<typeof topLevelSchema>>, raw: RawStackConfig): ConfigProblem[] {
  const { problems, add } = problemList();
  const domain = raw.values["auth0:domain"];
  if (!domain) {
    problems.push({ key: "auth0:domain", message: "is required: the tenant's domain, e.g. example.us.auth0.com" });
  } else if (domain === OFFLINE_SECRET_PLACEHOLDER) {
    // Set with --secret: checked when the engine runs, where it is decrypted.
  } else if (!hostName("").safeParse(domain).success) {
    problems.push({ key: "auth0:domain", message: `must be the tenant's domain, e.g. example.us.auth0.com (no https:// or path), got "${domain}"` });
  } else if (domain !== domain.toLowerCase()) {
    problems.push({ key: "auth0:domain", message: `must be written in lowercase, "${domain.toLowerCase()}", got "${domain}": ${ISSUER_HOST_CASE}` });
  }
  const customDomain = config.auth0?.customDomain;
  if (customDomain !== undefined && customDomain !== customDomain.toLowerCase()) {
    add(["auth0", "customDomain"], `must be written in lowercase, "${customDomain.toLowerCase()}", got "${customDomain}": ${ISSUER_HOST_CASE}`);
  } else if (customDomain !== undefined && AUTH0_TENANT_DOMAIN.test(customDomain) && domain && domain !== OFFLINE_SECRET_PLACEHOLDER &&
      customDomain !== domain.toLowerCase()) {
    add(["auth0", "customDomain"], `is another Auth0 tenant's domain ("${customDomain}"), not a custom domain of this stack's ` +
      `tenant (auth0:domain "${domain}"): Coder would trust another tenant's logins; set the tenant's own custom domain, or remove it`);
  }
  const { tokens = {} } = config;
  if (tokens.accessTokenLifetime !== undefined) {
    add(["tokens", "accessTokenLifetime"],
      "cannot be set with Auth0 by this toolkit: Coder asks for no audience, so Auth0 issues its /userinfo access token, " +
      "whose lifetime is the tenant's, not the application's");
  }
  for (const key of ["refreshIdleTimeout", "refreshMaxLifetime"] as const) {
    const seconds = tokens[key];
    if (seconds !== undefined && seconds > AUTH0_MAX_REFRESH_SECONDS) {
      add(["tokens", key], `must be at most ${AUTH0_MAX_REFRESH_SECONDS}s (five years, Auth0's limit), got ${formatDuration(seconds)}`);
    }
  }
  return problems;
}

/**
 * Validates raw stack config and returns it typed, or throws a {@link ConfigError} listing every problem.
 * Pure: tests and the offline plan call it with hand-made or file-read values; `now` (default: the clock) is when
 * dates such as `entraId.secretRotation` are judged.
 */
export function parseStackConfig(raw: RawStackConfig, now: number = Date.now()): StackConfig {
  const problems: ConfigProblem[] = [];
  const own: Record<string, unknown> = {};
  const values = Object.fromEntries(PROVIDER_NAMESPACES.map((ns) => [ns, {}])) as Record<ProviderNamespace, Record<string, string>>;
  const secrets = Object.fromEntries(PROVIDER_NAMESPACES.map((ns) => [ns, new Set<string>()])) as Record<ProviderNamespace, Set<string>>;
  const strangers = new Map<string, string[]>();
  for (const [fullKey, text] of Object.entries(raw.values)) {
    const colon = fullKey.indexOf(":");
    const namespace = fullKey.slice(0, colon);
    const key = fullKey.slice(colon + 1);
    if (namespace === CONFIG_NAMESPACE) {
      const decoded = decodeValue(key, text, raw.secretKeys.has(fullKey), raw.structuredKeys?.has(fullKey));
      if ("error" in decoded) problems.push({ key: fullKey, message: decoded.error });
      else own[key] = decoded.value;
    } else if ((PROVIDER_NAMESPACES as readonly string[]).includes(namespace)) {
      values[namespace as ProviderNamespace][key] = text;
      if (raw.secretKeys.has(fullKey)) secrets[namespace as ProviderNamespace].add(key);
    } else if (!PASSED_NAMESPACES.includes(namespace)) {
      const keys = strangers.get(namespace) ?? [];
      keys.push(fullKey);
      strangers.set(namespace, keys);
    }
  }
  for (const [namespace, keys] of strangers) problems.push(unknownNamespaceProblem(namespace, keys));
  const providers = {} as Record<ProviderNamespace, ProviderConnection>;
  for (const ns of PROVIDER_NAMESPACES) providers[ns] = { values: values[ns], secretKeys: secrets[ns] };

  // Each key is parsed on its own so that one bad key never hides the problems of another.
  const shape = topLevelSchema.shape;
  const data: Record<string, unknown> = {};
  for (const key of Object.keys(own)) {
    if (!(key in shape)) problems.push({ key: keyOf([key]), message: UNKNOWN_KEY + didYouMean(key, Object.keys(objectShapeAt([]))) });
  }
  for (const [key, schema] of Object.entries(shape)) {
    if (problems.some((p) => p.key === keyOf([key]))) continue;
    const result = schema.safeParse(own[key]);
    if (result.success) {
      data[key] = result.data;
    } else {
      problems.push(...problemsOf(result.error, [key], own));
      const section = SECTION_SCHEMAS[key];
      if (section) data[key] = partialSection(section, own[key]);
    }
  }
  const config = data as Partial<z.infer<typeof topLevelSchema>>;
  problems.push(...crossFieldProblems(config, raw, own, now));
  const idpNamespace = config.idp && IDP_PROVIDER_NAMESPACE[config.idp];
  if (idpNamespace) problems.push(...providerConfigProblems(idpNamespace, providers[idpNamespace]));
  for (const ns of PROVIDER_NAMESPACES) problems.push(...plainTextCredentialProblems(ns, providers[ns]));
  if (problems.length > 0) throw new ConfigError(withoutSecrets(problems, raw));
  const parsed = config as z.infer<typeof topLevelSchema>;
  // The adopted client keeps its id: where the stack names the client, adoptClientId is that name.
  const clientId = own.clientId === undefined && parsed.adoptClientId !== undefined ? parsed.adoptClientId : parsed.clientId;
  return { ...parsed, clientId, providers, secretKeys: raw.secretKeys };
}

/** The provider namespace each IdP's explicit provider is configured from (PingFederate has none). */
const IDP_PROVIDER_NAMESPACE: Readonly<Record<IdpKind, ProviderNamespace | undefined>> = {
  keycloak: "keycloak",
  "entra-id": "azuread",
  google: "gcp",
  pingfederate: undefined,
  okta: "okta",
  auth0: "auth0",
};

/**
 * Reads the running stack's config from the Pulumi runtime (real engine or mocks). Secretness comes from
 * the engine's list of secret keys, which the public API does not expose, hence the internal module.
 */
export function readRawStackConfig(): RawStackConfig {
  const values = pulumi.runtime.allConfig();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const internal = require("@pulumi/pulumi/runtime/config") as { isConfigSecret(key: string): boolean };
  const secretKeys = new Set(Object.keys(values).filter((key) => internal.isConfigSecret(key)));
  return { values, secretKeys, environment: { [LEGACY_PINGFEDERATE_ADOPT_ENV]: process.env[LEGACY_PINGFEDERATE_ADOPT_ENV] } };
}

/** Reads and validates the running stack's config. Throws {@link ConfigError}. */
export function loadStackConfig(): StackConfig {
  return parseStackConfig(readRawStackConfig());
}
