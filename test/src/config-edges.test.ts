/**
 * The config contract's own tests for issue 20's rules that other test files exercise through the plan or a
 * provider (so mutation testing of src/config.ts, which counts only its own tests, sees them): secure values
 * left to the engine, coderUrl set with --secret, Okta's assignedGroups, and the edges of the issuer forms.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseStackConfig } from "../../idps/registry";
import { OFFLINE_SECRET_PLACEHOLDER as SECURE } from "../../src/provider-config";
import { configProblems, stackConfig } from "../support/program";

const CODER = { "coder-oidc:coderUrl": "https://coder.example.com" };
const TENANT = "3f2504e0-4f89-41d3-9a0c-0305e82c3301";
const ok = (values: Record<string, string>, secretKeys: string[] = []) => parseStackConfig(stackConfig(values, secretKeys));

const keycloak = (url: string, section: Record<string, unknown> = { realm: "main" }) =>
  ({ ...CODER, "coder-oidc:idp": "keycloak", "coder-oidc:keycloak": JSON.stringify(section), "keycloak:url": url });
const okta = (extra: Record<string, string>, section: Record<string, unknown> = { assignedGroups: "everyone" }) =>
  ({ ...CODER, "coder-oidc:idp": "okta", "coder-oidc:okta": JSON.stringify(section), ...extra });
const auth0 = (domain: string, section: Record<string, unknown> = {}) =>
  ({ ...CODER, "coder-oidc:idp": "auth0", "coder-oidc:auth0": JSON.stringify(section), "auth0:domain": domain });
const entra = (section: Record<string, unknown>, extra: Record<string, string> = {}) =>
  ({ ...CODER, "coder-oidc:idp": "entra-id", "coder-oidc:entraId": JSON.stringify({ secretRotation: new Date().toISOString().slice(0, 7), ...section }), ...extra });

const CODER_AUTH0 = auth0("example.us.auth0.com");

describe("secure: values read offline are left to the engine's checks", () => {
  it("keycloak:url, okta:orgName, okta:baseUrl, auth0:domain, auth0.customDomain, keycloak.issuerUrl", () => {
    assert.doesNotThrow(() => ok(keycloak(SECURE), ["keycloak:url"]));
    assert.doesNotThrow(() => ok(okta({ "okta:orgName": SECURE }), ["okta:orgName"]));
    assert.doesNotThrow(() => ok(okta({ "okta:orgName": "dev-1", "okta:baseUrl": SECURE }), ["okta:baseUrl"]));
    assert.doesNotThrow(() => ok(auth0(SECURE), ["auth0:domain"]));
    assert.doesNotThrow(() => ok(auth0("example.us.auth0.com", { customDomain: SECURE }), ["coder-oidc:auth0"]));
    assert.doesNotThrow(() => ok(keycloak("https://sso.example.com", { realm: "main", issuerUrl: SECURE }), ["coder-oidc:keycloak"]));
  });

  it("an Entra tenant: not checked as a GUID, nor compared with the other tenant key, when secret", () => {
    assert.doesNotThrow(() => ok(entra({}, { "azuread:tenantId": SECURE }), ["azuread:tenantId"]));
    assert.doesNotThrow(() => ok(entra({ tenantId: SECURE }, { "azuread:tenantId": TENANT }), ["coder-oidc:entraId"]));
    assert.doesNotThrow(() => ok(entra({ tenantId: TENANT }, { "azuread:tenantId": SECURE }), ["azuread:tenantId"]));
  });

  it("okta:baseUrl may be left out", () => {
    assert.doesNotThrow(() => ok(okta({ "okta:orgName": "dev-1" })));
  });
});

describe("coderUrl set with --secret", () => {
  it("is refused with why and the command to use, also under the engine (a real value)", () => {
    assert.ok(configProblems(CODER_AUTH0, ["coder-oidc:coderUrl"]).get("coder-oidc:coderUrl")?.includes("pulumi config set coder-oidc:coderUrl <url>"));
    assert.doesNotThrow(() => ok(CODER_AUTH0));
  });
});
describe("Okta assignedGroups", () => {
  const problem = (assignedGroups: unknown) =>
    configProblems(okta({ "okta:orgName": "dev-1" }, { assignedGroups })).get("coder-oidc:okta.assignedGroups");
  it("refuses everyone among group ids, naming the ids, and a list of only everyone", () => {
    assert.ok(problem(["00gA", " EveryOne ", "00gB"])?.includes("(00gA, 00gB)"));
    assert.ok(problem(["everyone", "EVERYONE"])?.includes("write coder-oidc:okta.assignedGroups: everyone"));
    assert.doesNotThrow(() => ok(okta({ "okta:orgName": "dev-1" }, { assignedGroups: ["00gA", "00gB"] })));
    assert.doesNotThrow(() => ok(okta({ "okta:orgName": "dev-1" }, { assignedGroups: ["everyone-team"] })));
  });
});

describe("issuer forms: edges", () => {
  it("an issuer ending in several slashes is refused with the form without any", () => {
    assert.match(configProblems(keycloak("https://sso.example.com", { realm: "main", issuerUrl: "https://kc.example.com/realms/main//" }))
      .get("coder-oidc:keycloak.issuerUrl")!, /^must be written as Keycloak publishes it, "https:\/\/kc\.example\.com\/realms\/main" /);
  });

  it("a Keycloak issuer with more path after the realm does not end in /realms/<realm>", () => {
    assert.match(configProblems(keycloak("https://sso.example.com", { realm: "main", issuerUrl: "https://kc.example.com/realms/main/x" }))
      .get("coder-oidc:keycloak.issuerUrl")!, /^must end in \/realms\/<realm>/);
  });

  it("messages name what each URL is", () => {
    assert.ok(configProblems(keycloak("nope")).get("keycloak:url")?.includes("(Keycloak base URL)"));
    const pf = { ...CODER, "coder-oidc:idp": "pingfederate",
      "coder-oidc:pingfederate": JSON.stringify({ adminUrl: "https://pf.example.com:9999/pf-admin-api/v1", issuerUrl: "nope" }) };
    assert.ok(configProblems(pf).get("coder-oidc:pingfederate.issuerUrl")?.includes("(PingFederate runtime base URL)"));
  });

  it("a custom domain that only contains auth0.com is a custom domain", () => {
    assert.doesNotThrow(() => ok(auth0("example.us.auth0.com", { customDomain: "auth0.com.example.org" })));
  });

  it("an uppercase non-GUID tenant gets the GUID problem alone", () => {
    const p = configProblems(entra({ tenantId: "NOT-A-GUID" }));
    assert.match(p.get("coder-oidc:entraId.tenantId")!, /^must be the directory \(tenant\) id, a GUID/);
  });

  it("national clouds: the messages say what to do", () => {
    const environment = configProblems(entra({ tenantId: TENANT }, { "azuread:environment": "usgovernment" })).get("azuread:environment");
    for (const what of ['"usgovernment"', "CODER_OIDC_ISSUER_URL"]) assert.ok(environment?.includes(what), what);
    assert.ok(configProblems(entra({ tenantId: TENANT }, { "azuread:metadataHost": "x.example" })).get("azuread:metadataHost")
      ?.includes("https://login.microsoftonline.com/<tenant>/v2.0"));
  });
});
