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

/** The failures doctor knows, most specific first: a line counts once, for the first that matches. */
export const SIGNATURES: readonly Signature[] = [
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
    matches: (e) => Number(e.fields.status_code) === 401 && /^\/api\//.test(String(e.fields.path ?? "")),
  },
];

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
    fields[match[1]] = match[2].startsWith('"') ? (JSON.parse(match[2]) as string) : match[2];
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

/** Reads a whole log and groups what it shows by signature. */
export function diagnose(log: string): Diagnosis[] {
  const found = new Map<string, { events: LogEvent[] }>();
  log.split(/\r?\n/).forEach((text, i) => {
    const event = parseLogLine(text, i + 1);
    if (!event) return;
    const signature = SIGNATURES.find((s) => s.matches(event));
    if (!signature) return;
    const entry = found.get(signature.id) ?? { events: [] };
    entry.events.push(event);
    found.set(signature.id, entry);
  });
  const bump = (counts: Record<string, number>, key: string) => (counts[key] = (counts[key] ?? 0) + 1);
  return SIGNATURES.filter((s) => found.has(s.id)).map((s) => {
    const events = found.get(s.id)!.events;
    const users: Record<string, number> = {};
    const hours: Record<string, number> = {};
    const paths: Record<string, number> = {};
    for (const e of events) {
      bump(users, userOf(e));
      if (e.time) bump(hours, e.time.slice(0, 13));
      if (typeof e.fields.path === "string") bump(paths, e.fields.path);
    }
    const times = events.map((e) => e.time).filter((t): t is string => t !== undefined).sort();
    return {
      id: s.id, title: s.title, fix: s.fix, count: events.length,
      first: times[0], last: times[times.length - 1], users, hours, paths,
      lines: events.slice(0, 20).map((e) => e.line),
    };
  });
}

/** The diagnoses as text for people. */
export function renderDiagnoses(diagnoses: readonly Diagnosis[]): string {
  if (diagnoses.length === 0) return "No refresh or login failure found in the log.\n";
  const lines: string[] = [];
  const counts = (c: Record<string, number>) => Object.entries(c).sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ×${n}`).join(", ");
  for (const d of diagnoses) {
    lines.push(`✖ ${d.title}: ${d.count} time${d.count === 1 ? "" : "s"}${d.first ? `, ${d.first} … ${d.last}` : ""} (lines ${d.lines.join(", ")})`);
    lines.push(`  users: ${counts(d.users)}`);
    if (Object.keys(d.hours).length > 0) lines.push(`  per hour: ${counts(d.hours)}`);
    if (Object.keys(d.paths).length > 0) lines.push(`  requests: ${counts(d.paths)}`);
    lines.push(`  cause and fix: ${d.fix}`, "");
  }
  return lines.join("\n");
}
