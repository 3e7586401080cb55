/**
 * The admin API credentials: where they come from (stack config handed to the provider's `configure`, then the
 * environment), resolved when a call is made, never when the program is evaluated; and the secrets they hold, for
 * redaction. Configured credentials live in a process-wide slot (./process-slot), never on the provider object.
 */
import type { ConfigProblem } from "../../src/errors";
import { newConfigError } from "./coded-errors";
import { globalSlot } from "./process-slot";

/** Admin API credentials. */
export type AdminCredentials =
  | {
      /** Basic auth (`native` admin authentication, PingFederate's default). */
      readonly kind: "basic";
      /** Admin user. */
      readonly username: string;
      /** Its password. */
      readonly password: string;
    }
  | {
      /** A bearer token (PingFederate 12.0+ with JWT/OAuth admin authentication). */
      readonly kind: "bearer";
      /** The token. */
      readonly token: string;
    };

/** Credential fields as they arrive from stack config (`coder-oidc:pingfederate`) or the environment. */
export interface AdminCredentialFields {
  /** Admin user for basic auth. */
  readonly username?: string;
  /** Its password. */
  readonly password?: string;
  /** A bearer token. */
  readonly token?: string;
}

/** Environment variables that carry admin credentials. */
export const ADMIN_CREDENTIAL_ENV = {
  /** Admin user for basic auth. */
  Username: "PINGFEDERATE_ADMIN_USERNAME",
  /** Its password. */
  Password: "PINGFEDERATE_ADMIN_PASSWORD",
  /** A bearer token, instead of user and password. */
  Token: "PINGFEDERATE_ADMIN_TOKEN",
} as const;

/** The stack config key of the PingFederate settings, which may hold the credentials. */
export const ADMIN_CONFIG_KEY = "coder-oidc:pingfederate";

/** The process-wide slot of the credentials from stack config. */
const CREDENTIALS_SLOT = "coder-oidc.pingfederate.adminCredentials";

/**
 * Remembers the credentials from stack config for this process: the dynamic provider's `configure` calls it.
 * They live on `globalThis`, never on the provider object, so they never reach the serialized provider.
 */
export function rememberConfiguredCredentials(fields: AdminCredentialFields | undefined): void {
  const present = fields && (fields.username || fields.password || fields.token) ? { ...fields } : undefined;
  globalSlot<AdminCredentialFields>(CREDENTIALS_SLOT).set(present);
}

/** Forgets credentials remembered by {@link rememberConfiguredCredentials} (tests). */
export function forgetConfiguredCredentials(): void {
  globalSlot<AdminCredentialFields>(CREDENTIALS_SLOT).set(undefined);
}

/** Reads the credential fields of `coder-oidc:pingfederate` (JSON text) as the engine hands it to `configure`. */
export function credentialFieldsFromConfig(text: string | undefined): AdminCredentialFields | undefined {
  if (!text) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof parsed !== "object" || parsed === null) return undefined;
  const record = parsed as Record<string, unknown>;
  const pick = (key: string) => (typeof record[key] === "string" && record[key] !== "" ? (record[key] as string) : undefined);
  return { username: pick("username"), password: pick("password"), token: pick("token") };
}

function credentialsError(problems: ConfigProblem[], heading: string): Error {
  return newConfigError(problems, heading);
}

/** Credentials from one source, or problems when it is incomplete or ambiguous; undefined when empty. */
function credentialsFrom(
  fields: AdminCredentialFields,
  names: { username: string; password: string; token: string },
): AdminCredentials | ConfigProblem[] | undefined {
  const { username, password, token } = fields;
  if (!username && !password && !token) return undefined;
  if (token && (username || password)) {
    return [{ key: names.token, message: `is set together with ${names.username}/${names.password}: choose one way to log in` }];
  }
  if (token) return { kind: "bearer", token };
  if (!username) return [{ key: names.username, message: `is required when ${names.password} is set` }];
  if (!password) return [{ key: names.password, message: `is required when ${names.username} is set` }];
  return { kind: "basic", username, password };
}

/**
 * The admin credentials for a call: stack config delivered through `configure` first, then the environment.
 * Resolved when a call is made, never when the program is evaluated. Throws a {@link ConfigError} that names
 * both ways when there are none.
 */
export function resolveAdminCredentials(env: NodeJS.ProcessEnv = process.env): AdminCredentials {
  const configured = globalSlot<AdminCredentialFields>(CREDENTIALS_SLOT).get();
  if (configured) {
    const fromConfig = credentialsFrom(configured, {
      username: `${ADMIN_CONFIG_KEY}.username`,
      password: `${ADMIN_CONFIG_KEY}.password`,
      token: `${ADMIN_CONFIG_KEY}.token`,
    });
    if (Array.isArray(fromConfig)) throw credentialsError(fromConfig, "Incomplete PingFederate admin credentials");
    if (fromConfig) return fromConfig;
  }
  const fromEnv = credentialsFrom(
    { username: env[ADMIN_CREDENTIAL_ENV.Username], password: env[ADMIN_CREDENTIAL_ENV.Password], token: env[ADMIN_CREDENTIAL_ENV.Token] },
    { username: ADMIN_CREDENTIAL_ENV.Username, password: ADMIN_CREDENTIAL_ENV.Password, token: ADMIN_CREDENTIAL_ENV.Token },
  );
  if (Array.isArray(fromEnv)) throw credentialsError(fromEnv, "Incomplete PingFederate admin credentials");
  if (fromEnv) return fromEnv;
  throw credentialsError([{
    key: ADMIN_CONFIG_KEY,
    message:
      `no admin API credentials. Either set ${ADMIN_CREDENTIAL_ENV.Username} and ${ADMIN_CREDENTIAL_ENV.Password} ` +
      `(basic auth) or ${ADMIN_CREDENTIAL_ENV.Token} (bearer token) in the environment of pulumi, or store them in ` +
      `the stack: pulumi config set --secret --path 'pingfederate.username' <user> and ` +
      `pulumi config set --secret --path 'pingfederate.password' <password> (or 'pingfederate.token' <token>)`,
  }], "PingFederate admin credentials are missing");
}

/** The secrets of a set of credentials, including the `user:password` that Basic authentication sends. */
export function credentialSecrets(credentials: AdminCredentials): string[] {
  return credentials.kind === "basic"
    ? [credentials.password, `${credentials.username}:${credentials.password}`]
    : [credentials.token];
}
