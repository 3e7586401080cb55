/**
 * Google: everything the core needs, in one descriptor (src/idp.ts). Its component and SDK load only when a stack
 * uses Google.
 */
import type { IdpDescriptor } from "../../src/idp";
// Types only: the modules themselves (and their SDKs) load when a stack of this IdP needs them.
import type * as ComponentModule from "./component";
import type * as PolicyModule from "./policy";
import type { CoderOidcPolicy } from "../../src/policy/rule";
import { GOOGLE_CODER_SETTINGS } from "./coder";
import { googleConfigProblems, googleSchema } from "./config";
import { OFFLINE_ANSWERS } from "./offline";
import { GCP_PROVIDER_KEYS, PROVIDER_NAMESPACE } from "./provider-keys";
import { GOOGLE_TYPES } from "./types";
import { googleFindings, GOOGLE_MANUAL_CHECKS } from "./verify";

/** Google, with an OAuth client made by hand (no API creates one). */
export const google = {
  kind: "google",
  coder: GOOGLE_CODER_SETTINGS,
  section: { key: "google", schema: googleSchema, required: true, credentialFields: ["clientSecret"] },
  provider: { namespace: PROVIDER_NAMESPACE, keys: GCP_PROVIDER_KEYS },
  client: {
    clientIdRefusal: "is not used with Google: set coder-oidc:google.clientId to the OAuth client you created",
    adoptRefusal: "cannot be used with Google: Google has no API for its OAuth clients, so there is nothing to import; the stack " +
      "already uses the client you made: set coder-oidc:google.clientId to its client id and coder-oidc:google.clientSecret " +
      "(pulumi config set --secret --path 'google.clientSecret') to its secret, and remove adoptClientId",
  },
  // Google owns every token lifetime.
  lifetimes: { settable: () => false, inRange: () => true, defaults: () => undefined },
  configProblems: googleConfigProblems,
  componentType: GOOGLE_TYPES.component,
  loadComponent: () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { GoogleCoderClient } = require("./component") as typeof ComponentModule;
    return (name, args, opts) => new GoogleCoderClient(name, { ...args, connection: args.connection! }, opts);
  },
  resourceTypes: GOOGLE_TYPES,
  loadPolicies: (): CoderOidcPolicy[] => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const p = require("./policy") as typeof PolicyModule;
    return [p.requireGoogleBasicScopesOnly("google-scopes-basic-only")];
  },
  offline: OFFLINE_ANSWERS,
  verify: { findings: googleFindings, manual: GOOGLE_MANUAL_CHECKS },
  envPrefixes: ["GOOGLE_", "CLOUDSDK_"],
} as const satisfies IdpDescriptor<"google", "google", typeof googleSchema>;
