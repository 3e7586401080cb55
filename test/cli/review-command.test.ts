/**
 * `coder-oidc plan --diff <ref>` (cli/review-command.ts) in this process, against this repository's HEAD for one
 * stack: each format as printed, and the exit code. (test/cli/review-diff.test.ts builds a change in a temporary
 * repository and runs the command there as a process.)
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, it } from "node:test";
import { runReviewDiff } from "../../cli/review-command";
import type { ReviewDiff } from "../../cli/review-diff";
import { STACKS_DIR } from "../../cli/stack-file";
import { recordingStreams } from "../support/in-process";

/** Runs the review diff of dev-keycloak against HEAD in `format`. */
async function review(format: "text" | "json" | "markdown", ref = "HEAD") {
  const { streams, written } = recordingStreams();
  const code = await runReviewDiff({ ref, format, stacksDir: STACKS_DIR, stack: "dev-keycloak" }, streams);
  return { code, ...written() };
}

describe("coder-oidc plan --diff, in process", () => {
  const head = spawnSync("git", ["rev-parse", "HEAD"], { encoding: "utf8" }).stdout.trim();
  // The stack file may differ from HEAD while someone edits it; the test is about the command, so it checks the shape.
  const changed = spawnSync("git", ["diff", "--quiet", "HEAD", "--", "stacks/Pulumi.dev-keycloak.yaml", "src", "providers"]).status !== 0;

  it("as JSON: the ref, its commit and each stack's change", async () => {
    const run = await review("json");
    assert.equal(run.stderr, "");
    const diff = JSON.parse(run.stdout) as ReviewDiff;
    assert.deepEqual([diff.ref, diff.commit, diff.stacks.map((s) => s.stack)], ["HEAD", head, ["dev-keycloak"]]);
    if (!changed) {
      assert.equal(run.code, 0);
      assert.equal(diff.stacks[0].status, "unchanged");
    }
  });

  it("as text and as Markdown, as a reviewer reads them", async () => {
    const text = await review("text");
    assert.ok(text.stdout.startsWith(`Review diff: HEAD (${head.slice(0, 12)}) → working tree. Offline: nothing was contacted.\n\nStack dev-keycloak (keycloak): `), text.stdout);
    const markdown = await review("markdown");
    assert.ok(markdown.stdout.startsWith("<!-- coder-oidc-review-diff -->\n### coder-oidc review diff: `HEAD` → this change\n"), markdown.stdout);
    assert.match(markdown.stdout, /^\| dev-keycloak \| keycloak \| /m);
    if (!changed) {
      assert.equal(text.stdout, `Review diff: HEAD (${head.slice(0, 12)}) → working tree. Offline: nothing was contacted.\n\n` +
        "Stack dev-keycloak (keycloak): unchanged; policies: pass; secrets: 0 changed, 1 unchanged\n");
      assert.deepEqual([text.code, markdown.code], [0, 0]);
    }
  });

  it("a ref that is not one: exit 2, saying so", async () => {
    assert.deepEqual(await review("json", "--upload-pack=x"), { code: 2, stdout: "", stderr: 'error: "--upload-pack=x" is not a git ref\n' });
  });
});
