/**
 * Logging in the way Coder does, from nothing but its OIDC settings: discovery from `CODER_OIDC_ISSUER_URL`
 * (whose `issuer` must equal it exactly, as go-oidc demands), scopes parsed from `CODER_OIDC_SCOPES` as Coder's
 * settings parser reads a string array (one CSV record), params from `CODER_OIDC_AUTH_URL_PARAMS` (YAML, so JSON
 * works), `access_type=offline` sent first as Coder always does, the authorization code flow with a password
 * login form driven over HTTP, and the code taken from the redirect to Coder's callback without following it.
 * The relying party is openid-client, a certified one.
 */
import { parse as parseCsv } from "csv-parse/sync";
import * as oidc from "openid-client";
import { parse as parseYaml } from "yaml";

/** Coder's OIDC settings, by their environment variable names. */
export type CoderOidcEnv = Record<string, string>;

/** `CODER_OIDC_SCOPES` as Coder reads it: one CSV record; empty → no scopes. */
export function coderScopes(value: string): string[] {
  if (value === "") return [];
  const records = parseCsv(value) as string[][];
  if (records.length !== 1) throw new Error(`CODER_OIDC_SCOPES is not one CSV record: ${JSON.stringify(value)}`);
  return records[0];
}

/** `CODER_OIDC_AUTH_URL_PARAMS` as Coder reads it: a YAML (so also JSON) map of strings. */
export function coderAuthUrlParams(value: string): Record<string, string> {
  const parsed = parseYaml(value) as unknown;
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new Error(`CODER_OIDC_AUTH_URL_PARAMS is not a map: ${JSON.stringify(value)}`);
  }
  return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)]));
}

/** The tokens of a login, and what the flow saw. */
export interface CoderLogin {
  /** The relying party's configuration (discovery result), for further grants. */
  readonly config: oidc.Configuration;
  /** The token response of the code exchange. */
  readonly tokens: oidc.TokenEndpointResponse;
  /** The scopes requested. */
  readonly scopes: string[];
  /** The authorization URL the browser was sent to. */
  readonly authorizationUrl: URL;
}

/** A cookie jar just big enough for one login. */
class Cookies {
  private readonly jar = new Map<string, string>();
  take(res: Response): void {
    for (const cookie of res.headers.getSetCookie()) {
      const [pair] = cookie.split(";");
      const eq = pair.indexOf("=");
      this.jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
  }
  header(): string {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join("; ");
  }
}

/** Runs Coder's login for `username` at the IdP of `env`; `redirectUri` is Coder's callback. */
export async function loginLikeCoder(env: CoderOidcEnv, redirectUri: string, user: { username: string; password: string }): Promise<CoderLogin> {
  const issuer = env.CODER_OIDC_ISSUER_URL;
  const discovered = await (await fetch(new URL(".well-known/openid-configuration", issuer.endsWith("/") ? issuer : `${issuer}/`))).json() as { issuer: string };
  if (discovered.issuer !== issuer) {
    throw new Error(`discovery issuer ${JSON.stringify(discovered.issuer)} is not CODER_OIDC_ISSUER_URL ${JSON.stringify(issuer)}: Coder refuses it`);
  }
  const config = await oidc.discovery(new URL(issuer), env.CODER_OIDC_CLIENT_ID, env.CODER_OIDC_CLIENT_SECRET, oidc.ClientSecretBasic(env.CODER_OIDC_CLIENT_SECRET), {
    execute: issuer.startsWith("http://") ? [oidc.allowInsecureRequests] : [],
  });
  const scopes = coderScopes(env.CODER_OIDC_SCOPES ?? "openid,profile,email");
  const state = oidc.randomState();
  const authorizationUrl = oidc.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: scopes.join(" "),
    state,
    access_type: "offline",
    ...coderAuthUrlParams(env.CODER_OIDC_AUTH_URL_PARAMS ?? '{"access_type":"offline"}'),
  });

  const cookies = new Cookies();
  const loginPage = await fetch(authorizationUrl, { redirect: "manual" });
  cookies.take(loginPage);
  const html = await loginPage.text();
  const action = /<form[^>]*id="kc-form-login"[^>]*action="([^"]+)"/.exec(html)?.[1];
  if (!action) throw new Error(`no login form at ${authorizationUrl.origin} (HTTP ${loginPage.status}):\n${html.slice(0, 500)}`);
  const submitted = await fetch(action.replace(/&amp;/g, "&"), {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: cookies.header() },
    body: new URLSearchParams({ username: user.username, password: user.password, credentialId: "" }),
  });
  const location = submitted.headers.get("location");
  if (submitted.status !== 302 || !location?.startsWith(redirectUri)) {
    throw new Error(`the login did not redirect to ${redirectUri} (HTTP ${submitted.status}, Location ${location}):\n${(await submitted.text()).slice(0, 500)}`);
  }
  const tokens = await oidc.authorizationCodeGrant(config, new URL(location), { expectedState: state });
  return { config, tokens, scopes, authorizationUrl };
}

/** The claims of a JWT, unverified (refresh tokens are the IdP's own business; this only reads them). */
export function jwtClaims(token: string): Record<string, unknown> {
  const [, payload] = token.split(".");
  if (!payload) throw new Error("not a JWT");
  return JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Record<string, unknown>;
}
