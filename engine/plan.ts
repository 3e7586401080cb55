/**
 * The offline plan: runs the real program under Pulumi's mock runtime, in preview mode, with a stack's
 * config, and reports what it declares and the Coder settings it would output. No CLI, no credentials, no
 * network: values the IdP would compute are "known after apply", secrets are never shown.
 */
import { SECRET_MARK } from "../src/safe-text";
import { createHash } from "node:crypto";
import type * as pulumi from "@pulumi/pulumi";
import { type AdoptionReport, listenForAdoptions } from "../src/adoption";
import { CoderEnvName, REQUIRED_CODER_ENV } from "../src/coder-env";
import { offlineCallAnswers, parseStackConfig, type StackConfig } from "../idps/registry";
import { type RawStackConfig } from "../src/config";
import { CoderOidcError, ConfigError } from "../src/errors";
import { OFFLINE_SECRET_PLACEHOLDER } from "../src/provider-config";
import { installMocks, isSecretValue, resolveOutput, settle } from "./offline-runtime";
import { policyConfigFor, renderPolicyText, runPolicies, type PolicyReport } from "./policy-run";

/** How a plan writes a value the engine knows only after apply. */
export const UNKNOWN_MARK = "(known after apply)";

/** One Coder variable as the plan (or a deployed stack) gives it. */
export interface CoderEnvEntry {
  /** The variable's name, e.g. `CODER_OIDC_SCOPES`. */
  readonly name: string;
  /** False when the value exists only after `pulumi up`. */
  readonly known: boolean;
  /** Whether the value is a secret. */
  readonly secret: boolean;
  /** The value, when known. Present for secrets too: renderers decide where a secret may go. */
  readonly value?: string;
}

/** One resource in a plan, its inputs made printable (secrets masked, unknowns marked). */
export interface PlannedResource {
  /** Type token. */
  readonly type: string;
  /** Logical name. */
  readonly name: string;
  /** Inputs, secrets as {@link SECRET_MARK}, unknowns as {@link UNKNOWN_MARK}. */
  readonly inputs: Record<string, unknown>;
  /** With `coder-oidc:adoptClientId`: the id of the existing resource imported (Pulumi's `import` option). */
  readonly importId?: string;
}

/** One adoption as a plan shows it: the existing client, what is imported, what changes on it, the secret. */
export interface PlannedAdoption {
  /** The IdP's name. */
  readonly idp: string;
  /** Where the client was found. */
  readonly where: string;
  /** The adopted client's id. */
  readonly clientId: string;
  /** The imported resources and their import ids. */
  readonly imports: readonly { readonly name: string; readonly id: string }[];
  /** Each field the stack changes on the existing client, values as JSON text (`(unset)` when absent). */
  readonly changes: readonly { readonly field: string; readonly from: string; readonly to: string }[];
  /** Which secret Coder uses afterwards. */
  readonly secret: string;
}

/** What a stack would declare and output. */
export interface StackPlan {
  /** Stack name. */
  readonly stack: string;
  /** The config's `coder-oidc:idp`, when it parsed. */
  readonly idp?: string;
  /** Every resource declared, in order. */
  readonly resources: readonly PlannedResource[];
  /** The Coder variables, required ones first. */
  readonly coderEnv: readonly CoderEnvEntry[];
  /** Other stack outputs (e.g. where a secret is stored). */
  readonly otherOutputs: readonly CoderEnvEntry[];
  /** Warnings the program logged. */
  readonly warnings: readonly string[];
  /** Informational messages the program logged (e.g. manual steps). */
  readonly notes: readonly string[];
  /** What the plan assumed in place of live data-source answers. */
  readonly assumptions: readonly string[];
  /** With `coder-oidc:adoptClientId`: the adoption (offline, the client's fields are the assumed ones). */
  readonly adoptions: readonly PlannedAdoption[];
  /** The policy pack's results over this plan (engine/policy-run.ts). */
  readonly policies: PolicyReport;
}

/** The program failed (bad config, or an error it raised); `messages` are what it said. */
export class PlanFailedError extends CoderOidcError {
  static readonly code = "ERR_PLAN_FAILED";
  override readonly code = PlanFailedError.code;
}

const UNKNOWN_INPUT_KEY = "__pulumiUnknown";
const DYNAMIC_PROVIDER_KEY = "__provider";

/**
 * PEM text as one line: how many blocks and a fingerprint of the text (a CA bundle is dozens of lines; a change of
 * it still shows in the review diff as a changed fingerprint).
 */
export function pemSummary(pem: string): string {
  const blocks = pem.match(/-----BEGIN [A-Z0-9 ]+-----/g) ?? [];
  const kinds = [...new Set(blocks.map((b) => b.slice("-----BEGIN ".length, -"-----".length).toLowerCase()))].join(", ");
  return `(PEM: ${blocks.length} ${kinds || "block"}${blocks.length === 1 ? "" : "s"}, sha256 ${createHash("sha256").update(pem).digest("hex").slice(0, 16)})`;
}

/** Makes a recorded input printable: secrets masked at any depth, unknowns marked, PEM text summarized. */
export function printable(value: unknown): unknown {
  if (isSecretValue(value)) return SECRET_MARK;
  if (typeof value === "string" && value.includes("-----BEGIN ")) return pemSummary(value);
  if (Array.isArray(value)) return value.map(printable);
  if (typeof value === "object" && value !== null) {
    if ((value as Record<string, unknown>)[UNKNOWN_INPUT_KEY] === true) return UNKNOWN_MARK;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, printable(v)]));
  }
  if (value === "04da6b54-80e4-46f7-96ec-b56ff0331ba9") return UNKNOWN_MARK;
  // Built from a `secure:` value the offline plan cannot decrypt: unknown here, never shown as if it were real.
  if (containsOfflineSecret(value)) return UNKNOWN_MARK;
  return value;
}

/** Whether `value` is, or was built from, the stand-in for a `secure:` value the offline plan cannot decrypt. */
function containsOfflineSecret(value: unknown): boolean {
  return typeof value === "string" && value.includes(OFFLINE_SECRET_PLACEHOLDER);
}

function printableInputs(inputs: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(inputs).sort()) {
    out[key] = key === DYNAMIC_PROVIDER_KEY
      ? `(serialized dynamic provider, ${String(inputs[key]).length} characters)`
      : printable(inputs[key]);
  }
  return out;
}

type Program = () => Promise<Record<string, pulumi.Output<string>>>;

/** Runs `program` with `config` under mocks and captures what it declares, outputs and logs. */
export async function planStack(stack: string, config: RawStackConfig, program: Program = loadProgram()): Promise<StackPlan> {
  // Checked here first as well: a stack file tells exactly which nested values are secret, the engine does not.
  let parsed: StackConfig;
  try {
    parsed = parseStackConfig(config);
  } catch (err) {
    if (err instanceof ConfigError) throw new PlanFailedError(err.message);
    throw err;
  }
  const callResults = Object.fromEntries(Object.entries(offlineCallAnswers()).map(([token, a]) => [token, a.result]));
  const mocks = await installMocks({ values: { ...config.values }, secretKeys: [...config.secretKeys], stack, preview: true, callResults });
  const warnings: string[] = [];
  const notes: string[] = [];
  const failures: string[] = [];
  const adoptions: PlannedAdoption[] = [];
  listenForAdoptions((report) => adoptions.push(plannedAdoption(report)));
  const restore = captureRuntimeLog(warnings, notes, failures);
  const onRejection = (reason: unknown) => failures.push(messageOf(reason));
  process.on("unhandledRejection", onRejection);
  let outputs: Record<string, pulumi.Output<string>> = {};
  try {
    outputs = await program();
    await settle();
  } catch (err) {
    failures.push(messageOf(err));
  } finally {
    await settle();
    process.off("unhandledRejection", onRejection);
    listenForAdoptions(undefined);
    restore();
  }
  if (failures.length > 0) throw new PlanFailedError([...new Set(failures)].join("\n"));

  const entries: CoderEnvEntry[] = [];
  for (const [name, output] of Object.entries(outputs)) {
    const resolved = await resolveOutput(output);
    // A value built from a `secure:` one that cannot be decrypted here (an issuer from a secret tenant id) is unknown.
    const known = resolved.known && (resolved.secret || !containsOfflineSecret(resolved.value));
    entries.push({ name, known, secret: resolved.secret, value: known ? String(resolved.value) : undefined });
  }
  const coderNames = new Set<string>(Object.values(CoderEnvName));
  const order = (e: CoderEnvEntry) => {
    const i = REQUIRED_CODER_ENV.indexOf(e.name as CoderEnvName);
    return i === -1 ? REQUIRED_CODER_ENV.length : i;
  };
  const usedCalls = new Set(mocks.calls.map((c) => c.token));
  const policies = await runPolicies(stack, mocks.resources, entries, { config: policyConfigFor(parsed) });
  return {
    stack,
    idp: config.values["coder-oidc:idp"],
    resources: mocks.resources.map((r) => ({
      type: r.type, name: r.name, inputs: printableInputs(r.inputs), ...(r.importId ? { importId: r.importId } : {}),
    })),
    coderEnv: entries.filter((e) => coderNames.has(e.name)).sort((a, b) => order(a) - order(b)),
    otherOutputs: entries.filter((e) => !coderNames.has(e.name)),
    warnings,
    notes,
    assumptions: Object.entries(offlineCallAnswers()).filter(([token]) => usedCalls.has(token)).map(([, a]) => a.assumption),
    adoptions,
    policies,
  };
}

/** A value of an adopted client's field as the plan prints it: JSON, secrets masked (never expected there). */
function adoptionValue(value: unknown): string {
  return value === undefined ? "(unset)" : JSON.stringify(printable(value));
}

function plannedAdoption(report: AdoptionReport): PlannedAdoption {
  return {
    idp: report.idp,
    where: report.where,
    clientId: report.clientId,
    imports: report.imports.map((i) => ({ name: i.name, id: i.id })),
    changes: report.changes.map((c) => ({ field: c.field, from: adoptionValue(c.from), to: adoptionValue(c.to) })),
    secret: report.secret,
  };
}

function loadProgram(): Program {
  // Required lazily: the program module declares nothing until called, but it pulls in every provider SDK.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require("../program/index") as Program;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Without an engine, Pulumi's log functions write to the console with a `warning: [runtime]` / `info:
 * [runtime]` / `error: [runtime]` prefix. Capture those for the plan; pass anything else through.
 */
function captureRuntimeLog(warnings: string[], notes: string[], errors: string[]): () => void {
  const original = { warn: console.warn, log: console.log, error: console.error };
  const route = (fallback: (...args: unknown[]) => void) => (...args: unknown[]) => {
    const text = args.map(String).join(" ");
    const match = /^(warning|info|error): \[runtime\] ([\s\S]*)$/.exec(text);
    if (!match) return fallback(...args);
    ({ warning: warnings, info: notes, error: errors })[match[1] as "warning" | "info" | "error"].push(match[2]);
  };
  console.warn = route(original.warn);
  console.log = route(original.log);
  console.error = route(original.error);
  return () => Object.assign(console, original);
}

/** The plan as text for people. */
export function renderPlanText(plan: StackPlan): string {
  const lines: string[] = [];
  lines.push(`Stack ${plan.stack} (idp: ${plan.idp ?? "?"}): offline plan. Nothing was contacted or changed.`);
  lines.push("", `Resources (${plan.resources.length}):`);
  for (const r of plan.resources) {
    lines.push(r.importId ? `  = ${r.type}  ${r.name}  (import ${r.importId})` : `  + ${r.type}  ${r.name}`);
    for (const [key, value] of Object.entries(r.inputs)) lines.push(`      ${key}: ${formatValue(value)}`);
  }
  for (const a of plan.adoptions) {
    lines.push("", `Adopting ${a.idp} client "${a.clientId}" (${a.where}), coder-oidc:adoptClientId:`);
    if (a.imports.length === 0) lines.push("  taken over in place when created (no import)");
    for (const i of a.imports) lines.push(`  import ${i.name}: ${i.id}`);
    if (a.changes.length === 0) lines.push("  no managed field changes on the existing client");
    for (const c of a.changes) lines.push(`  ~ ${c.field}: ${c.from} → ${c.to}`);
    lines.push(`  secret: ${a.secret}`);
  }
  lines.push("", "Coder settings (stack outputs):");
  for (const e of plan.coderEnv) lines.push(`  ${e.name}=${formatEntry(e)}`);
  if (plan.otherOutputs.length > 0) {
    lines.push("", "Other outputs:");
    for (const e of plan.otherOutputs) lines.push(`  ${e.name}=${formatEntry(e)}`);
  }
  const section = (title: string, items: readonly string[]) => {
    if (items.length === 0) return;
    lines.push("", `${title}:`);
    for (const item of items) lines.push(...item.split("\n").map((l, i) => (i === 0 ? `  - ${l}` : `    ${l}`)));
  };
  section("Warnings", plan.warnings);
  section("Notes", plan.notes);
  section("Assumed offline (checked against the live IdP at preview/up)", plan.assumptions);
  lines.push("", renderPolicyText(plan.policies));
  return lines.join("\n") + "\n";
}

/** The plan as JSON for machines; secrets masked, unknowns marked. */
export function planToJson(plan: StackPlan): unknown {
  const env = (entries: readonly CoderEnvEntry[]) =>
    Object.fromEntries(entries.map((e) => [e.name, { value: formatEntry(e), known: e.known, secret: e.secret }]));
  return { ...plan, coderEnv: env(plan.coderEnv), otherOutputs: env(plan.otherOutputs) };
}

/** A Coder variable as a plan shows it: never a secret's value. */
export function formatEntry(e: CoderEnvEntry): string {
  if (e.secret) return e.known ? SECRET_MARK : `${SECRET_MARK} ${UNKNOWN_MARK}`;
  return e.known ? (e.value ?? "") : UNKNOWN_MARK;
}

function formatValue(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

export { SECRET_MARK } from "../src/safe-text";
