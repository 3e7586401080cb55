/**
 * The review diff's comparisons (cli/review-diff.ts), on plans made by hand: fields, Coder variables, policies, secrets
 * (never their values or hashes), and the text and Markdown a reviewer reads. test/cli/review-repo.test.ts runs the
 * whole review diff end to end, as a process in a repository of its own.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
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
