/**
 * The stack's Coder settings: `CODER_OIDC_SCOPES` and `CODER_OIDC_AUTH_URL_PARAMS` (stack outputs, the root
 * stack resource's properties) carry what the per-IdP table in src/idps.ts says: offline_access for every
 * IdP that accepts it, never for Google, which instead needs access_type=offline and prompt=consent.
 */
import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { CoderEnvName } from "../coder-env";
import { parseCoderAuthUrlParams, parseCoderScopes } from "../coder-settings";
import { IDP_KINDS, IDP_SETTINGS, OFFLINE_ACCESS_SCOPE, type IdpKind } from "../idps";
import { ComponentType, ResourceType } from "../resource-types";
import { isUnknown, plainRecord } from "./props";
import { listText } from "./rule";

/** The IdP a stack configures, from the component it declares; undefined when none is found. */
export function stackIdp(resources: readonly Pick<PolicyResource, "type">[]): IdpKind | undefined {
  return IDP_KINDS.find((idp) => resources.some((r) => r.type === ComponentType[idp]));
}

/** `CODER_OIDC_SCOPES` and `CODER_OIDC_AUTH_URL_PARAMS` hold the table's scopes and params for the stack's IdP. */
export function requireCoderRefreshSettings(name: string): StackValidationPolicy {
  return {
    name,
    description: "CODER_OIDC_SCOPES and CODER_OIDC_AUTH_URL_PARAMS ask the stack's IdP for refresh tokens (offline_access; for Google access_type=offline and prompt=consent).",
    enforcementLevel: "mandatory",
    validateStack: (args, report) => {
      const idp = stackIdp(args.resources);
      const stack = args.resources.find((r) => r.type === ResourceType.Stack);
      if (idp === undefined || stack === undefined) return args.notApplicable("no coder-oidc component or no stack outputs");
      const outputs = plainRecord(stack.props);
      const settings = IDP_SETTINGS[idp];
      const scopesText = outputs[CoderEnvName.Scopes];
      if (typeof scopesText === "string") {
        let scopes: string[];
        try {
          scopes = parseCoderScopes(scopesText);
        } catch (err) {
          report(`${(err as Error).message}: set it to ${settings.scopes.join(",")}.`, stack.urn);
          return;
        }
        const missing = settings.scopes.filter((s) => !scopes.includes(s));
        if (missing.length > 0) {
          report(`${CoderEnvName.Scopes} is "${scopesText}": ${settings.label} needs ${listText(missing)} as well ` +
            `(${settings.scopes.join(",")} first); without ${OFFLINE_ACCESS_SCOPE} Coder gets no refresh token.`, stack.urn);
        }
        if (!settings.acceptsOfflineAccessScope && scopes.includes(OFFLINE_ACCESS_SCOPE)) {
          report(`${CoderEnvName.Scopes} has ${OFFLINE_ACCESS_SCOPE}, which ${settings.label} rejects (invalid_scope); remove it ` +
            "from coder-oidc:extraScopes.", stack.urn);
        }
      }
      const paramsText = outputs[CoderEnvName.AuthUrlParams];
      if (typeof paramsText === "string" && !isUnknown(paramsText)) {
        const params = parseCoderAuthUrlParams(paramsText);
        const missing = Object.entries(settings.authUrlParams).filter(([k, v]) => params?.[k] !== v);
        // Only Google depends on its params for refresh tokens; the others get them from offline_access.
        if (!settings.acceptsOfflineAccessScope && missing.length > 0) {
          report(`${CoderEnvName.AuthUrlParams} is ${paramsText}: ${settings.label} needs ${missing.map(([k, v]) => `${k}=${v}`).join(" and ")} ` +
            "(without prompt=consent Google returns a refresh token only at the very first consent).", stack.urn);
        }
      }
    },
  };
}
