/**
 * `verify` at Keycloak: Coder's client read over the admin API (with the stack's `keycloak:*` credentials or the
 * provider's environment variables) against what refresh tokens need.
 */
import axios, { type AxiosInstance } from "axios";
import { OFFLINE_ACCESS_SCOPE } from "../../src/coder-table";
import { CoderEnvName } from "../../src/coder-env";
import { BOUNDED, requestFailure, type Finding } from "../../src/verify/core";
import { coderCallback, configOrEnv, expectation, problem, unchecked, type IdpCheckContext, type StackConfigValues } from "../../src/verify/idp-common";

/** Admin access to Keycloak, as the Keycloak provider takes it. */
interface KeycloakAdminConfig {
  readonly url?: string;
  readonly realm: string;
  readonly clientId: string;
  readonly clientSecret?: string;
  readonly username?: string;
  readonly password?: string;
}

/** The stack's `keycloak:*` config, or the provider's environment variables (an empty value is unset). */
function keycloakAdminConfig(config: StackConfigValues): KeycloakAdminConfig {
  const get = (key: string, env: string) => configOrEnv(config, `keycloak:${key}`, env);
  return {
    url: get("url", "KEYCLOAK_URL"),
    realm: get("realm", "KEYCLOAK_REALM") ?? "master",
    clientId: get("clientId", "KEYCLOAK_CLIENT_ID") ?? "admin-cli",
    clientSecret: get("clientSecret", "KEYCLOAK_CLIENT_SECRET"),
    username: get("username", "KEYCLOAK_USER"),
    password: get("password", "KEYCLOAK_PASSWORD"),
  };
}

/** The client at Keycloak, read with admin credentials, against what refresh tokens need. */
export async function checkKeycloakClient(admin: {
  /** Keycloak's base URL. */
  readonly url: string;
  /** An admin access token for the realm's admin API. */
  readonly accessToken: string;
}, issuer: string, clientId: string, coderUrl: string | undefined, http: AxiosInstance = axios.create()): Promise<Finding[]> {
  const realm = /\/realms\/([^/]+)\/?$/.exec(issuer)?.[1];
  if (!realm) return [unchecked("keycloak.client", `CODER_OIDC_ISSUER_URL ${issuer} names no realm (…/realms/<realm>)`)];
  const api = `${admin.url.replace(/\/+$/, "")}/admin/realms/${realm}`;
  const headers = { Authorization: `Bearer ${admin.accessToken}` };
  const clients = await http.get<Record<string, unknown>[]>(`${api}/clients`, { params: { clientId }, headers, ...BOUNDED, validateStatus: () => true });
  if (clients.status !== 200) return [unchecked("keycloak.client", `GET ${api}/clients answered HTTP ${clients.status}: check the admin credentials`)];
  const client = Array.isArray(clients.data) ? clients.data[0] : undefined;
  if (!client) return [problem("keycloak.client", `realm ${realm} has no client ${clientId}: run pulumi up`)];
  const findings: Finding[] = [];
  const expect = expectation(findings, `Keycloak client ${clientId}`);
  const attributes = (client.attributes ?? {}) as Record<string, string>;
  expect("keycloak.client.confidential", client.publicClient === false, "the client is confidential", "make it confidential (Client authentication on)");
  expect("keycloak.client.standardFlow", client.standardFlowEnabled === true, "the standard flow is on", "turn the standard flow on: Coder logs in with the authorization code flow");
  expect("keycloak.client.refreshTokens", attributes["use.refresh.tokens"] !== "false", "refresh tokens are on", "turn \"Use refresh tokens\" on");
  if (coderUrl) {
    const callback = coderCallback(coderUrl);
    const uris = (client.redirectUris ?? []) as string[];
    expect("keycloak.client.redirectUri", uris.includes(callback), `Coder's callback ${callback} is a valid redirect URI`, `add ${callback} to its valid redirect URIs`);
  }
  const id = String(client.id);
  /** The names of the client's optional or default scopes (anything for an entry without one), or why they could not be read. */
  const scopeNames = async (kind: string): Promise<unknown[] | string> => {
    const url = `${api}/clients/${id}/${kind}-client-scopes`;
    const res = await http.get<unknown>(url, { headers, ...BOUNDED, validateStatus: () => true });
    if (res.status !== 200) return `GET ${url} answered HTTP ${res.status}`;
    if (!Array.isArray(res.data)) return `GET ${url} answered no list of scopes`;
    return res.data.map((scope) => (scope as { name?: unknown } | null)?.name);
  };
  const lists = [await scopeNames("optional"), await scopeNames("default")];
  const unread = lists.find((list): list is string => typeof list === "string");
  if (unread !== undefined) {
    findings.push(unchecked("keycloak.client.offlineAccess", `${unread}: check that the admin credentials may view clients (the view-clients role)`));
  } else {
    expect("keycloak.client.offlineAccess", lists.flat().includes(OFFLINE_ACCESS_SCOPE), "offline_access is one of the client's scopes",
      "add offline_access to its client scopes (optional), or Keycloak issues no offline token");
  }
  return findings;
}

/** Keycloak's client checks for `verify` (they run when Coder's settings name an issuer and a client). */
export async function keycloakFindings({ settings, config, coderUrl, masker }: IdpCheckContext): Promise<Finding[]> {
  if (!settings[CoderEnvName.IssuerUrl] || !settings[CoderEnvName.ClientId]) return [];
  const admin = keycloakAdminConfig(config);
  masker?.add(admin.clientSecret, admin.password).addUrls(admin.url);
  if (!admin.url || !(admin.clientSecret || (admin.username && admin.password))) {
    return [unchecked("keycloak.client",
      "no Keycloak admin credentials: set the stack's keycloak:* config, or KEYCLOAK_URL with KEYCLOAK_CLIENT_SECRET or KEYCLOAK_USER and KEYCLOAK_PASSWORD")];
  }
  const form: Record<string, string> = admin.clientSecret
    ? { grant_type: "client_credentials", client_id: admin.clientId, client_secret: admin.clientSecret }
    : { grant_type: "password", client_id: admin.clientId, username: admin.username!, password: admin.password! };
  const tokenUrl = `${admin.url.replace(/\/+$/, "")}/realms/${admin.realm}/protocol/openid-connect/token`;
  try {
    const res = await axios.post<{ access_token?: string }>(tokenUrl, new URLSearchParams(form), { ...BOUNDED, validateStatus: () => true });
    if (res.status !== 200 || typeof res.data?.access_token !== "string" || !res.data.access_token) {
      return [unchecked("keycloak.client", `POST ${tokenUrl} answered HTTP ${res.status}: check the Keycloak admin credentials`)];
    }
    masker?.add(res.data.access_token);
    return await checkKeycloakClient({ url: admin.url, accessToken: res.data.access_token }, settings[CoderEnvName.IssuerUrl]!, settings[CoderEnvName.ClientId]!, coderUrl);
  } catch (err) {
    return [unchecked("keycloak.client", `Keycloak's admin API did not answer: ${requestFailure(err)}`)];
  }
}

