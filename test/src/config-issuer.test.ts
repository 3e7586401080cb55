/**
 * The issuer's one form (issue 20, class 3): every issuer a stack outputs is in the form the IdP publishes, or
 * the config is refused with the form to write; an explicit issuer naming another realm or tenant is refused.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseStackConfig } from "../../idps/registry";
import { auth0IssuerUrl } from "../../idps/auth0/coder";
import { keycloakIssuerUrl } from "../../idps/keycloak/coder";
import { oktaIssuerUrl } from "../../idps/okta/coder";
import { configProblems, stackConfig } from "../support/program";

const CODER = { "coder-oidc:coderUrl": "https://coder.example.com" };
const TENANT = "3f2504e0-4f89-41d3-9a0c-0305e82c3301";

function keycloak(url: string, section: Record<string, unknown> = { realm: "main" }): Record<string, string> {
  return { ...CODER, "coder-oidc:idp": "keycloak", "coder-oidc:keycloak": JSON.stringify(section), "keycloak:url": url };
}
function okta(orgName: string, baseUrl?: string): Record<string, string> {
  return {
    ...CODER, "coder-oidc:idp": "okta", "coder-oidc:okta": JSON.stringify({ assignedGroups: "everyone" }), "okta:orgName": orgName,
    ...(baseUrl === undefined ? {} : { "okta:baseUrl": baseUrl }),
  };
}
function auth0(domain: string, section: Record<string, unknown> = {}): Record<string, string> {
  return { ...CODER, "coder-oidc:idp": "auth0", "coder-oidc:auth0": JSON.stringify(section), "auth0:domain": domain };
}
function entra(tenantId: string, extra: Record<string, string> = {}): Record<string, string> {
  return { ...CODER, "coder-oidc:idp": "entra-id", "coder-oidc:entraId": JSON.stringify({ tenantId, secretRotation: "2026-11" }), ...extra };
}
function pingfederate(issuerUrl: string): Record<string, string> {
  return {
    ...CODER, "coder-oidc:idp": "pingfederate",
    "coder-oidc:pingfederate": JSON.stringify({ adminUrl: "https://pf.example.com:9999/pf-admin-api/v1", issuerUrl }),
  };
}
const ok = (values: Record<string, string>) => parseStackConfig(stackConfig(values));
const CHAR_FOR_CHAR = "Coder compares CODER_OIDC_ISSUER_URL with the discovery document's issuer character for character";

describe("the issuer's one form: Keycloak", () => {
  it("refuses a keycloak:url with an uppercase host or a default port, naming the form to write", () => {
    for (const [url, form] of [
      ["https://SSO.Example.com", "https://sso.example.com"],
      ["https://sso.example.com:443", "https://sso.example.com"],
      ["HTTPS://sso.example.com/auth", "https://sso.example.com/auth"],
      ["https://sso.example.com:443/auth/", "https://sso.example.com/auth"],
    ]) {
      assert.equal(configProblems(keycloak(url)).get("keycloak:url"),
        `must be written as Keycloak publishes it, "${form}" (lowercase scheme and host, punycode for an internationalized ` +
        `host, no default port), got "${url}": ${CHAR_FOR_CHAR}`, url);
    }
  });

  it("takes a keycloak:url in its one form, with or without a trailing slash (dropped when the issuer is built)", () => {
    for (const url of ["https://sso.example.com", "https://sso.example.com/", "https://sso.example.com:8443/auth", "http://localhost:8080"]) {
      assert.doesNotThrow(() => ok(keycloak(url)), url);
    }
    assert.equal(keycloakIssuerUrl("https://sso.example.com/", "", "main"), "https://sso.example.com/realms/main");
  });

  it("refuses keycloak.issuerUrl with a trailing slash, an uppercase host or a default port", () => {
    for (const [url, form] of [
      ["https://kc.example.com/realms/main/", "https://kc.example.com/realms/main"],
      ["https://KC.example.com/realms/main", "https://kc.example.com/realms/main"],
      ["https://kc.example.com:443/realms/main", "https://kc.example.com/realms/main"],
    ]) {
      assert.equal(configProblems(keycloak("https://sso.example.com", { realm: "main", issuerUrl: url })).get("coder-oidc:keycloak.issuerUrl"),
        `must be written as Keycloak publishes it, "${form}" (lowercase scheme and host, punycode for an internationalized ` +
        `host, no default port, no trailing slash), got "${url}": ${CHAR_FOR_CHAR}`, url);
    }
    assert.equal(ok(keycloak("https://sso.example.com", { realm: "main", issuerUrl: "https://kc.example.com/auth/realms/main" })).keycloak?.issuerUrl,
      "https://kc.example.com/auth/realms/main");
  });

  it("refuses keycloak.issuerUrl naming another realm than keycloak.realm, or none", () => {
    const p = configProblems(keycloak("https://sso.example.com", { realm: "main", issuerUrl: "https://kc.example.com/auth/realms/master" }));
    assert.equal(p.get("coder-oidc:keycloak.issuerUrl"),
      'names the realm "master", not this stack\'s realm "main" (coder-oidc:keycloak.realm), whose issuer is ' +
      '"https://kc.example.com/auth/realms/main": Coder would trust another realm than the one its client is in');
    const none = configProblems(keycloak("https://sso.example.com", { realm: "main", issuerUrl: "https://kc.example.com/auth" }));
    assert.equal(none.get("coder-oidc:keycloak.issuerUrl"),
      'must end in /realms/<realm>, as Keycloak\'s issuers do, e.g. "https://kc.example.com/auth/realms/main", got "https://kc.example.com/auth"');
  });
});

describe("values set with --secret, read offline, are left to the engine's checks", () => {
  const SECURE = "offline-placeholder-for-a-secure-value";
  it("a secret azuread:tenantId is not compared with entraId.tenantId offline", () => {
    assert.doesNotThrow(() => parseStackConfig(stackConfig(entra(TENANT, { "azuread:tenantId": SECURE }), ["azuread:tenantId"])));
  });
  it("a secret google.clientId and PingFederate plugin ids pass their format checks offline", () => {
    assert.doesNotThrow(() => parseStackConfig({
      values: { ...CODER, "coder-oidc:idp": "google", "coder-oidc:google": JSON.stringify({ clientId: SECURE, clientSecret: SECURE }) },
      secretKeys: new Set(["coder-oidc:google"]), secretPaths: new Set(["coder-oidc:google.clientId", "coder-oidc:google.clientSecret"]),
    }));
    const pf = JSON.parse(pingfederate("https://sso.example.com")["coder-oidc:pingfederate"]) as Record<string, unknown>;
    assert.doesNotThrow(() => parseStackConfig(stackConfig({
      ...pingfederate("https://sso.example.com"),
      "coder-oidc:pingfederate": JSON.stringify({ ...pf, accessTokenManagerId: SECURE, oidcPolicyGroupId: SECURE }),
    }, ["coder-oidc:pingfederate"])));
  });
});

describe("the issuer's one form: PingFederate", () => {
  it("refuses an issuerUrl with a trailing slash, an uppercase host or a default port", () => {
    for (const [url, form] of [
      ["https://sso.example.com/", "https://sso.example.com"],
      ["https://SSO.example.com", "https://sso.example.com"],
      ["https://sso.example.com:443", "https://sso.example.com"],
    ]) {
      assert.match(configProblems(pingfederate(url)).get("coder-oidc:pingfederate.issuerUrl")!,
        new RegExp(`^must be written as PingFederate publishes it, "${form}" `), url);
    }
    assert.equal(ok(pingfederate("https://sso.example.com:9031")).pingfederate?.issuerUrl, "https://sso.example.com:9031");
  });
});

describe("the issuer's one form: Okta, Auth0, Entra ID", () => {
  it("refuses an uppercase okta:orgName or okta:baseUrl with the lowercase form", () => {
    assert.ok(configProblems(okta("Dev-123456")).get("okta:orgName")?.includes('"dev-123456"'));
    assert.ok(configProblems(okta("dev-123456", "OktaPreview.com")).get("okta:baseUrl")?.includes('"oktapreview.com"'));
    assert.doesNotThrow(() => ok(okta("dev-123456", "oktapreview.com")));
    assert.equal(oktaIssuerUrl("dev-123456", "okta.com", "default"), "https://dev-123456.okta.com/oauth2/default");
  });

  it("refuses an uppercase auth0:domain or auth0.customDomain with the lowercase form", () => {
    assert.ok(configProblems(auth0("Example.us.auth0.com")).get("auth0:domain")?.includes('"example.us.auth0.com"'));
    assert.ok(configProblems(auth0("example.us.auth0.com", { customDomain: "Login.Example.com" })).get("coder-oidc:auth0.customDomain")
      ?.includes('"login.example.com"'));
    assert.equal(auth0IssuerUrl("example.us.auth0.com"), "https://example.us.auth0.com/");
  });

  it("refuses an auth0.customDomain that is another tenant's Auth0 domain; takes the tenant's own and a real custom domain", () => {
    assert.equal(configProblems(auth0("example.us.auth0.com", { customDomain: "other.us.auth0.com" })).get("coder-oidc:auth0.customDomain"),
      'is another Auth0 tenant\'s domain ("other.us.auth0.com"), not a custom domain of this stack\'s tenant (auth0:domain ' +
      '"example.us.auth0.com"): Coder would trust another tenant\'s logins; set the tenant\'s own custom domain, or remove it');
    assert.doesNotThrow(() => ok(auth0("example.us.auth0.com", { customDomain: "login.example.com" })));
    assert.doesNotThrow(() => ok(auth0("example.us.auth0.com", { customDomain: "example.us.auth0.com" })));
    assert.doesNotThrow(() => ok(auth0("example.us.auth0.com", { customDomain: "login.notauth0.com" })));
    assert.match(configProblems(auth0("example.us.auth0.com", { customDomain: "auth0.com" })).get("coder-oidc:auth0.customDomain")!,
      /^is another Auth0 tenant's domain/);
  });

  it("an auth0:domain set with --secret (offline, not readable) is not compared with customDomain", () => {
    const values = auth0("offline-placeholder-for-a-secure-value", { customDomain: "other.us.auth0.com" });
    assert.doesNotThrow(() => parseStackConfig(stackConfig(values, ["auth0:domain"])));
  });

  it("refuses an uppercase Entra tenant GUID, in entraId.tenantId or azuread:tenantId, with the lowercase form", () => {
    const upper = TENANT.toUpperCase();
    assert.ok(configProblems(entra(upper)).get("coder-oidc:entraId.tenantId")?.includes(`"${TENANT}"`));
    const values = { ...CODER, "coder-oidc:idp": "entra-id", "coder-oidc:entraId": JSON.stringify({ secretRotation: "2026-11" }), "azuread:tenantId": upper };
    assert.ok(configProblems(values).get("azuread:tenantId")?.includes(`"${TENANT}"`));
    assert.doesNotThrow(() => ok(entra(TENANT)));
  });

  it("refuses a national cloud (azuread:environment, azuread:metadataHost), whose issuer is not the one output", () => {
    assert.match(configProblems(entra(TENANT, { "azuread:environment": "china" })).get("azuread:environment")!,
      /^is "china": this toolkit outputs the global cloud's issuer/);
    assert.match(configProblems(entra(TENANT, { "azuread:metadataHost": "management.azure.example" })).get("azuread:metadataHost")!,
      /^is not supported with Entra ID here/);
    assert.doesNotThrow(() => ok(entra(TENANT, { "azuread:environment": "public" })));
    assert.doesNotThrow(() => ok(entra(TENANT, { "azuread:environment": "global" })));
    assert.doesNotThrow(() => ok(entra(TENANT, { "azuread:environment": " Public " })));
    assert.doesNotThrow(() => parseStackConfig(stackConfig(entra(TENANT, { "azuread:environment": "offline-placeholder-for-a-secure-value" }),
      ["azuread:environment"])));
  });
});
