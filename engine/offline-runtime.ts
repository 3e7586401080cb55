/**
 * Runs Pulumi code with no CLI, no engine and no credentials: Pulumi's mock runtime records every resource
 * the program declares. The offline plan and the tests both use it.
 */
import * as pulumi from "@pulumi/pulumi";

/** The engine's marker for a value not known until apply (what the real engine sends during preview). */
export const UNKNOWN_VALUE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** The marker key/value of a secret in serialized properties. */
const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** One resource the program declared, as the engine would have received it. */
export interface DeclaredResource {
  /** Type token, e.g. `keycloak:openid/client:Client`. */
  readonly type: string;
  /** Logical name. */
  readonly name: string;
  /** Inputs as sent to the engine; secrets stay wrapped (see {@link isSecretValue}). */
  readonly inputs: Record<string, unknown>;
  /** The provider reference (`urn::id`), when one was set explicitly. */
  readonly provider?: string;
  /** False for component resources. */
  readonly custom: boolean;
  /** The `import` option: the id of the existing resource the engine imports instead of creating one. */
  readonly importId?: string;
}

/** Whether a recorded input is a secret, as serialized by Pulumi. */
export function isSecretValue(value: unknown): value is { value: unknown } {
  return typeof value === "object" && value !== null &&
    (value as Record<string, unknown>)[SECRET_SIG_KEY] === SECRET_SIG;
}

/** A recorded input with secrets unwrapped, for assertions on what a secret holds. */
export function revealSecrets(value: unknown): unknown {
  if (isSecretValue(value)) return revealSecrets(value.value);
  if (Array.isArray(value)) return value.map(revealSecrets);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, revealSecrets(v)]));
  }
  return value;
}

type Computed = (inputs: Record<string, unknown>, name: string) => Record<string, unknown>;

/**
 * Outputs the real providers compute, per type token: what a mock must make up so the program can use
 * them. During a preview they are unknown, as with the real engine; otherwise fake but well-formed.
 */
const COMPUTED_OUTPUTS: Record<string, Computed> = {
  "keycloak:openid/client:Client": (_i, name) => ({ clientSecret: `fake-secret-of-${name}` }),
  "azuread:index/application:Application": (_i, name) => ({
    clientId: `00000000-0000-4000-8000-${hex12(name)}`,
    objectId: `11111111-0000-4000-8000-${hex12(name)}`,
  }),
  "azuread:index/servicePrincipal:ServicePrincipal": (_i, name) => ({ objectId: `22222222-0000-4000-8000-${hex12(name)}` }),
  "azuread:index/applicationPassword:ApplicationPassword": (_i, name) => ({ value: `fake-password-of-${name}`, keyId: hex12(name) }),
  "gcp:secretmanager/secret:Secret": (inputs) => ({ name: `projects/${String(inputs.project ?? "project")}/secrets/${String(inputs.secretId)}` }),
  "gcp:secretmanager/secretVersion:SecretVersion": (inputs) => ({ name: `${String(inputs.secret)}/versions/1`, version: "1" }),
  "okta:app/oAuth:OAuth": (_i, name) => ({ clientId: `0oa${hex12(name)}`, clientSecret: `fake-secret-of-${name}` }),
  "okta:auth/serverPolicy:ServerPolicy": (_i, name) => ({ id: `00p${hex12(name)}` }),
  "auth0:index/client:Client": (_i, name) => ({ clientId: `auth0-client-id-${hex12(name)}` }),
  "auth0:index/clientCredentials:ClientCredentials": (_i, name) => ({ clientSecret: `fake-secret-of-${name}` }),
};

/** A data-source answer the offline plan assumes, with what it assumes, for the plan to say so. */
export interface OfflineCallAnswer {
  /** What the plan assumes in place of the live answer, e.g. "realm has Keycloak's built-in scopes". */
  readonly assumption: string;
  /** The answer, from the call's inputs. */
  readonly result: (inputs: Record<string, unknown>) => Record<string, unknown>;
}

/**
 * Answers for data sources the program reads, when no IdP is reachable: documented defaults of each IdP.
 * The plan lists the assumptions it used.
 */
export const OFFLINE_CALL_ANSWERS: Record<string, OfflineCallAnswer> = {
  "keycloak:index/getRealm:getRealm": {
    assumption: "the Keycloak realm has Keycloak's built-in client scopes and session settings",
    result: (inputs) => ({
      id: inputs.realm,
      realm: inputs.realm,
      defaultDefaultClientScopes: ["acr", "basic", "email", "profile", "role_list", "roles", "web-origins"],
      defaultOptionalClientScopes: ["address", "microprofile-jwt", "offline_access", "organization", "phone"],
      accessTokenLifespan: "5m0s",
      offlineSessionIdleTimeout: "720h0m0s",
      offlineSessionMaxLifespan: "1440h0m0s",
      offlineSessionMaxLifespanEnabled: false,
      revokeRefreshToken: false,
      refreshTokenMaxReuse: 0,
    }),
  },
  "keycloak:openid/getClient:getClient": {
    assumption: "the client named by coder-oidc:adoptClientId exists in the realm, made by hand as Coder's page describes " +
      "(confidential, standard flow and direct access grants on, refresh tokens on, no client lifetimes, no offline_access " +
      "attached); its redirect URIs and web origins are not known offline and shown as unset",
    result: (inputs) => ({
      id: "6f1c8a52-0000-4000-8000-00000000ad0b",
      realmId: inputs.realmId,
      clientId: inputs.clientId,
      name: "",
      enabled: true,
      accessType: "CONFIDENTIAL",
      standardFlowEnabled: true,
      implicitFlowEnabled: false,
      directAccessGrantsEnabled: true,
      serviceAccountsEnabled: false,
      useRefreshTokens: true,
      accessTokenLifespan: "",
      clientOfflineSessionIdleTimeout: "",
      clientOfflineSessionMaxLifespan: "",
    }),
  },
  "azuread:index/getApplication:getApplication": {
    assumption: "the application named by coder-oidc:adoptClientId exists in the tenant, registered by hand as Coder's page " +
      "describes (a web redirect URI, Graph's User.Read, no offline_access permission); its object id differs and is made up here",
    result: (inputs) => ({
      id: "/applications/55555555-0000-4000-8000-00000000ad0b",
      objectId: "55555555-0000-4000-8000-00000000ad0b",
      clientId: inputs.clientId,
      displayName: "Coder",
      signInAudience: "AzureADMyOrg",
      fallbackPublicClientEnabled: false,
      // Graph's User.Read, which the portal adds to every new registration.
      requiredResourceAccesses: [{
        resourceAppId: "00000003-0000-0000-c000-000000000000",
        resourceAccesses: [{ id: "e1fe6dd8-ba31-4d61-89e7-88639da4683d", type: "Scope" }],
      }],
      webs: [{ homepageUrl: "", logoutUrl: "", redirectUris: [], implicitGrants: [{ accessTokenIssuanceEnabled: false, idTokenIssuanceEnabled: false }] }],
      apis: [{ requestedAccessTokenVersion: 1, knownClientApplications: [], oauth2PermissionScopes: [], mappedClaimsEnabled: false }],
    }),
  },
  "okta:app/getOauth:getOauth": {
    assumption: "the OIDC app named by coder-oidc:adoptClientId exists in the org, made by hand as Coder's page describes " +
      "(a web app with the authorization code grant only, no refresh token grant); its redirect URIs are not known offline",
    result: (inputs) => ({
      id: inputs.id,
      clientId: inputs.id,
      label: "Coder",
      name: "oidc_client",
      type: "web",
      status: "ACTIVE",
      grantTypes: ["authorization_code"],
      responseTypes: ["code"],
    }),
  },
  "auth0:index/getClient:getClient": {
    assumption: "the application named by coder-oidc:adoptClientId exists in the tenant, made by hand as Coder's page " +
      "describes (a regular web application without the refresh token grant, non-expiring refresh tokens); its callbacks " +
      "are not known offline",
    result: (inputs) => ({
      id: inputs.clientId,
      clientId: inputs.clientId,
      name: "Coder",
      appType: "regular_web",
      oidcConformant: true,
      isFirstParty: true,
      grantTypes: ["authorization_code", "implicit", "client_credentials"],
      tokenEndpointAuthMethod: "client_secret_post",
      jwtConfigurations: [{ alg: "RS256" }],
      refreshTokens: [{ rotationType: "non-rotating", expirationType: "non-expiring", leeway: 0, idleTokenLifetime: 1296000,
        infiniteIdleTokenLifetime: true, tokenLifetime: 2592000, infiniteTokenLifetime: true }],
    }),
  },
  "okta:group/getEveryoneGroup:getEveryoneGroup": {
    assumption: "the Okta org has its built-in Everyone group (every org does); its id differs per org and is made up here",
    result: () => ({ id: "00g0everyone0000000x7", description: "All users in your organization" }),
  },
  "azuread:index/getServicePrincipal:getServicePrincipal": {
    assumption: "the Entra ID tenant has Microsoft Graph's service principal (every tenant does), publishing the " +
      "documented delegated permission ids; its object id differs per tenant and is made up here",
    result: (inputs) => {
      // Microsoft Graph's app id and delegated scope ids, the same in every tenant:
      // https://learn.microsoft.com/en-us/graph/permissions-reference
      const isGraph = inputs.clientId === "00000003-0000-0000-c000-000000000000";
      const objectId = isGraph ? "33333333-0000-4000-8000-000000000003" : "44444444-0000-4000-8000-000000000004";
      return {
        ...inputs,
        id: `/servicePrincipals/${objectId}`,
        objectId,
        displayName: isGraph ? "Microsoft Graph" : String(inputs.displayName ?? "service principal"),
        oauth2PermissionScopeIds: isGraph
          ? {
            openid: "37f7f235-527c-4136-accd-4a02d197296e",
            profile: "14dad69e-099b-42c9-810b-d002981feec1",
            email: "64a6cdd6-aab1-4aaf-94b8-3cc8405e90d0",
            offline_access: "7427e0e9-2fba-42fe-b0c0-848c9e6a8182",
          }
          : {},
      };
    },
  },
};

function hex12(text: string): string {
  let hash = 0;
  for (const ch of text) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return hash.toString(16).padStart(12, "0").slice(-12);
}

/** Mocks that record every registration and answer like the real providers would, shape-wise. */
export class RecordingMocks implements pulumi.runtime.Mocks {
  /** Every resource registered so far, in order. */
  readonly resources: DeclaredResource[] = [];
  /** Every data-source call made so far, with the provider reference (`urn::id`) when one was set explicitly. */
  readonly calls: { token: string; inputs: Record<string, unknown>; provider?: string }[] = [];

  constructor(
    /** When true, computed outputs are unknown, as in `pulumi preview`. */
    private readonly preview: boolean,
    /** Answers for data-source calls, by token; unlisted tokens echo their inputs. */
    private readonly callResults: Record<string, (inputs: Record<string, unknown>) => Record<string, unknown>> = {},
  ) {}

  newResource(args: pulumi.runtime.MockResourceArgs): pulumi.runtime.MockResourceResult {
    const importId = args.id || undefined;
    this.resources.push({
      type: args.type, name: args.name, inputs: args.inputs, provider: args.provider, custom: args.custom ?? true,
      ...(importId ? { importId } : {}),
    });
    const computed = COMPUTED_OUTPUTS[args.type]?.(args.inputs, args.name) ?? {};
    const state: Record<string, unknown> = { ...args.inputs };
    // An imported resource is read from the IdP during preview already: what it computes is known.
    const unknown = this.preview && !importId;
    for (const [key, value] of Object.entries(computed)) {
      if (state[key] === undefined) state[key] = unknown ? UNKNOWN_VALUE : value;
    }
    if (args.type.startsWith("pulumi-nodejs:dynamic") && !importId && !args.inputs.adoptClientId) {
      // A dynamic resource's outputs come from its provider's create(); unknown until then. An adopted
      // PingFederate client has none: its secret is write-only, so the stack never learns it.
      state.clientSecret = this.preview ? UNKNOWN_VALUE : `fake-secret-of-${args.name}`;
    }
    return { id: importId ?? (this.preview ? undefined : `${args.name}-id`), state };
  }

  call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
    this.calls.push({ token: args.token, inputs: args.inputs, provider: args.provider });
    return this.callResults[args.token]?.(args.inputs) ?? args.inputs;
  }

  /** The recorded resources of one type. */
  ofType(type: string): DeclaredResource[] {
    return this.resources.filter((r) => r.type === type);
  }
}

/** An Output's value as a plan shows it. */
export interface ResolvedOutput<T> {
  /** False when the value is known only after apply. */
  readonly known: boolean;
  /** Whether Pulumi treats it as a secret. */
  readonly secret: boolean;
  /** The value, when known. */
  readonly value?: T;
}

interface OutputInternals<T> {
  isKnown: Promise<boolean>;
  isSecret: Promise<boolean>;
  promise(withUnknowns?: boolean): Promise<T>;
}

/**
 * Resolves an Output without losing what matters for a plan: known-ness and secretness. Uses Output's
 * internal promises, the same ones Pulumi's own test helpers rely on.
 */
export async function resolveOutput<T>(output: pulumi.Input<T>): Promise<ResolvedOutput<T>> {
  const internals = pulumi.output(output) as unknown as OutputInternals<T>;
  const [known, secret] = await Promise.all([internals.isKnown, internals.isSecret]);
  if (!known) return { known, secret };
  return { known, secret, value: await internals.promise() };
}

/**
 * Lets every pending registration and apply callback run: registrations that wait on other resources'
 * outputs finish a few turns of the event loop after the program returns.
 */
export async function settle(): Promise<void> {
  for (let i = 0; i < 30; i++) await new Promise((resolve) => setImmediate(resolve));
}

/** Installs fresh recording mocks and stack config; call before declaring any resource. */
export async function installMocks(options: {
  /** Config values, `ns:key` → string (structured values as JSON text). */
  values: Record<string, string>;
  /** Keys whose values are secrets. */
  secretKeys?: readonly string[];
  /** Stack name. Default `test`. */
  stack?: string;
  /** Preview mode: computed outputs unknown. Default false. */
  preview?: boolean;
  /** Answers for data-source calls, by token. */
  callResults?: ConstructorParameters<typeof RecordingMocks>[1];
}): Promise<RecordingMocks> {
  const mocks = new RecordingMocks(options.preview ?? false, options.callResults);
  await pulumi.runtime.setMocks(mocks, "coder-oidc", options.stack ?? "test", options.preview ?? false);
  pulumi.runtime.setAllConfig(options.values, [...(options.secretKeys ?? [])]);
  return mocks;
}
