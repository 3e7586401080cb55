/**
 * The two PingFederate dynamic resources: Coder's OAuth client, and the `offline_access` common scope it needs.
 * Inputs are named exactly as in PingFederate's `Client` model (FACTS.md §3.4). Credentials are never inputs:
 * the provider reads them when it runs (see ./provider).
 */
import * as pulumi from "@pulumi/pulumi";
import type {
  ClientAuthType,
  GrantTimeUnit,
  GrantType,
  OfflineAccessRequirement,
  PersistentGrantType,
  PfResourceLink,
  RefreshRolling,
  RefreshTokenRollingGracePeriodType,
} from "./model";
import { PINGFEDERATE_TYPES } from "./types";
import type { ReplicateMode } from "./inputs";
import { pingFederateClientProvider, pingFederateScopeProvider } from "./provider";

// The PingFederate model's enums, re-exported for users of the resources.
export {
  ClientAuthType, GrantTimeUnit, GrantType, OfflineAccessRequirement, PersistentGrantType, RefreshRolling,
  RefreshTokenRollingGracePeriodType,
} from "./model";
export { ReplicateMode } from "./inputs";

/** The dynamic-provider module both resources register under. */
const DYNAMIC_MODULE = "pingfederate";

/** Type tokens of the PingFederate dynamic resources, e.g. for policies that check `args.type`. */
export const PingFederateResourceType = {
  /** {@link PingFederateOAuthClient}: `pulumi-nodejs:dynamic/${DYNAMIC_MODULE}:OAuthClient`. */
  OAuthClient: PINGFEDERATE_TYPES.oauthClient,
  /** {@link PingFederateCommonScope}: `pulumi-nodejs:dynamic/${DYNAMIC_MODULE}:CommonScope`. */
  CommonScope: PINGFEDERATE_TYPES.commonScope,
} as const;

/** How both resources reach the admin API. Nothing here is secret. */
export interface PingFederateConnectionArgs {
  /** Base URL of the admin API, e.g. `https://pf.example.com:9999/pf-admin-api/v1`. Changing it replaces the resource. */
  readonly adminUrl: pulumi.Input<string>;
  /** PEM text, or a file path (relative to the project), of the CA that signed the admin API's certificate. Default: Node's CAs. */
  readonly caCertificate?: pulumi.Input<string>;
  /** Skip TLS verification of the admin API. Default false; say so explicitly, for labs only. */
  readonly insecureSkipTlsVerify?: pulumi.Input<boolean>;
  /** After each change, replicate the cluster when `/cluster/status` says it is required (`auto`, default) or never. */
  readonly replicate?: pulumi.Input<ReplicateMode>;
}

/** Arguments of {@link PingFederateOAuthClient}; each one is the `Client` field of the same name. */
export interface PingFederateOAuthClientArgs extends PingFederateConnectionArgs {
  /** The client id. Changing it replaces the client. */
  readonly clientId: pulumi.Input<string>;
  /** Display name. */
  readonly name: pulumi.Input<string>;
  /** Shown on the consent page. Default: unmanaged (whatever the client has stays). */
  readonly description?: pulumi.Input<string>;
  /** Allowed redirect URIs; compared as a set. */
  readonly redirectUris: pulumi.Input<pulumi.Input<string>[]>;
  /** Allowed grant types (for Coder: `AUTHORIZATION_CODE`, `REFRESH_TOKEN`); compared as a set. */
  readonly grantTypes: pulumi.Input<pulumi.Input<GrantType>[]>;
  /** Limit the client to `restrictedScopes` (for Coder: true). */
  readonly restrictScopes: pulumi.Input<boolean>;
  /** The scopes the client may request; compared as a set. Each must be defined on the server. */
  readonly restrictedScopes: pulumi.Input<pulumi.Input<string>[]>;
  /** Refresh token rolling. Default `SERVER_DEFAULT`. */
  readonly refreshRolling?: pulumi.Input<RefreshRolling>;
  /** Whose grace period a rolled refresh token gets. Default: unmanaged (whatever the client has stays). */
  readonly refreshTokenRollingGracePeriodType?: pulumi.Input<RefreshTokenRollingGracePeriodType>;
  /** Seconds a rolled refresh token keeps working, with `OVERRIDE_SERVER_DEFAULT`. */
  readonly refreshTokenRollingGracePeriod?: pulumi.Input<number>;
  /** How the refresh token's maximum lifetime is decided. Default `SERVER_DEFAULT` (the server's, indefinite by default). */
  readonly persistentGrantExpirationType?: pulumi.Input<PersistentGrantType>;
  /** Maximum lifetime with `OVERRIDE_SERVER_DEFAULT`; -1 = indefinite. */
  readonly persistentGrantExpirationTime?: pulumi.Input<number>;
  /** Unit of `persistentGrantExpirationTime`; required with `OVERRIDE_SERVER_DEFAULT`. */
  readonly persistentGrantExpirationTimeUnit?: pulumi.Input<GrantTimeUnit>;
  /** How the refresh token's idle timeout is decided. Default `SERVER_DEFAULT` (the server's, 30 days by default). */
  readonly persistentGrantIdleTimeoutType?: pulumi.Input<PersistentGrantType>;
  /** Idle timeout with `OVERRIDE_SERVER_DEFAULT`. */
  readonly persistentGrantIdleTimeout?: pulumi.Input<number>;
  /** Unit of `persistentGrantIdleTimeout`; required with `OVERRIDE_SERVER_DEFAULT`. */
  readonly persistentGrantIdleTimeoutTimeUnit?: pulumi.Input<GrantTimeUnit>;
  /** Whether refresh tokens need the `offline_access` scope. Applied on PingFederate 12.1+ only. Default `SERVER_DEFAULT`. */
  readonly requireOfflineAccessScopeToIssueRefreshTokens?: pulumi.Input<OfflineAccessRequirement>;
  /** Skip the consent page. Default false. */
  readonly bypassApprovalPage?: pulumi.Input<boolean>;
  /** The access token manager for this client's tokens. Default: none (the server's default manager). */
  readonly defaultAccessTokenManagerRef?: pulumi.Input<PfResourceLink>;
  /** The OpenID Connect policy (`policyGroup`); other `oidcPolicy` fields are left as they are. Default: the server's default policy. */
  readonly oidcPolicy?: pulumi.Input<{ readonly policyGroup?: pulumi.Input<PfResourceLink> }>;
  /** Any text; changing it rotates the client secret. Default: never rotate. */
  readonly secretVersion?: pulumi.Input<string>;
  /** Seconds the previous secret keeps working after a rotation (a secondary secret). Default 86400. */
  readonly secretOverlap?: pulumi.Input<number>;
  /**
   * The client id to take over when it exists already (must be `clientId`): create keeps its secret and every
   * unmanaged setting instead of refusing. Pulumi's `import` option cannot do this for a dynamic resource (the
   * engine's import gives `read` no provider code). Default: none (create refuses an existing client).
   */
  readonly adoptClientId?: pulumi.Input<string>;
}

/**
 * A PingFederate OAuth client with client-secret authentication, managed through the admin API.
 *
 * Only the fields in {@link PingFederateOAuthClientArgs} are managed: an update reads the live client, changes
 * those, and PUTs the whole object back, so every other setting survives. `pulumi refresh` reports changes
 * made by hand to managed fields. The secret is generated on create and is a secret output; change
 * `secretVersion` to rotate it.
 */
export class PingFederateOAuthClient extends pulumi.dynamic.Resource {
  /** The client id. */
  declare readonly clientId: pulumi.Output<string>;
  /** Display name. */
  declare readonly name: pulumi.Output<string>;
  /** Allowed redirect URIs. */
  declare readonly redirectUris: pulumi.Output<string[]>;
  /** Allowed grant types. */
  declare readonly grantTypes: pulumi.Output<GrantType[]>;
  /** The scopes the client may request. */
  declare readonly restrictedScopes: pulumi.Output<string[]>;
  /** The client secret; a secret output. */
  declare readonly clientSecret: pulumi.Output<string>;
  /** PingFederate's version when the client was last written. */
  declare readonly serverVersion: pulumi.Output<string>;
  /** `clientAuth.type` as live (`SECRET` unless changed by hand). */
  declare readonly clientAuthType: pulumi.Output<ClientAuthType>;

  /**
   * @param name Logical name.
   * @param args The managed fields and how to reach the admin API.
   * @param opts Resource options; `clientSecret` is always added to `additionalSecretOutputs`.
   */
  constructor(name: string, args: PingFederateOAuthClientArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      pingFederateClientProvider,
      name,
      // Outputs the provider computes are declared as undefined inputs so that they become properties.
      { ...args, clientSecret: undefined, serverVersion: undefined, clientAuthType: undefined },
      pulumi.mergeOptions(opts, { additionalSecretOutputs: ["clientSecret"] }),
      DYNAMIC_MODULE,
      "OAuthClient",
    );
  }
}

/** Arguments of {@link PingFederateCommonScope}. */
export interface PingFederateCommonScopeArgs extends PingFederateConnectionArgs {
  /** The scope, e.g. `offline_access`. Changing it replaces the resource. */
  readonly name: pulumi.Input<string>;
  /** Its description (shown on consent pages), used only if this resource creates the scope. */
  readonly description: pulumi.Input<string>;
}

/**
 * Makes sure a common scope exists on PingFederate's authorization server, through the scopes sub-resource
 * (never a PUT of all server settings). A scope that exists already is adopted as is; on destroy the scope
 * is left in place, since other clients may use it.
 */
export class PingFederateCommonScope extends pulumi.dynamic.Resource {
  /** The scope's name. */
  declare readonly name: pulumi.Output<string>;
  /** True when the scope existed before and was adopted. */
  declare readonly adopted: pulumi.Output<boolean>;

  /**
   * @param name Logical name.
   * @param args The scope and how to reach the admin API.
   * @param opts Resource options.
   */
  constructor(name: string, args: PingFederateCommonScopeArgs, opts?: pulumi.CustomResourceOptions) {
    super(pingFederateScopeProvider, name, { ...args, adopted: undefined }, opts, DYNAMIC_MODULE, "CommonScope");
  }
}
