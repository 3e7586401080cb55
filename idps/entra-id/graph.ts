/**
 * Microsoft Graph (v1.0), read-only: Coder's application by its appId, service principals, delegated permission
 * grants. Logs in with the client credentials flow at the Microsoft identity platform (`<authority>/<tenant>/oauth2/
 * v2.0/token`, scope `https://graph.microsoft.com/.default`), as the azuread provider does with a client secret.
 * The one Graph client: verify reads with it, and adoption finds an existing application with {@link GraphApi.findClientById}.
 * Shapes: ../shared/reference/microsoft-graph-v1.schemas.json.
 */
import { fetchAccessToken, jsonClient } from "../../src/api-http";

/** Graph's public base URL. */
export const GRAPH_URL = "https://graph.microsoft.com/v1.0";
/** The Microsoft identity platform's public authority. */
export const ENTRA_AUTHORITY_URL = "https://login.microsoftonline.com";

/** The application fields verify reads (Graph's `microsoft.graph.application`). */
export interface GraphApplication {
  /** The object id. */
  readonly id: string;
  /** The application (client) id. */
  readonly appId?: string | null;
  /** Its name. */
  readonly displayName?: string | null;
  /** Who may sign in: `AzureADMyOrg`, …. */
  readonly signInAudience?: string | null;
  /** "Allow public client flows". */
  readonly isFallbackPublicClient?: boolean | null;
  /** Web platform: redirect URIs and the implicit grant. */
  readonly web?: { readonly redirectUris?: string[]; readonly implicitGrantSettings?: { readonly enableAccessTokenIssuance?: boolean | null; readonly enableIdTokenIssuance?: boolean | null } | null } | null;
  /** Mobile and desktop platform. */
  readonly publicClient?: { readonly redirectUris?: string[] } | null;
  /** API permissions requested. */
  readonly requiredResourceAccess?: { readonly resourceAppId?: string; readonly resourceAccess?: { readonly id?: string; readonly type?: string | null }[] }[];
  /** Client secrets (no values: Graph never returns them). */
  readonly passwordCredentials?: { readonly displayName?: string | null; readonly keyId?: string | null; readonly startDateTime?: string | null; readonly endDateTime?: string | null }[];
}

/** The service-principal fields verify reads. */
export interface GraphServicePrincipal {
  /** The object id. */
  readonly id: string;
  /** The application id it stands for. */
  readonly appId?: string | null;
  /** Its name. */
  readonly displayName?: string | null;
}

/** A delegated permission grant (`microsoft.graph.oAuth2PermissionGrant`). */
export interface GraphPermissionGrant {
  /** The grant's id. */
  readonly id?: string;
  /** The client service principal's object id. */
  readonly clientId: string;
  /** `AllPrincipals` (admin consent for everyone) or `Principal` (one user). */
  readonly consentType?: string | null;
  /** The user, for `Principal`. */
  readonly principalId?: string | null;
  /** The resource service principal's object id (Graph's, for Coder's scopes). */
  readonly resourceId: string;
  /** The delegated scopes, space-separated. */
  readonly scope?: string | null;
}

/** How to reach Graph. */
export interface GraphApiOptions {
  /** The directory (tenant) id. */
  readonly tenantId: string;
  /** The client id of an app allowed to read applications (Application.Read.All). */
  readonly clientId: string;
  /** Its client secret. */
  readonly clientSecret: string;
  /** Graph's base URL. Default {@link GRAPH_URL}. */
  readonly graphUrl?: string;
  /** The identity platform's authority. Default {@link ENTRA_AUTHORITY_URL}. */
  readonly authorityUrl?: string;
}

/** Read-only Graph calls. */
export interface GraphApi {
  /** The application whose appId (client id) is `appId`, or undefined. */
  findClientById(appId: string): Promise<GraphApplication | undefined>;
  /** The service principal of an appId, or undefined. */
  servicePrincipalByAppId(appId: string): Promise<GraphServicePrincipal | undefined>;
  /** Every delegated permission grant whose client is the service principal `servicePrincipalId` (all pages). */
  delegatedGrants(servicePrincipalId: string): Promise<GraphPermissionGrant[]>;
}

/** Graph's error body: `{"error": {"code", "message"}}`. */
function graphMessage(data: unknown): string | undefined {
  const error = (data as { error?: { code?: string; message?: string } } | undefined)?.error;
  return error ? `${error.code ?? "error"}: ${error.message ?? ""}` : undefined;
}

const quote = (value: string) => `'${value.replace(/'/g, "''")}'`;

/** A Graph client; it logs in on its first call. */
export function graphApi(options: GraphApiOptions): GraphApi {
  let token: Promise<string> | undefined;
  let tokenValue: string | undefined;
  const secrets = () => [options.clientSecret, tokenValue];
  const login = () => (token ??= fetchAccessToken(
    `${(options.authorityUrl ?? ENTRA_AUTHORITY_URL).replace(/\/+$/, "")}/${encodeURIComponent(options.tenantId)}/oauth2/v2.0/token`,
    { grant_type: "client_credentials", client_id: options.clientId, client_secret: options.clientSecret, scope: "https://graph.microsoft.com/.default" },
    "form", [options.clientSecret]).then((t) => (tokenValue = t)));
  const http = jsonClient({
    baseUrl: options.graphUrl ?? GRAPH_URL,
    headers: async () => ({ Authorization: `Bearer ${await login()}`, Accept: "application/json" }),
    secrets,
    errorMessage: graphMessage,
  });
  return {
    async findClientById(appId) {
      const res = await http.get<GraphApplication>(`/applications(appId=${encodeURIComponent(quote(appId))})`, undefined, true);
      return res.status === 404 ? undefined : res.data;
    },
    async servicePrincipalByAppId(appId) {
      const res = await http.get<GraphServicePrincipal>(`/servicePrincipals(appId=${encodeURIComponent(quote(appId))})`, undefined, true);
      return res.status === 404 ? undefined : res.data;
    },
    async delegatedGrants(servicePrincipalId) {
      const grants: GraphPermissionGrant[] = [];
      let next: string | undefined = `/oauth2PermissionGrants?$filter=${encodeURIComponent(`clientId eq ${quote(servicePrincipalId)}`)}`;
      for (let pages = 0; next && pages < 100; pages++) {
        const res: { data: { value?: GraphPermissionGrant[]; "@odata.nextLink"?: string } } = await http.get(next);
        grants.push(...(res.data.value ?? []));
        next = res.data["@odata.nextLink"];
      }
      return grants;
    },
  };
}
