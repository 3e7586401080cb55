/**
 * `coder-oidc plan --diff <ref>` (cli/review/index.ts) in this process, for one stack, against the commit of a
 * repository holding this project: each format as printed, and the exit code. (test/cli/review/repo.test.ts runs a
 * whole change under review as a process.)
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import { runReviewDiff } from "../../../cli/review";
import type { ReviewDiff } from "../../../cli/review/diff";
import { recordingStreams } from "../../support/in-process";
import { projectRepo } from "../../support/temp-repo";

const repo = projectRepo();
after(() => repo.remove());
const HEAD = repo.git("rev-parse", "HEAD").stdout.trim();

/** Runs the review diff of dev-keycloak in `format`, the working tree being the repository's own. */
async function review(format: "text" | "json" | "markdown", ref = "main", projectRoot = repo.root) {
  const { streams, written } = recordingStreams();
  const code = await runReviewDiff({ ref, format, stacksDir: path.join(projectRoot, "stacks"), stack: "dev-keycloak", projectRoot }, streams);
  return { code, ...written() };
}

describe("coder-oidc plan --diff, in process", () => {
  it("as JSON: the ref, its commit and each stack's change", async () => {
    const run = await review("json");
    assert.equal(run.stderr, "");
    assert.equal(run.code, 0);
    const diff = JSON.parse(run.stdout) as ReviewDiff;
    assert.deepEqual([diff.ref, diff.commit, diff.stacks.map((s) => [s.stack, s.status])], ["main", HEAD, [["dev-keycloak", "unchanged"]]]);
    assert.ok(run.stdout.endsWith("}\n"));
  });

  it("as text and as Markdown, as a reviewer reads them", async () => {
    assert.deepEqual(await review("text"), { code: 0, stderr: "", stdout:
      `Review diff: main (${HEAD.slice(0, 12)}) → working tree. Offline: nothing was contacted.\n\n` +
      "Stack dev-keycloak (keycloak): unchanged; policies: pass; secrets: 0 changed, 1 unchanged\n" });
    const markdown = await review("markdown");
    assert.equal(markdown.code, 0);
    assert.ok(markdown.stdout.startsWith("<!-- coder-oidc-review-diff -->\n### coder-oidc review diff: `main` → this change\n"), markdown.stdout);
    assert.match(markdown.stdout, /^\| dev-keycloak \| keycloak \| unchanged \| unchanged \| unchanged \| unchanged \| pass \|$/m);
  });

  it("a ref that is not one, or a project the ref does not hold: exit 2, saying so", async () => {
    assert.deepEqual(await review("text", "--upload-pack=x"), { code: 2, stdout: "", stderr: 'error: "--upload-pack=x" is not a git ref\n' });
    const copy = path.join(repo.root, "untracked-copy");
    fs.mkdirSync(path.join(copy, "stacks"), { recursive: true });
    fs.copyFileSync(path.join(repo.root, "stacks", "Pulumi.dev-keycloak.yaml"), path.join(copy, "stacks", "Pulumi.dev-keycloak.yaml"));
    assert.deepEqual(await review("text", "main", copy), { code: 2, stdout: "", stderr: `error: ${HEAD.slice(0, 12)} has no coder-oidc project at ` +
      "untracked-copy (no cli/plan.ts there): run the review diff from the project's own checkout, at a ref that has the project\n" });
    const json = await review("json", "--upload-pack=x");
    assert.equal(json.code, 2);
    assert.deepEqual(JSON.parse(json.stdout), { error: { code: "ERR_REVIEW_DIFF", message: '"--upload-pack=x" is not a git ref', exitCode: 2 } });
  });
});
