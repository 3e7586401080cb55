/**
 * Drift, from the engine's events of a refresh-preview (`pulumi preview --refresh --expect-no-changes`):
 * after the refresh, every step that is not `same` means the live IdP differs from the program. Its
 * `detailedDiff` (or `diffs`) names the fields; `new.inputs` holds the program's values and `old` the
 * live ones. Pure functions: engine/automation.ts runs the engine, cli/drift.ts prints.
 */
import { ExitCode } from "../src/exit-codes";
import { SECRET_MARK } from "../src/safe-text";
import type { EngineEvent, StepEventMetadata } from "@pulumi/pulumi/automation";

/** How drift reports a secret: never its value. */
export const MASKED = SECRET_MARK;

/** Exit codes of `coder-oidc drift`; with `--all`, the worst of the stacks'. */
export const DriftExitCode = {
  /** The live IdP matches the program. */
  NoDrift: ExitCode.Ok,
  /** Something was changed outside the program. */
  Drift: ExitCode.StackFailed,
  /** Could not check: no CLI, no credentials, stack missing, IdP unreachable, bad arguments. */
  CouldNotCheck: ExitCode.Usage,
} as const;

/** Why a stack could not be checked; each has its own message saying what to fix. */
export const CheckFailure = {
  NoCli: "no-cli",
  NoCredentials: "no-credentials",
  StackMissing: "stack-missing",
  IdpUnreachable: "idp-unreachable",
  IdpCredentials: "idp-credentials",
  Other: "other",
} as const;
/** One of {@link CheckFailure}. */
export type CheckFailure = (typeof CheckFailure)[keyof typeof CheckFailure];

/** One field that differs between the program and the live IdP. */
export interface FieldDrift {
  /** Property path, e.g. `clientOfflineSessionIdleTimeout` or `validRedirectUris[0]`. */
  readonly path: string;
  /** The engine's kind of difference: `update`, `add` (the program sets what the IdP lacks), `delete`, or a replace. */
  readonly kind: string;
  /** What the program declares, as text (secrets masked); absent when the program does not set it. */
  readonly program?: string;
  /** What the IdP has, as text (secrets masked); absent when the IdP lacks it. */
  readonly live?: string;
}

/** One resource whose live state differs from the program. */
export interface ResourceDrift {
  /** The resource's URN. */
  readonly urn: string;
  /** Its type token. */
  readonly type: string;
  /** Its logical name (the URN's last part). */
  readonly name: string;
  /** What the next `pulumi up` would do: `update`, `replace`, `create` (deleted by hand), `delete`. */
  readonly op: string;
  /** The fields that differ; empty when the engine gave none (e.g. a resource gone). */
  readonly fields: readonly FieldDrift[];
}

/** The drift check of one stack. */
export interface StackDriftResult {
  /** Stack name. */
  readonly stack: string;
  /** `drift`, `no-drift` or `error` (could not check). */
  readonly status: "no-drift" | "drift" | "error";
  /** The resources that drifted. */
  readonly resources: readonly ResourceDrift[];
  /** Why it could not be checked. */
  readonly failure?: CheckFailure;
  /** What to fix, when it could not be checked. */
  readonly message?: string;
  /** Seconds the check took. */
  readonly seconds?: number;
}

/** The steps that do not change anything, after a refresh. */
const NO_CHANGE_OPS = new Set(["same", "read", "refresh", "discard", "discard-replaced", "remove-pending-replace"]);

/** Field names that hold secrets, whatever the engine marked: `clientSecret`, `password`, `token`, `value` (Entra's password). */
const SECRET_KEY = /(secret|password|passphrase|privateKey)s?$|^(token|value|accessToken|refreshToken)$/i;
const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
const DYNAMIC_PROVIDER_KEY = "__provider";

/** Splits a Pulumi property path (`a.b[0]`, `a["x.y"]`) into its keys. */
export function splitPropertyPath(path: string): (string | number)[] {
  const keys: (string | number)[] = [];
  const pattern = /([^.[\]]+)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]/g;
  for (const match of path.matchAll(pattern)) {
    if (match[1] !== undefined) keys.push(match[1]);
    else if (match[2] !== undefined) keys.push(Number(match[2]));
    else keys.push(match[3].replace(/\\(.)/g, "$1"));
  }
  return keys;
}

function get(value: unknown, keys: readonly (string | number)[]): unknown {
  let current = value;
  for (const key of keys) {
    if (typeof current !== "object" || current === null) return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

/**
 * `accessToken` and `refreshToken` name a token where they hold text, and a token's settings where they hold an
 * object (Auth0's `auth0.Client.refreshToken`: rotation, leeway, lifetimes): only the first is masked.
 */
const TOKEN_SETTINGS_KEY = /^(accessToken|refreshToken)$/i;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** Whether `keys` (with `value` at their end) lead to a secret by a field's name. */
function secretByName(keys: readonly (string | number)[], value: unknown): boolean {
  return keys.some((k, i) => typeof k === "string" && SECRET_KEY.test(k) &&
    !(TOKEN_SETTINGS_KEY.test(k) && (i < keys.length - 1 || isRecord(value))));
}

/** A value as drift prints it: secrets (by marker or by field name) masked, the dynamic provider's code summarized. */
export function driftText(value: unknown, keys: readonly (string | number)[]): string | undefined {
  if (value === undefined) return undefined;
  if (keys[0] === DYNAMIC_PROVIDER_KEY) return "(serialized provider code)";
  if (secretByName(keys, value)) return MASKED;
  if (value === MASKED || (typeof value === "object" && value !== null && SECRET_SIG_KEY in value)) return MASKED;
  const masked = maskDeep(value);
  return typeof masked === "string" ? masked : JSON.stringify(masked);
}

function maskDeep(value: unknown): unknown {
  if (typeof value === "object" && value !== null && SECRET_SIG_KEY in value) return MASKED;
  if (Array.isArray(value)) return value.map(maskDeep);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, secretByName([k], v) ? MASKED : maskDeep(v)]));
  }
  return value;
}

/**
 * The inputs whose value differs between a step's old and new state, as property paths. The engine names changed
 * properties only for providers that report them: a dynamic provider (PingFederate's) cannot, so its steps come
 * with neither `detailedDiff` nor `diffs` (seen on the real engine), and the fields are found by comparison. An
 * object on both sides (Auth0's `refreshToken`, PingFederate's `clientAuth`) is walked, so the field inside it that
 * changed is named (`refreshToken.leeway`); arrays and everything else are compared whole.
 */
export function changedInputs(meta: Pick<StepEventMetadata, "old" | "new">): string[] {
  const out: string[] = [];
  const walk = (before: Record<string, unknown>, after: Record<string, unknown>, prefix: string) => {
    for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
      if (prefix === "" && key === DYNAMIC_PROVIDER_KEY) continue;
      const [b, a] = [before[key], after[key]];
      if (JSON.stringify(b) === JSON.stringify(a)) continue;
      const path = prefix === "" ? key : /^[A-Za-z_$][\w$]*$/.test(key) ? `${prefix}.${key}` : `${prefix}[${JSON.stringify(key)}]`;
      if (isRecord(b) && isRecord(a) && !(SECRET_SIG_KEY in b) && !(SECRET_SIG_KEY in a)) walk(b, a, path);
      else out.push(path);
    }
  };
  walk(meta.old?.inputs ?? {}, meta.new?.inputs ?? {}, "");
  return out;
}

/**
 * `diffs` name top-level properties only (a bridged provider's update step may carry nothing else): an object among
 * them (Auth0's `refreshToken`) is replaced by the fields inside it that changed.
 */
function namedWithin(diffs: readonly string[], meta: Pick<StepEventMetadata, "old" | "new">): string[] {
  const changed = changedInputs(meta);
  return [...new Set(diffs.flatMap((d) => {
    const inside = changed.filter((c) => c.startsWith(`${d}.`) || c.startsWith(`${d}[`));
    return inside.length > 0 ? inside : [d];
  }))];
}

function fieldsOf(meta: StepEventMetadata): FieldDrift[] {
  const detailed = meta.detailedDiff ?? {};
  const paths = Object.keys(detailed).length > 0 ? Object.keys(detailed)
    : meta.diffs?.length ? namedWithin(meta.diffs, meta) : meta.op === "update" ? changedInputs(meta) : [];
  return paths.sort().map((path) => {
    const keys = splitPropertyPath(path);
    const live = get(meta.old?.inputs, keys) ?? get(meta.old?.outputs, keys);
    return {
      path,
      kind: detailed[path]?.diffKind ?? "update",
      program: driftText(get(meta.new?.inputs, keys), keys),
      live: driftText(live, keys),
    };
  });
}

/**
 * The resources whose refresh changed their recorded state, from the `refresh` steps: what the IdP holds
 * (`new`) against what the last `pulumi up` recorded (`old`, the program's values then). Used when the
 * engine fails `--expect-no-changes` on the refresh alone, with no step against the program to show.
 */
export function parseRefreshChanges(events: readonly EngineEvent[]): ResourceDrift[] {
  const out: ResourceDrift[] = [];
  for (const event of events) {
    const meta = event.resourcePreEvent?.metadata;
    if (!meta || meta.op !== "refresh") continue;
    const paths = Object.keys(meta.detailedDiff ?? {}).length > 0 ? Object.keys(meta.detailedDiff ?? {}) : (meta.diffs ?? []);
    if (paths.length === 0) continue;
    const fields = paths.sort().map((path) => {
      const keys = splitPropertyPath(path);
      return {
        path,
        kind: meta.detailedDiff?.[path]?.diffKind ?? "update",
        program: driftText(get(meta.old?.inputs, keys) ?? get(meta.old?.outputs, keys), keys),
        live: driftText(get(meta.new?.inputs, keys) ?? get(meta.new?.outputs, keys), keys),
      };
    });
    out.push({ urn: meta.urn, type: meta.type, name: meta.urn.split("::").pop() ?? meta.urn, op: "refresh", fields });
  }
  return out;
}

/** The resources that drifted, from a refresh-preview's engine events, in event order, one entry per URN. */
export function parseDriftEvents(events: readonly EngineEvent[]): ResourceDrift[] {
  const byUrn = new Map<string, ResourceDrift>();
  for (const event of events) {
    const meta = event.resourcePreEvent?.metadata;
    if (!meta || NO_CHANGE_OPS.has(meta.op) || meta.type === "pulumi:pulumi:Stack") continue;
    // A replacement shows as several steps; the first names the fields.
    if (byUrn.has(meta.urn)) continue;
    const name = meta.urn.split("::").pop() ?? meta.urn;
    byUrn.set(meta.urn, { urn: meta.urn, type: meta.type, name, op: meta.op, fields: fieldsOf(meta) });
  }
  return [...byUrn.values()];
}

/** The exit code of one stack's result. */
export function stackExitCode(result: Pick<StackDriftResult, "status">): number {
  return result.status === "error" ? DriftExitCode.CouldNotCheck : result.status === "drift" ? DriftExitCode.Drift : DriftExitCode.NoDrift;
}

/** The exit code of several stacks: the worst of them (could not check > drift > none). */
export function worstExitCode(results: readonly Pick<StackDriftResult, "status">[]): number {
  return results.reduce((worst, r) => Math.max(worst, stackExitCode(r)), DriftExitCode.NoDrift as number);
}

/** What to fix when the backend has no such stack. */
export const STACK_MISSING_MESSAGE = "the stack does not exist in this backend: check PULUMI_BACKEND_URL (or pulumi login) " +
  "points at the backend that holds it, or create it with pulumi stack init and pulumi up";

/**
 * Classifies an engine or CLI failure by its text into what the user must fix. `text` is the CLI's
 * stderr (or the error message); it never carries secrets (the CLI masks them).
 */
export function classifyFailure(text: string): { failure: CheckFailure; message: string } {
  const tail = text.split("\n").map((l) => l.trim()).filter((l) => l !== "").slice(-3).join(" / ");
  if (/no stack named .* found|stack .* not found/i.test(text)) return { failure: CheckFailure.StackMissing, message: STACK_MISSING_MESSAGE };
  if (/passphrase/i.test(text)) {
    return { failure: CheckFailure.NoCredentials, message: "the stack's secrets cannot be decrypted: set PULUMI_CONFIG_PASSPHRASE " +
      "(or PULUMI_CONFIG_PASSPHRASE_FILE) to the stack's passphrase" };
  }
  if (/PULUMI_ACCESS_TOKEN|not logged in|pulumi login|Unauthorized: No credentials/i.test(text)) {
    return { failure: CheckFailure.NoCredentials, message: "no backend credentials: run pulumi login, or set PULUMI_BACKEND_URL " +
      "(e.g. file://<dir> or s3://<bucket>) or PULUMI_ACCESS_TOKEN" };
  }
  if (/ECONNREFUSED|connection refused|ENOTFOUND|no such host|ETIMEDOUT|i\/o timeout|EHOSTUNREACH|context deadline exceeded|socket hang up/i.test(text)) {
    return { failure: CheckFailure.IdpUnreachable, message: `the IdP (or its admin API) is unreachable: check it is up and that ` +
      `its URL in the stack config (keycloak:url, pingfederate.adminUrl, okta:orgName and okta:baseUrl, auth0:domain, …) is right. Engine said: ${tail}` };
  }
  if (/\b(401|403)\b|unauthorized|forbidden|invalid_client|invalid_grant/i.test(text)) {
    return { failure: CheckFailure.IdpCredentials, message: "the IdP refused the admin credentials: check keycloak:clientSecret, " +
      `azuread:clientSecret, okta:apiToken, auth0:clientSecret (or auth0:apiToken), PINGFEDERATE_ADMIN_* (or the stack's pingfederate.*). Engine said: ${tail}` };
  }
  return { failure: CheckFailure.Other, message: `the refresh-preview failed: ${tail || "(no output)"}` };
}

/**
 * Whether the CLI's failure is only `--expect-no-changes` reporting the drift it found, from what the CLI said
 * (its stderr and error diagnostics; not its command line, which names the flag whatever went wrong).
 */
export function isExpectNoChangesFailure(text: string): boolean {
  // Pulumi v3.276 names the resource: "no changes were expected for <urn> but changes were proposed".
  return /no changes were expected (for \S+ )?but changes were proposed|expected no changes/i.test(text);
}

/** One stack's result as text. */
export function renderStackDrift(result: StackDriftResult): string {
  if (result.status === "error") return `Stack ${result.stack}: could not check (${result.failure}): ${result.message}\n`;
  if (result.status === "no-drift") return `Stack ${result.stack}: no drift: the IdP matches the program.\n`;
  const lines = [`Stack ${result.stack}: DRIFT in ${result.resources.length} resource(s); pulumi up --refresh restores the program's values:`];
  for (const r of result.resources) {
    lines.push(`  ~ ${r.type} ${r.name} (${r.op})`);
    if (r.fields.length === 0) lines.push(r.op === "create" ? "      gone from the IdP (deleted by hand?)" : "      (the engine named no field)");
    for (const f of r.fields) lines.push(`      ${f.path}: program ${f.program ?? "(unset)"}, live ${f.live ?? "(unset)"}`);
  }
  return lines.join("\n") + "\n";
}

/** The summary table of several stacks (GitHub Markdown, readable as text). */
export function renderSummaryTable(results: readonly StackDriftResult[]): string {
  const lines = ["| Stack | Result | Resources drifted | Detail |", "|---|---|---|---|"];
  for (const r of results) {
    const detail = r.status === "error" ? `${r.failure}: ${r.message}`
      : r.resources.map((x) => `${x.name}: ${x.fields.map((f) => f.path).join(", ") || x.op}`).join("; ");
    const result = r.status === "error" ? "could not check" : r.status === "drift" ? "DRIFT" : "no drift";
    lines.push(`| ${r.stack} | ${result} | ${r.resources.length} | ${detail.replace(/\|/g, "\\|").replace(/\n/g, " ")} |`);
  }
  return lines.join("\n") + "\n";
}

/** Runs `fn` over `items`, at most `limit` at a time; results in input order. */
export async function mapBounded<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
