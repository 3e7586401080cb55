/**
 * PingFederate: Coder's OAuth client, set up for refresh tokens, through the admin API (no Pulumi provider
 * exists, so two dynamic resources do the work). Facts: ../shared/reference/FACTS.md §2.4 and §3.
 */
import * as pulumi from "@pulumi/pulumi";
import type { PingFederateSettings } from "./config";
import type { CoderClientRequest, CoderEnvName, CoderOidcClient } from "../../src/coder-env";
import { formatDuration } from "../../src/duration";
import { OFFLINE_ACCESS_SCOPE, rotationWarning } from "../../src/coder-table";
import {
  GrantType, grantTimeFromSeconds, OfflineAccessRequirement, PersistentGrantType, RefreshRolling, RefreshTokenRollingGracePeriodType,
  type GrantTime, wholeMinutesProblem,
} from "./model";
import { PingFederateCommonScope, PingFederateOAuthClient, type PingFederateConnectionArgs } from "./resource";
import { pemFromConfig } from "../../src/project-paths";
import { PINGFEDERATE_CODER_SETTINGS } from "./coder";
import { PINGFEDERATE_TYPES } from "./types";
import { reportAdoption } from "../../src/adoption";

/** Arguments of {@link PingFederateCoderClient}. */
export interface PingFederateCoderClientArgs {
  /** Coder's client as the stack config describes it. */
  readonly request: CoderClientRequest;
  /** `coder-oidc:pingfederate`. Its credentials are never passed on: the provider reads them when it runs. */
  readonly settings: PingFederateSettings;
}

/** What the `offline_access` scope says on a consent page, if this stack has to define it. */
const OFFLINE_ACCESS_DESCRIPTION = "Stay signed in: issue refresh tokens that outlive the browser session";

/**
 * Coder's confidential OAuth client in PingFederate: authorization code + refresh token grants, scopes
 * restricted to what Coder asks for (with `offline_access`, which this component also makes sure exists as a
 * common scope), refresh-token lifetimes from `coder-oidc:tokens`, and a generated client secret.
 */
export class PingFederateCoderClient extends pulumi.ComponentResource implements CoderOidcClient {
  /** PingFederate's runtime base URL (`coder-oidc:pingfederate.issuerUrl`). */
  readonly issuerUrl: pulumi.Output<string>;
  /** The OAuth client id (`coder-oidc:clientId`, default `coder`). */
  readonly clientId: pulumi.Output<string>;
  /** The generated client secret; a secret. */
  readonly clientSecret: pulumi.Output<string>;
  /** Scopes Coder requests: openid, profile, email, offline_access, then extraScopes. */
  readonly scopes: readonly string[];
  /** Auth URL params from the IdP table (`{"access_type":"offline"}`, harmless to PingFederate). */
  readonly authUrlParams: Readonly<Record<string, string>>;
  /** No further Coder variables are needed for PingFederate. */
  readonly extraEnv: Readonly<Partial<Record<CoderEnvName, pulumi.Input<string>>>> = {};

  /**
   * @param name Logical name; children are `${name}-offline-access-scope` and `${name}-client`.
   * @param args What to declare.
   * @param opts Resource options.
   */
  constructor(name: string, args: PingFederateCoderClientArgs, opts?: pulumi.ComponentResourceOptions) {
    super(PINGFEDERATE_TYPES.component, name, {}, opts);
    const { request, settings } = args;
    const { tokens } = request;

    // Validate before declaring anything: PingFederate counts grant times in whole minutes at best.
    const expiration = grantTime(tokens.refreshMaxLifetime, "refreshMaxLifetime", this);
    const idle = grantTime(tokens.refreshIdleTimeout, "refreshIdleTimeout", this);
    warn(settings, request, this);

    const connection: PingFederateConnectionArgs = {
      adminUrl: settings.adminUrl,
      // The PEM itself, read now from a path relative to the project root: the state then holds what the provider
      // trusts, the same on every machine and checkout, whatever the working directory.
      caCertificate: settings.caCertificate === undefined ? undefined : pemFromConfig("coder-oidc:pingfederate.caCertificate", settings.caCertificate),
      insecureSkipTlsVerify: settings.insecureSkipTlsVerify,
      replicate: settings.replicate,
    };
    const scope = new PingFederateCommonScope(`${name}-offline-access-scope`, {
      ...connection,
      name: OFFLINE_ACCESS_SCOPE,
      description: OFFLINE_ACCESS_DESCRIPTION,
    }, { parent: this });

    const client = new PingFederateOAuthClient(`${name}-client`, {
      ...connection,
      clientId: request.clientId,
      name: request.displayName,
      description: `Coder at ${request.coderUrl} (managed by Pulumi, coder-oidc)`,
      redirectUris: [request.redirectUri],
      grantTypes: [GrantType.AuthorizationCode, GrantType.RefreshToken],
      restrictScopes: true,
      restrictedScopes: [...request.scopes],
      // coder-oidc:refreshTokenRotation: off → never roll; on → roll, with the reuse window as this client's grace period.
      ...(request.rotation.enabled
        ? {
            refreshRolling: RefreshRolling.Roll,
            refreshTokenRollingGracePeriodType: RefreshTokenRollingGracePeriodType.OverrideServerDefault,
            refreshTokenRollingGracePeriod: request.rotation.reuseWindow,
          }
        : { refreshRolling: RefreshRolling.DontRoll }),
      ...(expiration
        ? {
            persistentGrantExpirationType: PersistentGrantType.OverrideServerDefault,
            persistentGrantExpirationTime: expiration.time,
            persistentGrantExpirationTimeUnit: expiration.unit,
          }
        : { persistentGrantExpirationType: PersistentGrantType.ServerDefault }),
      ...(idle
        ? {
            persistentGrantIdleTimeoutType: PersistentGrantType.OverrideServerDefault,
            persistentGrantIdleTimeout: idle.time,
            persistentGrantIdleTimeoutTimeUnit: idle.unit,
          }
        : { persistentGrantIdleTimeoutType: PersistentGrantType.ServerDefault }),
      // Coder always asks for offline_access, so refresh tokens are tied to it, whatever the server default.
      requireOfflineAccessScopeToIssueRefreshTokens: OfflineAccessRequirement.Yes,
      // Coder is a first-party app: a consent page would only stand between users and their workspaces.
      bypassApprovalPage: true,
      defaultAccessTokenManagerRef: settings.accessTokenManagerId ? { id: settings.accessTokenManagerId } : undefined,
      oidcPolicy: settings.oidcPolicyGroupId ? { policyGroup: { id: settings.oidcPolicyGroupId } } : undefined,
      secretVersion: settings.secretVersion,
      secretOverlap: settings.secretOverlap,
      adoptClientId: request.adoptClientId,
    }, { parent: this, dependsOn: [scope] });
    if (request.adoptClientId !== undefined) explainAdoption(request.adoptClientId, `${name}-client`, settings, this);

    this.issuerUrl = pulumi.output(settings.issuerUrl);
    this.clientId = client.clientId;
    this.clientSecret = pulumi.secret(client.clientSecret);
    this.scopes = request.scopes;
    this.authUrlParams = request.authUrlParams;
    this.registerOutputs({
      issuerUrl: this.issuerUrl,
      clientId: this.clientId,
      clientSecret: this.clientSecret,
    });
  }
}

/**
 * The plan's note on adopting a client. Pulumi cannot import a dynamic resource (the engine's import gives `read`
 * no provider code), so the provider adopts: its `check` makes sure the client exists (preview fails otherwise) and
 * its `create` takes the client over instead of refusing it.
 */
function explainAdoption(clientId: string, resourceName: string, settings: PingFederateSettings, resource: pulumi.Resource): void {
  reportAdoption({
    idp: "PingFederate",
    where: `the admin API at ${settings.adminUrl}`,
    clientId,
    imports: [],
    changes: [],
    secret: "The client secret stays: PingFederate stores it write-only, so the stack cannot read it and issues none; " +
      "Coder keeps the CODER_OIDC_CLIENT_SECRET it has, and the stack outputs none. To have the stack issue one later, " +
      "change coder-oidc:pingfederate.secretVersion: the new secret is set and the old one keeps working for secretOverlap.",
    related: `${resourceName} takes the client over when it is created (Pulumi cannot import a dynamic resource); the ` +
      "preview fails if there is no such client. The managed fields (name, description, redirectUris, grantTypes, restrictedScopes, refresh-token and lifetime settings, " +
      "bypassApprovalPage) are set to the stack's values (the preview shows them as the inputs of the client it creates); " +
      "an extra redirect URI or scope there is replaced. Every other field (clientAuth and its secrets, logo, " +
      "policies beyond the OIDC policy group) is kept.",
  }, resource);
}

/** A `coder-oidc:tokens` duration as a PingFederate grant time; throws when it is not whole minutes (the model's rule). */
function grantTime(seconds: number | undefined, key: string, parent: pulumi.Resource): GrantTime | undefined {
  if (seconds === undefined) return undefined;
  const problem = wholeMinutesProblem(seconds);
  if (problem !== undefined) throw new pulumi.ResourceError(`coder-oidc:tokens.${key} ${problem}`, parent);
  return grantTimeFromSeconds(seconds);
}

/** The authorization server's default persistentGrantIdleTimeout: 30 days (PingFederate 12.1 admin API schema). */
const PINGFEDERATE_DEFAULT_IDLE_SECONDS = 30 * 86400;

/** Warnings repeated on every run, so they are never forgotten. */
function warn(settings: PingFederateSettings, request: CoderClientRequest, resource: pulumi.Resource): void {
  if (settings.insecureSkipTlsVerify) {
    pulumi.log.warn(
      "coder-oidc:pingfederate.insecureSkipTlsVerify is true: the admin API's TLS certificate is not verified, so " +
      "anyone on the network path can read the admin credentials and Coder's client secret. Set " +
      "coder-oidc:pingfederate.caCertificate to the admin API's CA instead.", resource);
  }
  if (request.tokens.accessTokenLifetime !== undefined) {
    pulumi.log.warn(
      `coder-oidc:tokens.accessTokenLifetime (${formatDuration(request.tokens.accessTokenLifetime)}) is not applied: in ` +
      `PingFederate the access-token lifetime belongs to the Access Token Manager ` +
      `(${settings.accessTokenManagerId ? `"${settings.accessTokenManagerId}"` : "the server's default manager"}), not to the ` +
      `client. Set it there (Applications > OAuth > Access Token Management), no longer than tokens.refreshIdleTimeout.`, resource);
  }
  const { refreshIdleTimeout, refreshMaxLifetime } = request.tokens;
  if (refreshIdleTimeout === undefined && refreshMaxLifetime !== undefined && refreshMaxLifetime < PINGFEDERATE_DEFAULT_IDLE_SECONDS) {
    pulumi.log.warn(
      `coder-oidc:tokens.refreshMaxLifetime (${formatDuration(refreshMaxLifetime)}) is shorter than the idle timeout the server ` +
      `applies as tokens.refreshIdleTimeout is unset: its persistentGrantIdleTimeout, ${formatDuration(PINGFEDERATE_DEFAULT_IDLE_SECONDS)} ` +
      "by PingFederate's default (the value this plan assumed; the server's own is not read). Set tokens.refreshIdleTimeout " +
      "too, at most refreshMaxLifetime.", resource);
  }
  if (request.rotation.enabled) {
    pulumi.log.warn(rotationWarning(PINGFEDERATE_CODER_SETTINGS, formatDuration(request.rotation.reuseWindow ?? 0)), resource);
  }
}
