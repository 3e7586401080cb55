/**
 * The field schemas every config section is built from: URLs in their one form, durations, identifiers, flags.
 * The core's common keys and each IdP's section (idps/<idp>/config.ts) use the same ones, so a rule has one owner.
 */
import { z } from "zod";
import { DURATION_FORMAT_HINT, parseDurationSeconds } from "./duration";
import { isPathSafeId, PATH_SAFE_ID_RULE } from "./identifiers";
import { OFFLINE_SECRET_PLACEHOLDER } from "./provider-config";

/** Hosts where plain http is allowed during development. */
const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** A URL as it may be shown in a message: any user info (`user:password@`) replaced, parsable or not. */
export function urlForMessage(text: string): string {
  return text.replace(/^([^/?#]*\/\/)[^/?#]*@/, "$1[credentials]@");
}

/**
 * A URL that must be https; with `localHttp`, plain http is allowed for localhost during development (never
 * where credentials travel, such as the PingFederate admin API). Messages never echo user info.
 */
export function httpsUrl(what: string, localHttp = true, originOnly = false, form?: UrlForm) {
  return z.string({ error: `must be a string (${what})` }).superRefine((text, ctx) => {
    // Set with --secret and read offline: checked when the engine runs, where it is decrypted.
    if (text === OFFLINE_SECRET_PLACEHOLDER) return;
    const shown = urlForMessage(text);
    const fail = (message: string) => ctx.addIssue({ code: "custom", message });
    // eslint-disable-next-line no-control-regex
    if (/[\s\x00-\x1f\x7f]/.test(text)) {
      return fail(`must not contain spaces or control characters (${what}), got ${JSON.stringify(shown)}`);
    }
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      return fail(`must be an absolute URL (${what}), got "${shown}"`);
    }
    if (url.username || url.password) return fail(`must not carry credentials in the URL, got "${shown}"`);
    if (url.protocol !== "https:" && !(localHttp && url.protocol === "http:" && LOCAL_HOSTS.has(url.hostname))) {
      return fail(localHttp
        ? `must use https (http is allowed only for localhost or 127.0.0.1), got "${shown}"`
        : `must use https (the admin credentials travel over it), got "${shown}"`);
    }
    if (url.search || url.hash || text.includes("?") || text.includes("#")) {
      return fail(`must not have a query or fragment, got "${shown}"`);
    }
    if (originOnly) originProblem(text, url, fail);
    else if (form) canonicalUrlProblem(text, url, form, fail);
  });
}

/**
 * How a URL that names an IdP is written: `issuer`, exactly as the IdP publishes its issuer (no trailing slash);
 * `base`, a base the issuer is built on (a trailing slash is dropped when the issuer is built).
 */
export type UrlForm = { readonly kind: "issuer" | "base"; readonly idp: string };

/**
 * The issuer's one form, as {@link originProblem} does for `coderUrl`: Coder compares `CODER_OIDC_ISSUER_URL` with
 * the discovery document's `issuer` character for character, and IdPs publish it serialized as URLs are (lowercase
 * scheme and host, punycode, no default port, no trailing slash here); anything else is refused with the form to write.
 */
function canonicalUrlProblem(text: string, url: URL, form: UrlForm, fail: (message: string) => void): void {
  const path = url.pathname.replace(/\/+$/, "");
  const canonical = `${url.protocol}//${url.host}${path}`;
  const written = form.kind === "base" ? text.replace(/\/+$/, "") : text;
  if (written !== canonical) {
    fail(`must be written as ${form.idp} publishes it, "${canonical}" (lowercase scheme and host, punycode for an ` +
      `internationalized host, no default port${form.kind === "issuer" ? ", no trailing slash" : ""}), got "${urlForMessage(text)}": ` +
      "Coder compares CODER_OIDC_ISSUER_URL with the discovery document's issuer character for character");
  }
}

/**
 * Coder's access URL, exactly as Coder serializes it. Coder builds its redirect URI with Go's
 * `AccessURL.Parse("/api/v2/users/oidc/callback")` (coder/coder `cli/server.go`): an absolute path, so any
 * path of the access URL is dropped, and Coder serves its API and login at the root of its host; and the
 * IdP compares redirect URIs byte for byte. So the access URL must be an origin, written in the one form a
 * browser, Coder and the IdP all agree on (lowercase scheme and host, an internationalized host in
 * punycode, no default port); anything else is refused with the form to write instead.
 */
function originProblem(text: string, url: URL, fail: (message: string) => void): void {
  const origin = `${url.protocol}//${url.host}`;
  if (!/^\/*$/.test(url.pathname)) {
    fail(`must not have a path, got "${text}": Coder resolves /api/v2/users/oidc/callback against its access URL ` +
      "as an absolute path (the path is dropped) and serves its API at the root of its host, so Coder cannot run " +
      `under a path; give Coder a host of its own, e.g. ${origin}`);
  } else if (text.replace(/\/+$/, "") !== origin) {
    fail(`must be written as browsers and Coder serialize it, "${origin}" (lowercase scheme and host, punycode ` +
      `for an internationalized host, no default port), got "${text}": the IdP compares the redirect URI byte for ` +
      "byte; set CODER_ACCESS_URL to the same");
  }
}

/** A duration in `90s` / `15m` / `1h` / `30d`, parsed to seconds. */
export const duration = z.string({ error: `must be a duration: ${DURATION_FORMAT_HINT}` }).transform((text, ctx) => {
  const seconds = parseDurationSeconds(text);
  if (seconds === undefined) {
    ctx.addIssue({ code: "custom", message: `"${text}" is not a duration: ${DURATION_FORMAT_HINT}` });
    return z.NEVER;
  }
  if (seconds <= 0) {
    ctx.addIssue({ code: "custom", message: `must be positive, got "${text}"` });
    return z.NEVER;
  }
  if (seconds > MAX_LIFETIME_SECONDS) {
    ctx.addIssue({
      code: "custom",
      message: `must be at most ${MAX_LIFETIME_SECONDS} seconds (${Math.floor(MAX_LIFETIME_SECONDS / 86400)} days), got "${text}": ` +
        "Keycloak and PingFederate store lifetimes as 32-bit integers",
    });
    return z.NEVER;
  }
  return seconds;
});

/** The longest lifetime any IdP here can store: Keycloak keeps lifetimes as 32-bit seconds. */
export const MAX_LIFETIME_SECONDS = 2_147_483_647;

/** An identifier that ends up in an IdP URL or admin API path (a realm, a client id): see {@link isPathSafeId}. */
export function pathSafeId(what: string) {
  return z.string({ error: `must be a string (${what})` }).refine(isPathSafeId, {
    error: (issue) => `must be ${PATH_SAFE_ID_RULE} (${what}): it is part of the IdP's URLs, got ${JSON.stringify(issue.input)}`,
  });
}

/** A string that is not empty once trimmed. */
export const nonEmpty = (what: string) =>
  z.string({ error: `must be a string (${what})` }).trim().min(1, { error: `must not be empty (${what})` });

/** A config boolean: a YAML boolean, or the strings `true`/`false` that `pulumi config set` stores. */
export const flag = z.union([z.boolean(), z.enum(["true", "false"]).transform((v) => v === "true")], {
  error: "must be true or false",
});

/** OAuth 2.0 scope-token characters (RFC 6749 §3.3): printable ASCII without space, `"` and `\`. */
export const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

/** A DNS host name such as `example.us.auth0.com`: no scheme, no path. */
export const hostName = (what: string) =>
  z.string({ error: `must be a string (${what})` }).refine(
    (text) => text === OFFLINE_SECRET_PLACEHOLDER || /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i.test(text),
    { error: `must be a host name such as login.example.com, without https:// or a path (${what})` });

/** Why an issuer's host must be written in lowercase. */
export const ISSUER_HOST_CASE = "the IdP publishes its issuer with a lowercase host, and Coder compares the issuer character for character";
