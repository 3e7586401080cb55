/**
 * Logging in the way Coder does, from nothing but its OIDC settings: discovery from `CODER_OIDC_ISSUER_URL`
 * (whose `issuer` must equal it exactly, as go-oidc demands), scopes parsed from `CODER_OIDC_SCOPES` as Coder's
 * settings parser reads a string array (one CSV record), params from `CODER_OIDC_AUTH_URL_PARAMS` (YAML, so JSON
 * works), `access_type=offline` sent first as Coder always does, the authorization code flow with a password
 * login form driven over HTTP, and the code taken from the redirect to Coder's callback without following it.
 * The relying party is openid-client, a certified one.
 */
import * as oidc from "openid-client";
import { parseCoderAuthUrlParams, parseCoderScopes } from "../../src/coder-settings";

/** Coder's OIDC settings, by their environment variable names. */
export type CoderOidcEnv = Record<string, string>;

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
  get(name: string): string | undefined {
    return this.jar.get(name);
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
  const scopes = parseCoderScopes(env.CODER_OIDC_SCOPES ?? "openid,profile,email");
  const state = oidc.randomState();
  const authorizationUrl = oidc.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: scopes.join(" "),
    state,
    access_type: "offline",
    ...(parseCoderAuthUrlParams(env.CODER_OIDC_AUTH_URL_PARAMS ?? '{"access_type":"offline"}') ?? {}),
  });

  const location = await keycloakPasswordLogin(authorizationUrl, user, redirectUri);
  const tokens = await oidc.authorizationCodeGrant(config, new URL(location), { expectedState: state });
  return { config, tokens, scopes, authorizationUrl };
}

/**
 * Logs `user` in at Keycloak's login form, starting from an authorization URL, and returns the redirect to
 * `redirectUri` (with the code), without following it.
 */
export async function keycloakPasswordLogin(authorizationUrl: URL | string, user: { username: string; password: string }, redirectUri: string): Promise<string> {
  const cookies = new Cookies();
  const loginPage = await fetch(authorizationUrl, { redirect: "manual" });
  cookies.take(loginPage);
  const html = await loginPage.text();
  const action = /<form[^>]*id="kc-form-login"[^>]*action="([^"]+)"/.exec(html)?.[1];
  if (!action) throw new Error(`no login form at ${new URL(authorizationUrl).origin} (HTTP ${loginPage.status}):\n${html.slice(0, 500)}`);
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
  return location;
}

/**
 * Signs `user` in to a running Coder through its OIDC login, over HTTP as a browser would: Coder's
 * `/api/v2/users/oidc/callback` → the IdP's login form → back to Coder's callback with the code. Returns the
 * Coder session token Coder set.
 */
export async function signInToCoder(coderUrl: string, user: { username: string; password: string }): Promise<string> {
  const callback = `${coderUrl}/api/v2/users/oidc/callback`;
  const cookies = new Cookies();
  const start = await fetch(callback, { redirect: "manual" });
  cookies.take(start);
  const toIdp = start.headers.get("location");
  if (!toIdp || start.status < 300 || start.status >= 400) {
    throw new Error(`Coder did not send the browser to the IdP (HTTP ${start.status}): ${(await start.text()).slice(0, 500)}`);
  }
  const back = await keycloakPasswordLogin(toIdp, user, callback);
  const done = await fetch(back, { redirect: "manual", headers: { Cookie: cookies.header() } });
  cookies.take(done);
  const token = cookies.get("coder_session_token");
  if (!token) throw new Error(`Coder's callback set no session (HTTP ${done.status}): ${(await done.text()).slice(0, 800)}`);
  return token;
}

/** The claims of a JWT, unverified (refresh tokens are the IdP's own business; this only reads them). */
export function jwtClaims(token: string): Record<string, unknown> {
  const [, payload] = token.split(".");
  if (!payload) throw new Error("not a JWT");
  return JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Record<string, unknown>;
}
