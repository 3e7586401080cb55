/**
 * The Coder side: what every IdP component is asked for, what it hands back, and the Coder environment
 * variables built from that. The per-IdP scopes and params come from the table in ./idps.
 */
import * as pulumi from "@pulumi/pulumi";
import type { BaseStackConfig, TokenLifetimes } from "./config";
import type { CoderOidcSettings } from "./idp";
import { coderAuthUrlParams, coderOrigin, coderRedirectUri, coderScopes, formatAuthUrlParams, formatCsvRecord } from "./coder-table";

/** The Coder environment variables this toolkit sets, by role. */
export const CoderEnvName = {
  /** The IdP's issuer; Coder fetches `<issuer>/.well-known/openid-configuration`. */
  IssuerUrl: "CODER_OIDC_ISSUER_URL",
  /** The OAuth client id Coder logs in with. */
  ClientId: "CODER_OIDC_CLIENT_ID",
  /** The OAuth client secret; always a secret. */
  ClientSecret: "CODER_OIDC_CLIENT_SECRET",
  /** Scopes, one CSV record. */
  Scopes: "CODER_OIDC_SCOPES",
  /** Extra authorization URL parameters, a JSON object of strings. */
  AuthUrlParams: "CODER_OIDC_AUTH_URL_PARAMS",
  /** The claim Coder reads groups from, when the IdP sends one. */
  GroupField: "CODER_OIDC_GROUP_FIELD",
  /** The claim Coder reads the email from, when not `email`. */
  EmailField: "CODER_OIDC_EMAIL_FIELD",
  /** The email domain(s) allowed to sign in. */
  EmailDomain: "CODER_OIDC_EMAIL_DOMAIN",
} as const;
/** A Coder environment variable this toolkit sets. */
export type CoderEnvName = (typeof CoderEnvName)[keyof typeof CoderEnvName];

/**
 * What Coder uses for a variable left unset (Coder's `deployment.go`): what a deployment runs with when its
 * environment names no scopes or auth URL params.
 */
export const CODER_ENV_DEFAULTS = {
  [CoderEnvName.Scopes]: "openid,profile,email",
  [CoderEnvName.AuthUrlParams]: '{"access_type":"offline"}',
} as const;

/** The five variables every stack outputs, in the order they are printed. */
export const REQUIRED_CODER_ENV: readonly CoderEnvName[] = [
  CoderEnvName.IssuerUrl,
  CoderEnvName.ClientId,
  CoderEnvName.ClientSecret,
  CoderEnvName.Scopes,
  CoderEnvName.AuthUrlParams,
];

/** What every IdP component is asked to declare: Coder's client, as the stack config describes it. */
export interface CoderClientRequest {
  /** Coder's access URL, without a trailing slash. */
  readonly coderUrl: string;
  /** `<coderUrl>/api/v2/users/oidc/callback`. */
  readonly redirectUri: string;
  /** scheme://host[:port] of Coder's access URL. */
  readonly coderOrigin: string;
  /** The OAuth client id (IdPs that let us choose it). */
  readonly clientId: string;
  /** The client's name on consent screens. */
  readonly displayName: string;
  /**
   * `coder-oidc:adoptClientId`: the client Coder uses today, to find and import instead of creating a new one.
   * Each IdP's component looks it up (its own module says how) and imports it with Pulumi's `import` option.
   */
  readonly adoptClientId?: string;
  /** Every scope Coder requests: the IdP table's, then `extraScopes`, de-duplicated. */
  readonly scopes: readonly string[];
  /** The auth URL params from the IdP table (components may add IdP-specific ones). */
  readonly authUrlParams: Readonly<Record<string, string>>;
  /** Token lifetimes in seconds, as configured. */
  readonly tokens: TokenLifetimes;
  /** Refresh-token rotation: `on` only with a reuse window (seconds), which the config contract guarantees. */
  readonly rotation: { readonly enabled: boolean; readonly reuseWindow?: number };
}

/** Builds the request every component gets from the validated stack config and its IdP's row of the Coder table. */
export function coderClientRequest(config: BaseStackConfig, settings: CoderOidcSettings): CoderClientRequest {
  return {
    coderUrl: config.coderUrl,
    redirectUri: coderRedirectUri(config.coderUrl),
    coderOrigin: coderOrigin(config.coderUrl),
    clientId: config.clientId,
    displayName: config.displayName,
    ...(config.adoptClientId === undefined ? {} : { adoptClientId: config.adoptClientId }),
    scopes: coderScopes(settings, config.extraScopes),
    authUrlParams: coderAuthUrlParams(settings),
    tokens: config.tokens,
    rotation: { enabled: config.refreshTokenRotation === "on", reuseWindow: config.refreshTokenReuseWindow },
  };
}

/** What every IdP component hands back: the Coder settings that match the client it declared. */
export interface CoderOidcClient {
  /** `CODER_OIDC_ISSUER_URL`. */
  readonly issuerUrl: pulumi.Output<string>;
  /** `CODER_OIDC_CLIENT_ID`. */
  readonly clientId: pulumi.Output<string>;
  /** `CODER_OIDC_CLIENT_SECRET`; a Pulumi secret. */
  readonly clientSecret: pulumi.Output<string>;
  /** The scopes Coder must request. */
  readonly scopes: readonly string[];
  /** The auth URL params Coder must send. */
  readonly authUrlParams: Readonly<Record<string, string>>;
  /** Further Coder variables this client needs (e.g. `CODER_OIDC_GROUP_FIELD`). */
  readonly extraEnv: Readonly<Partial<Record<CoderEnvName, pulumi.Input<string>>>>;
  /** Stack outputs beyond Coder's variables (e.g. where a secret is stored), by output name. */
  readonly extraOutputs?: Readonly<Record<string, pulumi.Input<string>>>;
  /**
   * When adopting: settles once the existing client was found and every resource declared; rejects with an
   * AdoptionError (src/errors) when it was not found. The program awaits it, so that error is the run's error.
   */
  readonly ready?: Promise<unknown>;
}

/** The stack outputs for a client: the Coder variables, the client secret always wrapped as a secret. */
export function coderEnvOutputs(client: CoderOidcClient): Record<string, pulumi.Output<string>> {
  const outputs: Record<string, pulumi.Output<string>> = {
    [CoderEnvName.IssuerUrl]: client.issuerUrl,
    [CoderEnvName.ClientId]: client.clientId,
    [CoderEnvName.ClientSecret]: pulumi.secret(client.clientSecret),
    [CoderEnvName.Scopes]: pulumi.output(formatCsvRecord(client.scopes)),
    [CoderEnvName.AuthUrlParams]: pulumi.output(formatAuthUrlParams(client.authUrlParams)),
  };
  for (const [name, value] of Object.entries(client.extraEnv)) {
    if (value !== undefined) outputs[name] = pulumi.output(value);
  }
  return outputs;
}
