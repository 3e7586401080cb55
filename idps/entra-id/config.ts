/**
 * `coder-oidc:entraId`: the Entra ID application Coder logs in with, and the rules that span it, `azuread:*` and the
 * clock (the client secret's rotation dates).
 */
import { z } from "zod";
import { duration, flag, nonEmpty } from "../../src/config-fields";
import { formatDuration, parseUtcMonthOrDay } from "../../src/duration";
import type { IdpConfigContext } from "../../src/idp";
import { OFFLINE_SECRET_PLACEHOLDER } from "../../src/provider-config";

/** An Entra ID directory (tenant) id: the form its issuer URL names it by. */
export const ENTRA_TENANT_GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The longest Conditional Access sign-in frequency Entra ID accepts: 365 days. */
export const ENTRA_SIGN_IN_FREQUENCY_MAX_SECONDS = 365 * 86400;

/** The most an Entra ID client secret may live: Microsoft's own limit is two years. */
export const ENTRA_SECRET_MAX_LIFETIME_SECONDS = 730 * 86400;

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
export const entraIdSchema = z.strictObject({
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

/** Parsed `coder-oidc:entraId`. */
export type EntraIdSettings = z.infer<typeof entraIdSchema>;

/** Entra ID's own rules: no lifetimes, the tenant in its one form, the global cloud, the secret's dates and limits. */
export function entraConfigProblems({ config, section, raw, now, add, addKey }: IdpConfigContext<EntraIdSettings>): void {
  const { tokens = {} } = config;
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
  const entra = section as EntraIdSettings | undefined;
  if (entra) {
    const providerTenant = raw.values["azuread:tenantId"];
    if (entra.tenantId === undefined && !providerTenant) {
      add(["entraId", "tenantId"], "is required unless azuread:tenantId is set");
    }
    const written = entra.tenantId ?? providerTenant;
    // A tenant set with --secret is checked when the engine runs, where it is decrypted; offline the issuer is unknown.
    const tenant = written === OFFLINE_SECRET_PLACEHOLDER ? undefined : written;
    const atTenant = (message: string) => entra.tenantId !== undefined ? add(["entraId", "tenantId"], message) : addKey("azuread:tenantId", message);
    if (tenant && !ENTRA_TENANT_GUID.test(tenant)) {
      atTenant(`must be the directory (tenant) id, a GUID such as 3f2504e0-4f89-41d3-9a0c-0305e82c3301, got "${tenant}": ` +
        "Entra's discovery document names its issuer by that GUID, and Coder refuses an issuer URL that differs");
    }
    if (tenant && ENTRA_TENANT_GUID.test(tenant) && tenant !== tenant.toLowerCase()) {
      atTenant(`must be written in lowercase, "${tenant.toLowerCase()}", got "${tenant}": Entra's discovery document ` +
        "names its issuer by the lowercase GUID, and Coder compares the issuer character for character");
    }
    const cloud = raw.values["azuread:environment"];
    if (cloud !== undefined && cloud !== OFFLINE_SECRET_PLACEHOLDER && !["global", "public"].includes(cloud.trim().toLowerCase())) {
      addKey("azuread:environment", `is "${cloud}": this toolkit outputs the global cloud's issuer ` +
        "(https://login.microsoftonline.com/<tenant>/v2.0) only, and a national cloud publishes another; remove it, or " +
        "set CODER_OIDC_ISSUER_URL from that cloud's discovery document yourself");
    }
    if (raw.values["azuread:metadataHost"] !== undefined) {
      addKey("azuread:metadataHost", "is not supported with Entra ID here: the issuer this toolkit " +
        "outputs is the global cloud's (https://login.microsoftonline.com/<tenant>/v2.0), which another metadata host does not publish");
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
  }}

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
