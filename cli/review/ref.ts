/**
 * The other side of the review diff: the plans of a git ref, made by the ref's own code. The ref is checked
 * out in a temporary `git worktree` (removed afterwards, whatever happens), given this checkout's
 * node_modules, and its own `cli/plan.ts --all --format json` runs there.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { CoderOidcError } from "../../src/errors";
import { stackFileText } from "../../engine/stack-file";

/** The review diff could not be made: a bad ref, git failed, or the ref's plan gave nothing to compare. */
export class ReviewDiffError extends CoderOidcError {
  static readonly code = "ERR_REVIEW_DIFF";
  override readonly code = ReviewDiffError.code;
}

/** Runs git in `cwd`; its stdout, trimmed. Throws {@link ReviewDiffError} with git's own message. */
export function git(args: readonly string[], cwd: string): string {
  const result = spawnSync("git", args, { cwd, encoding: "utf8" });
  if (result.error) throw new ReviewDiffError(`git is needed for --diff and could not run: ${result.error.message}`);
  if (result.status !== 0) throw new ReviewDiffError(`git ${args.join(" ")} failed: ${result.stderr.trim() || `exit ${result.status}`}`);
  return result.stdout.trim();
}

/** The commit `ref` names in the repository holding `projectRoot`; a {@link ReviewDiffError} saying what to do when none. */
export function resolveCommit(ref: string, projectRoot: string): string {
  if (ref.startsWith("-")) throw new ReviewDiffError(`"${ref}" is not a git ref`);
  const result = spawnSync("git", ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], { cwd: projectRoot, encoding: "utf8" });
  if (result.error) throw new ReviewDiffError(`git is needed for --diff and could not run: ${result.error.message}`);
  if (result.status !== 0) {
    throw new ReviewDiffError(`"${ref}" is not a commit in the repository at ${projectRoot}: name a branch, tag or commit ` +
      "that exists here (in CI, fetch it first, e.g. git fetch origin main, and pass origin/main)");
  }
  return result.stdout.trim();
}

/** What the ref's own plan printed, with where its stack files were. */
export interface RefPlans {
  /** The commit the ref resolved to. */
  readonly commit: string;
  /** The ref's plan JSON, one entry per stack that planned (see engine/plan.ts `planToJson`). */
  readonly plans: readonly unknown[];
  /** The stacks the ref has a file for. */
  readonly stacks: readonly string[];
  /** The ref's stack files' text, by stack (for secret fingerprints). */
  readonly stackFiles: ReadonlyMap<string, string>;
  /** What the ref's plan wrote on stderr (its per-stack errors). */
  readonly stderr: string;
}

const STACK_FILE = /^Pulumi\.([A-Za-z0-9][A-Za-z0-9_.-]*)\.yaml$/;

/**
 * Checks `commit` out in a temporary worktree, runs its plan for `stacks` (all when undefined) and removes
 * the worktree again, on success, failure or Ctrl-C.
 */
export function planAtCommit(commit: string, projectRoot: string, stack?: string): RefPlans {
  const top = git(["rev-parse", "--show-toplevel"], projectRoot);
  const prefix = path.relative(top, fs.realpathSync(projectRoot));
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "coder-oidc-review-"));
  const worktree = path.join(tmp, "tree");
  const cleanup = () => {
    spawnSync("git", ["worktree", "remove", "--force", worktree], { cwd: top });
    fs.rmSync(tmp, { recursive: true, force: true });
    spawnSync("git", ["worktree", "prune"], { cwd: top });
  };
  const onSignal = (signal: NodeJS.Signals) => { cleanup(); process.exit(signal === "SIGINT" ? 130 : 143); };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    git(["worktree", "add", "--detach", "--quiet", worktree, commit], top);
    const project = path.join(worktree, prefix);
    if (!fs.existsSync(path.join(project, "cli", "plan.ts"))) {
      throw new ReviewDiffError(`${commit.slice(0, 12)} has no coder-oidc project at ${prefix || "the top of the repository"} ` +
        "(no cli/plan.ts there): run the review diff from the project's own checkout, at a ref that has the project");
    }
    const modules = path.join(project, "node_modules");
    if (!fs.existsSync(modules)) fs.symlinkSync(path.join(projectRoot, "node_modules"), modules, "dir");
    const stacksDir = path.join(project, "stacks");
    const files = fs.existsSync(stacksDir) ? fs.readdirSync(stacksDir).filter((f) => STACK_FILE.test(f)) : [];
    const stackFiles = new Map(files.map((f) => [STACK_FILE.exec(f)![1], stackFileText(path.join(stacksDir, f), stacksDir)]));
    const stacks = [...stackFiles.keys()].sort().filter((s) => stack === undefined || s === stack);
    if (stacks.length === 0) return { commit, plans: [], stacks, stackFiles, stderr: "" };
    const args = stack === undefined ? ["--all"] : ["--stack", stack];
    const result = spawnSync(process.execPath, ["--import", "tsx", "cli/plan.ts", ...args, "--format", "json"],
      { cwd: project, encoding: "utf8", maxBuffer: 256 * 1024 * 1024, env: { ...process.env, FORCE_COLOR: "0" } });
    let parsed: unknown;
    try {
      parsed = JSON.parse(result.stdout);
    } catch {
      throw new ReviewDiffError(`the plan at ${commit.slice(0, 12)} printed no JSON (exit ${result.status ?? result.signal}); ` +
        `its stderr: ${result.stderr.trim().split("\n").slice(0, 5).join(" / ") || "(empty)"}`);
    }
    const plans = parsed === null ? [] : Array.isArray(parsed) ? parsed : [parsed];
    return { commit, plans, stacks, stackFiles, stderr: result.stderr };
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    cleanup();
  }
}
