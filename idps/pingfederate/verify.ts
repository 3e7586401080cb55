/**
 * `verify` at PingFederate: Coder's OAuth client read over the admin API, with the stack's `coder-oidc:pingfederate`
 * connection and credentials (or PINGFEDERATE_ADMIN_*), against what refresh tokens need.
 */
import { OFFLINE_ACCESS_SCOPE } from "../../src/coder-table";
import { CoderEnvName } from "../../src/coder-env";
import { pemFromConfig } from "../../src/project-paths";
import type { Finding } from "../../src/verify/core";
import { coderCallback, expectation, listOf, problem, unchecked, type IdpCheckContext } from "../../src/verify/idp-common";
import { pfAdminApi } from "./admin-api";
import { pingfederateSchema, type PingFederateSettings } from "./config";

/** What a person checks at PingFederate, which `verify` cannot read. */
export const PINGFEDERATE_MANUAL_CHECKS = [
  "PingFederate: check that the access token manager's lifetime is shorter than the client's refresh idle timeout.",
] as const;

/** The PingFederate client as the admin API returns it (the fields `verify` reads). */
export interface PfClientView {
  readonly grantTypes?: readonly string[];
  readonly redirectUris?: readonly string[];
  readonly restrictScopes?: boolean;
  readonly restrictedScopes?: readonly string[];
  readonly clientAuth?: { readonly type?: string };
  readonly refreshRolling?: string;
}

/** The client at PingFederate (read over its admin API) against what refresh tokens need. */
export function checkPingFederateClient(clientId: string, client: PfClientView | undefined, coderUrl: string | undefined): Finding[] {
  if (!client) return [problem("pingfederate.client", `PingFederate has no OAuth client ${clientId}: run pulumi up`)];
  const findings: Finding[] = [];
  const expect = expectation(findings, `PingFederate client ${clientId}`);
  const grants = client.grantTypes ?? [];
  expect("pingfederate.client.grants", grants.includes("AUTHORIZATION_CODE") && grants.includes("REFRESH_TOKEN"),
    "the authorization code and refresh token grants are allowed",
    `allow the ${["AUTHORIZATION_CODE", "REFRESH_TOKEN"].filter((g) => !grants.includes(g)).join(" and ")} grant (it has ${listOf(grants)})`);
  if (client.restrictScopes) {
    expect("pingfederate.client.offlineAccess", (client.restrictedScopes ?? []).includes(OFFLINE_ACCESS_SCOPE),
      "offline_access is among the client's restricted scopes", "add offline_access to its restricted scopes");
  }
  const authentication = client.clientAuth?.type;
  expect("pingfederate.client.authentication", authentication !== undefined && authentication !== "NONE",
    `the client authenticates (${authentication})`, "give it client authentication (a secret): Coder sends CODER_OIDC_CLIENT_SECRET");
  if (coderUrl) {
    const callback = coderCallback(coderUrl);
    expect("pingfederate.client.redirectUri", (client.redirectUris ?? []).includes(callback),
      `Coder's callback ${callback} is a redirect URI`, `add ${callback} to its redirect URIs`);
  }
  return findings;
}

/** The client at PingFederate, read with the stack's `pingfederate.*` connection and credentials (or PINGFEDERATE_ADMIN_*). */
export async function pingFederateFindings({ settings, config, coderUrl, projectDir, masker }: IdpCheckContext): Promise<Finding[]> {
  if (!settings[CoderEnvName.ClientId]) return [];
  const raw = config["coder-oidc:pingfederate"]?.value;
  if (!raw) {
    return [unchecked("pingfederate.client", "verify reads the PingFederate client with the stack's coder-oidc:pingfederate config: give --stack")];
  }
  let written: unknown;
  try {
    written = JSON.parse(raw);
  } catch {
    return [unchecked("pingfederate.client", "the stack's coder-oidc:pingfederate config is not JSON")];
  }
  // Each field read through the section's own schema (./config.ts), as the program reads it: one owner of its fields.
  // A field that does not pass is left out, and what it leaves missing is a finding below.
  const fields = typeof written === "object" && written !== null ? written as Record<string, unknown> : {};
  const field = <K extends "caCertificate" | "insecureSkipTlsVerify" | "username" | "password" | "token">(key: K) => {
    const result = pingfederateSchema.shape[key].safeParse(fields[key]);
    return result.success ? result.data as PingFederateSettings[K] : undefined;
  };
  const pf = {
    // The address as written: verify reads what is deployed, and the plan already judged its form (https).
    adminUrl: typeof fields.adminUrl === "string" && fields.adminUrl.trim() !== "" ? fields.adminUrl.trim() : undefined,
    caCertificate: field("caCertificate"), insecureSkipTlsVerify: field("insecureSkipTlsVerify"),
    username: field("username"), password: field("password"), token: field("token"),
  };
  if (pf.adminUrl === undefined) {
    return [unchecked("pingfederate.client", "the stack's coder-oidc:pingfederate.adminUrl is missing: verify reads the PingFederate client through the admin API it names")];
  }
  masker?.add(pf.password, pf.token).addUrls(pf.adminUrl);
  const credentials = pf.token ? { kind: "bearer" as const, token: pf.token }
    : pf.username && pf.password ? { kind: "basic" as const, username: pf.username, password: pf.password } : undefined;
  let api: ReturnType<typeof pfAdminApi> | undefined;
  try {
    // Inside the try: missing credentials or a bad CA file are findings, not a crash.
    // A CA path is relative to the project root, as it is for `pulumi up`.
    const caCertificate = pf.caCertificate === undefined ? undefined : pemFromConfig("coder-oidc:pingfederate.caCertificate", pf.caCertificate, projectDir);
    api = pfAdminApi({ adminUrl: pf.adminUrl, caCertificate, insecureSkipTlsVerify: pf.insecureSkipTlsVerify, credentials, retry: { maxAttempts: 2, totalTimeMs: 15_000 } });
    const clientId = settings[CoderEnvName.ClientId]!;
    return checkPingFederateClient(clientId, await api.getClient(clientId), coderUrl);
  } catch (err) {
    return [unchecked("pingfederate.client", err instanceof Error ? err.message : String(err))];
  } finally {
    api?.close();
  }
}

