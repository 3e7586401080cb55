/**
 * The pure part of `coder-oidc sessions`: Coder's schema as v2.30 has it, Coder's database encryption
 * (`enterprise/dbcrypt`) as far as telling an empty token from a present one needs it, the classification of each
 * OIDC user, and the text report. Nothing here touches the network or prints a token.
 *
 * Coder's dbcrypt (v2.30): AES-256-GCM with Go's standard 12-byte nonce and 16-byte tag; a stored value is the
 * standard base64 (padded) of nonce ‖ ciphertext ‖ tag, and `<column>_key_id` holds the key's digest (the first 7 hex
 * characters of sha256("aes256gcm" ‖ key)); a NULL key id means the value is stored as is. `encryptField` encrypts
 * whatever it is given, an empty token too, so an empty token is never `''` when encrypted — but GCM's ciphertext is
 * exactly as long as the plaintext, so an encrypted empty token decodes to exactly 12 + 16 = 28 bytes and a present one
 * to more: emptiness is told exactly without the keys. With the keys the token itself can be read, which also tells a
 * Keycloak refresh token bound to the IdP's session (typ "Refresh") from an offline one.
 */
import { createDecipheriv, createHash } from "node:crypto";

/** The tables and columns `sessions` reads, as Coder v2.30's `coderd/database/dump.sql` defines them. */
export const REQUIRED_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  user_links: ["user_id", "login_type", "oauth_refresh_token", "oauth_refresh_token_key_id", "oauth_expiry", "oauth_access_token_key_id"],
  users: ["id", "username", "email", "login_type", "status", "deleted", "last_seen_at"],
  api_keys: ["id", "user_id", "login_type", "expires_at"],
};

/** The Coder version whose schema `sessions` reads. */
export const CODER_SCHEMA_VERSION = "2.30.x";

/** Why the database cannot be read as Coder's, or undefined when every table and column is there. */
export function schemaProblem(columns: readonly { table_name: string; column_name: string }[]): string | undefined {
  const have = new Set(columns.map((c) => `${c.table_name}.${c.column_name}`));
  const tables = new Set(columns.map((c) => c.table_name));
  if (!tables.has("user_links")) {
    return "this is not Coder's database: it has no table user_links (give the URL Coder itself uses, CODER_PG_CONNECTION_URL)";
  }
  const missing = Object.entries(REQUIRED_COLUMNS).flatMap(([table, cols]) => cols.map((c) => `${table}.${c}`)).filter((c) => !have.has(c));
  if (missing.length === 0) return undefined;
  return `the schema is from another Coder version: sessions expects Coder ${CODER_SCHEMA_VERSION}'s columns, and these are missing: ${missing.join(", ")}`;
}

/** AES-GCM's nonce, as Go's `cipher.NewGCM` makes it. */
export const GCM_NONCE_BYTES = 12;
/** AES-GCM's tag, as Go's `cipher.NewGCM` makes it. */
export const GCM_TAG_BYTES = 16;

/** A key of `CODER_EXTERNAL_TOKEN_ENCRYPTION_KEYS`, with the digest Coder stores in `*_key_id`. */
export interface EncryptionKey {
  /** The 32 raw bytes. */
  readonly key: Buffer;
  /** First 7 hex characters of sha256("aes256gcm" ‖ key). */
  readonly digest: string;
}

/** The digest dbcrypt stores next to every value it encrypted with `key`. */
export function keyDigest(key: Buffer): string {
  return createHash("sha256").update(Buffer.concat([Buffer.from("aes256gcm"), key])).digest("hex").slice(0, 7);
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Go's `base64.StdEncoding.DecodeString`: padded standard base64 only; undefined for anything else. */
export function decodeStdBase64(text: string): Buffer | undefined {
  return BASE64.test(text) ? Buffer.from(text, "base64") : undefined;
}

/**
 * Parses `CODER_EXTERNAL_TOKEN_ENCRYPTION_KEYS` (comma-separated base64 keys of 32 bytes). Throws an Error naming each
 * bad key by its position, never by its value.
 */
export function parseEncryptionKeys(list: string): EncryptionKey[] {
  const problems: string[] = [];
  const keys = list.split(",").map((s) => s.trim()).filter((s) => s !== "").flatMap((text, i) => {
    const key = decodeStdBase64(text);
    if (!key) return (problems.push(`key ${i + 1} is not standard base64`), []);
    if (key.length !== 32) return (problems.push(`key ${i + 1} is ${key.length} bytes, not 32`), []);
    return [{ key, digest: keyDigest(key) }];
  });
  if (problems.length > 0) throw new Error(`CODER_EXTERNAL_TOKEN_ENCRYPTION_KEYS: ${problems.join("; ")}`);
  if (keys.length === 0) throw new Error("CODER_EXTERNAL_TOKEN_ENCRYPTION_KEYS holds no key");
  return keys;
}

/** How long the plaintext of a dbcrypt value is (GCM keeps lengths), or undefined when it is no dbcrypt value. */
export function encryptedPlaintextLength(stored: string): number | undefined {
  const data = decodeStdBase64(stored);
  if (!data || data.length < GCM_NONCE_BYTES + GCM_TAG_BYTES) return undefined;
  return data.length - GCM_NONCE_BYTES - GCM_TAG_BYTES;
}

/** Decrypts a dbcrypt value with `key`; undefined when it is no dbcrypt value or the key is not the one it was made with. */
export function decryptField(stored: string, key: Buffer): string | undefined {
  const data = decodeStdBase64(stored);
  if (!data || data.length < GCM_NONCE_BYTES + GCM_TAG_BYTES) return undefined;
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, data.subarray(0, GCM_NONCE_BYTES));
    decipher.setAuthTag(data.subarray(data.length - GCM_TAG_BYTES));
    return Buffer.concat([decipher.update(data.subarray(GCM_NONCE_BYTES, data.length - GCM_TAG_BYTES)), decipher.final()]).toString("utf8");
  } catch {
    return undefined;
  }
}

/** One row of the query: an OIDC user of Coder, with what Coder holds for its IdP login. */
export interface CoderOidcUserRow {
  readonly id: string;
  readonly username: string;
  readonly email: string;
  /** users.status: active, dormant or suspended. */
  readonly status: string;
  readonly deleted: boolean;
  readonly last_seen_at: Date | null;
  /** Whether a user_links row with login_type oidc exists. */
  readonly has_link: boolean;
  readonly oauth_refresh_token: string | null;
  readonly oauth_refresh_token_key_id: string | null;
  readonly oauth_expiry: Date | null;
  /** IDs of the user's unexpired api_keys with login_type oidc: its browser sessions from OIDC logins. */
  readonly session_key_ids: readonly string[];
}

/** Whether a refresh token is stored: exactly, or "unknown" when the stored value cannot be read as dbcrypt's. */
export type RefreshTokenPresence = "present" | "absent" | "unknown";
/** What kind of refresh token: Keycloak's say so in their `typ` claim; "unknown" for an opaque or unread one. */
export type RefreshTokenKind = "offline" | "idp-session" | "unknown";
/** When Coder will sign the user out for want of a refresh token. */
export type SignOutVerdict = "next-expiry" | "idp-session-end" | "no" | "unknown";
/** The user's state in Coder: only active and dormant users are still to sign in again. */
export type UserState = "active" | "dormant" | "suspended" | "deleted";

/** What `sessions` reports of one user (no token, no key ID). */
export interface UserSessionReport {
  readonly username: string;
  readonly email: string;
  readonly state: UserState;
  readonly refreshToken: RefreshTokenPresence;
  readonly refreshTokenKind: RefreshTokenKind;
  /** Whether Coder stores the user's refresh token encrypted (dbcrypt). */
  readonly encrypted: boolean;
  /** When a Keycloak refresh token bound to the IdP's session ends (its `exp`), ISO 8601. */
  readonly refreshTokenExpiresAt?: string;
  /** When the stored IdP access token expires or expired, ISO 8601; null: it never expires (Coder then never refreshes). */
  readonly accessTokenExpiresAt: string | null;
  readonly accessTokenExpired: boolean;
  /** users.last_seen_at, ISO 8601; null when never seen. */
  readonly lastSeenAt: string | null;
  /** How many unexpired Coder browser sessions from OIDC logins the user has. */
  readonly liveSessions: number;
  readonly signOut: SignOutVerdict;
  /** Whether the user counts: active or dormant, and what Coder holds ends in a sign-out. */
  readonly toSignInAgain: boolean;
  /** Why, in a few words. */
  readonly reason: string;
}

/** The claims of a JWT's payload, or undefined when `token` is no JWT. The token itself is never kept. */
function jwtClaims(token: string): Record<string, unknown> | undefined {
  const parts = token.split(".");
  if (parts.length !== 3) return undefined;
  try {
    const claims: unknown = JSON.parse(Buffer.from(parts[1]!, "base64url").toString("utf8"));
    return claims && typeof claims === "object" && !Array.isArray(claims) ? claims as Record<string, unknown> : undefined;
  } catch {
    return undefined;
  }
}

/** The kind of a readable refresh token, and when a session-bound one ends. */
function refreshTokenKind(token: string): { kind: RefreshTokenKind; expiresAt?: Date } {
  const claims = jwtClaims(token);
  if (claims?.typ === "Offline") return { kind: "offline" };
  if (claims?.typ === "Refresh") return { kind: "idp-session", expiresAt: typeof claims.exp === "number" && claims.exp > 0 ? new Date(claims.exp * 1000) : undefined };
  return { kind: "unknown" };
}

/** What can be told of the stored refresh token, with the keys when given. */
function readRefreshToken(row: CoderOidcUserRow, keys: readonly EncryptionKey[]): { presence: RefreshTokenPresence; kind: RefreshTokenKind; expiresAt?: Date; note?: string } {
  if (!row.has_link) return { presence: "absent", kind: "unknown", note: "Coder holds no IdP login for the user" };
  const stored = row.oauth_refresh_token ?? "";
  const keyId = row.oauth_refresh_token_key_id;
  if (!keyId) return stored === "" ? { presence: "absent", kind: "unknown" } : { presence: "present", ...refreshTokenKind(stored) };
  const length = encryptedPlaintextLength(stored);
  if (length === undefined) return { presence: "unknown", kind: "unknown", note: `the stored value is not dbcrypt's (key ${keyId})` };
  if (length === 0) return { presence: "absent", kind: "unknown" };
  const key = keys.find((k) => k.digest === keyId);
  if (!key) return { presence: "present", kind: "unknown", note: keys.length > 0 ? `no given key has digest ${keyId}` : undefined };
  const plain = decryptField(stored, key.key);
  if (plain === undefined) return { presence: "present", kind: "unknown", note: `the key with digest ${keyId} does not decrypt it` };
  return { presence: plain === "" ? "absent" : "present", ...refreshTokenKind(plain) };
}

/** Coder's zero time ('0001-01-01'): the IdP gave no expiry, so Coder never refreshes. */
function isZeroTime(d: Date | null): boolean {
  return d === null || d.getUTCFullYear() <= 1;
}

/** Classifies one OIDC user at time `now`. */
export function classifyUser(row: CoderOidcUserRow, keys: readonly EncryptionKey[], now: Date): UserSessionReport {
  const state: UserState = row.deleted ? "deleted" : row.status === "suspended" ? "suspended" : row.status === "dormant" ? "dormant" : "active";
  const refresh = readRefreshToken(row, keys);
  const neverExpires = isZeroTime(row.oauth_expiry);
  const accessExpired = !neverExpires && row.oauth_expiry!.getTime() <= now.getTime();
  let signOut: SignOutVerdict;
  let reason: string;
  if (!row.has_link) {
    signOut = "no";
    reason = "no IdP login stored: the next login is a fresh one";
  } else if (neverExpires) {
    signOut = "no";
    reason = "the IdP access token has no expiry, so Coder never refreshes it";
  } else if (refresh.presence === "absent") {
    signOut = "next-expiry";
    reason = "no refresh token stored: signed out when the IdP access token expires";
  } else if (refresh.presence === "unknown") {
    signOut = "unknown";
    reason = refresh.note ?? "the stored refresh token cannot be read";
  } else if (refresh.kind === "idp-session") {
    const ended = refresh.expiresAt !== undefined && refresh.expiresAt.getTime() <= now.getTime();
    signOut = ended ? "next-expiry" : "idp-session-end";
    reason = ended ? "the refresh token is bound to the IdP's session, which has ended"
      : "the refresh token is bound to the IdP's session (logged in without offline_access): signed out when that session ends";
  } else {
    signOut = "no";
    reason = refresh.kind === "offline" ? "offline refresh token stored" : "refresh token stored" + (refresh.note ? ` (${refresh.note})` : "");
  }
  const counts = state === "active" || state === "dormant";
  return {
    username: row.username,
    email: row.email,
    state,
    refreshToken: refresh.presence,
    refreshTokenKind: refresh.kind,
    encrypted: Boolean(row.oauth_refresh_token_key_id),
    ...(refresh.kind === "idp-session" && refresh.expiresAt ? { refreshTokenExpiresAt: refresh.expiresAt.toISOString() } : {}),
    accessTokenExpiresAt: neverExpires ? null : row.oauth_expiry!.toISOString(),
    accessTokenExpired: accessExpired,
    lastSeenAt: isZeroTime(row.last_seen_at) ? null : row.last_seen_at!.toISOString(),
    liveSessions: row.session_key_ids.length,
    signOut,
    toSignInAgain: counts && (signOut === "next-expiry" || signOut === "idp-session-end"),
    reason: counts ? reason : `${state}: not to sign in again`,
  };
}

/** Exit code of `sessions`: 1 when an active or dormant user is to sign in again; 2 when one cannot be told; else 0. */
export function sessionsExitCode(users: readonly UserSessionReport[]): number {
  const counted = users.filter((u) => u.state === "active" || u.state === "dormant");
  if (counted.some((u) => u.toSignInAgain)) return 1;
  return counted.some((u) => u.signOut === "unknown") ? 2 : 0;
}

/** Masks what must never be printed: the user info of any URL, `password=` settings, and each of `secrets` verbatim. */
export function maskSecrets(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text;
  for (const s of secrets) if (s && s.length >= 3) out = out.split(s).join("***");
  return out
    .replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^/\s@]+@/gi, "$1***@")
    .replace(/\bpassword=\S+/gi, "password=***");
}

const SIGN_OUT_TEXT: Record<SignOutVerdict, string> = {
  "next-expiry": "at the next expiry",
  "idp-session-end": "when the IdP session ends",
  no: "no",
  unknown: "cannot tell",
};

/** The report as text: a table of the active and dormant users, the others counted, and what to do. */
export function renderSessions(users: readonly UserSessionReport[]): string {
  const counted = users.filter((u) => u.state === "active" || u.state === "dormant");
  const others = users.length - counted.length;
  if (counted.length === 0) {
    return `No active OIDC user in Coder's database${others > 0 ? ` (${others} suspended or deleted, not counted)` : ""}.\n`;
  }
  const refreshText = (u: UserSessionReport) => u.refreshToken === "present"
    ? (u.refreshTokenKind === "offline" ? "offline" : u.refreshTokenKind === "idp-session" ? "IdP-session" : "stored") + (u.encrypted ? " (encrypted)" : "")
    : u.refreshToken === "absent" ? "none" + (u.encrypted ? " (encrypted)" : "") : "cannot tell";
  const rows = [
    ["USER", "STATE", "REFRESH TOKEN", "IDP ACCESS TOKEN EXPIRES", "LAST SEEN", "SESSIONS", "SIGNED OUT"],
    ...counted.map((u) => [
      u.username, u.state, refreshText(u),
      u.accessTokenExpiresAt === null ? "never" : `${u.accessTokenExpiresAt}${u.accessTokenExpired ? " (expired)" : ""}`,
      u.lastSeenAt ?? "never", String(u.liveSessions), SIGN_OUT_TEXT[u.signOut],
    ]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const lines = rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join("  ").trimEnd());
  const toSignIn = counted.filter((u) => u.toSignInAgain);
  const unknown = counted.filter((u) => u.signOut === "unknown");
  const out = [...lines, ""];
  if (others > 0) out.push(`${others} suspended or deleted OIDC user(s) not counted.`);
  if (toSignIn.length > 0) {
    out.push(`${toSignIn.length} of ${counted.length} active OIDC user(s) will be signed out: ${toSignIn.map((u) => u.username).join(", ")}.`,
      "Once Coder asks for offline_access (coder-oidc verify), each must sign in once more to get a refresh token;",
      "`coder-oidc sessions --sign-out --coder-url <url>` ends their Coder sessions now, so they do at their next visit.");
  } else if (unknown.length > 0) {
    out.push(`Cannot tell for: ${unknown.map((u) => `${u.username} (${u.reason})`).join(", ")}.`);
  } else {
    out.push(`Every active OIDC user (${counted.length}) has a refresh token.`);
  }
  return out.join("\n") + "\n";
}
