/**
 * Keycloak: everything the core needs, in one descriptor (src/idp.ts). Its component and SDK load only when a stack
 * uses Keycloak.
 */
import type { IdpDescriptor } from "../../src/idp";
// Types only: the modules themselves (and their SDKs) load when a stack of this IdP needs them.
import type * as ComponentModule from "./component";
import type * as PolicyModule from "./policy";
import type { CoderOidcPolicy } from "../../src/policy/rule";
import { KEYCLOAK_CODER_SETTINGS } from "./coder";
import { keycloakConfigProblems, keycloakSchema } from "./config";
import { OFFLINE_ANSWERS } from "./offline";
import { KEYCLOAK_PROVIDER_KEYS, PROVIDER_NAMESPACE } from "./provider-keys";
import { KEYCLOAK_TYPES } from "./types";
import { keycloakFindings } from "./verify";

/** Keycloak, through @pulumi/keycloak. */
export const keycloak = {
  kind: "keycloak",
  coder: KEYCLOAK_CODER_SETTINGS,
  section: { key: "keycloak", schema: keycloakSchema, required: true },
  provider: { namespace: PROVIDER_NAMESPACE, keys: KEYCLOAK_PROVIDER_KEYS },
  client: {},
  lifetimes: { settable: () => true, inRange: () => true, defaults: () => undefined },
  configProblems: keycloakConfigProblems,
  componentType: KEYCLOAK_TYPES.component,
  loadComponent: () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { KeycloakCoderClient } = require("./component") as typeof ComponentModule;
    return (name, args, opts) => new KeycloakCoderClient(name, { ...args, connection: args.connection! }, opts);
  },
  resourceTypes: KEYCLOAK_TYPES,
  loadPolicies: (): CoderOidcPolicy[] => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const p = require("./policy") as typeof PolicyModule;
    return [
      p.requireKeycloakConfidentialClient("keycloak-client-confidential"),
      p.requireKeycloakAuthorizationCodeFlowOnly("keycloak-client-authorization-code-flow-only"),
      p.requireKeycloakCoderRedirectUris("keycloak-client-redirects-to-coder-only"),
      p.requireKeycloakOfflineAccessOptionalScope("keycloak-client-offline-access-optional-scope"),
      p.requireKeycloakOfflineIdleCoversAccessToken("keycloak-client-offline-idle-covers-access-token"),
    ];
  },
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  rotationCheck: () => (require("./policy") as typeof PolicyModule).keycloakRotationCheck,
  offline: OFFLINE_ANSWERS,
  verify: { findings: keycloakFindings },
  envPrefixes: ["KEYCLOAK_"],
} as const satisfies IdpDescriptor<"keycloak", "keycloak", typeof keycloakSchema>;
