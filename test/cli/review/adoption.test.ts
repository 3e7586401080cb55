/**
 * Adoption (coder-oidc:adoptClientId) in the offline plan's text and JSON and in the review diff: the import and its id,
 * and per field what changes on the existing client.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { planStack, planToJson, renderPlanText } from "../../../engine/plan";
import { diffSides, type DiffSide, type PlanJson, renderReviewMarkdown, renderReviewText } from "../../../cli/review/diff";

const KEYCLOAK = {
  "coder-oidc:coderUrl": "https://coder.example.com",
  "coder-oidc:idp": "keycloak",
  "coder-oidc:keycloak": JSON.stringify({ realm: "engineering" }),
  "keycloak:url": "https://sso.example.com",
  "keycloak:clientId": "pulumi-admin",
  "keycloak:clientSecret": "admin-client-secret-value",
};
const SECRET_KEYS = new Set(["keycloak:clientSecret"]);

function side(plans: PlanJson[]): DiffSide {
  return { plans: new Map(plans.map((p) => [p.stack, p])), failures: new Map(), stackFiles: new Map() };
}

describe("adoption in the offline plan", () => {
  it("shows the imported client as '=' with its import id, and an adoption section per field", async () => {
    const plan = await planStack("prod", { values: { ...KEYCLOAK, "coder-oidc:adoptClientId": "coder-prod" }, secretKeys: SECRET_KEYS });
    const out = renderPlanText(plan);
    assert.match(out, /^ {2}= keycloak:openid\/client:Client {2}coder-client {2}\(import engineering\/6f1c8a52-0000-4000-8000-00000000ad0b\)$/m);
    assert.match(out, /^ {2}\+ keycloak:openid\/clientOptionalScopes:ClientOptionalScopes {2}coder-optional-scopes$/m);
    assert.match(out, /^Adopting Keycloak client "coder-prod" \(realm "engineering"\), coder-oidc:adoptClientId:$/m);
    assert.match(out, /^ {2}import coder-client: engineering\/6f1c8a52-0000-4000-8000-00000000ad0b$/m);
    assert.match(out, /^ {2}~ directAccessGrantsEnabled: true → false$/m);
    assert.match(out, /^ {2}~ validRedirectUris: \(unset\) → \["https:\/\/coder\.example\.com\/api\/v2\/users\/oidc\/callback"\]$/m);
    assert.match(out, /^ {2}secret: The client secret stays/m);
    assert.ok(!out.includes("admin-client-secret-value"));
    const json = planToJson(plan) as PlanJson;
    assert.equal(json.resources.find((r) => r.name === "coder-client")?.importId, "engineering/6f1c8a52-0000-4000-8000-00000000ad0b");
    assert.equal(json.adoptions?.[0].changes.find((c) => c.field === "directAccessGrantsEnabled")?.to, "false");
  });

  it("a stack that creates its client has no import and no adoption", async () => {
    const plan = await planStack("prod", { values: KEYCLOAK, secretKeys: SECRET_KEYS });
    assert.deepEqual(plan.adoptions, []);
    assert.ok(plan.resources.every((r) => r.importId === undefined));
    assert.doesNotMatch(renderPlanText(plan), /Adopting|\(import /);
  });
});

describe("adoption in the review diff", () => {
  it("shows the import id as a field and, per field, what changes on the existing client", async () => {
    const before = planToJson(await planStack("prod", { values: KEYCLOAK, secretKeys: SECRET_KEYS })) as PlanJson;
    const after = planToJson(await planStack("prod", {
      values: { ...KEYCLOAK, "coder-oidc:adoptClientId": "coder-prod" }, secretKeys: SECRET_KEYS,
    })) as PlanJson;
    const diff = diffSides("main", "0123456789abcdef", side([before]), side([after]));
    const [stack] = diff.stacks;
    assert.equal(stack.status, "changed");
    const client = stack.resources.find((r) => r.resource === "keycloak:openid/client:Client coder-client");
    assert.deepEqual(client?.fields.find((f) => f.path === "(import id)"), {
      path: "(import id)", before: undefined, after: "engineering/6f1c8a52-0000-4000-8000-00000000ad0b",
    });
    assert.deepEqual(client?.fields.find((f) => f.path === "clientId"), { path: "clientId", before: "coder", after: "coder-prod" });
    const textOut = renderReviewText(diff);
    assert.match(textOut, /= adopt Keycloak client "coder-prod" \(realm "engineering"\): import coder-client engineering\/6f1c8a52-0000-4000-8000-00000000ad0b/);
    assert.match(textOut, /^ {6}directAccessGrantsEnabled true → false$/m);
    assert.match(renderReviewMarkdown(diff), /= adopt Keycloak client "coder-prod"/);
    // The same adoption on both sides is no change.
    const same = diffSides("main", "0123456789abcdef", side([after]), side([after]));
    assert.equal(same.stacks[0].status, "unchanged");
    assert.deepEqual(same.stacks[0].adoptions, []);
  });
});
