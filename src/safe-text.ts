/**
 * What every command prints that it did not write itself (a stack name, a file's key, a server's answer, a log's
 * user name) passes through here: credentials masked, invisible, control and bidirectional characters shown
 * escaped, absurd lengths capped. One helper per concern, used by every command.
 */
import { redact } from "./redact";

/** What stands for a secret value wherever one would be shown: messages, plans, policy input, drift. The one marker. */
export const SECRET_MARK = "[secret]";

/** The most characters of one outside value shown in a message; the rest is cut, with the full length said. */
export const MAX_SHOWN_CHARS = 200;

/**
 * Characters shown escaped: C0 and C1 controls and DEL, format characters (bidirectional overrides and isolates,
 * zero-width spaces and joiners, the soft hyphen, the byte order mark), the line and paragraph separators, lone
 * surrogates, and noncharacters. Each could hide or reorder text on a terminal or in a pull-request comment.
 */
const HIDDEN = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}\p{Co}\ufff9-\ufffb\ufffe\uffff]/gu;

const NAMED: Readonly<Record<string, string>> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/** `text` with each hidden character written as an escape (`\n`, `\t`, `\u{202E}`); everything else as it is. */
export function escapeHidden(text: string): string {
  return text.replace(HIDDEN, (c) => NAMED[c] ?? `\\u{${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}}`);
}

/** `text` cut to `max` characters (code points), with an ellipsis and the full length when it is longer. */
export function capLength(text: string, max: number = MAX_SHOWN_CHARS): string {
  const points = Array.from(text);
  return points.length <= max ? text : `${points.slice(0, max).join("")}… (${points.length} characters)`;
}

/** The most problem lines one message lists: a hostile file can have a problem on every byte. */
export const MAX_LISTED_PROBLEMS = 20;

/** `lines`, one per line, the first `max` of them, then how many more there are. */
export function listedLines(lines: readonly string[], max: number = MAX_LISTED_PROBLEMS): string {
  const listed = lines.slice(0, max);
  if (lines.length > max) listed.push(`  - … and ${lines.length - max} more`);
  return listed.join("\n");
}

/**
 * An outside value as a message may show it, on one line: hidden characters escaped (line breaks too), cut to
 * `max` characters of the original with its length said.
 */
export function shown(value: unknown, max: number = MAX_SHOWN_CHARS): string {
  const text = typeof value === "string" ? value : String(value);
  const points = Array.from(text);
  if (points.length <= max) return escapeHidden(text);
  return `${escapeHidden(points.slice(0, max).join(""))}… (${points.length} characters)`;
}

/**
 * A message for a terminal: hidden characters escaped except the line breaks and tabs that lay it out, so each
 * problem stays on its own line and nothing in it can reorder or hide the rest.
 */
export function safeMessage(text: string): string {
  return text.replace(HIDDEN, (c) => (c === "\n" || c === "\t" ? c : escapeHidden(c)));
}

/** Any URL's user info (`scheme://user:password@`), wherever it stands in a text, parsable or not. */
const URL_USER_INFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#"'<>\\]*@/gi;

/** `text` with the user info of every URL in it replaced by `[credentials]`. */
export function maskUrlUserInfo(text: string): string {
  return text.replace(URL_USER_INFO, "$1[credentials]@");
}

/** The credentials a URL carries: its whole user info and its password (as written and decoded); none without. */
export function urlCredentials(text: string | undefined): string[] {
  const raw = text ? /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)@/i.exec(text.trim())?.[1] : undefined;
  if (!raw) return [];
  const found = [raw];
  const colon = raw.indexOf(":");
  const password = colon >= 0 ? raw.slice(colon + 1) : "";
  if (password !== "") {
    found.push(password);
    try {
      found.push(decodeURIComponent(password));
    } catch {
      // A malformed escape: the password as written is enough.
    }
  }
  return found;
}

/** The shortest credential a {@link Masker} masks. */
export const MIN_MASKED_CHARS = 4;

/**
 * Masks what a command holds: every URL's user info, and each credential (in every form an answer may echo it:
 * as it is, URL-encoded, JSON-escaped, base64), and any `Authorization` header's value. Build one per command
 * run with every credential it reads, and pass everything it prints through it.
 */
export class Masker {
  private readonly secrets = new Set<string>();

  /** A masker for `secrets` (empty and missing values are skipped). */
  constructor(secrets: Iterable<string | undefined> = []) {
    this.add(...secrets);
  }

  /**
   * Adds credentials to mask. One shorter than {@link MIN_MASKED_CHARS} characters is no credential anyone would
   * use, and masking it would shred ordinary words: it is skipped.
   */
  add(...secrets: (string | undefined)[]): this {
    for (const secret of secrets) if (secret && secret.length >= MIN_MASKED_CHARS) this.secrets.add(secret);
    return this;
  }

  /** Adds the credentials that URLs carry in their user info (the URLs themselves are no secret). */
  addUrls(...urls: (string | undefined)[]): this {
    for (const url of urls) this.add(...urlCredentials(url));
    return this;
  }

  /** `text` with every credential and every URL's user info masked. */
  mask(text: string): string {
    return redact(maskUrlUserInfo(text), [...this.secrets]);
  }

  /** `value` (any JSON value) with every string in it masked. */
  maskDeep<T>(value: T): T {
    if (typeof value === "string") return this.mask(value) as T;
    if (Array.isArray(value)) return value.map((v: unknown) => this.maskDeep(v)) as T;
    if (typeof value === "object" && value !== null) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.maskDeep(v)])) as T;
    }
    return value;
  }
}

/**
 * A YAML parser's message without any text of the file: its first line, without the excerpt and caret that
 * pretty errors add, and without the token some messages quote (`… in YAML stream: "<token>"`, an alias's
 * name). A malformed line may hold a plaintext secret; the line number says where to look.
 */
export function yamlProblemText(message: string): string {
  const first = message.split("\n")[0]
    .replace(/ at line \d+, column \d+:?.*$/, "")
    .replace(/\s*:\s*".*"\s*$/, "")
    .replace(/(alias[^:]*):\s*\S.*$/i, "$1");
  return shown(first);
}
