/**
 * Explicit Pulumi providers configured from their standard config keys. The engine hands every value over as a
 * string; each IdP's folder holds its namespace's key table (idps/<idp>/provider-keys.ts), and this module checks
 * the keys against it for the config contract, turns them into the provider's typed arguments, and keeps every
 * credential, and every value set with `--secret`, a Pulumi secret.
 */
import * as pulumi from "@pulumi/pulumi";
import type { ConfigProblem } from "./errors";
import { isInlineContent, resolveProjectPath } from "./project-paths";
import { didYouMean } from "./spelling";

/** How to read one provider namespace's keys. */
export interface ProviderKeyKinds {
  /**
   * Every key the provider accepts, when the list is short enough to check (a misspelt key would otherwise
   * be dropped silently). Undefined: any key is passed on (gcp has well over a hundred).
   */
  readonly known?: readonly string[];
  /** Keys that hold credentials: always passed as Pulumi secrets. */
  readonly secret: readonly string[];
  /**
   * Keys of `secret` that are no credential (the provider's schema marks them secret all the same), so they may
   * stand in a stack file in plain text; every other key of `secret` must be set with `--secret`.
   */
  readonly plainTextAllowed?: readonly string[];
  /** Keys that hold `true`/`false`. */
  readonly boolean: readonly string[];
  /** Keys that hold numbers. */
  readonly number: readonly string[];
  /** Keys that hold JSON objects or lists. */
  readonly structured: readonly string[];
  /**
   * Keys that hold a file path (or a path or the content itself): a relative path is resolved against the project
   * root (src/project-paths.ts), since the provider would read it from whatever directory it runs in.
   */
  readonly paths?: readonly string[];
  /** Keys whose text must follow a rule of the provider's service (ids that end up in URLs). */
  readonly rules?: Readonly<Record<string, { readonly valid: (text: string) => boolean; readonly message: string }>>;
}

/**
 * What a `secure:` value reads as in the offline plan, where it cannot be decrypted. It is a secret, so it is
 * never printed, and it is not type-checked (the real value is, when the engine runs).
 */
export const OFFLINE_SECRET_PLACEHOLDER = "offline-placeholder-for-a-secure-value";

/** A provider namespace's keys as the stack config holds them. */
export interface ProviderConnection {
  /** `key` (without namespace) → value, as a string. */
  readonly values: Readonly<Record<string, string>>;
  /** Keys (without namespace) whose values were set with `--secret`. */
  readonly secretKeys: ReadonlySet<string>;
}

/** The largest number a provider keeps (a 32-bit integer). */
const INT32_MAX = 2_147_483_647;

/** Every problem with a namespace's keys (`kinds`, the IdP's table): unknown keys, and values that are not of the key's kind. */
export function providerConfigProblems(namespace: string, kinds: ProviderKeyKinds, connection: ProviderConnection): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const [key, text] of Object.entries(connection.values)) {
    const fullKey = `${namespace}:${key}`;
    if (kinds.known && !kinds.known.includes(key)) {
      problems.push({ key: fullKey, message: `is not a setting of the ${namespace} provider (check the spelling)${didYouMean(key, kinds.known)}` });
      continue;
    }
    if (text === OFFLINE_SECRET_PLACEHOLDER) continue;
    // A credential's value is never quoted back, even when it was set without --secret.
    const got = kinds.secret.includes(key) || connection.secretKeys.has(key) ? "" : `, got ${JSON.stringify(text)}`;
    if (kinds.boolean.includes(key) && !/^(true|false)$/i.test(text.trim())) {
      problems.push({ key: fullKey, message: `must be true or false${got}` });
    } else if (kinds.number.includes(key) && !/^\d+$/.test(text.trim())) {
      problems.push({ key: fullKey, message: `must be a whole number${got}` });
    } else if (kinds.number.includes(key) && Number(text.trim()) > INT32_MAX) {
      problems.push({ key: fullKey, message: `must be at most ${INT32_MAX} (the provider keeps it as a 32-bit integer)${got}` });
    } else if (kinds.structured.includes(key)) {
      try {
        JSON.parse(text);
      } catch (err) {
        const why = got === "" ? "the value is a secret, so it is not shown" : (err as Error).message;
        problems.push({ key: fullKey, message: `must be a map or list (set it with --path): ${why}` });
      }
    }
    const rule = kinds.rules?.[key];
    if (rule && !rule.valid(text)) problems.push({ key: fullKey, message: `${rule.message}${got}` });
  }
  return problems;
}

/**
 * The keys of `namespace` that hold a credential and so must never stand in a stack file in plain text: every
 * key of its `secret` list but those whose `plainTextAllowed` exempts. The one list of provider credentials.
 */
export function credentialKeys(kinds: ProviderKeyKinds): string[] {
  return kinds.secret.filter((key) => !(kinds.plainTextAllowed ?? []).includes(key));
}

/** The command that stores `key` encrypted; `path` for a field inside a structured key (`google.clientSecret`). */
export function setSecretCommand(key: string, path = false): string {
  return path ? `pulumi config set --secret --path '${key}' <value>` : `pulumi config set --secret ${key} <value>`;
}

/**
 * Credentials written in a stack file in plain text (set without `--secret`): each refused with its key and the
 * command that stores it encrypted; the value is never shown. Checked in every provider namespace, read or not:
 * a plain-text credential in a stack file is a leak whichever IdP the stack uses.
 */
export function plainTextCredentialProblems(namespace: string, kinds: ProviderKeyKinds, connection: ProviderConnection): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const key of credentialKeys(kinds)) {
    if (connection.values[key] === undefined || connection.secretKeys.has(key)) continue;
    const fullKey = `${namespace}:${key}`;
    problems.push({
      key: fullKey,
      message: `is a credential written in plain text: store it encrypted with ${setSecretCommand(fullKey)} ` +
        "(the stack file then holds only its ciphertext); the value is not shown",
    });
  }
  return problems;
}

/**
 * Provider arguments from a namespace's config keys (`url` → `url`), typed by their kind. Credentials, and
 * every value set with `--secret`, become Pulumi secrets: provider arguments are stored in the state. A relative
 * file path becomes absolute against `root` (default: the project root).
 */
export function providerArgsFromConfig(
  kinds: ProviderKeyKinds,
  connection: ProviderConnection,
  root?: string,
): Record<string, pulumi.Input<unknown>> {
  const args: Record<string, pulumi.Input<unknown>> = {};
  for (const [key, text] of Object.entries(connection.values)) {
    let value: unknown = text;
    if (text !== OFFLINE_SECRET_PLACEHOLDER) {
      if (kinds.boolean.includes(key)) value = text.trim().toLowerCase() === "true";
      else if (kinds.number.includes(key)) value = Number(text);
      else if (kinds.structured.includes(key)) value = JSON.parse(text);
      else if (kinds.paths?.includes(key) && !isInlineContent(text)) value = resolveProjectPath(text, root);
    }
    args[key] = kinds.secret.includes(key) || connection.secretKeys.has(key) ? pulumi.secret(value) : value;
  }
  return args;
}
