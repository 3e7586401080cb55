/**
 * What the IdP management-API clients (graph.ts, okta.ts, auth0.ts) share: a JSON GET client on axios with bounded
 * retries (network errors, 429 and 5xx, idempotent requests only), a timeout and a cap on answer sizes; every failure
 * an {@link IdpApiError} that names the method, the path, the status and the API's own message, with every
 * credential the client knows masked (some servers echo a token back in an error).
 */
import axios, { type AxiosInstance, type RawAxiosResponseHeaders, type AxiosResponseHeaders } from "axios";
import axiosRetry, { exponentialDelay, isNetworkOrIdempotentRequestError } from "axios-retry";
import { CoderOidcError } from "./errors";

/** What replaces a secret in anything printed. */
export const MASK = "****";

/** `text` with every non-empty secret replaced by {@link MASK}; URL user info masked too. */
export function maskSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text.replace(/(\b[a-z][a-z0-9+.-]*:\/\/)[^/@\s]+@/gi, `$1${MASK}@`);
  for (const secret of secrets) {
    if (!secret || secret.length < 4) continue;
    out = out.split(secret).join(MASK);
    const encoded = encodeURIComponent(secret);
    if (encoded !== secret) out = out.split(encoded).join(MASK);
  }
  return out;
}

/** A management-API call that failed: what was asked, what the API answered. */
export class IdpApiError extends CoderOidcError {
  static readonly code: string = "ERR_IDP_API";
  override readonly code: string = IdpApiError.code;
  /**
   * @param method The HTTP method.
   * @param url The URL asked (credentials masked).
   * @param status The HTTP status, or 0 when nothing answered.
   * @param apiMessage The API's own message (masked), or the transport error.
   */
  constructor(readonly method: string, readonly url: string, readonly status: number, readonly apiMessage: string) {
    super(status === 0 ? `${method} ${url} failed: ${apiMessage}` : `${method} ${url} answered HTTP ${status}: ${apiMessage}`);
  }
}

/** A JSON answer. */
export interface JsonAnswer<T> {
  /** HTTP status (2xx, or 404 when `allowNotFound`). */
  readonly status: number;
  /** The body. */
  readonly data: T;
  /** The headers, lower-case names. */
  readonly headers: RawAxiosResponseHeaders | AxiosResponseHeaders;
}

/** How a client is made. */
export interface JsonClientOptions {
  /** The API's base URL; paths are appended to it. */
  readonly baseUrl: string;
  /** Headers on every request (the credential), or a function that gives them (a token fetched once). */
  readonly headers: () => Promise<Record<string, string>>;
  /** Secrets to mask in every message. */
  readonly secrets: () => readonly (string | undefined)[];
  /** The API's own message from an error body. */
  readonly errorMessage: (data: unknown) => string | undefined;
  /** Per-request timeout. Default 15 s. */
  readonly timeoutMs?: number;
  /** Retries of an idempotent request. Default 2. */
  readonly retries?: number;
}

/** A JSON GET client; also follows absolute next-page URLs of the same origin. */
export interface JsonClient {
  /** GET `pathOrUrl` (a path below the base, or an absolute URL of the same origin). 404 is returned when `allowNotFound`. */
  get<T>(pathOrUrl: string, params?: Record<string, string | number | boolean>, allowNotFound?: boolean): Promise<JsonAnswer<T>>;
  /** `text` with this client's secrets masked. */
  mask(text: string): string;
}

/** The longest answer a management API client reads, in bytes (a page of clients is far less); anything bigger is refused. verify reads less: MAX_ANSWER_BYTES in src/verify/core.ts. */
export const MAX_API_ANSWER_BYTES = 8 * 1024 * 1024;

/** A JSON client for one API. */
export function jsonClient(options: JsonClientOptions): JsonClient {
  const http: AxiosInstance = axios.create({
    timeout: options.timeoutMs ?? 15_000, maxContentLength: MAX_API_ANSWER_BYTES, maxBodyLength: MAX_API_ANSWER_BYTES,
    // 429 and 5xx are errors, so axios-retry sees them; every other status is looked at here.
    validateStatus: (status) => status !== 429 && status < 500, responseType: "json", maxRedirects: 0,
  });
  axiosRetry(http, {
    retries: options.retries ?? 2,
    retryDelay: (count, err) => Math.min(exponentialDelay(count, err, 200), 2_000),
    retryCondition: (err) => isNetworkOrIdempotentRequestError(err) || err.response?.status === 429,
  });
  const base = options.baseUrl.replace(/\/+$/, "");
  const mask = (text: string) => maskSecrets(text, options.secrets());
  return {
    mask,
    async get<T>(pathOrUrl: string, params?: Record<string, string | number | boolean>, allowNotFound = false): Promise<JsonAnswer<T>> {
      const url = /^https?:\/\//.test(pathOrUrl) ? pathOrUrl : `${base}${pathOrUrl}`;
      if (new URL(url).origin !== new URL(base).origin) throw new IdpApiError("GET", mask(url), 0, "a next-page link leaves the API's origin; refused");
      const shown = mask(params ? `${url}${url.includes("?") ? "&" : "?"}${new URLSearchParams(Object.entries(params).map(([k, v]): [string, string] => [k, String(v)]))}` : url);
      // Outside the try: a refused login is its own error (the token endpoint's), not this GET's.
      const headers = await options.headers();
      let res;
      try {
        res = await http.get<T>(url, { params, headers });
      } catch (err) {
        const status = axios.isAxiosError(err) ? err.response?.status ?? 0 : 0;
        const data = axios.isAxiosError(err) ? err.response?.data : undefined;
        throw new IdpApiError("GET", shown, status, mask(options.errorMessage(data) ?? (err instanceof Error ? err.message : String(err))));
      }
      if ((res.status >= 200 && res.status < 300) || (allowNotFound && res.status === 404)) return { status: res.status, data: res.data, headers: res.headers };
      throw new IdpApiError("GET", shown, res.status, mask(options.errorMessage(res.data) ?? "no message"));
    },
  };
}

/** POSTs a form or JSON to a token endpoint and returns `access_token`; failures as {@link IdpApiError}, secrets masked. */
export async function fetchAccessToken(url: string, body: Record<string, string>, as: "form" | "json", secrets: readonly (string | undefined)[]): Promise<string> {
  const mask = (text: string) => maskSecrets(text, secrets);
  let res;
  try {
    res = await axios.post<{ access_token?: string; error?: string; error_description?: string }>(url,
      as === "form" ? new URLSearchParams(body) : body, { timeout: 15_000, validateStatus: () => true, maxContentLength: MAX_API_ANSWER_BYTES, maxRedirects: 0 });
  } catch (err) {
    throw new IdpApiError("POST", mask(url), 0, mask(err instanceof Error ? err.message : String(err)));
  }
  if (res.status === 200 && typeof res.data?.access_token === "string") return res.data.access_token;
  const why = [res.data?.error, res.data?.error_description].filter(Boolean).join(": ") || "no access token";
  throw new IdpApiError("POST", mask(url), res.status, mask(why));
}
