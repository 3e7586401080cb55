/**
 * The registry is the one list of IdPs: a seventh IdP, in a folder of its own (test/fixtures/idps/fake/) and one
 * registration, is parsed, planned under mocks, checked by its policy rule and verified, with no other file changed.
 */
import * as assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { planStack } from "../../engine/plan";
import { coderOidcPolicies } from "../../policy/policies";
import { idpClientFindings } from "../../cli/verify/idps";
import { allIdps, idpKinds, idpOf, parseStackConfig, registerIdp } from "../../idps/registry";
import type { ConfigError } from "../../src/errors";
import { manualChecks } from "../../src/verify/core";
import { fakeIdp } from "../fixtures/idps/fake";

const FAKE_STACK = {
  "coder-oidc:coderUrl": "https://coder.example.com",
  "coder-oidc:idp": "fake",
  "coder-oidc:fake": JSON.stringify({ tenant: "acme" }),
};
const raw = (values: Record<string, string>) => ({ values, secretKeys: new Set<string>() });

describe("a seventh IdP: its folder and one registration", () => {
  let unregister: () => void = () => undefined;
  before(() => {
    unregister = registerIdp(fakeIdp);
  });
  after(() => unregister());

  it("is listed after the six built in", () => {
    assert.deepEqual(idpKinds(), ["keycloak", "entra-id", "google", "pingfederate", "okta", "auth0", "fake"]);
    assert.equal(idpOf("fake"), fakeIdp);
  });

  it("its section is parsed, and its own rule and the shared ones apply to it", () => {
    const config = parseStackConfig(raw(FAKE_STACK)) as unknown as Record<string, unknown>;
    assert.deepEqual(config.fake, { tenant: "acme" });
    assert.throws(() => parseStackConfig(raw({ ...FAKE_STACK, "coder-oidc:fake": JSON.stringify({ tenant: "ACME", color: "x" }),
      "coder-oidc:clientId": "mine" })), (err: ConfigError) => {
      assert.deepEqual(err.problems.map((p) => p.key).sort(),
        ["coder-oidc:clientId", "coder-oidc:fake.color", "coder-oidc:fake.tenant"]);
      return true;
    });
    assert.throws(() => parseStackConfig(raw({ "coder-oidc:coderUrl": "https://coder.example.com", "coder-oidc:idp": "fake" })),
      (err: ConfigError) => err.problems.some((p) => p.key === "coder-oidc:fake" && /required when idp is fake/.test(p.message)));
  });

  it("plans: its component declares its client, the Coder settings come from its row, and its policy rule runs", async () => {
    const plan = await planStack("dev-fake", raw(FAKE_STACK));
    assert.equal(plan.idp, "fake");
    assert.deepEqual(plan.resources.map((r) => r.type), ["coder-oidc:providers:FakeCoderClient", "fake:index/client:Client"]);
    const env = Object.fromEntries(plan.coderEnv.map((e) => [e.name, e.value]));
    assert.equal(env.CODER_OIDC_ISSUER_URL, "https://fake.example.com/acme");
    assert.equal(env.CODER_OIDC_SCOPES, "openid,profile,email,offline_access");
    assert.equal(env.CODER_OIDC_AUTH_URL_PARAMS, '{"access_type":"offline"}');
    assert.ok(plan.policies.applied.includes("fake-client-refresh-grant"));
    assert.deepEqual(plan.policies.violations, []);
  });

  it("its policy rule reports a client without the refresh grant", async () => {
    const rule = coderOidcPolicies().find((p) => p.name === "fake-client-refresh-grant");
    assert.ok(rule && "validateResource" in rule && typeof rule.validateResource === "function");
    const reports: string[] = [];
    await rule.validateResource({ type: "fake:index/client:Client", name: "c", props: { grants: ["authorization_code"] },
      notApplicable: () => undefined } as never, (message: string) => reports.push(message));
    assert.deepEqual(reports, ["fake client c: allow the refresh_token grant"]);
  });

  it("verify runs its check and lists its manual checks", async () => {
    const good = await idpClientFindings("fake", { CODER_OIDC_CLIENT_ID: "fake-client-id" }, {}, undefined);
    assert.deepEqual(good.map((f) => [f.check, f.status]), [["fake.client", "ok"]]);
    const bad = await idpClientFindings("fake", { CODER_OIDC_CLIENT_ID: "other" }, {}, undefined);
    assert.deepEqual(bad.map((f) => f.status), ["problem"]);
    assert.ok(manualChecks(idpOf("fake").verify.manual).includes("Fake: look at the fake console."));
  });

  it("is gone again once unregistered, and a kind cannot be registered twice", () => {
    assert.throws(() => registerIdp(fakeIdp), /already registered/);
    assert.equal(allIdps().filter((d) => d.kind === "fake").length, 1);
  });
});

describe("the registry without the fake IdP", () => {
  it("refuses a stack that names it", () => {
    assert.throws(() => parseStackConfig(raw(FAKE_STACK)), (err: ConfigError) =>
      err.problems.some((p) => p.key === "coder-oidc:idp" && p.message.startsWith("must be one of keycloak, entra-id")));
  });
});
