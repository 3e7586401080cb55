/** The PingFederate client's pure parts, at their edges: versions, grant times, retry delays and their defaults. */
import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";
import { ConfigError } from "../../../src/errors";
import {
  credentialFieldsFromConfig, credentialSecrets, DEFAULT_RETRY_POLICY, DEFAULT_TIMEOUT_MS, forgetConfiguredCredentials, grantTimeFromSeconds, grantTimeSeconds, parseRetryAfterMs, retryDelayMs,
  rememberConfiguredCredentials, resolveAdminCredentials, supportsOfflineAccessSettings, versionAtLeast,
} from "../../../idps/pingfederate/api";
import { redact } from "../../../src/redact";

describe("versionAtLeast", () => {
  it("compares dotted versions part by part, a missing or non-numeric part counting as 0", () => {
    const cases: [string, string, boolean][] = [
      ["12.1", "12.1", true], ["12.1.0.4", "12.1", true], ["12.1", "12.1.0", true], ["12.0.9", "12.1", false],
      ["13", "12.1", true], ["12", "12.1", false], ["11.3.5", "12", false], ["12.x.1", "12.0.1", true], ["12.2", "12.10", false],
    ];
    for (const [version, minimum, expected] of cases) assert.equal(versionAtLeast(version, minimum), expected, `${version} >= ${minimum}`);
  });

  it("finds the offline-access client fields from 12.1 on", () => {
    assert.deepEqual(["12.0.5", "12.1", "12.1.0.4", "12.2", "13.0"].map(supportsOfflineAccessSettings), [false, true, true, true, true]);
  });
});

describe("grant times", () => {
  it("writes seconds in the largest unit that divides them, and nothing finer than minutes", () => {
    assert.deepEqual(grantTimeFromSeconds(86400), { time: 1, unit: "DAYS" });
    assert.deepEqual(grantTimeFromSeconds(7200), { time: 2, unit: "HOURS" });
    assert.deepEqual(grantTimeFromSeconds(5400), { time: 90, unit: "MINUTES" });
    assert.deepEqual(grantTimeFromSeconds(60), { time: 1, unit: "MINUTES" });
    assert.deepEqual(grantTimeFromSeconds(2 * 86400 + 60), { time: 2881, unit: "MINUTES" });
    for (const seconds of [59, 90, 0, -60, 1.5, 2 ** 53 * 60, Number.NaN]) assert.equal(grantTimeFromSeconds(seconds), undefined, String(seconds));
  });

  it("reads a time and unit back as seconds, and nothing that is not a finite number of a known unit", () => {
    assert.equal(grantTimeSeconds(2, "DAYS"), 172800);
    assert.equal(grantTimeSeconds(1, "HOURS"), 3600);
    assert.equal(grantTimeSeconds(90, "MINUTES"), 5400);
    for (const [time, unit] of [["2", "DAYS"], [Number.NaN, "DAYS"], [Number.POSITIVE_INFINITY, "HOURS"], [2, "WEEKS"], [2, undefined], [undefined, "DAYS"]]) {
      assert.equal(grantTimeSeconds(time, unit), undefined, `${String(time)} ${String(unit)}`);
    }
  });
});

describe("retries", () => {
  it("has documented defaults: 5 attempts, 250 ms doubling to 8 s, none after 60 s, 30 s per attempt", () => {
    assert.deepEqual(DEFAULT_RETRY_POLICY, { maxAttempts: 5, baseDelayMs: 250, maxDelayMs: 8000, totalTimeMs: 60_000 });
    assert.equal(DEFAULT_TIMEOUT_MS, 30_000);
  });

  it("backs off exponentially, capped, with equal jitter, and never less than Retry-After", () => {
    const policy = { ...DEFAULT_RETRY_POLICY };
    const now = Date.UTC(2026, 11, 1);
    assert.equal(retryDelayMs(1, undefined, policy, () => 0, now), 125);
    assert.equal(retryDelayMs(1, undefined, policy, () => 1, now), 250);
    assert.equal(retryDelayMs(3, undefined, policy, () => 0.5, now), 750);
    assert.equal(retryDelayMs(10, undefined, policy, () => 0, now), 4000);
    assert.equal(retryDelayMs(0, undefined, policy, () => 0, now), 125);
    assert.equal(retryDelayMs(1, "10", policy, () => 1, now), 10_000);
    assert.equal(retryDelayMs(1, new Date(now + 5000).toUTCString(), policy, () => 1, now), 5000);
    assert.equal(retryDelayMs(4, "1", policy, () => 1, now), 2000);
  });

  it("reads Retry-After as seconds or an HTTP date, and nothing else", () => {
    const now = Date.UTC(2026, 11, 1);
    assert.equal(parseRetryAfterMs(" 3 ", now), 3000);
    assert.equal(parseRetryAfterMs("0", now), 0);
    assert.equal(parseRetryAfterMs(new Date(now + 7000).toUTCString(), now), 7000);
    assert.equal(parseRetryAfterMs(new Date(now - 7000).toUTCString(), now), 0);
    for (const value of [undefined, "", "   ", "soon"]) assert.equal(parseRetryAfterMs(value, now), undefined, String(value));
  });
});

describe("admin credentials", () => {
  const env = (values: Record<string, string>) => values as NodeJS.ProcessEnv;
  const problemsOf = (f: () => unknown): string[] => {
    try {
      f();
    } catch (err) {
      assert.ok(err instanceof ConfigError, String(err));
      return [err.message.split("\n")[0], ...err.problems.map((p) => `${p.key}: ${p.message}`)];
    }
    assert.fail("expected a ConfigError");
  };
  afterEach(() => forgetConfiguredCredentials());

  it("reads the credential fields of the stack's pingfederate section, and nothing that is not a non-empty string", () => {
    assert.deepEqual(credentialFieldsFromConfig('{"username":"admin","password":"pw","adminUrl":"https://x"}'),
      { username: "admin", password: "pw", token: undefined });
    assert.deepEqual(credentialFieldsFromConfig('{"token":"t","username":"","password":7}'), { username: undefined, password: undefined, token: "t" });
    for (const text of [undefined, "", "{", "null", "42"]) assert.equal(credentialFieldsFromConfig(text), undefined, String(text));
  });

  it("takes the stack's credentials first, then the environment's", () => {
    const fromEnv = env({ PINGFEDERATE_ADMIN_USERNAME: "env-admin", PINGFEDERATE_ADMIN_PASSWORD: "env-pw" });
    assert.deepEqual(resolveAdminCredentials(fromEnv), { kind: "basic", username: "env-admin", password: "env-pw" });
    assert.deepEqual(resolveAdminCredentials(env({ PINGFEDERATE_ADMIN_TOKEN: "env-token" })), { kind: "bearer", token: "env-token" });
    rememberConfiguredCredentials({ username: "admin", password: "pw" });
    assert.deepEqual(resolveAdminCredentials(fromEnv), { kind: "basic", username: "admin", password: "pw" });
    rememberConfiguredCredentials({ token: "stack-token" });
    assert.deepEqual(resolveAdminCredentials(fromEnv), { kind: "bearer", token: "stack-token" });
    rememberConfiguredCredentials({});
    assert.deepEqual(resolveAdminCredentials(fromEnv), { kind: "basic", username: "env-admin", password: "env-pw" });
  });

  it("names the incomplete or doubled key, in the stack or the environment", () => {
    rememberConfiguredCredentials({ password: "pw" });
    assert.deepEqual(problemsOf(() => resolveAdminCredentials(env({}))),
      ["Incomplete PingFederate admin credentials:", "coder-oidc:pingfederate.username: is required when coder-oidc:pingfederate.password is set"]);
    rememberConfiguredCredentials({ username: "admin" });
    assert.deepEqual(problemsOf(() => resolveAdminCredentials(env({}))),
      ["Incomplete PingFederate admin credentials:", "coder-oidc:pingfederate.password: is required when coder-oidc:pingfederate.username is set"]);
    rememberConfiguredCredentials({ token: "t", username: "admin" });
    assert.deepEqual(problemsOf(() => resolveAdminCredentials(env({}))), ["Incomplete PingFederate admin credentials:",
      "coder-oidc:pingfederate.token: is set together with coder-oidc:pingfederate.username/coder-oidc:pingfederate.password: choose one way to log in"]);
    forgetConfiguredCredentials();
    assert.deepEqual(problemsOf(() => resolveAdminCredentials(env({ PINGFEDERATE_ADMIN_TOKEN: "t", PINGFEDERATE_ADMIN_PASSWORD: "pw" }))),
      ["Incomplete PingFederate admin credentials:",
        "PINGFEDERATE_ADMIN_TOKEN: is set together with PINGFEDERATE_ADMIN_USERNAME/PINGFEDERATE_ADMIN_PASSWORD: choose one way to log in"]);
  });

  it("says both ways to give credentials when there are none", () => {
    assert.deepEqual(problemsOf(() => resolveAdminCredentials(env({}))), ["PingFederate admin credentials are missing:",
      "coder-oidc:pingfederate: no admin API credentials. Either set PINGFEDERATE_ADMIN_USERNAME and PINGFEDERATE_ADMIN_PASSWORD " +
      "(basic auth) or PINGFEDERATE_ADMIN_TOKEN (bearer token) in the environment of pulumi, or store them in the stack: " +
      "pulumi config set --secret --path 'pingfederate.username' <user> and pulumi config set --secret --path " +
      "'pingfederate.password' <password> (or 'pingfederate.token' <token>)"]);
  });

  it("keeps user:password among the secrets of basic credentials, as Basic authentication sends it", () => {
    assert.deepEqual(credentialSecrets({ kind: "basic", username: "admin", password: "pw" }), ["pw", "admin:pw"]);
    assert.deepEqual(credentialSecrets({ kind: "bearer", token: "t0k" }), ["t0k"]);
  });
});

describe("redact", () => {
  it("hides the credential of an Authorization header, however it is written", () => {
    assert.equal(redact("Authorization: Basic dXNlcjpwYXNz", []), "Authorization: Basic [redacted]");
    assert.equal(redact('{"authorization":"Bearer abc.def-ghi"}', []), '{"authorization":"Bearer [redacted]"}');
    assert.equal(redact("authorization = bearer xyz, next", []), "authorization = bearer [redacted], next");
    assert.equal(redact("AUTHORIZATION:basic   abc;x", []), "AUTHORIZATION:basic [redacted];x");
    assert.equal(redact("'Authorization' : 'Basic abc'", []), "'Authorization' : 'Basic [redacted]'");
  });

  it("hides a Basic or Bearer credential anywhere, and leaves the words alone", () => {
    assert.equal(redact("sent Basic dXNlcjpwYXNz0= and Bearer eyJhbGciOi.x", []), "sent Basic [redacted] and Bearer [redacted]");
    assert.equal(redact("Basic authentication, Bearer tokens", []), "Basic authentication, Bearer tokens");
    assert.equal(redact("Basic abc1", []), "Basic abc1");
  });

  it("hides every occurrence of a secret in every form a server may echo it", () => {
    const secret = 'p@ss wörd"\\1';
    const b64 = Buffer.from(secret).toString("base64");
    const forms = [secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1), b64, b64.replace(/=+$/, ""),
      Buffer.from(secret).toString("base64url")];
    const text = forms.map((f) => `<${f}>`).join(" ");
    assert.equal(redact(text, [secret]), forms.map(() => "<[redacted]>").join(" "));
    assert.equal(redact("abcd1234 then abcd1234", ["abcd1234"]), "[redacted] then [redacted]");
  });

  it("hides the longest secret first, and ignores an empty one", () => {
    assert.equal(redact("key abcdefgh", ["abcd", "abcdefgh"]), "key [redacted]");
    assert.equal(redact("nothing here", [""]), "nothing here");
  });

  it("hides a secret of 4 characters inside a word, and a shorter one only where it stands alone", () => {
    assert.equal(redact("xwxyzx", ["wxyz"]), "x[redacted]x");
    assert.equal(redact("pw: pw, pwned pw", ["pw"]), "[redacted]: [redacted], pwned [redacted]");
    assert.equal(redact("a.b a.b", ["a.b"]), "[redacted] [redacted]");
  });
});
