/**
 * Microsoft Entra ID: Coder's app registration, set up so that Coder gets refresh tokens (the Graph
 * `offline_access` permission, consented), with a client secret whose end date is explicit and stable.
 * Facts: ../shared/reference/FACTS.md §2.2.
 */
import * as azuread from "@pulumi/azuread";
import * as pulumi from "@pulumi/pulumi";
import { type EntraIdSettings, suggestedSecretRotation } from "./config";
import { CoderEnvName, type CoderClientRequest, type CoderOidcClient } from "../../src/coder-env";
import { formatDuration, parseUtcMonthOrDay } from "../../src/duration";
import { ENTRA_SECRET_EXPIRY_WARNING_DAYS, entraIssuerUrl, GRAPH_DELEGATED_SCOPE_IDS, MICROSOFT_GRAPH_APP_ID } from "./coder";
import { ENTRA_CODER_SETTINGS } from "./coder";
import { AZUREAD_PROVIDER_KEYS } from "./provider-keys";
import { providerArgsFromConfig, type ProviderConnection } from "../../src/provider-config";
import { ENTRA_TYPES } from "./types";
import { clientNotFound, fieldChanges, lateOutputs, reportAdoption } from "../../src/adoption";

/** Arguments of {@link EntraIdCoderClient}. */
export interface EntraIdCoderClientArgs {
  /** Coder's client as the stack config describes it. */
  readonly request: CoderClientRequest;
  /** `coder-oidc:entraId`. `secretRotation` is required here: it anchors the client secret's end date. */
  readonly settings: EntraIdSettings;
  /** The `azuread:*` provider keys (`tenantId`, `clientId`, `clientSecret`, `useCli`, …), as strings. */
  readonly connection: ProviderConnection;
}

/** The scopes Coder requests from Entra ID, from the per-IdP table. */
const ENTRA_SCOPES = ENTRA_CODER_SETTINGS.scopes;

const DAY_MS = 86_400_000;

/**
 * Coder's app registration in Entra ID: a confidential web app with Coder's callback and the Graph
 * permissions `openid`, `profile`, `email`, `offline_access` (without `offline_access` Entra issues no
 * refresh token and Coder signs everyone out when the access token expires, hourly). Declares:
 *
 * - `${name}-azuread`: the explicit `azuread.Provider`, from `azuread:*` (tenant from `entraId.tenantId`
 *   when `azuread:tenantId` is unset, so the app is created in the tenant Coder's issuer names);
 * - `${name}-app`: the `azuread.Application`;
 * - `${name}-sp`: its `azuread.ServicePrincipal` (the "enterprise application");
 * - `${name}-secret-<secretRotation>`: an `azuread.ApplicationPassword` whose `endDate` is `secretRotation` +
 *   `secretLifetime`; Coder's `CODER_OIDC_CLIENT_SECRET`. With `previousSecretRotation`, also
 *   `${name}-secret-<previousSecretRotation>`, the secret being replaced, kept with its own end date so Coder keeps
 *   working until it has the new one (two staggered passwords). Each is named by its rotation, so a new rotation
 *   adds a password and never replaces the one Coder uses; the one whose rotation leaves the config is deleted.
 *   The oldest declared one is aliased to `${name}-secret`, the single password of earlier versions;
 * - `${name}-admin-consent` (unless `grantAdminConsent: false`): tenant-wide consent for the four Graph
 *   scopes, so no user is asked to consent;
 * - `${name}-sign-in-frequency` (with `signInFrequency`): a Conditional Access policy for this app only.
 *   Needs Entra ID P1 and a tenant without security defaults.
 */
export class EntraIdCoderClient extends pulumi.ComponentResource implements CoderOidcClient {
  /** `https://login.microsoftonline.com/<tenantId>/v2.0`. */
  readonly issuerUrl: pulumi.Output<string>;
  /** The application (client) id Entra assigned. */
  readonly clientId: pulumi.Output<string>;
  /** The client secret Entra generated; a secret. */
  readonly clientSecret: pulumi.Output<string>;
  /** Scopes Coder requests: openid, profile, email, offline_access, then extraScopes. */
  readonly scopes: readonly string[];
  /** Auth URL params: `{"access_type":"offline"}` (from the per-IdP table). */
  readonly authUrlParams: Readonly<Record<string, string>>;
  /** `CODER_OIDC_GROUP_FIELD=groups` with `groupsClaim`; `CODER_OIDC_EMAIL_FIELD=upn` with `upnAsEmail`. */
  readonly extraEnv: Readonly<Partial<Record<CoderEnvName, pulumi.Input<string>>>>;
  /** `entraApplicationObjectId` and `entraClientSecretEndDate` (RFC 3339, UTC). */
  readonly extraOutputs: Readonly<Record<string, pulumi.Input<string>>>;
  /** The application's object id (not its client id). */
  readonly applicationObjectId: pulumi.Output<string>;
  /** The service principal's object id. */
  readonly servicePrincipalObjectId: pulumi.Output<string>;
  /** When the client secret stops working: RFC 3339, UTC, the same on every run. */
  readonly clientSecretEndDate: string;
  /** When the previous client secret (of `previousSecretRotation`) stops working, when there is one. */
  readonly previousClientSecretEndDate?: string;
  /** With `adoptClientId`: settles once the application was found and imported; rejects when it was not found. */
  readonly ready?: Promise<unknown>;

  /**
   * @param name Logical name; children are named `${name}-azuread`, `${name}-app`, `${name}-sp`,
   *   `${name}-secret-<rotation>`, `${name}-admin-consent`, `${name}-sign-in-frequency`.
   * @param args What to declare.
   * @param opts Resource options; the azuread provider is made here from `args.connection`.
   * @throws ResourceError when `args.settings` did not come through the stack-config contract.
   */
  constructor(name: string, args: EntraIdCoderClientArgs, opts?: pulumi.ComponentResourceOptions) {
    super(ENTRA_TYPES.component, name, {}, opts);
    const { request, settings, connection } = args;
    const now = Date.now();
    const checked = checkSettings(settings, connection, this);
    const { tenantId, rotation, endDate, previous } = checked;

    const provider = new azuread.Provider(`${name}-azuread`, {
      ...providerArgsFromConfig(AZUREAD_PROVIDER_KEYS, connection),
      tenantId,
    }, { parent: this });
    const childOpts = { parent: this, provider };

    const adoptId = request.adoptClientId;
    let app: AppOutputs;
    if (adoptId === undefined) {
      app = declareEntraApp(name, request, settings, childOpts);
    } else {
      const where = `tenant ${tenantId}`;
      const declared = Promise.all([
        azuread.getApplication({ clientId: adoptId }, childOpts),
        // An application registered through the API may have no service principal yet: then one is created.
        azuread.getServicePrincipal({ clientId: adoptId }, childOpts).catch(() => undefined),
      ]).then(
        ([found, sp]) => declareEntraApp(name, request, settings, childOpts, { found, sp, where, endDate, parent: this }),
        (error: unknown) => {
          throw clientNotFound("Entra ID", where, adoptId, error);
        },
      );
      app = lateOutputs(declared, ["id", "clientId", "objectId", "servicePrincipalObjectId"]);
      this.ready = declared;
    }
    const servicePrincipal = { objectId: app.servicePrincipalObjectId };

    // Every input of an ApplicationPassword forces a replacement, so each rotation is its own resource, named by it.
    const secretPassword = (secretRotation: string, secretEndDate: string, aliased: boolean) =>
      new azuread.ApplicationPassword(`${name}-secret-${secretRotation}`, {
        // The application's resource id (`/applications/<objectId>`), not its client id.
        applicationId: app.id,
        displayName: `Coder OIDC client secret (${secretRotation})`,
        endDate: secretEndDate,
        rotateWhenChanged: { secretRotation },
      }, { ...childOpts, aliases: aliased ? [{ name: `${name}-secret` }] : undefined });
    if (previous) secretPassword(previous.rotation, previous.endDate, true);
    const password = secretPassword(rotation, endDate, previous === undefined);

    if (settings.grantAdminConsent) {
      // A data source, not `new ServicePrincipal({useExisting: true})`: adopting Graph's service principal
      // would put it in this stack's state, and `pulumi destroy` would then try to delete it.
      const graph = azuread.getServicePrincipalOutput({ clientId: MICROSOFT_GRAPH_APP_ID }, childOpts);
      new azuread.ServicePrincipalDelegatedPermissionGrant(`${name}-admin-consent`, {
        servicePrincipalObjectId: servicePrincipal.objectId,
        resourceServicePrincipalObjectId: graph.objectId,
        claimValues: [...ENTRA_SCOPES],
      }, childOpts);
      graph.oauth2PermissionScopeIds.apply((live) => warnAboutScopeIds(live, this));
    }

    if (settings.signInFrequency !== undefined) {
      const { value, period } = signInFrequencyOf(settings.signInFrequency);
      new azuread.ConditionalAccessPolicy(`${name}-sign-in-frequency`, {
        displayName: `${request.displayName} (${new URL(request.coderUrl).host}): sign in every ${value} ${period}`,
        state: "enabled",
        conditions: {
          clientAppTypes: ["all"],
          // This application only: the policy must not change how anyone signs in to anything else.
          applications: { includedApplications: [app.clientId] },
          users: { includedUsers: ["All"] },
        },
        sessionControls: {
          signInFrequency: value,
          signInFrequencyPeriod: period,
          signInFrequencyInterval: "timeBased",
          signInFrequencyAuthenticationType: "primaryAndSecondaryAuthentication",
        },
      }, childOpts);
    }

    warnAboutSettings(settings, request, checked, now, this);

    const extraEnv: Partial<Record<CoderEnvName, pulumi.Input<string>>> = {};
    if (settings.groupsClaim) extraEnv[CoderEnvName.GroupField] = "groups";
    if (settings.upnAsEmail) extraEnv[CoderEnvName.EmailField] = "upn";

    this.issuerUrl = pulumi.output(entraIssuerUrl(tenantId));
    this.clientId = app.clientId;
    this.clientSecret = pulumi.secret(password.value);
    this.scopes = request.scopes;
    this.authUrlParams = request.authUrlParams;
    this.extraEnv = extraEnv;
    this.applicationObjectId = app.objectId;
    this.servicePrincipalObjectId = servicePrincipal.objectId;
    this.clientSecretEndDate = endDate;
    this.previousClientSecretEndDate = previous?.endDate;
    this.extraOutputs = {
      entraApplicationObjectId: app.objectId,
      entraClientSecretEndDate: endDate,
      ...(previous ? { entraPreviousClientSecretEndDate: previous.endDate } : {}),
    };
    this.registerOutputs({
      issuerUrl: this.issuerUrl,
      clientId: this.clientId,
      clientSecret: this.clientSecret,
      applicationObjectId: this.applicationObjectId,
      servicePrincipalObjectId: this.servicePrincipalObjectId,
      clientSecretEndDate: this.clientSecretEndDate,
      previousClientSecretEndDate: this.previousClientSecretEndDate,
    });
  }
}

/** The application's outputs the rest of the component uses. */
type AppOutputs = {
  readonly id: pulumi.Output<string>;
  readonly clientId: pulumi.Output<string>;
  readonly objectId: pulumi.Output<string>;
  readonly servicePrincipalObjectId: pulumi.Output<string>;
};

/** What an adoption found, and where. */
interface EntraAdoption {
  readonly found: azuread.GetApplicationResult;
  readonly sp?: azuread.GetServicePrincipalResult;
  readonly where: string;
  /** The end date of the password the stack adds. */
  readonly endDate: string;
  readonly parent: pulumi.Resource;
}

/** One `requiredResourceAccesses` entry, as the stack sends it. */
type ResourceAccess = { resourceAppId: string; resourceAccesses: { id: string; type: string }[] };

/**
 * Declares the application and its service principal; adopting, imports both (`/applications/<objectId>`,
 * `/servicePrincipals/<objectId>`, their import ids) and keeps what the stack does not decide: API permissions of
 * other APIs and Graph permissions beyond Coder's four, exposed API scopes, known client applications, the home
 * page and logout URLs.
 */
function declareEntraApp(
  name: string, request: CoderClientRequest, settings: EntraIdSettings,
  childOpts: { parent: pulumi.Resource; provider: azuread.Provider }, adoption?: EntraAdoption,
): AppOutputs {
  const found = adoption?.found;
  const liveWeb = found?.webs?.[0];
  const liveApi = found?.apis?.[0];
  const ours: ResourceAccess = {
    resourceAppId: MICROSOFT_GRAPH_APP_ID,
    resourceAccesses: ENTRA_SCOPES.map((scope) => ({ id: GRAPH_DELEGATED_SCOPE_IDS[scope], type: "Scope" })),
  };
  const requiredResourceAccesses = found ? mergedResourceAccesses(found.requiredResourceAccesses ?? [], ours) : [ours];
  const objectImportId = found ? `/applications/${found.objectId}` : undefined;
  const app = new azuread.Application(`${name}-app`, {
    displayName: request.displayName,
    signInAudience: settings.signInAudience,
    // Coder is a confidential client: it authenticates with the client secret, never as a public client.
    fallbackPublicClientEnabled: false,
    web: {
      redirectUris: [request.redirectUri],
      implicitGrant: { accessTokenIssuanceEnabled: false, idTokenIssuanceEnabled: false },
      ...(liveWeb?.homepageUrl ? { homepageUrl: liveWeb.homepageUrl } : {}),
      ...(liveWeb?.logoutUrl ? { logoutUrl: liveWeb.logoutUrl } : {}),
    },
    // Required (must be 2) for the audiences that include personal Microsoft accounts, harmless for the
    // others: Coder never asks for tokens to this app's own API.
    api: {
      requestedAccessTokenVersion: 2,
      ...(liveApi?.knownClientApplications?.length ? { knownClientApplications: liveApi.knownClientApplications } : {}),
      ...(liveApi?.oauth2PermissionScopes?.length ? { oauth2PermissionScopes: liveApi.oauth2PermissionScopes } : {}),
    },
    requiredResourceAccesses,
    groupMembershipClaims: settings.groupsClaim ? ["SecurityGroup"] : undefined,
    optionalClaims: settings.upnAsEmail ? { idTokens: [{ name: "upn", essential: false }] } : undefined,
  }, { ...childOpts, import: objectImportId });

  const spImportId = adoption?.sp ? `/servicePrincipals/${adoption.sp.objectId}` : undefined;
  const servicePrincipal = new azuread.ServicePrincipal(`${name}-sp`, {
    clientId: app.clientId,
    appRoleAssignmentRequired: settings.appRoleAssignmentRequired,
  }, { ...childOpts, import: spImportId });

  if (adoption && found && objectImportId) reportEntraAdoption(name, request, settings, adoption, requiredResourceAccesses, spImportId);
  return { id: app.id, clientId: app.clientId, objectId: app.objectId, servicePrincipalObjectId: servicePrincipal.objectId };
}

/** The plan's note on adopting an application: imports, field changes, the secret Coder uses. */
function reportEntraAdoption(
  name: string, request: CoderClientRequest, settings: EntraIdSettings, adoption: EntraAdoption,
  requiredResourceAccesses: readonly ResourceAccess[], spImportId: string | undefined,
): void {
  const { found } = adoption;
  const web = found.webs?.[0];
  const live: Record<string, unknown> = {
    ...found,
    "web.redirectUris": web?.redirectUris,
    "web.implicitGrant.accessTokenIssuanceEnabled": web?.implicitGrants?.[0]?.accessTokenIssuanceEnabled,
    "web.implicitGrant.idTokenIssuanceEnabled": web?.implicitGrants?.[0]?.idTokenIssuanceEnabled,
    "api.requestedAccessTokenVersion": found.apis?.[0]?.requestedAccessTokenVersion,
    requiredResourceAccesses: (found.requiredResourceAccesses ?? []).flatMap(accessEntries),
  };
  const wanted = {
    displayName: request.displayName,
    signInAudience: settings.signInAudience,
    fallbackPublicClientEnabled: false,
    "web.redirectUris": [request.redirectUri],
    "web.implicitGrant.accessTokenIssuanceEnabled": false,
    "web.implicitGrant.idTokenIssuanceEnabled": false,
    "api.requestedAccessTokenVersion": 2,
    requiredResourceAccesses: requiredResourceAccesses.flatMap(accessEntries),
  };
  reportAdoption({
    idp: "Entra ID",
    where: adoption.where,
    clientId: found.clientId,
    imports: [
      { name: `${name}-app`, id: `/applications/${found.objectId}` },
      ...(spImportId ? [{ name: `${name}-sp`, id: spImportId }] : []),
    ],
    changes: fieldChanges(live, wanted),
    secret: "Entra ID never returns a secret, so the stack adds a new client secret beside the existing ones " +
      `(CODER_OIDC_CLIENT_SECRET, ends ${adoption.endDate}); the secrets the application has are not touched and keep ` +
      "working until their own end dates. Coder can keep the secret it has: give it the new one before the old one " +
      "ends, then delete the old one in the portal (Certificates & secrets).",
    related: (spImportId ? "" : "The application has no service principal (enterprise application): the stack creates one. ") +
      "API permissions of other APIs, exposed API scopes, the home page and logout URLs are kept." +
      (settings.grantAdminConsent
        ? " The stack grants tenant-wide admin consent for Coder's four Graph scopes; if consent was already granted in the " +
          "portal, Graph refuses a second grant: then set coder-oidc:entraId.grantAdminConsent to false."
        : ""),
  }, adoption.parent);
}

/** Resource accesses as comparable `resourceAppId/id:type` entries. */
function accessEntries(access: { resourceAppId: string; resourceAccesses: readonly { id: string; type: string }[] }): string[] {
  return access.resourceAccesses.map((a) => `${access.resourceAppId}/${a.id}:${a.type}`);
}

/** The application's permissions with Coder's Graph scopes added: nothing it had is dropped. */
function mergedResourceAccesses(
  live: readonly { resourceAppId: string; resourceAccesses: readonly { id: string; type: string }[] }[], ours: ResourceAccess,
): ResourceAccess[] {
  const merged = live.map((r) => ({ resourceAppId: r.resourceAppId, resourceAccesses: r.resourceAccesses.map((a) => ({ id: a.id, type: a.type })) }));
  const graph = merged.find((r) => r.resourceAppId === ours.resourceAppId);
  if (!graph) return [...merged, ours];
  for (const access of ours.resourceAccesses) {
    if (!graph.resourceAccesses.some((a) => a.id === access.id && a.type === access.type)) graph.resourceAccesses.push(access);
  }
  return merged;
}

/** What the component derives from its (validated) settings before declaring anything. */
interface CheckedSettings {
  /** The directory (tenant) id in the issuer and the provider. */
  readonly tenantId: string;
  /** `secretRotation`: the rotation trigger. */
  readonly rotation: string;
  /** The client secret's end date, RFC 3339 without fractional seconds (as Entra reports it back). */
  readonly endDate: string;
  /** `previousSecretRotation` and its secret's end date, when the previous secret is kept. */
  readonly previous?: { readonly rotation: string; readonly endDate: string };
}

/**
 * The tenant and the secret's end date, from settings the stack-config contract has validated.
 *
 * The end date is `secretRotation` (a UTC month or day) + `secretLifetime`: a pure function of config, so
 * every `pulumi up` sends the same value (every ApplicationPassword argument forces a replacement, so an
 * end date computed from the clock would replace the secret on every run). A fixed epoch would not do:
 * `epoch + 180d` is soon in the past.
 */
function checkSettings(settings: EntraIdSettings, connection: ProviderConnection, resource: pulumi.Resource): CheckedSettings {
  const tenantId = (settings.tenantId ?? connection.values.tenantId)?.trim();
  const rotation = settings.secretRotation;
  const issued = rotation === undefined ? undefined : parseUtcMonthOrDay(rotation);
  const previousRotation = settings.previousSecretRotation;
  const previousIssued = previousRotation === undefined ? undefined : parseUtcMonthOrDay(previousRotation);
  if (!tenantId || rotation === undefined || issued === undefined || (previousRotation !== undefined && previousIssued === undefined)) {
    throw new pulumi.ResourceError("coder-oidc:entraId is not validated: parse it with parseStackConfig first", resource);
  }
  const lifetime = settings.secretLifetime * 1000;
  const previous = previousRotation !== undefined && previousIssued !== undefined
    ? { rotation: previousRotation, endDate: rfc3339(previousIssued + lifetime) }
    : undefined;
  return { tenantId, rotation, endDate: rfc3339(issued + lifetime), previous };
}

/** `2027-05-30T00:00:00Z`: RFC 3339 in UTC without fractional seconds. */
function rfc3339(time: number): string {
  return new Date(time).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** A sign-in frequency in Conditional Access terms: whole days when it divides evenly, else hours. */
function signInFrequencyOf(seconds: number): { value: number; period: "days" | "hours" } {
  return seconds % 86400 === 0 ? { value: seconds / 86400, period: "days" } : { value: seconds / 3600, period: "hours" };
}

function warnAboutScopeIds(live: Readonly<Record<string, string>> | undefined, resource: pulumi.Resource): void {
  const differing = ENTRA_SCOPES.filter((scope) => live?.[scope] !== undefined && live[scope] !== GRAPH_DELEGATED_SCOPE_IDS[scope]);
  if (differing.length === 0) return;
  pulumi.log.warn(
    `Microsoft Graph in this tenant publishes other permission ids than the pinned ones for ${differing.join(", ")} ` +
    `(${differing.map((s) => `${s}: ${live![s]} here, ${GRAPH_DELEGATED_SCOPE_IDS[s]} pinned`).join("; ")}): ` +
    "the app's requiredResourceAccesses may not grant them; check the tenant and update idps/entra-id/component.ts.", resource);
}

function warnAboutSettings(
  settings: EntraIdSettings,
  request: CoderClientRequest,
  { tenantId, rotation, endDate, previous }: CheckedSettings,
  now: number,
  resource: pulumi.Resource,
): void {
  const daysLeft = Math.floor((Date.parse(endDate) - now) / DAY_MS);
  // The next secretRotation to write: later than the current one, and valid now (the config contract's checks).
  const next = suggestedSecretRotation(now, settings.secretLifetime, parseUtcMonthOrDay(rotation));
  const nextText = next === undefined ? "the day the new secret is issued" : `"${next}"`;
  if (daysLeft < ENTRA_SECRET_EXPIRY_WARNING_DAYS) {
    pulumi.log.warn(
      // The config contract refuses a secretRotation whose secret has ended, so daysLeft is never negative here.
      `The Entra ID client secret expires in ${daysLeft} days, on ${endDate} ` +
      `(coder-oidc:entraId.secretRotation "${rotation}" + secretLifetime ${formatDuration(settings.secretLifetime)}). ` +
      `Rotate it: set coder-oidc:entraId.previousSecretRotation to "${rotation}" and secretRotation to ${nextText}, ` +
      "run pulumi up, and give Coder the new CODER_OIDC_CLIENT_SECRET; until then Coder can neither log anyone in nor " +
      "refresh their tokens.", resource);
  }
  if (previous && Date.parse(previous.endDate) <= now) {
    pulumi.log.warn(
      `The previous Entra ID client secret, of coder-oidc:entraId.previousSecretRotation "${previous.rotation}", expired on ` +
      `${previous.endDate}: nothing can use it any more; remove previousSecretRotation, and the next pulumi up deletes it.`, resource);
  } else if (previous) {
    pulumi.log.info(
      `Entra ID: Coder should use the client secret of secretRotation "${rotation}" (CODER_OIDC_CLIENT_SECRET, ends ` +
      `${endDate}). The previous one, of "${previous.rotation}", keeps working until ${previous.endDate} at the latest: ` +
      "remove coder-oidc:entraId.previousSecretRotation once every Coder replica runs with the new secret, and the " +
      "next pulumi up deletes it.", resource);
  } else {
    pulumi.log.info(
      `Entra ID: Coder uses the client secret of secretRotation "${rotation}" (CODER_OIDC_CLIENT_SECRET, ends ${endDate}). ` +
      `To rotate without signing anyone out, set coder-oidc:entraId.previousSecretRotation to "${rotation}" and ` +
      `secretRotation to the new month (${next === undefined ? "the day the new secret is issued" : `e.g. "${next}"`}) in the same change: both secrets then work until you ` +
      "remove previousSecretRotation.", resource);
  }
  const extra = request.scopes.filter((scope) => !(ENTRA_SCOPES as readonly string[]).includes(scope));
  if (extra.length > 0) {
    pulumi.log.warn(
      `coder-oidc:extraScopes asks Entra ID for ${extra.join(", ")}, which this stack neither declares as Graph ` +
      "permissions nor consents to: users may be asked to consent, or be refused if user consent is disabled. " +
      "(Entra ID has no \"groups\" scope: set coder-oidc:entraId.groupsClaim instead.)", resource);
  }
  if (settings.appRoleAssignmentRequired) {
    pulumi.log.warn(
      "coder-oidc:entraId.appRoleAssignmentRequired is true: only users and groups assigned to the enterprise " +
      "application can sign in to Coder; assign them (Entra admin center > Enterprise applications > Users and groups).",
      resource);
  }
  if (settings.signInAudience !== "AzureADMyOrg") {
    pulumi.log.warn(
      `coder-oidc:entraId.signInAudience is ${settings.signInAudience}, but Coder's issuer is tenant ${tenantId}'s: ` +
      "only accounts that sign in through this tenant (members and guests) can log in to Coder.", resource);
  }
}
