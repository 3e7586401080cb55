/**
 * The registry's IdPs seen as tables, for tests that check every IdP at once: the Coder table, the provider key
 * tables, the type tokens, the offline answers (writable: a test may change an answer and put it back).
 */
import { allIdps, idpOf, offlineCallAnswers } from "../../idps/registry";
import type { CoderOidcSettings, DefaultLifetimes } from "../../src/idp";
import type { OfflineCallAnswer } from "../../src/offline-answers";
import type { ProviderKeyKinds } from "../../src/provider-config";

/** Every value `coder-oidc:idp` takes, in registry order. */
export const IDP_KINDS = allIdps().map((d) => d.kind);

/** The Coder table: each IdP's row, by kind. */
export const IDP_SETTINGS: Readonly<Record<string, CoderOidcSettings>> = Object.fromEntries(allIdps().map((d) => [d.kind, d.coder]));

/** Each IdP's fixed default lifetimes for a stack with its section left out, by kind (only where they exist). */
export const IDP_DEFAULT_LIFETIMES: Readonly<Record<string, DefaultLifetimes | undefined>> =
  Object.fromEntries(allIdps().map((d) => [d.kind, d.lifetimes.defaults({ authorizationServer: "default" })]));

/** Every provider namespace, in registry order. */
export const PROVIDER_NAMESPACES = allIdps().flatMap((d) => (d.provider ? [d.provider.namespace] : []));

/** Each provider namespace's key table. */
export const PROVIDER_KEYS: Readonly<Record<string, ProviderKeyKinds>> =
  Object.fromEntries(allIdps().flatMap((d) => (d.provider ? [[d.provider.namespace, d.provider.keys]] : [])));

/** The key table of `namespace`. */
export function providerKeysOf(namespace: string): ProviderKeyKinds {
  const keys = PROVIDER_KEYS[namespace];
  if (!keys) throw new Error(`no IdP is configured from the ${namespace} namespace`);
  return keys;
}

/** The `coder-oidc:` section fields that hold a credential, as [section, field]. */
export const CONFIG_CREDENTIAL_FIELDS: readonly (readonly [string, string])[] =
  allIdps().flatMap((d) => (d.section.credentialFields ?? []).map((field) => [d.section.key, field] as const));

/** The row of the Coder table of `kind`. */
export function coderRow(kind: string): CoderOidcSettings {
  return idpOf(kind).coder;
}

/** Each IdP's component type token, by kind. */
export const ComponentType: Readonly<Record<string, string>> = Object.fromEntries(allIdps().map((d) => [d.kind, d.componentType]));

/**
 * The offline plan's data-source answers by function token, read from and written to the IdP that owns each (a test
 * that replaces one puts the original back).
 */
export const OFFLINE_CALL_ANSWERS: Record<string, OfflineCallAnswer> = new Proxy({} as Record<string, OfflineCallAnswer>, {
  get: (_target, token) => (typeof token === "string" ? offlineCallAnswers()[token] : undefined),
  set: (_target, token, value: OfflineCallAnswer) => {
    const owner = allIdps().find((d) => typeof token === "string" && token in d.offline.calls);
    if (!owner || typeof token !== "string") return false;
    owner.offline.calls[token] = value;
    return true;
  },
  ownKeys: () => Object.keys(offlineCallAnswers()),
  getOwnPropertyDescriptor: (_target, token) =>
    typeof token === "string" && token in offlineCallAnswers()
      ? { value: offlineCallAnswers()[token], enumerable: true, configurable: true, writable: true }
      : undefined,
});
