/**
 * Google: no API creates the "Web application" OAuth client or its consent screen, so the stack takes the
 * client made by hand and does what can be automated around it: the exact Coder settings (`prompt=consent`,
 * never `offline_access`), the Workspace domain, and the client secret in Secret Manager.
 * Facts: ../shared/reference/FACTS.md §2.3.
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import type { GoogleSettings } from "./config";
import { CoderEnvName, type CoderClientRequest, type CoderOidcClient } from "../../src/coder-env";
import { GOOGLE_ISSUER_URL } from "./coder";
import { GOOGLE_CODER_SETTINGS } from "./coder";
import { GCP_PROVIDER_KEYS } from "./provider-keys";
import { providerArgsFromConfig, type ProviderConnection } from "../../src/provider-config";
import { GOOGLE_TYPES } from "./types";

/** Arguments of {@link GoogleCoderClient}. */
export interface GoogleCoderClientArgs {
  /** Coder's client as the stack config describes it. */
  readonly request: CoderClientRequest;
  /** `coder-oidc:google`: the hand-made OAuth client, and what to automate around it. */
  readonly settings: GoogleSettings;
  /** The `gcp:*` provider keys (`project`, `credentials`, `impersonateServiceAccount`, …), as strings. */
  readonly connection: ProviderConnection;
}

/** The API that must be on in the project before a secret can be stored. */
const SECRET_MANAGER_API = "secretmanager.googleapis.com";

/**
 * The steps left to do by hand at Google, and the facts users trip on, for a Coder whose OIDC callback is
 * `redirectUri`. The program logs them on every run; the README shows the same text.
 */
export function googleManualSteps(redirectUri: string): string[] {
  return [
    "Google: no API creates the OAuth client or its consent screen, so do this by hand in the Google Cloud console " +
      "(Google Auth Platform, formerly APIs & Services > OAuth consent screen / Credentials):",
    '1. Consent screen: user type "Internal" (your Google Workspace users only) or "External"; add no scopes ' +
      "beyond openid, email and profile.",
    `2. Create an OAuth client of type "Web application" with exactly one authorized redirect URI: ${redirectUri}`,
    "3. Put the client in this stack: pulumi config set --path 'google.clientId' <client id>, then " +
      "pulumi config set --secret --path 'google.clientSecret' <client secret>.",
    "Limit: Google keeps at most 100 refresh tokens per Google account per OAuth client and silently revokes the " +
      "oldest beyond that, so give each Coder deployment its own client.",
    'Limit: an "External" app in the "Testing" publishing status gets refresh tokens that expire after 7 days, ' +
      "unless it asks only for openid, email and profile (Coder's scopes): Google exempts these basic sign-in " +
      'scopes. Any other scope brings the 7-day expiry back until the app is "In production".',
    "Limit: a refresh token unused for 6 months expires; prompt=consent (sent by Coder with these settings) makes " +
      "Google issue a new one at every sign-in.",
    "After Coder has these settings, every user must log out and in once to get a refresh token.",
  ];
}

/**
 * Coder's Google sign-in: the hand-made OAuth client (id and secret from config) with Google's Coder
 * settings, and, with `secretManager`, the client secret stored in Secret Manager. Declares, only with
 * `secretManager` (otherwise nothing, and no Google Cloud credentials are needed):
 *
 * - `${name}-gcp`: the explicit `gcp.Provider`, from `gcp:*`;
 * - `${name}-secretmanager-api`: `secretmanager.googleapis.com` enabled, and left enabled on destroy
 *   (other workloads in the project may use it);
 * - `${name}-client-secret`: a `gcp.secretmanager.Secret` with automatic replication;
 * - `${name}-client-secret-version`: a `SecretVersion` holding the client secret, as a Pulumi secret.
 */
export class GoogleCoderClient extends pulumi.ComponentResource implements CoderOidcClient {
  /** `https://accounts.google.com`. */
  readonly issuerUrl: pulumi.Output<string>;
  /** The OAuth client id, `….apps.googleusercontent.com`. */
  readonly clientId: pulumi.Output<string>;
  /** The OAuth client secret; a secret. */
  readonly clientSecret: pulumi.Output<string>;
  /** Scopes Coder requests: openid, profile, email, then extraScopes (never offline_access). */
  readonly scopes: readonly string[];
  /** Auth URL params: `access_type=offline`, `prompt=consent`, and `hd` with a hosted domain. */
  readonly authUrlParams: Readonly<Record<string, string>>;
  /** `CODER_OIDC_EMAIL_DOMAIN` with `hostedDomain`; nothing otherwise. */
  readonly extraEnv: Readonly<Partial<Record<CoderEnvName, pulumi.Input<string>>>>;
  /** `secretManagerSecretName` (`projects/<project>/secrets/<id>`) with `secretManager`; nothing otherwise. */
  readonly extraOutputs: Readonly<Record<string, pulumi.Input<string>>>;
  /** The Secret Manager secret's resource name, with `secretManager`. */
  readonly secretName?: pulumi.Output<string>;

  /**
   * @param name Logical name; children are named `${name}-gcp`, `${name}-secretmanager-api`,
   *   `${name}-client-secret`, `${name}-client-secret-version`.
   * @param args What to declare.
   * @param opts Resource options; the gcp provider is made here from `args.connection`, when needed.
   * @throws ResourceError when `secretManager` has no project (the stack-config contract rejects that first).
   */
  constructor(name: string, args: GoogleCoderClientArgs, opts?: pulumi.ComponentResourceOptions) {
    super(GOOGLE_TYPES.component, name, {}, opts);
    const { request, settings, connection } = args;
    const secretManager = settings.secretManager;
    const project = secretManager?.project ?? connection.values.project;
    if (secretManager && !project) {
      throw new pulumi.ResourceError("coder-oidc:google.secretManager.project is required unless gcp:project is set", this);
    }

    const clientSecret = pulumi.secret(settings.clientSecret);
    const extraOutputs: Record<string, pulumi.Input<string>> = {};
    if (secretManager) {
      // Only here: a provider with nothing to manage would still ask for Google Cloud credentials.
      const provider = new gcp.Provider(`${name}-gcp`, providerArgsFromConfig(GCP_PROVIDER_KEYS, connection), { parent: this });
      const childOpts = { parent: this, provider };
      const api = new gcp.projects.Service(`${name}-secretmanager-api`, {
        project,
        service: SECRET_MANAGER_API,
        disableOnDestroy: false,
      }, childOpts);
      const secret = new gcp.secretmanager.Secret(`${name}-client-secret`, {
        project,
        secretId: secretManager.secretId,
        replication: { auto: {} },
      }, { ...childOpts, dependsOn: [api] });
      new gcp.secretmanager.SecretVersion(`${name}-client-secret-version`, {
        secret: secret.id,
        secretData: clientSecret,
      }, childOpts);
      this.secretName = secret.name;
      extraOutputs.secretManagerSecretName = secret.name;
    }

    const extraEnv: Partial<Record<CoderEnvName, pulumi.Input<string>>> = {};
    const authUrlParams: Record<string, string> = { ...request.authUrlParams };
    if (settings.hostedDomain) {
      // `hd` only preselects the Workspace account; CODER_OIDC_EMAIL_DOMAIN is what Coder enforces.
      authUrlParams.hd = settings.hostedDomain;
      extraEnv[CoderEnvName.EmailDomain] = settings.hostedDomain;
    }

    pulumi.log.info(googleManualSteps(request.redirectUri).join("\n"), this);
    const basic: readonly string[] = GOOGLE_CODER_SETTINGS.scopes;
    const extra = request.scopes.filter((scope) => !basic.includes(scope));
    if (extra.length > 0) {
      pulumi.log.warn(
        `coder-oidc:extraScopes asks Google for ${extra.join(", ")} beyond openid, email and profile: while the ` +
        'consent screen is "External" and "Testing", Google expires refresh tokens after 7 days. Publish the app ' +
        '("In production") or use an "Internal" consent screen.', this);
    }

    this.issuerUrl = pulumi.output(GOOGLE_ISSUER_URL);
    this.clientId = pulumi.output(settings.clientId);
    this.clientSecret = clientSecret;
    this.scopes = request.scopes;
    this.authUrlParams = authUrlParams;
    this.extraEnv = extraEnv;
    this.extraOutputs = extraOutputs;
    this.registerOutputs({
      issuerUrl: this.issuerUrl,
      clientId: this.clientId,
      clientSecret: this.clientSecret,
      secretName: this.secretName,
    });
  }
}
