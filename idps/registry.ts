/**
 * The one list of identity providers. Everything that differs per IdP is reached through it: the config schema
 * (each IdP's section), the program (its component, loaded with its SDK only when a stack uses it), the offline
 * plan's answers, the policy pack, live verification, the environment the Pulumi CLI is given. A new IdP is its
 * folder (idps/<idp>/, its descriptor in index.ts) and one line in IDPS below.
 */
import type { z } from "zod";
import { parseStackConfigWith, readRawStackConfig, type BaseStackConfig, type RawStackConfig } from "../src/config";
import type { AnyIdpDescriptor } from "../src/idp";
import type { ComputedOutputs, OfflineCallAnswer } from "../src/offline-answers";
import { auth0 } from "./auth0";
import { entraId } from "./entra-id";
import { google } from "./google";
import { keycloak } from "./keycloak";
import { okta } from "./okta";
import { pingfederate } from "./pingfederate";

/** The identity providers this toolkit configures, in the order they are listed to users. */
const IDPS = [keycloak, entraId, google, pingfederate, okta, auth0] as const;

/** One of the registered IdPs' descriptors. */
type RegisteredIdp = (typeof IDPS)[number];

/** The value of `coder-oidc:idp` for one of the registered IdPs. */
export type IdpKind = RegisteredIdp["kind"];

/** The parsed sections of the registered IdPs, by their keys (`entraId`), each optional. */
export type IdpSections = { readonly [D in RegisteredIdp as D["section"]["key"]]?: z.infer<D["section"]["schema"]> };

/** The whole, validated stack configuration: the common keys, the providers' keys, and each IdP's section. */
export type StackConfig = Omit<BaseStackConfig, "idp"> & IdpSections & { readonly idp: IdpKind };

/** The list as it stands, including IdPs registered at run time (tests, extensions). */
let registered: readonly AnyIdpDescriptor[] = IDPS;

/** Every IdP, in list order. */
export function allIdps(): readonly AnyIdpDescriptor[] {
  return registered;
}

/** Every value `coder-oidc:idp` accepts, in list order. */
export function idpKinds(): readonly string[] {
  return registered.map((d) => d.kind);
}

/** The descriptor of `kind`; throws for a kind nobody registered (parse the config first). */
export function idpOf(kind: string): AnyIdpDescriptor {
  const found = registered.find((d) => d.kind === kind);
  if (!found) throw new Error(`no IdP "${kind}" is registered (the IdPs: ${idpKinds().join(", ")})`);
  return found;
}

/**
 * Adds an IdP to the list (a test's fake IdP, an extension's): from then on it is parsed, planned, checked and
 * verified like the built-in ones. Returns a function that removes it again.
 */
export function registerIdp(descriptor: AnyIdpDescriptor): () => void {
  if (registered.some((d) => d.kind === descriptor.kind)) throw new Error(`an IdP "${descriptor.kind}" is already registered`);
  registered = [...registered, descriptor];
  return () => {
    registered = registered.filter((d) => d !== descriptor);
  };
}

/**
 * Validates raw stack config against the registry's contract and returns it typed, or throws a ConfigError listing
 * every problem (src/config.ts `parseStackConfigWith`). `now` (default: the clock) is when dates are judged.
 */
export function parseStackConfig(raw: RawStackConfig, now: number = Date.now()): StackConfig {
  return parseStackConfigWith(registered, raw, now) as unknown as StackConfig;
}

/** Reads and validates the running stack's config (real engine or mocks). Throws ConfigError. */
export function loadStackConfig(): StackConfig {
  return parseStackConfig(readRawStackConfig(registered.flatMap((d) => Object.keys(d.replacedVariables ?? {}))));
}

/** The offline plan's data-source answers of every IdP, by function token. */
export function offlineCallAnswers(): Record<string, OfflineCallAnswer> {
  return Object.assign({}, ...registered.map((d) => d.offline.calls)) as Record<string, OfflineCallAnswer>;
}

/** The outputs every IdP's providers compute, made up offline, by resource type token. */
export function offlineComputedOutputs(): Record<string, ComputedOutputs> {
  return Object.assign({}, ...registered.map((d) => d.offline.computed)) as Record<string, ComputedOutputs>;
}
