/**
 * Auth0's Management API on 127.0.0.1 for tests, below `/api/v2`, plus the tenant's `POST /oauth/token` (client
 * credentials for the Management API audience; not in the schema file, only logged). Every request and answer
 * checked against ../shared/reference/auth0-management-api.schemas.json (see api-sim): `GET /clients/{id}`,
 * `GET /clients` (`page`/`per_page`/`include_totals` paging: with totals `{start, limit, total, clients}`, else an
 * array), `GET /resource-servers/{id}` (by id or identifier). Errors are Auth0's `{statusCode, error, message}`
 * (+ `errorCode` where Auth0 sends one, e.g. `inexistent_client`); the spec documents these statuses without a body
 * schema, so 400/401/403/429 bodies are checked against its error schemas (BadRequestSchema, …).
 */
import { randomBytes } from "node:crypto";
import { loadApiSchemas } from "./api-schema";
import { type ApiSim, type SimAnswer, type SimRequest, startApiSim } from "./api-sim";

/** A client as a test sets it up; Auth0's shape with the program's values by default. */
export interface Auth0ClientSpec {
  /** `client_id`. */
  readonly clientId: string;
  /** Default `Coder`. */
  readonly name?: string;
  /** Default `regular_web`. */
  readonly appType?: string;
  /** Default true. */
  readonly oidcConformant?: boolean;
  /** Default `authorization_code`, `refresh_token`. */
  readonly grantTypes?: string[];
  /** Default Coder's callback at https://coder.example.com. */
  readonly callbacks?: string[];
  /** Default `client_secret_post`. */
  readonly tokenEndpointAuthMethod?: string;
  /** Default non-rotating, expiring after 15 days unused and 30 days at most. */
  readonly refreshToken?: { rotation_type: string; expiration_type: string; leeway?: number; idle_token_lifetime?: number; token_lifetime?: number; infinite_idle_token_lifetime?: boolean; infinite_token_lifetime?: boolean };
}

/** A running Auth0 simulator. */
export interface Auth0Sim extends ApiSim {
  /** The Management API URL, `http://127.0.0.1:<port>/api/v2`. */
  readonly apiUrl: string;
  /** A Management API token it accepts. */
  readonly apiToken: string;
  /** A Management API client's id and secret that `POST /oauth/token` accepts. */
  readonly m2m: { readonly clientId: string; readonly clientSecret: string };
  /** Adds or replaces a client. */
  putClient(client: Auth0ClientSpec): void;
  /** Adds or replaces a resource server (`identifier` is the audience). */
  putResourceServer(server: { id: string; identifier: string; name?: string; allowOfflineAccess: boolean }): void;
}

const REASONS: Record<number, string> = { 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 429: "Too Many Requests" };

function auth0Error(status: number, request: SimRequest): SimAnswer {
  const error = REASONS[status] ?? "Internal Server Error";
  if (status === 404) {
    const client = request.path.startsWith("/api/v2/clients/");
    return { status, body: { statusCode: 404, error, message: client ? "The client does not exist" : "The resource server does not exist", errorCode: client ? "inexistent_client" : "inexistent_resource_server" } };
  }
  if (status === 401) return { status, body: { statusCode: 401, error, message: "Invalid token" } };
  if (status === 429) return { status, body: { statusCode: 429, error, message: "Global limit has been reached" }, headers: { "x-ratelimit-limit": "50", "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(Math.floor(Date.now() / 1000) + 1) } };
  return { status, body: { statusCode: status, error, message: error } };
}

function clientJson(spec: Auth0ClientSpec): Record<string, unknown> {
  return {
    client_id: spec.clientId,
    tenant: "example-dev",
    name: spec.name ?? "Coder",
    description: "Coder (managed by Pulumi, coder-oidc)",
    global: false,
    app_type: spec.appType ?? "regular_web",
    is_first_party: true,
    oidc_conformant: spec.oidcConformant ?? true,
    callbacks: spec.callbacks ?? ["https://coder.example.com/api/v2/users/oidc/callback"],
    allowed_origins: ["https://coder.example.com"],
    grant_types: spec.grantTypes ?? ["authorization_code", "refresh_token"],
    jwt_configuration: { alg: "RS256", lifetime_in_seconds: 36000, secret_encoded: false },
    token_endpoint_auth_method: spec.tokenEndpointAuthMethod ?? "client_secret_post",
    cross_origin_authentication: false,
    sso_disabled: false,
    custom_login_page_on: true,
    refresh_token: spec.refreshToken ?? {
      rotation_type: "non-rotating", expiration_type: "expiring", leeway: 0,
      idle_token_lifetime: 1296000, infinite_idle_token_lifetime: false, token_lifetime: 2592000, infinite_token_lifetime: false,
    },
  };
}

/** Starts the simulator. */
export async function startAuth0Sim(): Promise<Auth0Sim> {
  const apiToken = `eyJ${randomBytes(24).toString("base64url")}`;
  const m2m = { clientId: `m2m${randomBytes(8).toString("hex")}`, clientSecret: `sec-${randomBytes(16).toString("base64url")}` };
  const issued = new Set<string>([apiToken]);
  const clients = new Map<string, Auth0ClientSpec>();
  const servers = new Map<string, { id: string; identifier: string; name?: string; allowOfflineAccess: boolean }>();
  const schemas = loadApiSchemas("auth0-management-api", {
    errorSchemas: { 400: "BadRequestSchema", 401: "UnauthorizedSchema", 403: "ForbiddenSchema", 429: "TooManyRequestsSchema" },
  });
  const sim = await startApiSim({
    // The schema file's paths carry the /api/v2 prefix.
    basePath: "",
    schemas,
    outside: (method, path) => method === "POST" && path === "/oauth/token",
    error: auth0Error,
    handle: (request) => {
      if (request.path === "/oauth/token") {
        const body = JSON.parse(request.text || "{}") as Record<string, string>;
        if (body.grant_type !== "client_credentials" || body.client_id !== m2m.clientId || body.client_secret !== m2m.clientSecret || !/\/api\/v2\/$/.test(body.audience ?? "")) {
          return { status: 401, body: { error: "access_denied", error_description: "Unauthorized" } };
        }
        const token = `eyJ${randomBytes(24).toString("base64url")}`;
        issued.add(token);
        return { status: 200, body: { access_token: token, token_type: "Bearer", expires_in: 86400, scope: "read:clients read:resource_servers" } };
      }
      const bearer = /^Bearer (.+)$/.exec(String(request.headers.authorization ?? ""))?.[1];
      if (!bearer || !issued.has(bearer)) return auth0Error(401, request);
      switch (request.operation) {
        case "GET /api/v2/clients/{id}": {
          const client = clients.get(request.params.id);
          return client ? { status: 200, body: clientJson(client) } : auth0Error(404, request);
        }
        case "GET /api/v2/clients": {
          const page = Number(request.query.get("page") ?? 0);
          const perPage = Number(request.query.get("per_page") ?? 50);
          const all = [...clients.values()].map(clientJson);
          const slice = all.slice(page * perPage, page * perPage + perPage);
          return { status: 200, body: request.query.get("include_totals") === "true" ? { start: page * perPage, limit: perPage, total: all.length, clients: slice } : slice };
        }
        case "GET /api/v2/resource-servers/{id}": {
          const server = [...servers.values()].find((s) => s.id === request.params.id || s.identifier === request.params.id);
          if (!server) return auth0Error(404, request);
          return { status: 200, body: {
            id: server.id, name: server.name ?? server.identifier, is_system: false, identifier: server.identifier, scopes: [], signing_alg: "RS256",
            allow_offline_access: server.allowOfflineAccess, skip_consent_for_verifiable_first_party_clients: true, token_lifetime: 86400, token_lifetime_for_web: 7200, token_dialect: "access_token",
          } };
        }
        default:
          return auth0Error(404, request);
      }
    },
  });
  return {
    ...sim,
    apiUrl: `${sim.origin}/api/v2`,
    apiToken,
    m2m,
    putClient: (client) => void clients.set(client.clientId, client),
    putResourceServer: (server) => void servers.set(server.id, server),
  };
}
