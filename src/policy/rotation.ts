/**
 * Refresh-token rotation: Coder's dashboard refreshes in parallel, so a refresh token that rotates on every
 * use, with no reuse or grace window, makes one of two parallel refreshes fail and signs the user out at
 * random (coder/coder#25275; FACTS.md §1.3). Advisory: rotation with a window is fine. Each IdP that can rotate
 * gives its part (its descriptor's `rotationCheck`); this builds the one rule from them.
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { resourceRule, type RuleContext } from "./rule";

/** One IdP's part of the rotation rule: the resource that carries rotation, and its check. */
export interface RotationCheck {
  /** The type token of the resource whose properties say whether and how refresh tokens rotate. */
  readonly type: string;
  /** Reports when they rotate without a reuse or grace window. */
  readonly check: (props: Record<string, unknown>, context: RuleContext) => void;
}

/** Reported when refresh tokens rotate without a reuse or grace window, on any IdP whose part is given. */
export function requireRotationReuseWindow(name: string, checks: readonly RotationCheck[]): ResourceValidationPolicy {
  return resourceRule(name, {
    description: "Rotating refresh tokens have a reuse or grace window (Coder refreshes in parallel, coder/coder#25275).",
    enforcementLevel: "advisory",
    types: checks.map((c) => c.type),
    check: (props, context) => checks.find((c) => c.type === context.type)?.check(props, context),
  });
}
