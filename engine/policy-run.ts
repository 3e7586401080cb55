/**
 * The policy pack, run by the offline plan: every rule of policy/policies.ts over what the plan recorded
 * (each resource's inputs, and the stack outputs as the root stack resource), the way the engine runs them
 * at `pulumi preview --policy-pack policy`. So a broken rule shows, and fails the plan, without the CLI.
 */
import { SECRET_MARK } from "../src/safe-text";
import type { PolicyResource, ReportViolation, ResourceValidationArgs, StackValidationArgs } from "@pulumi/policy";
import { coderOidcPolicies } from "../policy/policies";
import { type CoderOidcPolicy } from "../src/policy/rule";
import { STACK_TYPE } from "../src/policy/rule";
import { formatDuration } from "../src/duration";
import type { StackConfig } from "../idps/registry";
import { isSecretValue, UNKNOWN_VALUE, type DeclaredResource } from "./offline-runtime";

/** How the policy run writes a secret it hands to a rule: rules never see (or print) a secret's value. */
const SECRET_FOR_POLICIES = SECRET_MARK;

/** One violation a rule reported. */
export interface PolicyViolation {
  /** The rule's name, e.g. `keycloak-client-confidential`. */
  readonly policy: string;
  /** `mandatory` fails the plan; `advisory` is a warning. */
  readonly enforcementLevel: "mandatory" | "advisory";
  /** `<type> <name>` of the resource it concerns, or `stack` for stack rules. */
  readonly resource: string;
  /** What to change. */
  readonly message: string;
}

/** The outcome of running the pack over one plan. */
export interface PolicyReport {
  /** The rules that applied to something in the stack, by name. */
  readonly applied: readonly string[];
  /** Every violation, in pack order. */
  readonly violations: readonly PolicyViolation[];
}

/** Whether a report holds a mandatory violation (the plan then fails, as `pulumi preview --policy-pack` would). */
export function hasMandatoryViolation(report: PolicyReport): boolean {
  return report.violations.some((v) => v.enforcementLevel === "mandatory");
}

/** A recorded value as the engine hands it to a policy: unknowns as the engine's sentinel, secrets masked. */
export function policyValue(value: unknown): unknown {
  if (isSecretValue(value)) return SECRET_FOR_POLICIES;
  if (Array.isArray(value)) return value.map(policyValue);
  if (typeof value === "object" && value !== null) {
    if ((value as Record<string, unknown>).__pulumiUnknown === true) return UNKNOWN_VALUE;
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, policyValue(v)]));
  }
  return value;
}

/** One stack output as the plan resolved it. */
export interface PlannedOutput {
  /** Output name. */
  readonly name: string;
  /** False when known only after apply. */
  readonly known: boolean;
  /** Whether it is a secret. */
  readonly secret: boolean;
  /** The value, when known. */
  readonly value?: string;
}

/** Per-rule configuration the plan derives from the stack config (what `--policy-pack-config` gives the engine). */
export function policyConfigFor(config: StackConfig): Record<string, object> {
  const access = config.tokens.accessTokenLifetime;
  return access === undefined ? {} : { "pingfederate-client-idle-covers-access-token": { accessTokenLifetime: formatDuration(access) } };
}

class NotApplicable extends Error {}

const OPTIONS = { protect: false, ignoreChanges: [], aliases: [], additionalSecretOutputs: [], customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 } };

/** Runs every rule over the recorded resources and outputs of `stack`. */
export async function runPolicies(
  stack: string,
  resources: readonly DeclaredResource[],
  outputs: readonly PlannedOutput[],
  options: { config?: Record<string, object>; policies?: readonly CoderOidcPolicy[] } = {},
): Promise<PolicyReport> {
  const urn = (type: string, name: string) => `urn:pulumi:${stack}::coder-oidc::${type}::${name}`;
  const stackProps = Object.fromEntries(outputs.map((o) => [o.name, !o.known ? UNKNOWN_VALUE : o.secret ? SECRET_FOR_POLICIES : o.value]));
  const all = [
    { type: STACK_TYPE, name: `coder-oidc-${stack}`, props: stackProps as Record<string, unknown> },
    ...resources.map((r) => ({ type: r.type, name: r.name, props: policyValue(r.inputs) as Record<string, unknown> })),
  ];
  const policyResources: PolicyResource[] = all.map((r) => ({
    type: r.type, name: r.name, urn: urn(r.type, r.name), props: r.props,
    opts: OPTIONS as unknown as PolicyResource["opts"], dependencies: [], propertyDependencies: {},
    isType: () => false, asType: () => undefined,
  }));
  const notApplicable = (reason?: string): never => { throw new NotApplicable(reason); };
  const applied: string[] = [];
  const violations: PolicyViolation[] = [];
  for (const policy of options.policies ?? coderOidcPolicies()) {
    const level = policy.enforcementLevel === "advisory" ? "advisory" : "mandatory";
    if (policy.enforcementLevel === "disabled") continue;
    const getConfig = <T extends object>() => (options.config?.[policy.name] ?? {}) as T;
    let used = false;
    const run = async (resource: string, validate: (report: ReportViolation) => unknown) => {
      try {
        await validate((message) => { violations.push({ policy: policy.name, enforcementLevel: level, resource, message }); });
        used = true;
      } catch (err) {
        if (!(err instanceof NotApplicable)) throw err;
      }
    };
    if ("validateStack" in policy) {
      const args: StackValidationArgs = { resources: policyResources, stackTags: new Map(), getConfig, notApplicable };
      await run("stack", (report) => policy.validateStack(args, report));
    } else {
      for (const r of policyResources) {
        const args: ResourceValidationArgs = {
          type: r.type, props: r.props, urn: r.urn, name: r.name, opts: r.opts, stackTags: new Map(),
          isType: () => false, asType: () => undefined, getConfig, notApplicable,
        };
        for (const validate of [policy.validateResource ?? []].flat()) await run(`${r.type} ${r.name}`, (report) => validate(args, report));
      }
    }
    if (used) applied.push(policy.name);
  }
  return { applied, violations };
}

/** The report as text lines for the plan (no trailing newline). */
export function renderPolicyText(report: PolicyReport): string {
  const mandatory = report.violations.filter((v) => v.enforcementLevel === "mandatory").length;
  const advisory = report.violations.length - mandatory;
  const lines = [`Policies (${report.applied.length} applied): ${mandatory === 0 ? "pass" : `${mandatory} mandatory violation(s)`}` +
    (advisory > 0 ? `, ${advisory} advisory` : "")];
  for (const v of report.violations) lines.push(`  ${v.enforcementLevel === "mandatory" ? "✗" : "!"} [${v.enforcementLevel}] ${v.policy}: ${v.message}`);
  return lines.join("\n");
}
