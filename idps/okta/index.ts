/**
 * Okta: everything the core needs, in one descriptor (src/idp.ts). Its component and SDK load only when a stack uses
 * Okta.
 */
import type { IdpDescriptor } from "../../src/idp";
// Types only: the modules themselves (and their SDKs) load when a stack of this IdP needs them.
import type * as ComponentModule from "./component";
import type * as PolicyModule from "./policy";
import type { CoderOidcPolicy } from "../../src/policy/rule";
import { OKTA_CODER_SETTINGS, OKTA_DEFAULT_LIFETIMES } from "./coder";
import { oktaConfigProblems, oktaLifetimeInRange, oktaSchema, usesOrgServer } from "./config";
import { OFFLINE_ANSWERS } from "./offline";
import { OKTA_PROVIDER_KEYS, PROVIDER_NAMESPACE } from "./provider-keys";
import { OKTA_TYPES } from "./types";
import { oktaFindings } from "./verify";

/** Okta, through @pulumi/okta. */
export const okta = {
  kind: "okta",
  coder: OKTA_CODER_SETTINGS,
  section: { key: "okta", schema: oktaSchema, required: true },
  provider: { namespace: PROVIDER_NAMESPACE, keys: OKTA_PROVIDER_KEYS },
  client: {
    clientIdRefusal: "is not used with Okta: Okta assigns the client id; remove coder-oidc:clientId",
    adoptIdForm: { pattern: /^0oa[A-Za-z0-9]{6,30}$/, form: "the OIDC app's client id as Okta generated it, 0oa… (the app's id)" },
  },
  // The org authorization server's lifetimes are fixed: none is set, and its defaults are not documented as fixed.
  lifetimes: {
    settable: (_key, section) => !usesOrgServer(section),
    inRange: oktaLifetimeInRange,
    defaults: (section) => (usesOrgServer(section) ? undefined : OKTA_DEFAULT_LIFETIMES),
  },
  configProblems: oktaConfigProblems,
  componentType: OKTA_TYPES.component,
  loadComponent: () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { OktaCoderClient } = require("./component") as typeof ComponentModule;
    return (name, args, opts) => new OktaCoderClient(name, { ...args, connection: args.connection! }, opts);
  },
  resourceTypes: OKTA_TYPES,
  loadPolicies: (): CoderOidcPolicy[] => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const p = require("./policy") as typeof PolicyModule;
    return [
      p.requireOktaAppRefreshGrants("okta-app-refresh-grants"),
      p.requireOktaCoderRedirectUris("okta-app-redirects-to-coder-only"),
      p.requireOktaPolicyRuleOfflineAccess("okta-policy-rule-allows-offline-access"),
      p.requireOktaConsentOnCustomServer("okta-app-consent-needs-custom-authorization-server"),
    ];
  },
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  rotationCheck: () => (require("./policy") as typeof PolicyModule).oktaRotationCheck,
  offline: OFFLINE_ANSWERS,
  verify: { findings: oktaFindings },
  envPrefixes: ["OKTA_"],
} as const satisfies IdpDescriptor<"okta", "okta", typeof oktaSchema>;
