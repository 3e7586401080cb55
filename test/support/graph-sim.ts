/**
 * Microsoft Graph v1.0 on 127.0.0.1 for tests, below `/v1.0`, plus the identity platform's token endpoint
 * (`POST /<tenant>/oauth2/v2.0/token`, client credentials; not in the schema file, only logged): the simulator's
 * origin is both the Graph host and the authority. Every request and answer is checked against
 * ../shared/reference/microsoft-graph-v1.schemas.json (see api-sim): `GET /applications(appId='…')`,
 * `GET /servicePrincipals(appId='…')`, `GET /oauth2PermissionGrants?$filter=clientId eq '…'` (paged with `$top` and
 * `@odata.nextLink`, whose `$skiptoken` the converted spec does not list; allowed by name). Errors are Graph's
 * ODataError (`Request_ResourceNotFound` 404, `InvalidAuthenticationToken` 401, `Authorization_RequestDenied` 403,
 * `TooManyRequests` 429 with `Retry-After`). The converted schemas require `@odata.type` on every entity and complex
 * value, so the simulator writes it.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { loadApiSchemas } from "./api-schema";
import { type ApiSim, type SimAnswer, type SimRequest, startApiSim } from "./api-sim";

/** Microsoft Graph's appId. */
export const GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000";
/** Graph's delegated scope ids Coder needs (learn.microsoft.com permissions reference). */
export const GRAPH_SCOPE_IDS = {
  openid: "37f7f235-527c-4136-accd-4a02d197296e",
  profile: "14dad69e-099b-42c9-810b-d002981feec1",
  email: "64a6cdd6-aab1-4aaf-94b8-3cc8405e90d0",
  offline_access: "7427e0e9-2fba-42fe-b0c0-848c9e6a8182",
};

/** Coder's app registration as a test sets it up; the program's values by default. */
export interface GraphAppSpec {
  /** The application (client) id. */
  readonly appId: string;
  /** Default `AzureADMyOrg`. */
  readonly signInAudience?: string;
  /** `web.redirectUris`; default Coder's callback at https://coder.example.com. */
  readonly redirectUris?: string[];
  /** `web.implicitGrantSettings.enableIdTokenIssuance`; default false. */
  readonly implicitIdTokens?: boolean;
  /** `web.implicitGrantSettings.enableAccessTokenIssuance`; default false. */
  readonly implicitAccessTokens?: boolean;
  /** `isFallbackPublicClient`; default false. */
  readonly fallbackPublicClient?: boolean;
  /** `publicClient.redirectUris`; default none. */
  readonly publicClientRedirectUris?: string[];
  /** Graph delegated scopes requested, by name. */
  readonly scopes?: (keyof typeof GRAPH_SCOPE_IDS)[];
  /** Client secrets' end dates (ISO). Default: one ending in a year. */
  readonly passwordEnds?: string[];
  /** Whether it has a service principal. Default true. */
  readonly servicePrincipal?: boolean;
  /** Scopes of the tenant-wide delegated grant to Graph; undefined: none. */
  readonly consented?: string[];
}

/** A running Graph simulator. */
export interface GraphSim extends ApiSim {
  /** Graph's base URL, `http://127.0.0.1:<port>/v1.0`. */
  readonly graphUrl: string;
  /** The authority, `http://127.0.0.1:<port>`. */
  readonly authorityUrl: string;
  /** The tenant it answers for. */
  readonly tenantId: string;
  /** The client id and secret its token endpoint accepts. */
  readonly login: { readonly clientId: string; readonly clientSecret: string };
  /** Adds or replaces an app registration (and its service principal and grant). */
  putApp(app: GraphAppSpec): void;
  /** Adds `count` unrelated grants to the app's service principal before its own (to make paging happen). */
  padGrants(appId: string, count: number): void;
}

const odata = (type: string, value: Record<string, unknown>) => ({ "@odata.type": `#microsoft.graph.${type}`, ...value });

function graphError(status: number, request: SimRequest): SimAnswer {
  const body = (code: string, message: string) => ({ error: { code, message, innerError: odata("ODataErrors.InnerError", { date: new Date().toISOString().replace(/\.\d+Z$/, "Z"), "request-id": randomUUID(), "client-request-id": randomUUID() }) } });
  switch (status) {
    case 401: return { status, body: body("InvalidAuthenticationToken", "Access token validation failure. Invalid audience.") };
    case 403: return { status, body: body("Authorization_RequestDenied", "Insufficient privileges to complete the operation.") };
    case 404: return { status, body: body("Request_ResourceNotFound", `Resource '${decodeURIComponent(request.path.replace(/^.*\(appId='([^']*)'\)$/, "$1"))}' does not exist or one of its queried reference-property objects are not present.`) };
    case 429: return { status, body: body("TooManyRequests", "Too many requests."), headers: { "retry-after": "1" } };
    default: return { status, body: body("generalException", "General exception while processing.") };
  }
}

/** Starts the simulator. `pageSize` caps each page of grants. */
export async function startGraphSim(options: { pageSize?: number } = {}): Promise<GraphSim> {
  const tenantId = randomUUID();
  const login = { clientId: randomUUID(), clientSecret: `gr~${randomBytes(18).toString("base64url")}` };
  const tokens = new Set<string>();
  const apps = new Map<string, { spec: GraphAppSpec; id: string; spId: string; pad: number }>();
  const graphSpId = randomUUID();
  const schemas = loadApiSchemas("microsoft-graph-v1", { extraQuery: ["$skiptoken"] });

  const appJson = ({ spec, id }: { spec: GraphAppSpec; id: string }) => odata("application", {
    id, appId: spec.appId, displayName: "Coder", signInAudience: spec.signInAudience ?? "AzureADMyOrg",
    isFallbackPublicClient: spec.fallbackPublicClient ?? false,
    web: odata("webApplication", {
      redirectUris: spec.redirectUris ?? ["https://coder.example.com/api/v2/users/oidc/callback"],
      implicitGrantSettings: odata("implicitGrantSettings", { enableAccessTokenIssuance: spec.implicitAccessTokens ?? false, enableIdTokenIssuance: spec.implicitIdTokens ?? false }),
    }),
    publicClient: odata("publicClientApplication", { redirectUris: spec.publicClientRedirectUris ?? [] }),
    requiredResourceAccess: [odata("requiredResourceAccess", {
      resourceAppId: GRAPH_APP_ID,
      resourceAccess: (spec.scopes ?? ["openid", "profile", "email", "offline_access"]).map((s) => odata("resourceAccess", { id: GRAPH_SCOPE_IDS[s], type: "Scope" })),
    })],
    passwordCredentials: (spec.passwordEnds ?? [new Date(Date.now() + 365 * 86_400_000).toISOString()]).map((end, i) => odata("passwordCredential", {
      displayName: `Coder OIDC client secret (${i})`, keyId: randomUUID(), startDateTime: "2026-01-01T00:00:00Z", endDateTime: end, hint: "abc", secretText: null, customKeyIdentifier: null,
    })),
  });

  const sim = await startApiSim({
    basePath: "/v1.0",
    schemas,
    outside: (method, path) => method === "POST" && path === `/${tenantId}/oauth2/v2.0/token`,
    error: graphError,
    handle: (request) => {
      if (request.operation === undefined && request.path.endsWith("/oauth2/v2.0/token")) {
        const form = new URLSearchParams(request.text);
        if (form.get("grant_type") !== "client_credentials" || form.get("client_id") !== login.clientId || form.get("client_secret") !== login.clientSecret) {
          return { status: 401, body: { error: "invalid_client", error_description: "AADSTS7000215: Invalid client secret provided." } };
        }
        if (form.get("scope") !== "https://graph.microsoft.com/.default") return { status: 400, body: { error: "invalid_scope", error_description: "AADSTS70011: The provided value for scope is not valid." } };
        const token = `eyJ0${randomBytes(24).toString("base64url")}`;
        tokens.add(token);
        return { status: 200, body: { token_type: "Bearer", expires_in: 3599, ext_expires_in: 3599, access_token: token } };
      }
      const bearer = /^Bearer (.+)$/.exec(String(request.headers.authorization ?? ""))?.[1];
      if (!bearer || !tokens.has(bearer)) return graphError(401, request);
      switch (request.operation) {
        case "GET /applications(appId='{appId}')": {
          const app = apps.get(request.params.appId);
          return app ? { status: 200, body: appJson(app) } : graphError(404, request);
        }
        case "GET /servicePrincipals(appId='{appId}')": {
          if (request.params.appId === GRAPH_APP_ID) return { status: 200, body: odata("servicePrincipal", { id: graphSpId, appId: GRAPH_APP_ID, displayName: "Microsoft Graph" }) };
          const app = apps.get(request.params.appId);
          if (!app || app.spec.servicePrincipal === false) return graphError(404, request);
          return { status: 200, body: odata("servicePrincipal", { id: app.spId, appId: app.spec.appId, displayName: "Coder" }) };
        }
        case "GET /oauth2PermissionGrants": {
          const clientId = /^clientId eq '([^']*)'$/.exec(request.query.get("$filter") ?? "")?.[1];
          if (!clientId) return { status: 400, body: { error: { code: "Request_UnsupportedQuery", message: "Unsupported or invalid query filter clause specified for property 'clientId' of resource 'OAuth2PermissionGrant'." } } };
          const app = [...apps.values()].find((a) => a.spId === clientId);
          const grants: Record<string, unknown>[] = [];
          if (app) {
            for (let i = 0; i < app.pad; i++) grants.push(odata("oAuth2PermissionGrant", { id: `pad${i}`, clientId, consentType: "Principal", principalId: randomUUID(), resourceId: randomUUID(), scope: "User.Read" }));
            if (app.spec.consented) grants.push(odata("oAuth2PermissionGrant", { id: `grant-${app.id}`, clientId, consentType: "AllPrincipals", principalId: null, resourceId: graphSpId, scope: app.spec.consented.join(" ") }));
          }
          const top = Math.min(Number(request.query.get("$top") ?? 100) || 100, options.pageSize ?? 100);
          const skip = Number(request.query.get("$skiptoken") ?? 0);
          const slice = grants.slice(skip, skip + top);
          const next = new URLSearchParams(request.query);
          next.set("$skiptoken", String(skip + top));
          return { status: 200, body: {
            "@odata.context": `${sim.url}/$metadata#oauth2PermissionGrants`, value: slice,
            ...(skip + top < grants.length ? { "@odata.nextLink": `${sim.url}/oauth2PermissionGrants?${next}` } : {}),
          } };
        }
        default:
          return graphError(404, request);
      }
    },
  });
  return {
    ...sim,
    graphUrl: sim.url,
    authorityUrl: sim.origin,
    tenantId,
    login,
    putApp: (spec) => {
      const old = apps.get(spec.appId);
      apps.set(spec.appId, { spec, id: old?.id ?? randomUUID(), spId: old?.spId ?? randomUUID(), pad: old?.pad ?? 0 });
    },
    padGrants: (appId, count) => { apps.get(appId)!.pad = count; },
  };
}
