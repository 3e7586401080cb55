/**
 * How the admin API client retries a failed GET/PUT/DELETE: which failures, how long to wait (exponential backoff
 * with jitter, `Retry-After` honoured) and within which budget. Pure functions; the transport (./admin-api) applies
 * them, and never repeats a POST blindly.
 */
import type { AxiosError } from "axios";

/** How hard to retry a failed GET/PUT/DELETE. */
export interface RetryPolicy {
  /** Most attempts per call, the first included. Default 5. */
  readonly maxAttempts: number;
  /** Backoff before the first retry; doubles each time. Default 250 ms. */
  readonly baseDelayMs: number;
  /** Longest backoff between two attempts (a longer `Retry-After` is still honoured). Default 8 s. */
  readonly maxDelayMs: number;
  /** No retry starts after this long since the first attempt. Default 60 s. */
  readonly totalTimeMs: number;
}

/** The retry policy used unless a connection sets its own. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 250, maxDelayMs: 8000, totalTimeMs: 60_000 };

/**
 * Backoff before retry number `retryNumber` (1 = the first retry): exponential from `baseDelayMs`, capped at
 * `maxDelayMs`, with "equal jitter" (between half and all of it), and never shorter than what the server asked
 * for in `Retry-After`.
 */
export function retryDelayMs(
  retryNumber: number,
  retryAfter: string | undefined,
  policy: RetryPolicy,
  random: () => number = Math.random,
  now: number = Date.now(),
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retryNumber - 1));
  const jittered = ceiling / 2 + random() * (ceiling / 2);
  return Math.max(jittered, parseRetryAfterMs(retryAfter, now) ?? 0);
}

/** `Retry-After` in ms: delta-seconds or an HTTP date. Undefined when absent or unreadable. */
export function parseRetryAfterMs(value: string | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * Whether a failed attempt may be repeated (for GET/PUT/DELETE only): 429, 502, 503, 504, and a connection that
 * was reset, timed out, aborted or closed while sending.
 */
export function isRetryable(error: Pick<AxiosError, "code" | "response">): boolean {
  const status = error.response?.status;
  if (status !== undefined) return status === 429 || status === 502 || status === 503 || status === 504;
  return ["ECONNRESET", "ETIMEDOUT", "ECONNABORTED", "EPIPE"].includes(error.code ?? "");
}
