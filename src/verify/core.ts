/**
 * `verify`'s checks: the "Confirm" checklist of Coder's refresh-token page, against a live deployment. Each check
 * reads one thing (the Coder settings, the IdP's discovery document, the client at the IdP, Coder's running
 * configuration) and returns findings that say what is right, what is wrong and what to change where, or that it
 * could not look. No check prints a secret.
 */
import axios, { type AxiosInstance } from "axios";
import { CODER_ENV_DEFAULTS, CoderEnvName } from "../coder-env";
import { parseCoderAuthUrlParams, parseCoderScopes } from "../coder-settings";
import { OFFLINE_ACCESS_SCOPE } from "../coder-table";
import type { CoderOidcSettings } from "../idp";
import { escapeHidden } from "../safe-text";

/** A finding's verdict. */
export const FindingStatus = {
  /** The check passed. */
  Ok: "ok",
  /** Something is wrong; the message says what to change. */
  Problem: "problem",
  /** The check could not look (unreachable, no credentials). */
  Unchecked: "unchecked",
} as const;
/** A finding's verdict. */
export type FindingStatus = (typeof FindingStatus)[keyof typeof FindingStatus];

/** One result of one check. */
export interface Finding {
  /** The check, e.g. `discovery.issuer`. */
  readonly check: string;
  /** Its verdict. */
  readonly status: FindingStatus;
  /** What it found, and for a problem what to change and where. */
  readonly message: string;
}

/** The Coder settings under check, by environment variable name (the client secret is never needed). */
export type CoderSettings = Readonly<Record<string, string | undefined>>;

/** The ID-token signing algorithms Coder's OIDC library (go-oidc) verifies. */
export const CODER_SIGNING_ALGS = ["RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "PS256", "PS384", "PS512", "EdDSA"];

/** The largest answer read from an IdP, an admin API or Coder: a discovery document or a client is a few kilobytes. */
export const MAX_ANSWER_BYTES = 1024 * 1024;

/** Request options every call of `verify` uses: a bound on what it reads (and sends), and a time limit. */
export const BOUNDED = { maxContentLength: MAX_ANSWER_BYTES, maxBodyLength: MAX_ANSWER_BYTES, timeout: 15_000 } as const;

/** Why a request failed, in words: an answer over {@link MAX_ANSWER_BYTES} said so, else the error's message. */
export function requestFailure(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return /maxContentLength size of \d+ exceeded/.test(message)
    ? `the answer is larger than ${MAX_ANSWER_BYTES} bytes, far more than the few kilobytes expected: not read (is the URL right?)`
    : message;
}

const ok = (check: string, message: string): Finding => ({ check, status: FindingStatus.Ok, message });
const problem = (check: string, message: string): Finding => ({ check, status: FindingStatus.Problem, message });
const unchecked = (check: string, message: string): Finding => ({ check, status: FindingStatus.Unchecked, message });

/** The Coder settings against the IdP's row of the Coder table: required variables, scopes and auth URL params. */
export function checkCoderSettings(row: CoderOidcSettings, settings: CoderSettings): Finding[] {
  const findings: Finding[] = [];
  for (const name of [CoderEnvName.IssuerUrl, CoderEnvName.ClientId, CoderEnvName.ClientSecret]) {
    if (!settings[name]) findings.push(problem(`settings.${name}`, `${name} is not set: Coder cannot log in with ${row.label} without it`));
  }
  let scopes: string[];
  try {
    scopes = parseCoderScopes(settings[CoderEnvName.Scopes] ?? CODER_ENV_DEFAULTS[CoderEnvName.Scopes]);
  } catch (err) {
    return [...findings, problem("settings.scopes", `${(err as Error).message}: set it to ${row.scopes.join(",")}`)];
  }
  const missing = row.scopes.filter((s) => !scopes.includes(s));
  if (missing.length > 0) {
    findings.push(problem("settings.scopes", `CODER_OIDC_SCOPES lacks ${missing.join(", ")}: set it to ${row.scopes.join(",")}` +
      (missing.includes(OFFLINE_ACCESS_SCOPE) ? ` (without offline_access ${row.label} issues no refresh token that outlives the session; once fixed, coder-oidc sessions names the users to sign in again)` : "")));
  }
  if (!row.acceptsOfflineAccessScope && scopes.includes(OFFLINE_ACCESS_SCOPE)) {
    findings.push(problem("settings.scopes", `CODER_OIDC_SCOPES has offline_access, which ${row.label} rejects (invalid_scope): remove it`));
  }
  if (findings.every((f) => f.check !== "settings.scopes")) findings.push(ok("settings.scopes", `CODER_OIDC_SCOPES=${scopes.join(",")}`));
  const params = parseCoderAuthUrlParams(settings[CoderEnvName.AuthUrlParams] ?? CODER_ENV_DEFAULTS[CoderEnvName.AuthUrlParams]);
  if (!params) {
    findings.push(problem("settings.authUrlParams", `CODER_OIDC_AUTH_URL_PARAMS is not a map of strings: set it to ${JSON.stringify(row.authUrlParams)}`));
  } else {
    const wrong = Object.entries(row.authUrlParams).filter(([k, v]) => params[k] !== v);
    findings.push(wrong.length > 0
      ? problem("settings.authUrlParams", `CODER_OIDC_AUTH_URL_PARAMS lacks ${wrong.map(([k, v]) => `${k}=${v}`).join(", ")}: ${row.label} needs ${JSON.stringify(row.authUrlParams)}`)
      : ok("settings.authUrlParams", `CODER_OIDC_AUTH_URL_PARAMS=${JSON.stringify(params)}`));
  }
  return findings;
}

/** The discovery document's fields `verify` reads. */
interface Discovery {
  readonly issuer?: unknown;
  readonly grant_types_supported?: unknown;
  readonly scopes_supported?: unknown;
  readonly id_token_signing_alg_values_supported?: unknown;
}

/** The IdP's discovery document from `CODER_OIDC_ISSUER_URL`, as Coder reads it at start-up. */
export async function checkDiscovery(row: CoderOidcSettings, issuer: string, http: AxiosInstance = axios.create()): Promise<Finding[]> {
  const url = `${issuer.replace(/\/+$/, "")}/.well-known/openid-configuration`;
  let doc: Discovery;
  try {
    const res = await http.get<Discovery>(url, { ...BOUNDED, validateStatus: () => true, responseType: "json" });
    if (res.status !== 200) return [unchecked("discovery", `GET ${url} answered HTTP ${res.status}: is CODER_OIDC_ISSUER_URL right?`)];
    if (typeof res.data !== "object" || res.data === null) return [problem("discovery", `GET ${url} did not answer a JSON discovery document`)];
    doc = res.data;
  } catch (err) {
    return [unchecked("discovery", `GET ${url} failed: ${requestFailure(err)} (TLS is verified, as Coder verifies it)`)];
  }
  const findings: Finding[] = [];
  findings.push(doc.issuer === issuer
    ? ok("discovery.issuer", `the discovery document's issuer is CODER_OIDC_ISSUER_URL, character for character`)
    : problem("discovery.issuer", `the discovery document says issuer ${escapeHidden(JSON.stringify(doc.issuer))} but CODER_OIDC_ISSUER_URL is ` +
      `${JSON.stringify(issuer)}: Coder refuses any difference, trailing slash included; set CODER_OIDC_ISSUER_URL to ${escapeHidden(JSON.stringify(doc.issuer))}`));
  if (Array.isArray(doc.grant_types_supported)) {
    findings.push(doc.grant_types_supported.includes("refresh_token")
      ? ok("discovery.grantTypes", "the IdP supports the refresh_token grant")
      : problem("discovery.grantTypes", `the IdP's grant_types_supported (${escapeHidden(doc.grant_types_supported.join(", "))}) lacks refresh_token: enable refresh tokens at ${row.label}, or Coder signs users out when the access token expires`));
  } else {
    findings.push(unchecked("discovery.grantTypes", "the discovery document lists no grant_types_supported: check at the IdP that the refresh_token grant is enabled"));
  }
  if (row.acceptsOfflineAccessScope) {
    if (Array.isArray(doc.scopes_supported)) {
      findings.push(doc.scopes_supported.includes(OFFLINE_ACCESS_SCOPE)
        ? ok("discovery.scopes", "the IdP supports the offline_access scope")
        : problem("discovery.scopes", `the IdP's scopes_supported lacks offline_access: define the scope at ${row.label} (and let Coder's client use it)`));
    } else {
      findings.push(unchecked("discovery.scopes", "the discovery document lists no scopes_supported: check at the IdP that offline_access exists"));
    }
  }
  const algs = Array.isArray(doc.id_token_signing_alg_values_supported) ? doc.id_token_signing_alg_values_supported as string[] : [];
  findings.push(algs.some((a) => CODER_SIGNING_ALGS.includes(a))
    ? ok("discovery.signing", `ID tokens are signed with an algorithm Coder verifies (${algs.filter((a) => CODER_SIGNING_ALGS.includes(a)).join(", ")})`)
    : problem("discovery.signing", `the IdP signs ID tokens with ${escapeHidden(algs.join(", ")) || "nothing it names"}; Coder verifies only ${CODER_SIGNING_ALGS.join(", ")}: configure an RSA or EC signing key`));
  return findings;
}

/** Coder's running OIDC settings (`GET /api/v2/deployment/config`, as an owner) against the stack's. */
export async function checkCoderDeployment(coderUrl: string, token: string, settings: CoderSettings, http: AxiosInstance = axios.create()): Promise<Finding[]> {
  const url = `${coderUrl.replace(/\/+$/, "")}/api/v2/deployment/config`;
  let oidc: Record<string, unknown>;
  try {
    const res = await http.get<{ config?: { oidc?: Record<string, unknown> }; message?: string }>(url, {
      headers: { "Coder-Session-Token": token }, ...BOUNDED, validateStatus: () => true,
    });
    // Coder's own message only (an answer may echo the token: everything verify prints is masked as well).
    const said = typeof res.data?.message === "string" ? ` (${escapeHidden(res.data.message)})` : "";
    if (res.status === 401 || res.status === 403) return [unchecked("coder", `GET ${url} answered HTTP ${res.status}${said}: give an owner's token (--coder-token or CODER_SESSION_TOKEN)`)];
    if (res.status !== 200 || !res.data?.config?.oidc) return [unchecked("coder", `GET ${url} answered HTTP ${res.status} without a deployment config`)];
    oidc = res.data.config.oidc;
  } catch (err) {
    return [unchecked("coder", `GET ${url} failed: ${requestFailure(err)}`)];
  }
  const findings: Finding[] = [];
  const compare = (check: string, name: string, running: unknown, wanted: unknown) => {
    const same = JSON.stringify(running) === JSON.stringify(wanted);
    findings.push(same
      ? ok(check, `Coder runs with ${name} as the stack outputs it`)
      : problem(check, `Coder runs with ${name}=${JSON.stringify(running)} but the stack outputs ${JSON.stringify(wanted)}: give Coder the stack's value and restart it`));
  };
  compare("coder.issuer", CoderEnvName.IssuerUrl, oidc.issuer_url, settings[CoderEnvName.IssuerUrl]);
  compare("coder.clientId", CoderEnvName.ClientId, oidc.client_id, settings[CoderEnvName.ClientId]);
  // A variable the settings leave unset is Coder's default, in the stack's settings as in Coder's.
  const wanted = (name: keyof typeof CODER_ENV_DEFAULTS) => settings[name] ?? CODER_ENV_DEFAULTS[name];
  compare("coder.scopes", CoderEnvName.Scopes, oidc.scopes, parseCoderScopes(wanted(CoderEnvName.Scopes)));
  compare("coder.authUrlParams", CoderEnvName.AuthUrlParams, oidc.auth_url_params ?? {}, parseCoderAuthUrlParams(wanted(CoderEnvName.AuthUrlParams)));
  return findings;
}

/** What `verify` cannot check and the user must do or watch: the checks every IdP shares, then the IdP's own. */
export function manualChecks(idpChecks: readonly string[] = []): string[] {
  const checks = [
    "After enabling refresh tokens, every user must log out of Coder and log in once: Coder keeps the IdP's tokens from the last login. " +
      "`coder-oidc sessions` names who has none yet; --sign-out ends their sessions.",
    "Stay signed in past the IdP's access-token lifetime once, and watch Coder's log for \"Could not refresh expired OpenID Connect token\" (npx coder-oidc doctor --coder-log <file> names the cause).",
  ];
  return [...checks, ...idpChecks];
}

/** The exit code of a set of findings: 0 all good, 1 something is wrong, 2 nothing wrong but something unchecked. */
export function verifyExitCode(findings: readonly Finding[]): 0 | 1 | 2 {
  if (findings.some((f) => f.status === FindingStatus.Problem)) return 1;
  if (findings.some((f) => f.status === FindingStatus.Unchecked)) return 2;
  return 0;
}
