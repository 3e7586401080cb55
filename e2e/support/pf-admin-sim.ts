/**
 * An in-process PingFederate admin API (12.1 by default) for tests and the benchmark: HTTP and HTTPS on
 * 127.0.0.1, random ports, base path `/pf-admin-api/v1`. Faithful to ../shared/reference/FACTS.md §3 and to the
 * field shapes of the official 12.1 schemas: basic and bearer auth, `X-XSRF-Header` required, required fields
 * and enums validated (422 with an `ApiResult` body and `validationErrors`), unknown fields rejected (400), POST
 * 201, PUT replaces the whole object, DELETE 204, 404s, `clientAuth.secret` write-only and `encryptedSecret`
 * different on every GET, the clientSecret sub-resource with secondary secrets, common scopes, `/cluster/status`
 * (403 when not clustered), `/cluster/replicate` and `/version`.
 *
 * Where the facts are silent the simulator picks one behaviour and says so: a duplicate POST answers 422 on
 * `clientId`; 401 has no body; a missing `X-XSRF-Header` answers 403; restricted scopes and references must
 * name objects that exist.
 *
 * Test switches: {@link PfAdminSim.inject} (status codes, `Retry-After`, delays, connection resets before or
 * after the request took effect), `latencyMs`, edits "by hand" (drift), and a request log for counting calls.
 * The HTTPS certificate is issued at start-up by a throw-away CA made with `openssl`; nothing is committed.
 */
import { execFileSync } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as http from "node:http";
import * as https from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type * as pulumi from "@pulumi/pulumi";
import { resolveOutput } from "../../engine/offline-runtime";
import type { PfOAuthClientInputs } from "../../idps/pingfederate/inputs";

/** The admin API's base path. */
export const PF_ADMIN_BASE_PATH = "/pf-admin-api/v1";

/** Options of {@link startPfAdminSim}. */
export interface PfAdminSimOptions {
  /** What `GET /version` answers; gates 12.0/12.1 fields and bearer auth. Default `12.1.0.4`. */
  readonly version?: string;
  /** Admin user for basic auth. Default `administrator`. */
  readonly username?: string;
  /** Its password. Default: random. */
  readonly password?: string;
  /** Accepted bearer token (12.0+). Default: random. */
  readonly token?: string;
  /** Whether the server is a cluster console (else `/cluster/*` answers 403). Default false. */
  readonly clustered?: boolean;
  /** Whether client writes replicate by themselves (`replicateClientsOnSave`). Default false. */
  readonly replicateClientsOnSave?: boolean;
  /** Common scopes defined at start. Default `profile`, `email` (`openid` is built in). */
  readonly commonScopes?: readonly { name: string; description: string }[];
  /** Exclusive scopes defined at start. Default none. */
  readonly exclusiveScopes?: readonly { name: string; description: string }[];
  /** Ids of existing access token managers. Default `default`, `coderAtm`. */
  readonly accessTokenManagers?: readonly string[];
  /** Ids of existing OpenID Connect policies. Default `defaultOidc`, `coderOidcPolicy`. */
  readonly oidcPolicies?: readonly string[];
  /** Added to every response. Default 0. */
  readonly latencyMs?: number;
}

/** One injected fault; the first matching fault applies, `times` times. */
export interface SimFault {
  /** HTTP method to match; default any. */
  readonly method?: string;
  /** Path below the base to match: a prefix, or a RegExp; default any. */
  readonly path?: string | RegExp;
  /** Answer with this status instead of handling the request. */
  readonly status?: number;
  /** Body for `status` (default: an ApiResult naming the status), or a function of the request's JSON body. */
  readonly body?: unknown | ((requestBody: unknown) => unknown);
  /** `Retry-After` header for `status`. */
  readonly retryAfter?: string;
  /** Wait this long before doing anything else. */
  readonly delayMs?: number;
  /** Drop the connection: `before` the request takes effect, or `after` it did (the answer is lost). */
  readonly reset?: "before" | "after";
  /** How many requests it applies to. Default 1. */
  readonly times?: number;
}

/** One request the simulator received. */
export interface LoggedRequest {
  /** Upper-case method. */
  readonly method: string;
  /** Path below the base, without the query. */
  readonly path: string;
  /** The query string, without `?`. */
  readonly query: string;
  /** The parsed JSON body, when there was one. */
  readonly body: unknown;
  /** How it authenticated. */
  readonly auth: "basic" | "bearer" | "none";
  /** Whether `X-XSRF-Header: PingFederate` was present. */
  readonly xsrf: boolean;
  /** Which connection it came on: 1 for the server's first TCP (or TLS) connection, 2 for the next, … */
  readonly connection: number;
  /** When it arrived, in ms since the epoch. */
  readonly receivedAt: number;
  /** The Content-Type header. */
  readonly contentType?: string;
  /** Whether an injected fault answered it. */
  fault: boolean;
  /** The status answered; 0 when the connection was reset. */
  status: number;
  /** The JSON body answered, when there was one. */
  response?: unknown;
}

/** A stored client, as the server keeps it (no secret material). */
type StoredClient = Record<string, unknown> & { clientId: string };

interface SecretRecord {
  primary?: string;
  secondaries: { secret: string; expiryTime: string }[];
}

/** A running simulator. */
export interface PfAdminSim {
  /** `http://127.0.0.1:<port>/pf-admin-api/v1`. */
  readonly url: string;
  /** `https://127.0.0.1:<port>/pf-admin-api/v1`, with a certificate signed by {@link caPem}. */
  readonly httpsUrl: string;
  /** The CA that signed the HTTPS certificate, PEM. */
  readonly caPem: string;
  /** The same CA in a temporary file (deleted by {@link close}). */
  readonly caFile: string;
  /** Admin user for basic auth. */
  readonly username: string;
  /** Its password. */
  readonly password: string;
  /** Accepted bearer token. */
  readonly token: string;
  /** Mutable behaviour: version, clustering, latency. */
  readonly settings: {
    /** What `GET /version` answers. */
    version: string;
    /** Whether `/cluster/*` works (else 403). */
    clustered: boolean;
    /** Whether client writes replicate by themselves. */
    replicateClientsOnSave: boolean;
    /** Added to every response, in ms. */
    latencyMs: number;
  };
  /** Every request received, in order. */
  readonly requests: LoggedRequest[];
  /** Requests matching a method and a path prefix (or RegExp). */
  count(method?: string, path?: string | RegExp): number;
  /** Empties the request log. */
  clearLog(): void;
  /** Adds a fault. */
  inject(fault: SimFault): void;
  /** Removes every fault not yet used up. */
  clearFaults(): void;
  /** A client as `GET` would show it (fresh `encryptedSecret`), or undefined. */
  getClient(clientId: string): Record<string, unknown> | undefined;
  /** Every client id. */
  clientIds(): string[];
  /** Edits a stored client in place, as an admin would in the console. */
  editClient(clientId: string, edit: (client: Record<string, unknown>) => void): void;
  /** Adds a client by hand (as if made in the console), optionally with a secret. */
  addClientByHand(client: StoredClient, secret?: string): void;
  /** Deletes a client by hand. */
  removeClient(clientId: string): void;
  /** Whether a secret authenticates the client now, and as what. */
  secretStatus(clientId: string, secret: string): "primary" | "secondary" | "expired" | undefined;
  /** The client's primary secret in plaintext, as only the server knows it (to look for it where it must not be). */
  primarySecret(clientId: string): string | undefined;
  /** The secondary secrets' expiry times. */
  secondaryExpiries(clientId: string): string[];
  /** Whether a common scope exists. */
  hasCommonScope(name: string): boolean;
  /** Removes a common scope by hand. */
  removeCommonScope(name: string): void;
  /** Whether the cluster waits for a replication. */
  readonly replicationRequired: boolean;
  /** How many replications ran. */
  readonly replications: number;
  /** Stops both servers and deletes the temporary CA files. */
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------------
// The model (field lists and enums from the official 12.1 schemas)

const GRANT_TYPES = ["IMPLICIT", "AUTHORIZATION_CODE", "RESOURCE_OWNER_CREDENTIALS", "CLIENT_CREDENTIALS", "REFRESH_TOKEN",
  "EXTENSION", "DEVICE_CODE", "ACCESS_TOKEN_VALIDATION", "CIBA", "TOKEN_EXCHANGE"];
const OVERRIDE_TYPES = ["INDEFINITE_EXPIRY", "SERVER_DEFAULT", "OVERRIDE_SERVER_DEFAULT"];
const TIME_UNITS = ["MINUTES", "DAYS", "HOURS"];
const SERVER_DEFAULT_OVERRIDE = ["SERVER_DEFAULT", "OVERRIDE_SERVER_DEFAULT"];
const TRI_STATE = ["SERVER_DEFAULT", "NO", "YES"];
const SIGNING_ALGS = ["RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "PS256", "PS384", "PS512"];

/** Client fields and their shape; `since` gates fields newer than 11.x. */
const CLIENT_FIELDS: Record<string, { kind: "string" | "boolean" | "integer" | "strings" | "object" | "ref"; enum?: string[]; since?: string; readOnly?: boolean }> = {
  clientId: { kind: "string" },
  enabled: { kind: "boolean" },
  redirectUris: { kind: "strings" },
  grantTypes: { kind: "strings", enum: GRANT_TYPES },
  name: { kind: "string" },
  description: { kind: "string" },
  modificationDate: { kind: "string", readOnly: true },
  creationDate: { kind: "string", readOnly: true },
  replicationStatus: { kind: "string", readOnly: true, since: "12.0" },
  logoUrl: { kind: "string" },
  defaultAccessTokenManagerRef: { kind: "ref" },
  restrictToDefaultAccessTokenManager: { kind: "boolean" },
  validateUsingAllEligibleAtms: { kind: "boolean" },
  refreshRolling: { kind: "string", enum: ["SERVER_DEFAULT", "DONT_ROLL", "ROLL"] },
  refreshTokenRollingIntervalType: { kind: "string", enum: SERVER_DEFAULT_OVERRIDE },
  refreshTokenRollingInterval: { kind: "integer" },
  refreshTokenRollingIntervalTimeUnit: { kind: "string", enum: ["SECONDS", "MINUTES", "HOURS"], since: "12.1" },
  persistentGrantExpirationType: { kind: "string", enum: OVERRIDE_TYPES },
  persistentGrantExpirationTime: { kind: "integer" },
  persistentGrantExpirationTimeUnit: { kind: "string", enum: TIME_UNITS },
  persistentGrantIdleTimeoutType: { kind: "string", enum: OVERRIDE_TYPES },
  persistentGrantIdleTimeout: { kind: "integer" },
  persistentGrantIdleTimeoutTimeUnit: { kind: "string", enum: TIME_UNITS },
  persistentGrantReuseType: { kind: "string", enum: SERVER_DEFAULT_OVERRIDE },
  persistentGrantReuseGrantTypes: { kind: "strings", enum: GRANT_TYPES },
  allowAuthenticationApiInit: { kind: "boolean" },
  enableCookielessAuthenticationApi: { kind: "boolean" },
  bypassApprovalPage: { kind: "boolean" },
  restrictScopes: { kind: "boolean" },
  restrictedScopes: { kind: "strings" },
  exclusiveScopes: { kind: "strings" },
  authorizationDetailTypes: { kind: "strings" },
  restrictedResponseTypes: { kind: "strings" },
  requirePushedAuthorizationRequests: { kind: "boolean" },
  requireJwtSecuredAuthorizationResponseMode: { kind: "boolean" },
  requireSignedRequests: { kind: "boolean" },
  requestObjectSigningAlgorithm: { kind: "string", enum: SIGNING_ALGS },
  oidcPolicy: { kind: "object" },
  clientAuth: { kind: "object" },
  jwksSettings: { kind: "object" },
  extendedParameters: { kind: "object" },
  deviceFlowSettingType: { kind: "string", enum: SERVER_DEFAULT_OVERRIDE },
  userAuthorizationUrlOverride: { kind: "string" },
  pendingAuthorizationTimeoutOverride: { kind: "integer" },
  devicePollingIntervalOverride: { kind: "integer" },
  bypassActivationCodeConfirmationOverride: { kind: "boolean" },
  requireProofKeyForCodeExchange: { kind: "boolean" },
  cibaDeliveryMode: { kind: "string", enum: ["POLL", "PING"] },
  cibaNotificationEndpoint: { kind: "string" },
  cibaPollingInterval: { kind: "integer" },
  cibaRequireSignedRequests: { kind: "boolean" },
  cibaRequestObjectSigningAlgorithm: { kind: "string", enum: SIGNING_ALGS },
  cibaUserCodeSupported: { kind: "boolean" },
  requestPolicyRef: { kind: "ref" },
  tokenExchangeProcessorPolicyRef: { kind: "ref" },
  refreshTokenRollingGracePeriodType: { kind: "string", enum: SERVER_DEFAULT_OVERRIDE },
  refreshTokenRollingGracePeriod: { kind: "integer" },
  clientSecretRetentionPeriodType: { kind: "string", enum: SERVER_DEFAULT_OVERRIDE },
  clientSecretRetentionPeriod: { kind: "integer" },
  clientSecretChangedTime: { kind: "string", readOnly: true },
  tokenIntrospectionSigningAlgorithm: { kind: "string" },
  tokenIntrospectionEncryptionAlgorithm: { kind: "string" },
  tokenIntrospectionContentEncryptionAlgorithm: { kind: "string" },
  jwtSecuredAuthorizationResponseModeSigningAlgorithm: { kind: "string" },
  jwtSecuredAuthorizationResponseModeEncryptionAlgorithm: { kind: "string" },
  jwtSecuredAuthorizationResponseModeContentEncryptionAlgorithm: { kind: "string" },
  requireDpop: { kind: "boolean" },
  requireOfflineAccessScopeToIssueRefreshTokens: { kind: "string", enum: TRI_STATE, since: "12.1" },
  offlineAccessRequireConsentPrompt: { kind: "string", enum: TRI_STATE, since: "12.1" },
};

const CLIENT_AUTH_FIELDS: Record<string, { kind: "string" | "boolean" | "array"; enum?: string[] }> = {
  type: { kind: "string", enum: ["NONE", "SECRET", "CERTIFICATE", "PRIVATE_KEY_JWT", "CLIENT_SECRET_JWT"] },
  secret: { kind: "string" },
  encryptedSecret: { kind: "string" },
  secondarySecrets: { kind: "array" },
  clientCertIssuerDn: { kind: "string" },
  clientCertSubjectDn: { kind: "string" },
  enforceReplayPrevention: { kind: "boolean" },
  tokenEndpointAuthSigningAlgorithm: { kind: "string", enum: [...SIGNING_ALGS, "HS256", "HS384", "HS512"] },
};

const OIDC_POLICY_FIELDS: Record<string, { kind: "string" | "boolean" | "strings" | "ref"; enum?: string[] }> = {
  idTokenSigningAlgorithm: { kind: "string", enum: ["NONE", "HS256", "HS384", "HS512", ...SIGNING_ALGS] },
  idTokenEncryptionAlgorithm: { kind: "string" },
  idTokenContentEncryptionAlgorithm: { kind: "string" },
  policyGroup: { kind: "ref" },
  grantAccessSessionRevocationApi: { kind: "boolean" },
  grantAccessSessionSessionManagementApi: { kind: "boolean" },
  logoutMode: { kind: "string", enum: ["NONE", "OIDC_FRONT_CHANNEL", "OIDC_BACK_CHANNEL", "PING_FRONT_CHANNEL"] },
  pingAccessLogoutCapable: { kind: "boolean" },
  logoutUris: { kind: "strings" },
  backChannelLogoutUri: { kind: "string" },
  postLogoutRedirectUris: { kind: "strings" },
  pairwiseIdentifierUserType: { kind: "boolean" },
  sectorIdentifierUri: { kind: "string" },
};

/** What PingFederate shows for fields a client never set. */
function clientDefaults(version: string): Record<string, unknown> {
  const defaults: Record<string, unknown> = {
    enabled: true,
    redirectUris: [],
    restrictScopes: false,
    restrictedScopes: [],
    exclusiveScopes: [],
    refreshRolling: "SERVER_DEFAULT",
    persistentGrantExpirationType: "SERVER_DEFAULT",
    persistentGrantIdleTimeoutType: "SERVER_DEFAULT",
    persistentGrantReuseType: "SERVER_DEFAULT",
    bypassApprovalPage: false,
    requireProofKeyForCodeExchange: false,
    restrictToDefaultAccessTokenManager: false,
    oidcPolicy: { grantAccessSessionRevocationApi: false, grantAccessSessionSessionManagementApi: false, pingAccessLogoutCapable: false, pairwiseIdentifierUserType: false },
    clientAuth: { type: "NONE" },
  };
  if (atLeast(version, "12.1")) {
    defaults.requireOfflineAccessScopeToIssueRefreshTokens = "SERVER_DEFAULT";
    defaults.offlineAccessRequireConsentPrompt = "SERVER_DEFAULT";
  }
  return defaults;
}

function atLeast(version: string, minimum: string): boolean {
  const a = version.split(".").map((p) => Number(p) || 0);
  const b = minimum.split(".").map((p) => Number(p) || 0);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  }
  return true;
}

interface Problem {
  fieldPath: string;
  message: string;
}

class HttpAnswer {
  constructor(readonly status: number, readonly body?: unknown, readonly headers: Record<string, string> = {}) {}
}

const VALIDATION_MESSAGE = "Validation error(s) occurred. Please review the error(s) and address accordingly.";

function validationFailed(problems: Problem[]): HttpAnswer {
  return new HttpAnswer(422, {
    resultId: "validation_error",
    message: VALIDATION_MESSAGE,
    validationErrors: problems.map((p) => ({ errorId: "validation_error", fieldPath: p.fieldPath, message: p.message })),
  });
}

function badRequest(problems: Problem[]): HttpAnswer {
  return new HttpAnswer(400, {
    resultId: "invalid_request",
    message: "The request was improperly formatted or contained invalid fields.",
    validationErrors: problems.map((p) => ({ errorId: "invalid_field", fieldPath: p.fieldPath, message: p.message })),
  });
}

function notFound(): HttpAnswer {
  return new HttpAnswer(404, { resultId: "resource_not_found", message: "Resource not found." });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

function kindOk(kind: string, value: unknown): boolean {
  switch (kind) {
    case "string": return typeof value === "string";
    case "boolean": return typeof value === "boolean";
    case "integer": return typeof value === "number" && Number.isInteger(value);
    case "strings": return Array.isArray(value) && value.every((v) => typeof v === "string");
    case "array": return Array.isArray(value);
    case "object": return isObject(value);
    case "ref": return isObject(value) && typeof value.id === "string";
    default: return false;
  }
}

// ---------------------------------------------------------------------------------------------------
// Certificates

function issueCertificates(): { dir: string; caPem: string; caFile: string; key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), "pf-admin-sim-"));
  const file = (name: string) => join(dir, name);
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  const quiet = { stdio: "ignore" as const };
  execFileSync("openssl", ["req", "-x509", ...ec, "-keyout", file("ca.key"), "-out", file("ca.pem"), "-days", "2",
    "-subj", "/CN=coder-oidc test CA", "-addext", "basicConstraints=critical,CA:TRUE",
    "-addext", "keyUsage=critical,keyCertSign,cRLSign"], quiet);
  execFileSync("openssl", ["req", ...ec, "-keyout", file("leaf.key"), "-out", file("leaf.csr"), "-subj", "/CN=127.0.0.1"], quiet);
  writeFileSync(file("leaf.ext"), "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n");
  execFileSync("openssl", ["x509", "-req", "-in", file("leaf.csr"), "-CA", file("ca.pem"), "-CAkey", file("ca.key"),
    "-CAcreateserial", "-out", file("leaf.pem"), "-days", "2", "-extfile", file("leaf.ext")], quiet);
  const caPem = readFileSync(file("ca.pem"), "utf8");
  const key = readFileSync(file("leaf.key"), "utf8");
  const cert = readFileSync(file("leaf.pem"), "utf8");
  for (const name of ["ca.key", "leaf.key", "leaf.csr", "leaf.ext", "leaf.pem", "ca.srl"]) rmSync(file(name), { force: true });
  return { dir, caPem, caFile: file("ca.pem"), key, cert };
}

// ---------------------------------------------------------------------------------------------------
// The server

/** Starts a simulator; call `close()` when done. */
export async function startPfAdminSim(options: PfAdminSimOptions = {}): Promise<PfAdminSim> {
  const username = options.username ?? "administrator";
  const password = options.password ?? `pw-${randomBytes(9).toString("base64url")}`;
  const token = options.token ?? `tok-${randomBytes(18).toString("base64url")}`;
  const settings = {
    version: options.version ?? "12.1.0.4",
    clustered: options.clustered ?? false,
    replicateClientsOnSave: options.replicateClientsOnSave ?? false,
    latencyMs: options.latencyMs ?? 0,
  };
  const clients = new Map<string, StoredClient>();
  const secrets = new Map<string, SecretRecord>();
  const encrypted = new Map<string, string>();
  const commonScopes = new Map<string, Record<string, unknown>>();
  const exclusiveScopes = new Map<string, Record<string, unknown>>();
  for (const s of options.commonScopes ?? [{ name: "profile", description: "Profile" }, { name: "email", description: "Email" }]) {
    commonScopes.set(s.name, { ...s, dynamic: false });
  }
  for (const s of options.exclusiveScopes ?? []) exclusiveScopes.set(s.name, { ...s, dynamic: false });
  const accessTokenManagers = new Set(options.accessTokenManagers ?? ["default", "coderAtm"]);
  const oidcPolicies = new Set(options.oidcPolicies ?? ["defaultOidc", "coderOidcPolicy"]);
  const requests: LoggedRequest[] = [];
  const faults: (SimFault & { left: number })[] = [];
  let replicationRequired = false;
  let replications = 0;
  let lastConfigUpdate = new Date().toISOString();
  let lastReplication = lastConfigUpdate;

  const encrypt = (secret: string) => {
    const value = `OBF:JWE:${randomBytes(24).toString("base64url")}`;
    encrypted.set(value, secret);
    return value;
  };

  const changed = (clientWrite: boolean) => {
    lastConfigUpdate = new Date().toISOString();
    if (settings.clustered && !(clientWrite && settings.replicateClientsOnSave)) replicationRequired = true;
  };

  function renderClient(stored: StoredClient): Record<string, unknown> {
    const view: Record<string, unknown> = { ...clientDefaults(settings.version), ...clone(stored) };
    const record = secrets.get(stored.clientId);
    const auth: Record<string, unknown> = { ...(view.clientAuth as Record<string, unknown>) };
    if (record?.primary !== undefined && (auth.type === "SECRET" || auth.type === "CLIENT_SECRET_JWT")) {
      auth.encryptedSecret = encrypt(record.primary);
    }
    if (record && record.secondaries.length > 0) {
      auth.secondarySecrets = record.secondaries.map((s) => ({ encryptedSecret: encrypt(s.secret), expiryTime: s.expiryTime }));
    }
    view.clientAuth = auth;
    for (const [kind, time, unit] of [
      ["persistentGrantExpirationType", "persistentGrantExpirationTime", "persistentGrantExpirationTimeUnit"],
      ["persistentGrantIdleTimeoutType", "persistentGrantIdleTimeout", "persistentGrantIdleTimeoutTimeUnit"],
    ]) {
      // Times only mean something with an override, and PingFederate omits them otherwise (PFTF#531).
      if (view[kind] !== "OVERRIDE_SERVER_DEFAULT") {
        delete view[time];
        delete view[unit];
      }
    }
    return view;
  }

  /** Reads a secret field pair: plain `secret`, or a known `encryptedSecret`. */
  function secretOf(entry: Record<string, unknown>, fieldPath: string, problems: Problem[]): string | undefined {
    if (typeof entry.secret === "string" && entry.secret !== "") return entry.secret;
    if (typeof entry.encryptedSecret === "string") {
      const plain = encrypted.get(entry.encryptedSecret);
      if (plain === undefined) problems.push({ fieldPath: `${fieldPath}.encryptedSecret`, message: "The encrypted secret is invalid." });
      return plain;
    }
    return undefined;
  }

  function readSecondaries(value: unknown, fieldPath: string, problems: Problem[]): SecretRecord["secondaries"] {
    if (value === undefined) return [];
    if (!Array.isArray(value)) {
      problems.push({ fieldPath, message: "Must be a list." });
      return [];
    }
    const result: SecretRecord["secondaries"] = [];
    value.forEach((entry, i) => {
      const path = `${fieldPath}[${i}]`;
      if (!isObject(entry)) {
        problems.push({ fieldPath: path, message: "Must be an object." });
        return;
      }
      const secret = secretOf(entry, path, problems);
      if (secret === undefined && entry.encryptedSecret === undefined) problems.push({ fieldPath: `${path}.secret`, message: "A secondary secret is required." });
      if (typeof entry.expiryTime !== "string" || Number.isNaN(Date.parse(entry.expiryTime))) {
        problems.push({ fieldPath: `${path}.expiryTime`, message: "An expiry time (date-time) is required." });
      }
      if (secret !== undefined && typeof entry.expiryTime === "string") result.push({ secret, expiryTime: entry.expiryTime });
    });
    return result;
  }

  /** Validates a client body; returns the stored form and its secrets, or an answer. */
  function validateClient(body: unknown, pathId: string | undefined): HttpAnswer | { stored: StoredClient; secret?: string; secondaries: SecretRecord["secondaries"] } {
    if (!isObject(body)) return badRequest([{ fieldPath: "", message: "The body must be a JSON object." }]);
    const unknown: Problem[] = [];
    for (const key of Object.keys(body)) {
      const field = CLIENT_FIELDS[key];
      if (!field || (field.since && !atLeast(settings.version, field.since))) unknown.push({ fieldPath: key, message: `Unrecognized field "${key}".` });
    }
    if (isObject(body.clientAuth)) {
      for (const key of Object.keys(body.clientAuth)) {
        if (!CLIENT_AUTH_FIELDS[key]) unknown.push({ fieldPath: `clientAuth.${key}`, message: `Unrecognized field "${key}".` });
      }
    }
    if (isObject(body.oidcPolicy)) {
      for (const key of Object.keys(body.oidcPolicy)) {
        if (!OIDC_POLICY_FIELDS[key]) unknown.push({ fieldPath: `oidcPolicy.${key}`, message: `Unrecognized field "${key}".` });
      }
    }
    if (unknown.length > 0) return badRequest(unknown);

    const problems: Problem[] = [];
    const clientId = pathId ?? body.clientId;
    if (typeof clientId !== "string" || clientId === "") problems.push({ fieldPath: "clientId", message: "Client ID is required." });
    if (typeof body.name !== "string" || body.name.trim() === "") problems.push({ fieldPath: "name", message: "Name is required." });
    if (!Array.isArray(body.grantTypes) || body.grantTypes.length === 0) {
      problems.push({ fieldPath: "grantTypes", message: "At least one grant type is required." });
    }
    for (const [key, field] of Object.entries(CLIENT_FIELDS)) {
      const value = body[key];
      if (value === undefined || value === null || field.readOnly) continue;
      if (!kindOk(field.kind, value)) {
        problems.push({ fieldPath: key, message: `Must be of type ${field.kind}.` });
        continue;
      }
      if (field.enum) {
        const values = Array.isArray(value) ? value : [value];
        values.forEach((v, i) => {
          if (!field.enum!.includes(v as string)) {
            problems.push({ fieldPath: Array.isArray(value) ? `${key}[${i}]` : key, message: `"${String(v)}" is not one of ${field.enum!.join(", ")}.` });
          }
        });
        if (Array.isArray(value) && new Set(value).size !== value.length) problems.push({ fieldPath: key, message: "Values must be unique." });
      }
    }
    const grants = Array.isArray(body.grantTypes) ? (body.grantTypes as string[]) : [];
    const redirects = Array.isArray(body.redirectUris) ? (body.redirectUris as string[]) : [];
    if ((grants.includes("AUTHORIZATION_CODE") || grants.includes("IMPLICIT")) && redirects.length === 0) {
      problems.push({ fieldPath: "redirectUris", message: "At least one redirect URI is required for the Authorization Code or Implicit grant type." });
    }
    redirects.forEach((uri, i) => {
      if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(uri)) problems.push({ fieldPath: `redirectUris[${i}]`, message: `"${uri}" is not a valid URI.` });
    });
    for (const [kind, time, unit] of [
      ["persistentGrantExpirationType", "persistentGrantExpirationTime", "persistentGrantExpirationTimeUnit"],
      ["persistentGrantIdleTimeoutType", "persistentGrantIdleTimeout", "persistentGrantIdleTimeoutTimeUnit"],
    ]) {
      if (body[kind] !== "OVERRIDE_SERVER_DEFAULT") continue;
      const amount = body[time];
      if (typeof amount !== "number" || !Number.isInteger(amount) || (amount < 1 && amount !== -1)) {
        problems.push({ fieldPath: time, message: "A positive whole number (or -1 for indefinite) is required when overriding the server default." });
      }
      if (typeof body[unit] !== "string") problems.push({ fieldPath: unit, message: "A time unit is required when overriding the server default." });
    }
    if (body.restrictScopes === true && Array.isArray(body.restrictedScopes)) {
      (body.restrictedScopes as string[]).forEach((scope, i) => {
        if (scope !== "openid" && !commonScopes.has(scope) && !exclusiveScopes.has(scope)) {
          problems.push({ fieldPath: `restrictedScopes[${i}]`, message: `The scope "${scope}" is not defined on the authorization server.` });
        }
      });
    }
    for (const [field, known] of [["defaultAccessTokenManagerRef", accessTokenManagers]] as const) {
      const ref = body[field];
      if (isObject(ref) && typeof ref.id === "string" && !known.has(ref.id)) {
        problems.push({ fieldPath: `${field}.id`, message: `The access token manager "${ref.id}" does not exist.` });
      }
    }
    const oidc = isObject(body.oidcPolicy) ? body.oidcPolicy : {};
    for (const [key, field] of Object.entries(OIDC_POLICY_FIELDS)) {
      const value = oidc[key];
      if (value === undefined || value === null) continue;
      if (!kindOk(field.kind, value)) problems.push({ fieldPath: `oidcPolicy.${key}`, message: `Must be of type ${field.kind}.` });
      else if (field.enum && !field.enum.includes(value as string)) problems.push({ fieldPath: `oidcPolicy.${key}`, message: `"${String(value)}" is not one of ${field.enum.join(", ")}.` });
    }
    if (isObject(oidc.policyGroup) && typeof oidc.policyGroup.id === "string" && !oidcPolicies.has(oidc.policyGroup.id)) {
      problems.push({ fieldPath: "oidcPolicy.policyGroup.id", message: `The OpenID Connect policy "${oidc.policyGroup.id}" does not exist.` });
    }

    const auth = isObject(body.clientAuth) ? body.clientAuth : { type: "NONE" };
    for (const [key, field] of Object.entries(CLIENT_AUTH_FIELDS)) {
      const value = auth[key];
      if (value === undefined || value === null) continue;
      if (!kindOk(field.kind, value)) problems.push({ fieldPath: `clientAuth.${key}`, message: `Must be of type ${field.kind}.` });
      else if (field.enum && !field.enum.includes(value as string)) problems.push({ fieldPath: `clientAuth.${key}`, message: `"${String(value)}" is not one of ${field.enum.join(", ")}.` });
    }
    let secret: string | undefined;
    let secondaries: SecretRecord["secondaries"] = [];
    if (auth.type === "SECRET" || auth.type === "CLIENT_SECRET_JWT") {
      secret = secretOf(auth, "clientAuth", problems);
      if (secret === undefined && auth.encryptedSecret === undefined) {
        problems.push({ fieldPath: "clientAuth.secret", message: "A client secret is required for client authentication type SECRET." });
      }
      secondaries = readSecondaries(auth.secondarySecrets, "clientAuth.secondarySecrets", problems);
    }
    if (problems.length > 0) return validationFailed(problems);

    const stored: StoredClient = { clientId: clientId as string };
    for (const [key, value] of Object.entries(body)) {
      if (key === "clientId" || CLIENT_FIELDS[key]?.readOnly || value === null || value === undefined) continue;
      stored[key] = clone(value);
    }
    const storedAuth = { ...auth };
    delete storedAuth.secret;
    delete storedAuth.encryptedSecret;
    delete storedAuth.secondarySecrets;
    stored.clientAuth = storedAuth;
    return { stored, secret, secondaries };
  }

  function saveClient(result: { stored: StoredClient; secret?: string; secondaries: SecretRecord["secondaries"] }, created: boolean): void {
    const now = new Date().toISOString();
    const previous = clients.get(result.stored.clientId);
    result.stored.creationDate = created ? now : previous?.creationDate ?? now;
    result.stored.modificationDate = now;
    clients.set(result.stored.clientId, result.stored);
    secrets.set(result.stored.clientId, { primary: result.secret, secondaries: result.secondaries });
  }

  async function route(method: string, path: string, query: URLSearchParams, body: unknown): Promise<HttpAnswer> {
    const clientMatch = /^\/oauth\/clients\/([^/]+)$/.exec(path);
    const secretMatch = /^\/oauth\/clients\/([^/]+)\/clientAuth\/clientSecret$/.exec(path);
    const scopeMatch = /^\/oauth\/authServerSettings\/scopes\/(commonScopes|exclusiveScopes)\/([^/]+)$/.exec(path);

    if (path === "/version" && method === "GET") return new HttpAnswer(200, { version: settings.version });

    if (path === "/oauth/clients" && method === "GET") {
      const filter = (query.get("filter") ?? "").toLowerCase();
      const page = Math.max(1, Number(query.get("page") ?? 1) || 1);
      const perPage = Math.max(1, Number(query.get("numberPerPage") ?? 100) || 100);
      const matching = [...clients.values()].filter((c) =>
        !filter || c.clientId.toLowerCase().includes(filter) || String(c.name ?? "").toLowerCase().includes(filter));
      return new HttpAnswer(200, { items: matching.slice((page - 1) * perPage, page * perPage).map(renderClient) });
    }
    if (path === "/oauth/clients" && method === "POST") {
      const result = validateClient(body, undefined);
      if (result instanceof HttpAnswer) return result;
      if (clients.has(result.stored.clientId)) {
        return validationFailed([{ fieldPath: "clientId", message: `The client ID "${result.stored.clientId}" is already in use.` }]);
      }
      saveClient(result, true);
      changed(true);
      return new HttpAnswer(201, renderClient(result.stored));
    }
    if (clientMatch) {
      const id = decodeURIComponent(clientMatch[1]);
      const existing = clients.get(id);
      if (method === "GET") return existing ? new HttpAnswer(200, renderClient(existing)) : notFound();
      if (method === "DELETE") {
        if (!existing) return notFound();
        clients.delete(id);
        secrets.delete(id);
        changed(true);
        return new HttpAnswer(204);
      }
      if (method === "PUT") {
        if (!existing) return notFound();
        const result = validateClient(body, id);
        if (result instanceof HttpAnswer) return result;
        saveClient(result, false);
        changed(true);
        return new HttpAnswer(200, renderClient(result.stored));
      }
    }
    if (secretMatch) {
      const id = decodeURIComponent(secretMatch[1]);
      const existing = clients.get(id);
      if (!existing) return notFound();
      const record = secrets.get(id) ?? { secondaries: [] };
      const render = () => ({
        ...(record.primary !== undefined ? { encryptedSecret: encrypt(record.primary) } : {}),
        secondarySecrets: record.secondaries.map((s) => ({ encryptedSecret: encrypt(s.secret), expiryTime: s.expiryTime })),
      });
      if (method === "GET") return new HttpAnswer(200, render());
      if (method === "PUT") {
        if (!isObject(body)) return badRequest([{ fieldPath: "", message: "The body must be a JSON object." }]);
        const unknown = Object.keys(body).filter((k) => !["secret", "encryptedSecret", "secondarySecrets"].includes(k));
        if (unknown.length > 0) return badRequest(unknown.map((k) => ({ fieldPath: k, message: `Unrecognized field "${k}".` })));
        const problems: Problem[] = [];
        const primary = secretOf(body, "", problems);
        if (primary === undefined && body.encryptedSecret === undefined) problems.push({ fieldPath: "secret", message: "A client secret is required." });
        const secondaries = readSecondaries(body.secondarySecrets, "secondarySecrets", problems);
        if (problems.length > 0) return validationFailed(problems.map((p) => ({ ...p, fieldPath: p.fieldPath.replace(/^\./, "") })));
        record.primary = primary;
        record.secondaries = secondaries;
        secrets.set(id, record);
        existing.clientSecretChangedTime = new Date().toISOString();
        changed(true);
        return new HttpAnswer(200, render());
      }
    }
    if (path === "/oauth/authServerSettings/scopes/commonScopes" && method === "POST") {
      if (!isObject(body)) return badRequest([{ fieldPath: "", message: "The body must be a JSON object." }]);
      const unknown = Object.keys(body).filter((k) => !["name", "description", "dynamic"].includes(k));
      if (unknown.length > 0) return badRequest(unknown.map((k) => ({ fieldPath: k, message: `Unrecognized field "${k}".` })));
      const problems: Problem[] = [];
      if (typeof body.name !== "string" || body.name === "") problems.push({ fieldPath: "name", message: "Name is required." });
      if (typeof body.description !== "string" || body.description === "") problems.push({ fieldPath: "description", message: "Description is required." });
      if (typeof body.name === "string" && (commonScopes.has(body.name) || exclusiveScopes.has(body.name))) {
        problems.push({ fieldPath: "name", message: `The scope "${body.name}" is already defined.` });
      }
      if (problems.length > 0) return validationFailed(problems);
      const scope = { name: body.name, description: body.description, dynamic: body.dynamic === true };
      commonScopes.set(scope.name as string, scope);
      changed(false);
      return new HttpAnswer(201, scope);
    }
    if (scopeMatch) {
      const store = scopeMatch[1] === "commonScopes" ? commonScopes : exclusiveScopes;
      const name = decodeURIComponent(scopeMatch[2]);
      const existing = store.get(name);
      if (method === "GET") return existing ? new HttpAnswer(200, existing) : notFound();
      if (method === "DELETE") {
        if (!existing) return notFound();
        store.delete(name);
        changed(false);
        return new HttpAnswer(204);
      }
      if (method === "PUT") {
        if (!existing) return notFound();
        if (!isObject(body) || typeof body.description !== "string") return validationFailed([{ fieldPath: "description", message: "Description is required." }]);
        store.set(name, { name, description: body.description, dynamic: body.dynamic === true });
        changed(false);
        return new HttpAnswer(200, store.get(name));
      }
    }
    if (path === "/oauth/authServerSettings") {
      const view = {
        scopes: [...commonScopes.values()],
        exclusiveScopes: [...exclusiveScopes.values()],
        authorizationCodeTimeout: 60, authorizationCodeEntropy: 30, refreshTokenLength: 42, refreshRollingInterval: 0,
        persistentGrantLifetime: -1, persistentGrantLifetimeUnit: "DAYS", persistentGrantIdleTimeout: 30, persistentGrantIdleTimeoutTimeUnit: "DAYS",
        rollRefreshTokenValues: false,
      };
      if (method === "GET") return new HttpAnswer(200, view);
      // Accepted so that a test can prove it is never called: this toolkit never PUTs all server settings.
      if (method === "PUT") return new HttpAnswer(200, body);
    }
    if (path === "/cluster/status" && method === "GET") {
      if (!settings.clustered) return new HttpAnswer(403);
      return new HttpAnswer(200, {
        nodes: [
          { address: "10.0.0.1:7600", index: 0, mode: "CLUSTERED_CONSOLE", version: settings.version, replicationStatus: "SUCCEEDED" },
          { address: "10.0.0.2:7600", index: 1, mode: "CLUSTERED_ENGINE", version: settings.version, replicationStatus: replicationRequired ? "OUT_OF_DATE" : "SUCCEEDED" },
        ],
        lastConfigUpdateTime: lastConfigUpdate,
        lastReplicationTime: lastReplication,
        replicationRequired,
        mixedMode: false,
        currentNodeIndex: 0,
      });
    }
    if (path === "/cluster/replicate" && method === "POST") {
      if (!settings.clustered) return new HttpAnswer(403);
      replicationRequired = false;
      replications++;
      lastReplication = new Date().toISOString();
      return new HttpAnswer(200, { resultId: "success", message: "Replication completed." });
    }
    return notFound();
  }

  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  function authOf(header: string | undefined): "basic" | "bearer" | "none" | "invalid" {
    if (!header) return "none";
    if (header.startsWith("Basic ")) {
      const decoded = Buffer.from(header.slice(6), "base64").toString("utf8");
      return decoded === `${username}:${password}` ? "basic" : "invalid";
    }
    if (header.startsWith("Bearer ")) {
      return header.slice(7) === token && atLeast(settings.version, "12.0") ? "bearer" : "invalid";
    }
    return "invalid";
  }

  const connections = new WeakMap<object, number>();
  const connectionOf = (socket: object): number => {
    if (!connections.has(socket)) connections.set(socket, (connectionCount += 1));
    return connections.get(socket) as number;
  };
  let connectionCount = 0;

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const receivedAt = Date.now();
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    const url = new URL(req.url ?? "/", "http://sim");
    const method = (req.method ?? "GET").toUpperCase();
    const auth = authOf(req.headers.authorization);
    const entry: LoggedRequest = {
      method,
      path: url.pathname.startsWith(PF_ADMIN_BASE_PATH) ? url.pathname.slice(PF_ADMIN_BASE_PATH.length) || "/" : url.pathname,
      query: url.search.replace(/^\?/, ""),
      body: undefined,
      auth: auth === "invalid" ? "none" : auth,
      xsrf: req.headers["x-xsrf-header"] === "PingFederate",
      connection: connectionOf(req.socket),
      receivedAt,
      contentType: req.headers["content-type"],
      fault: false,
      status: 0,
    };
    requests.push(entry);
    let parsed: unknown;
    try {
      parsed = raw === "" ? undefined : JSON.parse(raw);
    } catch {
      parsed = undefined;
    }
    (entry as { body: unknown }).body = parsed;
    const answer = (result: HttpAnswer) => {
      entry.status = result.status;
      entry.response = result.body;
      const headers: Record<string, string> = { ...result.headers };
      let text = "";
      if (result.body !== undefined) {
        text = JSON.stringify(result.body);
        headers["Content-Type"] = "application/json";
      }
      res.writeHead(result.status, headers);
      res.end(text);
    };

    const fault = faults.find((f) =>
      f.left > 0 &&
      (!f.method || f.method.toUpperCase() === method) &&
      (f.path === undefined || (typeof f.path === "string" ? entry.path.startsWith(f.path) : f.path.test(entry.path))));
    if (fault) {
      fault.left--;
      entry.fault = true;
    }
    if (settings.latencyMs > 0) await sleep(settings.latencyMs);
    if (fault?.delayMs) await sleep(fault.delayMs);
    if (fault?.reset === "before") {
      req.socket.destroy();
      return;
    }
    if (fault?.status !== undefined) {
      const faultBody = typeof fault.body === "function" ? (fault.body as (b: unknown) => unknown)(parsed) : fault.body;
      answer(new HttpAnswer(fault.status, faultBody ?? { resultId: "injected", message: `Injected HTTP ${fault.status}.` },
        fault.retryAfter !== undefined ? { "Retry-After": fault.retryAfter } : {}));
      return;
    }

    if (!url.pathname.startsWith(PF_ADMIN_BASE_PATH + "/")) return answer(notFound());
    if (!entry.xsrf) {
      return answer(new HttpAnswer(403, { resultId: "xsrf_header_missing", message: "The X-XSRF-Header header is required (value PingFederate)." }));
    }
    if (auth === "none" || auth === "invalid") return answer(new HttpAnswer(401, undefined, { "WWW-Authenticate": 'Basic realm="PingFederate"' }));
    if (raw !== "") {
      if (!(req.headers["content-type"] ?? "").startsWith("application/json")) {
        return answer(new HttpAnswer(415, { resultId: "unsupported_media_type", message: "Content-Type must be application/json." }));
      }
      if (parsed === undefined) return answer(badRequest([{ fieldPath: "", message: "The body is not valid JSON." }]));
    }
    const result = await route(method, entry.path, url.searchParams, parsed);
    if (fault?.reset === "after") {
      entry.status = 0;
      req.socket.destroy();
      return;
    }
    answer(result);
  }

  const listener = (req: http.IncomingMessage, res: http.ServerResponse) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) {
        res.writeHead(500, { "Content-Type": "application/json" });
        res.end(JSON.stringify({ resultId: "server_error", message: String(error) }));
      }
    });
  };
  const certs = issueCertificates();
  const httpServer = http.createServer(listener);
  const httpsServer = https.createServer({ key: certs.key, cert: certs.cert }, listener);
  const listen = (server: http.Server) =>
    new Promise<number>((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)));
  const [httpPort, httpsPort] = await Promise.all([listen(httpServer), listen(httpsServer)]);

  const matches = (r: LoggedRequest, method?: string, path?: string | RegExp) =>
    (!method || r.method === method.toUpperCase()) &&
    (path === undefined || (typeof path === "string" ? r.path.startsWith(path) : path.test(r.path)));

  return {
    url: `http://127.0.0.1:${httpPort}${PF_ADMIN_BASE_PATH}`,
    httpsUrl: `https://127.0.0.1:${httpsPort}${PF_ADMIN_BASE_PATH}`,
    caPem: certs.caPem,
    caFile: certs.caFile,
    username,
    password,
    token,
    settings,
    requests,
    count: (method, path) => requests.filter((r) => matches(r, method, path)).length,
    clearLog: () => {
      requests.length = 0;
    },
    inject: (fault) => {
      faults.push({ ...fault, left: fault.times ?? 1 });
    },
    clearFaults: () => {
      faults.length = 0;
    },
    getClient: (clientId) => {
      const stored = clients.get(clientId);
      return stored ? renderClient(stored) : undefined;
    },
    clientIds: () => [...clients.keys()],
    editClient: (clientId, edit) => {
      const stored = clients.get(clientId);
      if (!stored) throw new Error(`simulator: no client ${clientId}`);
      edit(stored);
      stored.modificationDate = new Date().toISOString();
    },
    addClientByHand: (client, secret) => {
      clients.set(client.clientId, { clientAuth: { type: secret ? "SECRET" : "NONE" }, ...clone(client) });
      secrets.set(client.clientId, { primary: secret, secondaries: [] });
    },
    removeClient: (clientId) => {
      clients.delete(clientId);
      secrets.delete(clientId);
    },
    secretStatus: (clientId, secret) => {
      const record = secrets.get(clientId);
      if (!record) return undefined;
      if (record.primary === secret) return "primary";
      const secondary = record.secondaries.find((s) => s.secret === secret);
      if (!secondary) return undefined;
      return Date.parse(secondary.expiryTime) > Date.now() ? "secondary" : "expired";
    },
    primarySecret: (clientId) => secrets.get(clientId)?.primary,
    secondaryExpiries: (clientId) => (secrets.get(clientId)?.secondaries ?? []).map((s) => s.expiryTime),
    hasCommonScope: (name) => commonScopes.has(name),
    removeCommonScope: (name) => {
      commonScopes.delete(name);
    },
    get replicationRequired() {
      return replicationRequired;
    },
    get replications() {
      return replications;
    },
    close: async () => {
      for (const server of [httpServer, httpsServer]) {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
      rmSync(certs.dir, { recursive: true, force: true });
    },
  };
}

/** Unique ids for tests that share one simulator. */
export function uniqueId(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

/** An Output's value as a promise (tests `await` instead of calling `apply`). */
export async function promiseOf<T>(output: pulumi.Input<T>): Promise<T | undefined> {
  return (await resolveOutput(output)).value;
}

/** The inputs of Coder's client as the component declares them, against `adminUrl`; tests override fields. */
export function coderClientInputs(adminUrl: string, overrides: Partial<PfOAuthClientInputs> = {}): PfOAuthClientInputs {
  return {
    adminUrl,
    clientId: "coder",
    name: "Coder",
    description: "Coder at https://coder.example.com",
    redirectUris: ["https://coder.example.com/api/v2/users/oidc/callback"],
    grantTypes: ["AUTHORIZATION_CODE", "REFRESH_TOKEN"],
    restrictScopes: true,
    restrictedScopes: ["openid", "profile", "email", "offline_access"],
    refreshRolling: "DONT_ROLL",
    persistentGrantExpirationType: "OVERRIDE_SERVER_DEFAULT",
    persistentGrantExpirationTime: 90,
    persistentGrantExpirationTimeUnit: "DAYS",
    persistentGrantIdleTimeoutType: "OVERRIDE_SERVER_DEFAULT",
    persistentGrantIdleTimeout: 30,
    persistentGrantIdleTimeoutTimeUnit: "DAYS",
    requireOfflineAccessScopeToIssueRefreshTokens: "YES",
    bypassApprovalPage: true,
    secretOverlap: 86400,
    replicate: "auto",
    ...overrides,
  };
}
