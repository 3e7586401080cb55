/**
 * Okta: Coder's OIDC web app, set up for refresh tokens (the refresh grant and `offline_access`), assigned to
 * the groups that may sign in, and, on a custom authorization server, an access policy with Coder's lifetimes.
 * Sources: @pulumi/okta 7.0.0 `.d.ts`; https://developer.okta.com/docs/guides/refresh-tokens/ ; README "Okta".
 */
import * as okta from "@pulumi/okta";
import * as pulumi from "@pulumi/pulumi";
import { OKTA_EVERYONE, type OktaSettings } from "./config";
import { CoderEnvName, type CoderClientRequest, type CoderOidcClient } from "../../src/coder-env";
import { formatDuration } from "../../src/duration";
import { OKTA_ORG_AUTHORIZATION_SERVER } from "./config";
import { oktaIssuerUrl } from "./coder";
import { rotationWarning } from "../../src/coder-table";
import { providerArgsFromConfig, type ProviderConnection } from "../../src/provider-config";
import { OKTA_CODER_SETTINGS } from "./coder";
import { OKTA_PROVIDER_KEYS } from "./provider-keys";
import { OKTA_TYPES } from "./types";
import { clientNotFound, fieldChanges, lateOutputs, reportAdoption } from "../../src/adoption";

/** Arguments of {@link OktaCoderClient}. */
export interface OktaCoderClientArgs {
  /** Coder's client as the stack config describes it. */
  readonly request: CoderClientRequest;
  /** `coder-oidc:okta`. */
  readonly settings: OktaSettings;
  /** The `okta:*` provider keys (`orgName`, `baseUrl`, `apiToken` or `clientId` + `privateKey`, …), as strings. */
  readonly connection: ProviderConnection;
}

/**
 * The scopes every Okta custom authorization server defines (the OpenID Connect ones); any other scope must be
 * created on the server. https://developer.okta.com/docs/api/openapi/okta-oauth/guides/overview/#scopes
 */
const OKTA_BUILT_IN_SCOPES: readonly string[] = ["openid", "profile", "email", "address", "phone", "offline_access", "device_sso"];

/** Okta's domain when `okta:baseUrl` is unset. */
const OKTA_DEFAULT_BASE_URL = "okta.com";

/**
 * Coder's OIDC app in Okta: a `web` app with the authorization code and refresh token grants, Coder's callback,
 * client-secret authentication, refresh-token rotation from `coder-oidc:refreshTokenRotation`. Declares:
 *
 * - `${name}-okta`: the explicit `okta.Provider`, from `okta:*` (credentials always secrets);
 * - `${name}-app`: the `okta.app.OAuth`;
 * - `${name}-everyone` or `${name}-group-<groupId>`: `okta.app.GroupAssignment`s, who may sign in;
 * - on a custom authorization server, with `coder-oidc:tokens`: `${name}-policy` (an `okta.auth.ServerPolicy` for
 *   Coder's client only) and `${name}-policy-rule` (its rule with Coder's lifetimes, in minutes);
 * - on a custom authorization server, with `groupsClaim`: `${name}-groups-claim` (`okta.auth.ServerClaim`).
 */
export class OktaCoderClient extends pulumi.ComponentResource implements CoderOidcClient {
  /** `https://<org>.<baseUrl>` (org server) or `https://<org>.<baseUrl>/oauth2/<authorizationServer>`. */
  readonly issuerUrl: pulumi.Output<string>;
  /** The client id Okta assigned. */
  readonly clientId: pulumi.Output<string>;
  /** The client secret Okta generated; a secret. */
  readonly clientSecret: pulumi.Output<string>;
  /** Scopes Coder requests: openid, profile, email, offline_access, then extraScopes. */
  readonly scopes: readonly string[];
  /** Auth URL params from the per-IdP table (`{"access_type":"offline"}`, harmless to Okta). */
  readonly authUrlParams: Readonly<Record<string, string>>;
  /** `CODER_OIDC_GROUP_FIELD=groups` with `groupsClaim`; nothing otherwise. */
  readonly extraEnv: Readonly<Partial<Record<CoderEnvName, pulumi.Input<string>>>>;
  /** With `adoptClientId`: settles once the app was found and imported; rejects when it was not found. */
  readonly ready?: Promise<unknown>;

  /**
   * @param name Logical name; children are named `${name}-okta`, `${name}-app`, `${name}-everyone`,
   *   `${name}-group-<groupId>`, `${name}-policy`, `${name}-policy-rule`, `${name}-groups-claim`.
   * @param args What to declare.
   * @param opts Resource options; the Okta provider is made here from `args.connection`.
   * @throws ResourceError when `okta:orgName` is unset (the stack-config contract rejects that first).
   */
  constructor(name: string, args: OktaCoderClientArgs, opts?: pulumi.ComponentResourceOptions) {
    super(OKTA_TYPES.component, name, {}, opts);
    const { request, settings, connection } = args;
    const orgName = connection.values.orgName;
    if (!orgName) throw new pulumi.ResourceError("okta:orgName is required: the Okta org's subdomain", this);
    const orgServer = settings.authorizationServer === OKTA_ORG_AUTHORIZATION_SERVER;
    const { tokens } = request;

    const provider = new okta.Provider(`${name}-okta`, providerArgsFromConfig(OKTA_PROVIDER_KEYS, connection), { parent: this });
    const childOpts = { parent: this, provider };

    const adoptId = request.adoptClientId;
    let app: AppOutputs;
    if (adoptId === undefined) {
      app = declareOktaApp(name, request, settings, childOpts, this, "");
    } else {
      const where = `org ${orgName}.${connection.values.baseUrl ?? OKTA_DEFAULT_BASE_URL}`;
      const declared = okta.app.getOauth({ id: adoptId }, childOpts).then(
        (found) => declareOktaApp(name, request, settings, childOpts, this, where, found),
        (error: unknown) => {
          throw clientNotFound("Okta", where, adoptId, error);
        },
      );
      app = lateOutputs(declared, ["id", "clientId", "clientSecret"]);
      this.ready = declared;
    }

    const everyone = settings.assignedGroups === OKTA_EVERYONE;
    if (everyone) {
      const group = okta.group.getEveryoneGroupOutput({}, childOpts);
      new okta.app.GroupAssignment(`${name}-everyone`, { appId: app.id, groupId: group.id }, childOpts);
    } else {
      for (const groupId of new Set(settings.assignedGroups)) {
        new okta.app.GroupAssignment(`${name}-group-${groupId}`, { appId: app.id, groupId }, childOpts);
      }
    }

    const hasTokens = Object.values(tokens).some((v) => v !== undefined);
    if (!orgServer && hasTokens) {
      const policy = new okta.auth.ServerPolicy(`${name}-policy`, {
        authServerId: settings.authorizationServer,
        name: `${request.displayName} (${new URL(request.coderUrl).host})`,
        description: `Coder at ${request.coderUrl}: token lifetimes (managed by Pulumi, coder-oidc)`,
        priority: 1,
        clientWhitelists: [app.clientId],
        status: "ACTIVE",
      }, childOpts);
      new okta.auth.ServerPolicyRule(`${name}-policy-rule`, {
        authServerId: settings.authorizationServer,
        policyId: policy.id,
        name: "Coder sign-in and refresh",
        priority: 1,
        status: "ACTIVE",
        // The refresh grant follows the grant that issued the token: the authorization code grant.
        grantTypeWhitelists: ["authorization_code"],
        scopeWhitelists: [...request.scopes],
        groupWhitelists: everyone ? ["EVERYONE"] : [...new Set(settings.assignedGroups)],
        accessTokenLifetimeMinutes: minutes(tokens.accessTokenLifetime),
        refreshTokenWindowMinutes: minutes(tokens.refreshIdleTimeout),
        refreshTokenLifetimeMinutes: minutes(tokens.refreshMaxLifetime),
      }, childOpts);
    }
    if (!orgServer && settings.groupsClaim) {
      new okta.auth.ServerClaim(`${name}-groups-claim`, {
        authServerId: settings.authorizationServer,
        name: "groups",
        claimType: "IDENTITY",
        valueType: "GROUPS",
        groupFilterType: "REGEX",
        value: ".*",
        alwaysIncludeInToken: true,
        status: "ACTIVE",
      }, childOpts);
    }

    explain(settings, request, orgServer, hasTokens, this);

    const extraEnv: Partial<Record<CoderEnvName, pulumi.Input<string>>> = {};
    if (settings.groupsClaim) extraEnv[CoderEnvName.GroupField] = "groups";
    this.issuerUrl = pulumi.output(oktaIssuerUrl(orgName, connection.values.baseUrl ?? OKTA_DEFAULT_BASE_URL, settings.authorizationServer));
    this.clientId = app.clientId;
    this.clientSecret = pulumi.secret(app.clientSecret);
    this.scopes = request.scopes;
    this.authUrlParams = request.authUrlParams;
    this.extraEnv = extraEnv;
    this.registerOutputs({ issuerUrl: this.issuerUrl, clientId: this.clientId, clientSecret: this.clientSecret });
  }
}

/** The app's outputs the rest of the component uses. */
type AppOutputs = {
  readonly id: pulumi.Output<string>;
  readonly clientId: pulumi.Output<string>;
  readonly clientSecret: pulumi.Output<string>;
};

/**
 * Declares Coder's OAuth app; with `found` (adoptClientId), imports it by its app id, which is Okta's import id (an
 * app's generated client id is its app id). Okta gives the secret back, so Coder's secret stays the output.
 */
function declareOktaApp(
  name: string, request: CoderClientRequest, settings: OktaSettings, childOpts: { parent: pulumi.Resource; provider: okta.Provider },
  parent: pulumi.Resource, orgLabel: string, found?: okta.app.GetOauthResult,
): AppOutputs {
  const { rotation } = request;
  const wanted = {
    label: request.displayName,
    type: "web",
    grantTypes: ["authorization_code", "refresh_token"],
    redirectUris: [request.redirectUri],
    responseTypes: ["code"],
  };
  const importId = found?.id;
  const app = new okta.app.OAuth(`${name}-app`, {
    ...wanted,
    tokenEndpointAuthMethod: "client_secret_basic",
    consentMethod: settings.consent === "required" ? "REQUIRED" : "TRUSTED",
    // STATIC keeps one refresh token; ROTATE only ever with a leeway (the config contract guarantees one).
    refreshTokenRotation: rotation.enabled ? "ROTATE" : "STATIC",
    refreshTokenLeeway: rotation.enabled ? rotation.reuseWindow : undefined,
  }, { ...childOpts, import: importId });
  if (found && importId) {
    reportAdoption({
      idp: "Okta",
      where: orgLabel,
      clientId: found.clientId || importId,
      imports: [{ name: `${name}-app`, id: importId }],
      changes: fieldChanges(found as unknown as Record<string, unknown>, wanted),
      secret: "The client secret stays: Okta gives it back, so CODER_OIDC_CLIENT_SECRET is the secret Coder has today.",
      related: "The stack also sets tokenEndpointAuthMethod client_secret_basic, the consent method and refresh-token " +
        "rotation, which Okta's lookup does not show. Group assignments are added (assigning a group the app has already " +
        "is no change; other assignments are kept); a custom authorization server gets its own access policy for Coder. " +
        "Post-logout redirect URIs, the logo and every other setting are kept.",
    }, parent);
  }
  return { id: app.id, clientId: app.clientId, clientSecret: app.clientSecret };
}

function minutes(seconds: number | undefined): number | undefined {
  return seconds === undefined ? undefined : seconds / 60;
}

/** What the plan says on every run: who can sign in, where lifetimes come from, what Okta does with groups. */
function explain(settings: OktaSettings, request: CoderClientRequest, orgServer: boolean, hasTokens: boolean, resource: pulumi.Resource): void {
  const groups = settings.assignedGroups === OKTA_EVERYONE ? [] : [...new Set(settings.assignedGroups)];
  const who = settings.assignedGroups === OKTA_EVERYONE
    ? "every user of the Okta org (the app is assigned to Okta's Everyone group)"
    : `only members of the Okta group${groups.length > 1 ? "s" : ""} ${groups.join(", ")} (the app is assigned to them)`;
  pulumi.log.info(`Okta: who can sign in to Coder: ${who}.`, resource);
  if (orgServer) {
    pulumi.log.info(
      "Okta: tokens come from the org authorization server, whose lifetimes Okta fixes (its access tokens live 1 hour); " +
      "refresh tokens need offline_access, which Coder requests.", resource);
  } else if (!hasTokens) {
    pulumi.log.info(
      `Okta: lifetimes come from the existing access policies of authorization server "${settings.authorizationServer}": ` +
      "one of them must allow Coder's client the authorization code grant and the scopes " +
      `${request.scopes.join(", ")} (offline_access included), or sign-in fails with "Policy evaluation failed".`, resource);
  } else {
    const { accessTokenLifetime, refreshIdleTimeout, refreshMaxLifetime } = request.tokens;
    const show = (s: number | undefined, fallback: string) => (s === undefined ? fallback : formatDuration(s));
    pulumi.log.info(
      `Okta: Coder's access policy on authorization server "${settings.authorizationServer}": access tokens ` +
      `${show(accessTokenLifetime, "1h (Okta's default)")}, refresh tokens expire unused after ` +
      `${show(refreshIdleTimeout, "7d (Okta's default)")} and live at most ${show(refreshMaxLifetime, "unlimited (Okta's default)")}.`,
      resource);
  }
  const extra = request.scopes.filter((scope) => !OKTA_BUILT_IN_SCOPES.includes(scope));
  if (!orgServer && extra.length > 0) {
    pulumi.log.warn(
      `coder-oidc:extraScopes asks Okta's authorization server "${settings.authorizationServer}" for ${extra.join(", ")}, ` +
      "which this stack does not define there: each must exist as a scope of that server (Security > API > " +
      "Authorization Servers > Scopes), or sign-in fails with invalid_scope. (For groups, set " +
      "coder-oidc:okta.groupsClaim instead: it adds a groups claim, no scope is needed.)", resource);
  }
  if (settings.groupsClaim) {
    pulumi.log.info(
      "Okta: the groups claim (CODER_OIDC_GROUP_FIELD=groups) lists the user's groups; Okta omits the claim, rather " +
      "than sending an empty list, for a user in no group, and Coder then sees no groups for that user.", resource);
  }
  if (request.rotation.enabled) {
    pulumi.log.warn(rotationWarning(OKTA_CODER_SETTINGS, formatDuration(request.rotation.reuseWindow ?? 0)), resource);
  }
}
