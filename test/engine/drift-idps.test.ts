/**
 * drift (engine/drift.ts) on Okta's and Auth0's update steps, from hand-made engine events in the engine's shape
 * (test/cli/fixtures/drift-{okta,auth0}-hand-edit.json): every changed field named with the program's and the live
 * value, also when the bridged provider names only a top-level object (Auth0's refreshToken) or nothing at all; a
 * client secret never shown, while Auth0's refreshToken settings (an object, not a token) are.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import { driftText, MASKED, parseDriftEvents, parseRefreshChanges, renderStackDrift } from "../../engine/drift";

const events = (name: string) => JSON.parse(fs.readFileSync(path.join(__dirname, "fixtures", name), "utf8")) as EngineEvent[];

describe("drift at Okta", () => {
  const drift = parseDriftEvents(events("drift-okta-hand-edit.json"));
  it("names the app's and the policy rule's changed fields, program and live", () => {
    assert.deepEqual(drift.map((r) => [r.type, r.name, r.op]), [
      ["okta:app/oAuth:OAuth", "coder-app", "update"],
      ["okta:auth/serverPolicyRule:ServerPolicyRule", "coder-policy-rule", "update"],
    ]);
    assert.deepEqual(drift[0].fields, [
      { path: "grantTypes[1]", kind: "add", program: "refresh_token", live: undefined },
      { path: "refreshTokenLeeway", kind: "update", program: "30", live: "0" },
    ]);
    assert.deepEqual(drift[1].fields, [{ path: "scopeWhitelists[3]", kind: "add", program: "offline_access", live: undefined }]);
    assert.match(renderStackDrift({ stack: "prod-okta", status: "drift", resources: drift }), /refreshTokenLeeway: program 30, live 0/);
  });
  it("the refresh alone: what Okta holds against what was recorded", () => {
    // The refresh steps carry no diff of their own: nothing to name without the update steps.
    assert.deepEqual(parseRefreshChanges(events("drift-okta-hand-edit.json")), []);
  });
});

describe("drift at Auth0", () => {
  const drift = parseDriftEvents(events("drift-auth0-hand-edit.json"));
  it("names the fields inside refreshToken when the step names only refreshToken", () => {
    assert.equal(drift[0].name, "coder-client");
    assert.deepEqual(drift[0].fields, [
      { path: "refreshToken.expirationType", kind: "update", program: "expiring", live: "non-expiring" },
      { path: "refreshToken.rotationType", kind: "update", program: "non-rotating", live: "rotating" },
    ]);
  });
  it("finds the fields of a step that names none, and never shows the client secret", () => {
    assert.equal(drift[1].name, "coder-credentials");
    assert.deepEqual(drift[1].fields, [{ path: "authenticationMethod", kind: "update", program: "client_secret_post", live: "client_secret_basic" }]);
    const text = renderStackDrift({ stack: "dev-auth0", status: "drift", resources: drift });
    assert.doesNotMatch(text, /plain-secret-the-engine-did-not-mark/);
    assert.match(text, /refreshToken\.rotationType: program non-rotating, live rotating/);
  });
  it("masks a token, not a token's settings", () => {
    assert.equal(driftText("a-refresh-token", ["refreshToken"]), MASKED);
    assert.equal(driftText({ leeway: 0 }, ["refreshToken"]), '{"leeway":0}');
    assert.equal(driftText(0, ["refreshToken", "leeway"]), "0");
    assert.equal(driftText({ refreshToken: { leeway: 0 }, accessToken: "t" }, ["x"]), `{"refreshToken":{"leeway":0},"accessToken":"${MASKED}"}`);
  });
});
