/**
 * Okta's management API (`/api/v1`), read-only, with an API token (`Authorization: SSWS <token>`, as the okta provider's
 * `apiToken`): apps, their group assignments, a custom authorization server's policies and rules. Lists follow Okta's
 * `Link: <…>; rel="next"` cursor paging. The one Okta client: verify reads with it, adoption finds an existing app with
 * {@link OktaApi.findClientById}. Shapes: ../shared/reference/okta-management-api.schemas.json.
 */
import { jsonClient, type JsonClient } from "../../src/api-http";

/** The OIDC app fields verify reads (Okta's `OpenIdConnectApplication`). */
export interface OktaOidcApp {
  /** The app id. */
  readonly id: string;
  /** Its name as users see it. */
  readonly label?: string;
  /** `oidc_client` for an OIDC app. */
  readonly name?: string;
  /** `ACTIVE` or `INACTIVE`. */
  readonly status?: string;
  /** `OPENID_CONNECT` for an OIDC app. */
  readonly signOnMode?: string;
  /** Its client id and token endpoint authentication. */
  readonly credentials?: { readonly oauthClient?: { readonly client_id?: string; readonly token_endpoint_auth_method?: string } };
  /** Its OAuth client settings. */
  readonly settings?: {
    readonly oauthClient?: {
      readonly application_type?: string;
      readonly grant_types?: string[];
      readonly redirect_uris?: string[];
      readonly response_types?: string[];
      readonly consent_method?: string;
      readonly refresh_token?: { readonly rotation_type?: string; readonly leeway?: number };
    };
  };
}

/** An app's group assignment. */
export interface OktaGroupAssignment {
  /** The group's id. */
  readonly id?: string;
  /** Its priority among the app's groups. */
  readonly priority?: number;
}

/** A custom authorization server (the fields verify reads). */
export interface OktaAuthorizationServer {
  /** Its id (`default`, `aus…`). */
  readonly id?: string;
  /** Its name. */
  readonly name?: string;
  /** `ACTIVE` or `INACTIVE`. */
  readonly status?: string;
  /** The issuer its tokens carry. */
  readonly issuer?: string;
}

/** An authorization server policy (the fields verify reads). */
export interface OktaServerPolicy {
  /** Policy id. */
  readonly id?: string;
  /** Its name. */
  readonly name?: string;
  /** `ACTIVE` or `INACTIVE`. */
  readonly status?: string;
  /** Evaluation order, 1 first. */
  readonly priority?: number;
  /** The clients it applies to (`ALL_CLIENTS` for all). */
  readonly conditions?: { readonly clients?: { readonly include?: string[] } };
}

/** An authorization server policy rule (the fields verify reads). */
export interface OktaPolicyRule {
  /** Rule id. */
  readonly id?: string;
  /** Its name. */
  readonly name?: string;
  /** `ACTIVE` or `INACTIVE`. */
  readonly status?: string;
  /** Evaluation order, 1 first. */
  readonly priority?: number;
  /** The grant types and scopes it allows. */
  readonly conditions?: { readonly grantTypes?: { readonly include?: string[] }; readonly scopes?: { readonly include?: string[] } };
  /** The token lifetimes it sets, in minutes. */
  readonly actions?: { readonly token?: { readonly accessTokenLifetimeMinutes?: number; readonly refreshTokenLifetimeMinutes?: number; readonly refreshTokenWindowMinutes?: number } };
}

/** How to reach Okta. */
export interface OktaApiOptions {
  /** The org's URL, `https://<org>.<baseUrl>`. */
  readonly orgUrl: string;
  /** An API token (SSWS). */
  readonly apiToken: string;
}

/** Read-only Okta calls. */
export interface OktaApi {
  /** The OIDC app whose client id is `clientId` (by app id first, as Okta gives an OIDC app its client id as id; then by listing), or undefined. */
  findClientById(clientId: string): Promise<OktaOidcApp | undefined>;
  /** Every OIDC app of the org (all pages). */
  listOidcApps(): Promise<OktaOidcApp[]>;
  /** Every group assigned to an app (all pages). */
  appGroups(appId: string): Promise<OktaGroupAssignment[]>;
  /** A custom authorization server, or undefined when there is none with that id. */
  authorizationServer(authServerId: string): Promise<OktaAuthorizationServer | undefined>;
  /** A custom authorization server's policies. */
  serverPolicies(authServerId: string): Promise<OktaServerPolicy[]>;
  /** A policy's rules. */
  policyRules(authServerId: string, policyId: string): Promise<OktaPolicyRule[]>;
}

/** Okta's error body: `{errorCode, errorSummary, errorCauses}`. */
function oktaMessage(data: unknown): string | undefined {
  const e = data as { errorCode?: string; errorSummary?: string; errorCauses?: { errorSummary?: string }[] } | undefined;
  if (!e?.errorSummary) return undefined;
  const causes = (e.errorCauses ?? []).map((c) => c.errorSummary).filter(Boolean);
  return `${e.errorSummary} (${e.errorCode ?? "?"})${causes.length > 0 ? `: ${causes.join("; ")}` : ""}`;
}

/** The `rel="next"` URL of a Link header, if any. */
export function nextLink(header: unknown): string | undefined {
  const text = Array.isArray(header) ? header.join(", ") : typeof header === "string" ? header : "";
  return /<([^>]+)>\s*;\s*rel="?next"?/.exec(text)?.[1];
}

async function allPages<T>(http: JsonClient, path: string, params: Record<string, string | number>): Promise<T[]> {
  const out: T[] = [];
  let res = await http.get<T[]>(path, params);
  for (let pages = 0; ; pages++) {
    out.push(...(Array.isArray(res.data) ? res.data : []));
    const next = nextLink(res.headers.link);
    if (!next || pages >= 100) return out;
    res = await http.get<T[]>(next);
  }
}

/** An Okta client. */
export function oktaApi(options: OktaApiOptions): OktaApi {
  const http = jsonClient({
    baseUrl: options.orgUrl,
    headers: () => Promise.resolve({ Authorization: `SSWS ${options.apiToken}`, Accept: "application/json" }),
    secrets: () => [options.apiToken],
    errorMessage: oktaMessage,
  });
  const api: OktaApi = {
    async findClientById(clientId) {
      const direct = await http.get<OktaOidcApp>(`/api/v1/apps/${encodeURIComponent(clientId)}`, undefined, true);
      if (direct.status === 200 && direct.data.credentials?.oauthClient?.client_id === clientId) return direct.data;
      return (await api.listOidcApps()).find((app) => app.credentials?.oauthClient?.client_id === clientId);
    },
    listOidcApps: () => allPages<OktaOidcApp>(http, "/api/v1/apps", { filter: 'name eq "oidc_client"', limit: 200 }),
    appGroups: (appId) => allPages<OktaGroupAssignment>(http, `/api/v1/apps/${encodeURIComponent(appId)}/groups`, { limit: 200 }),
    async authorizationServer(authServerId) {
      const res = await http.get<OktaAuthorizationServer>(`/api/v1/authorizationServers/${encodeURIComponent(authServerId)}`, undefined, true);
      return res.status === 404 ? undefined : res.data;
    },
    async serverPolicies(authServerId) {
      return (await http.get<OktaServerPolicy[]>(`/api/v1/authorizationServers/${encodeURIComponent(authServerId)}/policies`)).data;
    },
    async policyRules(authServerId, policyId) {
      return (await http.get<OktaPolicyRule[]>(`/api/v1/authorizationServers/${encodeURIComponent(authServerId)}/policies/${encodeURIComponent(policyId)}/rules`)).data;
    },
  };
  return api;
}
