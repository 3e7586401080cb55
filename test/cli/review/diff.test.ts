/**
 * The review diff's comparisons (cli/review/diff.ts), on plans made by hand: fields, Coder variables, policies, secrets
 * (never their values or hashes), and the text and Markdown a reviewer reads. test/cli/review/repo.test.ts runs the
 * whole review diff end to end, as a process in a repository of its own.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { PolicyViolation } from "../../../engine/policy-run";
import {
  diffFields,
  diffSides,
  flattenFields,
  renderReviewMarkdown,
  REVIEW_COMMENT_MARKER,
  renderReviewText,
  reviewExitCode,
  secretFingerprints,
  type DiffSide,
  type PlanJson,
  type ReviewDiff,
} from "../../../cli/review/diff";


const violation = (policy: string, level: "mandatory" | "advisory" = "mandatory"): PolicyViolation =>
  ({ policy, enforcementLevel: level, resource: "keycloak:openid/client:Client coder-client", message: `${policy} broken` });

function plan(stack: string, inputs: Record<string, unknown>, violations: PolicyViolation[] = []): PlanJson {
  return {
    stack, idp: "keycloak",
    resources: [{ type: "keycloak:openid/client:Client", name: "coder-client", inputs }],
    coderEnv: { CODER_OIDC_SCOPES: { value: "openid,profile,email,offline_access", secret: false }, CODER_OIDC_CLIENT_SECRET: { value: "[secret]", secret: true } },
    policies: { applied: ["keycloak-client-confidential"], violations },
  };
}
function side(plans: PlanJson[], files: Record<string, string> = {}): DiffSide {
  return { plans: new Map(plans.map((p) => [p.stack, p])), failures: new Map(), stackFiles: new Map(Object.entries(files)) };
}

describe("review diff, compared field by field", () => {
  it("names each changed input by its path, with both values", () => {
    const changes = diffFields(flattenFields({ a: "1", web: { implicitGrant: { id: false } }, list: ["x"] }),
      flattenFields({ a: "2", web: { implicitGrant: { id: true } }, list: ["x", "y"] }));
    assert.deepEqual(changes, [
      { path: "a", before: "1", after: "2" },
      { path: "list", before: '["x"]', after: '["x","y"]' },
      { path: "web.implicitGrant.id", before: "false", after: "true" },
    ]);
  });

  it("says the serialized dynamic provider changed, not how", () => {
    const changes = diffFields(new Map([["__provider", "(serialized dynamic provider, 100 characters)"]]),
      new Map([["__provider", "(serialized dynamic provider, 120 characters)"]]));
    assert.deepEqual(changes, [{ path: "__provider", before: "(provider code)", after: "(changed provider code)" }]);
  });

  it("reports stacks added and removed, and new and fixed violations", () => {
    const diff = diffSides("main", "abc", side([plan("gone", {}), plan("kept", { accessType: "PUBLIC" }, [violation("keycloak-client-confidential")])]),
      side([plan("new", {}), plan("kept", { accessType: "CONFIDENTIAL" }, [violation("other", "advisory")])]));
    const byName = new Map(diff.stacks.map((s) => [s.stack, s]));
    assert.equal(byName.get("gone")!.status, "removed");
    assert.equal(byName.get("new")!.status, "added");
    const kept = byName.get("kept")!;
    assert.equal(kept.status, "changed");
    assert.deepEqual(kept.resources[0].fields, [{ path: "accessType", before: "PUBLIC", after: "CONFIDENTIAL" }]);
    assert.deepEqual(kept.fixedViolations!.map((v) => v.policy), ["keycloak-client-confidential"]);
    assert.deepEqual(kept.newViolations.map((v) => v.policy), ["other"]);
    assert.equal(reviewExitCode(diff), 0, "an advisory does not fail the review");
  });

  it("fails (exit 1) when the working tree breaks a mandatory policy", () => {
    const diff = diffSides("main", "abc", side([plan("s", {})]), side([plan("s", {}, [violation("keycloak-client-confidential")])]));
    assert.equal(reviewExitCode(diff), 1);
    assert.match(renderReviewText(diff), /✗ new \[mandatory\] keycloak-client-confidential/);
    assert.ok(renderReviewMarkdown(diff).startsWith(REVIEW_COMMENT_MARKER + "\n"));
    assert.match(renderReviewMarkdown(diff), /\| s \| keycloak \| unchanged \| unchanged \| unchanged \| unchanged \| ❌ FAIL \(1 mandatory\) \|/);
  });

  it("says a stack-file secret changed without showing it or its hash", () => {
    const file = (c: string) => `config:\n  keycloak:clientSecret:\n    secure: ${c}\n  coder-oidc:google:\n    clientSecret:\n      secure: same\n`;
    const fingerprints = secretFingerprints(file("v1:AAAA"));
    assert.deepEqual([...fingerprints.keys()], ["keycloak:clientSecret", "coder-oidc:google.clientSecret"]);
    const diff: ReviewDiff = diffSides("main", "abc", side([plan("s", {})], { s: file("v1:OLDCIPHER") }), side([plan("s", {})], { s: file("v1:NEWCIPHER") }));
    const stack = diff.stacks[0];
    assert.deepEqual(stack.secrets, [{ key: "keycloak:clientSecret", status: "changed" }]);
    assert.equal(stack.secretsUnchanged, 1);
    const printed = renderReviewText(diff) + renderReviewMarkdown(diff) + JSON.stringify(diff);
    for (const hidden of ["OLDCIPHER", "NEWCIPHER", ...secretFingerprints(file("v1:NEWCIPHER")).values()]) assert.ok(!printed.includes(hidden), hidden);
  });
});

describe("review diff, every kind of change as a reviewer reads it", () => {
  const client = "keycloak:openid/client:Client coder-client";
  const before: DiffSide = {
    plans: new Map([
      ["changed", { ...plan("changed", { accessType: "CONFIDENTIAL", gone: "x", list: ["a"], nested: {} }), otherOutputs: { secretName: { value: "old", secret: false } } }],
      ["removed", plan("removed", {})],
      ["kept", plan("kept", {})],
    ]),
    failures: new Map([["broken-before", "ref failure\nline two"]]),
    stackFiles: new Map([["changed", "config:\n  a:old:\n    secure: v1:A\n  a:same:\n    secure: v1:S\n"], ["broken-before", "config: {}\n"]]),
  };
  const changedPlan: PlanJson = {
    ...plan("changed", { accessType: "PUBLIC", list: ["a", "b"], added: 1 }, [violation("keycloak-client-confidential"), violation("advice", "advisory")]),
    resources: [
      { type: "keycloak:openid/client:Client", name: "coder-client", inputs: { accessType: "PUBLIC", list: ["a", "b"], added: 1 } },
      { type: "t:m:New", name: "n", inputs: { x: "1" } },
    ],
    coderEnv: { CODER_OIDC_SCOPES: { value: "openid", secret: false }, CODER_OIDC_CLIENT_SECRET: { value: "[secret]", secret: true } },
  };
  const after: DiffSide = {
    plans: new Map([["changed", changedPlan], ["added", plan("added", {})], ["kept", plan("kept", {})], ["broken-before", plan("broken-before", {})]]),
    failures: new Map([["failing", "does not parse | at all"]]),
    stackFiles: new Map([["changed", "config:\n  a:new:\n    secure: v1:N\n  a:same:\n    secure: v1:S\n"], ["failing", "config: {}\n"]]),
  };
  const diff = diffSides("main", "0123456789abcdef", before, after);

  /** What each stack's change reads as, the same in the text (indented) and in the comment (in a diff block). */
  const changeLines = {
    added: [`+ ${client}`, "~ Coder CODER_OIDC_CLIENT_SECRET = [secret]", "~ Coder CODER_OIDC_SCOPES = openid,profile,email,offline_access"],
    brokenBefore: ["did not plan at the ref: ref failure / line two", `+ ${client}`, "~ Coder CODER_OIDC_CLIENT_SECRET = [secret]",
      "~ Coder CODER_OIDC_SCOPES = openid,profile,email,offline_access"],
    changed: [
      `~ ${client}: accessType CONFIDENTIAL → PUBLIC`,
      `~ ${client}: added = 1`,
      `~ ${client}: gone x → (removed)`,
      `~ ${client}: list ["a"] → ["a","b"]`,
      `~ ${client}: nested {} → (removed)`,
      "+ t:m:New n",
      "    x = 1",
      "~ Coder CODER_OIDC_SCOPES openid,profile,email,offline_access → openid",
      "~ Coder secretName old → (removed)",
      "~ secret a:new: added (value not shown)",
      "~ secret a:old: removed (value not shown)",
      "✗ new [mandatory] keycloak-client-confidential: keycloak-client-confidential broken",
      "✗ new [advisory] advice: advice broken",
    ],
    failing: ["does not plan: does not parse | at all"],
  };
  const indented = (lines: string[]) => lines.map((line) => `  ${line}`);
  const details = (stack: string, status: string, lines: string[]) =>
    ["", `<details><summary><b>${stack}</b>: ${status}</summary>`, "", "```diff", ...lines, "```", "</details>"];

  it("as text", () => {
    assert.equal(renderReviewText(diff), [
      "Review diff: main (0123456789ab) → working tree. Offline: nothing was contacted.",
      "",
      "Stack added (keycloak): added; policies: pass",
      ...indented(changeLines.added),
      "",
      "Stack broken-before (keycloak): changed; policies: pass",
      ...indented(changeLines.brokenBefore),
      "",
      "Stack changed (keycloak): changed; policies: FAIL (1 mandatory), 1 advisory; secrets: 2 changed, 1 unchanged",
      ...indented(changeLines.changed),
      "",
      "Stack failing (?): failed; policies: not run",
      ...indented(changeLines.failing),
      "",
      "Stack kept (keycloak): unchanged; policies: pass",
      "",
      "Stack removed (keycloak): removed; policies: -",
      "",
    ].join("\n"));
    assert.equal(reviewExitCode(diff), 1);
  });

  it("as a pull-request comment", () => {
    assert.equal(renderReviewMarkdown(diff), [
      REVIEW_COMMENT_MARKER,
      "### coder-oidc review diff: `main` → this change",
      "",
      "| Stack | IdP | Change | IdP settings | Coder env | Secrets | Policies |",
      "|---|---|---|---|---|---|---|",
      "| added | keycloak | added | 1 change(s) | 2 change(s) | unchanged | pass |",
      "| broken-before | keycloak | changed | 1 change(s) | 2 change(s) | unchanged | pass |",
      "| changed | keycloak | changed | 6 change(s) | 2 change(s) | a:new added, a:old removed | ❌ FAIL (1 mandatory), 1 advisory |",
      "| failing | ? | failed | unchanged | unchanged | unchanged | ❌ not run |",
      "| kept | keycloak | unchanged | unchanged | unchanged | unchanged | pass |",
      "| removed | keycloak | removed | unchanged | unchanged | unchanged | - |",
      ...details("added", "added", changeLines.added),
      ...details("broken-before", "changed", changeLines.brokenBefore),
      ...details("changed", "changed", changeLines.changed),
      ...details("failing", "failed", changeLines.failing),
      "",
      "_Offline plan at both commits; secrets shown only as changed or unchanged._",
      "",
    ].join("\n"));
  });

  it("a new stack that does not plan fails the review", () => {
    const failing = diffSides("main", "abc", side([]), { plans: new Map(), failures: new Map([["new", "broken"]]), stackFiles: new Map([["new", "config: {}\n"]]) });
    assert.equal(failing.stacks[0].status, "failed");
    assert.equal(reviewExitCode(failing), 1);
  });

  it("flattens inputs: empty maps kept, undefined dropped, the top never a field", () => {
    assert.deepEqual([...flattenFields({ a: { b: {}, c: undefined, d: null }, e: [1, { f: 2 }] })], [["a.b", "{}"], ["a.d", "null"], ["e", '[1,{"f":2}]']]);
    assert.deepEqual([...flattenFields("top")], []);
    assert.deepEqual([...flattenFields({})], []);
  });

  it("fingerprints secrets in lists too, and nothing in a file that does not parse", () => {
    assert.deepEqual([...secretFingerprints("config:\n  a:l:\n    - secure: v1:X\n    - plain\n    - secure: v1:Y\n      other: 1\n").keys()], ["a:l[0]"]);
    assert.deepEqual(secretFingerprints("config: [\n").size, 0);
    assert.deepEqual(secretFingerprints(undefined).size, 0);
    assert.deepEqual(secretFingerprints("just: text\n").size, 0);
    assert.equal(secretFingerprints("config:\n  a:x:\n    secure: v1:X\n").get("a:x"), secretFingerprints("config:\n  b:y:\n    secure: v1:X\n").get("b:y"));
    assert.match(secretFingerprints("config:\n  a:x:\n    secure: v1:X\n").get("a:x")!, /^[0-9a-f]{64}$/);
  });
});
