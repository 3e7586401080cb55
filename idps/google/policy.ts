/**
 * Google: no Google resource carries the OAuth client (it is made by hand), so Google's refresh tokens depend on the
 * Coder settings alone. `coder-settings-ask-for-refresh-tokens` (./stack) already requires them: no
 * `offline_access`, `access_type=offline` and `prompt=consent`. What it does not catch is a scope beyond openid,
 * email and profile: an "External" app in "Testing" then gets refresh tokens that expire after 7 days
 * (FACTS.md §2.3). Advisory: an "Internal" or published app is not affected, and the stack cannot see which.
 */
import type { StackValidationPolicy } from "@pulumi/policy";
import { CoderEnvName } from "../../src/coder-env";
import { parseCoderScopes } from "../../src/coder-settings";
import { GOOGLE_CODER_SETTINGS } from "./coder";
import { STACK_TYPE } from "../../src/policy/rule";
import { GOOGLE_TYPES } from "./types";
import { plainRecord } from "../../src/policy/props";

/** Google's stack asks for no scope beyond openid, email and profile (the scopes exempt from the 7-day expiry). */
export function requireGoogleBasicScopesOnly(name: string): StackValidationPolicy {
  return {
    name,
    description: "A Google stack asks for openid, email and profile only (other scopes bring back the 7-day refresh-token expiry of apps in Testing).",
    enforcementLevel: "advisory",
    validateStack: (args, report) => {
      if (!args.resources.some((r) => r.type === GOOGLE_TYPES.component)) return args.notApplicable("not a Google stack");
      const stack = args.resources.find((r) => r.type === STACK_TYPE);
      const scopesText = stack === undefined ? undefined : plainRecord(stack.props)[CoderEnvName.Scopes];
      if (typeof scopesText !== "string") return;
      let scopes: string[];
      try {
        scopes = parseCoderScopes(scopesText);
      } catch {
        return; // coder-settings-ask-for-refresh-tokens reports an unreadable value.
      }
      const basic: readonly string[] = GOOGLE_CODER_SETTINGS.scopes;
      const extra = scopes.filter((s) => !basic.includes(s) && s !== "offline_access");
      if (extra.length === 0) return;
      report(`${CoderEnvName.Scopes} asks Google for ${extra.join(", ")} beyond openid, email and profile: while the consent screen ` +
        'is "External" and "Testing", Google expires refresh tokens after 7 days. Remove them from coder-oidc:extraScopes, or ' +
        'publish the app ("In production") or make the consent screen "Internal".', stack!.urn);
    },
  };
}
