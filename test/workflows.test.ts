import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { REVIEW_COMMENT_MARKER } from "../cli/review/diff";
import { listStacks } from "../engine/stack-file";

const ROOT = path.resolve(__dirname, "..");
const SCRIPTS = Object.keys((JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts);

interface Step { uses?: string; run?: string; with?: Record<string, unknown>; env?: Record<string, string> }
interface Job { steps: Step[]; strategy?: { matrix?: { stack?: unknown } }; needs?: string }
interface Workflow { on: Record<string, unknown>; jobs: Record<string, Job> }

function workflow(name: string): Workflow {
  return parse(fs.readFileSync(path.join(ROOT, ".github", "workflows", name), "utf8")) as Workflow;
}
function runs(w: Workflow): string {
  return Object.values(w.jobs).flatMap((j) => j.steps.map((s) => s.run ?? "")).join("\n");
}
/** Every `npm run [-s] <script>` in the workflow's shell steps. */
function npmScripts(w: Workflow): string[] {
  return [...runs(w).matchAll(/npm run (?:-s )?([\w:-]+)/g)].map((m) => m[1]);
}

describe(".github/workflows/preview.yml", () => {
  const w = workflow("preview.yml");
  it("runs on pull requests", () => assert.ok("pull_request" in w.on));
  it("names only npm scripts that exist, and runs the review diff in markdown and json", () => {
    for (const script of npmScripts(w)) assert.ok(SCRIPTS.includes(script), `npm run ${script}`);
    assert.match(runs(w), /npm run -s plan -- --all --diff "origin\/\$\{GITHUB_BASE_REF\}" --format markdown/);
    assert.match(runs(w), /--format json/);
  });
  it("updates the comment the review diff marks as its own", () => {
    const script = w.jobs["review-diff"].steps.find((s) => s.uses?.startsWith("actions/github-script@"))!.with!.script as string;
    assert.ok(script.includes(`"${REVIEW_COMMENT_MARKER}"`));
  });
  it("the offline job needs no secrets", () => {
    assert.ok(!JSON.stringify(w.jobs["review-diff"]).includes("secrets."));
  });
  it("then runs pulumi preview with the policy pack per changed stack, and the pack exists", () => {
    const job = w.jobs["policy-preview"];
    assert.equal(job.needs, "review-diff");
    const step = job.steps.find((s) => s.uses?.startsWith("pulumi/actions@"))!;
    assert.equal(step.with!.command, "preview");
    assert.equal(step.with!.policyPacks, "policy");
    assert.ok(fs.existsSync(path.join(ROOT, String(step.with!.policyPacks), "PulumiPolicy.yaml")));
    assert.match(String(job.strategy!.matrix!.stack), /needs\.review-diff\.outputs\.stacks/);
  });
});

describe(".github/workflows/drift.yml", () => {
  const w = workflow("drift.yml");
  it("runs on a schedule and on demand", () => {
    assert.ok(Array.isArray(w.on.schedule) && w.on.schedule.length > 0);
    assert.ok("workflow_dispatch" in w.on);
  });
  it("checks every stack that exists, and only those", () => {
    const matrix = w.jobs.drift.strategy!.matrix!.stack as string[];
    assert.deepEqual([...matrix].sort(), listStacks());
  });
  it("runs npm run drift per stack and writes the job summary", () => {
    for (const script of npmScripts(w)) assert.ok(SCRIPTS.includes(script), `npm run ${script}`);
    assert.match(runs(w), /npm run -s drift -- --stack "\$\{\{ matrix\.stack \}\}"/);
    assert.match(runs(w), /GITHUB_STEP_SUMMARY/);
    assert.match(runs(w), /exit \$status/);
  });
});
