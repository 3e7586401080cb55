/**
 * PingFederate: everything the core needs, in one descriptor (src/idp.ts). No Pulumi provider: its component declares
 * dynamic resources over the admin API, loaded only when a stack uses PingFederate.
 */
import type { IdpDescriptor } from "../../src/idp";
// Types only: the modules themselves (and their SDKs) load when a stack of this IdP needs them.
import type * as ComponentModule from "./component";
import type * as PolicyModule from "./policy";
import type { CoderOidcPolicy } from "../../src/policy/rule";
import { PINGFEDERATE_CODER_SETTINGS } from "./coder";
import { LEGACY_PINGFEDERATE_ADOPT_ENV, pingFederateConfigProblems, pingfederateSchema } from "./config";
import { OFFLINE_ANSWERS } from "./offline";
import { PINGFEDERATE_TYPES } from "./types";
import { pingFederateFindings, PINGFEDERATE_MANUAL_CHECKS } from "./verify";

/** PingFederate, through its admin API (a dynamic resource). */
export const pingfederate = {
  kind: "pingfederate",
  coder: PINGFEDERATE_CODER_SETTINGS,
  section: { key: "pingfederate", schema: pingfederateSchema, required: true, credentialFields: ["password", "token"] },
  client: {},
  lifetimes: { settable: () => true, inRange: () => true, defaults: () => undefined },
  configProblems: pingFederateConfigProblems,
  componentType: PINGFEDERATE_TYPES.component,
  loadComponent: () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { PingFederateCoderClient } = require("./component") as typeof ComponentModule;
    return (name, args, opts) => new PingFederateCoderClient(name, args, opts);
  },
  resourceTypes: PINGFEDERATE_TYPES,
  loadPolicies: (): CoderOidcPolicy[] => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const p = require("./policy") as typeof PolicyModule;
    return [
      p.requirePingFederateRefreshGrants("pingfederate-client-refresh-grants"),
      p.requirePingFederateOfflineAccessScope("pingfederate-client-offline-access-scope"),
      p.requirePingFederateIdleCoversAccessToken("pingfederate-client-idle-covers-access-token"),
      p.requirePingFederateClientAuthentication("pingfederate-client-authenticates"),
    ];
  },
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  rotationCheck: () => (require("./policy") as typeof PolicyModule).pingFederateRotationCheck,
  offline: OFFLINE_ANSWERS,
  verify: { findings: pingFederateFindings, manual: PINGFEDERATE_MANUAL_CHECKS },
  replacedVariables: {
    [LEGACY_PINGFEDERATE_ADOPT_ENV]: (value: string) =>
      `is replaced by coder-oidc:adoptClientId: unset it and run pulumi config set coder-oidc:adoptClientId ${JSON.stringify(value)}; ` +
      "the stack then imports that client (its secret kept) instead of issuing a new secret",
  },
  envPrefixes: ["PINGFEDERATE_ADMIN_"],
} as const satisfies IdpDescriptor<"pingfederate", "pingfederate", typeof pingfederateSchema>;
