/**
 * A real Keycloak for the e2e: the distribution of e2e/versions.json, copied into the run's temporary
 * directory (its own H2 data directory, nothing shared between runs), started in dev mode on 127.0.0.1 on free
 * ports, ready when its management interface says so, stopped with its whole process group. And a small client
 * of its admin REST API for what the tests set up and read back.
 */
import { cpSync } from "node:fs";
import { join } from "node:path";
import axios, { type AxiosInstance } from "axios";
import { freePort, startService, waitUntilReady, type ServiceProcess } from "./services";

/** A running Keycloak. */
export interface KeycloakServer {
  /** `http://127.0.0.1:<port>`, the base URL (no `/auth` path on Keycloak 17+). */
  readonly url: string;
  /** The bootstrap admin of the master realm. */
  readonly admin: { readonly username: string; readonly password: string };
  /** Its process. */
  readonly process: ServiceProcess;
  /** An admin API client logged in as the bootstrap admin. */
  adminApi(): Promise<KeycloakAdmin>;
  /** Stops it. */
  stop(): Promise<void>;
}

/** Copies the distribution under `dir` and starts it; resolves when it is ready. */
export async function startKeycloak(home: string, dir: string, adminPassword: string): Promise<KeycloakServer> {
  const dist = join(dir, "keycloak");
  cpSync(home, dist, { recursive: true });
  const [httpPort, managementPort] = [await freePort(), await freePort()];
  const admin = { username: "admin", password: adminPassword };
  const service = startService("Keycloak", join(dist, "bin/kc.sh"), [
    "start-dev", "--http-host=127.0.0.1", `--http-port=${httpPort}`, `--http-management-port=${managementPort}`,
  ], {
    cwd: dist,
    logFile: join(dir, "keycloak.log"),
    env: {
      ...process.env,
      KC_BOOTSTRAP_ADMIN_USERNAME: admin.username,
      KC_BOOTSTRAP_ADMIN_PASSWORD: admin.password,
      KC_HEALTH_ENABLED: "true",
    },
  });
  const url = `http://127.0.0.1:${httpPort}`;
  try {
    await waitUntilReady(service, async () => {
      const res = await axios.get(`http://127.0.0.1:${managementPort}/health/ready`, { validateStatus: () => true, timeout: 5000 });
      return res.status === 200;
    }, 240_000);
  } catch (err) {
    await service.stop();
    throw err;
  }
  return {
    url,
    admin,
    process: service,
    adminApi: () => KeycloakAdmin.login(url, admin.username, admin.password),
    stop: () => service.stop(),
  };
}

/** Keycloak's admin REST API, as the bootstrap admin. */
export class KeycloakAdmin {
  private constructor(private readonly http: AxiosInstance) {}

  /**
   * Logs in to the master realm with `admin-cli` and a password. Admin tokens live a minute, so each request
   * made later than 30 s after the last login logs in again.
   */
  static async login(url: string, username: string, password: string): Promise<KeycloakAdmin> {
    const fetchToken = async () => (await axios.post<{ access_token: string }>(
      `${url}/realms/master/protocol/openid-connect/token`,
      new URLSearchParams({ grant_type: "password", client_id: "admin-cli", username, password }),
    )).data.access_token;
    let token = await fetchToken();
    let issued = Date.now();
    const http = axios.create({ baseURL: `${url}/admin/realms` });
    http.interceptors.request.use(async (config) => {
      if (Date.now() - issued > 30_000) [token, issued] = [await fetchToken(), Date.now()];
      config.headers.Authorization = `Bearer ${token}`;
      return config;
    });
    return new KeycloakAdmin(http);
  }

  /** Creates a realm. */
  async createRealm(realm: Record<string, unknown>): Promise<void> {
    await this.http.post("", realm);
  }

  /** A realm's representation. */
  async realm(realm: string): Promise<Record<string, unknown>> {
    return (await this.http.get(`/${realm}`)).data as Record<string, unknown>;
  }

  /** Changes some of a realm's settings. */
  async updateRealm(realm: string, changes: Record<string, unknown>): Promise<void> {
    await this.http.put(`/${realm}`, changes);
  }

  /** Creates a user with a password; returns its id. */
  async createUser(realm: string, user: Record<string, unknown>, password: string): Promise<string> {
    const res = await this.http.post(`/${realm}/users`, {
      enabled: true,
      emailVerified: true,
      credentials: [{ type: "password", value: password, temporary: false }],
      ...user,
    });
    return String(res.headers.location).split("/").pop()!;
  }

  /** The names of a realm's users. */
  async usernames(realm: string): Promise<string[]> {
    return ((await this.http.get(`/${realm}/users`)).data as { username: string }[]).map((u) => u.username).sort();
  }

  /** The names of a realm's client scopes. */
  async clientScopeNames(realm: string): Promise<string[]> {
    return ((await this.http.get(`/${realm}/client-scopes`)).data as { name: string }[]).map((s) => s.name).sort();
  }

  /** A realm's client scopes by name → id. */
  async clientScopeIds(realm: string): Promise<Map<string, string>> {
    const scopes = (await this.http.get(`/${realm}/client-scopes`)).data as { id: string; name: string }[];
    return new Map(scopes.map((s) => [s.name, s.id]));
  }

  /** The realm's default (`default`) or optional (`optional`) client scopes given to new clients. */
  async realmDefaultScopes(realm: string, kind: "default" | "optional"): Promise<string[]> {
    const res = await this.http.get(`/${realm}/default-${kind === "default" ? "default" : "optional"}-client-scopes`);
    return (res.data as { name: string }[]).map((s) => s.name).sort();
  }

  /** Creates a client; returns its internal id. */
  async createClient(realm: string, client: Record<string, unknown>): Promise<string> {
    const res = await this.http.post(`/${realm}/clients`, client);
    return String(res.headers.location).split("/").pop()!;
  }

  /** Every client of a realm: internal id and client id. */
  async clients(realm: string): Promise<{ id: string; clientId: string }[]> {
    const res = await this.http.get(`/${realm}/clients`);
    return (res.data as { id: string; clientId: string }[]).map((c) => ({ id: c.id, clientId: c.clientId }));
  }

  /** Replaces a client (PUT of its whole representation), as the Keycloak provider's update does. */
  async updateClient(realm: string, id: string, client: Record<string, unknown>): Promise<void> {
    await this.http.put(`/${realm}/clients/${id}`, client);
  }

  /** The internal id of the client with this client id, if there is one. */
  async findClient(realm: string, clientId: string): Promise<string | undefined> {
    const res = await this.http.get(`/${realm}/clients`, { params: { clientId } });
    return (res.data as { id: string }[])[0]?.id;
  }

  /** A client by its internal id. */
  async client(realm: string, id: string): Promise<Record<string, unknown>> {
    return (await this.http.get(`/${realm}/clients/${id}`)).data as Record<string, unknown>;
  }

  /** The client's secret. */
  async clientSecret(realm: string, id: string): Promise<string> {
    return ((await this.http.get(`/${realm}/clients/${id}/client-secret`)).data as { value: string }).value;
  }

  /** The names of a client's default or optional scopes. */
  async clientScopes(realm: string, id: string, kind: "default" | "optional"): Promise<string[]> {
    const res = await this.http.get(`/${realm}/clients/${id}/${kind}-client-scopes`);
    return (res.data as { name: string }[]).map((s) => s.name).sort();
  }

  /** Adds (`true`) or removes (`false`) an optional client scope of a client. */
  async setClientOptionalScope(realm: string, id: string, scopeId: string, present: boolean): Promise<void> {
    const path = `/${realm}/clients/${id}/optional-client-scopes/${scopeId}`;
    await (present ? this.http.put(path) : this.http.delete(path));
  }

  /** Deletes a client. */
  async deleteClient(realm: string, id: string): Promise<void> {
    await this.http.delete(`/${realm}/clients/${id}`);
  }
}
