/**
 * What a failed admin API request becomes: a {@link PfApiError} naming the method, the path, the status and the
 * API's own message and validation errors, with a hint a user can act on, and no header, credential or secret
 * (every text passes through {@link redact}).
 */
import type { AxiosError, AxiosResponse } from "axios";
import type { PfApiError, PfValidationError } from "./coded-errors";
import { newPfApiError } from "./coded-errors";
import { ADMIN_CONFIG_KEY, ADMIN_CREDENTIAL_ENV } from "./credentials";
import { redact } from "../../src/redact";

const TLS_ERROR_CODES = [
  "DEPTH_ZERO_SELF_SIGNED_CERT", "SELF_SIGNED_CERT_IN_CHAIN", "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT", "UNABLE_TO_GET_ISSUER_CERT_LOCALLY", "CERT_HAS_EXPIRED", "CERT_NOT_YET_VALID",
  "ERR_TLS_CERT_ALTNAME_INVALID", "CERT_UNTRUSTED", "CERT_SIGNATURE_FAILURE",
];

/** What went wrong with a request that got no HTTP response (by its Node error code), in words a user can act on. */
export function transportProblem(code: string | undefined, timeoutMs: number): string {
  if (code && TLS_ERROR_CODES.includes(code)) {
    return `the admin API's TLS certificate is not trusted (${code}): set coder-oidc:pingfederate.caCertificate to ` +
      `the PEM (text or file path) of the CA that signed it; only for a lab, set insecureSkipTlsVerify: true`;
  }
  switch (code) {
    case "ECONNREFUSED": return "connection refused (ECONNREFUSED): check adminUrl, and that the admin port (9999 by default) is reachable";
    case "ENOTFOUND": return "host not found (ENOTFOUND): check the host name in adminUrl";
    case "ETIMEDOUT":
    case "ECONNABORTED": return `no answer within ${timeoutMs} ms (timeout)`;
    case "ECONNRESET": return "the connection was reset (ECONNRESET)";
    case "EPIPE": return "the connection was closed while sending (EPIPE)";
    default: return `the request failed (${code ?? "no response"})`;
  }
}

/** The API's `ApiResult` body, when the response has one. */
function apiResultOf(data: unknown): { resultId?: string; message?: string; validationErrors: PfValidationError[] } | undefined {
  if (typeof data !== "object" || data === null) return undefined;
  const body = data as Record<string, unknown>;
  const text = (value: unknown) => (typeof value === "string" && value !== "" ? value : undefined);
  const validationErrors = Array.isArray(body.validationErrors)
    ? body.validationErrors
        .filter((v): v is Record<string, unknown> => typeof v === "object" && v !== null)
        .map((v) => ({ errorId: text(v.errorId), fieldPath: text(v.fieldPath), message: text(v.message) ?? text(v.developerMessage) }))
    : [];
  return { resultId: text(body.resultId), message: text(body.message) ?? text(body.developerMessage), validationErrors };
}

/** Hint for statuses a user can fix. */
function hintFor(status: number | undefined): string | undefined {
  if (status === 401 || status === 403) {
    return `Check the admin credentials (${ADMIN_CREDENTIAL_ENV.Username}/${ADMIN_CREDENTIAL_ENV.Password} or ` +
      `${ADMIN_CREDENTIAL_ENV.Token}, or ${ADMIN_CONFIG_KEY}.username/password/token) and that the admin account may use the admin API.`;
  }
  if (status !== undefined && status >= 300 && status < 400) {
    return "Check adminUrl: it must be the admin API base, e.g. https://pf.example.com:9999/pf-admin-api/v1.";
  }
  return undefined;
}

/** Wraps anything a request threw into a PfApiError that carries no header, credential or secret. */
export function wrapFailure(
  error: unknown,
  method: string,
  path: string,
  context: { secrets: readonly string[]; timeoutMs: number; attempts: number; note?: string },
): PfApiError {
  const axiosError = error as Partial<AxiosError> & { code?: string };
  const response = axiosError.response as AxiosResponse | undefined;
  const status = response?.status;
  let apiMessage: string;
  let resultId: string | undefined;
  let validationErrors: PfValidationError[] = [];
  if (response) {
    const result = apiResultOf(response.data);
    resultId = result?.resultId;
    validationErrors = result?.validationErrors ?? [];
    apiMessage = result?.message ?? (response.statusText || `HTTP ${response.status}`);
    if (status !== undefined && status >= 300 && status < 400) {
      apiMessage = `unexpected redirect${typeof response.headers?.location === "string" ? ` to ${response.headers.location}` : ""}`;
    }
  } else {
    apiMessage = transportProblem(axiosError.code, context.timeoutMs);
  }
  if (context.attempts > 1) apiMessage += ` (gave up after ${context.attempts} attempts)`;
  if (context.note) apiMessage += ` (${context.note})`;
  const clean = (text: string | undefined) => (text === undefined ? undefined : redact(text, context.secrets));
  return newPfApiError({
    method,
    path,
    status,
    resultId: clean(resultId),
    apiMessage: clean(apiMessage),
    validationErrors: validationErrors.map((v) => ({ errorId: clean(v.errorId), fieldPath: clean(v.fieldPath), message: clean(v.message) })),
  }, hintFor(status));
}
