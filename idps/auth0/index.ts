/**
 * Auth0: everything the core needs, in one descriptor (src/idp.ts). Its component and SDK load only when a stack uses
 * Auth0.
 */
import type { IdpDescriptor } from "../../src/idp";
// Types only: the modules themselves (and their SDKs) load when a stack of this IdP needs them.
import type * as ComponentModule from "./component";
import type * as PolicyModule from "./policy";
import type { CoderOidcPolicy } from "../../src/policy/rule";
import { AUTH0_CODER_SETTINGS, AUTH0_DEFAULT_LIFETIMES } from "./coder";
import { AUTH0_MAX_REFRESH_SECONDS, auth0ConfigProblems, auth0Schema } from "./config";
import { OFFLINE_ANSWERS } from "./offline";
import { AUTH0_PROVIDER_KEYS, PROVIDER_NAMESPACE } from "./provider-keys";
import { AUTH0_TYPES } from "./types";
import { auth0Findings } from "./verify";

/** Auth0, through @pulumi/auth0. */
export const auth0 = {
  kind: "auth0",
  coder: AUTH0_CODER_SETTINGS,
  section: { key: "auth0", schema: auth0Schema, required: false },
  provider: { namespace: PROVIDER_NAMESPACE, keys: AUTH0_PROVIDER_KEYS },
  client: {
    clientIdRefusal: "is not used with Auth0: Auth0 assigns the client id; remove coder-oidc:clientId",
    adoptIdForm: { pattern: /^[A-Za-z0-9]{32}$/, form: "the application's Client ID, 32 letters and digits" },
  },
  // Coder asks for no audience, so the access token is the tenant's /userinfo token, whose lifetime is the tenant's.
  lifetimes: {
    settable: (key) => key !== "accessTokenLifetime",
    inRange: (_key, seconds) => seconds <= AUTH0_MAX_REFRESH_SECONDS,
    defaults: () => AUTH0_DEFAULT_LIFETIMES,
  },
  configProblems: auth0ConfigProblems,
  componentType: AUTH0_TYPES.component,
  loadComponent: () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { Auth0CoderClient } = require("./component") as typeof ComponentModule;
    return (name, args, opts) => new Auth0CoderClient(name, { ...args, connection: args.connection! }, opts);
  },
  resourceTypes: AUTH0_TYPES,
  loadPolicies: (): CoderOidcPolicy[] => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const p = require("./policy") as typeof PolicyModule;
    return [
      p.requireAuth0RefreshGrant("auth0-client-refresh-grant"),
      p.requireAuth0OidcConformant("auth0-client-regular-web-oidc-conformant"),
      p.requireAuth0ExpiringRefreshTokens("auth0-client-expiring-refresh-tokens"),
    ];
  },
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  rotationCheck: () => (require("./policy") as typeof PolicyModule).auth0RotationCheck,
  offline: OFFLINE_ANSWERS,
  verify: { findings: auth0Findings },
  envPrefixes: ["AUTH0_"],
} as const satisfies IdpDescriptor<"auth0", "auth0", typeof auth0Schema>;
