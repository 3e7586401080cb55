/**
 * The IdP descriptor contract: what every identity provider must give the core, so that the config engine, the
 * program, the offline plan, the policy pack and live verification work the same for each, and the compiler names
 * whatever a new IdP leaves out. Each IdP fills it in its own folder (idps/<idp>/index.ts); idps/registry.ts is the
 * one list. Nothing here names an IdP.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import type { CoderClientRequest, CoderOidcClient } from "./coder-env";
import type { ProviderConnection, ProviderKeyKinds } from "./provider-config";
import type { CoderOidcPolicy } from "./policy/rule";
import type { RotationCheck } from "./policy/rotation";
import type { RawStackConfig, TokenLifetimes, CommonStackConfig } from "./config";
import type { Finding } from "./verify/core";
import type { IdpCheckContext } from "./verify/idp-common";
import type { IdpOfflineAnswers } from "./offline-answers";

/** What Coder needs to know about one identity provider: its row of the Coder table. */
export interface CoderOidcSettings {
  /** The IdP's name as people say it. */
  readonly label: string;
  /** The shape of `CODER_OIDC_ISSUER_URL` for this IdP, for humans. */
  readonly issuerForm: string;
  /** The scopes Coder must request (before `extraScopes`), in order. */
  readonly scopes: readonly string[];
  /** The auth URL parameters Coder must send (before per-stack additions such as Google's `hd`). */
  readonly authUrlParams: Readonly<Record<string, string>>;
  /**
   * Whether the IdP accepts the `offline_access` scope. Google rejects it with `invalid_scope`; it
   * hands out refresh tokens for `access_type=offline` + `prompt=consent` instead.
   */
  readonly acceptsOfflineAccessScope: boolean;
  /** Whether this toolkit can set refresh-token lifetimes (`coder-oidc:tokens`) on this IdP. */
  readonly refreshLifetimesConfigurable: boolean;
  /** Whether refresh tokens rotate on this IdP, and how a reuse window is set (`coder-oidc:refreshTokenRotation`). */
  readonly rotation: RefreshTokenRotationSupport;
}

/**
 * How an IdP rotates refresh tokens. Coder's dashboard refreshes several times at once, so an IdP that rotates
 * without a reuse window answers all but one refresh with `invalid_grant` and signs the user out at random
 * (coder/coder#25275): rotation is turned on only where a reuse window can be set with it.
 */
export interface RefreshTokenRotationSupport {
  /**
   * `client`: this toolkit sets rotation on Coder's client (off, or on with a reuse window);
   * `realm`: rotation is a realm-wide setting this toolkit does not own (it warns when it is on);
   * `none`: the IdP never revokes a used refresh token, so there is nothing to switch.
   */
  readonly control: "client" | "realm" | "none";
  /** Where the IdP keeps the setting, as its API names it. */
  readonly setting: string;
  /** The reuse window, when the IdP has one: the previous refresh token keeps working this long after a rotation. */
  readonly reuseWindow?: ReuseWindowSupport;
  /** Why `refreshTokenRotation: on` is refused, for IdPs that have no reuse window. */
  readonly refusal?: string;
}

/** An IdP's reuse window (grace period, leeway) for rotated refresh tokens, in seconds. */
export interface ReuseWindowSupport {
  /** The field that holds it, as the IdP's API names it. */
  readonly field: string;
  /** The shortest window this toolkit sets: never 0, which would be rotation without a window. */
  readonly minSeconds: number;
  /** The longest the IdP accepts. */
  readonly maxSeconds: number;
  /** Where the range comes from. */
  readonly source: string;
}

/**
 * Lifetimes (seconds) an IdP gives Coder's client for a `coder-oidc:tokens` key left unset, where the default is
 * fixed and documented (not a server or realm setting someone may have changed): the cross-field rules
 * (refreshIdleTimeout ≥ accessTokenLifetime, refreshMaxLifetime ≥ refreshIdleTimeout) hold against them too.
 */
export interface DefaultLifetimes {
  /** The access-token lifetime used when `tokens.accessTokenLifetime` is unset. */
  readonly accessTokenLifetime?: number;
  /** The refresh idle timeout used when `tokens.refreshIdleTimeout` is unset. */
  readonly refreshIdleTimeout?: number;
  /** The refresh max lifetime used when `tokens.refreshMaxLifetime` is unset. */
  readonly refreshMaxLifetime?: number;
  /** Where the defaults come from. */
  readonly source: string;
}

/** One of the `coder-oidc:tokens` keys. */
export type TokenLifetimeKey = keyof TokenLifetimes;

/** What an IdP's own config rules are given: the stack's parsed keys, its raw values, and where to add a problem. */
export interface IdpConfigContext<Section> {
  /** The common keys that parsed (a key that failed its own check is absent). */
  readonly config: Partial<CommonStackConfig>;
  /** This IdP's section as parsed: the fields that passed their own checks, or undefined when unset. */
  readonly section: Partial<Section> | undefined;
  /** The decoded `coder-oidc:` values as written, before their checks: presence of a field that failed is read here. */
  readonly written: Readonly<Record<string, unknown>>;
  /** The raw stack config (every namespace, as text). */
  readonly raw: RawStackConfig;
  /** When dates are judged (ms since the epoch). */
  readonly now: number;
  /** Adds a problem at a `coder-oidc:` path (`["okta", "assignedGroups"]`). */
  add(path: readonly PropertyKey[], message: string): void;
  /** Adds a problem at a full key of another namespace (`okta:orgName`). */
  addKey(key: string, message: string): void;
}

/** An IdP's `coder-oidc:<key>` section: its schema and how it is required. */
export interface IdpConfigSection<Key extends string = string, Schema extends z.ZodObject = z.ZodObject> {
  /** The key under `coder-oidc:` (`entraId`). */
  readonly key: Key;
  /** The section's strict zod schema; each field documented. */
  readonly schema: Schema;
  /** Whether a stack of this IdP must set it; when not, a missing section parses as `schema.parse({})`. */
  readonly required: boolean;
  /** Fields that hold a credential: each must be set with `pulumi config set --secret --path`. Default: none. */
  readonly credentialFields?: readonly string[];
}

/** How the stack names (or does not name) the client at this IdP, and how an existing client is adopted. */
export interface IdpClientIdentity {
  /**
   * Why `coder-oidc:clientId` is refused, for an IdP that assigns the client id itself; undefined where the stack
   * chooses the id (`coder-oidc:clientId`, default `coder`) and `adoptClientId` must then agree with it.
   */
  readonly clientIdRefusal?: string;
  /** Why `coder-oidc:adoptClientId` is refused, for an IdP that has nothing to adopt through an API. */
  readonly adoptRefusal?: string;
  /** The form of a client id the IdP assigns, for `adoptClientId`. Default: any. */
  readonly adoptIdForm?: { readonly pattern: RegExp; readonly form: string };
}

/** An IdP's `coder-oidc:tokens` support beyond the Coder table: which keys it takes, in which range, and its defaults. */
export interface IdpLifetimes<Section> {
  /** Whether this toolkit sets `key` at the IdP for this stack (a key it does not is refused by the IdP's own rules). */
  settable(key: TokenLifetimeKey, section: Partial<Section> | undefined): boolean;
  /** Whether `seconds` is a value the IdP takes for `key` (its unit and range). */
  inRange(key: TokenLifetimeKey, seconds: number): boolean;
  /** The IdP's fixed defaults for keys left unset, for this stack; undefined when none is fixed and documented. */
  defaults(section: Partial<Section> | undefined): DefaultLifetimes | undefined;
}

/** What the program gives an IdP's component. */
export interface IdpComponentArgs<Section> {
  /** What Coder needs from the client: redirect URI, scopes, lifetimes, rotation. */
  readonly request: CoderClientRequest;
  /** The IdP's parsed section. */
  readonly settings: Section;
  /** The IdP's provider namespace keys, where it has an explicit provider. */
  readonly connection?: ProviderConnection;
}

/** Declares an IdP's component: Coder's client and whatever goes with it. */
export type IdpComponentFactory<Section> = (name: string, args: IdpComponentArgs<Section>, opts?: pulumi.ComponentResourceOptions) => CoderOidcClient;

/** The live checks `coder-oidc verify` runs at the IdP's management API, and those a person must make. */
export interface IdpVerifyChecks {
  /** Checks of Coder's client at the IdP's API; undefined where the IdP has no API to read it. */
  readonly findings?: (context: IdpCheckContext) => Promise<Finding[]>;
  /** What `verify` cannot check and a person should, printed after the automatic checks. Default: none. */
  readonly manual?: readonly string[];
}

/**
 * Everything the core needs to know about one identity provider. `Key` is its config section's key and `Schema`
 * its schema, so the registry can type the parsed stack config from the list of IdPs.
 */
export interface IdpDescriptor<Kind extends string = string, Key extends string = string, Schema extends z.ZodObject = z.ZodObject> {
  /** The value of `coder-oidc:idp` (`entra-id`). */
  readonly kind: Kind;
  /** Its row of the Coder table. */
  readonly coder: CoderOidcSettings;
  /** Its `coder-oidc:` section. */
  readonly section: IdpConfigSection<Key, Schema>;
  /** The provider namespace it is configured from (`azuread`) and that namespace's keys; undefined: no Pulumi provider. */
  readonly provider?: { readonly namespace: string; readonly keys: ProviderKeyKinds };
  /** How the client id is named and adopted. */
  readonly client: IdpClientIdentity;
  /** Its token lifetimes. */
  readonly lifetimes: IdpLifetimes<z.infer<Schema>>;
  /** Its own config rules, checked once every key parsed on its own. */
  readonly configProblems: (context: IdpConfigContext<z.infer<Schema>>) => void;
  /** Its component's type token (`coder-oidc:providers:<Name>`): unchanged forever, as it is part of every URN. */
  readonly componentType: string;
  /** Loads its component (and with it its Pulumi SDK): only a stack of this IdP calls it. */
  readonly loadComponent: () => IdpComponentFactory<z.infer<Schema>>;
  /** The type tokens of the resources its component declares or its policies look at, by role. */
  readonly resourceTypes: Readonly<Record<string, string>>;
  /** Loads its policy-pack rules; `now` is the clock of rules that judge dates. */
  readonly loadPolicies: (now: () => number) => readonly CoderOidcPolicy[];
  /** Loads its part of the shared rule that rotating refresh tokens have a reuse window; undefined: it never rotates. */
  readonly rotationCheck?: () => RotationCheck;
  /** Its offline-plan answers. */
  readonly offline: IdpOfflineAnswers;
  /** Its live verification. */
  readonly verify: IdpVerifyChecks;
  /**
   * Environment variables that config replaced, each with the message that says what to set instead (`value` is the
   * variable's): reported whichever IdP the stack uses. Default: none.
   */
  readonly replacedVariables?: Readonly<Record<string, (value: string) => string>>;
  /**
   * The environment variable prefixes its Pulumi provider (or admin API client) reads credentials and settings from
   * (`OKTA_`): the Pulumi CLI child is given these, and nothing else of the caller's environment beyond the common ones.
   */
  readonly envPrefixes: readonly string[];
}

/** An IdP descriptor of any kind, section and schema: what the registry lists. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyIdpDescriptor = IdpDescriptor<string, string, any>;
