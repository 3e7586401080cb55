/**
 * Secrets never appear in plaintext: not in stack outputs, not in any resource input the engine stores in
 * state unencrypted (including a serialized dynamic provider), not in the plan, not in Helm values.
 * Every example stack is run with distinctive values in place of its `secure:` config.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { renderHelmValues } from "../../cli/env/render";
import { planStack, planToJson, renderPlanText } from "../../engine/plan";
import { listStacks, readStackFile, SECRET_PLACEHOLDER } from "../../engine/stack-file";
import { plaintextStrings, runProgram } from "../support/program";

/** Secret values the mocks make up for what providers compute (see engine/offline-runtime.ts). */
const COMPUTED_SECRET_PREFIXES = ["fake-secret-of-", "fake-password-of-"];

describe("no secret in plaintext, on every example stack", () => {
  it("runs on every IdP's example stack, Okta's and Auth0's included", () => {
    for (const stack of ["dev-keycloak", "prod-entra", "staging-google", "prod-pingfederate", "prod-okta", "dev-auth0"]) {
      assert.ok(listStacks().includes(stack), `${stack} is checked`);
    }
  });

  for (const stack of listStacks()) {
    it(`${stack}: config secrets and generated secrets stay secret`, async () => {
      const file = readStackFile(stack);
      assert.ok(file.secretKeys.size > 0 || stack.includes("pingfederate"), "the example stack has a secure: value");
      let n = 0;
      const configSecrets: string[] = [];
      const values = Object.fromEntries(Object.entries(file.values).map(([key, text]) => [key, text.replaceAll(SECRET_PLACEHOLDER, () => {
        const secret = `config-secret-${++n}-of-${stack}`;
        configSecrets.push(secret);
        return secret;
      })]));

      const { mocks, outputs } = await runProgram(values, { secretKeys: [...file.secretKeys] });
      assert.equal(outputs.CODER_OIDC_CLIENT_SECRET.secret, true, "CODER_OIDC_CLIENT_SECRET is a secret output");
      const clientSecret = String(outputs.CODER_OIDC_CLIENT_SECRET.value);
      assert.ok(clientSecret.length > 0);

      const visible = [
        ...mocks.resources.flatMap((r) => plaintextStrings(r.inputs)),
        ...Object.values(outputs).filter((o) => !o.secret).map((o) => String(o.value)),
        renderHelmValues(Object.entries(outputs).map(([name, o]) => ({ name, known: o.known, secret: o.secret, value: String(o.value) }))),
      ].join("\n");
      for (const secret of [...configSecrets, clientSecret]) {
        assert.ok(!visible.includes(secret), `${secret} appears in plaintext`);
      }
      for (const prefix of COMPUTED_SECRET_PREFIXES) assert.ok(!visible.includes(prefix), `a computed ${prefix}… secret appears in plaintext`);

      const plan = await planStack(stack, { values, secretKeys: file.secretKeys });
      const printed = renderPlanText(plan) + JSON.stringify(planToJson(plan));
      for (const secret of configSecrets) assert.ok(!printed.includes(secret), `${secret} appears in the plan`);
    });
  }
});
