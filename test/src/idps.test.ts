import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import {
  coderAuthUrlParams, coderOrigin, coderRedirectUri, coderScopes, entraIssuerUrl, formatAuthUrlParams,
  formatCsvRecord, GOOGLE_ISSUER_URL, IDP_KINDS, IDP_SETTINGS, keycloakIssuerUrl,
} from "../../src/idps";

/** Splits one CSV record the way Go's encoding/csv (and so Coder) reads it. */
function readCsvRecord(line: string): string[] {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    let field = "";
    if (line[i] === '"') {
      i++;
      for (;;) {
        if (line[i] === '"' && line[i + 1] === '"') { field += '"'; i += 2; }
        else if (line[i] === '"') { i++; break; }
        else field += line[i++];
      }
    } else {
      while (i < line.length && line[i] !== ",") field += line[i++];
    }
    fields.push(field);
    if (i >= line.length) return fields;
    i++; // the comma
  }
}

describe("the per-IdP Coder table", () => {
  it("covers exactly the four IdPs", () => {
    assert.deepEqual(IDP_KINDS, ["keycloak", "entra-id", "google", "pingfederate"]);
    assert.deepEqual(Object.keys(IDP_SETTINGS).sort(), [...IDP_KINDS].sort());
  });

  it("gives Keycloak, Entra ID and PingFederate offline_access and access_type=offline", () => {
    for (const idp of ["keycloak", "entra-id", "pingfederate"] as const) {
      assert.equal(formatCsvRecord(coderScopes(idp)), "openid,profile,email,offline_access", idp);
      assert.equal(formatAuthUrlParams(coderAuthUrlParams(idp)), '{"access_type":"offline"}', idp);
    }
  });

  it("google omits offline_access and sends prompt=consent", () => {
    assert.equal(formatCsvRecord(coderScopes("google")), "openid,profile,email");
    assert.equal(formatAuthUrlParams(coderAuthUrlParams("google")), '{"access_type":"offline","prompt":"consent"}');
    assert.equal(IDP_SETTINGS.google.acceptsOfflineAccessScope, false);
  });

  it("appends extra scopes after the IdP's, dropping duplicates and keeping order", () => {
    assert.deepEqual(coderScopes("keycloak", ["groups", "email", "roles", "groups"]),
      ["openid", "profile", "email", "offline_access", "groups", "roles"]);
  });

  it("adds per-stack auth URL params after the table's", () => {
    assert.equal(formatAuthUrlParams(coderAuthUrlParams("google", { hd: "example.com" })),
      '{"access_type":"offline","prompt":"consent","hd":"example.com"}');
  });

  it("writes scopes as one CSV record that Coder reads back unchanged", () => {
    assert.equal(formatCsvRecord(["a,b", 'c"d', "e"]), '"a,b","c""d",e');
    assert.equal(formatCsvRecord(["a b", " c", "d "]), 'a b," c","d "', "quoted only where a reader would trim or split");
    const scope = fc.stringMatching(/^[\x21\x23-\x5B\x5D-\x7E]+$/);
    fc.assert(fc.property(fc.array(scope, { minLength: 1, maxLength: 6 }), (scopes) => {
      assert.deepEqual(readCsvRecord(formatCsvRecord(scopes)), scopes);
    }));
  });

  it("writes auth URL params as a JSON object of strings", () => {
    fc.assert(fc.property(fc.dictionary(fc.string({ minLength: 1 }).filter((k) => k !== "__proto__"), fc.string()), (params) => {
      assert.deepEqual(Object.entries(JSON.parse(formatAuthUrlParams(params)) as object), Object.entries(params));
    }));
  });
});

describe("URLs", () => {
  it("builds Coder's callback without doubled or trailing slashes", () => {
    assert.equal(coderRedirectUri("https://coder.example.com"), "https://coder.example.com/api/v2/users/oidc/callback");
    assert.equal(coderRedirectUri("https://coder.example.com///"), "https://coder.example.com/api/v2/users/oidc/callback");
    assert.equal(coderOrigin("https://coder.example.com:8443/x"), "https://coder.example.com:8443");
  });

  it("builds issuers in each IdP's form", () => {
    assert.equal(keycloakIssuerUrl("https://sso.example.com/", "", "main"), "https://sso.example.com/realms/main");
    assert.equal(keycloakIssuerUrl("https://sso.example.com", "/auth/", "main"), "https://sso.example.com/auth/realms/main");
    assert.equal(keycloakIssuerUrl("https://sso.example.com", "auth", "my realm"), "https://sso.example.com/auth/realms/my%20realm");
    assert.equal(keycloakIssuerUrl("https://sso.example.com///", "/", "main"), "https://sso.example.com/realms/main");
    assert.equal(keycloakIssuerUrl("https://sso.example.com", "//auth//", "main"), "https://sso.example.com/auth/realms/main");
    assert.equal(entraIssuerUrl("contoso-tenant"), "https://login.microsoftonline.com/contoso-tenant/v2.0");
    assert.equal(GOOGLE_ISSUER_URL, "https://accounts.google.com");
  });
});
