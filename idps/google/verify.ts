/**
 * `verify` for Google: no API reads a Google OAuth client, so the client id's form is checked, and the rest is left
 * to a person (GOOGLE_MANUAL_CHECKS).
 */
import { CoderEnvName } from "../../src/coder-env";
import type { Finding } from "../../src/verify/core";
import { ok, problem, type IdpCheckContext } from "../../src/verify/idp-common";

/** What a person checks in Google's console, which `verify` cannot read. */
export const GOOGLE_MANUAL_CHECKS = [
  "Google: check that the OAuth client is a \"Web application\" whose only redirect URI is Coder's callback, and that the consent screen asks for no scopes beyond openid, email and profile.",
] as const;

/** The form of Coder's client id: a Google OAuth client id. */
export async function googleFindings({ settings }: IdpCheckContext): Promise<Finding[]> {
  const clientId = settings[CoderEnvName.ClientId];
  if (!clientId) return [];
  return [/^[0-9]+-[0-9a-z]+\.apps\.googleusercontent\.com$/.test(clientId)
    ? ok("google.clientId", "CODER_OIDC_CLIENT_ID is a Google OAuth client id")
    : problem("google.clientId", `CODER_OIDC_CLIENT_ID ${clientId} is not a Google OAuth client id (<number>-<id>.apps.googleusercontent.com): copy it from the "Web application" client (coder-oidc:google.clientId)`)];
}
