/**
 * How the config engine names and reaches a key: `coder-oidc:<path>` as users write it, a value at a path, whether a
 * field was set with `--secret`, and a list that problems are added to by path.
 */
import type { ConfigProblem } from "./errors";
import type { RawStackConfig } from "./config";

/** The config namespace of this project (`coder-oidc:<key>`). */
export const CONFIG_NAMESPACE = "coder-oidc";

/** `coder-oidc:tokens.refreshIdleTimeout`, `coder-oidc:extraScopes[1]`. */
export function keyOf(path: readonly PropertyKey[]): string {
  let key = CONFIG_NAMESPACE + ":";
  path.forEach((part, i) => {
    key += typeof part === "number" ? `[${part}]` : `${i === 0 ? "" : "."}${String(part)}`;
  });
  return key;
}

/** The raw value at `path` below `root`, or undefined. */
export function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let value = root;
  for (const part of path) {
    if (typeof value !== "object" || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[part];
  }
  return value;
}

/**
 * Whether `<section>.<field>` was set with `--secret`: exactly, where the stack file's paths are known;
 * otherwise as well as the engine can tell, by its top-level key.
 */
export function isSecretField(raw: RawStackConfig, section: string, field: string): boolean {
  const key = `${CONFIG_NAMESPACE}:${section}`;
  return raw.secretPaths ? raw.secretPaths.has(`${key}.${field}`) : raw.secretKeys.has(key);
}

/** A list of problems and the function that adds one at a config path. */
export function problemList(): { problems: ConfigProblem[]; add: (path: readonly PropertyKey[], message: string) => void } {
  const problems: ConfigProblem[] = [];
  return { problems, add: (path, message) => problems.push({ key: keyOf(path), message }) };
}

