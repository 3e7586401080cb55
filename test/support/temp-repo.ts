/**
 * A git repository of its own holding this project as committed, with this checkout's node_modules linked in (not
 * committed): the review diff's tests run git in it, whatever copy of the project they run in (a mutation-testing
 * sandbox included, which is not a repository's checkout).
 */
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** What the project needs to plan: its code, config and stacks. */
/** What a copy of the project needs to plan: its files and every source folder the plan loads. */
export const PROJECT_ENTRIES = ["Pulumi.yaml", "package.json", "tsconfig.json", "src", "idps", "engine", "program", "cli", "policy", "stacks"];

/** A temporary repository: its folder, git run in it, and how to remove it. */
export interface TempRepo {
  readonly root: string;
  git(...args: string[]): SpawnSyncReturns<string>;
  remove(): void;
}

/** Copies the project into a new repository and commits it on `main`. */
export function projectRepo(): TempRepo {
  const source = path.resolve(__dirname, "..", "..");
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "coder-oidc-repo-"));
  const git = (...args: string[]) => spawnSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.invalid", ...args], { cwd: root, encoding: "utf8" });
  for (const entry of PROJECT_ENTRIES) fs.cpSync(path.join(source, entry), path.join(root, entry), { recursive: true });
  fs.symlinkSync(path.join(source, "node_modules"), path.join(root, "node_modules"), "dir");
  fs.writeFileSync(path.join(root, ".gitignore"), "node_modules\n");
  for (const args of [["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-qm", "base"]]) {
    const result = git(...args);
    if (result.status !== 0) throw new Error(`git ${args.join(" ")} failed: ${result.stderr}`);
  }
  return { root, git, remove: () => fs.rmSync(root, { recursive: true, force: true }) };
}
