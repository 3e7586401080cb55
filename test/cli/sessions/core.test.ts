/** cli/sessions/core.ts: Coder's dbcrypt format, the schema check, each user's classification, masking and the text report. */
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { describe, it } from "node:test";
import {
  classifyUser, decodeStdBase64, decryptField, encryptedPlaintextLength, keyDigest, maskSecrets, parseEncryptionKeys, REQUIRED_COLUMNS,
  renderSessions, schemaProblem, sessionsExitCode, type CoderOidcUserRow, type EncryptionKey,
} from "../../../cli/sessions/core";
import { dbcryptEncrypt, keycloakRefreshToken } from "../../support/dbcrypt";

const KEY = randomBytes(32);
const OTHER_KEY = randomBytes(32);
const KEYS: EncryptionKey[] = [{ key: KEY, digest: keyDigest(KEY) }];
const NOW = new Date("2026-12-06T12:00:00Z");
const FUTURE = new Date("2026-12-06T13:00:00Z");
const PAST = new Date("2026-12-06T11:00:00Z");

/** An active OIDC user holding `refresh` in plain text, with one live session, whose access token expires in an hour. */
function row(overrides: Partial<CoderOidcUserRow> = {}): CoderOidcUserRow {
  return {
    id: "7d6f0b4e-0000-4000-8000-000000000001", username: "bob", email: "bob@example.com", status: "active", deleted: false,
    last_seen_at: PAST, has_link: true, oauth_refresh_token: "", oauth_refresh_token_key_id: null, oauth_expiry: FUTURE,
    session_key_ids: ["AbCdEf1234"], ...overrides,
  };
}

describe("Coder's dbcrypt values", () => {
  it("the key digest is the first 7 hex characters of sha256(\"aes256gcm\" ‖ key)", () => {
    const key = Buffer.alloc(32, 7);
    assert.equal(keyDigest(key), createHash("sha256").update("aes256gcm").update(key).digest("hex").slice(0, 7));
    assert.match(keyDigest(KEY), /^[0-9a-f]{7}$/);
    assert.notEqual(keyDigest(KEY), keyDigest(OTHER_KEY));
  });

  it("an encrypted empty token is exactly nonce + tag (28 bytes), so it is told without the key; a present one is longer", () => {
    const empty = dbcryptEncrypt("", KEY);
    assert.equal(Buffer.from(empty, "base64").length, 28);
    assert.equal(encryptedPlaintextLength(empty), 0);
    assert.equal(encryptedPlaintextLength(dbcryptEncrypt("x", KEY)), 1);
    assert.equal(encryptedPlaintextLength(dbcryptEncrypt("a refresh token", OTHER_KEY)), 15);
  });

  it("only padded standard base64 of at least 28 bytes is a dbcrypt value (as Go's StdEncoding decodes)", () => {
    assert.equal(encryptedPlaintextLength(""), undefined);
    assert.equal(encryptedPlaintextLength("plain-refresh-token"), undefined);
    assert.equal(encryptedPlaintextLength(Buffer.alloc(27).toString("base64")), undefined);
    assert.equal(encryptedPlaintextLength(Buffer.alloc(29).toString("base64").replace(/=+$/, "")), undefined, "unpadded");
    assert.equal(encryptedPlaintextLength(Buffer.alloc(30, 0xff).toString("base64url")), undefined, "URL alphabet");
    assert.deepEqual(decodeStdBase64("AAECAw=="), Buffer.from([0, 1, 2, 3]));
  });

  it("decrypts with the right key, and not with another or a damaged value", () => {
    const stored = dbcryptEncrypt("r3fresh", KEY);
    assert.equal(decryptField(stored, KEY), "r3fresh");
    assert.equal(decryptField(dbcryptEncrypt("", KEY), KEY), "");
    assert.equal(decryptField(stored, OTHER_KEY), undefined);
    const damaged = Buffer.from(stored, "base64");
    damaged[13]! ^= 1;
    assert.equal(decryptField(damaged.toString("base64"), KEY), undefined);
    assert.equal(decryptField("not base64!", KEY), undefined);
  });

  it("CODER_EXTERNAL_TOKEN_ENCRYPTION_KEYS: comma-separated base64 keys of 32 bytes; a bad one is named by position only", () => {
    const parsed = parseEncryptionKeys(`${KEY.toString("base64")}, ${OTHER_KEY.toString("base64")}`);
    assert.deepEqual(parsed.map((k) => k.digest), [keyDigest(KEY), keyDigest(OTHER_KEY)]);
    assert.ok(parsed[1]!.key.equals(OTHER_KEY));
    const short = randomBytes(16).toString("base64");
    assert.throws(() => parseEncryptionKeys(`${KEY.toString("base64")},${short},not*base64`), (err: Error) => {
      assert.equal(err.message, "CODER_EXTERNAL_TOKEN_ENCRYPTION_KEYS: key 2 is 16 bytes, not 32; key 3 is not standard base64");
      assert.ok(!err.message.includes(short));
      return true;
    });
    assert.throws(() => parseEncryptionKeys(" , "), /holds no key/);
  });
});

describe("the schema check", () => {
  const all = Object.entries(REQUIRED_COLUMNS).flatMap(([table_name, cols]) => cols.map((column_name) => ({ table_name, column_name })));
  it("Coder v2.30's tables and columns pass", () => assert.equal(schemaProblem(all), undefined));
  it("no user_links: not Coder's database", () => {
    assert.equal(schemaProblem(all.filter((c) => c.table_name !== "user_links")),
      "this is not Coder's database: it has no table user_links (give the URL Coder itself uses, CODER_PG_CONNECTION_URL)");
    assert.match(schemaProblem([])!, /not Coder's database/);
  });
  it("missing columns: another Coder version, each column named", () => {
    const problem = schemaProblem(all.filter((c) => !["oauth_refresh_token_key_id", "expires_at"].includes(c.column_name)));
    assert.equal(problem, "the schema is from another Coder version: sessions expects Coder 2.30.x's columns, and these are missing: " +
      "user_links.oauth_refresh_token_key_id, api_keys.expires_at");
  });
});

describe("each OIDC user's classification", () => {
  const classify = (r: CoderOidcUserRow, keys: EncryptionKey[] = []) => classifyUser(r, keys, NOW);

  it("no refresh token stored (plain ''): signed out at the next expiry, to sign in again", () => {
    const u = classify(row());
    assert.deepEqual(u, {
      username: "bob", email: "bob@example.com", state: "active", refreshToken: "absent", refreshTokenKind: "unknown", encrypted: false,
      accessTokenExpiresAt: FUTURE.toISOString(), accessTokenExpired: false, lastSeenAt: PAST.toISOString(), liveSessions: 1,
      signOut: "next-expiry", toSignInAgain: true, reason: "no refresh token stored: signed out when the IdP access token expires",
    });
    assert.equal(classify(row({ oauth_expiry: PAST })).accessTokenExpired, true);
  });

  it("an opaque refresh token, or Keycloak's offline one: not signed out", () => {
    const opaque = classify(row({ oauth_refresh_token: "opaque-token-value" }));
    assert.deepEqual([opaque.refreshToken, opaque.refreshTokenKind, opaque.signOut, opaque.toSignInAgain], ["present", "unknown", "no", false]);
    const offline = classify(row({ oauth_refresh_token: keycloakRefreshToken("Offline", 0) }));
    assert.deepEqual([offline.refreshTokenKind, offline.signOut, offline.reason], ["offline", "no", "offline refresh token stored"]);
  });

  it("Keycloak's session-bound refresh token (no offline_access): signed out when the IdP session ends, or at the next expiry once it has", () => {
    const exp = Math.floor(FUTURE.getTime() / 1000) + 600;
    const live = classify(row({ oauth_refresh_token: keycloakRefreshToken("Refresh", exp) }));
    assert.deepEqual([live.refreshToken, live.refreshTokenKind, live.signOut, live.toSignInAgain, live.refreshTokenExpiresAt],
      ["present", "idp-session", "idp-session-end", true, new Date(exp * 1000).toISOString()]);
    const ended = classify(row({ oauth_refresh_token: keycloakRefreshToken("Refresh", Math.floor(PAST.getTime() / 1000)) }));
    assert.deepEqual([ended.signOut, ended.toSignInAgain], ["next-expiry", true]);
    assert.equal(classify(row({ oauth_refresh_token: keycloakRefreshToken("Refresh") })).signOut, "idp-session-end");
  });

  it("encrypted, without the keys: an empty token is told exactly, a present one is present (its kind unknown)", () => {
    const digest = keyDigest(KEY);
    const empty = classify(row({ oauth_refresh_token: dbcryptEncrypt("", KEY), oauth_refresh_token_key_id: digest }));
    assert.deepEqual([empty.refreshToken, empty.encrypted, empty.signOut, empty.toSignInAgain], ["absent", true, "next-expiry", true]);
    const present = classify(row({ oauth_refresh_token: dbcryptEncrypt(keycloakRefreshToken("Refresh"), KEY), oauth_refresh_token_key_id: digest }));
    assert.deepEqual([present.refreshToken, present.refreshTokenKind, present.signOut], ["present", "unknown", "no"]);
  });

  it("encrypted, with the keys: the token is read, so a session-bound one is found", () => {
    const digest = keyDigest(KEY);
    const bound = classify(row({ oauth_refresh_token: dbcryptEncrypt(keycloakRefreshToken("Refresh"), KEY), oauth_refresh_token_key_id: digest }), KEYS);
    assert.deepEqual([bound.refreshTokenKind, bound.signOut, bound.toSignInAgain], ["idp-session", "idp-session-end", true]);
    const offline = classify(row({ oauth_refresh_token: dbcryptEncrypt(keycloakRefreshToken("Offline"), KEY), oauth_refresh_token_key_id: digest }), KEYS);
    assert.deepEqual([offline.refreshTokenKind, offline.signOut], ["offline", "no"]);
    const empty = classify(row({ oauth_refresh_token: dbcryptEncrypt("", KEY), oauth_refresh_token_key_id: digest }), KEYS);
    assert.equal(empty.refreshToken, "absent");
  });

  it("encrypted with a key not given, or one that does not decrypt it: present, and why its kind is unknown", () => {
    const other = classify(row({ oauth_refresh_token: dbcryptEncrypt("tok", OTHER_KEY), oauth_refresh_token_key_id: keyDigest(OTHER_KEY) }), KEYS);
    assert.deepEqual([other.refreshToken, other.signOut, other.reason], ["present", "no", `refresh token stored (no given key has digest ${keyDigest(OTHER_KEY)})`]);
    const wrong = classify(row({ oauth_refresh_token: dbcryptEncrypt("tok", OTHER_KEY), oauth_refresh_token_key_id: keyDigest(KEY) }), KEYS);
    assert.equal(wrong.reason, `refresh token stored (the key with digest ${keyDigest(KEY)} does not decrypt it)`);
  });

  it("a key id with a value that is no dbcrypt value: cannot tell (exit 2 when nobody is to sign in again)", () => {
    const u = classify(row({ oauth_refresh_token: "plain!", oauth_refresh_token_key_id: "abc1234" }));
    assert.deepEqual([u.refreshToken, u.signOut, u.reason], ["unknown", "unknown", "the stored value is not dbcrypt's (key abc1234)"]);
    assert.equal(sessionsExitCode([u]), 2);
    assert.equal(sessionsExitCode([u, classify(row())]), 1);
  });

  it("an access token without expiry (Coder's zero time) is never refreshed, so never signs out", () => {
    const u = classify(row({ oauth_expiry: new Date("0001-01-01T00:00:00Z"), last_seen_at: new Date("0001-01-01T00:00:00Z") }));
    assert.deepEqual([u.accessTokenExpiresAt, u.accessTokenExpired, u.signOut, u.lastSeenAt], [null, false, "no", null]);
  });

  it("suspended and deleted users are not to sign in again; dormant ones are", () => {
    const suspended = classify(row({ status: "suspended" }));
    assert.deepEqual([suspended.state, suspended.toSignInAgain, suspended.reason], ["suspended", false, "suspended: not to sign in again"]);
    const deleted = classify(row({ deleted: true }));
    assert.deepEqual([deleted.state, deleted.toSignInAgain], ["deleted", false]);
    assert.equal(sessionsExitCode([suspended, deleted]), 0);
    const dormant = classify(row({ status: "dormant" }));
    assert.deepEqual([dormant.state, dormant.toSignInAgain], ["dormant", true]);
  });

  it("an OIDC user without a stored IdP login signs in afresh next time", () => {
    const u = classify(row({ has_link: false, oauth_refresh_token: null, oauth_expiry: null, session_key_ids: [] }));
    assert.deepEqual([u.refreshToken, u.signOut, u.toSignInAgain, u.liveSessions], ["absent", "no", false, 0]);
  });

  it("exit codes: 0 everyone has a refresh token, 1 someone doesn't", () => {
    assert.equal(sessionsExitCode([]), 0);
    assert.equal(sessionsExitCode([classify(row({ oauth_refresh_token: "opaque" }))]), 0);
    assert.equal(sessionsExitCode([classify(row({ oauth_refresh_token: "opaque" })), classify(row({ username: "carol" }))]), 1);
  });
});

describe("masking and the text report", () => {
  it("masks URL user info, password= settings and given secrets", () => {
    assert.equal(maskSecrets("at postgres://coder:s3cret@db:5432/coder?sslmode=disable"), "at postgres://***@db:5432/coder?sslmode=disable");
    assert.equal(maskSecrets("host=db password=s3cret user=coder"), "host=db password=*** user=coder");
    assert.equal(maskSecrets('token "abc-123-xyz" is invalid', ["abc-123-xyz"]), 'token "***" is invalid');
  });

  it("a table of the active users, who is to sign in again and what to do; never a token", () => {
    const token = keycloakRefreshToken("Offline");
    const users = [
      classifyUser(row(), [], NOW),
      classifyUser(row({ username: "carol", email: "carol@example.com", oauth_refresh_token: token, oauth_expiry: PAST }), [], NOW),
      classifyUser(row({ username: "dave", status: "suspended" }), [], NOW),
    ];
    const text = renderSessions(users);
    assert.equal(text, [
      "USER   STATE   REFRESH TOKEN  IDP ACCESS TOKEN EXPIRES            LAST SEEN                 SESSIONS  SIGNED OUT",
      "bob    active  none           2026-12-06T13:00:00.000Z            2026-12-06T11:00:00.000Z  1         at the next expiry",
      "carol  active  offline        2026-12-06T11:00:00.000Z (expired)  2026-12-06T11:00:00.000Z  1         no",
      "",
      "1 suspended or deleted OIDC user(s) not counted.",
      "1 of 2 active OIDC user(s) will be signed out: bob.",
      "Once Coder asks for offline_access (coder-oidc verify), each must sign in once more to get a refresh token;",
      "`coder-oidc sessions --sign-out --coder-url <url>` ends their Coder sessions now, so they do at their next visit.",
      "",
    ].join("\n"));
    assert.ok(!text.includes(token));
    assert.equal(renderSessions([users[1]!]).split("\n").at(-2), "Every active OIDC user (1) has a refresh token.");
    assert.equal(renderSessions([users[2]!]), "No active OIDC user in Coder's database (1 suspended or deleted, not counted).\n");
    assert.equal(renderSessions([]), "No active OIDC user in Coder's database.\n");
    const unknown = classifyUser(row({ oauth_refresh_token: "x", oauth_refresh_token_key_id: "abc1234" }), [], NOW);
    assert.match(renderSessions([unknown]), /cannot tell[\s\S]*Cannot tell for: bob \(the stored value is not dbcrypt's \(key abc1234\)\)\.\n$/);
  });
});
