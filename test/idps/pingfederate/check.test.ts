/**
 * Every rule of the dynamic providers' `check`, word for word: each property given a wrong type, an empty or
 * malformed value, a value just outside its range, and the values just inside it or still unknown (preview),
 * which must pass. The whole failure list is compared, so a second failure that should not be there fails too.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkClientInputs, checkScopeInputs } from "../../../idps/pingfederate/check";
import { coderClientInputs } from "../../../e2e/support/pf-admin-sim";

const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const ADMIN_URL = "https://pf.example.com:9999/pf-admin-api/v1";
const GRANT_TYPES = "AUTHORIZATION_CODE, REFRESH_TOKEN, IMPLICIT, RESOURCE_OWNER_CREDENTIALS, CLIENT_CREDENTIALS, EXTENSION, " +
  "DEVICE_CODE, ACCESS_TOKEN_VALIDATION, CIBA, TOKEN_EXCHANGE";
const SCOPE_RULE = "must be an OAuth scope (printable ASCII, no spaces or quotes)";

type Failure = [property: string, reason: string];
type Case = [title: string, change: Record<string, unknown>, failures: Failure[]];

const failuresOf = (check: (news: Record<string, unknown>) => { property: string; reason: string }[], base: Record<string, unknown>) =>
  (change: Record<string, unknown>) => check({ ...base, ...change }).map((f): Failure => [f.property, f.reason]);

describe("check of an OAuth client", () => {
  const base = coderClientInputs(ADMIN_URL) as unknown as Record<string, unknown>;
  const failures = failuresOf(checkClientInputs, base);
  const override = { persistentGrantExpirationType: "OVERRIDE_SERVER_DEFAULT", persistentGrantExpirationTimeUnit: "DAYS" };
  const grace = { refreshTokenRollingGracePeriodType: "OVERRIDE_SERVER_DEFAULT" };
  const timeRule = "persistentGrantExpirationTime must be a whole number ≥ 1 (or -1 for indefinite) with persistentGrantExpirationType OVERRIDE_SERVER_DEFAULT";
  const graceRule = "refreshTokenRollingGracePeriod must be whole seconds (0 to 2147483647) with refreshTokenRollingGracePeriodType OVERRIDE_SERVER_DEFAULT";
  const cases: Case[] = [
    ["the Coder client as the component builds it", {}, []],
    // The connection
    ["adminUrl missing", { adminUrl: undefined }, [["adminUrl", "adminUrl is required: the admin API base URL, e.g. https://pf.example.com:9999/pf-admin-api/v1"]]],
    ["adminUrl over http", { adminUrl: "http://pf.example.com:9999/pf-admin-api/v1" },
      [["adminUrl", 'adminUrl must use https (http only for localhost), got "http://pf.example.com:9999/pf-admin-api/v1"']]],
    ["adminUrl over http on localhost", { adminUrl: "http://localhost:9999/pf-admin-api/v1" }, []],
    ["adminUrl over http on 127.0.0.1", { adminUrl: "http://127.0.0.1:9999/pf-admin-api/v1" }, []],
    ["adminUrl over http on [::1]", { adminUrl: "http://[::1]:9999/pf-admin-api/v1" }, []],
    ["adminUrl of another scheme on localhost", { adminUrl: "ftp://localhost/pf-admin-api/v1" },
      [["adminUrl", 'adminUrl must use https (http only for localhost), got "ftp://localhost/pf-admin-api/v1"']]],
    ["adminUrl not a URL", { adminUrl: "pf.example.com" }, [["adminUrl", 'adminUrl must be an absolute URL, got "pf.example.com"']]],
    ["adminUrl not text", { adminUrl: 9999 }, [["adminUrl", "adminUrl must be an absolute URL, got 9999"]]],
    ["adminUrl unknown", { adminUrl: UNKNOWN }, []],
    ["replicate outside its enum", { replicate: "sometimes" }, [["replicate", 'replicate must be one of auto, never, got "sometimes"']]],
    ["replicate never", { replicate: "never" }, []],
    ["insecureSkipTlsVerify as text", { insecureSkipTlsVerify: "true" }, [["insecureSkipTlsVerify", "insecureSkipTlsVerify must be true or false"]]],
    ["insecureSkipTlsVerify true", { insecureSkipTlsVerify: true }, []],
    ["insecureSkipTlsVerify unknown", { insecureSkipTlsVerify: UNKNOWN }, []],
    ["caCertificate empty", { caCertificate: "" }, [["caCertificate", "caCertificate must be a non-empty string"]]],
    ["caCertificate blank", { caCertificate: " \n" }, [["caCertificate", "caCertificate must be a non-empty string"]]],
    ["caCertificate not text", { caCertificate: 1 }, [["caCertificate", "caCertificate must be a non-empty string"]]],
    ["caCertificate a path", { caCertificate: "/etc/pf/ca.pem" }, []],
    ["caCertificate unknown", { caCertificate: UNKNOWN }, []],
    // Identity
    ["clientId missing", { clientId: undefined }, [["clientId", "clientId must be a non-empty string"]]],
    ["clientId blank", { clientId: " " }, [["clientId", "clientId must be a non-empty string"]]],
    ["clientId not text", { clientId: 7 }, [["clientId", "clientId must be a non-empty string"]]],
    ["clientId unknown", { clientId: UNKNOWN }, []],
    ["name missing", { name: undefined }, [["name", "name must be a non-empty string"]]],
    ["name empty", { name: "" }, [["name", "name must be a non-empty string"]]],
    ["description not text", { description: 5 }, [["description", "description must be a string"]]],
    ["description empty", { description: "" }, []],
    ["description unset", { description: undefined }, []],
    ["description unknown", { description: UNKNOWN }, []],
    // Lists
    ["redirectUris not a list", { redirectUris: "https://coder.example.com/cb" }, [["redirectUris", "redirectUris must be a list"]]],
    ["redirectUris unknown", { redirectUris: UNKNOWN }, []],
    ["a redirect URI over http", { redirectUris: ["https://coder.example.com/cb", "http://coder.example.com/cb"] },
      [["redirectUris", 'redirectUris[1] must use https (http only for localhost), got "http://coder.example.com/cb"']]],
    ["a redirect URI over http on localhost", { redirectUris: ["http://localhost:3000/api/v2/users/oidc/callback"] }, []],
    ["a redirect URI that is not one", { redirectUris: ["/callback", 3] },
      [["redirectUris", 'redirectUris[0] must be an absolute URL, got "/callback"'], ["redirectUris", "redirectUris[1] must be an absolute URL, got 3"]]],
    ["a redirect URI unknown", { redirectUris: [UNKNOWN, "https://coder.example.com/cb"] }, []],
    ["grantTypes not a list", { grantTypes: "AUTHORIZATION_CODE" }, [["grantTypes", "grantTypes must be a list"]]],
    ["grantTypes empty", { grantTypes: [] }, [["grantTypes", "grantTypes must not be empty"]]],
    ["a grant type outside its enum", { grantTypes: ["AUTHORIZATION_CODE", "PASSWORD", ""] },
      [["grantTypes", `grantTypes[1] must be one of ${GRANT_TYPES}, got "PASSWORD"`], ["grantTypes", `grantTypes[2] must be one of ${GRANT_TYPES}, got ""`]]],
    ["every grant type", { grantTypes: GRANT_TYPES.split(", ") }, []],
    ["restrictScopes missing", { restrictScopes: undefined }, [["restrictScopes", "restrictScopes must be true or false"]]],
    ["restrictScopes as text", { restrictScopes: "false" }, [["restrictScopes", "restrictScopes must be true or false"]]],
    ["restrictScopes false", { restrictScopes: false }, []],
    ["restrictScopes unknown", { restrictScopes: UNKNOWN }, []],
    ["restrictedScopes not a list", { restrictedScopes: "openid" }, [["restrictedScopes", "restrictedScopes must be a list"]]],
    ["restricted scopes that are not scope tokens", { restrictedScopes: ["openid", "bad scope", 'q"uote', "back\\slash", "", 5] }, [
      ["restrictedScopes", `restrictedScopes[1] ${SCOPE_RULE}, got "bad scope"`],
      ["restrictedScopes", `restrictedScopes[2] ${SCOPE_RULE}, got "q\\"uote"`],
      ["restrictedScopes", `restrictedScopes[3] ${SCOPE_RULE}, got "back\\\\slash"`],
      ["restrictedScopes", `restrictedScopes[4] ${SCOPE_RULE}, got ""`],
      ["restrictedScopes", `restrictedScopes[5] ${SCOPE_RULE}, got 5`],
    ]],
    ["restricted scopes of every printable character but quote and backslash", { restrictedScopes: ["!#[]~", "a:b/c", UNKNOWN] }, []],
    // Refresh tokens
    ["refreshRolling outside its enum", { refreshRolling: "ALWAYS" }, [["refreshRolling", 'refreshRolling must be one of SERVER_DEFAULT, DONT_ROLL, ROLL, got "ALWAYS"']]],
    ["refreshRolling unknown", { refreshRolling: UNKNOWN }, []],
    ["grace period type outside its enum", { refreshTokenRollingGracePeriodType: "LONG" },
      [["refreshTokenRollingGracePeriodType", 'refreshTokenRollingGracePeriodType must be one of SERVER_DEFAULT, OVERRIDE_SERVER_DEFAULT, got "LONG"']]],
    ["grace period below 0", { ...grace, refreshTokenRollingGracePeriod: -1 }, [["refreshTokenRollingGracePeriod", graceRule]]],
    ["grace period above 32 bits", { ...grace, refreshTokenRollingGracePeriod: 2_147_483_648 }, [["refreshTokenRollingGracePeriod", graceRule]]],
    ["grace period not whole", { ...grace, refreshTokenRollingGracePeriod: 1.5 }, [["refreshTokenRollingGracePeriod", graceRule]]],
    ["grace period as text", { ...grace, refreshTokenRollingGracePeriod: "60" }, [["refreshTokenRollingGracePeriod", graceRule]]],
    ["grace period missing", { ...grace }, [["refreshTokenRollingGracePeriod", graceRule]]],
    ["grace period 0", { ...grace, refreshTokenRollingGracePeriod: 0 }, []],
    ["grace period at 32 bits", { ...grace, refreshTokenRollingGracePeriod: 2_147_483_647 }, []],
    ["grace period unknown", { ...grace, refreshTokenRollingGracePeriod: UNKNOWN }, []],
    ["grace period ignored without the override", { refreshTokenRollingGracePeriodType: "SERVER_DEFAULT", refreshTokenRollingGracePeriod: -1 }, []],
    // Persistent grants (the same rule for the idle timeout, below)
    ["grant type outside its enum", { persistentGrantExpirationType: "LATER" },
      [["persistentGrantExpirationType", 'persistentGrantExpirationType must be one of INDEFINITE_EXPIRY, SERVER_DEFAULT, OVERRIDE_SERVER_DEFAULT, got "LATER"']]],
    ["grant time 0", { ...override, persistentGrantExpirationTime: 0 }, [["persistentGrantExpirationTime", timeRule]]],
    ["grant time -2", { ...override, persistentGrantExpirationTime: -2 }, [["persistentGrantExpirationTime", timeRule]]],
    ["grant time not whole", { ...override, persistentGrantExpirationTime: 1.5 }, [["persistentGrantExpirationTime", timeRule]]],
    ["grant time as text", { ...override, persistentGrantExpirationTime: "30" }, [["persistentGrantExpirationTime", timeRule]]],
    ["grant time missing", { ...override, persistentGrantExpirationTime: undefined }, [["persistentGrantExpirationTime", timeRule]]],
    ["grant time 1", { ...override, persistentGrantExpirationTime: 1 }, []],
    ["grant time -1 (indefinite)", { ...override, persistentGrantExpirationTime: -1 }, []],
    ["grant time unknown", { ...override, persistentGrantExpirationTime: UNKNOWN }, []],
    ["grant unit missing", { ...override, persistentGrantExpirationTime: 1, persistentGrantExpirationTimeUnit: undefined },
      [["persistentGrantExpirationTimeUnit", "persistentGrantExpirationTimeUnit is required with persistentGrantExpirationType OVERRIDE_SERVER_DEFAULT"]]],
    ["grant unit outside its enum", { ...override, persistentGrantExpirationTime: 1, persistentGrantExpirationTimeUnit: "SECONDS" },
      [["persistentGrantExpirationTimeUnit", 'persistentGrantExpirationTimeUnit must be one of MINUTES, HOURS, DAYS, got "SECONDS"']]],
    ["grant unit unknown", { ...override, persistentGrantExpirationTime: 1, persistentGrantExpirationTimeUnit: UNKNOWN }, []],
    ["grant time and unit ignored without the override", { persistentGrantExpirationType: "SERVER_DEFAULT", persistentGrantExpirationTime: 0,
      persistentGrantExpirationTimeUnit: "SECONDS" }, []],
    ["idle timeout 0, without a unit", { persistentGrantIdleTimeout: 0, persistentGrantIdleTimeoutTimeUnit: undefined }, [
      ["persistentGrantIdleTimeout", "persistentGrantIdleTimeout must be a whole number ≥ 1 (or -1 for indefinite) with persistentGrantIdleTimeoutType OVERRIDE_SERVER_DEFAULT"],
      ["persistentGrantIdleTimeoutTimeUnit", "persistentGrantIdleTimeoutTimeUnit is required with persistentGrantIdleTimeoutType OVERRIDE_SERVER_DEFAULT"],
    ]],
    ["offline access outside its enum", { requireOfflineAccessScopeToIssueRefreshTokens: "MAYBE" },
      [["requireOfflineAccessScopeToIssueRefreshTokens", 'requireOfflineAccessScopeToIssueRefreshTokens must be one of SERVER_DEFAULT, NO, YES, got "MAYBE"']]],
    // The rest
    ["bypassApprovalPage as text", { bypassApprovalPage: "yes" }, [["bypassApprovalPage", "bypassApprovalPage must be true or false"]]],
    ["bypassApprovalPage unset", { bypassApprovalPage: undefined }, []],
    ["bypassApprovalPage unknown", { bypassApprovalPage: UNKNOWN }, []],
    ["an access token manager without an id", { defaultAccessTokenManagerRef: { name: "atm" } },
      [["defaultAccessTokenManagerRef", "defaultAccessTokenManagerRef must be { id: <access token manager id> }"]]],
    ["an access token manager with an empty id", { defaultAccessTokenManagerRef: { id: "" } },
      [["defaultAccessTokenManagerRef", "defaultAccessTokenManagerRef must be { id: <access token manager id> }"]]],
    ["an access token manager given as its id", { defaultAccessTokenManagerRef: "atm" },
      [["defaultAccessTokenManagerRef", "defaultAccessTokenManagerRef must be { id: <access token manager id> }"]]],
    ["an access token manager", { defaultAccessTokenManagerRef: { id: "atm" } }, []],
    ["an access token manager unknown", { defaultAccessTokenManagerRef: UNKNOWN }, []],
    ["an access token manager whose id is unknown", { defaultAccessTokenManagerRef: { id: UNKNOWN } }, []],
    ["a policy group without an id", { oidcPolicy: { policyGroup: {} } }, [["oidcPolicy", "oidcPolicy.policyGroup must be { id: <OpenID Connect policy id> }"]]],
    ["a policy group with an id that is not text", { oidcPolicy: { policyGroup: { id: 3 } } }, [["oidcPolicy", "oidcPolicy.policyGroup must be { id: <OpenID Connect policy id> }"]]],
    ["a policy group with an empty id", { oidcPolicy: { policyGroup: { id: "" } } }, [["oidcPolicy", "oidcPolicy.policyGroup must be { id: <OpenID Connect policy id> }"]]],
    ["a policy group", { oidcPolicy: { policyGroup: { id: "oidc" } } }, []],
    ["an OIDC policy without a group", { oidcPolicy: {} }, []],
    ["an OIDC policy unknown", { oidcPolicy: UNKNOWN }, []],
    ["a policy group unknown", { oidcPolicy: { policyGroup: UNKNOWN } }, []],
    ["secretVersion not text", { secretVersion: 2 }, [["secretVersion", "secretVersion must be a string"]]],
    ["secretVersion empty", { secretVersion: "" }, []],
    ["secretVersion unknown", { secretVersion: UNKNOWN }, []],
    ["secretOverlap below 0", { secretOverlap: -1 }, [["secretOverlap", "secretOverlap must be whole seconds ≥ 0"]]],
    ["secretOverlap not whole", { secretOverlap: 0.5 }, [["secretOverlap", "secretOverlap must be whole seconds ≥ 0"]]],
    ["secretOverlap as text", { secretOverlap: "60" }, [["secretOverlap", "secretOverlap must be whole seconds ≥ 0"]]],
    ["secretOverlap 0", { secretOverlap: 0 }, []],
    ["secretOverlap unset", { secretOverlap: undefined }, []],
    ["secretOverlap unknown", { secretOverlap: UNKNOWN }, []],
  ];
  for (const [title, change, expected] of cases) {
    it(title, () => assert.deepEqual(failures(change), expected));
  }

  it("lists every failure at once, in the order of the properties", () => {
    assert.deepEqual(failures({ adminUrl: "x", clientId: "", name: 1, grantTypes: [], restrictScopes: "no", secretOverlap: -5 }), [
      ["adminUrl", 'adminUrl must be an absolute URL, got "x"'],
      ["clientId", "clientId must be a non-empty string"],
      ["name", "name must be a non-empty string"],
      ["grantTypes", "grantTypes must not be empty"],
      ["restrictScopes", "restrictScopes must be true or false"],
      ["secretOverlap", "secretOverlap must be whole seconds ≥ 0"],
    ]);
  });
});

describe("check of a common scope", () => {
  const base = { adminUrl: ADMIN_URL, name: "offline_access", description: "Offline access" };
  const failures = failuresOf(checkScopeInputs, base);
  const cases: Case[] = [
    ["offline_access", {}, []],
    ["a name that is not a scope token", { name: "offline access" }, [["name", `name ${SCOPE_RULE}, got "offline access"`]]],
    ["a name with a quote", { name: 'a"b' }, [["name", `name ${SCOPE_RULE}, got "a\\"b"`]]],
    ["a name missing", { name: undefined }, [["name", "name must be a non-empty string"]]],
    ["a name empty", { name: "" }, [["name", "name must be a non-empty string"]]],
    ["a name blank", { name: "  " }, [["name", "name must be a non-empty string"]]],
    ["a name with a space inside", { name: " offline_access" }, [["name", `name ${SCOPE_RULE}, got " offline_access"`]]],
    ["a name unknown", { name: UNKNOWN }, []],
    ["a description missing", { description: undefined }, [["description", "description must be a non-empty string"]]],
    ["a description blank", { description: " " }, [["description", "description must be a non-empty string"]]],
    ["a connection that breaks the client's rules", { adminUrl: "http://pf.example.com/pf-admin-api/v1", replicate: "no", insecureSkipTlsVerify: 1, caCertificate: "" }, [
      ["adminUrl", 'adminUrl must use https (http only for localhost), got "http://pf.example.com/pf-admin-api/v1"'],
      ["replicate", 'replicate must be one of auto, never, got "no"'],
      ["insecureSkipTlsVerify", "insecureSkipTlsVerify must be true or false"],
      ["caCertificate", "caCertificate must be a non-empty string"],
    ]],
  ];
  for (const [title, change, expected] of cases) {
    it(title, () => assert.deepEqual(failures(change), expected));
  }
});
