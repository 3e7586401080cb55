import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, it } from "node:test";
import * as keycloak from "@pulumi/keycloak";
import * as pulumi from "@pulumi/pulumi";
import { planStack, planToJson, renderPlanText } from "../../engine/plan";
import { hasMandatoryViolation, policyValue } from "../../engine/policy-run";
import { listStacks, readStackFile } from "../../engine/stack-file";

const ROOT = path.resolve(__dirname, "..", "..");

/** The rules each example stack's IdP must trigger (besides the stack rule). */
const IDP_RULES: Record<string, string[]> = {
  keycloak: ["keycloak-client-confidential", "keycloak-client-offline-access-optional-scope"],
  "entra-id": ["entra-application-graph-refresh-scopes", "entra-secret-end-date-within-two-years"],
  pingfederate: ["pingfederate-client-refresh-grants", "pingfederate-client-idle-covers-access-token"],
  google: ["google-scopes-basic-only"],
  okta: ["okta-app-refresh-grants", "okta-app-redirects-to-coder-only", "okta-policy-rule-allows-offline-access", "okta-app-consent-needs-custom-authorization-server", "refresh-token-rotation-has-reuse-window"],
  auth0: ["auth0-client-refresh-grant", "auth0-client-regular-web-oidc-conformant", "auth0-client-expiring-refresh-tokens", "refresh-token-rotation-has-reuse-window"],
};

describe("the offline plan runs the policy pack", () => {
  for (const stack of listStacks()) {
    it(`${stack}: passes every mandatory rule, and the IdP's rules and the stack rule apply`, async () => {
      const plan = await planStack(stack, readStackFile(stack));
      assert.deepEqual(plan.policies.violations.filter((v) => v.enforcementLevel === "mandatory"), []);
      for (const rule of [...IDP_RULES[plan.idp!], "coder-settings-ask-for-refresh-tokens"]) assert.ok(plan.policies.applied.includes(rule), rule);
      assert.match(renderPlanText(plan), /^Policies \(\d+ applied\): pass/m);
      assert.ok(Array.isArray((planToJson(plan) as { policies: { violations: unknown[] } }).policies.violations));
    });
  }

  it("reports a non-compliant Keycloak client as a mandatory violation naming the rule", async () => {
    const program = async () => {
      const provider = new keycloak.Provider("admin", { url: "https://kc.example.com", clientId: "x" });
      new keycloak.openid.Client("coder-client", {
        realmId: "engineering", clientId: "coder", accessType: "PUBLIC", standardFlowEnabled: true,
        validRedirectUris: ["https://coder.example.com/api/v2/users/oidc/callback"],
      }, { provider });
      return { CODER_OIDC_SCOPES: pulumi.output("openid,profile,email") };
    };
    const file = readStackFile("dev-keycloak");
    const plan = await planStack("dev-keycloak", file, program);
    const names = plan.policies.violations.map((v) => v.policy);
    assert.ok(names.includes("keycloak-client-confidential"), names.join(", "));
    assert.ok(names.includes("keycloak-client-offline-access-optional-scope"), "no optional scopes declared");
    assert.equal(hasMandatoryViolation(plan.policies), true);
    assert.match(renderPlanText(plan), /✗ \[mandatory\] keycloak-client-confidential: Keycloak client coder-client: accessType is PUBLIC/);
  });

  it("hands rules secrets masked and unknowns as the engine's sentinel", () => {
    const secret = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: "hunter2" };
    assert.deepEqual(policyValue({ a: secret, b: [{ __pulumiUnknown: true }], c: "x" }),
      { a: "[secret]", b: ["04da6b54-80e4-46f7-96ec-b56ff0331ba9"], c: "x" });
  });

  it("npm run plan shows an advisory (secret ending within 30 days) and still exits 0", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "coder-oidc-policy-"));
    // Issued today, for 10 days: it ends within the advisory's 30 days (one that has ended is refused by the config).
    const today = new Date().toISOString().slice(0, 10);
    const text = fs.readFileSync(path.join(ROOT, "stacks", "Pulumi.prod-entra.yaml"), "utf8")
      .replace(/secretRotation: "[^"]+"/, `secretRotation: "${today}"`).replace(/secretLifetime: \S+/, "secretLifetime: 10d");
    fs.writeFileSync(path.join(dir, "Pulumi.old-entra.yaml"), text);
    let result: { status: number | null; stdout: string; stderr: string };
    try {
      result = spawnSync(process.execPath, ["--import", "tsx", "cli/plan.ts", "--stack", "old-entra", "--stacks-dir", dir], { cwd: ROOT, encoding: "utf8" });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, new RegExp(`! \\[advisory\\] entra-secret-not-expiring-soon: Entra client secret coder-secret-${today}: ends in \\d+ days`));
    assert.match(result.stdout, /^Policies \(\d+ applied\): pass, 1 advisory/m);
  });
});
