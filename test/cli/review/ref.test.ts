/**
 * The ref side of the review diff (cli/review/ref.ts): git's answers and failures word for word, and the plan of
 * a ref made in a temporary worktree of a repository holding this project, removed afterwards. (test/cli/review/diff.test.ts runs
 * the whole review diff on a change in a repository of its own.)
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import { git, planAtCommit, resolveCommit, ReviewDiffError } from "../../../cli/review/ref";
import { projectRepo } from "../../support/temp-repo";

const repo = projectRepo();
after(() => repo.remove());
const ROOT = repo.root;
const gitIn = repo.git;
const HEAD = gitIn("rev-parse", "HEAD").stdout.trim();
const worktrees = () => gitIn("worktree", "list").stdout.trim().split("\n").length;

/** The message of the ReviewDiffError `run` throws. */
function refusal(run: () => unknown): string {
  try {
    run();
  } catch (err) {
    assert.ok(err instanceof ReviewDiffError, String(err));
    assert.equal(err.code, "ERR_REVIEW_DIFF");
    return err.message;
  }
  return assert.fail("expected a ReviewDiffError");
}

/** Runs `body` with a PATH that holds nothing, so no git. */
function withoutGit<T>(body: () => T): T {
  const saved = process.env.PATH;
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), "coder-oidc-no-git-"));
  process.env.PATH = empty;
  try {
    return body();
  } finally {
    process.env.PATH = saved;
    fs.rmSync(empty, { recursive: true, force: true });
  }
}

describe("git, for the review diff", () => {
  it("answers with git's output, trimmed", () => {
    assert.equal(git(["rev-parse", "HEAD"], ROOT), HEAD);
  });

  it("says what git said when it fails, or its exit code when it said nothing", () => {
    assert.match(refusal(() => git(["rev-parse", "--verify", "no-such-ref-91c"], ROOT)), /^git rev-parse --verify no-such-ref-91c failed: fatal: /);
    assert.equal(refusal(() => git(["diff", "--quiet", "4b825dc642cb6eb9a060e54bf8d69288fbee4904", HEAD, "--", "package.json"], ROOT)),
      `git diff --quiet 4b825dc642cb6eb9a060e54bf8d69288fbee4904 ${HEAD} -- package.json failed: exit 1`);
    assert.equal(git(["rev-parse", "--show-toplevel"], path.join(ROOT, "cli")), fs.realpathSync(ROOT));
  });

  it("names git as needed when it cannot run", () => {
    assert.equal(withoutGit(() => refusal(() => git(["status"], ROOT))), "git is needed for --diff and could not run: spawnSync git ENOENT");
    assert.equal(withoutGit(() => refusal(() => resolveCommit("HEAD", ROOT))), "git is needed for --diff and could not run: spawnSync git ENOENT");
  });
});

describe("resolveCommit", () => {
  it("gives the commit a branch, tag or commit names", () => {
    assert.equal(resolveCommit("HEAD", ROOT), HEAD);
    assert.equal(resolveCommit(HEAD.slice(0, 12), ROOT), HEAD);
  });

  it("refuses what is not a ref, or not a commit here, saying what to pass", () => {
    assert.equal(refusal(() => resolveCommit("--output=/tmp/x", ROOT)), '"--output=/tmp/x" is not a git ref');
    assert.equal(refusal(() => resolveCommit("-", ROOT)), '"-" is not a git ref');
    assert.equal(refusal(() => resolveCommit("no-such-branch-91c", ROOT)), `"no-such-branch-91c" is not a commit in the repository at ${ROOT}: ` +
      "name a branch, tag or commit that exists here (in CI, fetch it first, e.g. git fetch origin main, and pass origin/main)");
  });
});

describe("planAtCommit", () => {
  it("plans one stack with the ref's own code, then removes its worktree and signal handlers", () => {
    const before = { worktrees: worktrees(), sigint: process.listenerCount("SIGINT"), sigterm: process.listenerCount("SIGTERM") };
    // A temporary folder of this test's own, so that other tests' folders, made meanwhile, do not count.
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "coder-oidc-review-ref-tmp-"));
    const savedTmpdir = process.env.TMPDIR;
    process.env.TMPDIR = tmp;
    let ref: ReturnType<typeof planAtCommit>;
    try {
      ref = planAtCommit(HEAD, ROOT, "dev-keycloak");
    } finally {
      if (savedTmpdir === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = savedTmpdir;
    }
    // (The plan it runs is a tsx process, which keeps its compile cache there: that is not the review's.)
    const left = fs.readdirSync(tmp).filter((name) => !name.startsWith("tsx-"));
    fs.rmSync(tmp, { recursive: true, force: true });
    assert.deepEqual(left, [], "its temporary folder is gone");
    assert.equal(ref.commit, HEAD);
    assert.deepEqual(ref.stacks, ["dev-keycloak"]);
    assert.deepEqual((ref.plans as { stack: string }[]).map((p) => p.stack), ["dev-keycloak"]);
    assert.deepEqual([...ref.stackFiles.keys()].sort(), fs.readdirSync(path.join(ROOT, "stacks")).flatMap((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1] ?? []).sort());
    assert.equal(ref.stderr, "");
    assert.deepEqual({ worktrees: worktrees(), sigint: process.listenerCount("SIGINT"), sigterm: process.listenerCount("SIGTERM") }, before);
  });

  it("a stack the ref has no file for: nothing to plan, and nothing run", () => {
    const before = worktrees();
    const ref = planAtCommit(HEAD, ROOT, "no-such-stack");
    assert.deepEqual([ref.plans, ref.stacks, ref.stderr], [[], [], ""]);
    assert.ok(ref.stackFiles.size > 0);
    assert.equal(worktrees(), before);
  });

  it("every stack when none is named: the ref's plan of each", () => {
    const ref = planAtCommit(HEAD, ROOT);
    assert.deepEqual((ref.plans as { stack: string }[]).map((p) => p.stack), ref.stacks);
    assert.ok(ref.stacks.length > 1);
  });

  it("only Pulumi.<stack>.yaml files are stacks; a ref without a stacks folder has none", () => {
    const stacks = path.join(ROOT, "stacks");
    for (const name of ["xPulumi.a.yaml", "Pulumi.b.yaml.bak", "Pulumi.yaml", "Pulumi..yaml"]) fs.writeFileSync(path.join(stacks, name), "config: {}\n");
    assert.equal(gitIn("add", "-A").status, 0);
    assert.equal(gitIn("commit", "-qm", "odd names").status, 0);
    const odd = planAtCommit(gitIn("rev-parse", "HEAD").stdout.trim(), ROOT, "none");
    assert.ok(!["a", "b", "", "b.yaml"].some((name) => odd.stackFiles.has(name)), [...odd.stackFiles.keys()].join(", "));
    assert.ok(odd.stackFiles.has("dev-keycloak"));
    fs.rmSync(stacks, { recursive: true, force: true });
    assert.equal(gitIn("add", "-A").status, 0);
    assert.equal(gitIn("commit", "-qm", "no stacks").status, 0);
    const none = planAtCommit(gitIn("rev-parse", "HEAD").stdout.trim(), ROOT);
    assert.deepEqual([none.plans, none.stacks, none.stackFiles.size], [[], [], 0]);
    assert.equal(gitIn("checkout", "-q", HEAD, "--", "stacks").status, 0);
  });

  it("a ref whose plan prints no JSON: says so with its exit code and the first lines it wrote", () => {
    const plan = path.join(ROOT, "cli", "plan.ts");
    const original = fs.readFileSync(plan, "utf8");
    const broken = (source: string) => {
      fs.writeFileSync(plan, source);
      assert.equal(gitIn("commit", "-qam", "broken plan").status, 0);
      return gitIn("rev-parse", "HEAD").stdout.trim();
    };
    try {
      const loud = broken('process.stderr.write("one\\ntwo\\nthree\\nfour\\nfive\\nsix\\n"); process.exit(3);\n');
      assert.equal(refusal(() => planAtCommit(loud, ROOT, "dev-keycloak")),
        `the plan at ${loud.slice(0, 12)} printed no JSON (exit 3); its stderr: one / two / three / four / five`);
      const quiet = broken("process.stdout.write('not json'); process.exit(0);\n");
      assert.equal(refusal(() => planAtCommit(quiet, ROOT, "dev-keycloak")), `the plan at ${quiet.slice(0, 12)} printed no JSON (exit 0); its stderr: (empty)`);
      const nothing = broken("process.stdout.write('null');\n");
      assert.deepEqual(planAtCommit(nothing, ROOT, "dev-keycloak").plans, []);
    } finally {
      fs.writeFileSync(plan, original);
      gitIn("commit", "-qam", "plan restored");
    }
  });

  it("a commit git does not have: git's message, and no worktree left", () => {
    const before = worktrees();
    assert.match(refusal(() => planAtCommit("0000000000000000000000000000000000000001", ROOT)), /^git worktree add --detach --quiet .* failed: /);
    assert.equal(worktrees(), before);
  });
});
