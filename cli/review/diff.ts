/**
 * The review diff, `coder-oidc plan --all --diff <ref>`: plans every stack in the working tree and at a git
 * ref (with the ref's own code, see ./review-ref) and says, per stack, what changes in the declared IdP
 * settings (resource inputs by field path) and in the Coder settings, which stacks come and go, and what
 * the policy pack says. Secrets are reported as changed or unchanged, never shown: plans mask them, and
 * stack-file secrets are compared by a hash of their ciphertext, never printed.
 */
import { ExitCode } from "../../src/exit-codes";
import { createHash } from "node:crypto";
import * as path from "node:path";
import { parse } from "yaml";
import { CoderOidcError } from "../../src/errors";
import { planStack, planToJson, type PlannedAdoption } from "../../engine/plan";
import type { PolicyReport, PolicyViolation } from "../../engine/policy-run";
import { planAtCommit, resolveCommit, type RefPlans } from "./ref";
import { listStacks, readStackFile, stackFileText } from "../../engine/stack-file";

/** A plan as `planToJson` writes it (and the ref's plan prints it); only what the diff reads. */
export interface PlanJson {
  readonly stack: string;
  readonly idp?: string;
  readonly resources: readonly {
    readonly type: string;
    readonly name: string;
    readonly inputs: Record<string, unknown>;
    /** The `import` option's id (coder-oidc:adoptClientId); absent in plans made by older code. */
    readonly importId?: string;
  }[];
  /** Adoptions of existing clients; absent in plans made by older code. */
  readonly adoptions?: readonly PlannedAdoption[];
  readonly coderEnv: Readonly<Record<string, { readonly value: string; readonly secret: boolean }>>;
  readonly otherOutputs?: Readonly<Record<string, { readonly value: string; readonly secret: boolean }>>;
  readonly warnings?: readonly string[];
  /** Absent in plans made by code older than the policy pack. */
  readonly policies?: PolicyReport;
}

/** One side of the diff: the plans, the stacks that failed to plan, and the stack files' text. */
export interface DiffSide {
  /** Plans by stack. */
  readonly plans: ReadonlyMap<string, PlanJson>;
  /** Stacks with a file that did not plan, with why. */
  readonly failures: ReadonlyMap<string, string>;
  /** Stack file text by stack (for secret fingerprints). */
  readonly stackFiles: ReadonlyMap<string, string>;
}

/** One value that differs; values are printable (plans mask secrets), `before`/`after` absent when added/removed. */
export interface FieldChange {
  /** Field path, e.g. `clientOfflineSessionIdleTimeout` or `web.implicitGrant.idTokenIssuanceEnabled`. */
  readonly path: string;
  /** The value at the ref, as text; absent when the field is new. */
  readonly before?: string;
  /** The value in the working tree, as text; absent when the field is gone. */
  readonly after?: string;
}

/** A resource that is added, removed or changed. */
export interface ResourceChange {
  /** `<type> <name>`. */
  readonly resource: string;
  /** What happens to it. */
  readonly status: "added" | "removed" | "changed";
  /** The fields that differ (for added resources: every field). */
  readonly fields: readonly FieldChange[];
}

/** A stack-file secret (a `secure:` value): whether its ciphertext changed. Never its value. */
export interface SecretChange {
  /** Config path, e.g. `keycloak:clientSecret` or `coder-oidc:google.clientSecret`. */
  readonly key: string;
  /** `changed`, `added` or `removed` (unchanged secrets are counted, not listed). */
  readonly status: "changed" | "added" | "removed";
}

/** What one stack's change does. */
export interface StackDiff {
  /** Stack name. */
  readonly stack: string;
  /** The IdP (working tree's, or the ref's for a removed stack). */
  readonly idp?: string;
  /** `added`/`removed`: the stack file comes or goes; `failed`: it does not plan in the working tree. */
  readonly status: "added" | "removed" | "changed" | "unchanged" | "failed";
  /** Why the working tree's plan (or the ref's, `refFailure`) failed. */
  readonly failure?: string;
  /** The ref's plan failed: the diff compares against nothing. */
  readonly refFailure?: string;
  /** Declared IdP settings that change. */
  readonly resources: readonly ResourceChange[];
  /** Coder settings (and other stack outputs) that change. */
  readonly coderEnv: readonly FieldChange[];
  /**
   * The working tree's adoptions (coder-oidc:adoptClientId) when they differ from the ref's: the imports and, per field,
   * what changes on the existing client.
   */
  readonly adoptions: readonly PlannedAdoption[];
  /** Stack-file secrets that change. */
  readonly secrets: readonly SecretChange[];
  /** Stack-file secrets that stay as they are. */
  readonly secretsUnchanged: number;
  /** The policy pack over the working tree's plan; undefined when it did not plan. */
  readonly policies?: PolicyReport;
  /** Violations the change brings. */
  readonly newViolations: readonly PolicyViolation[];
  /** Violations the change fixes (undefined when the ref's code had no policy pack). */
  readonly fixedViolations?: readonly PolicyViolation[];
}

/** The review diff of every stack. */
export interface ReviewDiff {
  /** The ref as given. */
  readonly ref: string;
  /** The commit it names. */
  readonly commit: string;
  /** One entry per stack of either side, sorted by name. */
  readonly stacks: readonly StackDiff[];
}

/** Exit codes of the review diff: 0 the change passes; 1 a mandatory policy fails or a stack does not plan; 2 bad ref or no diff. */
export const ReviewExitCode = { Ok: ExitCode.Ok, PolicyFailed: ExitCode.StackFailed, Usage: ExitCode.Usage } as const;

const DYNAMIC_PROVIDER_KEY = "__provider";

/** Text of a printable value: strings as they are, the rest as JSON. */
function text(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** Flattens inputs to field paths; objects are walked, arrays and primitives are leaves. */
export function flattenFields(value: unknown, prefix = "", out = new Map<string, string>()): Map<string, string> {
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    const entries = Object.entries(value);
    if (entries.length === 0 && prefix !== "") out.set(prefix, "{}");
    for (const [key, v] of entries) flattenFields(v, prefix === "" ? key : `${prefix}.${key}`, out);
  } else if (value !== undefined && prefix !== "") {
    out.set(prefix, text(value));
  }
  return out;
}

/** The fields that differ between two flattened records, in path order. */
export function diffFields(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>): FieldChange[] {
  const paths = [...new Set([...before.keys(), ...after.keys()])].sort();
  const changes: FieldChange[] = [];
  for (const p of paths) {
    const [b, a] = [before.get(p), after.get(p)];
    if (b === a) continue;
    // The serialized dynamic provider is code, not a setting: say it changed, not how.
    if (p === DYNAMIC_PROVIDER_KEY) changes.push({ path: p, before: "(provider code)", after: "(changed provider code)" });
    else changes.push({ path: p, before: b, after: a });
  }
  return changes;
}

/** Fingerprints of every `secure:` value of a stack file, by config path; the ciphertext is hashed, never kept. */
export function secretFingerprints(stackFileText: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (stackFileText === undefined) return out;
  let body: unknown;
  try {
    body = parse(stackFileText);
  } catch {
    return out;
  }
  const walk = (value: unknown, key: string) => {
    if (typeof value !== "object" || value === null) return;
    const record = value as Record<string, unknown>;
    if (!Array.isArray(value) && Object.keys(record).length === 1 && typeof record.secure === "string") {
      out.set(key, createHash("sha256").update(record.secure).digest("hex"));
      return;
    }
    for (const [k, v] of Object.entries(record)) walk(v, Array.isArray(value) ? `${key}[${k}]` : `${key}.${k}`);
  };
  const config = (body as { config?: Record<string, unknown> } | null)?.config ?? {};
  for (const [key, value] of Object.entries(config)) walk(value, key);
  return out;
}

function violationKey(v: PolicyViolation): string {
  return `${v.policy}\u0000${v.resource}\u0000${v.message}`;
}

function envFields(plan: PlanJson | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const group of [plan?.coderEnv ?? {}, plan?.otherOutputs ?? {}]) {
    for (const [name, entry] of Object.entries(group)) out.set(name, entry.value);
  }
  return out;
}

/** The field path under which an imported resource's import id is compared. */
export const IMPORT_FIELD = "(import id)";

/** A resource's inputs with its import id, if any, as one more field. */
function withImport(resource: PlanJson["resources"][number] | undefined): Record<string, unknown> {
  if (resource === undefined) return {};
  return resource.importId === undefined ? resource.inputs : { ...resource.inputs, [IMPORT_FIELD]: resource.importId };
}

/** Compares one stack's two sides. */
export function diffStack(stack: string, before: DiffSide, after: DiffSide): StackDiff {
  const [b, a] = [before.plans.get(stack), after.plans.get(stack)];
  const inBefore = b !== undefined || before.failures.has(stack) || before.stackFiles.has(stack);
  const inAfter = a !== undefined || after.failures.has(stack) || after.stackFiles.has(stack);
  const resourceKey = (r: PlanJson["resources"][number]) => `${r.type} ${r.name}`;
  const beforeResources = new Map((b?.resources ?? []).map((r) => [resourceKey(r), r]));
  const afterResources = new Map((a?.resources ?? []).map((r) => [resourceKey(r), r]));
  const resources: ResourceChange[] = [];
  for (const key of [...new Set([...beforeResources.keys(), ...afterResources.keys()])]) {
    const [rb, ra] = [beforeResources.get(key), afterResources.get(key)];
    const fields = diffFields(flattenFields(withImport(rb)), flattenFields(withImport(ra)));
    if (rb === undefined) resources.push({ resource: key, status: "added", fields });
    else if (ra === undefined) resources.push({ resource: key, status: "removed", fields: [] });
    else if (fields.length > 0) resources.push({ resource: key, status: "changed", fields });
  }
  const coderEnv = diffFields(envFields(b), envFields(a));
  const adoptions = JSON.stringify(a?.adoptions ?? []) === JSON.stringify(b?.adoptions ?? []) ? [] : a?.adoptions ?? [];

  const [sb, sa] = [secretFingerprints(before.stackFiles.get(stack)), secretFingerprints(after.stackFiles.get(stack))];
  const secrets: SecretChange[] = [];
  let secretsUnchanged = 0;
  for (const key of [...new Set([...sb.keys(), ...sa.keys()])].sort()) {
    if (!sb.has(key)) secrets.push({ key, status: "added" });
    else if (!sa.has(key)) secrets.push({ key, status: "removed" });
    else if (sb.get(key) !== sa.get(key)) secrets.push({ key, status: "changed" });
    else secretsUnchanged++;
  }

  const beforeViolations = b?.policies?.violations ?? [];
  const afterViolations = a?.policies?.violations ?? [];
  const beforeKeys = new Set(beforeViolations.map(violationKey));
  const afterKeys = new Set(afterViolations.map(violationKey));
  const newViolations = afterViolations.filter((v) => !beforeKeys.has(violationKey(v)));
  const fixedViolations = b?.policies === undefined ? undefined : beforeViolations.filter((v) => !afterKeys.has(violationKey(v)));

  const changed = resources.length > 0 || coderEnv.length > 0 || secrets.length > 0 || adoptions.length > 0;
  // A stack that does not plan in the working tree is "failed" first of all, a new one too: that fails the review.
  const status: StackDiff["status"] = after.failures.has(stack) ? "failed" : !inBefore ? "added" : !inAfter ? "removed"
    : changed ? "changed" : "unchanged";
  return {
    stack,
    idp: a?.idp ?? b?.idp,
    status,
    failure: after.failures.get(stack),
    refFailure: before.failures.get(stack),
    resources: status === "removed" ? [] : resources,
    coderEnv: status === "removed" ? [] : coderEnv,
    adoptions: status === "removed" ? [] : adoptions,
    secrets,
    secretsUnchanged,
    policies: a?.policies,
    newViolations,
    fixedViolations,
  };
}

/** Compares every stack of both sides. */
export function diffSides(ref: string, commit: string, before: DiffSide, after: DiffSide): ReviewDiff {
  const names = new Set<string>();
  for (const side of [before, after]) for (const m of [side.plans, side.failures, side.stackFiles]) for (const k of m.keys()) names.add(k);
  return { ref, commit, stacks: [...names].sort().map((s) => diffStack(s, before, after)) };
}

/** 1 when a stack fails a mandatory policy or does not plan in the working tree, else 0. */
export function reviewExitCode(diff: ReviewDiff): number {
  const failing = diff.stacks.some((s) => s.status === "failed" ||
    (s.policies?.violations ?? []).some((v) => v.enforcementLevel === "mandatory"));
  return failing ? ReviewExitCode.PolicyFailed : ReviewExitCode.Ok;
}

function policySummary(s: StackDiff): string {
  if (s.status === "removed") return "-";
  if (s.policies === undefined) return "not run";
  const mandatory = s.policies.violations.filter((v) => v.enforcementLevel === "mandatory").length;
  const advisory = s.policies.violations.length - mandatory;
  return `${mandatory === 0 ? "pass" : `FAIL (${mandatory} mandatory)`}${advisory > 0 ? `, ${advisory} advisory` : ""}`;
}

function fieldLine(resource: string, f: FieldChange): string {
  if (f.before === undefined) return `${resource}: ${f.path} = ${f.after}`;
  if (f.after === undefined) return `${resource}: ${f.path} ${f.before} → (removed)`;
  return `${resource}: ${f.path} ${f.before} → ${f.after}`;
}

function stackLines(s: StackDiff): string[] {
  const lines: string[] = [];
  if (s.failure) lines.push(`does not plan: ${s.failure.split("\n").join(" / ")}`);
  if (s.refFailure) lines.push(`did not plan at the ref: ${s.refFailure.split("\n").join(" / ")}`);
  for (const r of s.resources) {
    if (r.status === "removed") lines.push(`- ${r.resource}`);
    else if (r.status === "added") {
      lines.push(`+ ${r.resource}`);
      for (const f of r.fields) lines.push(`    ${f.path} = ${f.after}`);
    } else for (const f of r.fields) lines.push(`~ ${fieldLine(r.resource, f)}`);
  }
  for (const a of s.adoptions) {
    const how = a.imports.length === 0 ? "taken over in place (no import)" : a.imports.map((i) => `import ${i.name} ${i.id}`).join(", ");
    lines.push(`= adopt ${a.idp} client "${a.clientId}" (${a.where}): ${how}`);
    if (a.changes.length === 0) lines.push("    no managed field changes on the existing client");
    for (const c of a.changes) lines.push(`    ${c.field} ${c.from} → ${c.to}`);
    lines.push(`    secret: ${a.secret}`);
  }
  for (const f of s.coderEnv) lines.push(`~ Coder ${fieldLine("env", f).replace(/^env: /, "")}`);
  for (const secret of s.secrets) lines.push(`~ secret ${secret.key}: ${secret.status} (value not shown)`);
  for (const v of s.newViolations) lines.push(`✗ new [${v.enforcementLevel}] ${v.policy}: ${v.message}`);
  for (const v of s.fixedViolations ?? []) lines.push(`✓ fixed [${v.enforcementLevel}] ${v.policy}: ${v.message}`);
  return lines;
}

/** The review diff as text for a terminal. */
export function renderReviewText(diff: ReviewDiff): string {
  const out = [`Review diff: ${diff.ref} (${diff.commit.slice(0, 12)}) → working tree. Offline: nothing was contacted.`, ""];
  for (const s of diff.stacks) {
    const secrets = s.secrets.length + s.secretsUnchanged > 0 ? `; secrets: ${s.secrets.length} changed, ${s.secretsUnchanged} unchanged` : "";
    out.push(`Stack ${s.stack} (${s.idp ?? "?"}): ${s.status}; policies: ${policySummary(s)}${secrets}`);
    for (const line of stackLines(s)) out.push(`  ${line}`);
    out.push("");
  }
  return out.join("\n");
}

/** Marks the PR comment, so a workflow can find and update its own comment. */
export const REVIEW_COMMENT_MARKER = "<!-- coder-oidc-review-diff -->";

function md(textValue: string): string {
  return textValue.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

/** The review diff as a compact pull-request comment (GitHub Markdown). */
export function renderReviewMarkdown(diff: ReviewDiff): string {
  const out = [REVIEW_COMMENT_MARKER, `### coder-oidc review diff: \`${diff.ref}\` → this change`, "",
    "| Stack | IdP | Change | IdP settings | Coder env | Secrets | Policies |", "|---|---|---|---|---|---|---|"];
  for (const s of diff.stacks) {
    const fields = s.resources.reduce((n, r) => n + Math.max(r.fields.length, 1), 0);
    const icon = policySummary(s).startsWith("FAIL") || s.status === "failed" ? "❌ " : "";
    out.push(`| ${s.stack} | ${s.idp ?? "?"} | ${s.status} | ${fields === 0 ? "unchanged" : `${fields} change(s)`} | ` +
      `${s.coderEnv.length === 0 ? "unchanged" : `${s.coderEnv.length} change(s)`} | ` +
      `${s.secrets.length === 0 ? "unchanged" : s.secrets.map((x) => `${x.key} ${x.status}`).join(", ")} | ${icon}${md(policySummary(s))} |`);
  }
  for (const s of diff.stacks) {
    const lines = stackLines(s);
    if (lines.length === 0) continue;
    out.push("", `<details><summary><b>${s.stack}</b>: ${s.status}</summary>`, "", "```diff", ...lines, "```", "</details>");
  }
  out.push("", "_Offline plan at both commits; secrets shown only as changed or unchanged._");
  return out.join("\n") + "\n";
}

/** The working tree's side: plans made in this process. */
export async function workingTreeSide(stacksDir: string, stack?: string): Promise<DiffSide> {
  const plans = new Map<string, PlanJson>();
  const failures = new Map<string, string>();
  const stackFiles = new Map<string, string>();
  for (const name of listStacks(stacksDir).filter((s) => stack === undefined || s === stack)) {
    const file = path.join(stacksDir, `Pulumi.${name}.yaml`);
    stackFiles.set(name, stackFileText(file, stacksDir));
    try {
      plans.set(name, planToJson(await planStack(name, readStackFile(name, stacksDir))) as PlanJson);
    } catch (err) {
      if (!(err instanceof CoderOidcError)) throw err;
      failures.set(name, err.message);
    }
  }
  return { plans, failures, stackFiles };
}

/** The ref's side, from what its own plan printed. */
export function refSide(ref: RefPlans): DiffSide {
  const plans = new Map<string, PlanJson>();
  for (const p of ref.plans as PlanJson[]) if (p && typeof p.stack === "string") plans.set(p.stack, p);
  const failures = new Map<string, string>();
  for (const stack of ref.stacks) {
    if (plans.has(stack)) continue;
    const said = ref.stderr.split(/\n\n/).find((block) => block.startsWith(`Stack ${stack}: `));
    failures.set(stack, said?.slice(`Stack ${stack}: `.length).trim() ?? "its plan printed nothing for it");
  }
  const stackFiles = new Map([...ref.stackFiles].filter(([s]) => ref.stacks.includes(s)));
  return { plans, failures, stackFiles };
}

/** Options of {@link makeReviewDiff}. */
export interface ReviewDiffOptions {
  /** The git ref to compare with. */
  readonly ref: string;
  /** The project root (where Pulumi.yaml is). */
  readonly projectRoot: string;
  /** The working tree's stacks folder. */
  readonly stacksDir: string;
  /** Limit to one stack. */
  readonly stack?: string;
}

/** Plans both sides and compares them. Throws {@link ReviewDiffError} on a bad ref or an unusable ref plan. */
export async function makeReviewDiff(options: ReviewDiffOptions): Promise<ReviewDiff> {
  const commit = resolveCommit(options.ref, options.projectRoot);
  const ref = planAtCommit(commit, options.projectRoot, options.stack);
  const after = await workingTreeSide(options.stacksDir, options.stack);
  return diffSides(options.ref, commit, refSide(ref), after);
}
