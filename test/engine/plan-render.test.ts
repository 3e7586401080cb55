/**
 * engine/plan.ts at its edges: the plan's text and JSON word for word, how inputs are made printable, and
 * planStack with programs of the test's own (what each kind of log and failure becomes, the order of outputs,
 * which assumptions are named), over the same mock runtime as the real program.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { formatEntry, PlanFailedError, planStack, planToJson, printable, renderPlanText, type StackPlan } from "../../engine/plan";
import { readStackFile } from "../../engine/stack-file";

const SIG = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270" };
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

const PLAN: StackPlan = {
  stack: "demo",
  idp: undefined,
  resources: [
    { type: "t:m:A", name: "a", inputs: { list: ["x", 1], n: 5, nested: { k: "v" }, text: "plain" } },
    { type: "t:m:B", name: "b", inputs: {} },
  ],
  coderEnv: [
    { name: "CODER_OIDC_ISSUER_URL", known: true, secret: false, value: "https://sso.example.com" },
    { name: "CODER_OIDC_CLIENT_ID", known: false, secret: false },
    { name: "CODER_OIDC_CLIENT_SECRET", known: true, secret: true, value: "never shown" },
    { name: "CODER_OIDC_SCOPES", known: true, secret: false, value: undefined },
  ],
  otherOutputs: [{ name: "secretName", known: false, secret: true }],
  warnings: ["first\nsecond line", "another"],
  notes: ["a note"],
  adoptions: [],
  assumptions: ["an assumption"],
  policies: { applied: ["p1"], violations: [{ policy: "p1", enforcementLevel: "advisory", resource: "t:m:A a", message: "consider it" }] },
};

describe("the plan as text and JSON", () => {
  it("names every section, indents the later lines of an item, and never shows a secret", () => {
    assert.equal(renderPlanText(PLAN), [
      "Stack demo (idp: ?): offline plan. Nothing was contacted or changed.",
      "",
      "Resources (2):",
      "  + t:m:A  a",
      '      list: ["x",1]',
      "      n: 5",
      '      nested: {"k":"v"}',
      "      text: plain",
      "  + t:m:B  b",
      "",
      "Coder settings (stack outputs):",
      "  CODER_OIDC_ISSUER_URL=https://sso.example.com",
      "  CODER_OIDC_CLIENT_ID=(known after apply)",
      "  CODER_OIDC_CLIENT_SECRET=[secret]",
      "  CODER_OIDC_SCOPES=",
      "",
      "Other outputs:",
      "  secretName=[secret] (known after apply)",
      "",
      "Warnings:",
      "  - first",
      "    second line",
      "  - another",
      "",
      "Notes:",
      "  - a note",
      "",
      "Assumed offline (checked against the live IdP at preview/up):",
      "  - an assumption",
      "",
      "Policies (1 applied): pass, 1 advisory",
      "  ! [advisory] p1: consider it",
      "",
    ].join("\n"));
  });

  it("leaves out the sections that are empty", () => {
    const bare = { ...PLAN, idp: "okta", resources: [], coderEnv: [], otherOutputs: [], warnings: [], notes: [], assumptions: [],
      policies: { applied: [], violations: [] } };
    assert.equal(renderPlanText(bare), "Stack demo (idp: okta): offline plan. Nothing was contacted or changed.\n\nResources (0):\n\n" +
      "Coder settings (stack outputs):\n\nPolicies (0 applied): pass\n");
  });

  it("as JSON: each variable with its shown value, known-ness and secretness", () => {
    assert.deepEqual(planToJson(PLAN), {
      ...PLAN,
      coderEnv: {
        CODER_OIDC_ISSUER_URL: { value: "https://sso.example.com", known: true, secret: false },
        CODER_OIDC_CLIENT_ID: { value: "(known after apply)", known: false, secret: false },
        CODER_OIDC_CLIENT_SECRET: { value: "[secret]", known: true, secret: true },
        CODER_OIDC_SCOPES: { value: "", known: true, secret: false },
      },
      otherOutputs: { secretName: { value: "[secret] (known after apply)", known: false, secret: true } },
    });
    assert.equal(formatEntry({ name: "x", known: true, secret: false, value: "v" }), "v");
  });

  it("masks secrets and marks unknowns at any depth", () => {
    assert.deepEqual(printable({ a: { ...SIG, value: "s" }, b: [UNKNOWN, { __pulumiUnknown: true }, { __pulumiUnknown: false, c: 1 }], d: null, e: 3 }),
      { a: "[secret]", b: ["(known after apply)", "(known after apply)", { __pulumiUnknown: false, c: 1 }], d: null, e: 3 });
  });

  it("shows PEM text as one line: how many blocks of which kind, and a fingerprint that changes with the text", () => {
    const cert = (body: string) => `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----\n`;
    const one = printable(cert("AAAA")) as string;
    assert.match(one, /^\(PEM: 1 certificate, sha256 [0-9a-f]{16}\)$/);
    assert.notEqual(printable(cert("AAAB")), one, "another certificate, another fingerprint");
    assert.match(printable(cert("A") + cert("B")) as string, /^\(PEM: 2 certificates, sha256 [0-9a-f]{16}\)$/);
    assert.deepEqual(printable({ ca: cert("AAAA"), name: "BEGIN here" }), { ca: one, name: "BEGIN here" });
    assert.equal(printable({ ...SIG, value: cert("AAAA") }), "[secret]", "a secret PEM stays masked");
  });
});

describe("planStack, with programs of the test's own", () => {
  const config = readStackFile("dev-keycloak");

  it("sorts the Coder variables as Coder documents them, and keeps other outputs apart", async () => {
    const plan = await planStack("p", config, async () => ({
      extra: pulumi.output("x"),
      CODER_OIDC_SCOPES: pulumi.output("openid"),
      CODER_OIDC_EMAIL_FIELD: pulumi.output("upn"),
      CODER_OIDC_ISSUER_URL: pulumi.output("https://i"),
      CODER_OIDC_CLIENT_SECRET: pulumi.secret("s"),
      CODER_OIDC_CLIENT_ID: pulumi.output("c"),
      CODER_OIDC_AUTH_URL_PARAMS: pulumi.output("{}"),
      later: pulumi.secret("y"),
    }));
    assert.deepEqual(plan.coderEnv.map((e) => e.name), ["CODER_OIDC_ISSUER_URL", "CODER_OIDC_CLIENT_ID", "CODER_OIDC_CLIENT_SECRET",
      "CODER_OIDC_SCOPES", "CODER_OIDC_AUTH_URL_PARAMS", "CODER_OIDC_EMAIL_FIELD"]);
    assert.deepEqual(plan.otherOutputs, [{ name: "extra", known: true, secret: false, value: "x" }, { name: "later", known: true, secret: true, value: "y" }]);
    assert.deepEqual(plan.resources, []);
    assert.deepEqual(plan.assumptions, [], "no data source was read");
    assert.equal(plan.idp, "keycloak");
  });

  it("takes the program's warnings and notes, and fails on what it logs as an error or throws", async () => {
    const original = { warn: console.warn, log: console.log, error: console.error };
    const logged = await planStack("p", config, async () => {
      pulumi.log.warn("mind this\nand this");
      pulumi.log.info("a manual step");
      console.log("not the runtime's: passed through");
      return {};
    });
    assert.deepEqual([logged.warnings, logged.notes], [["mind this\nand this"], ["a manual step"]]);
    assert.deepEqual({ warn: console.warn, log: console.log, error: console.error }, original, "the console is put back");
    await assert.rejects(planStack("p", config, async () => {
      pulumi.log.error("the program gave up");
      return {};
    }), (err: Error) => err instanceof PlanFailedError && err.code === "ERR_PLAN_FAILED" && err.message === "the program gave up");
    await assert.rejects(planStack("p", config, async () => { throw new Error("thrown"); }), { message: "thrown" });
    await assert.rejects(planStack("p", config, async () => { throw "a string"; }), { message: "a string" });
    assert.deepEqual({ warn: console.warn, log: console.log, error: console.error }, original);
  });

  it("refuses a config that does not parse, as a plan failure", async () => {
    await assert.rejects(planStack("p", { values: { "coder-oidc:idp": "keycloak" }, secretKeys: new Set() }, async () => assert.fail("not run")),
      (err: Error) => err instanceof PlanFailedError && /^Invalid stack configuration:\n {2}- coder-oidc:coderUrl: is required/.test(err.message));
  });

  it("marks the dynamic provider's code by its length, and names the assumptions of the data sources read", async () => {
    const plan = await planStack("p", config, async () => {
      new (class Dynamic extends pulumi.CustomResource {})("pulumi-nodejs:dynamic:Resource", "r", { __provider: "exports.handler = 1;", b: 1, a: 2 });
      await pulumi.runtime.invoke("okta:group/getEveryoneGroup:getEveryoneGroup", {});
      return {};
    });
    assert.deepEqual(plan.resources, [{ type: "pulumi-nodejs:dynamic:Resource", name: "r",
      inputs: { __provider: "(serialized dynamic provider, 20 characters)", a: 2, b: 1 } }]);
    assert.deepEqual(Object.keys(plan.resources[0].inputs), ["__provider", "a", "b"]);
    assert.deepEqual(plan.assumptions, ["the Okta org has its built-in Everyone group (every org does); its id differs per org and is made up here"]);
  });
});
