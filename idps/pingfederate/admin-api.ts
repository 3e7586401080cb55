/**
 * The PingFederate admin API client: the calls this toolkit makes, over HTTP(S).
 * Facts: ../shared/reference/FACTS.md §3 (endpoints, status codes, PUT-replaces-all, version gating).
 *
 * No Pulumi here. Everything HTTP goes through {@link pfAdminApi}: `X-XSRF-Header` on every call, JSON,
 * timeouts, bounded retries with backoff and jitter for GET/PUT/DELETE (./retry), never a blind POST retry, and
 * every failure wrapped into a `PfApiError` (src/errors) that carries no header, credential or secret (./failures).
 * Credentials come from ./credentials; the model from ./model.
 *
 * This module and the ones it imports are copied by value into the dynamic provider that Pulumi serializes into
 * state (`__provider`), and run from there in Pulumi's provider host, a plain Node.js process without
 * TypeScript. Hence:
 * - no classes (Pulumi's closure serializer rewrites class constructors and loses field initializers);
 * - npm and Node modules are `require`d inside the functions that use them, so the copy requires them at
 *   run time instead of serializing them;
 * - process-wide state (configured credentials, the server version) lives on `globalThis` under registered
 *   symbols (./process-slot), which the serializer never captures: nothing set here can end up in the state file.
 */
import type { AxiosInstance, AxiosRequestConfig, AxiosResponse, AxiosStatic } from "axios";
import type { IAxiosRetryConfig } from "axios-retry";
import type * as NodeCrypto from "node:crypto";
import type * as NodeFs from "node:fs";
import type * as NodeHttp from "node:http";
import type * as NodeHttps from "node:https";
import type * as NodeTls from "node:tls";
import { newConfigError, newPfApiError } from "./coded-errors";
import { ADMIN_CONFIG_KEY, type AdminCredentials, credentialSecrets, resolveAdminCredentials } from "./credentials";
import { wrapFailure } from "./failures";
import { type PfClient, type PfClientSecret, type PfClusterStatus, type PfScope, ReplicationOutcome } from "./model";
import { globalSlot } from "./process-slot";
import { DEFAULT_RETRY_POLICY, isRetryable, retryDelayMs, type RetryPolicy } from "./retry";

/** The per-attempt timeout used unless a connection sets its own. */
export const DEFAULT_TIMEOUT_MS = 30_000;

/** Where and how to reach the admin API. Nothing in here is secret. */
export interface PfConnection {
  /** Base URL of the admin API, e.g. `https://pf.example.com:9999/pf-admin-api/v1`. */
  readonly adminUrl: string;
  /** PEM text, or the path of a PEM file, of the CA that signed the admin API's certificate. Default: Node's CAs. */
  readonly caCertificate?: string;
  /** Skip TLS certificate verification. Default false. */
  readonly insecureSkipTlsVerify?: boolean;
  /** Per-attempt timeout in ms. Default {@link DEFAULT_TIMEOUT_MS}. */
  readonly timeoutMs?: number;
  /** Retry tuning. Default {@link DEFAULT_RETRY_POLICY}. */
  readonly retry?: Partial<RetryPolicy>;
  /** Credentials to use instead of the configured/environment ones (tests and benchmarks). */
  readonly credentials?: AdminCredentials;
}

/** The process-wide cache of server versions, by admin URL. */
const VERSION_SLOT = "coder-oidc.pingfederate.serverVersions";

/** The admin API calls this toolkit makes. Every method throws a `PfApiError` (`ERR_PF_API`) on failure. */
export interface PfAdminApi {
  /** `GET /version`, cached per admin URL for the life of the process. */
  getVersion(): Promise<string>;
  /** `GET /oauth/clients/{id}`; undefined on 404. */
  getClient(clientId: string): Promise<PfClient | undefined>;
  /** `GET /oauth/clients?filter=…` (every page). */
  listClients(filter?: string): Promise<PfClient[]>;
  /**
   * `POST /oauth/clients`. Never retried blindly: after a transport failure, a 429 or a 5xx, the client is
   * looked up, and the POST is repeated only if it does not exist.
   */
  createClient(client: PfClient): Promise<PfClient>;
  /** `PUT /oauth/clients/{id}` with the whole object. */
  updateClient(client: PfClient): Promise<PfClient>;
  /** `DELETE /oauth/clients/{id}`; true when it existed (404 counts as done). */
  deleteClient(clientId: string): Promise<boolean>;
  /** `PUT /oauth/clients/{id}/clientAuth/clientSecret`. */
  updateClientSecret(clientId: string, body: PfClientSecret): Promise<PfClientSecret>;
  /** `GET /oauth/authServerSettings/scopes/commonScopes/{name}`; undefined on 404. */
  getCommonScope(name: string): Promise<PfScope | undefined>;
  /** `POST /oauth/authServerSettings/scopes/commonScopes`, with the same no-blind-retry rule as createClient. */
  addCommonScope(scope: PfScope): Promise<PfScope>;
  /** `GET /cluster/status`; undefined on 403 (not clustered). */
  getClusterStatus(): Promise<PfClusterStatus | undefined>;
  /** `GET /cluster/status`, then `POST /cluster/replicate` only if `replicationRequired`. */
  replicateIfRequired(): Promise<ReplicationOutcome>;
  /** Frees sockets. */
  close(): void;
}

interface Sent<T> {
  readonly status: number;
  readonly data: T;
}

interface SendOptions {
  /** Statuses that resolve instead of throwing. */
  readonly accept?: readonly number[];
  /** Extra strings to redact from errors (secrets in the body). */
  readonly secrets?: readonly string[];
}

/** Node and npm modules, required where used so a serialized copy of this file requires them at run time. */
function load() {
  /* eslint-disable @typescript-eslint/no-require-imports */
  return {
    axios: require("axios") as AxiosStatic,
    axiosRetry: (require("axios-retry") as { default: (instance: AxiosInstance, config: IAxiosRetryConfig) => unknown }).default,
    crypto: require("node:crypto") as typeof NodeCrypto,
    fs: require("node:fs") as typeof NodeFs,
    http: require("node:http") as typeof NodeHttp,
    https: require("node:https") as typeof NodeHttps,
    tls: require("node:tls") as typeof NodeTls,
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
}

/** A new client secret: 32 random bytes, base64url (43 characters, URL-safe). */
export function generateClientSecret(): string {
  return load().crypto.randomBytes(32).toString("base64url");
}

/** The CA bundle for a connection: Node's CAs plus the configured one (PEM text or file). */
function caBundle(caCertificate: string): string[] {
  const { fs, tls } = load();
  let pem = caCertificate;
  if (!caCertificate.includes("-----BEGIN")) {
    try {
      pem = fs.readFileSync(caCertificate, "utf8");
    } catch (error) {
      throw newConfigError([{
        key: `${ADMIN_CONFIG_KEY}.caCertificate`,
        message: `is neither PEM text nor a readable file: "${caCertificate}" (${(error as { code?: string }).code ?? "unreadable"})`,
      }], "Invalid PingFederate TLS settings");
    }
    if (!pem.includes("-----BEGIN")) {
      throw newConfigError([{ key: `${ADMIN_CONFIG_KEY}.caCertificate`, message: `the file "${caCertificate}" holds no PEM certificate` }],
        "Invalid PingFederate TLS settings");
    }
  }
  return [...tls.rootCertificates, pem];
}

const IDEMPOTENT = ["GET", "PUT", "DELETE"];

/**
 * A client for one admin API. Credentials are resolved now (at call time, inside a provider method), from
 * `connection.credentials`, then stack config delivered through `configure`, then the environment.
 */
export function pfAdminApi(connection: PfConnection): PfAdminApi {
  const { axios, axiosRetry, http, https } = load();
  const credentials = connection.credentials ?? resolveAdminCredentials();
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...connection.retry };
  const timeoutMs = connection.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const baseURL = connection.adminUrl.replace(/\/+$/, "");
  const secrets = credentialSecrets(credentials);

  const httpsAgent = new https.Agent({
    keepAlive: true,
    rejectUnauthorized: connection.insecureSkipTlsVerify !== true,
    ...(connection.caCertificate ? { ca: caBundle(connection.caCertificate) } : {}),
  });
  const httpAgent = new http.Agent({ keepAlive: true });
  const headers: Record<string, string> = { "X-XSRF-Header": "PingFederate", Accept: "application/json" };
  if (credentials.kind === "bearer") headers.Authorization = `Bearer ${credentials.token}`;
  const instance = axios.create({
    baseURL,
    timeout: timeoutMs,
    headers,
    auth: credentials.kind === "basic" ? { username: credentials.username, password: credentials.password } : undefined,
    httpAgent,
    httpsAgent,
    maxRedirects: 0,
    transitional: { clarifyTimeoutError: true, silentJSONParsing: true, forcedJSONParsing: true },
  });
  // The defaults matter only for calls that pass no per-request settings; send() always does.
  axiosRetry(instance, { retries: 0 });

  async function send<T>(method: string, path: string, body?: unknown, options: SendOptions = {}): Promise<Sent<T>> {
    const started = Date.now();
    let attempts = 0;
    let budgetNote: string | undefined;
    let nextDelay = 0;
    const retrying = IDEMPOTENT.includes(method);
    const retryConfig: IAxiosRetryConfig = {
      retries: retrying ? policy.maxAttempts - 1 : 0,
      shouldResetTimeout: true,
      retryCondition: (error) => {
        if (!retrying || !isRetryable(error)) return false;
        const header = error.response?.headers?.["retry-after"];
        nextDelay = retryDelayMs(attempts, typeof header === "string" ? header : undefined, policy);
        if (Date.now() - started + nextDelay > policy.totalTimeMs) {
          budgetNote = `the next retry, in ${Math.ceil(nextDelay / 1000)} s, would pass the ${Math.round(policy.totalTimeMs / 1000)} s retry budget`;
          return false;
        }
        return true;
      },
      retryDelay: () => nextDelay,
      onRetry: () => {
        attempts++;
      },
    };
    const config: AxiosRequestConfig = {
      method,
      url: path,
      data: body,
      validateStatus: (status) => (status >= 200 && status < 300) || (options.accept ?? []).includes(status),
      "axios-retry": retryConfig,
    };
    attempts = 1;
    try {
      const response = await instance.request<T>(config);
      if (!isDocumentedAnswer(response)) {
        const type = String(response.headers?.["content-type"] ?? "no content type").split(";")[0];
        throw newPfApiError({
          method, path, status: response.status, validationErrors: [],
          apiMessage: `the answer is ${type}, not the JSON the admin API documents: check that adminUrl is the admin ` +
            "API base (…/pf-admin-api/v1) and that no proxy or login page answers in its place",
        });
      }
      return { status: response.status, data: response.data };
    } catch (error) {
      if ((error as { code?: string }).code === "ERR_PF_API") throw error;
      throw wrapFailure(error, method, path, {
        secrets: [...secrets, ...(options.secrets ?? [])],
        timeoutMs,
        attempts,
        note: budgetNote,
      });
    }
  }

  /**
   * A success (2xx) with a body must be JSON, as the API documents every answer, and so must a 404 that a call
   * takes as "gone" (the API's `ApiResult`): a proxy's or web server's HTML 404 for a wrong adminUrl would
   * otherwise read as a deleted client, and a refresh would drop it from the state. An empty answer counts.
   * A 403 that says "not clustered" is taken as it is: its body is not documented.
   */
  function isDocumentedAnswer(response: AxiosResponse): boolean {
    if (response.status === 204 || response.status === 403) return true;
    const type = String(response.headers?.["content-type"] ?? "");
    const empty = response.data === undefined || response.data === "";
    if (empty) return type === "" || /json/i.test(type);
    return /^application\/(.+\+)?json\b/i.test(type) && typeof response.data === "object" && response.data !== null;
  }

  /** Whether a failed POST may have been refused before anything happened, or may have gone through. */
  function mayRetryPost(error: unknown): boolean {
    const status = (error as { status?: number }).status;
    if (status === undefined) return true; // transport failure: it may or may not have been applied
    return status === 429 || status === 502 || status === 503 || status === 504;
  }

  /**
   * A POST that is never repeated blindly: after a retryable failure, `exists()` says whether it went through;
   * only if not is it sent again, within the same attempt and time budget as other calls.
   */
  async function postOnce<T>(path: string, body: unknown, exists: () => Promise<T | undefined>, secretValues: string[]): Promise<T> {
    const started = Date.now();
    for (let attempt = 1; ; attempt++) {
      try {
        return (await send<T>("POST", path, body, { secrets: secretValues })).data;
      } catch (error) {
        if (!mayRetryPost(error)) throw error;
        const found = await exists();
        if (found !== undefined) return found;
        const delay = retryDelayMs(attempt, undefined, policy);
        if (attempt >= policy.maxAttempts || Date.now() - started + delay > policy.totalTimeMs) throw error;
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  const clientPath = (clientId: string) => `/oauth/clients/${encodeURIComponent(clientId)}`;
  const scopePath = (name: string) => `/oauth/authServerSettings/scopes/commonScopes/${encodeURIComponent(name)}`;
  const versions = globalSlot<Record<string, string>>(VERSION_SLOT);

  const api: PfAdminApi = {
    async getVersion() {
      const cache = versions.get() ?? {};
      const cached = cache[baseURL];
      if (cached) return cached;
      const { data } = await send<{ version?: string }>("GET", "/version");
      const version = typeof data?.version === "string" ? data.version : "0";
      versions.set({ ...cache, [baseURL]: version });
      return version;
    },
    async getClient(clientId) {
      const { status, data } = await send<PfClient>("GET", clientPath(clientId), undefined, { accept: [404] });
      return status === 404 ? undefined : data;
    },
    async listClients(filter) {
      const items: PfClient[] = [];
      for (let page = 1; page <= 1000; page++) {
        const query = new URLSearchParams({ page: String(page), numberPerPage: "100", ...(filter ? { filter } : {}) });
        const { data } = await send<{ items?: PfClient[] }>("GET", `/oauth/clients?${query.toString()}`);
        const batch = data?.items ?? [];
        items.push(...batch);
        if (batch.length < 100) break;
      }
      return items;
    },
    async createClient(client) {
      const sent = client.clientAuth?.secret ? [client.clientAuth.secret] : [];
      return postOnce<PfClient>("/oauth/clients", client, () => api.getClient(client.clientId), sent);
    },
    async updateClient(client) {
      const sent = client.clientAuth?.secret ? [client.clientAuth.secret] : [];
      return (await send<PfClient>("PUT", clientPath(client.clientId), client, { secrets: sent })).data;
    },
    async deleteClient(clientId) {
      const { status } = await send<unknown>("DELETE", clientPath(clientId), undefined, { accept: [404] });
      return status !== 404;
    },
    async updateClientSecret(clientId, body) {
      const sent = [body.secret, ...(body.secondarySecrets ?? []).map((s) => s.secret)].filter((s): s is string => !!s);
      return (await send<PfClientSecret>("PUT", `${clientPath(clientId)}/clientAuth/clientSecret`, body, { secrets: sent })).data;
    },
    async getCommonScope(name) {
      const { status, data } = await send<PfScope>("GET", scopePath(name), undefined, { accept: [404] });
      return status === 404 ? undefined : data;
    },
    async addCommonScope(scope) {
      return postOnce<PfScope>("/oauth/authServerSettings/scopes/commonScopes", scope, () => api.getCommonScope(scope.name), []);
    },
    async getClusterStatus() {
      const { status, data } = await send<PfClusterStatus>("GET", "/cluster/status", undefined, { accept: [403] });
      return status === 403 ? undefined : data;
    },
    async replicateIfRequired() {
      const status = await api.getClusterStatus();
      if (status === undefined) return ReplicationOutcome.NotClustered;
      if (status.replicationRequired !== true) return ReplicationOutcome.UpToDate;
      // After a failed POST, the status says whether the replication happened anyway.
      await postOnce<unknown>("/cluster/replicate", undefined, async () => {
        const now = await api.getClusterStatus();
        return now !== undefined && now.replicationRequired !== true ? true : undefined;
      }, []);
      return ReplicationOutcome.Replicated;
    },
    close() {
      httpsAgent.destroy();
      httpAgent.destroy();
    },
  };
  return api;
}
