/**
 * The dynamic providers behind {@link PingFederateOAuthClient} and {@link PingFederateCommonScope}: thin CRUD
 * over ./admin-api, with the parts in their own files: inputs and defaults (./inputs), `check` (./check), `diff`
 * (./diff), and the one mapper from a live client to state shared by create, read and update, plus the request
 * merge (./state), so that `pulumi refresh` reports exactly the drift an admin made by hand.
 *
 * Pulumi serializes each provider object into the state file (`__provider`) and later runs that copy in its
 * provider host, a plain Node.js process without TypeScript (FACTS.md §4.2). So:
 * - the provider objects hold no client, credential, token or secret: `configure` hands stack-config
 *   credentials to ./credentials, which keeps them on `globalThis` (never serialized), and every method builds
 *   its HTTP client when it runs;
 * - the modules imported here are captured by value (a relative `require("./admin-api")` inside a method would
 *   resolve against the host's working directory and find nothing), and they require npm/Node modules inside
 *   their functions;
 * - no classes are used on this path (the serializer cannot rebuild them), and outputs never contain
 *   `undefined` (the host's protobuf encoder rejects it).
 *
 * @see {@link https://www.pulumi.com/docs/iac/concepts/resources/dynamic-providers/}
 */
import type * as pulumi from "@pulumi/pulumi";
import { generateClientSecret, pfAdminApi, type PfAdminApi } from "./admin-api";
import { checkClientInputs, checkScopeInputs, withClientDefaults } from "./check";
import { credentialFieldsFromConfig, rememberConfiguredCredentials } from "./credentials";
import { diffClient, managedChanges } from "./diff";
import {
  compact, DEFAULT_SECRET_OVERLAP_SECONDS, isUnknown, normalizeUrl, type PfCommonScopeInputs, type PfCommonScopeOutputs,
  type PfConnectionInputs, type PfOAuthClientInputs, type PfOAuthClientOutputs, type Props, ReplicateMode,
} from "./inputs";
import { ClientAuthType, type PfClient, supportsOfflineAccessSettings } from "./model";
import { clientState, holdsSecret, inputsOf, keptClientAuth, liveSecondaries, mergedClient, retiring } from "./state";

/** Codes of the errors the providers raise themselves (API failures are `ERR_PF_API`). */
export const PingFederateProviderErrorCode = {
  /** Create found a client with that id already; nothing was changed. */
  ClientExists: "ERR_PF_CLIENT_EXISTS",
  /** Update found the client gone (deleted outside Pulumi). */
  ClientGone: "ERR_PF_CLIENT_GONE",
  /** The client was saved but the cluster could not be replicated. */
  ReplicationFailed: "ERR_PF_REPLICATION_FAILED",
} as const;

/** The config key that adopts an existing client (the program imports it; see `read`). */
const ADOPT_KEY = "coder-oidc:adoptClientId";

// ---------------------------------------------------------------------------------------------------
// Helpers (plain functions: serialized by value with the providers)

/**
 * An error for the engine. `extra` (e.g. a partial failure's `properties`, which hold the client secret) is
 * attached as non-enumerable fields, and the error serializes to its name, code and message only, so neither
 * `util.inspect`, `JSON.stringify` nor a logger shows what the engine reads from it.
 */
function providerError(code: string, message: string, extra: Record<string, unknown> = {}): Error {
  const error = Object.assign(new Error(message), { name: "PingFederateProviderError", code, __pulumiRunError: true });
  for (const [key, value] of Object.entries(extra)) Object.defineProperty(error, key, { value, enumerable: false, writable: true });
  Object.defineProperty(error, "toJSON", { value: () => ({ name: error.name, code, message }), enumerable: false });
  Object.defineProperty(error, Symbol.for("nodejs.util.inspect.custom"), {
    value: () => `${error.name} [${code}]: ${message}`, enumerable: false,
  });
  return error;
}

/** Runs `work` with a client for the admin API of `props`, and closes its connections afterwards. */
async function withApi<T>(props: PfConnectionInputs, work: (api: PfAdminApi) => Promise<T>): Promise<T> {
  const api = connect(props);
  try {
    return await work(api);
  } finally {
    api.close();
  }
}

function connect(props: PfConnectionInputs): PfAdminApi {
  if (typeof props.adminUrl !== "string" || props.adminUrl === "") {
    // What `pulumi import` of a dynamic resource would hit: there is no state to read the admin URL from.
    throw providerError("ERR_PF_NO_ADMIN_URL",
      "The PingFederate admin URL is not known for this resource (Pulumi cannot import dynamic resources); to take " +
      `over an existing client, set ${ADOPT_KEY} to its id and run pulumi up.`);
  }
  return pfAdminApi({
    adminUrl: props.adminUrl,
    caCertificate: props.caCertificate,
    insecureSkipTlsVerify: props.insecureSkipTlsVerify === true,
  });
}

/** Replicates after a write when `replicate` is `auto`. */
async function replicateAfterWrite(api: PfAdminApi, props: PfConnectionInputs): Promise<void> {
  if ((props.replicate ?? ReplicateMode.Auto) === ReplicateMode.Never) return;
  await api.replicateIfRequired();
}

/** Replicates; on failure, reports the write as done but not replicated, so the state keeps the new outputs. */
async function replicateOrReport(api: PfAdminApi, props: PfConnectionInputs, id: string, outs: unknown, what: string): Promise<void> {
  try {
    await replicateAfterWrite(api, props);
  } catch (error) {
    const reason = `${what}, but replicating the PingFederate cluster failed, so the engines do not have the change yet: ` +
      `${(error as Error).message}\nRun pulumi up again, or replicate in the admin console (System > Cluster Management).`;
    // A partial failure's properties become the resource's state as they are: the engine adds `__provider`
    // only on success, and refresh/destroy load the provider from the state, so carry it over.
    const properties = { ...(outs as Record<string, unknown>), __provider: (props as unknown as Props).__provider };
    throw providerError(PingFederateProviderErrorCode.ReplicationFailed, reason, { id, properties, reasons: [reason] });
  }
}
/** Why adopting failed: no client of that id at that admin API. */
function adoptionMissing(id: string, adminUrl: unknown): string {
  return `PingFederate has no OAuth client "${id}" at ${String(adminUrl)} (${ADOPT_KEY}): GET /oauth/clients/${id} answered 404. ` +
    "Check the id: it is the CODER_OIDC_CLIENT_ID Coder uses today (Applications > OAuth > Clients). " +
    `Remove ${ADOPT_KEY} to create a new client instead.`;
}

function alreadyExists(existing: PfClient): Error {
  const id = existing.clientId;
  return providerError(PingFederateProviderErrorCode.ClientExists,
    `PingFederate already has an OAuth client "${id}" (name "${existing.name}"); this stack will not overwrite it.\n` +
    `To adopt it (its secret and every setting this stack does not manage are kept, the managed ones are set), run ` +
    `pulumi config set ${ADOPT_KEY} ${id} and pulumi up.\n` +
    `Otherwise choose another coder-oidc:clientId, or delete that client in PingFederate (Applications > OAuth > Clients).`,
    { clientId: id });
}

async function configureCredentials(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
  // Only credentials are taken, and only into ./api's process-wide slot: never onto this object.
  rememberConfiguredCredentials(credentialFieldsFromConfig(req.config.get("coder-oidc:pingfederate")));
}

// ---------------------------------------------------------------------------------------------------
// The providers

/** The dynamic provider of {@link PingFederateOAuthClient}. */
export const pingFederateClientProvider: pulumi.dynamic.ResourceProvider<PfOAuthClientInputs, PfOAuthClientOutputs> = {
  configure: configureCredentials,

  async check(olds, news) {
    const failures = checkClientInputs(news as unknown as Props);
    // Adopting (not yet in the state: no old inputs): the client must be there, which preview says already.
    const creating = (olds as Partial<PfOAuthClientInputs> | undefined)?.clientId === undefined;
    if (creating && failures.length === 0 && typeof news.adoptClientId === "string" && !isUnknown(news.adoptClientId)) {
      const existing = await withApi(news, (api) => api.getClient(news.adoptClientId!));
      if (existing === undefined) failures.push({ property: "adoptClientId", reason: adoptionMissing(news.adoptClientId, news.adminUrl) });
    }
    return { inputs: withClientDefaults(news as unknown as Props) as unknown as PfOAuthClientInputs, failures };
  },

  async diff(_id, olds, news) {
    const { changes, replaces } = diffClient(olds as unknown as Props, news as unknown as Props);
    return {
      changes: changes.length > 0,
      replaces,
      // Same id on another admin URL may well be the same server: delete the old one first.
      deleteBeforeReplace: replaces.length > 0 && !replaces.includes("clientId"),
    };
  },

  async create(inputs) {
    return withApi(inputs, async (api) => {
      const serverVersion = await api.getVersion();
      const offlineAccess = supportsOfflineAccessSettings(serverVersion);
      const clientSecret = generateClientSecret();
      const existing = await api.getClient(inputs.clientId);
      const adopting = inputs.adoptClientId !== undefined && inputs.adoptClientId === inputs.clientId;
      if (existing !== undefined && !adopting) throw alreadyExists(existing);
      if (existing === undefined && adopting) {
        throw providerError("ERR_ADOPT_CLIENT", adoptionMissing(inputs.clientId, inputs.adminUrl), { clientId: inputs.clientId });
      }
      let live: PfClient;
      let known: string | undefined = clientSecret;
      if (existing === undefined) {
        live = await api.createClient(mergedClient(undefined, inputs, offlineAccess, { type: ClientAuthType.Secret, secret: clientSecret }));
      } else {
        // Adopting: the secret the client has stays (PingFederate never shows it, so the state has none); a client
        // without one gets the new one.
        known = holdsSecret(existing) ? undefined : clientSecret;
        live = await api.updateClient(mergedClient(existing, inputs, offlineAccess, keptClientAuth(existing, known)));
      }
      const outs = clientState(live, { ...inputs, clientSecret: known, serverVersion });
      await replicateOrReport(api, inputs, inputs.clientId, outs,
        `The client "${inputs.clientId}" was ${existing === undefined ? "created" : "adopted"}`);
      return { id: inputs.clientId, outs };
    });
  },

  async read(id, props) {
    const state = (props ?? {}) as PfOAuthClientOutputs;
    return withApi(state, async (api) => {
      const live = await api.getClient(id);
      if (live === undefined) return { id: "" };
      const outs = clientState(live, state as unknown as Props);
      return { id, props: outs, inputs: inputsOf(outs) as PfOAuthClientOutputs };
    });
  },

  async update(id, olds, news) {
    return withApi(news, async (api) => {
      const serverVersion = await api.getVersion();
      const offlineAccess = supportsOfflineAccessSettings(serverVersion);
      let live = await api.getClient(id);
      if (live === undefined) {
        throw providerError(PingFederateProviderErrorCode.ClientGone,
          `The PingFederate OAuth client "${id}" no longer exists (deleted outside Pulumi). Run pulumi refresh so the ` +
          `stack forgets it, then pulumi up to create it again (with a new secret).`, { clientId: id });
      }
      // Just imported (coder-oidc:adoptClientId), the secret is unknown: PingFederate keeps it write-only. The one
      // the client has stays; only a client without one (public, or another auth type) gets a new one.
      const knownSecret = (olds.clientSecret as string | undefined) ?? (holdsSecret(live) ? undefined : generateClientSecret());
      const carried = { ...news, clientSecret: knownSecret, serverVersion };
      const liveState = clientState(live, carried as unknown as Props);
      const auth = keptClientAuth(live, knownSecret);
      let wrote = false;
      if (managedChanges(liveState as unknown as Props, news as unknown as Props, offlineAccess).length > 0 || auth !== live.clientAuth) {
        live = await api.updateClient(mergedClient(live, news, offlineAccess, auth));
        wrote = true;
      }
      let clientSecret = knownSecret;
      if ((olds.secretVersion ?? "") !== (news.secretVersion ?? "")) {
        const next = generateClientSecret();
        const overlap = news.secretOverlap ?? DEFAULT_SECRET_OVERLAP_SECONDS;
        await api.updateClientSecret(id, {
          secret: next,
          secondarySecrets: [...retiring(live.clientAuth, overlap), ...liveSecondaries(live.clientAuth)],
        });
        clientSecret = next;
        wrote = true;
      }
      const outs = clientState(live, { ...carried, clientSecret } as unknown as Props);
      // Checked even when nothing was written: a replication that failed after an earlier write (reported
      // as "created/updated but not replicated") is caught up by the next update.
      await replicateOrReport(api, news, id, outs, wrote ? `The client "${id}" was updated` : `The client "${id}" is up to date`);
      return { outs };
    });
  },

  async delete(id, props) {
    return withApi(props, async (api) => {
      await api.deleteClient(id);
      // Even when the client was gone already: an earlier delete's replication may have failed.
      await replicateAfterWrite(api, props);
    });
  },
};

/**
 * The dynamic provider of {@link PingFederateCommonScope}: makes sure a common scope exists, through the scopes
 * sub-resource only (never a PUT of all authorization-server settings). An existing scope is adopted as is,
 * and the scope is left in place on destroy: other clients may rely on it.
 */
export const pingFederateScopeProvider: pulumi.dynamic.ResourceProvider<PfCommonScopeInputs, PfCommonScopeOutputs> = {
  configure: configureCredentials,

  async check(_olds, news) {
    const failures = checkScopeInputs(news as unknown as Props);
    const inputs = compact({
      ...news,
      adminUrl: normalizeUrl(news.adminUrl) as string,
      replicate: news.replicate ?? ReplicateMode.Auto,
      insecureSkipTlsVerify: news.insecureSkipTlsVerify ?? false,
    });
    return { inputs, failures };
  },

  async diff(_id, olds, news) {
    const replaces: string[] = [];
    if (olds.name !== news.name) replaces.push("name");
    if (normalizeUrl(olds.adminUrl) !== normalizeUrl(news.adminUrl)) replaces.push("adminUrl");
    // Only existence is managed: the description of a scope someone else defined is theirs.
    const operational = (olds.replicate ?? ReplicateMode.Auto) !== (news.replicate ?? ReplicateMode.Auto) ||
      (olds.caCertificate ?? "") !== (news.caCertificate ?? "") ||
      (olds.insecureSkipTlsVerify === true) !== (news.insecureSkipTlsVerify === true);
    return { changes: replaces.length > 0 || operational, replaces };
  },

  async create(inputs) {
    return withApi(inputs, async (api) => {
      const existing = await api.getCommonScope(inputs.name);
      if (existing !== undefined) return { id: inputs.name, outs: compact({ ...inputs, description: existing.description, adopted: true }) };
      const created = await api.addCommonScope({ name: inputs.name, description: inputs.description, dynamic: false });
      const outs = compact({ ...inputs, description: created.description ?? inputs.description, adopted: false });
      await replicateOrReport(api, inputs, inputs.name, outs, `The scope "${inputs.name}" was created`);
      return { id: inputs.name, outs };
    });
  },

  async read(id, props) {
    const state = (props ?? {}) as PfCommonScopeOutputs;
    return withApi(state, async (api) => {
      const live = await api.getCommonScope(id);
      if (live === undefined) return { id: "" };
      const outs = compact({ ...state, name: live.name, adopted: state.adopted === true });
      const inputs = { ...outs } as Props;
      delete inputs.adopted;
      return { id, props: outs, inputs: inputs as unknown as PfCommonScopeOutputs };
    });
  },

  async update(id, olds, news) {
    const outs = compact({ ...news, description: olds.description ?? news.description, adopted: olds.adopted === true });
    return withApi(news, async (api) => {
      // Nothing to write, but a replication that failed after an earlier create is caught up here.
      await replicateOrReport(api, news, id, outs, `The scope "${id}" is up to date`);
      return { outs };
    });
  },

  async delete() {
    // Left in place on purpose: offline_access is server-wide, and other clients may use it.
  },
};
