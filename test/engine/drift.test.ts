import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import { passthroughEnv } from "../../engine/automation";
import {
  classifyFailure,
  isExpectNoChangesFailure,
  mapBounded,
  parseDriftEvents,
  parseRefreshChanges,
  renderStackDrift,
  renderSummaryTable,
  splitPropertyPath,
  stackExitCode,
  worstExitCode,
  type StackDriftResult,
} from "../../engine/drift";

const FIXTURES = path.join(__dirname, "fixtures");
const events = (name: string) => JSON.parse(fs.readFileSync(path.join(FIXTURES, name), "utf8")) as EngineEvent[];

describe("drift from the real engine's events (recorded by e2e/pingfederate.e2e.ts)", () => {
  it("finds the fields changed by hand at PingFederate, which the engine does not name for a dynamic provider", () => {
    const drift = parseDriftEvents(events("recorded-pingfederate-drift.json"));
    assert.deepEqual(drift.map((d) => [d.name, d.op]), [["coder-client", "update"]]);
    const fields = Object.fromEntries(drift[0].fields.map((f) => [f.path, f]));
    assert.deepEqual(Object.keys(fields).sort(), ["grantTypes", "persistentGrantIdleTimeout"], "logoUrl, set by hand, is not ours");
    assert.match(String(fields.grantTypes.program), /REFRESH_TOKEN/);
    assert.doesNotMatch(String(fields.grantTypes.live), /REFRESH_TOKEN/);
    assert.equal(fields.persistentGrantIdleTimeout.program, "30");
    assert.equal(fields.persistentGrantIdleTimeout.live, "1");
    assert.ok(!drift[0].fields.some((f) => f.path === "__provider" || f.path === "clientSecret"));
  });
  it("finds no drift right after up", () => {
    assert.deepEqual(parseDriftEvents(events("recorded-pingfederate-no-drift.json")), []);
  });
  it("says PingFederate refused the admin credentials when it answered 401", () => {
    const text = events("recorded-pingfederate-credentials-refused.json")
      .map((e) => e.diagnosticEvent?.message ?? "").join("\n");
    assert.equal(classifyFailure(text).failure, "idp-credentials");
    assert.doesNotMatch(text, /\n\s+at /, "the provider's error came without stack frames");
  });
});

describe("drift from recorded engine events", () => {
  it("names each field changed by hand in Keycloak, with the program's and the live value", () => {
    const drift = parseDriftEvents(events("drift-keycloak-hand-edit.json"));
    assert.equal(drift.length, 1, "the refresh step and same steps are not drift");
    assert.equal(drift[0].name, "coder-client");
    assert.equal(drift[0].op, "update");
    assert.deepEqual(drift[0].fields, [
      { path: "clientOfflineSessionIdleTimeout", kind: "update", program: "2592000", live: "604800" },
      { path: "validRedirectUris[1]", kind: "delete", program: undefined, live: "https://evil.example.com/*" },
    ]);
    assert.match(renderStackDrift({ stack: "dev-keycloak", status: "drift", resources: drift }),
      /clientOfflineSessionIdleTimeout: program 2592000, live 604800/);
  });

  it("reports a PingFederate grant removed by hand and a scope deleted by hand, secrets and provider code masked", () => {
    const drift = parseDriftEvents(events("drift-pingfederate-hand-edit.json"));
    const client = drift.find((d) => d.name === "coder-client")!;
    assert.deepEqual(client.fields.find((f) => f.path === "grantTypes"),
      { path: "grantTypes", kind: "update", program: '["AUTHORIZATION_CODE","REFRESH_TOKEN"]', live: '["AUTHORIZATION_CODE"]' });
    assert.deepEqual(client.fields.find((f) => f.path === "clientSecret"), { path: "clientSecret", kind: "update", program: "[secret]", live: "[secret]" });
    const scope = drift.find((d) => d.name === "coder-offline-access-scope")!;
    assert.equal(scope.op, "create");
    assert.match(renderStackDrift({ stack: "prod-pingfederate", status: "drift", resources: drift }), /gone from the IdP/);
  });

  it("reads what a refresh changed, for when the engine fails on the refresh alone", () => {
    const [changed] = parseRefreshChanges(events("drift-keycloak-hand-edit.json"));
    assert.equal(changed.op, "refresh");
    assert.deepEqual(changed.fields[0], { path: "clientOfflineSessionIdleTimeout", kind: "update", program: "2592000", live: "604800" });
    assert.deepEqual(parseRefreshChanges(events("drift-none.json")), []);
  });

  it("finds no drift when every step after the refresh is the same", () => {
    assert.deepEqual(parseDriftEvents(events("drift-none.json")), []);
  });

  it("masks secret fields by name even when the engine sent them in the clear", () => {
    const [drift] = parseDriftEvents([{ sequence: 1, timestamp: 1, resourcePreEvent: { metadata: {
      op: "update", urn: "urn:pulumi:s::p::t::n", type: "t", provider: "",
      old: { type: "t", urn: "u", id: "i", parent: "", provider: "", inputs: { clientSecret: "live-plain", nested: { password: "p1" } }, outputs: {} },
      new: { type: "t", urn: "u", id: "i", parent: "", provider: "", inputs: { clientSecret: "prog-plain", nested: { password: "p2" } }, outputs: {} },
      diffs: ["clientSecret", "nested"],
    } } }]);
    const text = JSON.stringify(drift);
    for (const secret of ["live-plain", "prog-plain", "p1", "p2"]) assert.ok(!text.includes(secret), secret);
  });

  it("reads Pulumi property paths", () => {
    assert.deepEqual(splitPropertyPath('web.implicitGrant["id.token"][2]'), ["web", "implicitGrant", "id.token", 2]);
  });
});

describe("drift exit codes", () => {
  const r = (status: StackDriftResult["status"]): StackDriftResult => ({ stack: status, status, resources: [] });
  it("are 0 no drift, 1 drift, 2 could not check", () => {
    assert.deepEqual([r("no-drift"), r("drift"), r("error")].map(stackExitCode), [0, 1, 2]);
  });
  it("with --all, the worst of the stacks", () => {
    assert.equal(worstExitCode([r("no-drift"), r("drift"), r("no-drift")]), 1);
    assert.equal(worstExitCode([r("drift"), r("error")]), 2);
    assert.equal(worstExitCode([r("no-drift")]), 0);
  });
  it("classify each failure with what to fix", () => {
    assert.equal(classifyFailure(events("drift-keycloak-unreachable.json").map((e) => e.diagnosticEvent?.message ?? "").join("\n")).failure, "idp-unreachable");
    assert.match(classifyFailure("error: no stack named 'x' found").message, /PULUMI_BACKEND_URL/);
    assert.match(classifyFailure("error: getting secrets manager: passphrase must be set with PULUMI_CONFIG_PASSPHRASE").message, /PULUMI_CONFIG_PASSPHRASE/);
    assert.equal(classifyFailure("error: PULUMI_ACCESS_TOKEN must be set for login during non-interactive CLI sessions").failure, "no-credentials");
    assert.equal(classifyFailure("GET /oauth/clients/coder: 401 check the admin credentials").failure, "idp-credentials");
  });
  it("take only the CLI's own refusal of changes for drift, not a command line that names the flag", () => {
    assert.equal(isExpectNoChangesFailure("error: no changes were expected but changes were proposed\n"), true);
    assert.equal(isExpectNoChangesFailure("error: no changes were expected for urn:pulumi:e2e::coder-oidc::t::coder-client but changes were proposed"), true);
    assert.equal(isExpectNoChangesFailure("Error: expected no changes"), true);
    assert.equal(isExpectNoChangesFailure("Command failed with exit code 255: pulumi preview --refresh --expect-no-changes --diff"), false);
    assert.equal(isExpectNoChangesFailure("error: preview failed"), false);
  });
  it("the summary table has one row per stack", () => {
    const table = renderSummaryTable([r("no-drift"), { ...r("error"), failure: "no-cli", message: "install it" }]);
    assert.match(table, /\| no-drift \| no drift \| 0 \|/);
    assert.match(table, /\| error \| could not check \| 0 \| no-cli: install it \|/);
  });
});

describe("the Automation API wiring", () => {
  it("passes the backend, passphrase and IdP credentials through, and nothing else", () => {
    const env = passthroughEnv({ PULUMI_BACKEND_URL: "file:///tmp/x", PULUMI_CONFIG_PASSPHRASE: "p", PINGFEDERATE_ADMIN_TOKEN: "t", UNRELATED: "u" });
    assert.equal(env.PULUMI_BACKEND_URL, "file:///tmp/x");
    assert.equal(env.PULUMI_CONFIG_PASSPHRASE, "p");
    assert.equal(env.PINGFEDERATE_ADMIN_TOKEN, "t");
    assert.equal(env.UNRELATED, undefined);
    assert.equal(env.PULUMI_SKIP_UPDATE_CHECK, "true");
  });
  it("checks stacks concurrently, never more than the bound at once", async () => {
    let running = 0;
    let peak = 0;
    const out = await mapBounded([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      running++; peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running--;
      return n * 2;
    });
    assert.deepEqual(out, [2, 4, 6, 8, 10, 12, 14]);
    assert.equal(peak, 3);
  });
});
