/**
 * Secure values where plain text is needed (issue 20, class 5): offline, a `secure:` value cannot be decrypted, so
 * whatever is built from it (the issuer from a secret tenant id, org name or domain) is unknown in the plan and in
 * `env`, never a made-up value; and `coderUrl`, public by nature, is refused when set with --secret.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import { coderEnvForStack } from "../../engine/env-source";
import { planStack, planToJson, renderPlanText, UNKNOWN_MARK } from "../../engine/plan";
import { readStackFile } from "../../engine/stack-file";
import { OFFLINE_SECRET_PLACEHOLDER } from "../../src/provider-config";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "coder-oidc-secure-"));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

const SECURE = "\n    secure: v1:ZXhhbXBsZQ==";
const SECURE_IN_SECTION = "\n      secure: v1:ZXhhbXBsZQ==";

/** Writes a stack file of `lines` (under `config:`) and returns its name. */
function stack(name: string, lines: string[]): string {
  fs.writeFileSync(path.join(dir, `Pulumi.${name}.yaml`), ["config:", ...lines.map((l) => `  ${l}`), ""].join("\n"));
  return name;
}

const CODER = "coder-oidc:coderUrl: https://coder.example.com";
/** This UTC month: an Entra secret issued now, valid whenever the tests run. */
const ROTATION = `  secretRotation: "${new Date().toISOString().slice(0, 7)}"`;
const CASES: Record<string, string[]> = {
  "okta-org-name": [CODER, "coder-oidc:idp: okta", "coder-oidc:okta:", "  assignedGroups: everyone", `okta:orgName:${SECURE}`, `okta:apiToken:${SECURE}`],
  "okta-base-url": [CODER, "coder-oidc:idp: okta", "coder-oidc:okta:", "  assignedGroups: everyone", "okta:orgName: dev-1",
    `okta:baseUrl:${SECURE}`, `okta:apiToken:${SECURE}`],
  "keycloak-url": [CODER, "coder-oidc:idp: keycloak", "coder-oidc:keycloak:", "  realm: main", `keycloak:url:${SECURE}`],
  "keycloak-issuer": [CODER, "coder-oidc:idp: keycloak", "coder-oidc:keycloak:", "  realm: main", `  issuerUrl:${SECURE_IN_SECTION}`,
    "keycloak:url: https://sso.example.com"],
  "entra-provider-tenant": [CODER, "coder-oidc:idp: entra-id", "coder-oidc:entraId:", ROTATION, `azuread:tenantId:${SECURE}`],
  "entra-section-tenant": [CODER, "coder-oidc:idp: entra-id", "coder-oidc:entraId:", ROTATION, `  tenantId:${SECURE_IN_SECTION}`],
  "auth0-domain": [CODER, "coder-oidc:idp: auth0", `auth0:domain:${SECURE}`],
  "auth0-custom-domain": [CODER, "coder-oidc:idp: auth0", "coder-oidc:auth0:", `  customDomain:${SECURE_IN_SECTION}`, "auth0:domain: example.us.auth0.com"],
  "pingfederate-issuer": [CODER, "coder-oidc:idp: pingfederate", "coder-oidc:pingfederate:",
    "  adminUrl: https://pf.example.com:9999/pf-admin-api/v1", `  issuerUrl:${SECURE_IN_SECTION}`],
};

describe("an issuer built from a secure: value is unknown offline", () => {
  for (const [name, lines] of Object.entries(CASES)) {
    it(`${name}: CODER_OIDC_ISSUER_URL is unknown in the plan and in env, the stand-in shown nowhere`, async () => {
      const file = readStackFile(stack(name, lines), dir);
      const plan = await planStack(name, file);
      const issuer = plan.coderEnv.find((e) => e.name === "CODER_OIDC_ISSUER_URL")!;
      assert.deepEqual([issuer.known, issuer.value], [false, undefined]);
      const printed = JSON.stringify(planToJson(plan)) + renderPlanText(plan);
      assert.ok(!printed.includes(OFFLINE_SECRET_PLACEHOLDER), printed);
      assert.ok(!/offline-placeholder/.test(printed));
      assert.match(renderPlanText(plan), new RegExp(`CODER_OIDC_ISSUER_URL=${UNKNOWN_MARK.replace(/[()]/g, "\\$&")}`));

      const env = await coderEnvForStack(name, "offline", dir);
      const fromEnv = env.entries.find((e) => e.name === "CODER_OIDC_ISSUER_URL")!;
      assert.deepEqual([fromEnv.known, fromEnv.value], [false, undefined]);
    });
  }
});

describe("coderUrl set with --secret", () => {
  it("is refused, saying why and the command to use", async () => {
    const name = stack("secret-coder-url", [`coder-oidc:coderUrl:${SECURE}`, "coder-oidc:idp: auth0", "auth0:domain: example.us.auth0.com"]);
    await assert.rejects(planStack(name, readStackFile(name, dir)), (err: Error) => {
      assert.match(err.message, /coder-oidc:coderUrl: must not be set with --secret: Coder's access URL is public .* pulumi config set coder-oidc:coderUrl <url>/);
      assert.ok(!err.message.includes(OFFLINE_SECRET_PLACEHOLDER));
      return true;
    });
  });
});
