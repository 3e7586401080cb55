/**
 * The review diff end to end, as a reviewer's CI runs it: `plan --all --diff <ref>` as a process in a temporary git
 * repository holding this project, with a change under review (a stack edited, one added, one removed, a secret
 * re-encrypted, code that breaks a policy). Apart from test/cli/review/diff.test.ts, whose pure comparisons are fast
 * enough to score cli/review/diff.ts's mutants against; these take seconds a run.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import type { ReviewDiff } from "../../../cli/review/diff";
import { PROJECT_ENTRIES } from "../../support/temp-repo";

const ROOT = path.resolve(__dirname, "..", "..", "..");

describe("npm run plan -- --all --diff <ref>, in a temporary git repository", () => {
  let repo = "";
  const run = (...args: string[]) => spawnSync(process.execPath, ["--import", "tsx", "cli/plan.ts", ...args], { cwd: repo, encoding: "utf8" });
  const gitIn = (...args: string[]) => spawnSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.invalid", ...args], { cwd: repo, encoding: "utf8" });

  before(() => {
    repo = fs.mkdtempSync(path.join(os.tmpdir(), "coder-oidc-review-repo-"));
    for (const entry of PROJECT_ENTRIES) {
      fs.cpSync(path.join(ROOT, entry), path.join(repo, entry), { recursive: true });
    }
    fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(repo, "node_modules"), "dir");
    fs.writeFileSync(path.join(repo, ".gitignore"), "node_modules\n");
    assert.equal(gitIn("init", "-q", "-b", "main").status, 0);
    assert.equal(gitIn("add", "-A").status, 0);
    assert.equal(gitIn("commit", "-qm", "base").status, 0);
    // The change under review: a shorter idle timeout, a new admin secret, a new stack, a removed one,
    // and a code change that breaks the Keycloak rule.
    const dk = path.join(repo, "stacks", "Pulumi.dev-keycloak.yaml");
    fs.writeFileSync(dk, fs.readFileSync(dk, "utf8").replace("refreshIdleTimeout: 30d", "refreshIdleTimeout: 7d")
      .replace(/secure: \S+/, "secure: v1:TkVXLUNJUEhFUlRFWFQ="));
    fs.copyFileSync(path.join(repo, "stacks", "Pulumi.staging-google.yaml"), path.join(repo, "stacks", "Pulumi.new-google.yaml"));
    fs.rmSync(path.join(repo, "stacks", "Pulumi.prod-pingfederate.yaml"));
    const kc = path.join(repo, "idps", "keycloak", "component.ts");
    fs.writeFileSync(kc, fs.readFileSync(kc, "utf8").replace('accessType: "CONFIDENTIAL"', 'accessType: "PUBLIC"'));
  });
  after(() => fs.rmSync(repo, { recursive: true, force: true }));

  it("prints each change, fails on the broken policy, never prints a secret, and removes its worktree", () => {
    const result = run("--all", "--diff", "main", "--format", "json");
    assert.equal(result.status, 1, result.stderr);
    const diff = JSON.parse(result.stdout) as ReviewDiff;
    const byName = new Map(diff.stacks.map((s) => [s.stack, s]));
    const dk = byName.get("dev-keycloak")!;
    const client = dk.resources.find((r) => r.resource === "keycloak:openid/client:Client coder-client")!;
    assert.deepEqual(client.fields.find((f) => f.path === "clientOfflineSessionIdleTimeout"), { path: "clientOfflineSessionIdleTimeout", before: "2592000", after: "604800" });
    assert.deepEqual(client.fields.find((f) => f.path === "accessType"), { path: "accessType", before: "CONFIDENTIAL", after: "PUBLIC" });
    assert.deepEqual(dk.secrets, [{ key: "keycloak:clientSecret", status: "changed" }]);
    assert.deepEqual(dk.newViolations.map((v) => v.policy), ["keycloak-client-confidential"]);
    assert.deepEqual(dk.fixedViolations, []);
    assert.equal(byName.get("new-google")!.status, "added");
    assert.equal(byName.get("prod-pingfederate")!.status, "removed");
    assert.equal(byName.get("prod-entra")!.status, "unchanged");
    assert.ok(!result.stdout.includes("TkVXLUNJUEhFUlRFWFQ="), "the new ciphertext is not printed");
    assert.ok(!result.stdout.includes("ZXhhbXBsZS1ub3QtYS1yZWFsLXNlY3JldA=="), "the old ciphertext is not printed");
    assert.equal(gitIn("worktree", "list").stdout.trim().split("\n").length, 1, "the temporary worktree is gone");
  });

  it("prints the change the way a reviewer reads it", () => {
    const result = run("--all", "--diff", "main");
    assert.match(result.stdout, /keycloak:openid\/client:Client coder-client: clientOfflineSessionIdleTimeout 2592000 → 604800/);
    assert.match(result.stdout, /Stack new-google \(google\): added/);
    assert.match(result.stdout, /secret keycloak:clientSecret: changed \(value not shown\)/);
  });

  it("takes --format markdown only with --diff", () => {
    const result = run("--all", "--format", "markdown");
    assert.equal(result.status, 2);
    assert.match(result.stderr, /--format markdown goes with --diff <ref>/);
  });

  it("gives a bad ref a clear error and exit 2", () => {
    const result = run("--all", "--diff", "no-such-branch");
    assert.equal(result.status, 2);
    assert.match(result.stderr, /"no-such-branch" is not a commit in the repository/);
    assert.equal(result.stdout, "");
  });
});
