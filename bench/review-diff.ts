/**
 * `npm run bench` (second part): the review diff of every example stack, working tree against a git ref
 * (`BENCH_REF`, default HEAD), phase by phase: the ref's side (temporary worktree + the ref's own plan in a
 * child process), the working tree's plans (in process), and the comparison with its renderings.
 * It prints figures and asserts nothing.
 */
import * as path from "node:path";
import { diffSides, refSide, renderReviewMarkdown, renderReviewText, workingTreeSide } from "../cli/review/diff";
import { planAtCommit, resolveCommit } from "../cli/review/ref";
import { STACKS_DIR } from "../engine/stack-file";

const REF = process.env.BENCH_REF ?? "HEAD";
const PROJECT_ROOT = path.resolve(__dirname, "..");

async function timed<T>(run: () => Promise<T> | T): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await run();
  return { value, ms: performance.now() - started };
}

async function main(): Promise<void> {
  const commit = resolveCommit(REF, PROJECT_ROOT);
  const ref = await timed(() => planAtCommit(commit, PROJECT_ROOT));
  const tree = await timed(() => workingTreeSide(STACKS_DIR));
  const compare = await timed(() => {
    const diff = diffSides(REF, commit, refSide(ref.value), tree.value);
    return { diff, text: renderReviewText(diff), markdown: renderReviewMarkdown(diff) };
  });
  const stacks = tree.value.plans.size + tree.value.failures.size;
  const resources = [...tree.value.plans.values()].reduce((n, p) => n + p.resources.length, 0);
  const total = ref.ms + tree.ms + compare.ms;
  console.log(`\nReview diff, working tree vs ${REF} (${commit.slice(0, 12)}): ${stacks} stacks, ${resources} resources`);
  const rows: [string, number][] = [
    ["ref side: worktree + the ref's plan (child process)", ref.ms],
    ["working tree: plans in process", tree.ms],
    ["comparison + text and markdown", compare.ms],
    ["total", total],
  ];
  for (const [label, ms] of rows) console.log(`  ${label.padEnd(52)} ${ms.toFixed(0).padStart(7)} ms`);
  console.log(`  per stack (total / stacks)${" ".repeat(26)}${(total / Math.max(stacks, 1)).toFixed(0).padStart(7)} ms`);
  const changed = compare.value.diff.stacks.filter((s) => s.status !== "unchanged").length;
  console.log(`  stacks changed: ${changed}; markdown comment: ${compare.value.markdown.length} characters`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
