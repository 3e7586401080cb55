/**
 * `doctor`'s knowledge: the refresh and login failures a Coder server's log (or a response it sent) shows, each
 * with its cause and fix. Only strings from Coder's source at the version the e2e builds (v2.30.0:
 * coderd/httpmw/apikey.go, coderd/userauth.go) and from the e2e's real logs are matched; the docs' log line
 * "failed to renew OIDC token" is not in Coder's code and is not matched.
 *
 * What the e2e's real run showed: Coder logs no line for a failed OIDC refresh. The reason is only in the 401
 * response ("Could not refresh expired OpenID Connect token…"); the server log has the request-log line (with
 * CODER_VERBOSE) of that request, status 401. So a 401 on an API request is reported too, as what a failed
 * refresh looks like in the log, and any line quoting a response message (a proxy's log, a pasted answer) is
 * recognised by that message.
 */
import { shown } from "../../src/safe-text";

/** One failure signature. */
export interface Signature {
  /** A stable id, e.g. `refresh-failed`. */
  readonly id: string;
  /** What happened, for people. */
  readonly title: string;
  /** Why it happens and what to change. */
  readonly fix: string;
  /** Whether a line is an instance of it. */
  matches(event: LogEvent): boolean;
}

/** One parsed log line. */
export interface LogEvent {
  /** 1-based line number. */
  readonly line: number;
  /** Its time, when the line has one (ISO text). */
  readonly time?: string;
  /** Its message (`msg` of a JSON line; the whole text otherwise). */
  readonly message: string;
  /** Its structured fields, when it has any. */
  readonly fields: Readonly<Record<string, unknown>>;
  /** The line as read. */
  readonly text: string;
}

const REFRESH_FAILED = "Could not refresh expired OpenID Connect token";
const NO_REFRESH_TOKEN = /OpenID Connect session expired at/;
const NO_USER_LINK = "You must re-authenticate with the login provider.";
const LOGIN_FAILURES = [
  "oauth2: login failed",
  "oauth2: unable to extract OIDC claims",
  "oauth2: missing 'sub' claim field in OIDC token",
  "oauth2: unable to obtain user information claims",
  "oauth2: unable to find linked user",
  "OIDC provider does not support the user info endpoint",
];

/**
 * The IdP refused Coder's client credentials. golang.org/x/oauth2 (Coder v2.30.0's OAuth2 library) writes a token
 * endpoint's error as `oauth2: "<error>" "<description>"`, and Coder puts that in the detail of its answer: to a
 * refresh ("Could not refresh expired OpenID Connect token…", coderd/httpmw/apikey.go) or to a login's code exchange
 * ("Failed exchanging Oauth code.", coderd/httpmw/oauth2.go). In a JSON log line the quotes are escaped.
 */
const INVALID_CLIENT = /oauth2: \\?"invalid_client\\?"/;

/**
 * Requests that no OIDC session makes: a workspace agent's, a provisioner daemon's or a workspace proxy's own
 * token, and the password login. A 401 on them says nothing about OIDC refresh.
 */
const NOT_OIDC_SESSION = /^\/api\/v2\/(workspaceagents\/me|provisionerdaemons|workspaceproxies\/me|users\/login|users\/first)(\/|$|\?)/;

/** The failures doctor knows, most specific first: a line counts once, for the first that matches. */
export const SIGNATURES: readonly Signature[] = [
  {
    id: "invalid-client",
    title: "The IdP refused Coder's client credentials (invalid_client)",
    fix: "The client secret Coder sends is not the one the IdP holds: it was rotated (or the client recreated) at the IdP " +
      "but not in Coder. Give Coder the current secret (CODER_OIDC_CLIENT_SECRET: `npx coder-oidc env --stack <name>` after " +
      "`pulumi up`, or the Kubernetes Secret) and restart Coder; check CODER_OIDC_CLIENT_ID names the client. Until then every " +
      "refresh and every login fails; users need not log in again once Coder has the right secret, unless their refresh tokens expired meanwhile.",
    matches: (e) => INVALID_CLIENT.test(e.text),
  },
  {
    id: "refresh-failed",
    title: "Coder's OIDC refresh was refused by the IdP",
    fix: "The refresh token expired or was revoked. Without offline_access in CODER_OIDC_SCOPES, an IdP such as Keycloak " +
      "hands out an ordinary refresh token that ends with its SSO session (the detail then reads " +
      "oauth2: \"invalid_grant\" \"Token is not active\"): output offline_access (coder-oidc does), and make the IdP's refresh " +
      "idle timeout (coder-oidc:tokens.refreshIdleTimeout) longer than users stay away. A rotating refresh token used by " +
      "Coder's parallel refreshes fails the same way (coder/coder#25275): keep rotation off or give it a reuse window. " +
      "Affected users must log in again: `coder-oidc sessions` names those whose refresh token is bound to the IdP session.",
    matches: (e) => e.text.includes(REFRESH_FAILED),
  },
  {
    id: "no-refresh-token",
    title: "Coder held no refresh token when the IdP's token expired",
    fix: "The IdP issued no refresh token at login: add offline_access to CODER_OIDC_SCOPES (for Google instead " +
      "access_type=offline and prompt=consent in CODER_OIDC_AUTH_URL_PARAMS), check the IdP's client allows the refresh " +
      "grant, then every user must log out of Coder and log in once: `coder-oidc sessions` names who still has no refresh token, " +
      "and --sign-out ends their sessions.",
    matches: (e) => NO_REFRESH_TOKEN.test(e.text),
  },
  {
    id: "no-user-link",
    title: "Coder has no IdP login for the user",
    fix: "The user's link to the IdP is gone (e.g. the login type changed): the user must log in again with OIDC.",
    matches: (e) => e.text.includes(NO_USER_LINK),
  },
  {
    id: "login-failed",
    title: "An OIDC login failed",
    fix: "Read the error of the line: claims missing from the ID token or user info (email, sub, the username field), " +
      "an email domain not allowed, or the IdP's user info endpoint failing. Check CODER_OIDC_EMAIL_FIELD, " +
      "CODER_OIDC_USERNAME_FIELD and the IdP's client scopes.",
    matches: (e) => LOGIN_FAILURES.some((s) => e.message.startsWith(s) || e.text.includes(`"msg":"${s}`)),
  },
  {
    id: "session-refused",
    title: "Coder refused an API request with 401",
    fix: "Coder logs no reason for a refused session; its response carries it. After the IdP's access-token lifetime this " +
      "is what a failed OIDC refresh looks like: run `npx coder-oidc verify --stack <name>`, and check that users logged in again " +
      "after refresh tokens were enabled. (An expired Coder session, CODER_SESSION_DURATION, also answers 401.)",
    matches: (e) => Number(e.fields.status_code) === 401 && /^\/api\//.test(String(e.fields.path ?? "")) &&
      !NOT_OIDC_SESSION.test(String(e.fields.path)),
  },
];

/** A quoted field's text; as written when it is not valid JSON text (`"\\x"`). */
function unquote(quoted: string): string {
  try {
    return JSON.parse(quoted) as string;
  } catch {
    return quoted.slice(1, -1);
  }
}

/** Parses one line of Coder's log: its JSON format, or its human format (`key=value` fields). */
export function parseLogLine(text: string, line: number): LogEvent | undefined {
  const trimmed = text.trim();
  if (trimmed === "") return undefined;
  if (trimmed.startsWith("{")) {
    try {
      const json = JSON.parse(trimmed) as { ts?: string; msg?: string; fields?: Record<string, unknown> };
      return { line, time: json.ts, message: String(json.msg ?? ""), fields: json.fields ?? {}, text: trimmed };
    } catch {
      // Not JSON after all: read it as text.
    }
  }
  const time = /^(\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(?:\.\d+)?Z?)/.exec(trimmed)?.[1];
  const fields: Record<string, unknown> = {};
  for (const match of trimmed.matchAll(/(?:^|\s)([a-z_]+)=("(?:[^"\\]|\\.)*"|\S+)/g)) {
    fields[match[1]] = match[2].startsWith('"') ? unquote(match[2]) : match[2];
  }
  const message = /\]\s+(?:[\w.]+:\s+)?(.*?)(?:\s{2}|$)/.exec(trimmed)?.[1] ?? trimmed;
  return { line, time: time?.replace(" ", "T"), message, fields, text: trimmed };
}

/** The user a line is about, when it says. */
function userOf(event: LogEvent): string {
  for (const key of ["user", "username", "email", "user_id"]) {
    const value = event.fields[key];
    if (typeof value === "string" && value !== "") return value;
  }
  return "(not in the log)";
}

/** Every instance of one signature. */
export interface Diagnosis {
  /** The signature's id. */
  readonly id: string;
  /** What happened. */
  readonly title: string;
  /** Its cause and fix. */
  readonly fix: string;
  /** How many lines. */
  readonly count: number;
  /** The first and the last time seen. */
  readonly first?: string;
  readonly last?: string;
  /** Counts per user. */
  readonly users: Record<string, number>;
  /** Counts per hour (`YYYY-MM-DDTHH`). */
  readonly hours: Record<string, number>;
  /** Counts per request path, for request-log lines. */
  readonly paths: Record<string, number>;
  /** Line numbers (at most 20). */
  readonly lines: number[];
}

/** The most distinct users, hours or paths counted per diagnosis; the rest are counted under `(others)`. */
export const MAX_DISTINCT_KEYS = 1000;

/** What is kept of one signature's lines while a log streams by: counts, never the lines. */
interface Tally {
  count: number;
  first?: string;
  last?: string;
  readonly users: Record<string, number>;
  readonly hours: Record<string, number>;
  readonly paths: Record<string, number>;
  readonly lines: number[];
}

/** One line of Coder's own log: its JSON format (`ts`, `level`, `msg`) or its human format (`… [info]  …`). */
const HUMAN_LINE = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d+)?Z? \[(debu|info|warn|erro|crit|fata)\]/;

/** Whether a parsed line is in one of Coder's log formats. */
export function isCoderLogLine(event: LogEvent): boolean {
  if (event.text.startsWith("{")) return event.time !== undefined && event.message !== "" && /"level"\s*:/.test(event.text);
  return HUMAN_LINE.test(event.text);
}

/**
 * Reads a log line by line (`add`), keeping counts only, so a log of any size is read in bounded memory; then
 * `diagnoses()` groups what it showed by signature.
 */
export class LogDiagnoser {
  private readonly tallies = new Map<string, Tally>();
  private lineNumber = 0;
  /** Lines that are not blank. */
  nonBlankLines = 0;
  /** Lines in one of Coder's log formats. */
  coderLines = 0;

  /** Reads the next line of the log. */
  add(text: string): void {
    this.lineNumber += 1;
    const event = parseLogLine(text, this.lineNumber);
    if (!event) return;
    this.nonBlankLines += 1;
    if (isCoderLogLine(event)) this.coderLines += 1;
    const signature = SIGNATURES.find((s) => s.matches(event));
    if (!signature) return;
    let tally = this.tallies.get(signature.id);
    if (!tally) {
      tally = { count: 0, users: {}, hours: {}, paths: {}, lines: [] };
      this.tallies.set(signature.id, tally);
    }
    tally.count += 1;
    bump(tally.users, userOf(event));
    if (event.time) {
      bump(tally.hours, event.time.slice(0, 13));
      if (tally.first === undefined || event.time < tally.first) tally.first = event.time;
      if (tally.last === undefined || event.time > tally.last) tally.last = event.time;
    }
    if (typeof event.fields.path === "string") bump(tally.paths, event.fields.path);
    if (tally.lines.length < 20) tally.lines.push(event.line);
  }

  /** What the lines read so far show, by signature, most specific first. */
  diagnoses(): Diagnosis[] {
    return SIGNATURES.filter((s) => this.tallies.has(s.id)).map((s) => {
      const t = this.tallies.get(s.id)!;
      return { id: s.id, title: s.title, fix: s.fix, count: t.count, first: t.first, last: t.last,
        users: { ...t.users }, hours: { ...t.hours }, paths: { ...t.paths }, lines: [...t.lines] };
    });
  }
}

/** Counts one more for `key`, or for `(others)` once {@link MAX_DISTINCT_KEYS} keys are counted. */
function bump(counts: Record<string, number>, key: string): void {
  const k = Object.hasOwn(counts, key) || Object.keys(counts).length < MAX_DISTINCT_KEYS ? key : "(others)";
  counts[k] = (counts[k] ?? 0) + 1;
}

/** Reads a whole log and groups what it shows by signature. */
export function diagnose(log: string): Diagnosis[] {
  const diagnoser = new LogDiagnoser();
  for (const line of log.split(/\r?\n/)) diagnoser.add(line);
  return diagnoser.diagnoses();
}

/** The diagnoses as text for people. */
export function renderDiagnoses(diagnoses: readonly Diagnosis[]): string {
  if (diagnoses.length === 0) return "No refresh or login failure found in the log.\n";
  const lines: string[] = [];
  // Users and paths come from the log: shown escaped and capped.
  const counts = (c: Record<string, number>) => Object.entries(c).sort((a, b) => b[1] - a[1]).map(([k, n]) => `${shown(k)} ×${n}`).join(", ");
  for (const d of diagnoses) {
    lines.push(`✖ ${d.title}: ${d.count} time${d.count === 1 ? "" : "s"}${d.first ? `, ${d.first} … ${d.last}` : ""} (lines ${d.lines.join(", ")})`);
    lines.push(`  users: ${counts(d.users)}`);
    if (Object.keys(d.hours).length > 0) lines.push(`  per hour: ${counts(d.hours)}`);
    if (Object.keys(d.paths).length > 0) lines.push(`  requests: ${counts(d.paths)}`);
    lines.push(`  cause and fix: ${d.fix}`, "");
  }
  return lines.join("\n");
}
