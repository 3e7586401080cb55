/**
 * Runs one policy on hand-built arguments, as the engine would: props optionally behind @pulumi/policy's
 * unknown-checking proxy (what `pulumi preview` hands a policy), `notApplicable` that throws.
 */
import type { PolicyResource, ReportViolation, ResourceValidationArgs, ResourceValidationPolicy, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { unknownCheckingProxy } from "@pulumi/policy";

/** What one run of a policy gave: the violations, or that it was not applicable (and why). */
export interface PolicyOutcome {
  /** Every violation message reported. */
  readonly violations: string[];
  /** The reason given to `notApplicable`, when the policy called it. */
  readonly notApplicable?: string;
}

class NotApplicable extends Error {}

/** The string sentinel the engine sends for an unknown value during preview. */
export const UNKNOWN_STRING = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

const OPTS = { protect: false, ignoreChanges: [], aliases: [], additionalSecretOutputs: [], customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 } };

async function outcome(run: (report: ReportViolation, notApplicable: (reason?: string) => never) => unknown): Promise<PolicyOutcome> {
  const violations: string[] = [];
  try {
    await run((message) => { violations.push(message); }, (reason) => { throw new NotApplicable(reason ?? ""); });
  } catch (err) {
    if (err instanceof NotApplicable) return { violations, notApplicable: err.message };
    throw err;
  }
  return { violations };
}

/** Runs `policy.validateResource` on one resource; `proxy` wraps the props as the engine does. */
export function validateResource(
  policy: ResourceValidationPolicy,
  resource: { type: string; name: string; props: Record<string, unknown>; config?: object },
  options: { proxy?: boolean } = {},
): Promise<PolicyOutcome> {
  const props = options.proxy ? unknownCheckingProxy(resource.props) : resource.props;
  return outcome(async (report, notApplicable) => {
    const args: ResourceValidationArgs = {
      type: resource.type,
      props,
      urn: `urn:pulumi:test::coder-oidc::${resource.type}::${resource.name}`,
      name: resource.name,
      opts: OPTS as unknown as ResourceValidationArgs["opts"],
      stackTags: new Map([["env", "test"]]),
      isType: () => false,
      asType: () => undefined,
      getConfig: <T extends object>() => (resource.config ?? {}) as T,
      notApplicable,
    };
    const validations = [policy.validateResource ?? []].flat();
    for (const validate of validations) await validate(args, report);
  });
}

/** A resource as a stack policy sees it. */
export interface StackResourceSpec {
  readonly type: string;
  readonly name: string;
  readonly props: Record<string, unknown>;
  readonly propertyDependencies?: Record<string, string[]>;
}

/** Runs `policy.validateStack` on resources; `proxy` wraps the props as the engine does. */
export function validateStack(
  policy: StackValidationPolicy,
  resources: readonly StackResourceSpec[],
  options: { proxy?: boolean } = {},
): Promise<PolicyOutcome> {
  const urn = (r: StackResourceSpec) => `urn:pulumi:test::coder-oidc::${r.type}::${r.name}`;
  const built: PolicyResource[] = resources.map((r) => ({
    type: r.type,
    name: r.name,
    urn: urn(r),
    props: options.proxy ? unknownCheckingProxy(r.props) : r.props,
    opts: OPTS as unknown as PolicyResource["opts"],
    dependencies: [],
    propertyDependencies: {},
    isType: () => false,
    asType: () => undefined,
  }));
  resources.forEach((r, i) => {
    for (const [key, names] of Object.entries(r.propertyDependencies ?? {})) {
      built[i].propertyDependencies[key] = built.filter((b) => names.includes(b.name));
    }
  });
  return outcome((report, notApplicable) => {
    const args: StackValidationArgs = { resources: built, stackTags: new Map(), getConfig: <T extends object>() => ({}) as T, notApplicable };
    return policy.validateStack(args, report);
  });
}
