/**
 * Coded errors. Callers branch on `code`, never on message text. Every message is written for the
 * person running the stack: it names the config key or the API call, and never carries a secret.
 */

/**
 * The `stack` of a coded error: its head line `<name> [<code>]: <message>`, the form Node gives its own coded
 * errors, with no frames.
 */
export function codedStack(name: string, code: string, message: string): string {
  return `${name} [${code}]: ${message}`;
}

/** Base of every error this toolkit throws on purpose. */
export class CoderOidcError extends Error {
  static readonly code: string = "ERR_CODER_OIDC";
  readonly code: string = CoderOidcError.code;
  /**
   * Marks the error as a Pulumi `RunError` (duck-typed, as Pulumi itself checks it): the engine then prints
   * the message alone, with no stack trace.
   */
  readonly __pulumiRunError = true;

  constructor(message: string) {
    super(message);
    this.name = new.target.name;
    // The stack is the error's head line, as Node writes a coded error's (`ConfigError [ERR_CONFIG_INVALID]: …`),
    // so what prints `err.stack` (Node for an uncaught error, loggers) shows what to fix. No stack frames: Pulumi's
    // dynamic-provider host prints `${err}: ${err.stack}` (seen on the real engine: a PingFederate 401 came out
    // with two dozen frames of serialized code).
    Object.defineProperty(this, "stack", {
      value: codedStack(this.name, (new.target as unknown as { code: string }).code, message),
      writable: true,
      configurable: true,
    });
  }
}

/** One problem in the stack configuration, tied to the key that has it. */
export interface ConfigProblem {
  /** The full config key, e.g. `coder-oidc:tokens.refreshIdleTimeout` or `keycloak:url`. */
  readonly key: string;
  /** What is wrong and what would be right. */
  readonly message: string;
}

/** The message of a {@link ConfigError}: a heading, then one `key: message` line a problem. */
export function configErrorMessage(problems: readonly ConfigProblem[], heading = "Invalid stack configuration"): string {
  return `${heading}:\n${problems.map((p) => `  - ${p.key}: ${p.message}`).join("\n")}`;
}

/** The stack configuration breaks one or more rules; `problems` lists every one of them. */
export class ConfigError extends CoderOidcError {
  static readonly code = "ERR_CONFIG_INVALID";
  override readonly code = ConfigError.code;
  readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly ConfigProblem[], heading = "Invalid stack configuration") {
    super(configErrorMessage(problems, heading));
    this.problems = problems;
  }
}

/** A stack file is missing, unreadable or malformed, or a stack name is not valid. */
export class StackFileError extends CoderOidcError {
  static readonly code = "ERR_STACK_FILE";
  override readonly code = StackFileError.code;
}

/**
 * `coder-oidc:adoptClientId` names no client at the IdP (or more than one). The message names the IdP, where it
 * looked (realm, tenant, org, admin API) and the id, with the IdP's own answer.
 */
export class AdoptionError extends CoderOidcError {
  static readonly code = "ERR_ADOPT_CLIENT";
  override readonly code = AdoptionError.code;
}
