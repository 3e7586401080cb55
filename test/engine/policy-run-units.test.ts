/**
 * engine/policy-run.ts with rules of the test's own: what each rule is handed (type, name, URN, options, props with
 * secrets masked and unknowns as the engine's sentinel, the stack's outputs, its config), what "not applicable",
 * "disabled" and a rule that throws mean, and the report's text word for word.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ResourceValidationArgs, ResourceValidationPolicy, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { hasMandatoryViolation, policyConfigFor, policyValue, renderPolicyText, runPolicies, type PolicyViolation } from "../../engine/policy-run";
import type { StackConfig } from "../../idps/registry";

const SECRET = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: "hunter2" };
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const RESOURCES = [
  { type: "t:m:Client", name: "c", inputs: { secret: SECRET, list: [{ __pulumiUnknown: true }, 1], gone: undefined, n: { k: "v" } }, custom: true },
  { type: "t:m:Other", name: "o", inputs: {}, custom: true },
];
const OUTPUTS = [
  { name: "KNOWN", known: true, secret: false, value: "v" },
  { name: "SECRET", known: true, secret: true, value: "hidden" },
  { name: "LATER", known: false, secret: false },
];

const violation = (policy: string, resource: string, message: string, enforcementLevel: PolicyViolation["enforcementLevel"] = "mandatory") =>
  ({ policy, enforcementLevel, resource, message });

describe("runPolicies", () => {
  it("hands each resource rule what the engine would, and records what it reports", async () => {
    const seen: ResourceValidationArgs[] = [];
    const rule: ResourceValidationPolicy = {
      name: "client-rule", description: "d", enforcementLevel: "mandatory",
      validateResource: (args, report) => {
        seen.push(args);
        if (args.type === "t:m:Client") report(`bad ${args.name}`);
      },
    };
    const report = await runPolicies("dev", RESOURCES, OUTPUTS, { policies: [rule] });
    assert.deepEqual(report, { applied: ["client-rule"], violations: [violation("client-rule", "t:m:Client c", "bad c")] });
    assert.deepEqual(seen.map((a) => [a.type, a.name, a.urn]), [
      ["pulumi:pulumi:Stack", "coder-oidc-dev", "urn:pulumi:dev::coder-oidc::pulumi:pulumi:Stack::coder-oidc-dev"],
      ["t:m:Client", "c", "urn:pulumi:dev::coder-oidc::t:m:Client::c"],
      ["t:m:Other", "o", "urn:pulumi:dev::coder-oidc::t:m:Other::o"],
    ]);
    assert.deepEqual(seen[1].props, { secret: "[secret]", list: [UNKNOWN, 1], n: { k: "v" } });
    assert.deepEqual(seen[0].props, { KNOWN: "v", SECRET: "[secret]", LATER: UNKNOWN });
    assert.deepEqual(seen[1].opts, { protect: false, ignoreChanges: [], aliases: [], additionalSecretOutputs: [],
      customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 } });
    assert.equal(seen[1].isType(undefined as never), false);
    assert.equal(seen[1].asType(undefined as never), undefined);
    assert.deepEqual(seen[1].getConfig(), {});
  });

  it("runs every validator of a rule, advisory ones as advisory", async () => {
    const rule: ResourceValidationPolicy = {
      name: "two", description: "d", enforcementLevel: "advisory",
      validateResource: [
        (args, report) => { if (args.name === "o") report("first"); },
        (args, report) => { if (args.name === "o") report("second"); },
      ],
    };
    assert.deepEqual((await runPolicies("dev", RESOURCES, [], { policies: [rule] })).violations,
      [violation("two", "t:m:Other o", "first", "advisory"), violation("two", "t:m:Other o", "second", "advisory")]);
  });

  it("a rule that is not applicable to anything is not applied; a disabled one is not run; one that throws stops the plan", async () => {
    const notApplicable: ResourceValidationPolicy = { name: "na", description: "d", validateResource: (args) => args.notApplicable("not mine") };
    let ran = false;
    const disabled: ResourceValidationPolicy = { name: "off", description: "d", enforcementLevel: "disabled", validateResource: () => { ran = true; } };
    const unset: ResourceValidationPolicy = { name: "unset", description: "d", validateResource: (args, report) => { if (args.name === "c") report("x"); } };
    const report = await runPolicies("dev", RESOURCES, [], { policies: [notApplicable, disabled, unset] });
    assert.deepEqual(report, { applied: ["unset"], violations: [violation("unset", "t:m:Client c", "x")] });
    assert.equal(ran, false);
    const broken: ResourceValidationPolicy = { name: "broken", description: "d", validateResource: () => { throw new Error("rule bug"); } };
    await assert.rejects(runPolicies("dev", RESOURCES, [], { policies: [broken] }), { message: "rule bug" });
  });

  it("hands a stack rule every resource, the stack's own first, and its config", async () => {
    let seen: StackValidationArgs | undefined;
    const rule: StackValidationPolicy = {
      name: "stack-rule", description: "d",
      validateStack: (args, report) => {
        seen = args;
        report(`${args.resources.length} resources, limit ${args.getConfig<{ limit: number }>().limit}`);
      },
    };
    const report = await runPolicies("prod", RESOURCES, OUTPUTS, { policies: [rule], config: { "stack-rule": { limit: 3 } } });
    assert.deepEqual(report, { applied: ["stack-rule"], violations: [violation("stack-rule", "stack", "3 resources, limit 3")] });
    assert.deepEqual(seen!.resources.map((r) => r.urn), ["urn:pulumi:prod::coder-oidc::pulumi:pulumi:Stack::coder-oidc-prod",
      "urn:pulumi:prod::coder-oidc::t:m:Client::c", "urn:pulumi:prod::coder-oidc::t:m:Other::o"]);
    assert.deepEqual(seen!.resources[0].props, { KNOWN: "v", SECRET: "[secret]", LATER: UNKNOWN });
    assert.deepEqual([seen!.resources[1].dependencies, seen!.resources[1].propertyDependencies], [[], {}]);
    const skipped: StackValidationPolicy = { name: "skip", description: "d", validateStack: (args) => args.notApplicable() };
    assert.deepEqual(await runPolicies("prod", RESOURCES, OUTPUTS, { policies: [skipped] }), { applied: [], violations: [] });
  });

  it("runs the project's pack when given no rules", async () => {
    const client = { type: "keycloak:openid/client:Client", name: "coder-client", inputs: { accessType: "PUBLIC" }, custom: true };
    const report = await runPolicies("dev", [client], OUTPUTS);
    assert.ok(report.applied.includes("keycloak-client-confidential"), report.applied.join(", "));
    assert.ok(report.violations.some((v) => v.policy === "keycloak-client-confidential" && v.resource === "keycloak:openid/client:Client coder-client"));
  });
});

describe("what the plan makes of a report", () => {
  it("a mandatory violation fails the plan; advisories alone do not", () => {
    assert.equal(hasMandatoryViolation({ applied: [], violations: [] }), false);
    assert.equal(hasMandatoryViolation({ applied: [], violations: [violation("a", "s", "m", "advisory")] }), false);
    assert.equal(hasMandatoryViolation({ applied: [], violations: [violation("a", "s", "m", "advisory"), violation("b", "s", "m")] }), true);
  });

  it("the report as text, word for word", () => {
    assert.equal(renderPolicyText({ applied: ["a", "b"], violations: [] }), "Policies (2 applied): pass");
    assert.equal(renderPolicyText({ applied: ["a"], violations: [violation("a", "s", "fix it", "advisory")] }),
      "Policies (1 applied): pass, 1 advisory\n  ! [advisory] a: fix it");
    assert.equal(renderPolicyText({ applied: ["a", "b"], violations: [violation("a", "r", "one"), violation("b", "r", "two"), violation("a", "s", "three", "advisory"),
      violation("b", "s", "four", "advisory")] }),
    "Policies (2 applied): 2 mandatory violation(s), 2 advisory\n  ✗ [mandatory] a: one\n  ✗ [mandatory] b: two\n  ! [advisory] a: three\n  ! [advisory] b: four");
  });

  it("hands rules values the way the engine does", () => {
    assert.deepEqual(policyValue([SECRET, { a: undefined, b: [{ __pulumiUnknown: true }], c: null }, "x"]), ["[secret]", { b: [UNKNOWN], c: null }, "x"]);
  });

  it("gives the PingFederate idle rule the access-token lifetime, when the stack sets one", () => {
    assert.deepEqual(policyConfigFor({ tokens: { accessTokenLifetime: 5400 } } as unknown as StackConfig),
      { "pingfederate-client-idle-covers-access-token": { accessTokenLifetime: "90m" } });
    assert.deepEqual(policyConfigFor({ tokens: {} } as unknown as StackConfig), {});
  });
});
