/**
 * Okta's management API on 127.0.0.1 for tests: the org URL is the simulator's origin. Serves what verify reads,
 * every request and answer checked against ../shared/reference/okta-management-api.schemas.json (see api-sim):
 * `GET /api/v1/apps` (filter `name eq "oidc_client"`, cursor paging with `after` and `limit`, `Link` headers),
 * `GET /api/v1/apps/{appId}`, `GET /api/v1/apps/{appId}/groups` (paged the same way), and a custom authorization
 * server's `policies` and `policies/{id}/rules`. `Authorization: SSWS <token>` required; errors are Okta's
 * (`E0000011` 401, `E0000007` 404, `E0000047` 429 with `X-Rate-Limit-*`), with the spec's examples' wording.
 * Okta's 401 is not in the spec's per-operation errors; it is checked against the spec's `Error` schema.
 *
 * `echoToken`: a 401 whose errorSummary repeats the Authorization header, as a misconfigured proxy might (for
 * tests that prove the token never gets printed).
 */
import { randomBytes } from "node:crypto";
import { loadApiSchemas } from "./api-schema";
import { type ApiSim, type SimAnswer, type SimRequest, startApiSim } from "./api-sim";

/** What a test sets on an OIDC app; everything else is Okta's shape with the program's values. */
export interface OktaAppSpec {
  /** `credentials.oauthClient.client_id`. */
  readonly clientId: string;
  /** App id; Okta gives an OIDC app its client id as id unless a client id was chosen. Default: the client id. */
  readonly id?: string;
  /** Default `Coder`. */
  readonly label?: string;
  /** Default `ACTIVE`. */
  readonly status?: "ACTIVE" | "INACTIVE";
  /** `settings.oauthClient.application_type`; default `web`. */
  readonly applicationType?: "web" | "browser" | "native" | "service";
  /** Default `authorization_code`, `refresh_token`. */
  readonly grantTypes?: string[];
  /** Default Coder's callback at https://coder.example.com. */
  readonly redirectUris?: string[];
  /** Default `client_secret_basic`. */
  readonly tokenEndpointAuthMethod?: string;
  /** Default `TRUSTED`. */
  readonly consentMethod?: "TRUSTED" | "REQUIRED";
  /** `refresh_token.rotation_type`; default `STATIC`. */
  readonly rotation?: "STATIC" | "ROTATE";
  /** `refresh_token.leeway`; absent by default (Okta's default, 30, applies). */
  readonly leeway?: number;
  /** Group ids assigned. */
  readonly groups?: string[];
}

/** A policy with its rules on a custom authorization server. */
export interface OktaPolicySpec {
  /** Policy id. */
  readonly id: string;
  /** Default: its id. */
  readonly name?: string;
  /** Default `ACTIVE`. */
  readonly status?: "ACTIVE" | "INACTIVE";
  /** Client ids, or `ALL_CLIENTS`. */
  readonly clients: string[];
  /** Its rules, in priority order; lifetimes default to 60 min access, 10080 min refresh window, unlimited. */
  readonly rules: {
    readonly id: string;
    readonly status?: "ACTIVE" | "INACTIVE";
    readonly grantTypes: string[];
    readonly scopes: string[];
    readonly accessTokenLifetimeMinutes?: number;
    readonly refreshTokenWindowMinutes?: number;
    readonly refreshTokenLifetimeMinutes?: number;
  }[];
}

/** A running Okta simulator. */
export interface OktaSim extends ApiSim {
  /** The org URL (`http://127.0.0.1:<port>`). */
  readonly orgUrl: string;
  /** The accepted API token. */
  readonly apiToken: string;
  /** Adds or replaces an OIDC app. */
  putApp(app: OktaAppSpec): void;
  /** Adds or replaces an authorization server (active by default) and its policies. */
  putServer(authServerId: string, policies: OktaPolicySpec[], status?: "ACTIVE" | "INACTIVE"): void;
}

const STAMP = "2026-12-01T10:00:00.000Z";

function oktaError(status: number, request: SimRequest, echo: boolean): SimAnswer {
  const errorId = `oae${randomBytes(9).toString("base64url")}`;
  const body = (errorCode: string, errorSummary: string) => ({ errorCode, errorSummary, errorLink: errorCode, errorId, errorCauses: [] });
  switch (status) {
    case 401: return { status, body: body("E0000011", `Invalid token provided${echo ? `: ${String(request.headers.authorization ?? "")}` : ""}`) };
    case 403: return { status, body: body("E0000006", "You do not have permission to perform the requested action") };
    case 404: return { status, body: body("E0000007", `Not found: Resource not found: ${request.path.split("/").pop() ?? ""} (AppInstance)`) };
    case 429: return { status, body: body("E0000047", "API call exceeded rate limit due to too many requests."), headers: { "x-rate-limit-limit": "100", "x-rate-limit-remaining": "0", "x-rate-limit-reset": String(Math.floor(Date.now() / 1000) + 1) } };
    default: return { status, body: body("E0000009", "Internal Server Error") };
  }
}

function appJson(spec: OktaAppSpec, orgUrl: string): Record<string, unknown> {
  const id = spec.id ?? spec.clientId;
  const rotation = spec.rotation ?? "STATIC";
  return {
    id,
    name: "oidc_client",
    label: spec.label ?? "Coder",
    status: spec.status ?? "ACTIVE",
    signOnMode: "OPENID_CONNECT",
    created: STAMP,
    lastUpdated: STAMP,
    accessibility: { selfService: false },
    visibility: { autoSubmitToolbar: false, hide: { iOS: true, web: true } },
    features: [],
    credentials: {
      userNameTemplate: { template: "${source.login}", type: "BUILT_IN" },
      oauthClient: { autoKeyRotation: true, client_id: spec.clientId, token_endpoint_auth_method: spec.tokenEndpointAuthMethod ?? "client_secret_basic" },
    },
    settings: {
      app: {},
      oauthClient: {
        application_type: spec.applicationType ?? "web",
        consent_method: spec.consentMethod ?? "TRUSTED",
        grant_types: spec.grantTypes ?? ["authorization_code", "refresh_token"],
        redirect_uris: spec.redirectUris ?? ["https://coder.example.com/api/v2/users/oidc/callback"],
        response_types: ["code"],
        issuer_mode: "DYNAMIC",
        refresh_token: spec.leeway === undefined ? { rotation_type: rotation } : { rotation_type: rotation, leeway: spec.leeway },
      },
    },
    _links: { self: { href: `${orgUrl}/api/v1/apps/${id}` } },
  };
}

/** Starts the simulator. `pageSize` caps every page (to make tests page). */
export async function startOktaSim(options: { apiToken?: string; pageSize?: number; echoToken?: boolean } = {}): Promise<OktaSim> {
  const apiToken = options.apiToken ?? `00${randomBytes(20).toString("base64url")}`;
  const specs = new Map<string, OktaAppSpec>();
  const servers = new Map<string, OktaPolicySpec[]>();
  const inactiveServers = new Set<string>();
  const schemas = loadApiSchemas("okta-management-api", { commonErrors: { 401: "Error" } });
  let orgUrl = "";
  const error = (status: number, request: SimRequest) => oktaError(status, request, options.echoToken ?? false);

  /** One page of `items` after the cursor, with Okta's Link headers. */
  const paged = <T extends { id: string }>(request: SimRequest, items: T[], json: (item: T) => unknown): SimAnswer => {
    const limit = Math.min(Number(request.query.get("limit") ?? 20) || 20, 200, options.pageSize ?? 200);
    const after = request.query.get("after");
    const start = after ? items.findIndex((i) => i.id === after) + 1 : 0;
    const slice = items.slice(start, start + limit);
    const link = (query: URLSearchParams, rel: string) => `<${orgUrl}${request.path}?${query}>; rel="${rel}"`;
    const links = [link(request.query, "self")];
    if (start + limit < items.length) {
      const next = new URLSearchParams(request.query);
      next.set("after", slice[slice.length - 1].id);
      links.push(link(next, "next"));
    }
    return { status: 200, body: slice.map(json), headers: { link: links.join(", ") } };
  };

  const sim = await startApiSim({
    basePath: "",
    schemas,
    error,
    handle: (request) => {
      if (request.headers.authorization !== `SSWS ${apiToken}`) return error(401, request);
      const apps = [...specs.values()].map((s) => ({ id: s.id ?? s.clientId, spec: s }));
      switch (request.operation) {
        case "GET /api/v1/apps": {
          const filter = request.query.get("filter");
          if (filter !== null && filter !== 'name eq "oidc_client"') {
            return { status: 400, body: { errorCode: "E0000031", errorSummary: "Invalid search criteria.", errorLink: "E0000031", errorId: "oae1", errorCauses: [] } };
          }
          return paged(request, apps, (a) => appJson(a.spec, orgUrl));
        }
        case "GET /api/v1/apps/{appId}": {
          const app = apps.find((a) => a.id === request.params.appId);
          return app ? { status: 200, body: appJson(app.spec, orgUrl) } : error(404, request);
        }
        case "GET /api/v1/apps/{appId}/groups": {
          const app = apps.find((a) => a.id === request.params.appId);
          if (!app) return error(404, request);
          return paged(request, (app.spec.groups ?? []).map((id) => ({ id })), (g) => ({ id: g.id, priority: 0, lastUpdated: STAMP, _links: { group: { href: `${orgUrl}/api/v1/groups/${g.id}` } } }));
        }
        case "GET /api/v1/authorizationServers/{authServerId}": {
          const id = request.params.authServerId;
          if (!servers.has(id)) return error(404, request);
          return { status: 200, body: {
            id, name: id, description: `Authorization server ${id}`, audiences: ["api://default"], issuer: `${orgUrl}/oauth2/${id}`, issuerMode: "ORG_URL",
            status: inactiveServers.has(id) ? "INACTIVE" : "ACTIVE", created: STAMP, lastUpdated: STAMP,
          } };
        }
        case "GET /api/v1/authorizationServers/{authServerId}/policies": {
          const policies = servers.get(request.params.authServerId);
          if (!policies) return error(404, request);
          return { status: 200, body: policies.map((p, i) => ({
            id: p.id, type: "OAUTH_AUTHORIZATION_POLICY", name: p.name ?? p.id, description: p.name ?? p.id, priority: i + 1,
            status: p.status ?? "ACTIVE", system: false, conditions: { clients: { include: p.clients } }, created: STAMP, lastUpdated: STAMP,
          })) };
        }
        case "GET /api/v1/authorizationServers/{authServerId}/policies/{policyId}/rules": {
          const policy = servers.get(request.params.authServerId)?.find((p) => p.id === request.params.policyId);
          if (!policy) return error(404, request);
          return { status: 200, body: policy.rules.map((r, i) => ({
            id: r.id, name: r.id, type: "RESOURCE_ACCESS", priority: i + 1, status: r.status ?? "ACTIVE", system: false, created: STAMP, lastUpdated: STAMP,
            conditions: { grantTypes: { include: r.grantTypes }, scopes: { include: r.scopes }, people: { groups: { include: ["EVERYONE"] } } },
            actions: { token: { accessTokenLifetimeMinutes: r.accessTokenLifetimeMinutes ?? 60, refreshTokenWindowMinutes: r.refreshTokenWindowMinutes ?? 10080, refreshTokenLifetimeMinutes: r.refreshTokenLifetimeMinutes ?? 0 } },
          })) };
        }
        default:
          return error(404, request);
      }
    },
  });
  orgUrl = sim.origin;
  return {
    ...sim,
    orgUrl,
    apiToken,
    putApp: (app) => void specs.set(app.id ?? app.clientId, app),
    putServer: (id, policies, status = "ACTIVE") => {
      servers.set(id, policies);
      if (status === "INACTIVE") inactiveServers.add(id);
      else inactiveServers.delete(id);
    },
  };
}
