/** The admin API client's retry rules: what is retried, the backoff and its defaults, and `Retry-After`. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DEFAULT_TIMEOUT_MS } from "../../../idps/pingfederate/admin-api";
import { DEFAULT_RETRY_POLICY, isRetryable, parseRetryAfterMs, retryDelayMs } from "../../../idps/pingfederate/retry";

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

  it("retries what may pass on a second try, and nothing else", () => {
    const retried = ["ECONNRESET", "ETIMEDOUT", "ECONNABORTED", "EPIPE"];
    for (const code of [...retried, "ECONNREFUSED", "ENOTFOUND", "DEPTH_ZERO_SELF_SIGNED_CERT", "ERR_BAD_RESPONSE", undefined]) {
      assert.equal(isRetryable({ code }), retried.includes(code ?? "-"), String(code));
    }
    for (const status of [400, 401, 403, 404, 409, 422, 428, 429, 500, 501, 502, 503, 504, 505]) {
      const response = { status } as NonNullable<Parameters<typeof isRetryable>[0]["response"]>;
      // The status decides, whatever the code says.
      assert.equal(isRetryable({ code: "ECONNRESET", response }), [429, 502, 503, 504].includes(status), String(status));
    }
  });
});
