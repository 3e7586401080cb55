/**
 * The stack-config engine (namespace `coder-oidc`): one zod schema describes every key, built from the common keys
 * here and each IdP's section (idps/<idp>/config.ts, through the registry); it is parsed once, before any resource
 * is declared, and every problem is reported at once with its full key. Nothing here names an IdP: what differs per
 * IdP comes from its descriptor (src/idp.ts). Nothing else in the project reads Pulumi config.
 */
import { SECRET_MARK } from "./safe-text";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { duration, httpsUrl, nonEmpty, SCOPE_TOKEN } from "./config-fields";
import { ConfigError, type ConfigProblem } from "./errors";
import type { AnyIdpDescriptor } from "./idp";
import {
  OFFLINE_SECRET_PLACEHOLDER, providerConfigProblems, type ProviderConnection, plainTextCredentialProblems,
} from "./provider-config";
import { didYouMean } from "./spelling";
import { CONFIG_NAMESPACE, keyOf, valueAt } from "./config-keys";
import { crossFieldProblems } from "./config-rules";

export { MAX_LIFETIME_SECONDS, urlForMessage } from "./config-fields";

export { CONFIG_NAMESPACE } from "./config-keys";

/** Token lifetimes, each in seconds once parsed. Not every IdP lets these be set: see the IdP sections. */
const tokensSchema = z.strictObject({
  /** How long an access token lives. Keycloak: the client's access token lifespan. */
  accessTokenLifetime: duration.optional(),
  /** How long a refresh token may go unused before it expires. Must be ≥ accessTokenLifetime. */
  refreshIdleTimeout: duration.optional(),
  /** How long a refresh token chain may live at most. Must be ≥ refreshIdleTimeout. */
  refreshMaxLifetime: duration.optional(),
});

/** Whether refresh tokens rotate: `off` (the default while coder/coder#25275 is open) or `on`, with a reuse window. */
export const RefreshTokenRotation = { Off: "off", On: "on" } as const;
/** Whether refresh tokens rotate. */
export type RefreshTokenRotation = (typeof RefreshTokenRotation)[keyof typeof RefreshTokenRotation];

/** The keys every stack has, whatever its IdP: the contract adds `idp`'s choices and the IdPs' sections. */
const commonSchema = z.strictObject({
  /** Coder's access URL, e.g. `https://coder.example.com`; https unless localhost. */
  coderUrl: httpsUrl("Coder's access URL", true, true).transform((url) => url.replace(/\/+$/, "")),
  /** Which identity provider this stack configures: one of the registry's (idps/registry.ts). */
  idp: z.string(),
  /** The OAuth client id Coder logs in with (Keycloak, PingFederate). Default `coder`. */
  clientId: nonEmpty("OAuth client id").regex(/^[\x21-\x7e]{0,255}$/, {
    error: "must be 1 to 255 printable ASCII characters without spaces (an OAuth client id)",
  }).default("coder"),
  /**
   * The client id Coder uses today (its `CODER_OIDC_CLIENT_ID`), to take that client over instead of creating one:
   * the stack finds it at the IdP and imports it (Pulumi's `import` option), keeping its id and, where the IdP
   * allows, its secret; then sets the refresh-token settings. Not with Google (no API). Leaving it set after the
   * first `up` is harmless. Default: none (a new client).
   */
  adoptClientId: nonEmpty("the client id Coder uses today").regex(/^[\x21-\x7e]{0,255}$/, {
    error: "must be 1 to 255 printable ASCII characters without spaces (the CODER_OIDC_CLIENT_ID Coder uses today)",
  }).optional(),
  /** The client's name as users see it on consent screens. Default `Coder`. */
  displayName: nonEmpty("display name").default("Coder"),
  /** Scopes requested after the IdP's own, e.g. `[groups]`; duplicates dropped, order kept. */
  extraScopes: z
    .array(
      z.string({ error: "must be a string" }).regex(SCOPE_TOKEN, {
        error: "must be an OAuth scope: printable ASCII without spaces, quotes or backslashes",
      }),
      { error: "must be a list of scopes, e.g. [groups]" },
    )
    .default([]),
  /** Token lifetimes. */
  tokens: tokensSchema.default({}),
  /**
   * `off` (default): refresh tokens do not rotate. `on`: they rotate, and the previous one keeps working for
   * refreshTokenReuseWindow, so Coder's concurrent refreshes are not refused; only on IdPs that have such a window.
   */
  refreshTokenRotation: z.enum(["off", "on"], { error: "must be off or on" }).default("off"),
  /** With refreshTokenRotation: on, how long a rotated refresh token keeps working (required then; IdP's range). */
  refreshTokenReuseWindow: duration.optional(),
});

/** Token lifetimes in seconds. */
export type TokenLifetimes = z.infer<typeof tokensSchema>;

/** The keys every stack has, parsed. */
export type CommonStackConfig = z.infer<typeof commonSchema>;

/** The whole, validated stack configuration, without the IdP sections' types (idps/registry.ts adds them). */
export type BaseStackConfig = CommonStackConfig & {
  /** Keys of each provider namespace (`keycloak:url` → `providers.keycloak.values.url`), as strings. */
  readonly providers: Readonly<Record<string, ProviderConnection>>;
  /** Full keys whose values are secrets (`pulumi config set --secret`). */
  readonly secretKeys: ReadonlySet<string>;
};

/** Raw stack config: every `ns:key` and its string value, as the Pulumi engine hands it over. */
export interface RawStackConfig {
  /** `ns:key` → value; structured values are JSON text. */
  readonly values: Readonly<Record<string, string>>;
  /** Full keys whose values are secrets. */
  readonly secretKeys: ReadonlySet<string>;
  /**
   * The environment variables the program sees, for the ones that config replaced (an IdP's
   * `replacedVariables`). Default: none.
   */
  readonly environment?: Readonly<Record<string, string | undefined>>;
  /**
   * The exact paths of secret values inside structured keys (`coder-oidc:google.clientSecret`), when known:
   * the offline plan reads them from the stack file. The engine tells only which top-level keys hold one.
   */
  readonly secretPaths?: ReadonlySet<string>;
  /**
   * Keys whose value was written as a map or list, when known (the offline plan reads the stack file): a
   * string key given a map is then an error. The engine hands both over as text, indistinguishably.
   */
  readonly structuredKeys?: ReadonlySet<string>;
}

// ---------------------------------------------------------------------------------------------------
// The contract: the common keys and the IdPs' sections

/** The schema and lookups built from one list of IdPs. */
export interface Contract {
  /** The whole top-level schema: the common keys, `idp` among the IdPs' kinds, each IdP's section (optional). */
  readonly schema: z.ZodObject;
  /** The IdPs by kind. */
  readonly byKind: ReadonlyMap<string, AnyIdpDescriptor>;
  /** The IdPs in list order. */
  readonly idps: readonly AnyIdpDescriptor[];
  /** Every provider namespace an IdP is configured from, in list order. */
  readonly providerNamespaces: readonly string[];
  /** The object-valued keys, whose fields are parsed one by one when the whole fails, so no problem hides another. */
  readonly sections: Readonly<Record<string, z.ZodObject>>;
}

const contracts = new WeakMap<readonly AnyIdpDescriptor[], Contract>();

/** The contract of a list of IdPs, built once per list. */
function contractOf(idps: readonly AnyIdpDescriptor[]): Contract {
  let contract = contracts.get(idps);
  if (contract) return contract;
  const kinds = idps.map((d) => d.kind) as [string, ...string[]];
  const sectionShape = Object.fromEntries(idps.map((d) => [d.section.key, d.section.schema.optional()]));
  const schema = commonSchema.extend({
    idp: z.enum(kinds, { error: `must be one of ${kinds.join(", ")}` }),
    ...sectionShape,
  });
  contract = {
    schema,
    byKind: new Map(idps.map((d) => [d.kind, d])),
    idps,
    providerNamespaces: idps.flatMap((d) => (d.provider ? [d.provider.namespace] : [])),
    sections: { tokens: tokensSchema, ...Object.fromEntries(idps.map((d) => [d.section.key, d.section.schema])) },
  };
  contracts.set(idps, contract);
  return contract;
}

// ---------------------------------------------------------------------------------------------------
// Parsing

const UNKNOWN_KEY = "is not a known setting (check the spelling)";

function problemsOf(contract: Contract, error: z.ZodError, prefix: readonly PropertyKey[], raw: unknown): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const issue of error.issues) {
    const path = [...prefix, ...issue.path];
    if (issue.code === "unrecognized_keys") {
      const known = Object.keys(objectShapeAt(contract, path));
      for (const unknown of issue.keys) problems.push({ key: keyOf([...path, unknown]), message: UNKNOWN_KEY + didYouMean(unknown, known) });
    } else if (valueAt(raw, path) === undefined) {
      problems.push({ key: keyOf(path), message: "is required" });
    } else {
      problems.push({ key: keyOf(path), message: issue.message });
    }
  }
  return problems;
}

type SchemaDef = { type: string; innerType?: z.ZodType; in?: z.ZodType; shape?: Record<string, z.ZodType> };

/** The definition under optional/default/transform wrappers. */
function coreDef(schema: z.ZodType | undefined): SchemaDef | undefined {
  let def = schema?._zod.def as SchemaDef | undefined;
  while (def && (def.innerType || def.in)) def = (def.innerType ?? def.in)!._zod.def as SchemaDef;
  return def;
}

/** The fields of the object schema at `path` (`[]`: the top level), for suggestions. */
function objectShapeAt(contract: Contract, path: readonly PropertyKey[]): Record<string, z.ZodType> {
  let shape: Record<string, z.ZodType> = contract.schema.shape;
  for (const part of path) shape = coreDef(shape[String(part)])?.shape ?? {};
  return shape;
}

/** Top-level keys whose values are maps or lists: the engine hands them over as JSON text. */
function isStructuredKey(contract: Contract, key: string): boolean {
  const def = coreDef((contract.schema.shape as Record<string, z.ZodType | undefined>)[key]);
  return def?.type === "object" || def?.type === "array";
}

/**
 * Turns a raw config value into what the schema expects: structured keys arrive as JSON text, every other key
 * takes its text as it is (a display name may well start with `[`). A secret is never quoted back.
 */
function decodeValue(contract: Contract, key: string, text: string, secret: boolean, writtenStructured = false): { value: unknown } | { error: string } {
  if (!isStructuredKey(contract, key)) {
    if (writtenStructured && key in contract.schema.shape) {
      return { error: "must be a single value, not a map or list (quote it in the stack file if it is text)" };
    }
    return { value: text };
  }
  const trimmed = text.trim();
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
    try {
      return { value: JSON.parse(trimmed) };
    } catch (err) {
      const why = secret ? "the value is a secret, so it is not shown" : (err as Error).message;
      return { error: `is not a valid map or list (set it with --path, or fix the stack file): ${why}` };
    }
  }
  return { value: text };
}

/** Namespaces read by Pulumi itself, not by a provider: passed through unchecked. */
const PASSED_NAMESPACES: readonly string[] = ["pulumi"];

/** Every namespace a stack of this project may hold keys in. */
function knownNamespaces(contract: Contract): string[] {
  return [CONFIG_NAMESPACE, ...contract.providerNamespaces, ...PASSED_NAMESPACES];
}

/** A namespace nothing here reads: a typo (`coder-odic:idp`) would otherwise pass silently. */
function unknownNamespaceProblem(contract: Contract, namespace: string, keys: readonly string[]): ConfigProblem {
  const more = keys.length > 1 ? ` (and ${keys.length - 1} more key${keys.length > 2 ? "s" : ""} in "${namespace}:")` : "";
  return {
    key: keys[0],
    message: `is in the namespace "${namespace}", which this project does not read${didYouMean(namespace, knownNamespaces(contract))}; ` +
      `the namespaces read are ${knownNamespaces(contract).join(", ")}${more}`,
  };
}

/** Every secret value of `raw` (whole values and the strings inside them), to keep out of messages. */
function secretValuesOf(raw: RawStackConfig): string[] {
  const found = new Set<string>();
  const walk = (value: unknown) => {
    if (typeof value === "string") found.add(value);
    else if (Array.isArray(value)) value.forEach(walk);
    else if (typeof value === "object" && value !== null) Object.values(value).forEach(walk);
  };
  for (const key of raw.secretKeys) {
    const text = raw.values[key];
    if (text === undefined) continue;
    found.add(text);
    try {
      walk(JSON.parse(text));
    } catch {
      // a plain string: added whole above
    }
  }
  found.delete(OFFLINE_SECRET_PLACEHOLDER);
  return [...found].filter((v) => v.trim().length > 0);
}

/**
 * The problems with every secret value taken out of their messages. A message quotes any value it shows
 * (`got "…"`), so a secret is replaced wherever it stands quoted, as written or JSON-escaped, whatever its length;
 * a long one (8 characters or more) wherever it appears, e.g. inside a URL. Under the engine a whole section is
 * secret when one field is, so short words of that section (`auto`) are left alone where they are not quoted.
 */
function withoutSecrets(problems: readonly ConfigProblem[], raw: RawStackConfig): ConfigProblem[] {
  const secretValues = secretValuesOf(raw).sort((a, b) => b.length - a.length);
  if (secretValues.length === 0) return [...problems];
  return problems.map((p) => {
    let message = p.message;
    for (const secret of secretValues) {
      for (const form of new Set([secret, JSON.stringify(secret).slice(1, -1)])) {
        message = form.length >= 8
          ? message.split(form).join(REDACTED)
          : message.split(`"${form}"`).join(`"${REDACTED}"`);
      }
    }
    return { key: p.key, message };
  });
}

/** What stands in a message for a secret value. */
const REDACTED = SECRET_MARK;

/** The fields of `value` that `schema` accepts on their own, for the rules that span fields. */
function partialSection(schema: z.ZodObject, value: unknown): Record<string, unknown> | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const partial: Record<string, unknown> = {};
  for (const [field, fieldSchema] of Object.entries(schema.shape)) {
    const result = (fieldSchema as z.ZodType).safeParse((value as Record<string, unknown>)[field]);
    if (result.success) partial[field] = result.data;
  }
  return partial;
}

/**
 * Validates raw stack config against the contract of `idps` and returns it typed, or throws a {@link ConfigError}
 * listing every problem. Pure: tests and the offline plan call it with hand-made or file-read values; `now`
 * (default: the clock) is when dates such as `entraId.secretRotation` are judged. idps/registry.ts binds the
 * registry's list (`parseStackConfig`).
 */
export function parseStackConfigWith(idps: readonly AnyIdpDescriptor[], raw: RawStackConfig, now: number = Date.now()): BaseStackConfig {
  const contract = contractOf(idps);
  const problems: ConfigProblem[] = [];
  const own: Record<string, unknown> = {};
  const namespaces = contract.providerNamespaces;
  const values = Object.fromEntries(namespaces.map((ns) => [ns, {}])) as Record<string, Record<string, string>>;
  const secrets = Object.fromEntries(namespaces.map((ns) => [ns, new Set<string>()])) as Record<string, Set<string>>;
  const strangers = new Map<string, string[]>();
  for (const [fullKey, text] of Object.entries(raw.values)) {
    const colon = fullKey.indexOf(":");
    const namespace = fullKey.slice(0, colon);
    const key = fullKey.slice(colon + 1);
    if (namespace === CONFIG_NAMESPACE) {
      const decoded = decodeValue(contract, key, text, raw.secretKeys.has(fullKey), raw.structuredKeys?.has(fullKey));
      if ("error" in decoded) problems.push({ key: fullKey, message: decoded.error });
      else own[key] = decoded.value;
    } else if (namespaces.includes(namespace)) {
      values[namespace][key] = text;
      if (raw.secretKeys.has(fullKey)) secrets[namespace].add(key);
    } else if (!PASSED_NAMESPACES.includes(namespace)) {
      const keys = strangers.get(namespace) ?? [];
      keys.push(fullKey);
      strangers.set(namespace, keys);
    }
  }
  for (const [namespace, keys] of strangers) problems.push(unknownNamespaceProblem(contract, namespace, keys));
  const providers: Record<string, ProviderConnection> = {};
  for (const ns of namespaces) providers[ns] = { values: values[ns], secretKeys: secrets[ns] };

  // Each key is parsed on its own so that one bad key never hides the problems of another.
  const shape = contract.schema.shape;
  const data: Record<string, unknown> = {};
  for (const key of Object.keys(own)) {
    if (!(key in shape)) problems.push({ key: keyOf([key]), message: UNKNOWN_KEY + didYouMean(key, Object.keys(objectShapeAt(contract, []))) });
  }
  for (const [key, schema] of Object.entries(shape)) {
    if (problems.some((p) => p.key === keyOf([key]))) continue;
    const result = (schema as z.ZodType).safeParse(own[key]);
    if (result.success) {
      data[key] = result.data;
    } else {
      problems.push(...problemsOf(contract, result.error, [key], own));
      const section = contract.sections[key];
      if (section) data[key] = partialSection(section, own[key]);
    }
  }
  const config = data as Partial<CommonStackConfig> & Record<string, unknown>;
  problems.push(...crossFieldProblems(contract, config, raw, own, now));
  const idp = config.idp === undefined ? undefined : contract.byKind.get(config.idp);
  if (idp?.provider) problems.push(...providerConfigProblems(idp.provider.namespace, idp.provider.keys, providers[idp.provider.namespace]));
  for (const other of idps) {
    if (other.provider) problems.push(...plainTextCredentialProblems(other.provider.namespace, other.provider.keys, providers[other.provider.namespace]));
  }
  if (problems.length > 0) throw new ConfigError(withoutSecrets(problems, raw));
  const parsed = config as CommonStackConfig & Record<string, unknown>;
  // The adopted client keeps its id: where the stack names the client, adoptClientId is that name.
  const clientId = own.clientId === undefined && parsed.adoptClientId !== undefined ? parsed.adoptClientId : parsed.clientId;
  return { ...parsed, clientId, providers, secretKeys: raw.secretKeys };
}

/**
 * Reads the running stack's config from the Pulumi runtime (real engine or mocks), with the environment variables
 * named (those config replaced). Secretness comes from the engine's list of secret keys, which the public API does
 * not expose, hence the internal module.
 */
export function readRawStackConfig(variables: readonly string[] = []): RawStackConfig {
  const values = pulumi.runtime.allConfig();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const internal = require("@pulumi/pulumi/runtime/config") as { isConfigSecret(key: string): boolean };
  const secretKeys = new Set(Object.keys(values).filter((key) => internal.isConfigSecret(key)));
  return { values, secretKeys, environment: Object.fromEntries(variables.map((name) => [name, process.env[name]])) };
}
