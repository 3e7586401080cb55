/**
 * `coder-oidc:pingfederate`: the PingFederate admin API and Coder's OAuth client there, and the rules that span it.
 */
import { z } from "zod";
import { duration, flag, httpsUrl, nonEmpty, pathSafeId } from "../../src/config-fields";
import type { IdpConfigContext } from "../../src/idp";
import { isPathSafeId, PATH_SAFE_ID_RULE } from "../../src/identifiers";
import { OFFLINE_SECRET_PLACEHOLDER } from "../../src/provider-config";
import { wholeMinutesProblem } from "./model";

/**
 * A PingFederate plugin instance id (access token manager, OIDC policy): letters, digits and `_`, at most 32,
 * as PingFederate's own Terraform provider validates them.
 */
export const pingFederateId = (what: string) =>
  z.string({ error: `must be a string (${what})` }).refine((text) => text === OFFLINE_SECRET_PLACEHOLDER || /^[A-Za-z0-9_]{1,32}$/.test(text), {
    error: `must be 1 to 32 letters, digits or _ (${what}), as PingFederate names plugin instances`,
  });

/** `coder-oidc:pingfederate`: the PingFederate admin API and Coder's OAuth client there. */
export const pingfederateSchema = z.strictObject({
  /** Base of the admin API, e.g. `https://pf.example.com:9999/pf-admin-api/v1`. */
  adminUrl: httpsUrl("PingFederate admin API base", false),
  /** PingFederate's runtime base URL (its issuer), e.g. `https://sso.example.com`. */
  issuerUrl: httpsUrl("PingFederate runtime base URL", true, false, { kind: "issuer", idp: "PingFederate" }),
  /** Admin user for basic auth; or set PINGFEDERATE_ADMIN_USERNAME. */
  username: nonEmpty("admin username").optional(),
  /** Admin password (secret); or set PINGFEDERATE_ADMIN_PASSWORD. */
  password: nonEmpty("admin password").optional(),
  /** Admin bearer token (secret); or set PINGFEDERATE_ADMIN_TOKEN. */
  token: nonEmpty("admin bearer token").optional(),
  /** PEM text, or a path to a PEM file, of the CA that signed the admin API's certificate. */
  caCertificate: nonEmpty("CA certificate PEM or file path").optional(),
  /** Skip TLS verification of the admin API. Only when set explicitly; warned about on every run. */
  insecureSkipTlsVerify: flag.default(false),
  /**
   * Replaced by `coder-oidc:refreshTokenRotation`; setting it is an error that says so (it would be a second
   * switch for the same thing).
   */
  rollRefreshTokens: z.unknown().optional(),
  /** Access token manager for Coder's tokens. Default: the server's default manager. */
  accessTokenManagerId: pingFederateId("access token manager id").optional(),
  /** OpenID Connect policy for Coder's ID tokens. Default: the server's default policy. */
  oidcPolicyGroupId: pingFederateId("OIDC policy id").optional(),
  /** Replicate the cluster after changes when it says replication is required. Default `auto`. */
  replicate: z.enum(["auto", "never"], { error: "must be auto or never" }).default("auto"),
  /** Any text; changing it rotates the client secret. Default: never rotate. */
  secretVersion: z.union([z.string(), z.number()], { error: "must be a string, e.g. 2026-11" }).transform(String).optional(),
  /** How long the previous secret keeps working after a rotation. Default 24h. */
  secretOverlap: duration.prefault("24h"),
});

/** Parsed `coder-oidc:pingfederate`. */
export type PingFederateSettings = z.infer<typeof pingfederateSchema>;

/** What an admin API path says the client id is part of. */
const CLIENT_ID_IN_PATH = "PingFederate client id, part of the admin API path /oauth/clients/<id>";

/**
 * PingFederate's own rules: client ids that fit its admin API paths, refresh lifetimes in whole minutes (its finest
 * unit), one way to log in to the admin API, and the replaced rollRefreshTokens.
 */
export function pingFederateConfigProblems({ config, written, add }: IdpConfigContext<PingFederateSettings>): void {
  if (config.clientId !== undefined) {
    const inPath = pathSafeId(CLIENT_ID_IN_PATH).safeParse(config.clientId);
    if (!inPath.success) add(["clientId"], inPath.error.issues[0].message);
  }
  const tokens = config.tokens ?? {};
  for (const key of ["refreshIdleTimeout", "refreshMaxLifetime"] as const) {
    const seconds = tokens[key];
    const problem = seconds === undefined ? undefined : wholeMinutesProblem(seconds);
    if (problem) add(["tokens", key], problem);
  }
  // Presence is read from the values as written: a field that failed its own check is still there to check here.
  const section = written.pingfederate;
  const has = (field: string) => typeof section === "object" && section !== null && (section as Record<string, unknown>)[field] !== undefined;
  if (has("password") && !has("username")) {
    add(["pingfederate", "username"], "is required when pingfederate.password is set");
  }
  if (has("token") && (has("username") || has("password"))) {
    add(["pingfederate", "token"], "excludes pingfederate.username and pingfederate.password: choose one way to log in");
  }
  if (has("rollRefreshTokens")) {
    add(["pingfederate", "rollRefreshTokens"],
      "is replaced by coder-oidc:refreshTokenRotation: remove it; refreshTokenRotation off (the default) sets " +
      "refreshRolling DONT_ROLL, on (with coder-oidc:refreshTokenReuseWindow) sets ROLL with that grace period");
  }
  const adopt = config.adoptClientId;
  if (adopt !== undefined && !isPathSafeId(adopt)) {
    add(["adoptClientId"], `must be ${PATH_SAFE_ID_RULE} (${CLIENT_ID_IN_PATH}), got "${adopt}"`);
  }
}

/** The environment variable that adopted a PingFederate client before `coder-oidc:adoptClientId` replaced it. */
export const LEGACY_PINGFEDERATE_ADOPT_ENV = "PINGFEDERATE_ADOPT_CLIENT";
