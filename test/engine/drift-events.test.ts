/**
 * engine/drift.ts at its edges, on hand-made engine events: property paths, what is masked, which steps are
 * drift and which fields they name, what the refresh alone changed, each failure class word for word, and the
 * text and table a user reads. (test/engine/drift.test.ts reads the real engine's recorded events.)
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import {
  changedInputs, classifyFailure, driftText, mapBounded, MASKED, parseDriftEvents, parseRefreshChanges, renderStackDrift,
  renderSummaryTable, splitPropertyPath, STACK_MISSING_MESSAGE, type StackDriftResult,
} from "../../engine/drift";

const SIG = "4dabf18193072939515e22adb298388d";
const URN = "urn:pulumi:dev::coder-oidc::keycloak:openid/client:Client::coder-client";
const TYPE = "keycloak:openid/client:Client";

/** A resource step event, as the engine sends it. */
function step(op: string, extra: Record<string, unknown> = {}, urn = URN, type = TYPE): EngineEvent {
  return { sequence: 1, timestamp: 0, resourcePreEvent: { metadata: { op, urn, type, provider: "", ...extra } } } as unknown as EngineEvent;
}
const state = (inputs: Record<string, unknown>, outputs: Record<string, unknown> = {}) => ({ type: TYPE, urn: URN, custom: true, inputs, outputs });

describe("property paths", () => {
  it("split into names and indexes, quoted names kept whole", () => {
    assert.deepEqual(splitPropertyPath("a.b[0]"), ["a", "b", 0]);
    assert.deepEqual(splitPropertyPath("validRedirectUris[12]"), ["validRedirectUris", 12]);
    assert.deepEqual(splitPropertyPath('extra["x.y"].z'), ["extra", "x.y", "z"]);
    assert.deepEqual(splitPropertyPath('extra["say \\"hi\\""]'), ["extra", 'say "hi"']);
    assert.deepEqual(splitPropertyPath(""), []);
  });
});

describe("values as drift prints them", () => {
  it("masks a value under a secret's name, wherever in the path", () => {
    for (const key of ["clientSecret", "clientSecrets", "password", "passwords", "passphrase", "privateKey", "token", "value", "accessToken", "refreshToken", "CLIENTSECRET"]) {
      assert.equal(driftText("shown?", [key]), MASKED, key);
    }
    assert.equal(driftText("x", ["credentials", 0, "clientSecret"]), MASKED);
  });

  it("shows a value under a name that only contains one", () => {
    for (const key of ["secretVersion", "tokenEndpoint", "values", "myToken", "accessTokenLifespan"]) assert.equal(driftText("shown", [key]), "shown", key);
  });

  it("masks what the engine marked secret, deep inside too, and summarizes the dynamic provider's code", () => {
    assert.equal(driftText(MASKED, ["name"]), MASKED);
    assert.equal(driftText({ [SIG]: "1b47061264138c4ac30d75fd1eb44270", value: "x" }, ["name"]), MASKED);
    assert.equal(driftText({ a: [1, { [SIG]: "x" }], password: "p", b: { c: "d" } }, ["extra"]), '{"a":[1,"[secret]"],"password":"[secret]","b":{"c":"d"}}');
    assert.equal(driftText("exports.handler = …", ["__provider"]), "(serialized provider code)");
    assert.equal(driftText("x", ["a", "__provider"]), "x");
  });

  it("prints text as it is, anything else as JSON, and nothing for a missing value", () => {
    assert.equal(driftText("text", ["name"]), "text");
    assert.equal(driftText(5, ["n"]), "5");
    assert.equal(driftText(false, ["n"]), "false");
    assert.equal(driftText(null, ["n"]), "null");
    assert.equal(driftText(["a", "b"], ["n"]), '["a","b"]');
    assert.equal(driftText(undefined, ["n"]), undefined);
  });
});

describe("drift steps", () => {
  it("names the inputs that differ, by value, without the dynamic provider", () => {
    assert.deepEqual(changedInputs({
      old: state({ a: 1, b: [1, 2], c: "same", __provider: "old", gone: true }),
      new: state({ a: 2, b: [1, 2], c: "same", __provider: "new", added: "x" }),
    } as never), ["a", "gone", "added"]);
    assert.deepEqual(changedInputs({} as never), []);
  });

  it("skips the steps that change nothing and the stack itself; one entry per resource, from its first step", () => {
    const events = [
      ...["same", "read", "refresh", "discard", "discard-replaced", "remove-pending-replace"].map((op) => step(op, { diffs: ["name"] })),
      step("update", { diffs: ["name"] }, "urn:pulumi:dev::coder-oidc::pulumi:pulumi:Stack::coder-oidc-dev", "pulumi:pulumi:Stack"),
      step("replace", { diffs: ["clientId"], old: state({ clientId: "a" }), new: state({ clientId: "b" }) }),
      step("create-replacement", { diffs: ["other"] }),
      { sequence: 2, timestamp: 0, diagnosticEvent: { message: "x", severity: "info" } } as unknown as EngineEvent,
    ];
    assert.deepEqual(parseDriftEvents(events), [{ urn: URN, type: TYPE, name: "coder-client", op: "replace",
      fields: [{ path: "clientId", kind: "update", program: "b", live: "a" }] }]);
  });

  it("takes the fields from detailedDiff first, then diffs, then (for an update) the inputs that differ", () => {
    const fields = (extra: Record<string, unknown>) => parseDriftEvents([step("update", extra)])[0].fields;
    const sides = { old: state({ name: "live", b: 1 }, { extra: "from outputs" }), new: state({ name: "program", b: 2, extra: "x" }) };
    assert.deepEqual(fields({ ...sides, detailedDiff: { name: { diffKind: "update-replace", inputDiff: true }, extra: { diffKind: "add" } }, diffs: ["b"] }), [
      { path: "extra", kind: "add", program: "x", live: "from outputs" },
      { path: "name", kind: "update-replace", program: "program", live: "live" },
    ]);
    assert.deepEqual(fields({ ...sides, detailedDiff: {}, diffs: ["b", "name"] }), [
      { path: "b", kind: "update", program: "2", live: "1" },
      { path: "name", kind: "update", program: "program", live: "live" },
    ]);
    assert.deepEqual(fields({ ...sides, diffs: [] }).map((f) => f.path), ["b", "extra", "name"]);
    assert.deepEqual(parseDriftEvents([step("create", { new: state({ name: "x" }) })])[0].fields, []);
    assert.deepEqual(parseDriftEvents([step("update", { diffs: ["name"] })])[0].fields, [{ path: "name", kind: "update", program: undefined, live: undefined }]);
  });

  it("names the last part of the URN", () => {
    assert.equal(parseDriftEvents([step("delete", {}, "urn:pulumi:dev::p::a:b:C$d:e:F::the-name")])[0].name, "the-name");
  });
});

describe("what the refresh alone changed", () => {
  it("reads each refresh step that names fields: the last up's value against the IdP's", () => {
    const events = [
      step("refresh", { detailedDiff: { name: { diffKind: "update" } }, old: state({ name: "Coder" }), new: state({ name: "Renamed" }) }),
      step("refresh", { diffs: ["secret"], old: state({}, { secret: "s" }), new: state({}, { secret: "t" }) }, "urn:pulumi:dev::p::t::other"),
      step("refresh", { diffs: [], old: state({ a: 1 }), new: state({ a: 2 }) }, "urn:pulumi:dev::p::t::unnamed"),
      step("update", { diffs: ["name"] }),
    ];
    assert.deepEqual(parseRefreshChanges(events), [
      { urn: URN, type: TYPE, name: "coder-client", op: "refresh", fields: [{ path: "name", kind: "update", program: "Coder", live: "Renamed" }] },
      { urn: "urn:pulumi:dev::p::t::other", type: TYPE, name: "other", op: "refresh", fields: [{ path: "secret", kind: "update", program: MASKED, live: MASKED }] },
    ]);
  });
});

describe("failures, by what the CLI said", () => {
  it("names what to fix for each, and quotes the engine's last three lines where it helps", () => {
    assert.deepEqual(classifyFailure("error: no stack named 'x' found"), { failure: "stack-missing", message: STACK_MISSING_MESSAGE });
    assert.deepEqual(classifyFailure("error: stack 'org/x' not found"), { failure: "stack-missing", message: STACK_MISSING_MESSAGE });
    assert.deepEqual(classifyFailure("error: incorrect passphrase"), { failure: "no-credentials",
      message: "the stack's secrets cannot be decrypted: set PULUMI_CONFIG_PASSPHRASE (or PULUMI_CONFIG_PASSPHRASE_FILE) to the stack's passphrase" });
    for (const text of ["PULUMI_ACCESS_TOKEN must be set", "error: you are not logged in", "run `pulumi login`", "Unauthorized: No credentials provided"]) {
      assert.deepEqual(classifyFailure(text), { failure: "no-credentials",
        message: "no backend credentials: run pulumi login, or set PULUMI_BACKEND_URL (e.g. file://<dir> or s3://<bucket>) or PULUMI_ACCESS_TOKEN" }, text);
    }
    for (const cause of ["ECONNREFUSED", "connection refused", "ENOTFOUND", "no such host", "ETIMEDOUT", "i/o timeout", "EHOSTUNREACH", "context deadline exceeded", "socket hang up"]) {
      assert.equal(classifyFailure(`dial: ${cause}`).failure, "idp-unreachable", cause);
    }
    assert.equal(classifyFailure("one\n\n  two\nthree\nfour: ECONNREFUSED\n").message, "the IdP (or its admin API) is unreachable: check it is up and " +
      "that its URL in the stack config (keycloak:url, pingfederate.adminUrl, okta:orgName and okta:baseUrl, auth0:domain, …) is right. Engine said: two / three / four: ECONNREFUSED");
    for (const cause of ["HTTP 401", "status 403", "Unauthorized", "Forbidden", "invalid_client", "invalid_grant"]) {
      assert.equal(classifyFailure(`refresh: ${cause}`).failure, "idp-credentials", cause);
    }
    assert.equal(classifyFailure("refresh: HTTP 401").message, "the IdP refused the admin credentials: check keycloak:clientSecret, " +
      "azuread:clientSecret, okta:apiToken, auth0:clientSecret (or auth0:apiToken), PINGFEDERATE_ADMIN_* (or the stack's pingfederate.*). Engine said: refresh: HTTP 401");
    assert.equal(classifyFailure("port 4011 busy").failure, "other");
    assert.deepEqual(classifyFailure(""), { failure: "other", message: "the refresh-preview failed: (no output)" });
    assert.deepEqual(classifyFailure("a\nb\nc\nd"), { failure: "other", message: "the refresh-preview failed: b / c / d" });
  });
});

describe("what a user reads", () => {
  const drift: StackDriftResult = {
    stack: "prod", status: "drift", resources: [
      { urn: URN, type: TYPE, name: "coder-client", op: "update", fields: [
        { path: "name", kind: "update", program: "Coder", live: "Coder | by hand" },
        { path: "validRedirectUris[1]", kind: "delete", live: "https://evil.example.com/*" },
        { path: "description", kind: "add", program: "ours" },
      ] },
      { urn: URN, type: TYPE, name: "gone", op: "create", fields: [] },
      { urn: URN, type: TYPE, name: "quiet", op: "replace", fields: [] },
    ],
  };

  it("one stack's result", () => {
    assert.equal(renderStackDrift(drift), [
      "Stack prod: DRIFT in 3 resource(s); pulumi up --refresh restores the program's values:",
      `  ~ ${TYPE} coder-client (update)`,
      "      name: program Coder, live Coder | by hand",
      "      validRedirectUris[1]: program (unset), live https://evil.example.com/*",
      "      description: program ours, live (unset)",
      `  ~ ${TYPE} gone (create)`,
      "      gone from the IdP (deleted by hand?)",
      `  ~ ${TYPE} quiet (replace)`,
      "      (the engine named no field)",
      "",
    ].join("\n"));
    assert.equal(renderStackDrift({ stack: "dev", status: "no-drift", resources: [] }), "Stack dev: no drift: the IdP matches the program.\n");
    assert.equal(renderStackDrift({ stack: "dev", status: "error", resources: [], failure: "no-cli", message: "install it" }),
      "Stack dev: could not check (no-cli): install it\n");
  });

  it("the summary table, with the table's own characters escaped", () => {
    assert.equal(renderSummaryTable([
      drift,
      { stack: "dev", status: "no-drift", resources: [] },
      { stack: "ci", status: "error", resources: [], failure: "other", message: "a | b\nc" },
    ]), [
      "| Stack | Result | Resources drifted | Detail |",
      "|---|---|---|---|",
      "| prod | DRIFT | 3 | coder-client: name, validRedirectUris[1], description; gone: create; quiet: replace |",
      "| dev | no drift | 0 |  |",
      "| ci | could not check | 0 | other: a \\| b c |",
      "",
    ].join("\n"));
  });
});

describe("mapBounded", () => {
  it("runs at least one at a time, never more than there are items, and keeps the input order", async () => {
    const peakOf = async (items: number[], limit: number) => {
      let running = 0;
      let peak = 0;
      const out = await mapBounded(items, limit, async (n) => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((resolve) => setImmediate(resolve));
        running--;
        return -n;
      });
      return { out, peak };
    };
    assert.deepEqual(await peakOf([1, 2, 3], 0), { out: [-1, -2, -3], peak: 1 });
    assert.deepEqual(await peakOf([1, 2], 10), { out: [-1, -2], peak: 2 });
    assert.deepEqual(await peakOf([], 3), { out: [], peak: 0 });
  });
});
