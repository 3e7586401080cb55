/**
 * `coder-oidc plan --diff <ref>` (cli/review-command.ts) in this process, against this repository's HEAD for one
 * stack: each format as printed, and the exit code. (test/cli/review-diff.test.ts builds a change in a temporary
 * repository and runs the command there as a process.)
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
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
  const root = path.resolve(__dirname, "..", "..");
  const head = spawnSync("git", ["rev-parse", "HEAD"], { cwd: root, encoding: "utf8" }).stdout.trim();
  const top = spawnSync("git", ["rev-parse", "--show-toplevel"], { cwd: root, encoding: "utf8" }).stdout.trim();
  // Where the stack or the code differs from HEAD (someone is editing it), or this copy is not the repository's
  // own checkout (a mutation-testing sandbox inside it), HEAD's plan differs: then only the shape is checked.
  const asAtHead = fs.realpathSync(top) === fs.realpathSync(root) &&
    spawnSync("git", ["diff", "--quiet", "HEAD", "--", "stacks/Pulumi.dev-keycloak.yaml", "src", "providers", "cli", "policy"], { cwd: root }).status === 0;

  it("as JSON: the ref, its commit and each stack's change", async () => {
    const run = await review("json");
    assert.equal(run.stderr, "");
    const diff = JSON.parse(run.stdout) as ReviewDiff;
    assert.deepEqual([diff.ref, diff.commit, diff.stacks.map((s) => s.stack)], ["HEAD", head, ["dev-keycloak"]]);
    if (asAtHead) {
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
    if (asAtHead) {
      assert.equal(text.stdout, `Review diff: HEAD (${head.slice(0, 12)}) → working tree. Offline: nothing was contacted.\n\n` +
        "Stack dev-keycloak (keycloak): unchanged; policies: pass; secrets: 0 changed, 1 unchanged\n");
      assert.deepEqual([text.code, markdown.code], [0, 0]);
    }
  });

  it("a ref that is not one: exit 2, saying so", async () => {
    assert.deepEqual(await review("json", "--upload-pack=x"), { code: 2, stdout: "", stderr: 'error: "--upload-pack=x" is not a git ref\n' });
  });
});
