/**
 * The environment and stack config a test of `verify`'s IdP checks runs with: the variables a check reads, set to
 * exactly what the test says and put back after, and a stack's config as the Pulumi CLI prints it.
 */
import type { StackConfigValues } from "../../src/verify/idp-common";

/**
 * Runs `run` with exactly `env` among the variables `names` (the others of them unset), then puts each of `names`
 * back as it was, whatever `run` did.
 */
export async function withEnvOnly<T>(names: readonly string[], env: Record<string, string>, run: () => T | Promise<T>): Promise<T> {
  const saved = Object.fromEntries(names.map((name) => [name, process.env[name]]));
  for (const name of names) delete process.env[name];
  Object.assign(process.env, env);
  try {
    return await run();
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

/** A stack's config as `pulumi config --json` gives it: each value as text, a structured one as its JSON. */
export function stackConfig(values: Record<string, string | object>): StackConfigValues {
  return Object.fromEntries(Object.entries(values).map(([key, value]) => [key, { value: typeof value === "string" ? value : JSON.stringify(value) }]));
}
