/**
 * The config rules every IdP shares, checked once every key parsed on its own: lifetimes in order (against the IdP's
 * fixed defaults too), Coder's URL never a secret, the IdP's section present, `clientId` and `adoptClientId` as the
 * IdP names its clients, credential fields set with `--secret`, rotation only with a reuse window; then the IdP's own
 * rules (its descriptor's `configProblems`). Each IdP's differences come from its descriptor; nothing here names one.
 */
import type { CommonStackConfig, Contract, RawStackConfig, TokenLifetimes } from "./config";
import { CONFIG_NAMESPACE, isSecretField, problemList, valueAt } from "./config-keys";
import { OFFLINE_ACCESS_SCOPE } from "./coder-table";
import { formatDuration } from "./duration";
import type { ConfigProblem } from "./errors";
import type { AnyIdpDescriptor, DefaultLifetimes, ReuseWindowSupport } from "./idp";
import { setSecretCommand } from "./provider-config";

/** Rules that span several keys, checked once every key parsed on its own. */
export function crossFieldProblems(
  contract: Contract,
  config: Partial<CommonStackConfig> & Record<string, unknown>,
  raw: RawStackConfig,
  own: Readonly<Record<string, unknown>>,
  now: number,
): ConfigProblem[] {
  const { problems, add } = problemList();
  const { tokens = {}, idp: kind, extraScopes = [] } = config;
  const idp = kind === undefined ? undefined : contract.byKind.get(kind);
  const section = idp === undefined ? undefined : config[idp.section.key] as Record<string, unknown> | undefined;
  const defaults = idp?.lifetimes.defaults(section);
  const label = idp?.coder.label ?? "";
  // A lifetime the IdP refuses outright is left out of the order rules; one outside the IdP's range gets that
  // problem alone, not one against a default: the range's hint is then the one to follow.
  const settable = Object.fromEntries(Object.entries(tokens).filter(([key]) =>
    idp === undefined || idp.lifetimes.settable(key as keyof TokenLifetimes, section))) as Partial<TokenLifetimes>;
  const inRange = Object.fromEntries(Object.entries(settable).filter(([key, seconds]) =>
    seconds !== undefined && idp !== undefined && idp.lifetimes.inRange(key as keyof TokenLifetimes, seconds))) as Partial<TokenLifetimes>;
  lifetimeOrderProblems(inRange, "accessTokenLifetime", "refreshIdleTimeout", defaults, label, add,
    ", or refreshes fail before the access token even expires", settable);
  lifetimeOrderProblems(inRange, "refreshIdleTimeout", "refreshMaxLifetime", defaults, label, add, "", settable);

  if (raw.secretKeys.has(`${CONFIG_NAMESPACE}:coderUrl`)) {
    add(["coderUrl"], "must not be set with --secret: Coder's access URL is public (every browser is sent there) and " +
      "is written in plain text into the IdP's redirect URIs and the state, so it would not stay secret; set it with " +
      "pulumi config set coder-oidc:coderUrl <url>");
  }

  // The rest depends on which IdP; an invalid `idp` was reported already.
  if (idp === undefined) return problems;
  const key = idp.section.key;
  if (idp.section.required && config[key] === undefined && raw.values[`${CONFIG_NAMESPACE}:${key}`] === undefined) {
    add([key], `is required when idp is ${idp.kind}`);
  }

  if (idp.client.clientIdRefusal !== undefined && raw.values[`${CONFIG_NAMESPACE}:clientId`] !== undefined) {
    add(["clientId"], idp.client.clientIdRefusal);
  }

  if (!idp.coder.acceptsOfflineAccessScope && extraScopes.includes(OFFLINE_ACCESS_SCOPE)) {
    add(["extraScopes"],
      `must not include ${OFFLINE_ACCESS_SCOPE}: ${label} rejects it with invalid_scope; refresh tokens ` +
      `come from the access_type=offline and prompt=consent auth URL params, which this stack already sets`);
  }

  for (const other of contract.idps) {
    for (const field of other.section.credentialFields ?? []) {
      const sectionKey = other.section.key;
      if (valueAt(own, [sectionKey, field]) !== undefined && !isSecretField(raw, sectionKey, field)) {
        add([sectionKey, field], `must be a secret: ${setSecretCommand(`${sectionKey}.${field}`, true)}`);
      }
    }
  }

  idp.configProblems({
    config, section, written: own, raw, now, add,
    addKey: (fullKey: string, message: string) => problems.push({ key: fullKey, message }),
  });

  problems.push(...adoptionProblems(contract, config, raw, idp));
  problems.push(...rotationProblems(config, idp, valueAt(own, ["refreshTokenReuseWindow"]) !== undefined));
  return problems;
}

/** `coder-oidc:adoptClientId` against the IdP and `clientId`; the environment variables config replaced. */
function adoptionProblems(contract: Contract, config: Partial<CommonStackConfig>, raw: RawStackConfig, idp: AnyIdpDescriptor): ConfigProblem[] {
  const { problems, add } = problemList();
  for (const other of contract.idps) {
    for (const [name, replacement] of Object.entries(other.replacedVariables ?? {})) {
      const value = raw.environment?.[name];
      if (value !== undefined) problems.push({ key: name, message: replacement(value) });
    }
  }
  const adopt = config.adoptClientId;
  if (adopt === undefined) return problems;
  if (idp.client.adoptRefusal !== undefined) {
    add(["adoptClientId"], idp.client.adoptRefusal);
    return problems;
  }
  const form = idp.client.adoptIdForm;
  if (form && !form.pattern.test(adopt)) {
    add(["adoptClientId"], `must be ${form.form} for ${idp.coder.label}, got "${adopt}"`);
  }
  const named = raw.values[`${CONFIG_NAMESPACE}:clientId`];
  if (idp.client.clientIdRefusal === undefined && named !== undefined && named.trim() !== adopt) {
    add(["adoptClientId"],
      `differs from coder-oidc:clientId ("${named.trim()}"): the adopted client keeps its id, so the stack cannot name it ` +
      "otherwise; remove coder-oidc:clientId (it defaults to adoptClientId) or set both to the same id");
  }
  return problems;
}

/** What each lifetime is, in words. */
const LIFETIME_WORDS: Readonly<Record<keyof TokenLifetimes, string>> = {
  accessTokenLifetime: "access-token lifetime",
  refreshIdleTimeout: "refresh-token idle timeout",
  refreshMaxLifetime: "refresh-token max lifetime",
};

/**
 * `tokens.<longer>` ≥ `tokens.<shorter>`, also when one side is unset and the IdP's fixed default applies
 * (the IdP's `lifetimes.defaults`): the explicit side is refused, with the default named and the bound to write,
 * which always passes this rule and the IdP's ranges (the defaults lie within them).
 */
function lifetimeOrderProblems(
  tokens: Partial<TokenLifetimes>,
  shorter: keyof TokenLifetimes,
  longer: keyof TokenLifetimes,
  defaults: DefaultLifetimes | undefined,
  label: string,
  add: (path: readonly PropertyKey[], message: string) => void,
  why: string,
  written: Partial<TokenLifetimes>,
): void {
  if (written[shorter] !== undefined && written[longer] !== undefined) {
    if (written[longer] < written[shorter]) add(["tokens", longer], `must be at least tokens.${shorter}${why}`);
    return;
  }
  const low = tokens[shorter];
  const high = tokens[longer];
  const defaultHigh = defaults?.[longer];
  if (low !== undefined && defaultHigh !== undefined && defaultHigh < low) {
    add(["tokens", shorter], `must be at most ${formatDuration(defaultHigh)}, ${label}'s default ${LIFETIME_WORDS[longer]}, which ` +
      `applies as tokens.${longer} is unset (${defaults!.source}), got ${formatDuration(low)}; or set tokens.${longer} too`);
  }
  const defaultLow = defaults?.[shorter];
  if (high !== undefined && defaultLow !== undefined && high < defaultLow) {
    add(["tokens", longer], `must be at least ${formatDuration(defaultLow)}, ${label}'s default ${LIFETIME_WORDS[shorter]}, which ` +
      `applies as tokens.${shorter} is unset (${defaults!.source}), got ${formatDuration(high)}${why}; or set tokens.${shorter} too`);
  }
}

/** `refreshTokenRotation` and `refreshTokenReuseWindow`, against what the IdP can do (its row of the Coder table). */
function rotationProblems(config: Partial<CommonStackConfig>, idp: AnyIdpDescriptor, windowSet: boolean): ConfigProblem[] {
  const { problems, add } = problemList();
  const { label, rotation } = idp.coder;
  const window = config.refreshTokenReuseWindow;
  const reuse: ReuseWindowSupport | undefined = "reuseWindow" in rotation ? rotation.reuseWindow : undefined;
  if (config.refreshTokenRotation === "on") {
    if (!reuse) {
      add(["refreshTokenRotation"], `cannot be on with ${label}: ${"refusal" in rotation ? rotation.refusal : ""}`);
    } else if (!windowSet) {
      add(["refreshTokenReuseWindow"],
        `is required with refreshTokenRotation: on: rotation without a reuse window signs users out at random, ` +
        `because Coder refreshes several times at once and ${label} refuses all but one with invalid_grant ` +
        `(coder/coder#25275); set ${formatDuration(reuse.minSeconds)} to ${formatDuration(reuse.maxSeconds)} (${reuse.field})`);
    }
  }
  if (window !== undefined) {
    if (config.refreshTokenRotation !== "on") {
      add(["refreshTokenReuseWindow"], "applies only with coder-oidc:refreshTokenRotation: on");
    } else if (reuse && (window < reuse.minSeconds || window > reuse.maxSeconds)) {
      add(["refreshTokenReuseWindow"],
        `must be between ${formatDuration(reuse.minSeconds)} and ${formatDuration(reuse.maxSeconds)} for ${label} ` +
        `(${reuse.field}; ${reuse.source}), got ${formatDuration(window)}`);
    }
  }
  return problems;
}

