/**
 * Every rule of the pack, named: `policy/index.ts` builds the pack from this list, and the offline plan
 * (engine/policy-run.ts) runs the same list, so both report the same violations. Each IdP's rules come from its
 * folder through the registry; the rules every IdP shares are the last two.
 */
import { allIdps } from "../idps/registry";
import { requireRotationReuseWindow, type RotationCheck } from "../src/policy/rotation";
import type { CoderOidcPolicy } from "../src/policy/rule";
import { requireCoderRefreshSettings } from "../src/policy/stack";

export type { CoderOidcPolicy } from "../src/policy/rule";

/** The name of the policy pack. */
export const POLICY_PACK_NAME = "coder-oidc";

/** Every rule, in the order they are reported. `now` is the clock of the secret end-date rules. */
export function coderOidcPolicies(now: () => number = Date.now): CoderOidcPolicy[] {
  const idps = allIdps();
  const rotation = idps.flatMap((idp): RotationCheck[] => (idp.rotationCheck ? [idp.rotationCheck()] : []));
  return [
    ...idps.flatMap((idp) => idp.loadPolicies(now)),
    requireCoderRefreshSettings("coder-settings-ask-for-refresh-tokens", idps),
    requireRotationReuseWindow("refresh-token-rotation-has-reuse-window", rotation),
  ];
}
