/**
 * Keycloak: Coder's confidential OpenID client, set up for offline (refresh) tokens.
 * Facts: ../shared/reference/FACTS.md §2.1.
 */
import * as keycloak from "@pulumi/keycloak";
import * as pulumi from "@pulumi/pulumi";
import type { KeycloakSettings } from "./config";
import type { CoderClientRequest, CoderEnvName, CoderOidcClient } from "../../src/coder-env";
import { formatDuration } from "../../src/duration";
import { keycloakIssuerUrl } from "./coder";
import { OFFLINE_ACCESS_SCOPE } from "../../src/coder-table";
import { providerArgsFromConfig, type ProviderConnection } from "../../src/provider-config";
import { KEYCLOAK_PROVIDER_KEYS } from "./provider-keys";
import { KEYCLOAK_TYPES } from "./types";
import { clientNotFound, fieldChanges, lateOutputs, reportAdoption } from "../../src/adoption";

/** Arguments of {@link KeycloakCoderClient}. */
export interface KeycloakCoderClientArgs {
  /** Coder's client as the stack config describes it. */
  readonly request: CoderClientRequest;
  /** `coder-oidc:keycloak`. */
  readonly settings: KeycloakSettings;
  /** The `keycloak:*` provider keys (`url`, `basePath`, `realm`, `clientId`, `clientSecret`, …). */
  readonly connection: ProviderConnection;
}

// Keycloak's built-in `openid` is not a client scope; every other requested scope must be one.
const IMPLICIT_SCOPES = new Set(["openid"]);

/**
 * Coder's OpenID client in a Keycloak realm: confidential, standard flow only, refresh tokens on, with
 * `offline_access` attached as an optional scope so Coder gets offline (long-lived) refresh tokens.
 */
export class KeycloakCoderClient extends pulumi.ComponentResource implements CoderOidcClient {
  /** The issuer Coder uses. */
  readonly issuerUrl: pulumi.Output<string>;
  /** The OAuth client id. */
  readonly clientId: pulumi.Output<string>;
  /** The client secret Keycloak generated; a secret. */
  readonly clientSecret: pulumi.Output<string>;
  /** Scopes Coder requests: openid, profile, email, offline_access, then extraScopes. */
  readonly scopes: readonly string[];
  /** Auth URL params: `{"access_type":"offline"}` (Keycloak ignores it; Coder sends it anyway). */
  readonly authUrlParams: Readonly<Record<string, string>>;
  /** No further Coder variables are needed for Keycloak. */
  readonly extraEnv: Readonly<Partial<Record<CoderEnvName, pulumi.Input<string>>>> = {};
  /** Keycloak's internal id of the client (a UUID), which scope mappings refer to. */
  readonly clientInternalId: pulumi.Output<string>;
  /** With `adoptClientId`: settles once the client was found and imported; rejects when it was not found. */
  readonly ready?: Promise<unknown>;

  /**
   * @param name Logical name; children are named `${name}-admin`, `${name}-client`, `${name}-optional-scopes`.
   * @param args What to declare.
   * @param opts Resource options; the Keycloak provider is made here from `args.connection`.
   */
  constructor(name: string, args: KeycloakCoderClientArgs, opts?: pulumi.ComponentResourceOptions) {
    super(KEYCLOAK_TYPES.component, name, {}, opts);
    const { request, settings, connection } = args;
    const url = connection.values.url;
    if (!url) throw new pulumi.ResourceError("keycloak:url is required: the Keycloak base URL", this);

    const provider = new keycloak.Provider(`${name}-admin`, providerArgsFromConfig(KEYCLOAK_PROVIDER_KEYS, connection), { parent: this });
    const childOpts = { parent: this, provider };

    // Without adoptClientId everything is declared now; with it, once the existing client is found.
    const declare = (found?: keycloak.openid.GetClientResult) => this.declareClient(name, args, childOpts, url, found);
    const adoptId = request.adoptClientId;
    let declared: Declared;
    if (adoptId === undefined) {
      declared = declare();
    } else {
      this.ready = keycloak.openid.getClient({ realmId: settings.realm, clientId: adoptId }, childOpts).then(
        (found) => declare(found),
        (error: unknown) => {
          throw clientNotFound("Keycloak", `realm "${settings.realm}" at ${url}`, adoptId, error);
        },
      );
      declared = lateOutputs(this.ready as Promise<Declared>, ["issuerUrl", "clientId", "clientSecret", "clientInternalId"]);
    }
    this.issuerUrl = declared.issuerUrl;
    this.clientId = declared.clientId;
    this.clientSecret = declared.clientSecret;
    this.clientInternalId = declared.clientInternalId;
    this.scopes = request.scopes;
    this.authUrlParams = request.authUrlParams;
    this.registerOutputs({ ...declared });
  }

  /** Declares the client and its optional scopes; with `found`, imports that client. */
  private declareClient(
    name: string, args: KeycloakCoderClientArgs, childOpts: { parent: pulumi.Resource; provider: keycloak.Provider },
    url: string, found?: keycloak.openid.GetClientResult,
  ): Declared {
    const { request, settings, connection } = args;
    const { tokens } = request;
    const wanted = {
      clientId: request.clientId,
      name: request.displayName,
      enabled: true,
      accessType: "CONFIDENTIAL",
      // The documented default is false: without the standard (authorization code) flow Coder cannot log in.
      standardFlowEnabled: true,
      implicitFlowEnabled: false,
      directAccessGrantsEnabled: false,
      serviceAccountsEnabled: false,
      validRedirectUris: [request.redirectUri],
      webOrigins: [request.coderOrigin],
      useRefreshTokens: true,
      // Client-level lifetimes are seconds, as strings. Unset → the realm's values apply.
      accessTokenLifespan: secondsText(tokens.accessTokenLifetime),
      clientOfflineSessionIdleTimeout: secondsText(tokens.refreshIdleTimeout),
      clientOfflineSessionMaxLifespan: secondsText(tokens.refreshMaxLifetime),
    };
    // Keycloak's import id is `<realm>/<the client's internal id>`.
    const importId = found ? `${settings.realm}/${found.id}` : undefined;
    const client = new keycloak.openid.Client(`${name}-client`, { realmId: settings.realm, ...wanted }, { ...childOpts, import: importId });
    if (found) {
      reportAdoption({
        idp: "Keycloak",
        where: `realm "${settings.realm}"`,
        clientId: found.clientId,
        imports: [{ name: `${name}-client`, id: importId! }],
        changes: fieldChanges(found as unknown as Record<string, unknown>, wanted),
        secret: "The client secret stays: Keycloak gives it back, so CODER_OIDC_CLIENT_SECRET is the secret Coder has today.",
        related: `The client's optional scopes (${name}-optional-scopes) become the realm's default optional scopes plus ` +
          `${OFFLINE_ACCESS_SCOPE} and the scopes Coder requests; an optional scope attached to this client by hand beyond ` +
          "those is detached (add it to coder-oidc:extraScopes to keep it).",
      }, this);
    }

    // ClientOptionalScopes is authoritative: it removes every optional scope it does not list. So list what
    // the realm gives every new client today, plus offline_access and any requested scope that is not a
    // realm default scope already: nothing the realm gives is wiped, and offline_access is guaranteed.
    const realm = keycloak.getRealmOutput({ realm: settings.realm }, childOpts);
    const optionalScopes = realm.apply((r) => {
      const defaults = new Set(r.defaultDefaultClientScopes ?? []);
      const wanted = request.scopes.filter((s) => !IMPLICIT_SCOPES.has(s) && !defaults.has(s));
      return [...new Set([...(r.defaultOptionalClientScopes ?? []), OFFLINE_ACCESS_SCOPE, ...wanted])];
    });
    new keycloak.openid.ClientOptionalScopes(`${name}-optional-scopes`, {
      realmId: settings.realm,
      clientId: client.id,
      optionalScopes,
    }, childOpts);

    realm.apply((r) => warnAboutRealm(r, request, settings.realm, this));
    return {
      issuerUrl: pulumi.output(settings.issuerUrl ?? keycloakIssuerUrl(url, connection.values.basePath ?? "", settings.realm)),
      clientId: client.clientId,
      clientSecret: pulumi.secret(client.clientSecret),
      clientInternalId: client.id,
    };
  }

}

/** What {@link KeycloakCoderClient} declares, as outputs. */
type Declared = {
  readonly issuerUrl: pulumi.Output<string>;
  readonly clientId: pulumi.Output<string>;
  readonly clientSecret: pulumi.Output<string>;
  readonly clientInternalId: pulumi.Output<string>;
};

function secondsText(seconds: number | undefined): string | undefined {
  return seconds === undefined ? undefined : String(seconds);
}

/** The realm-level settings that decide whether the client's refresh lifetimes take effect. */
interface RealmSessionSettings {
  /** The realm's access token lifespan, a Go duration: a client without its own uses it. */
  readonly accessTokenLifespan?: string;
  readonly offlineSessionIdleTimeout?: string;
  readonly offlineSessionMaxLifespan?: string;
  readonly offlineSessionMaxLifespanEnabled?: boolean;
  /** The realm's "Revoke Refresh Token": refresh tokens are single use (rotation). */
  readonly revokeRefreshToken?: boolean;
  /** "Refresh Token Max Reuse": how many times a refresh token may be reused before it is revoked. */
  readonly refreshTokenMaxReuse?: number;
}

function warnAboutRealm(
  realm: RealmSessionSettings,
  request: CoderClientRequest,
  realmName: string,
  resource: pulumi.Resource,
): void {
  const { accessTokenLifetime, refreshIdleTimeout, refreshMaxLifetime } = request.tokens;
  // The rules of coder-oidc:tokens against the realm's side, which only the realm knows (offline: Keycloak's defaults).
  const realmAccess = goDurationSeconds(realm.accessTokenLifespan);
  if (accessTokenLifetime === undefined && refreshIdleTimeout !== undefined && realmAccess !== undefined && refreshIdleTimeout < realmAccess) {
    pulumi.log.warn(
      `Keycloak realm "${realmName}" has an access token lifespan of ${formatDuration(realmAccess)} (the value this plan ` +
      `used; offline, Keycloak's default), longer than coder-oidc:tokens.refreshIdleTimeout (${formatDuration(refreshIdleTimeout)}): ` +
      "Coder's refresh tokens would expire unused before its access token does; set coder-oidc:tokens.accessTokenLifetime " +
      "for the client, or a longer refreshIdleTimeout.", resource);
  }
  const realmOfflineIdle = goDurationSeconds(realm.offlineSessionIdleTimeout);
  if (refreshIdleTimeout === undefined && refreshMaxLifetime !== undefined && realmOfflineIdle !== undefined &&
      realm.offlineSessionMaxLifespanEnabled === true && refreshMaxLifetime < realmOfflineIdle) {
    pulumi.log.warn(
      `Keycloak realm "${realmName}" has Offline Session Idle ${formatDuration(realmOfflineIdle)} (the value this plan used; ` +
      `offline, Keycloak's default), longer than coder-oidc:tokens.refreshMaxLifetime (${formatDuration(refreshMaxLifetime)}): ` +
      "set coder-oidc:tokens.refreshIdleTimeout too, at most refreshMaxLifetime.", resource);
  }
  if (refreshMaxLifetime !== undefined && realm.offlineSessionMaxLifespanEnabled !== true) {
    pulumi.log.warn(
      `Keycloak realm "${realmName}" does not enable "Offline Session Max Limited": the client's offline max ` +
      `lifespan (coder-oidc:tokens.refreshMaxLifetime) applies only when the realm enables it.`, resource);
  }
  if (realm.revokeRefreshToken === true) {
    // Keycloak has no client setting for this, so it cannot be switched off here (see KEYCLOAK_CODER_SETTINGS.rotation in ./coder.ts).
    pulumi.log.warn(
      `Keycloak realm "${realmName}" has "Revoke Refresh Token" on (Refresh Token Max Reuse ${realm.refreshTokenMaxReuse ?? 0}): ` +
      "a refresh token is revoked once used beyond that count, and Keycloak offers no reuse window in time, so Coder's " +
      "concurrent refreshes are answered with invalid_grant and users are signed out at random (coder/coder#25275). " +
      "Keycloak has no client setting to " +
      "override it: turn Revoke Refresh Token off in the realm (Realm settings > Sessions / Tokens).", resource);
  }
  const realmIdle = goDurationSeconds(realm.offlineSessionIdleTimeout);
  if (refreshIdleTimeout !== undefined && realmIdle !== undefined && realmIdle > 0 && refreshIdleTimeout > realmIdle) {
    pulumi.log.warn(
      `Keycloak realm "${realmName}" has Offline Session Idle ${realm.offlineSessionIdleTimeout}, shorter than ` +
      `coder-oidc:tokens.refreshIdleTimeout: Keycloak caps the client's value at the realm's.`, resource);
  }
}

const GO_DURATION_UNITS: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 0.001, us: 1e-6, "µs": 1e-6, ns: 1e-9 };

/** Seconds in a Go duration such as `720h0m0s` (how Keycloak's realm settings are written). */
function goDurationSeconds(text: string | undefined): number | undefined {
  if (!text) return undefined;
  let total = 0;
  let rest = text.trim();
  while (rest.length > 0) {
    const match = /^(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|ns)/.exec(rest);
    if (!match) return undefined;
    total += Number(match[1]) * GO_DURATION_UNITS[match[2]];
    rest = rest.slice(match[0].length);
  }
  return total;
}
