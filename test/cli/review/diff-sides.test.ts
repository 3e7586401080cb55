/**
 * The two sides of the review diff (cli/review/diff.ts): the working tree's, planned in this process, and the
 * ref's, read from what its own plan printed; and the lines a removed resource and a fixed violation make.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import { diffSides, REVIEW_COMMENT_MARKER, refSide, renderReviewText, workingTreeSide, type DiffSide, type PlanJson } from "../../../cli/review/diff";
import { STACKS_DIR } from "../../../engine/stack-file";

const TEMP = fs.mkdtempSync(path.join(os.tmpdir(), "coder-oidc-review-sides-"));
after(() => fs.rmSync(TEMP, { recursive: true, force: true }));
const GOOD = fs.readFileSync(path.join(STACKS_DIR, "Pulumi.dev-keycloak.yaml"), "utf8");

describe("the working tree's side", () => {
  it("plans each stack file, keeps its text, and keeps what failed with why", async () => {
    fs.writeFileSync(path.join(TEMP, "Pulumi.good.yaml"), GOOD);
    fs.writeFileSync(path.join(TEMP, "Pulumi.bad.yaml"), "config:\n  coder-oidc:idp: keycloak\n");
    fs.writeFileSync(path.join(TEMP, "notes.md"), "not a stack\n");
    const side = await workingTreeSide(TEMP);
    assert.deepEqual([...side.plans.keys()], ["good"]);
    assert.equal(side.plans.get("good")!.stack, "good");
    assert.deepEqual([...side.failures.keys()], ["bad"]);
    assert.match(side.failures.get("bad")!, /^Invalid stack configuration:\n {2}- coder-oidc:coderUrl: is required/);
    assert.deepEqual([...side.stackFiles.entries()].sort(), [["bad", "config:\n  coder-oidc:idp: keycloak\n"], ["good", GOOD]]);
    const one = await workingTreeSide(TEMP, "bad");
    assert.deepEqual([[...one.plans.keys()], [...one.failures.keys()], [...one.stackFiles.keys()]], [[], ["bad"], ["bad"]]);
  });
});

describe("the ref's side", () => {
  it("takes the plans that name their stack, and for each stack without one what the plan said about it", () => {
    const plan = { stack: "a", idp: "okta", resources: [], coderEnv: {}, policies: { applied: [], violations: [] } } as PlanJson;
    const side = refSide({
      commit: "c", plans: [plan, null, "text", { no: "stack" }], stacks: ["a", "b", "c"],
      stackFiles: new Map([["a", "A"], ["b", "B"], ["c", "C"], ["gone", "G"]]),
      stderr: "Stack b: Invalid stack configuration:\n  - x: y\n\nStack bb: other\n\n",
    });
    assert.deepEqual([...side.plans.entries()], [["a", plan]]);
    assert.deepEqual([...side.failures.entries()], [["b", "Invalid stack configuration:\n  - x: y"], ["c", "its plan printed nothing for it"]]);
    assert.deepEqual([...side.stackFiles.keys()], ["a", "b", "c"]);
  });
});

describe("what removals and fixes read as", () => {
  const side = (plans: PlanJson[], files: Record<string, string> = {}): DiffSide =>
    ({ plans: new Map(plans.map((p) => [p.stack, p])), failures: new Map(), stackFiles: new Map(Object.entries(files)) });
  const violation = { policy: "p", enforcementLevel: "mandatory" as const, resource: "t r", message: "was broken" };
  const plan = (resources: PlanJson["resources"], violations = [violation]): PlanJson =>
    ({ stack: "s", idp: "okta", resources, coderEnv: {}, policies: { applied: ["p"], violations } });

  it("a resource removed and a violation fixed", () => {
    const diff = diffSides("main", "0123456789abcdef", side([plan([{ type: "t", name: "r", inputs: { a: 1 } }])]), side([plan([], [])]));
    assert.equal(renderReviewText(diff), "Review diff: main (0123456789ab) → working tree. Offline: nothing was contacted.\n\n" +
      "Stack s (okta): changed; policies: pass\n  - t r\n  ✓ fixed [mandatory] p: was broken\n");
    assert.deepEqual(diff.stacks[0].resources, [{ resource: "t r", status: "removed", fields: [] }]);
  });

  it("no secret line for a stack file without secrets; the comment's marker as a workflow finds it", () => {
    const diff = diffSides("main", "abc", side([plan([], [])], { s: "config: {}\n" }), side([plan([], [])], { s: "config: {}\n" }));
    assert.ok(renderReviewText(diff).includes("Stack s (okta): unchanged; policies: pass\n"));
    assert.equal(REVIEW_COMMENT_MARKER, "<!-- coder-oidc-review-diff -->");
  });
});
