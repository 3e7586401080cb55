/** What the client provider's diff compares: each operational setting, each default, and flags by meaning. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { diffClient } from "../../../idps/pingfederate/diff";
import { coderClientInputs } from "../../../e2e/support/pf-admin-sim";

const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const ADMIN_URL = "https://pf.example.com:9999/pf-admin-api/v1";
type Props = Record<string, unknown>;

describe("diff of an OAuth client", () => {
  const state = (change: Props = {}): Props => ({
    ...coderClientInputs(ADMIN_URL), clientSecret: "s", serverVersion: "12.1.0.4", clientAuthType: "SECRET", ...change,
  });
  const changes = (olds: Props, news: Props) => diffClient(olds, news).changes;

  it("takes an unset operational setting as its default, either way", () => {
    const unset = { replicate: undefined, secretOverlap: undefined, caCertificate: undefined, insecureSkipTlsVerify: undefined, secretVersion: undefined };
    const defaults = { replicate: "auto", secretOverlap: 86400, caCertificate: "", insecureSkipTlsVerify: false, secretVersion: "" };
    assert.deepEqual(changes(state(unset), state(defaults)), []);
    assert.deepEqual(changes(state(defaults), state(unset)), []);
  });

  it("names each operational setting that changed, and no other", () => {
    for (const [key, value] of [["replicate", "never"], ["secretOverlap", 0], ["caCertificate", "-----BEGIN CERTIFICATE-----"],
      ["insecureSkipTlsVerify", true], ["secretVersion", "2"]] as const) {
      assert.deepEqual(diffClient(state(), state({ [key]: value })), { changes: [key], replaces: [] }, key);
    }
  });

  it("reports a client whose authentication is no longer a secret", () => {
    assert.deepEqual(changes(state({ clientAuthType: "PRIVATE_KEY_JWT" }), state()), ["clientAuth"]);
    assert.deepEqual(changes(state({ clientAuthType: undefined }), state()), []);
  });

  it("compares flags by meaning: unset is false", () => {
    assert.deepEqual(changes(state({ restrictScopes: false }), state({ restrictScopes: true })), ["restrictScopes"]);
    assert.deepEqual(changes(state({ restrictScopes: undefined }), state({ restrictScopes: false })), []);
    assert.deepEqual(changes(state({ bypassApprovalPage: false }), state({ bypassApprovalPage: true })), ["bypassApprovalPage"]);
    assert.deepEqual(changes(state({ bypassApprovalPage: undefined }), state({ bypassApprovalPage: false })), []);
    assert.deepEqual(changes(state({ restrictedScopes: undefined }), state({ restrictedScopes: [] })), []);
  });

  it("compares the description only when the inputs set it, an unset one as empty", () => {
    assert.deepEqual(changes(state({ description: "by hand" }), state({ description: undefined })), []);
    assert.deepEqual(changes(state({ description: undefined }), state({ description: "" })), []);
    assert.deepEqual(changes(state({ description: "old" }), state({ description: "new" })), ["description"]);
  });

  it("compares the grace period only when the inputs set its type, and its seconds only with an override", () => {
    const overriding = (seconds: number) => ({ refreshTokenRollingGracePeriodType: "OVERRIDE_SERVER_DEFAULT", refreshTokenRollingGracePeriod: seconds });
    const both = ["refreshTokenRollingGracePeriodType", "refreshTokenRollingGracePeriod"];
    assert.deepEqual(changes(state(overriding(60)), state()), []);
    assert.deepEqual(changes(state(overriding(60)), state({ refreshTokenRollingGracePeriodType: "SERVER_DEFAULT" })), both);
    assert.deepEqual(changes(state(overriding(60)), state(overriding(60))), []);
    assert.deepEqual(changes(state(overriding(60)), state(overriding(90))), both);
    assert.deepEqual(changes(
      state({ refreshTokenRollingGracePeriodType: "SERVER_DEFAULT", refreshTokenRollingGracePeriod: 9 }),
      state({ refreshTokenRollingGracePeriodType: "SERVER_DEFAULT", refreshTokenRollingGracePeriod: 5 })), []);
  });

  it("compares the 12.1 offline-access field only where the server has it", () => {
    const field = "requireOfflineAccessScopeToIssueRefreshTokens";
    const news = state({ [field]: "YES" });
    assert.deepEqual(changes(state({ [field]: undefined, serverVersion: "12.0.3" }), news), []);
    assert.deepEqual(changes(state({ [field]: undefined, serverVersion: "12.1.0.4" }), news), [field]);
    assert.deepEqual(changes(state({ [field]: "NO", serverVersion: undefined }), news), [field]);
    assert.deepEqual(changes(state({ [field]: undefined, serverVersion: 12.1 }), news), []);
    assert.deepEqual(changes(state({ [field]: undefined, serverVersion: "12.1.0.4" }), state({ [field]: "SERVER_DEFAULT" })), []);
  });

  it("compares persistent grants by meaning: the same seconds in other units are equal, -1 is indefinite", () => {
    const props = ["persistentGrantExpirationType", "persistentGrantExpirationTime", "persistentGrantExpirationTimeUnit"];
    const grant = (type: unknown, time?: unknown, unit?: unknown) =>
      ({ persistentGrantExpirationType: type, persistentGrantExpirationTime: time, persistentGrantExpirationTimeUnit: unit });
    const override = "OVERRIDE_SERVER_DEFAULT";
    assert.deepEqual(changes(state(grant(override, 1, "DAYS")), state(grant(override, 24, "HOURS"))), []);
    assert.deepEqual(changes(state(grant(override, 90, "DAYS")), state(grant(override, -1, "DAYS"))), props);
    assert.deepEqual(changes(state(grant(override, -1, "DAYS")), state(grant(override, -1, "HOURS"))), []);
    assert.deepEqual(changes(state(grant(override, 2, "DAYS")), state(grant(override, 1, "DAYS"))), props);
    assert.deepEqual(changes(state(grant("SERVER_DEFAULT")), state(grant(undefined))), []);
    assert.deepEqual(changes(state(grant("SERVER_DEFAULT", 1, "DAYS")), state(grant("SERVER_DEFAULT", 2, "HOURS"))), []);
    assert.deepEqual(changes(state(grant("SERVER_DEFAULT")), state(grant("INDEFINITE_EXPIRY"))), props);
    assert.deepEqual(changes(state(grant(override, 1, "DAYS")), state(grant(override, UNKNOWN, "DAYS"))), props);
    assert.deepEqual(changes(state(grant(override, 1, "DAYS")), state(grant(override, 1, UNKNOWN))), props);
  });

  it("compares references by their id", () => {
    assert.deepEqual(changes(state({ defaultAccessTokenManagerRef: { id: "a" } }),
      state({ defaultAccessTokenManagerRef: { id: "a", location: "https://pf/x" } })), []);
    assert.deepEqual(changes(state({ defaultAccessTokenManagerRef: { id: "a" } }), state({ defaultAccessTokenManagerRef: { id: "b" } })),
      ["defaultAccessTokenManagerRef"]);
    assert.deepEqual(changes(state({ oidcPolicy: { policyGroup: { id: "a" } } }), state({ oidcPolicy: { policyGroup: { id: "b" } } })), ["oidcPolicy"]);
    assert.deepEqual(changes(state({ oidcPolicy: undefined }), state({ oidcPolicy: {} })), []);
    assert.deepEqual(changes(state({ oidcPolicy: { policyGroup: { id: "a" } } }), state({ oidcPolicy: UNKNOWN })), ["oidcPolicy"]);
    assert.deepEqual(changes(state({ oidcPolicy: { policyGroup: { id: "a" } } }), state({ oidcPolicy: { policyGroup: UNKNOWN } })), ["oidcPolicy"]);
  });
});
