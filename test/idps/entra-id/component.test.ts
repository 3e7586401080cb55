import { OFFLINE_CALL_ANSWERS, coderRow } from "../../support/idps";
import assert from "node:assert/strict";
import { describe, it, type TestContext } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { isSecretValue, settle, revealSecrets } from "../../../engine/offline-runtime";
import { planStack, planToJson, renderPlanText } from "../../../engine/plan";
import { readStackFile, SECRET_PLACEHOLDER } from "../../../engine/stack-file";
import { EntraIdCoderClient } from "../../../idps/entra-id/component";
import { coderClientRequest } from "../../../src/coder-env";
import { parseStackConfig, type StackConfig } from "../../../idps/registry";
import { ConfigError } from "../../../src/errors";
import { configProblems, hex12, only, runProgram, visibleStrings, stackConfig, installStackMocks } from "../../support/program";

const PROVIDER = "pulumi:providers:azuread";
const APPLICATION = "azuread:index/application:Application";
const SERVICE_PRINCIPAL = "azuread:index/servicePrincipal:ServicePrincipal";
const PASSWORD = "azuread:index/applicationPassword:ApplicationPassword";
const GRANT = "azuread:index/servicePrincipalDelegatedPermissionGrant:ServicePrincipalDelegatedPermissionGrant";
const POLICY = "azuread:index/conditionalAccessPolicy:ConditionalAccessPolicy";
const GET_SERVICE_PRINCIPAL = "azuread:index/getServicePrincipal:getServicePrincipal";

const TENANT = "3f2504e0-4f89-41d3-9a0c-0305e82c3301";
const OTHER_TENANT = "9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d";
const CALLBACK = "https://coder.example.com/api/v2/users/oidc/callback";

// What the mocks make up for the program's resources (engine/offline-runtime.ts COMPUTED_OUTPUTS and ids).
const APP_ID = "coder-app-id";
const APP_CLIENT_ID = /^00000000-0000-4000-8000-[0-9a-f]{12}$/;
const PASSWORD_VALUE = "fake-password-of-coder-secret-2026-11";
const GRAPH_SP_OBJECT_ID = "33333333-0000-4000-8000-000000000003";

// Pinned on purpose, not imported: Microsoft Graph's ids (https://learn.microsoft.com/en-us/graph/permissions-reference).
const GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000";
const GRAPH_SCOPE_IDS = {
  openid: "37f7f235-527c-4136-accd-4a02d197296e",
  profile: "14dad69e-099b-42c9-810b-d002981feec1",
  email: "64a6cdd6-aab1-4aaf-94b8-3cc8405e90d0",
  offline_access: "7427e0e9-2fba-42fe-b0c0-848c9e6a8182",
};

/** A fixed "now" for tests that depend on the clock: 2026-12-15T00:00:00Z. */
const NOW = Date.UTC(2026, 11, 15);

/** Stack config for an Entra ID stack; objects become JSON text, as the engine hands them over. */
function entraStack(entraId: Record<string, unknown> = {}, overrides: Record<string, unknown> = {}): Record<string, string> {
  const values: Record<string, unknown> = {
    "coder-oidc:coderUrl": "https://coder.example.com",
    "coder-oidc:idp": "entra-id",
    "coder-oidc:entraId": { tenantId: TENANT, secretRotation: "2026-11", ...entraId },
    "azuread:clientId": "pulumi-deployer-client-id",
    "azuread:clientSecret": "azuread-admin-secret-value",
    ...overrides,
  };
  for (const [key, value] of Object.entries(values)) if (value === undefined) delete values[key];
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
}

/** The ConfigError the program (or the config contract) throws, as `key → message`. */
async function programProblems(values: Record<string, string>): Promise<Map<string, string>> {
  try {
    await runProgram(values);
  } catch (err) {
    // The component had started registering when it threw: let that finish before the next test's mocks.
    await settle();
    assert.ok(err instanceof ConfigError, `expected ConfigError, got ${String(err)}`);
    assert.equal(err.code, "ERR_CONFIG_INVALID");
    return new Map(err.problems.map((p) => [p.key, p.message]));
  }
  assert.fail("expected the stack to be rejected");
}

function parse(values: Record<string, string>, secretKeys: string[] = []): StackConfig {
  return parseStackConfig(stackConfig(values, secretKeys));
}

/** Runs the offline plan (preview mode, logs captured) for a config. */
function plan(values: Record<string, string>) {
  return planStack("test", { values, secretKeys: new Set(["azuread:clientSecret"]) });
}

describe("stack config: coder-oidc:entraId", () => {
  it("applies the documented defaults", () => {
    const config = parse(entraStack());
    assert.deepEqual(config.entraId, {
      tenantId: TENANT,
      secretRotation: "2026-11",
      signInAudience: "AzureADMyOrg",
      groupsClaim: false,
      upnAsEmail: false,
      appRoleAssignmentRequired: false,
      secretLifetime: 180 * 86400,
      grantAdminConsent: true,
    });
  });

  it("requires tenantId unless azuread:tenantId is set", () => {
    const values = entraStack({ tenantId: undefined });
    assert.equal(configProblems(values).get("coder-oidc:entraId.tenantId"), "is required unless azuread:tenantId is set");
    assert.equal(parse({ ...values, "azuread:tenantId": TENANT }).entraId!.tenantId, undefined);
  });

  it("rejects a secretLifetime over 730 days, Microsoft's limit", () => {
    assert.equal(configProblems(entraStack({ secretLifetime: "731d" })).get("coder-oidc:entraId.secretLifetime"),
      "must be at most 730d (Microsoft's limit is two years)");
    assert.equal(parse(entraStack({ secretLifetime: "730d" })).entraId!.secretLifetime, 730 * 86400);
  });

  it("rejects refresh-token lifetimes, pointing at signInFrequency", () => {
    const p = configProblems(entraStack({}, { "coder-oidc:tokens": { refreshIdleTimeout: "30d", refreshMaxLifetime: "60d" } }));
    for (const key of ["coder-oidc:tokens.refreshIdleTimeout", "coder-oidc:tokens.refreshMaxLifetime"]) {
      assert.ok(p.get(key)?.includes("coder-oidc:entraId.signInFrequency"), key);
    }
  });

  it("rejects an access-token lifetime: Entra decides it", () => {
    assert.ok(configProblems(entraStack({}, { "coder-oidc:tokens": { accessTokenLifetime: "1h" } })).has("coder-oidc:tokens.accessTokenLifetime"));
  });

  it("takes signInFrequency in whole hours or days only", () => {
    assert.equal(configProblems(entraStack({ signInFrequency: "90m" })).get("coder-oidc:entraId.signInFrequency"),
      "must be whole hours or days, e.g. 12h or 7d (Conditional Access has no finer unit)");
    assert.equal(parse(entraStack({ signInFrequency: "12h" })).entraId!.signInFrequency, 12 * 3600);
  });

  it("lists the valid signInAudience values", () => {
    assert.equal(configProblems(entraStack({ signInAudience: "Everyone" })).get("coder-oidc:entraId.signInAudience"),
      "must be one of AzureADMyOrg, AzureADMultipleOrgs, AzureADandPersonalMicrosoftAccount, PersonalMicrosoftAccount");
  });

  it("requires coder-oidc:entraId when idp is entra-id", () => {
    assert.ok(configProblems(entraStack({}, { "coder-oidc:entraId": undefined })).has("coder-oidc:entraId"));
  });

  it("rejects unknown keys in coder-oidc:entraId", () => {
    assert.equal(configProblems(entraStack({ groupClaim: true })).get("coder-oidc:entraId.groupClaim"),
      'is not a known setting (check the spelling) (did you mean "groupsClaim"?)');
  });
});

describe("EntraIdCoderClient: rules checked before anything is declared", () => {
  it("requires secretRotation, which anchors the client secret's end date", async () => {
    const p = await programProblems(entraStack({ secretRotation: undefined }));
    assert.equal(p.get("coder-oidc:entraId.secretRotation"),
      'is required with Entra ID: the UTC month or day the client secret is issued, e.g. "2026-11" or "2026-11-28"; ' +
      "the secret's endDate is that date plus secretLifetime, the same on every run, and changing it issues a new secret");
  });

  it("requires secretRotation to be a real UTC month or day", async () => {
    for (const bad of ["v2", "2026-13", "2026-02-30", "26-11"]) {
      const p = await programProblems(entraStack({ secretRotation: bad }));
      assert.equal(p.get("coder-oidc:entraId.secretRotation"),
        `must be a UTC month or day, e.g. "2026-11" or "2026-11-28", got "${bad}": it anchors the client ` +
        "secret's endDate (that date plus secretLifetime)", bad);
    }
  });

  it("rejects a secretRotation in the future", async (t: TestContext) => {
    t.mock.timers.enable({ apis: ["Date"], now: NOW });
    const p = await programProblems(entraStack({ secretRotation: "2027-01" }));
    assert.equal(p.get("coder-oidc:entraId.secretRotation"),
      'must not be in the future, got "2027-01": the client secret would outlive secretLifetime; ' +
      'set it to the month or day the secret is issued, e.g. "2026-12"');
  });

  it("rejects a secretRotation whose secret has already ended, naming the end and a value that passes", async (t: TestContext) => {
    t.mock.timers.enable({ apis: ["Date"], now: NOW });
    const p = await programProblems(entraStack({ secretRotation: "2025-01" }));
    assert.equal(p.get("coder-oidc:entraId.secretRotation"),
      'names a client secret that has already ended, on 2025-06-30T00:00:00Z ("2025-01" + secretLifetime 180d): Entra ' +
      'would issue a secret that no login can use; set it to the month or day the new secret is issued, e.g. "2026-12"');
  });

  it("requires the tenant as a GUID, since Coder matches the issuer Entra names by GUID", async () => {
    let p = await programProblems(entraStack({ tenantId: "contoso.onmicrosoft.com" }));
    assert.equal(p.get("coder-oidc:entraId.tenantId"),
      'must be the directory (tenant) id, a GUID such as 3f2504e0-4f89-41d3-9a0c-0305e82c3301, got "contoso.onmicrosoft.com": ' +
      "Entra's discovery document names its issuer by that GUID, and Coder refuses an issuer URL that differs");
    p = await programProblems(entraStack({ tenantId: undefined }, { "azuread:tenantId": "organizations" }));
    assert.match(p.get("azuread:tenantId")!, /^must be the directory \(tenant\) id, a GUID/);
  });

  it("rejects entraId.tenantId and azuread:tenantId naming different tenants", async () => {
    const p = await programProblems(entraStack({}, { "azuread:tenantId": OTHER_TENANT }));
    assert.equal(p.get("coder-oidc:entraId.tenantId"),
      `differs from azuread:tenantId ("${OTHER_TENANT}"): the app would be created in one tenant while Coder's issuer ` +
      "names another; set only one of them, or both to the same id");
    // The same tenant written in another case is the same tenant.
    await runProgram(entraStack({}, { "azuread:tenantId": TENANT.toUpperCase() }));
  });

  it("declares nothing when a rule fails", async () => {
    const mocks = await installStackMocks({ values: entraStack({ secretRotation: "soon" }) });
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    await assert.rejects((require("../../../program/index") as () => Promise<unknown>)(), ConfigError);
    await settle();
    assert.deepEqual(mocks.resources.filter((r) => r.custom), []);
  });
});

describe("EntraIdCoderClient: azuread.Provider", () => {
  it("is explicit, built from azuread:*, with credentials as secrets and booleans typed", async () => {
    const { mocks } = await runProgram(entraStack({}, { "azuread:useCli": "false", "azuread:environment": "public" }));
    const provider = only(mocks, PROVIDER);
    assert.equal(provider.name, "coder-azuread");
    assert.equal(provider.inputs.tenantId, TENANT);
    assert.equal(provider.inputs.environment, "public");
    assert.ok(isSecretValue(provider.inputs.clientSecret), "azuread:clientSecret is a secret input");
    assert.equal(revealSecrets(provider.inputs.clientSecret), "azuread-admin-secret-value");
    // The engine serializes provider inputs as strings; what matters is that "false" did not stay truthy text.
    assert.equal(String(provider.inputs.useCli), "false");
  });

  it("takes the tenant from entraId.tenantId when azuread:tenantId is unset, and from azuread:tenantId otherwise", async () => {
    let { mocks } = await runProgram(entraStack());
    assert.equal(only(mocks, PROVIDER).inputs.tenantId, TENANT);
    ({ mocks } = await runProgram(entraStack({ tenantId: undefined }, { "azuread:tenantId": OTHER_TENANT })));
    assert.equal(only(mocks, PROVIDER).inputs.tenantId, OTHER_TENANT);
  });

  it("is used by every resource and by the Microsoft Graph lookup", async () => {
    const mocks = await installStackMocks({
      values: entraStack({ signInFrequency: "12h" }),
      callResults: { [GET_SERVICE_PRINCIPAL]: OFFLINE_CALL_ANSWERS[GET_SERVICE_PRINCIPAL].result },
    });
    const callProviders: (string | undefined)[] = [];
    const call = mocks.call.bind(mocks);
    mocks.call = (args) => {
      callProviders.push(args.provider);
      return call(args);
    };
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    await (require("../../../program/index") as () => Promise<unknown>)();
    await settle();
    const managed = mocks.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"));
    assert.deepEqual(managed.map((r) => r.type).sort(), [APPLICATION, PASSWORD, POLICY, SERVICE_PRINCIPAL, GRANT].sort());
    for (const r of managed) {
      assert.match(r.provider ?? "", /::coder-oidc:providers:EntraIdCoderClient\$pulumi:providers:azuread::coder-azuread::coder-azuread-id$/, `${r.type} uses the explicit provider`);
    }
    assert.equal(callProviders.length, 1);
    assert.match(callProviders[0] ?? "", /::coder-oidc:providers:EntraIdCoderClient\$pulumi:providers:azuread::coder-azuread::coder-azuread-id$/);
  });
});

describe("EntraIdCoderClient: azuread.Application", () => {
  it("is a confidential web app with only Coder's callback and no implicit grant", async () => {
    const { mocks } = await runProgram(entraStack());
    const app = only(mocks, APPLICATION);
    assert.equal(app.name, "coder-app");
    assert.equal(app.inputs.displayName, "Coder");
    assert.equal(app.inputs.signInAudience, "AzureADMyOrg");
    assert.equal(app.inputs.fallbackPublicClientEnabled, false);
    assert.deepEqual(app.inputs.web, {
      redirectUris: [CALLBACK],
      implicitGrant: { accessTokenIssuanceEnabled: false, idTokenIssuanceEnabled: false },
    });
    assert.deepEqual(app.inputs.api, { requestedAccessTokenVersion: 2 });
  });

  it("asks Microsoft Graph for the delegated scopes openid, profile, email and offline_access", async () => {
    const { mocks } = await runProgram(entraStack());
    assert.deepEqual(only(mocks, APPLICATION).inputs.requiredResourceAccesses, [{
      resourceAppId: GRAPH_APP_ID,
      resourceAccesses: [
        { id: GRAPH_SCOPE_IDS.openid, type: "Scope" },
        { id: GRAPH_SCOPE_IDS.profile, type: "Scope" },
        { id: GRAPH_SCOPE_IDS.email, type: "Scope" },
        { id: GRAPH_SCOPE_IDS.offline_access, type: "Scope" },
      ],
    }]);
  });

  it("emits no groups or upn claim unless asked", async () => {
    const { mocks } = await runProgram(entraStack());
    const app = only(mocks, APPLICATION);
    assert.equal(app.inputs.groupMembershipClaims, undefined);
    assert.equal(app.inputs.optionalClaims, undefined);
  });

  it("emits security groups in the groups claim with groupsClaim", async () => {
    const { mocks } = await runProgram(entraStack({ groupsClaim: true }));
    assert.deepEqual(only(mocks, APPLICATION).inputs.groupMembershipClaims, ["SecurityGroup"]);
  });

  it("adds the upn ID-token claim with upnAsEmail", async () => {
    const { mocks } = await runProgram(entraStack({ upnAsEmail: true }));
    assert.deepEqual(only(mocks, APPLICATION).inputs.optionalClaims, { idTokens: [{ name: "upn", essential: false }] });
  });

  it("uses the configured display name and sign-in audience", async () => {
    const { mocks } = await runProgram(entraStack({ signInAudience: "AzureADMultipleOrgs" }, { "coder-oidc:displayName": "Coder (prod)" }));
    const app = only(mocks, APPLICATION);
    assert.equal(app.inputs.displayName, "Coder (prod)");
    assert.equal(app.inputs.signInAudience, "AzureADMultipleOrgs");
  });
});

describe("EntraIdCoderClient: azuread.ServicePrincipal", () => {
  it("is created for the app's client id, without requiring role assignment by default", async () => {
    const { mocks, outputs } = await runProgram(entraStack());
    const sp = only(mocks, SERVICE_PRINCIPAL);
    assert.equal(sp.name, "coder-sp");
    assert.match(String(sp.inputs.clientId), APP_CLIENT_ID);
    assert.equal(sp.inputs.clientId, outputs.CODER_OIDC_CLIENT_ID.value);
    assert.equal(sp.inputs.appRoleAssignmentRequired, false);
  });

  it("requires role assignment with appRoleAssignmentRequired, and warns to assign users", async () => {
    const { mocks } = await runProgram(entraStack({ appRoleAssignmentRequired: true }));
    assert.equal(only(mocks, SERVICE_PRINCIPAL).inputs.appRoleAssignmentRequired, true);
    const { warnings } = await plan(entraStack({ appRoleAssignmentRequired: true }));
    assert.ok(warnings.includes("coder-oidc:entraId.appRoleAssignmentRequired is true: only users and groups assigned to the " +
      "enterprise application can sign in to Coder; assign them (Entra admin center > Enterprise applications > Users and groups)."),
    warnings.join("\n"));
  });
});

describe("EntraIdCoderClient: azuread.ApplicationPassword", () => {
  it("belongs to the application's resource id, not its client id", async () => {
    const { mocks, outputs } = await runProgram(entraStack());
    const password = only(mocks, PASSWORD);
    assert.equal(password.name, "coder-secret-2026-11");
    assert.equal(password.inputs.applicationId, APP_ID);
    assert.notEqual(password.inputs.applicationId, outputs.CODER_OIDC_CLIENT_ID.value);
  });

  it("ends secretLifetime after secretRotation, written as RFC 3339 UTC without fractions", async (t: TestContext) => {
    t.mock.timers.enable({ apis: ["Date"], now: NOW });
    const cases: [Record<string, unknown>, string][] = [
      [{ secretRotation: "2026-11" }, "2027-04-30T00:00:00Z"], // default 180d
      [{ secretRotation: "2026-11-15", secretLifetime: "730d" }, "2028-11-14T00:00:00Z"],
      [{ secretRotation: "2026-02", secretLifetime: "90d" }, "2026-05-02T00:00:00Z"],
      [{ secretRotation: "2026-11-28", secretLifetime: "36h" }, "2026-11-29T12:00:00Z"],
    ];
    for (const [entraId, endDate] of cases) {
      // Judged on the day the secret is issued: a secret that has ended by now is refused (its own test).
      t.mock.timers.setTime(Date.parse(`${String(entraId.secretRotation)}${String(entraId.secretRotation).length === 7 ? "-01" : ""}T00:00:00Z`));
      const { mocks, outputs } = await runProgram(entraStack(entraId));
      assert.equal(only(mocks, PASSWORD).inputs.endDate, endDate, JSON.stringify(entraId));
      assert.equal(outputs.entraClientSecretEndDate.value, endDate);
    }
  });

  it("sends the same endDate on every run, whatever the clock says", async (t: TestContext) => {
    const endDates: unknown[] = [];
    t.mock.timers.enable({ apis: ["Date"], now: Date.UTC(2026, 10, 1) });
    endDates.push(only((await runProgram(entraStack())).mocks, PASSWORD).inputs.endDate);
    t.mock.timers.setTime(Date.UTC(2027, 2, 31, 23, 59, 59));
    endDates.push(only((await runProgram(entraStack())).mocks, PASSWORD).inputs.endDate);
    t.mock.timers.reset();
    endDates.push(only((await runProgram(entraStack())).mocks, PASSWORD).inputs.endDate);
    assert.deepEqual(endDates, ["2027-04-30T00:00:00Z", "2027-04-30T00:00:00Z", "2027-04-30T00:00:00Z"]);
  });

  it("rotates only when secretRotation changes: it is the rotation trigger and names the secret", async (t: TestContext) => {
    t.mock.timers.enable({ apis: ["Date"], now: Date.UTC(2027, 0, 15) });
    const before = only((await runProgram(entraStack())).mocks, PASSWORD).inputs;
    const again = only((await runProgram(entraStack())).mocks, PASSWORD).inputs;
    assert.deepEqual(again, before);
    assert.deepEqual(before.rotateWhenChanged, { secretRotation: "2026-11" });
    assert.equal(before.displayName, "Coder OIDC client secret (2026-11)");
    const rotated = only((await runProgram(entraStack({ secretRotation: "2027-01" }))).mocks, PASSWORD).inputs;
    assert.deepEqual(rotated.rotateWhenChanged, { secretRotation: "2027-01" });
    assert.equal(rotated.endDate, "2027-06-30T00:00:00Z");
  });

  it("warns, with the fix, when the client secret expires within 30 days", async (t: TestContext) => {
    t.mock.timers.enable({ apis: ["Date"], now: NOW });
    let { warnings } = await plan(entraStack({ secretRotation: "2026-11", secretLifetime: "60d" }));
    assert.ok(warnings.includes(
      'The Entra ID client secret expires in 16 days, on 2026-12-31T00:00:00Z (coder-oidc:entraId.secretRotation "2026-11" ' +
      '+ secretLifetime 60d). Rotate it: set coder-oidc:entraId.previousSecretRotation to "2026-11" and secretRotation ' +
      'to "2026-12", run pulumi up, and give Coder the new CODER_OIDC_CLIENT_SECRET; until then Coder can neither log ' +
      "anyone in nor refresh their tokens."),
      warnings.join("\n"));
    ({ warnings } = await plan(entraStack({ secretRotation: "2026-12" })));
    assert.deepEqual(warnings, []);
  });

  it("warns from 29 days left, not at 30, and says expires (not expired) on the last day", async (t: TestContext) => {
    t.mock.timers.enable({ apis: ["Date"], now: NOW }); // 2026-12-15; "2026-11" is 2026-11-01, 44 days before
    const expiry = (warnings: readonly string[]) => warnings.filter((w) => w.startsWith("The Entra ID client secret"));
    assert.deepEqual(expiry((await plan(entraStack({ secretRotation: "2026-11", secretLifetime: "74d" }))).warnings), []);
    assert.match(expiry((await plan(entraStack({ secretRotation: "2026-11", secretLifetime: "73d" }))).warnings)[0],
      /^The Entra ID client secret expires in 29 days, on 2027-01-13T00:00:00Z /);
    assert.match(expiry((await plan(entraStack({ secretRotation: "2026-11", secretLifetime: "1068h" }))).warnings)[0],
      /^The Entra ID client secret expires in 0 days, on 2026-12-15T12:00:00Z /);
  });
});

describe("EntraIdCoderClient: the rotation the expiry warning suggests", () => {
  it("names the day the new secret is issued when no date later than the current one works yet", async (t: TestContext) => {
    t.mock.timers.enable({ apis: ["Date"], now: NOW });
    const today = new Date(NOW).toISOString().slice(0, 10);
    const [warning] = (await plan(entraStack({ secretRotation: today, secretLifetime: "20d" }))).warnings
      .filter((w) => w.startsWith("The Entra ID client secret"));
    assert.ok(warning.includes(`set coder-oidc:entraId.previousSecretRotation to "${today}" and secretRotation to the day the new ` +
      "secret is issued, run pulumi up"), warning);
  });
});

describe("EntraIdCoderClient: secret rotation without downtime (two staggered passwords)", () => {
  it("keeps the previous password, with its own end date, next to the new one", async (t: TestContext) => {
    t.mock.timers.enable({ apis: ["Date"], now: NOW });
    const { mocks, outputs } = await runProgram(entraStack({ secretRotation: "2026-12", previousSecretRotation: "2026-11" }));
    const passwords = mocks.ofType(PASSWORD).map((r) => ({ name: r.name, ...r.inputs })).sort((a, b) => a.name.localeCompare(b.name));
    assert.deepEqual(passwords, [
      {
        name: "coder-secret-2026-11", applicationId: APP_ID, displayName: "Coder OIDC client secret (2026-11)",
        endDate: "2027-04-30T00:00:00Z", rotateWhenChanged: { secretRotation: "2026-11" },
      },
      {
        name: "coder-secret-2026-12", applicationId: APP_ID, displayName: "Coder OIDC client secret (2026-12)",
        endDate: "2027-05-30T00:00:00Z", rotateWhenChanged: { secretRotation: "2026-12" },
      },
    ]);
    assert.deepEqual(outputs.CODER_OIDC_CLIENT_SECRET, { known: true, secret: true, value: "fake-password-of-coder-secret-2026-12" });
    assert.equal(outputs.entraClientSecretEndDate.value, "2027-05-30T00:00:00Z");
    assert.equal(outputs.entraPreviousClientSecretEndDate.value, "2027-04-30T00:00:00Z");
  });

  it("declares the password Coder uses under the same name before and after a rotation, so it is never replaced", async (t: TestContext) => {
    t.mock.timers.enable({ apis: ["Date"], now: NOW });
    const before = only((await runProgram(entraStack({ secretRotation: "2026-11" }))).mocks, PASSWORD);
    const during = (await runProgram(entraStack({ secretRotation: "2026-12", previousSecretRotation: "2026-11" }))).mocks.ofType(PASSWORD);
    const kept = during.find((r) => r.name === before.name);
    assert.ok(kept, "the old password is still declared");
    assert.deepEqual(kept.inputs, before.inputs);
    const after = only((await runProgram(entraStack({ secretRotation: "2026-12" }))).mocks, PASSWORD);
    assert.equal(after.name, "coder-secret-2026-12");
  });

  it("aliases the oldest password to coder-secret, the single password of earlier versions", async () => {
    const aliasesOf = async (entraId: Record<string, unknown>) => {
      await installStackMocks({ values: entraStack(entraId) });
      const config = parseStackConfig(stackConfig(entraStack(entraId)));
      const seen = new Map<string, unknown>();
      new EntraIdCoderClient("coder", { request: coderClientRequest(config, coderRow(config.idp)), settings: config.entraId!, connection: config.providers.azuread }, {
        transformations: [(args) => {
          if (args.type === PASSWORD) seen.set(args.name, args.opts.aliases);
          return undefined;
        }],
      });
      await settle();
      return Object.fromEntries(seen);
    };
    assert.deepEqual(await aliasesOf({}), { "coder-secret-2026-11": [{ name: "coder-secret" }] });
    assert.deepEqual(await aliasesOf({ secretRotation: "2026-11", previousSecretRotation: "2026-10" }), {
      "coder-secret-2026-10": [{ name: "coder-secret" }],
      "coder-secret-2026-11": undefined,
    });
  });

  it("says in the plan which secret Coder should use and when the old one goes", async (t: TestContext) => {
    t.mock.timers.enable({ apis: ["Date"], now: NOW });
    let { notes } = await plan(entraStack({ secretRotation: "2026-12", previousSecretRotation: "2026-11" }));
    assert.deepEqual(notes, [
      'Entra ID: Coder should use the client secret of secretRotation "2026-12" (CODER_OIDC_CLIENT_SECRET, ends ' +
      '2027-05-30T00:00:00Z). The previous one, of "2026-11", keeps working until 2027-04-30T00:00:00Z at the latest: ' +
      "remove coder-oidc:entraId.previousSecretRotation once every Coder replica runs with the new secret, and the next " +
      "pulumi up deletes it.",
    ]);
    ({ notes } = await plan(entraStack({ secretRotation: "2026-11" })));
    assert.deepEqual(notes, [
      'Entra ID: Coder uses the client secret of secretRotation "2026-11" (CODER_OIDC_CLIENT_SECRET, ends 2027-04-30T00:00:00Z). ' +
      'To rotate without signing anyone out, set coder-oidc:entraId.previousSecretRotation to "2026-11" and secretRotation ' +
      'to the new month (e.g. "2026-12") in the same change: both secrets then work until you remove previousSecretRotation.',
    ]);
  });

  it("warns when the previous secret has expired: it is of no use any more", async (t: TestContext) => {
    t.mock.timers.enable({ apis: ["Date"], now: NOW });
    const { warnings, notes } = await plan(entraStack({ secretRotation: "2026-11", previousSecretRotation: "2026-05", secretLifetime: "180d" }));
    assert.deepEqual(warnings, [
      'The previous Entra ID client secret, of coder-oidc:entraId.previousSecretRotation "2026-05", expired on ' +
      "2026-10-28T00:00:00Z: nothing can use it any more; remove previousSecretRotation, and the next pulumi up deletes it.",
    ]);
    assert.deepEqual(notes, []);
  });

  it("counts the previous secret expired from the second it ends", async (t: TestContext) => {
    t.mock.timers.enable({ apis: ["Date"], now: NOW }); // 2026-11-01 + 44d is NOW exactly
    const { warnings } = await plan(entraStack({ secretRotation: "2026-12", previousSecretRotation: "2026-11", secretLifetime: "44d" }));
    assert.ok(warnings.includes('The previous Entra ID client secret, of coder-oidc:entraId.previousSecretRotation "2026-11", expired on ' +
      "2026-12-15T00:00:00Z: nothing can use it any more; remove previousSecretRotation, and the next pulumi up deletes it."), warnings.join("\n"));
  });

  it("rejects a previousSecretRotation that is not a month or day, or not earlier than secretRotation", () => {
    assert.equal(configProblems(entraStack({ previousSecretRotation: "last" })).get("coder-oidc:entraId.previousSecretRotation"),
      'must be a UTC month or day, e.g. "2026-11" or "2026-11-28", got "last": the secretRotation value before the last ' +
      "rotation, whose secret is kept until Coder has the new one");
    for (const same of ["2026-11", "2026-12"]) {
      assert.equal(configProblems(entraStack({ previousSecretRotation: same })).get("coder-oidc:entraId.previousSecretRotation"),
        `must be earlier than secretRotation ("2026-11"), got "${same}": it names the secret being replaced`);
    }
  });
});

describe("EntraIdCoderClient: admin consent", () => {
  it("grants the four Graph scopes tenant-wide, from Coder's service principal to Graph's", async () => {
    const { mocks } = await runProgram(entraStack());
    const grant = only(mocks, GRANT);
    assert.equal(grant.name, "coder-admin-consent");
    assert.deepEqual(grant.inputs.claimValues, ["openid", "profile", "email", "offline_access"]);
    assert.equal(grant.inputs.servicePrincipalObjectId, "22222222-0000-4000-8000-" + hex12("coder-sp"));
    assert.equal(grant.inputs.resourceServicePrincipalObjectId, GRAPH_SP_OBJECT_ID);
    assert.equal(grant.inputs.userObjectId, undefined, "no user: consent for the whole tenant");
    const lookup = mocks.calls.filter((c) => c.token === GET_SERVICE_PRINCIPAL);
    assert.deepEqual(lookup.map((c) => c.inputs.clientId), [GRAPH_APP_ID]);
  });

  it("looks Graph up instead of adopting it, so destroy can never delete Graph's service principal", async () => {
    const { mocks } = await runProgram(entraStack());
    assert.deepEqual(mocks.ofType(SERVICE_PRINCIPAL).map((r) => r.inputs.clientId === GRAPH_APP_ID), [false]);
  });

  it("is left out with grantAdminConsent: false", async () => {
    const { mocks } = await runProgram(entraStack({ grantAdminConsent: false }));
    assert.deepEqual(mocks.ofType(GRANT), []);
    assert.deepEqual(mocks.calls.filter((c) => c.token === GET_SERVICE_PRINCIPAL), []);
  });

  it("warns when the tenant's Graph publishes other scope ids than the pinned ones", async (t: TestContext) => {
    t.mock.timers.enable({ apis: ["Date"], now: NOW }); // while the example secret is far from expiry
    const graph = OFFLINE_CALL_ANSWERS[GET_SERVICE_PRINCIPAL].result;
    await installStackMocks({
      values: entraStack(),
      callResults: {
        [GET_SERVICE_PRINCIPAL]: (inputs) => {
          const answer = graph(inputs);
          return { ...answer, oauth2PermissionScopeIds: { ...(answer.oauth2PermissionScopeIds as object),
            email: "00000000-0000-0000-0000-00000000e3a1", profile: "00000000-0000-0000-0000-0000000000f1" } };
        },
      },
    });
    const warnings = await captureWarnings(async () => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      await (require("../../../program/index") as () => Promise<unknown>)();
      await settle();
    });
    assert.deepEqual(warnings, [
      "Microsoft Graph in this tenant publishes other permission ids than the pinned ones for profile, email " +
      `(profile: 00000000-0000-0000-0000-0000000000f1 here, ${GRAPH_SCOPE_IDS.profile} pinned; ` +
      `email: 00000000-0000-0000-0000-00000000e3a1 here, ${GRAPH_SCOPE_IDS.email} pinned): the app's ` +
      "requiredResourceAccesses may not grant them; check the tenant and update idps/entra-id/component.ts.",
    ]);
  });
});

describe("EntraIdCoderClient: Conditional Access sign-in frequency", () => {
  it("is not declared without signInFrequency", async () => {
    const { mocks } = await runProgram(entraStack());
    assert.deepEqual(mocks.ofType(POLICY), []);
  });

  it("applies to this application only, for every user, with the configured frequency", async () => {
    const { mocks, outputs } = await runProgram(entraStack({ signInFrequency: "12h" }));
    const policy = only(mocks, POLICY);
    assert.equal(policy.name, "coder-sign-in-frequency");
    assert.equal(policy.inputs.state, "enabled");
    assert.equal(policy.inputs.displayName, "Coder (coder.example.com): sign in every 12 hours");
    assert.deepEqual(policy.inputs.conditions, {
      clientAppTypes: ["all"],
      applications: { includedApplications: [outputs.CODER_OIDC_CLIENT_ID.value] },
      users: { includedUsers: ["All"] },
    });
    assert.deepEqual(policy.inputs.sessionControls, {
      signInFrequency: 12,
      signInFrequencyPeriod: "hours",
      signInFrequencyInterval: "timeBased",
      signInFrequencyAuthenticationType: "primaryAndSecondaryAuthentication",
    });
    assert.equal(policy.inputs.grantControls, undefined);
  });

  it("counts in days when the frequency is whole days", async () => {
    for (const [frequency, value, period] of [["7d", 7, "days"], ["24h", 1, "days"], ["36h", 36, "hours"]] as const) {
      const { mocks } = await runProgram(entraStack({ signInFrequency: frequency }));
      const controls = only(mocks, POLICY).inputs.sessionControls as Record<string, unknown>;
      assert.deepEqual([controls.signInFrequency, controls.signInFrequencyPeriod], [value, period], frequency);
    }
  });
});

describe("EntraIdCoderClient: Coder settings", () => {
  it("outputs the exact Coder variables", async () => {
    const { outputs } = await runProgram(entraStack());
    assert.equal(outputs.CODER_OIDC_ISSUER_URL.value, `https://login.microsoftonline.com/${TENANT}/v2.0`);
    assert.match(String(outputs.CODER_OIDC_CLIENT_ID.value), APP_CLIENT_ID);
    assert.equal(outputs.CODER_OIDC_SCOPES.value, "openid,profile,email,offline_access");
    assert.equal(outputs.CODER_OIDC_AUTH_URL_PARAMS.value, '{"access_type":"offline"}');
    assert.deepEqual(outputs.CODER_OIDC_CLIENT_SECRET, { known: true, secret: true, value: PASSWORD_VALUE });
    assert.equal(outputs.CODER_OIDC_GROUP_FIELD, undefined);
    assert.equal(outputs.CODER_OIDC_EMAIL_FIELD, undefined);
    assert.equal(outputs.CODER_OIDC_EMAIL_DOMAIN, undefined);
    assert.equal(outputs.entraApplicationObjectId.value, "11111111-0000-4000-8000-" + hex12("coder-app"));
  });

  it("builds the issuer from azuread:tenantId when entraId has none", async () => {
    const { outputs } = await runProgram(entraStack({ tenantId: undefined }, { "azuread:tenantId": OTHER_TENANT }));
    assert.equal(outputs.CODER_OIDC_ISSUER_URL.value, `https://login.microsoftonline.com/${OTHER_TENANT}/v2.0`);
  });

  it("sets CODER_OIDC_GROUP_FIELD=groups with groupsClaim and CODER_OIDC_EMAIL_FIELD=upn with upnAsEmail", async () => {
    const { outputs } = await runProgram(entraStack({ groupsClaim: true, upnAsEmail: true }));
    assert.equal(outputs.CODER_OIDC_GROUP_FIELD.value, "groups");
    assert.equal(outputs.CODER_OIDC_EMAIL_FIELD.value, "upn");
  });

  it("appends extraScopes, and warns that this stack does not consent to them", async () => {
    const values = entraStack({}, { "coder-oidc:extraScopes": ["User.Read", "email"] });
    const { outputs } = await runProgram(values);
    assert.equal(outputs.CODER_OIDC_SCOPES.value, "openid,profile,email,offline_access,User.Read");
    const { warnings } = await plan(entraStack({}, { "coder-oidc:extraScopes": ["User.Read", "Mail.Read"] }));
    assert.ok(warnings.includes("coder-oidc:extraScopes asks Entra ID for User.Read, Mail.Read, which this stack neither declares " +
      "as Graph permissions nor consents to: users may be asked to consent, or be refused if user consent is disabled. " +
      '(Entra ID has no "groups" scope: set coder-oidc:entraId.groupsClaim instead.)'), warnings.join("\n"));
  });

  it("warns that a multi-tenant audience still signs in through this tenant's issuer only", async () => {
    const { warnings } = await plan(entraStack({ signInAudience: "AzureADMultipleOrgs" }));
    assert.ok(warnings.includes(`coder-oidc:entraId.signInAudience is AzureADMultipleOrgs, but Coder's issuer is tenant ${TENANT}'s: ` +
      "only accounts that sign in through this tenant (members and guests) can log in to Coder."), warnings.join("\n"));
  });

  it("marks the client id and secret unknown during preview, the secret still secret", async () => {
    const { outputs } = await runProgram(entraStack(), { preview: true });
    assert.deepEqual(outputs.CODER_OIDC_CLIENT_SECRET, { known: false, secret: true });
    assert.equal(outputs.CODER_OIDC_CLIENT_ID.known, false);
    assert.equal(outputs.CODER_OIDC_ISSUER_URL.value, `https://login.microsoftonline.com/${TENANT}/v2.0`);
  });
});

describe("EntraIdCoderClient: secrets", () => {
  it("never puts the client secret or the admin credential in plaintext in an output or a non-secret input", async () => {
    const run = await runProgram(entraStack({ groupsClaim: true, signInFrequency: "7d" }), { secretKeys: ["azuread:clientSecret"] });
    const { outputs } = run;
    const visible = visibleStrings(run);
    assert.ok(visible.length > 20);
    for (const secret of [PASSWORD_VALUE, "azuread-admin-secret-value"]) {
      assert.ok(!visible.some((v) => v.includes(secret)), `${secret} leaked`);
    }
    const secretOutputs = Object.entries(outputs).filter(([, o]) => o.secret).map(([name]) => name);
    assert.deepEqual(secretOutputs, ["CODER_OIDC_CLIENT_SECRET"]);
  });

  it("keeps azuread credentials secret even when they were set without --secret", async () => {
    const { mocks } = await runProgram(entraStack({}, { "azuread:clientCertificatePassword": "cert-pass", "azuread:oidcToken": "oidc-token" }));
    const provider = only(mocks, PROVIDER);
    for (const key of ["clientSecret", "clientCertificatePassword", "oidcToken"]) {
      assert.ok(isSecretValue(provider.inputs[key]), `${key} is secret`);
    }
  });
});

describe("stacks/Pulumi.prod-entra.yaml", () => {
  it("plans offline: every resource, the right Coder settings, no warnings", async (t: TestContext) => {
    // The example's secret is issued 2026-11 and lives 180 days: plan it at a time it is valid.
    t.mock.timers.enable({ apis: ["Date"], now: NOW });
    const file = readStackFile("prod-entra");
    assert.deepEqual([...file.secretKeys], ["azuread:clientSecret"]);
    const result = await planStack("prod-entra", file);
    assert.deepEqual(result.resources.map((r) => `${r.type} ${r.name}`).sort(), [
      "coder-oidc:providers:EntraIdCoderClient coder",
      `${PROVIDER} coder-azuread`,
      `${APPLICATION} coder-app`,
      `${PASSWORD} coder-secret-2026-11`,
      `${SERVICE_PRINCIPAL} coder-sp`,
      `${POLICY} coder-sign-in-frequency`,
      `${GRANT} coder-admin-consent`,
    ].sort());
    const env = Object.fromEntries(result.coderEnv.map((e) => [e.name, e]));
    assert.equal(env.CODER_OIDC_ISSUER_URL.value, "https://login.microsoftonline.com/00000000-0000-4000-8000-00000000e17a/v2.0");
    assert.equal(env.CODER_OIDC_SCOPES.value, "openid,profile,email,offline_access");
    assert.equal(env.CODER_OIDC_AUTH_URL_PARAMS.value, '{"access_type":"offline"}');
    assert.equal(env.CODER_OIDC_GROUP_FIELD.value, "groups");
    assert.equal(env.CODER_OIDC_CLIENT_SECRET.secret, true);
    const password = result.resources.find((r) => r.type === PASSWORD)!;
    assert.equal(password.inputs.endDate, "2027-04-30T00:00:00Z");
    assert.deepEqual(result.warnings, []);
    for (const shown of [renderPlanText(result), JSON.stringify(planToJson(result))]) {
      assert.ok(!shown.includes(SECRET_PLACEHOLDER), "the admin credential (the secure: placeholder) is never shown");
    }
  });
});

/** Runs `body` with pulumi.log.warn recorded instead of printed. */
async function captureWarnings(body: () => Promise<void>): Promise<string[]> {
  const warnings: string[] = [];
  const original = pulumi.log.warn;
  (pulumi.log as { warn: typeof pulumi.log.warn }).warn = async (message: string) => {
    warnings.push(message);
  };
  try {
    await body();
  } finally {
    (pulumi.log as { warn: typeof pulumi.log.warn }).warn = original;
  }
  return warnings;
}
