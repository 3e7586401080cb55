/**
 * The stack's Coder settings: `CODER_OIDC_SCOPES` and `CODER_OIDC_AUTH_URL_PARAMS` (stack outputs, the root
 * stack resource's properties) carry what the stack IdP's row of the Coder table says: offline_access for every
 * IdP that accepts it, never for Google, which instead needs access_type=offline and prompt=consent.
 */
import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { CoderEnvName } from "../coder-env";
import { parseCoderAuthUrlParams, parseCoderScopes } from "../coder-settings";
import { OFFLINE_ACCESS_SCOPE } from "../coder-table";
import type { AnyIdpDescriptor } from "../idp";
import { isUnknown, plainRecord } from "./props";
import { listText, STACK_TYPE } from "./rule";

/** The IdP (of `idps`) a stack configures, from the component it declares; undefined when none is found. */
export function stackIdp(resources: readonly Pick<PolicyResource, "type">[], idps: readonly AnyIdpDescriptor[]): AnyIdpDescriptor | undefined {
  return idps.find((idp) => resources.some((r) => r.type === idp.componentType));
}

/** `CODER_OIDC_SCOPES` and `CODER_OIDC_AUTH_URL_PARAMS` hold the table's scopes and params for the stack's IdP. */
export function requireCoderRefreshSettings(name: string, idps: readonly AnyIdpDescriptor[]): StackValidationPolicy {
  return {
    name,
    description: "CODER_OIDC_SCOPES and CODER_OIDC_AUTH_URL_PARAMS ask the stack's IdP for refresh tokens (offline_access; for Google access_type=offline and prompt=consent).",
    enforcementLevel: "mandatory",
    validateStack: (args, report) => {
      const idp = stackIdp(args.resources, idps);
      const stack = args.resources.find((r) => r.type === STACK_TYPE);
      if (idp === undefined || stack === undefined) return args.notApplicable("no coder-oidc component or no stack outputs");
      const outputs = plainRecord(stack.props);
      const settings = idp.coder;
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
            `(without prompt=consent ${settings.label} returns a refresh token only at the very first consent).`, stack.urn);
        }
      }
    },
  };
}
