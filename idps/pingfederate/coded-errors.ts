/**
 * The coded errors of the admin API client, built so that they work in Pulumi's provider host too: a serialized
 * copy of the error classes cannot be constructed (the closure serializer drops `new.target` and field
 * initializers), so there each falls back to a plain Error with the same name, code, fields and message.
 */
import {
  codedStack, ConfigError, configErrorMessage, type ConfigProblem, PfApiError, type PfApiErrorDetails, pfApiErrorMessage,
} from "../../src/errors";

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

