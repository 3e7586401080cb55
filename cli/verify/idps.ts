/**
 * The client at the IdP, for the IdPs whose management API `verify` reads besides Keycloak and PingFederate
 * (verify.ts): Entra ID (Graph), Okta and Auth0; and for Google, which no API reads, the form of the client id.
 * Each finding says what to change and where; credentials never appear in one.
 */
import { CoderEnvName } from "../../src/coder-env";
import type { IdpKind } from "../../src/idps";
import { auth0Findings } from "../../idps/auth0/verify";
import type { CoderSettings, Finding } from "../../src/verify/core";
import { entraFindings } from "../../idps/entra-id/verify";
import { ok, problem, type StackConfigValues } from "../../src/verify/idp-common";
import { oktaFindings } from "../../idps/okta/verify";

/** The client checks for `idp` (none for Keycloak and PingFederate, which verify.ts checks itself). */
export async function idpClientFindings(idp: IdpKind, settings: CoderSettings, config: StackConfigValues, coderUrl: string | undefined,
  now: number = Date.now()): Promise<Finding[]> {
  const clientId = settings[CoderEnvName.ClientId];
  if (!clientId) return [];
  const context = { settings, config, coderUrl, now };
  switch (idp) {
    case "entra-id": return entraFindings(context);
    case "okta": return oktaFindings(context);
    case "auth0": return auth0Findings(context);
    case "google":
      return [/^[0-9]+-[0-9a-z]+\.apps\.googleusercontent\.com$/.test(clientId)
        ? ok("google.clientId", "CODER_OIDC_CLIENT_ID is a Google OAuth client id")
        : problem("google.clientId", `CODER_OIDC_CLIENT_ID ${clientId} is not a Google OAuth client id (<number>-<id>.apps.googleusercontent.com): copy it from the "Web application" client (coder-oidc:google.clientId)`)];
    default: return [];
  }
}
