/**
 * What `pulumi up` of a Keycloak stack would write, written without the Keycloak provider plugin: the Go module
 * proxy does not serve `github.com/pulumi/pulumi-keycloak/provider/v6` here (e2e/versions.json), so the real
 * engine cannot load @pulumi/keycloak's resources. Instead this runs the coder-oidc program under Pulumi's mock
 * runtime, answering its `getRealm` call with the live realm read over the admin API (as the provider would),
 * and writes the resources it declares to the live Keycloak over the admin REST API, field by field as the
 * Keycloak Terraform provider maps them (resource_keycloak_openid_client.go). A field this does not know fails
 * loudly, so nothing the program declares is dropped on the way.
 *
 * What it proves: the settings the program declares, and the Coder variables it outputs, give Coder a working
 * offline refresh token on a real Keycloak. What it cannot prove: the provider plugin's own behaviour (diffs,
 * drift, destroy), which needs the plugin.
 */
import type * as pulumi from "@pulumi/pulumi";
import { installMocks, resolveOutput, revealSecrets, settle } from "../../engine/offline-runtime";
import { credentialKeys } from "../../src/provider-config";
import { KEYCLOAK_PROVIDER_KEYS } from "../../idps/keycloak/provider-keys";
import type { KeycloakAdmin, KeycloakServer } from "./keycloak";
import { REPO_ROOT } from "./versions";

/** The Coder variables the program outputs, with the client secret as Keycloak generated it. */
export type CoderEnv = Record<string, string>;

/** The result of applying a Keycloak stack. */
export interface AppliedKeycloakStack {
  /** The Coder variables, as `pulumi stack output` would give them after `up`. */
  readonly coderEnv: CoderEnv;
  /** The client's internal id. */
  readonly clientInternalId: string;
  /** The inputs the program declared for the client (secrets revealed). */
  readonly clientInputs: Record<string, unknown>;
  /** The optional scopes the program declared for the client. */
  readonly optionalScopes: string[];
  /** What the program warned about. */
  readonly warnings: string[];
}

const CLIENT_TYPE = "keycloak:openid/client:Client";
const OPTIONAL_SCOPES_TYPE = "keycloak:openid/clientOptionalScopes:ClientOptionalScopes";
const PROVIDER_TYPE = "pulumi:providers:keycloak";

/** keycloak.openid.Client inputs → the ClientRepresentation field or attribute the Terraform provider writes. */
const CLIENT_FIELDS: Record<string, (value: unknown, rep: Record<string, unknown>, attrs: Record<string, string>) => void> = {
  realmId: () => undefined,
  clientId: (v, rep) => (rep.clientId = v),
  name: (v, rep) => (rep.name = v),
  enabled: (v, rep) => (rep.enabled = v),
  accessType: (v, rep) => {
    rep.publicClient = v === "PUBLIC";
    rep.bearerOnly = v === "BEARER-ONLY";
  },
  standardFlowEnabled: (v, rep) => (rep.standardFlowEnabled = v),
  implicitFlowEnabled: (v, rep) => (rep.implicitFlowEnabled = v),
  directAccessGrantsEnabled: (v, rep) => (rep.directAccessGrantsEnabled = v),
  serviceAccountsEnabled: (v, rep) => (rep.serviceAccountsEnabled = v),
  validRedirectUris: (v, rep) => (rep.redirectUris = v),
  webOrigins: (v, rep) => (rep.webOrigins = v),
  clientSecret: (v, rep) => (rep.secret = v),
  useRefreshTokens: (v, _rep, attrs) => (attrs["use.refresh.tokens"] = String(v)),
  accessTokenLifespan: (v, _rep, attrs) => (attrs["access.token.lifespan"] = String(v)),
  clientOfflineSessionIdleTimeout: (v, _rep, attrs) => (attrs["client.offline.session.idle.timeout"] = String(v)),
  clientOfflineSessionMaxLifespan: (v, _rep, attrs) => (attrs["client.offline.session.max.lifespan"] = String(v)),
  clientSessionIdleTimeout: (v, _rep, attrs) => (attrs["client.session.idle.timeout"] = String(v)),
  clientSessionMaxLifespan: (v, _rep, attrs) => (attrs["client.session.max.lifespan"] = String(v)),
};

/** The Keycloak ClientRepresentation the Terraform provider would send for these inputs. */
export function clientRepresentation(inputs: Record<string, unknown>): Record<string, unknown> {
  const rep: Record<string, unknown> = { protocol: "openid-connect" };
  const attrs: Record<string, string> = {};
  for (const [key, value] of Object.entries(inputs)) {
    if (value === undefined) continue;
    const write = CLIENT_FIELDS[key];
    if (!write) throw new Error(`the Keycloak stand-in does not know keycloak.openid.Client input "${key}": add its mapping`);
    write(value, rep, attrs);
  }
  rep.attributes = attrs;
  return rep;
}

/**
 * The config of a Keycloak stack (`ns:key` → string, structured values as JSON, as the engine hands them over)
 * whose provider keys point at `server` with its bootstrap admin; `own` holds the stack's `coder-oidc:*` keys
 * other than idp and keycloak.realm.
 */
export function keycloakStackConfig(server: KeycloakServer, realm: string, own: Record<string, unknown>): Record<string, string> {
  const config: Record<string, string> = {
    "coder-oidc:idp": "keycloak",
    "coder-oidc:keycloak": JSON.stringify({ realm }),
    "keycloak:url": server.url,
    "keycloak:realm": "master",
    "keycloak:clientId": "admin-cli",
    "keycloak:username": server.admin.username,
    "keycloak:password": server.admin.password,
  };
  for (const [key, value] of Object.entries(own)) config[`coder-oidc:${key}`] = typeof value === "string" ? value : JSON.stringify(value);
  return config;
}

/** The live realm as the provider's `getRealm` returns it (the fields the program reads). */
async function liveRealm(admin: KeycloakAdmin, realm: string): Promise<Record<string, unknown>> {
  const rep = await admin.realm(realm);
  return {
    id: realm,
    realm,
    defaultDefaultClientScopes: await admin.realmDefaultScopes(realm, "default"),
    defaultOptionalClientScopes: await admin.realmDefaultScopes(realm, "optional"),
    // The provider reports realm durations as Go durations.
    offlineSessionIdleTimeout: `${Number(rep.offlineSessionIdleTimeout)}s`,
    offlineSessionMaxLifespan: `${Number(rep.offlineSessionMaxLifespan)}s`,
    offlineSessionMaxLifespanEnabled: rep.offlineSessionMaxLifespanEnabled === true,
  };
}

/** The live clients of a realm by client id, as the provider's `openid.getClient` returns them (the fields the program reads). */
async function liveClients(admin: KeycloakAdmin, realm: string): Promise<Map<string, Record<string, unknown>>> {
  const found = new Map<string, Record<string, unknown>>();
  for (const { id, clientId } of await admin.clients(realm)) {
    const rep = await admin.client(realm, id);
    const attrs = (rep.attributes ?? {}) as Record<string, string>;
    found.set(clientId, {
      id, realmId: realm, clientId, name: rep.name ?? "", enabled: rep.enabled,
      accessType: rep.publicClient ? "PUBLIC" : rep.bearerOnly ? "BEARER-ONLY" : "CONFIDENTIAL",
      standardFlowEnabled: rep.standardFlowEnabled, implicitFlowEnabled: rep.implicitFlowEnabled,
      directAccessGrantsEnabled: rep.directAccessGrantsEnabled, serviceAccountsEnabled: rep.serviceAccountsEnabled,
      validRedirectUris: rep.redirectUris ?? [], webOrigins: rep.webOrigins ?? [],
      useRefreshTokens: attrs["use.refresh.tokens"] !== "false",
      accessTokenLifespan: attrs["access.token.lifespan"] ?? "",
      clientOfflineSessionIdleTimeout: attrs["client.offline.session.idle.timeout"] ?? "",
      clientOfflineSessionMaxLifespan: attrs["client.offline.session.max.lifespan"] ?? "",
    });
  }
  return found;
}

/**
 * Runs the coder-oidc program with `config` (`ns:key` → string, structured values as JSON) and writes what it
 * declares at the live Keycloak; returns the Coder variables it outputs. A client the program imports
 * (`coder-oidc:adoptClientId`) is updated in place, as `up` does after the import: its representation with the
 * declared fields set, so what the program does not declare (and the secret) stays.
 */
export async function applyKeycloakStack(admin: KeycloakAdmin, realm: string, config: Record<string, string>): Promise<AppliedKeycloakStack> {
  const live = await liveRealm(admin, realm);
  const clients = await liveClients(admin, realm);
  const mocks = await installMocks({
    values: config,
    // As a real stack holds them: the config contract refuses a credential set without --secret.
    secretKeys: credentialKeys(KEYCLOAK_PROVIDER_KEYS).map((key) => `keycloak:${key}`).filter((key) => key in config),
    stack: "e2e-keycloak",
    preview: true,
    callResults: {
      "keycloak:index/getRealm:getRealm": () => live,
      "keycloak:openid/getClient:getClient": (inputs) => {
        const found = inputs.realmId === realm ? clients.get(String(inputs.clientId)) : undefined;
        if (!found) throw new Error(`error fetching client ${String(inputs.clientId)}: 404 Not Found`);
        return found;
      },
    },
  });
  const warnings: string[] = [];
  const originalWarn = console.warn;
  console.warn = (...args: unknown[]) => void warnings.push(args.map(String).join(" "));
  let outputs: Record<string, pulumi.Output<string>>;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const program = require(`${REPO_ROOT}/program/index.ts`) as () => Promise<Record<string, pulumi.Output<string>>>;
    outputs = await program();
    await settle();
  } finally {
    console.warn = originalWarn;
  }
  const unexpected = mocks.resources.filter((r) => r.custom && ![CLIENT_TYPE, OPTIONAL_SCOPES_TYPE, PROVIDER_TYPE].includes(r.type));
  if (unexpected.length > 0) throw new Error(`the Keycloak stand-in cannot write ${unexpected.map((r) => r.type).join(", ")}`);
  const [client] = mocks.ofType(CLIENT_TYPE);
  const [scopes] = mocks.ofType(OPTIONAL_SCOPES_TYPE);
  if (!client || !scopes) throw new Error("the program declared no Keycloak client or no optional scopes");

  const clientInputs = revealSecrets(client.inputs) as Record<string, unknown>;
  if (clientInputs.realmId !== realm) throw new Error(`the client is declared in realm ${String(clientInputs.realmId)}, not ${realm}`);
  let clientInternalId: string;
  if (client.importId) {
    const [importRealm, id] = client.importId.split("/");
    if (importRealm !== realm) throw new Error(`the client is imported from realm ${importRealm}, not ${realm}`);
    const declared = clientRepresentation(clientInputs);
    const current = await admin.client(realm, id);
    await admin.updateClient(realm, id, {
      ...current, ...declared,
      attributes: { ...(current.attributes as Record<string, string> | undefined), ...(declared.attributes as Record<string, string>) },
    });
    clientInternalId = id;
  } else {
    clientInternalId = await admin.createClient(realm, clientRepresentation(clientInputs));
  }

  // ClientOptionalScopes is authoritative: the client ends up with exactly the listed optional scopes.
  const optionalScopes = revealSecrets(scopes.inputs.optionalScopes) as string[];
  const scopeIds = await admin.clientScopeIds(realm);
  const current = await admin.clientScopes(realm, clientInternalId, "optional");
  for (const name of current.filter((s) => !optionalScopes.includes(s))) {
    await admin.setClientOptionalScope(realm, clientInternalId, scopeIds.get(name)!, false);
  }
  for (const name of optionalScopes.filter((s) => !current.includes(s))) {
    const id = scopeIds.get(name);
    if (!id) throw new Error(`client scope "${name}" does not exist in realm ${realm}`);
    await admin.setClientOptionalScope(realm, clientInternalId, id, true);
  }

  const coderEnv: CoderEnv = {};
  for (const [name, output] of Object.entries(outputs)) {
    const resolved = await resolveOutput(output);
    if (resolved.known) coderEnv[name] = String(resolved.value);
  }
  // The one value only `up` knows: the secret Keycloak generated, which the provider outputs as clientSecret.
  coderEnv.CODER_OIDC_CLIENT_SECRET = await admin.clientSecret(realm, clientInternalId);
  return { coderEnv, clientInternalId, clientInputs, optionalScopes, warnings };
}
