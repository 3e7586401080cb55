/**
 * Auth0: Coder's regular web application, OIDC conformant, with the refresh grant and expiring refresh tokens
 * whose lifetimes come from `coder-oidc:tokens`; its client secret read only as a secret.
 * Sources: @pulumi/auth0 3.49.0 `.d.ts`; https://auth0.com/docs/secure/tokens/refresh-tokens ; README "Auth0".
 */
import * as auth0 from "@pulumi/auth0";
import * as pulumi from "@pulumi/pulumi";
import type { Auth0Settings } from "./config";
import type { CoderClientRequest, CoderEnvName, CoderOidcClient } from "../../src/coder-env";
import { formatDuration } from "../../src/duration";
import { auth0IssuerUrl } from "./coder";
import { AUTH0_CODER_SETTINGS, AUTH0_DEFAULT_LIFETIMES } from "./coder";
import { AUTH0_PROVIDER_KEYS } from "./provider-keys";
import { rotationWarning } from "../../src/coder-table";
import { providerArgsFromConfig, type ProviderConnection } from "../../src/provider-config";
import { AUTH0_TYPES } from "./types";
import { clientNotFound, fieldChanges, lateOutputs, reportAdoption } from "../../src/adoption";

/** Arguments of {@link Auth0CoderClient}. */
export interface Auth0CoderClientArgs {
  /** Coder's client as the stack config describes it. */
  readonly request: CoderClientRequest;
  /** `coder-oidc:auth0` (every field has a default). */
  readonly settings: Auth0Settings;
  /** The `auth0:*` provider keys (`domain`, `clientId` + `clientSecret` or `apiToken`, …), as strings. */
  readonly connection: ProviderConnection;
}

/** Refresh-token absolute lifetime when `tokens.refreshMaxLifetime` is unset: 30 days (Auth0's default for new applications). */
export const AUTH0_DEFAULT_REFRESH_MAX_LIFETIME_SECONDS = AUTH0_DEFAULT_LIFETIMES.refreshMaxLifetime!;
/** Refresh-token idle lifetime when `tokens.refreshIdleTimeout` is unset: 15 days (Auth0's default for new applications). */
export const AUTH0_DEFAULT_REFRESH_IDLE_SECONDS = AUTH0_DEFAULT_LIFETIMES.refreshIdleTimeout!;

/**
 * Coder's application in an Auth0 tenant. Declares:
 *
 * - `${name}-auth0`: the explicit `auth0.Provider`, from `auth0:*` (credentials always secrets);
 * - `${name}-client`: the `auth0.Client`: `regular_web`, OIDC conformant, first party, grants
 *   `authorization_code` + `refresh_token`, Coder's callback and origin, RS256 ID tokens, and `refreshToken`
 *   expiring after `tokens.refreshIdleTimeout` unused (default 15d) and `tokens.refreshMaxLifetime` at most
 *   (default 30d; never shorter than the idle one, which the config contract checks), rotating only with `refreshTokenRotation: on`, with its reuse window as `leeway`;
 * - `${name}-credentials`: the `auth0.ClientCredentials` (token endpoint authentication by client secret),
 *   whose `clientSecret` is Coder's secret, kept secret in the state.
 */
export class Auth0CoderClient extends pulumi.ComponentResource implements CoderOidcClient {
  /** `https://<domain>/`, with the trailing slash Auth0's discovery document has. */
  readonly issuerUrl: pulumi.Output<string>;
  /** The client id Auth0 assigned. */
  readonly clientId: pulumi.Output<string>;
  /** The client secret, read through `auth0.ClientCredentials`; a secret. */
  readonly clientSecret: pulumi.Output<string>;
  /** Scopes Coder requests: openid, profile, email, offline_access, then extraScopes. */
  readonly scopes: readonly string[];
  /** Auth URL params from the per-IdP table (`{"access_type":"offline"}`, harmless to Auth0). */
  readonly authUrlParams: Readonly<Record<string, string>>;
  /** No further Coder variables are needed for Auth0. */
  readonly extraEnv: Readonly<Partial<Record<CoderEnvName, pulumi.Input<string>>>> = {};
  /** With `adoptClientId`: settles once the application was found and imported; rejects when it was not found. */
  readonly ready?: Promise<unknown>;

  /**
   * @param name Logical name; children are named `${name}-auth0`, `${name}-client`, `${name}-credentials`.
   * @param args What to declare.
   * @param opts Resource options; the Auth0 provider is made here from `args.connection`.
   * @throws ResourceError when `auth0:domain` is unset (the stack-config contract rejects that first).
   */
  constructor(name: string, args: Auth0CoderClientArgs, opts?: pulumi.ComponentResourceOptions) {
    super(AUTH0_TYPES.component, name, {}, opts);
    const { request, settings, connection } = args;
    const domain = connection.values.domain;
    if (!domain) throw new pulumi.ResourceError("auth0:domain is required: the tenant's domain, e.g. example.us.auth0.com", this);
    const { tokens, rotation } = request;
    const idle = tokens.refreshIdleTimeout ?? AUTH0_DEFAULT_REFRESH_IDLE_SECONDS;
    // The config contract refuses an idle lifetime beyond the absolute one, the defaults included.
    const absolute = tokens.refreshMaxLifetime ?? AUTH0_DEFAULT_REFRESH_MAX_LIFETIME_SECONDS;

    const provider = new auth0.Provider(`${name}-auth0`, providerArgsFromConfig(AUTH0_PROVIDER_KEYS, connection), { parent: this });
    const childOpts = { parent: this, provider };

    const settingsOf = { request, settings, idle, absolute, domain, childOpts, name };
    const adoptId = request.adoptClientId;
    let declared: Declared;
    if (adoptId === undefined) {
      declared = declareAuth0Client(settingsOf, this);
    } else {
      this.ready = auth0.getClient({ clientId: adoptId }, childOpts).then(
        (found) => declareAuth0Client(settingsOf, this, found),
        (error: unknown) => {
          throw clientNotFound("Auth0", `tenant ${domain}`, adoptId, error);
        },
      );
      declared = lateOutputs(this.ready as Promise<Declared>, ["clientId", "clientSecret"]);
    }

    pulumi.log.info(
      `Auth0: refresh tokens are issued for the offline_access scope (Coder requests it) to an application with the ` +
      `refresh_token grant; they expire after ${formatDuration(idle)} unused and ${formatDuration(absolute)} at most. ` +
      'Coder requests no audience; if you add one, that API needs "Allow Offline Access" on.', this);
    if (rotation.enabled) {
      pulumi.log.warn(rotationWarning(AUTH0_CODER_SETTINGS, formatDuration(rotation.reuseWindow ?? 0)), this);
    }

    this.issuerUrl = pulumi.output(auth0IssuerUrl(settings.customDomain ?? domain));
    this.clientId = declared.clientId;
    this.clientSecret = declared.clientSecret;
    this.scopes = request.scopes;
    this.authUrlParams = request.authUrlParams;
    this.registerOutputs({ issuerUrl: this.issuerUrl, clientId: this.clientId, clientSecret: this.clientSecret });
  }
}

/** What {@link Auth0CoderClient} declares, as outputs. */
type Declared = { readonly clientId: pulumi.Output<string>; readonly clientSecret: pulumi.Output<string> };

/** What the declaration needs from the component. */
interface Auth0Declaration {
  readonly name: string;
  readonly request: CoderClientRequest;
  readonly settings: Auth0Settings;
  readonly idle: number;
  readonly absolute: number;
  readonly domain: string;
  readonly childOpts: { parent: pulumi.Resource; provider: auth0.Provider };
}

/**
 * Declares the application and its credentials; with `found` (adoptClientId), imports both by the client id, which is
 * Auth0's import id for each. Auth0 gives the secret back, so Coder's secret stays the output.
 */
function declareAuth0Client(d: Auth0Declaration, parent: pulumi.Resource, found?: auth0.GetClientResult): Declared {
  const { name, request, settings, idle, absolute, childOpts } = d;
  const { rotation } = request;
  const refreshToken = {
    rotationType: rotation.enabled ? "rotating" : "non-rotating",
    leeway: rotation.enabled ? rotation.reuseWindow : 0,
    // Rotation needs "expiring"; it is always set, so both lifetimes are explicit.
    expirationType: "expiring",
    idleTokenLifetime: idle,
    infiniteIdleTokenLifetime: false,
    tokenLifetime: absolute,
    infiniteTokenLifetime: false,
  };
  const wanted = {
    name: request.displayName,
    description: `Coder at ${request.coderUrl} (managed by Pulumi, coder-oidc)`,
    appType: "regular_web",
    oidcConformant: true,
    // First party: Auth0 shows no consent screen for Coder's own scopes.
    isFirstParty: true,
    grantTypes: ["authorization_code", "refresh_token"],
    callbacks: [request.redirectUri],
    allowedOrigins: [request.coderOrigin],
    crossOriginAuth: false,
  };
  const importId = found?.clientId;
  const client = new auth0.Client(`${name}-client`, {
    ...wanted,
    // Coder verifies ID tokens with the tenant's published keys: never HS256.
    jwtConfiguration: { alg: "RS256" },
    refreshToken,
  }, { ...childOpts, import: importId });

  const credentials = new auth0.ClientCredentials(`${name}-credentials`, {
    clientId: client.clientId,
    authenticationMethod: settings.tokenEndpointAuthMethod,
  }, { ...childOpts, additionalSecretOutputs: ["clientSecret"], import: importId });

  if (found && importId) {
    const live: Record<string, unknown> = { ...found };
    const liveRefresh = (found.refreshTokens?.[0] ?? {}) as unknown as Record<string, unknown>;
    for (const key of Object.keys(refreshToken)) live[`refreshToken.${key}`] = liveRefresh[key];
    live["jwtConfiguration.alg"] = found.jwtConfigurations?.[0]?.alg;
    reportAdoption({
      idp: "Auth0",
      where: `tenant ${d.domain}`,
      clientId: importId,
      imports: [{ name: `${name}-client`, id: importId }, { name: `${name}-credentials`, id: importId }],
      changes: fieldChanges(live, {
        ...wanted,
        "jwtConfiguration.alg": "RS256",
        ...Object.fromEntries(Object.entries(refreshToken).map(([k, v]) => [`refreshToken.${k}`, v])),
        tokenEndpointAuthMethod: settings.tokenEndpointAuthMethod,
      }),
      secret: "The client secret stays: Auth0 gives it back, so CODER_OIDC_CLIENT_SECRET is the secret Coder has today.",
      related: "Allowed logout URLs, web origins, connections and every other setting are kept.",
    }, parent);
  }
  return { clientId: client.clientId, clientSecret: pulumi.secret(credentials.clientSecret) };
}
