/**
 * Microsoft Entra ID: everything the core needs, in one descriptor (src/idp.ts). Its component and SDK load only when
 * a stack uses Entra ID.
 */
import type { IdpDescriptor } from "../../src/idp";
// Types only: the modules themselves (and their SDKs) load when a stack of this IdP needs them.
import type * as ComponentModule from "./component";
import type * as PolicyModule from "./policy";
import type { CoderOidcPolicy } from "../../src/policy/rule";
import { ENTRA_CODER_SETTINGS } from "./coder";
import { ENTRA_TENANT_GUID, entraConfigProblems, entraIdSchema } from "./config";
import { OFFLINE_ANSWERS } from "./offline";
import { AZUREAD_PROVIDER_KEYS, PROVIDER_NAMESPACE } from "./provider-keys";
import { ENTRA_TYPES } from "./types";
import { entraFindings } from "./verify";

/** Microsoft Entra ID, through @pulumi/azuread. */
export const entraId = {
  kind: "entra-id",
  coder: ENTRA_CODER_SETTINGS,
  section: { key: "entraId", schema: entraIdSchema, required: true },
  provider: { namespace: PROVIDER_NAMESPACE, keys: AZUREAD_PROVIDER_KEYS },
  client: {
    clientIdRefusal: "is not used with Entra ID: Entra assigns the application (client) id; remove coder-oidc:clientId",
    adoptIdForm: { pattern: ENTRA_TENANT_GUID, form: "the application (client) id, a GUID such as 3f2504e0-4f89-41d3-9a0c-0305e82c3301" },
  },
  // Entra's refresh tokens live 90 days, fixed; its access tokens 60-90 minutes, Entra's choice.
  lifetimes: { settable: () => false, inRange: () => true, defaults: () => undefined },
  configProblems: entraConfigProblems,
  componentType: ENTRA_TYPES.component,
  loadComponent: () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { EntraIdCoderClient } = require("./component") as typeof ComponentModule;
    return (name, args, opts) => new EntraIdCoderClient(name, { ...args, connection: args.connection! }, opts);
  },
  resourceTypes: ENTRA_TYPES,
  loadPolicies: (now: () => number): CoderOidcPolicy[] => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const p = require("./policy") as typeof PolicyModule;
    return [
      p.requireEntraNoPublicClientFlows("entra-application-no-public-client-flows"),
      p.requireEntraNoImplicitGrant("entra-application-no-implicit-grant"),
      p.requireEntraGraphRefreshScopes("entra-application-graph-refresh-scopes"),
      p.requireEntraSecretEndDate("entra-secret-end-date-within-two-years", now),
      p.requireEntraSecretNotExpiring("entra-secret-not-expiring-soon", now),
    ];
  },
  offline: OFFLINE_ANSWERS,
  verify: { findings: entraFindings },
  envPrefixes: ["ARM_", "AZURE_"],
} as const satisfies IdpDescriptor<"entra-id", "entraId", typeof entraIdSchema>;
