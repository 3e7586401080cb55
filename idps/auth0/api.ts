/**
 * Auth0's Management API (`/api/v2`), read-only: clients and resource servers. Authenticates with an API token
 * (`AUTH0_API_TOKEN`), or gets one with the client credentials of a Management API client (`POST /oauth/token`,
 * audience `https://<domain>/api/v2/`), as the auth0 provider does. Lists page with `page`/`per_page`/`include_totals`.
 * The one Auth0 client: verify reads with it, adoption finds an existing client with {@link Auth0Api.findClientById}.
 * Shapes: ../shared/reference/auth0-management-api.schemas.json.
 */
import { fetchAccessToken, jsonClient } from "../../src/api-http";

/** The client fields verify reads (Auth0's `Client`). */
export interface Auth0ClientView {
  /** The client id. */
  readonly client_id: string;
  /** Its name. */
  readonly name?: string;
  /** `regular_web`, `spa`, `native`, `non_interactive`. */
  readonly app_type?: string;
  /** Whether it is OIDC conformant. */
  readonly oidc_conformant?: boolean;
  /** The grants it may use. */
  readonly grant_types?: string[];
  /** Allowed callback URLs. */
  readonly callbacks?: string[];
  /** `none`, `client_secret_post`, `client_secret_basic`. */
  readonly token_endpoint_auth_method?: string;
  /** Refresh-token rotation and expiration. */
  readonly refresh_token?: {
    readonly rotation_type?: string;
    readonly expiration_type?: string;
    readonly leeway?: number;
    readonly token_lifetime?: number;
    readonly idle_token_lifetime?: number;
    readonly infinite_token_lifetime?: boolean;
    readonly infinite_idle_token_lifetime?: boolean;
  } | null;
}

/** The resource-server fields verify reads. */
export interface Auth0ResourceServerView {
  /** Its id. */
  readonly id?: string;
  /** The audience. */
  readonly identifier?: string;
  /** Its name. */
  readonly name?: string;
  /** "Allow Offline Access": whether refresh tokens are issued for it. */
  readonly allow_offline_access?: boolean;
}

/** How to reach Auth0. */
export interface Auth0ApiOptions {
  /** The tenant's domain, e.g. `example.us.auth0.com` (the Management API audience is `https://<domain>/api/v2/`). */
  readonly domain: string;
  /** The API's base URL. Default `https://<domain>/api/v2`. */
  readonly apiUrl?: string;
  /** A Management API token. */
  readonly apiToken?: string;
  /** Or the client id of a Management API client… */
  readonly clientId?: string;
  /** …and its secret. */
  readonly clientSecret?: string;
}

/** Read-only Auth0 calls. */
export interface Auth0Api {
  /** The client whose id is `clientId`, or undefined. */
  findClientById(clientId: string): Promise<Auth0ClientView | undefined>;
  /** Every client of the tenant (all pages). */
  listClients(): Promise<Auth0ClientView[]>;
  /** A resource server by id or identifier (audience), or undefined. */
  resourceServer(idOrIdentifier: string): Promise<Auth0ResourceServerView | undefined>;
}

/** Auth0's error body: `{statusCode, error, message, errorCode?}`. */
function auth0Message(data: unknown): string | undefined {
  const e = data as { error?: string; message?: string; errorCode?: string } | undefined;
  return e?.message ? `${e.message}${e.errorCode ? ` (${e.errorCode})` : ""}` : undefined;
}

/** The page size of {@link Auth0Api.listClients}: Auth0's maximum. */
export const AUTH0_PAGE_SIZE = 100;

/** An Auth0 client; with client credentials it gets a token on its first call. */
export function auth0Api(options: Auth0ApiOptions): Auth0Api {
  // jsonClient drops the base URL's trailing slashes; the token endpoint is at its origin.
  const apiUrl = options.apiUrl ?? `https://${options.domain}/api/v2`;
  let token: Promise<string> | undefined;
  let tokenValue = options.apiToken;
  const login = () => (token ??= options.apiToken ? Promise.resolve(options.apiToken)
    : fetchAccessToken(`${new URL(apiUrl).origin}/oauth/token`, {
      grant_type: "client_credentials", client_id: options.clientId ?? "", client_secret: options.clientSecret ?? "", audience: `https://${options.domain}/api/v2/`,
    }, "json", [options.clientSecret]).then((t) => (tokenValue = t)));
  const http = jsonClient({
    baseUrl: apiUrl,
    headers: async () => ({ Authorization: `Bearer ${await login()}`, Accept: "application/json" }),
    secrets: () => [options.apiToken, options.clientSecret, tokenValue],
    errorMessage: auth0Message,
  });
  return {
    async findClientById(clientId) {
      const res = await http.get<Auth0ClientView>(`/clients/${encodeURIComponent(clientId)}`, undefined, true);
      return res.status === 404 ? undefined : res.data;
    },
    async listClients() {
      const out: Auth0ClientView[] = [];
      for (let page = 0; page < 1000; page++) {
        const res = await http.get<{ clients?: Auth0ClientView[]; total?: number }>("/clients", { page, per_page: AUTH0_PAGE_SIZE, include_totals: true });
        const clients = res.data.clients ?? [];
        out.push(...clients);
        if (clients.length < AUTH0_PAGE_SIZE || out.length >= (res.data.total ?? 0)) return out;
      }
      return out;
    },
    async resourceServer(idOrIdentifier) {
      const res = await http.get<Auth0ResourceServerView>(`/resource-servers/${encodeURIComponent(idOrIdentifier)}`, undefined, true);
      return res.status === 404 ? undefined : res.data;
    },
  };
}
