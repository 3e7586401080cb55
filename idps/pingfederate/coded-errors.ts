/**
 * The coded errors of the admin API client (PfApiError, owned here, and the core's ConfigError), built so that they work in Pulumi's provider host too: a serialized
 * copy of the error classes cannot be constructed (the closure serializer drops `new.target` and field
 * initializers), so there each falls back to a plain Error with the same name, code, fields and message.
 */
import { codedStack, CoderOidcError, ConfigError, configErrorMessage, type ConfigProblem } from "../../src/errors";

/** One `validationErrors` entry of a PingFederate admin API error body. */
export interface PfValidationError {
  /** PingFederate's error id, e.g. `validation_error`. */
  readonly errorId?: string;
  /** The field the error is about, e.g. `grantTypes[0]`. */
  readonly fieldPath?: string;
  /** The API's own explanation. */
  readonly message?: string;
}

/** What is known about a failed PingFederate admin API call. */
export interface PfApiErrorDetails {
  /** HTTP method, upper case. */
  readonly method: string;
  /** Path below the admin API base URL, e.g. `/oauth/clients/coder`. */
  readonly path: string;
  /** HTTP status, or undefined when no response arrived (timeout, reset, TLS). */
  readonly status?: number;
  /** The API's `resultId`, when it sent one. */
  readonly resultId?: string;
  /** The API's `message`, or the transport error's description. */
  readonly apiMessage?: string;
  /** The API's `validationErrors`. */
  readonly validationErrors: readonly PfValidationError[];
}

/** The message of a {@link PfApiError}: method, path, status, the API's message, every field path, a hint. */
export function pfApiErrorMessage(details: PfApiErrorDetails, hint?: string): string {
  const head = `PingFederate admin API ${details.method} ${details.path} failed` +
    (details.status === undefined ? "" : ` with HTTP ${details.status}`);
  const lines = [head + (details.apiMessage ? `: ${details.apiMessage}` : "")];
  for (const v of details.validationErrors) {
    lines.push(`  - ${v.fieldPath ?? "(no field)"}: ${v.message ?? v.errorId ?? "invalid"}`);
  }
  if (hint) lines.push(hint);
  return lines.join("\n");
}

/** A PingFederate admin API call failed. The message names method, path, status and the API's words. */
export class PfApiError extends CoderOidcError implements PfApiErrorDetails {
  static readonly code = "ERR_PF_API";
  override readonly code = PfApiError.code;
  readonly method: string;
  readonly path: string;
  readonly status?: number;
  readonly resultId?: string;
  readonly apiMessage?: string;
  readonly validationErrors: readonly PfValidationError[];

  constructor(details: PfApiErrorDetails, hint?: string) {
    super(pfApiErrorMessage(details, hint));
    this.method = details.method;
    this.path = details.path;
    this.status = details.status;
    this.resultId = details.resultId;
    this.apiMessage = details.apiMessage;
    this.validationErrors = details.validationErrors;
  }
}

/**
 * A {@link PfApiError}, or, in Pulumi's provider host, a plain Error with the same code (`ERR_PF_API`), fields
 * and message.
 */
export function newPfApiError(details: PfApiErrorDetails, hint?: string): PfApiError {
  try {
    const error = new PfApiError(details, hint);
    if (error.message && error.code === PfApiError.code) return error;
  } catch {
    // A serialized copy of the class: use the fallback below.
  }
  const message = pfApiErrorMessage(details, hint);
  const error = new Error(message);
  // `stack` too, as the class sets it: its head line, no frames.
  return Object.assign(error, { name: "PfApiError", code: "ERR_PF_API", __pulumiRunError: true, ...details,
    stack: codedStack("PfApiError", "ERR_PF_API", message) }) as unknown as PfApiError;
}

/** A {@link ConfigError} (`ERR_CONFIG_INVALID`), constructed the same serialization-safe way as {@link newPfApiError}. */
export function newConfigError(problems: ConfigProblem[], heading: string): ConfigError {
  try {
    const error = new ConfigError(problems, heading);
    if (error.message && error.code === ConfigError.code) return error;
  } catch {
    // A serialized copy of the class: use the fallback below.
  }
  const message = configErrorMessage(problems, heading);
  const error = new Error(message);
  return Object.assign(error, { name: "ConfigError", code: "ERR_CONFIG_INVALID", __pulumiRunError: true, problems,
    stack: codedStack("ConfigError", "ERR_CONFIG_INVALID", message) }) as unknown as ConfigError;
}

