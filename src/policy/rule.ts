/**
 * The shape every resource rule of the pack shares: it applies to some type tokens, reads the properties as
 * plain data (unknowns marked, see ./props) and reports what to change.
 */
import type { EnforcementLevel, ReportViolation, ResourceValidationArgs, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { CODER_OIDC_CALLBACK_PATH } from "../coder-table";
import { plainRecord } from "./props";

/** The root stack resource's type token; its properties are the stack outputs. */
export const STACK_TYPE = "pulumi:pulumi:Stack";

/** A rule of the pack: a resource or a stack validation. */
export type CoderOidcPolicy = ResourceValidationPolicy | StackValidationPolicy;

/** What a rule's check receives besides the properties. */
export interface RuleContext {
  /** The resource's type token. */
  readonly type: string;
  /** The resource's logical name, for messages. */
  readonly name: string;
  /** The engine's arguments, e.g. for `getConfig` and `notApplicable`. */
  readonly args: ResourceValidationArgs;
  /** Reports one violation. */
  readonly report: ReportViolation;
}

/** What makes a resource rule, apart from its name. */
export interface ResourceRuleSpec {
  /** One sentence: what must be true. */
  readonly description: string;
  /** `mandatory` unless the rule is a warning. */
  readonly enforcementLevel: EnforcementLevel;
  /** The type tokens the rule applies to; any other resource is not applicable. */
  readonly types: readonly string[];
  /** The check, on the properties as plain data. */
  readonly check: (props: Record<string, unknown>, context: RuleContext) => void;
  /** Schema of the rule's configuration (`--policy-pack-config`), when it has some. */
  readonly configSchema?: ResourceValidationPolicy["configSchema"];
}

/** A ResourceValidationPolicy from a spec; matches on `args.type`, which works for dynamic resources too. */
export function resourceRule(name: string, spec: ResourceRuleSpec): ResourceValidationPolicy {
  return {
    name,
    description: spec.description,
    enforcementLevel: spec.enforcementLevel,
    configSchema: spec.configSchema,
    validateResource: (args, report) => {
      if (!spec.types.includes(args.type)) return args.notApplicable(`applies to ${spec.types.join(", ")} only`);
      spec.check(plainRecord(args.props), { type: args.type, name: args.name, args, report });
    },
  };
}

/** `["a","b"]` as `a, b` for messages. */
export function listText(values: readonly unknown[]): string {
  return values.length === 0 ? "(none)" : values.map(String).join(", ");
}

/** Whether `uri` is Coder's OIDC callback below some access URL: https (or http on localhost), no wildcard, query or fragment. */
export function isCoderCallback(uri: string): boolean {
  if (uri.includes("*")) return false;
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return false;
  }
  const local = url.hostname === "localhost" || url.hostname === "127.0.0.1";
  const schemeOk = url.protocol === "https:" || (local && url.protocol === "http:");
  return schemeOk && url.search === "" && url.hash === "" && url.pathname.endsWith(CODER_OIDC_CALLBACK_PATH);
}
