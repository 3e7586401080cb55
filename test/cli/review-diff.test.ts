import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import type { PolicyViolation } from "../../cli/policy-run";
import {
  diffFields,
  diffSides,
  flattenFields,
  renderReviewMarkdown,
  REVIEW_COMMENT_MARKER,
  renderReviewText,
  reviewExitCode,
  secretFingerprints,
  type DiffSide,
  type PlanJson,
  type ReviewDiff,
} from "../../cli/review-diff";

const ROOT = path.resolve(__dirname, "..", "..");

const violation = (policy: string, level: "mandatory" | "advisory" = "mandatory"): PolicyViolation =>
  ({ policy, enforcementLevel: level, resource: "keycloak:openid/client:Client coder-client", message: `${policy} broken` });

function plan(stack: string, inputs: Record<string, unknown>, violations: PolicyViolation[] = []): PlanJson {
  return {
    stack, idp: "keycloak",
    resources: [{ type: "keycloak:openid/client:Client", name: "coder-client", inputs }],
    coderEnv: { CODER_OIDC_SCOPES: { value: "openid,profile,email,offline_access", secret: false }, CODER_OIDC_CLIENT_SECRET: { value: "[secret]", secret: true } },
    policies: { applied: ["keycloak-client-confidential"], violations },
  };
}
function side(plans: PlanJson[], files: Record<string, string> = {}): DiffSide {
  return { plans: new Map(plans.map((p) => [p.stack, p])), failures: new Map(), stackFiles: new Map(Object.entries(files)) };
}

describe("review diff, compared field by field", () => {
  it("names each changed input by its path, with both values", () => {
    const changes = diffFields(flattenFields({ a: "1", web: { implicitGrant: { id: false } }, list: ["x"] }),
      flattenFields({ a: "2", web: { implicitGrant: { id: true } }, list: ["x", "y"] }));
    assert.deepEqual(changes, [
      { path: "a", before: "1", after: "2" },
      { path: "list", before: '["x"]', after: '["x","y"]' },
      { path: "web.implicitGrant.id", before: "false", after: "true" },
    ]);
  });

  it("says the serialized dynamic provider changed, not how", () => {
    const changes = diffFields(new Map([["__provider", "(serialized dynamic provider, 100 characters)"]]),
      new Map([["__provider", "(serialized dynamic provider, 120 characters)"]]));
    assert.deepEqual(changes, [{ path: "__provider", before: "(provider code)", after: "(changed provider code)" }]);
  });

  it("reports stacks added and removed, and new and fixed violations", () => {
    const diff = diffSides("main", "abc", side([plan("gone", {}), plan("kept", { accessType: "PUBLIC" }, [violation("keycloak-client-confidential")])]),
      side([plan("new", {}), plan("kept", { accessType: "CONFIDENTIAL" }, [violation("other", "advisory")])]));
    const byName = new Map(diff.stacks.map((s) => [s.stack, s]));
    assert.equal(byName.get("gone")!.status, "removed");
    assert.equal(byName.get("new")!.status, "added");
    const kept = byName.get("kept")!;
    assert.equal(kept.status, "changed");
    assert.deepEqual(kept.resources[0].fields, [{ path: "accessType", before: "PUBLIC", after: "CONFIDENTIAL" }]);
    assert.deepEqual(kept.fixedViolations!.map((v) => v.policy), ["keycloak-client-confidential"]);
    assert.deepEqual(kept.newViolations.map((v) => v.policy), ["other"]);
    assert.equal(reviewExitCode(diff), 0, "an advisory does not fail the review");
  });

  it("fails (exit 1) when the working tree breaks a mandatory policy", () => {
    const diff = diffSides("main", "abc", side([plan("s", {})]), side([plan("s", {}, [violation("keycloak-client-confidential")])]));
    assert.equal(reviewExitCode(diff), 1);
    assert.match(renderReviewText(diff), /✗ new \[mandatory\] keycloak-client-confidential/);
    assert.ok(renderReviewMarkdown(diff).startsWith(REVIEW_COMMENT_MARKER + "\n"));
    assert.match(renderReviewMarkdown(diff), /\| s \| keycloak \| unchanged \| unchanged \| unchanged \| unchanged \| ❌ FAIL \(1 mandatory\) \|/);
  });

  it("says a stack-file secret changed without showing it or its hash", () => {
    const file = (c: string) => `config:\n  keycloak:clientSecret:\n    secure: ${c}\n  coder-oidc:google:\n    clientSecret:\n      secure: same\n`;
    const fingerprints = secretFingerprints(file("v1:AAAA"));
    assert.deepEqual([...fingerprints.keys()], ["keycloak:clientSecret", "coder-oidc:google.clientSecret"]);
    const diff: ReviewDiff = diffSides("main", "abc", side([plan("s", {})], { s: file("v1:OLDCIPHER") }), side([plan("s", {})], { s: file("v1:NEWCIPHER") }));
    const stack = diff.stacks[0];
    assert.deepEqual(stack.secrets, [{ key: "keycloak:clientSecret", status: "changed" }]);
    assert.equal(stack.secretsUnchanged, 1);
    const printed = renderReviewText(diff) + renderReviewMarkdown(diff) + JSON.stringify(diff);
    for (const hidden of ["OLDCIPHER", "NEWCIPHER", ...secretFingerprints(file("v1:NEWCIPHER")).values()]) assert.ok(!printed.includes(hidden), hidden);
  });
});

describe("npm run plan -- --all --diff <ref>, in a temporary git repository", () => {
  let repo = "";
  const run = (...args: string[]) => spawnSync(process.execPath, ["--import", "tsx", "cli/plan.ts", ...args], { cwd: repo, encoding: "utf8" });
  const gitIn = (...args: string[]) => spawnSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.invalid", ...args], { cwd: repo, encoding: "utf8" });

  before(() => {
    repo = fs.mkdtempSync(path.join(os.tmpdir(), "coder-oidc-review-repo-"));
    for (const entry of ["Pulumi.yaml", "package.json", "tsconfig.json", "src", "providers", "cli", "policy", "stacks"]) {
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
    const kc = path.join(repo, "providers", "keycloak.ts");
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
