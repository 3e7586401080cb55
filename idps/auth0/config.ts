/**
 * `coder-oidc:auth0`: Coder's application in an Auth0 tenant, Auth0's limits, and the rules that span `auth0:*`.
 */
import { z } from "zod";
import { hostName, ISSUER_HOST_CASE } from "../../src/config-fields";
import { formatDuration } from "../../src/duration";
import type { IdpConfigContext } from "../../src/idp";
import { OFFLINE_SECRET_PLACEHOLDER } from "../../src/provider-config";

/** `coder-oidc:auth0`: Coder's application in an Auth0 tenant. Every field is optional. */
export const auth0Schema = z.strictObject({
  /** The tenant's custom domain, when Coder reaches Auth0 through one: the issuer is then `https://<customDomain>/`. */
  customDomain: hostName("Auth0 custom domain").optional(),
  /** How Coder authenticates at the token endpoint with its secret. Default `client_secret_post`. */
  tokenEndpointAuthMethod: z
    .enum(["client_secret_post", "client_secret_basic"], { error: "must be client_secret_post or client_secret_basic" })
    .default("client_secret_post"),
});

/** Parsed `coder-oidc:auth0`. */
export type Auth0Settings = z.infer<typeof auth0Schema>;

/** `coder-oidc:auth0` when the stack leaves it out: every default. */
export const DEFAULT_AUTH0_SETTINGS: Auth0Settings = auth0Schema.parse({});

/** A tenant's own Auth0 domain (`<tenant>[.<region>].auth0.com`), never a custom domain. */
const AUTH0_TENANT_DOMAIN = /(^|\.)auth0\.com$/;

/** Auth0's longest refresh-token lifetime (idle or absolute), from its Management API: 157788000 s, five years. */
export const AUTH0_MAX_REFRESH_SECONDS = 157_788_000;

/** Auth0's own rules: the tenant domain and a custom domain in their one form, no access-token lifetime, Auth0's limits. */
export function auth0ConfigProblems({ config, section, raw, add, addKey }: IdpConfigContext<Auth0Settings>): void {
  const domain = raw.values["auth0:domain"];
  if (!domain) {
    addKey("auth0:domain", "is required: the tenant's domain, e.g. example.us.auth0.com");
  } else if (domain === OFFLINE_SECRET_PLACEHOLDER) {
    // Set with --secret: checked when the engine runs, where it is decrypted.
  } else if (!hostName("").safeParse(domain).success) {
    addKey("auth0:domain", `must be the tenant's domain, e.g. example.us.auth0.com (no https:// or path), got "${domain}"`);
  } else if (domain !== domain.toLowerCase()) {
    addKey("auth0:domain", `must be written in lowercase, "${domain.toLowerCase()}", got "${domain}": ${ISSUER_HOST_CASE}`);
  }
  const customDomain = section?.customDomain;
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
}

