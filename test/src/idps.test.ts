import { IDP_KINDS, IDP_SETTINGS, coderRow } from "../support/idps";
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { coderAuthUrlParams, coderOrigin, coderRedirectUri, coderScopes, formatAuthUrlParams, formatCsvRecord, rotationWarning } from "../../src/coder-table";
import { entraIssuerUrl, GRAPH_DELEGATED_SCOPE_IDS, MICROSOFT_GRAPH_APP_ID } from "../../idps/entra-id/coder";
import { auth0IssuerUrl } from "../../idps/auth0/coder";
import { GOOGLE_ISSUER_URL } from "../../idps/google/coder";
import { keycloakIssuerUrl } from "../../idps/keycloak/coder";
import { oktaIssuerUrl } from "../../idps/okta/coder";
import { type RefreshTokenRotationSupport } from "../../src/idp";

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
  it("covers exactly the six IdPs", () => {
    assert.deepEqual(IDP_KINDS, ["keycloak", "entra-id", "google", "pingfederate", "okta", "auth0"]);
    assert.deepEqual(Object.keys(IDP_SETTINGS).sort(), [...IDP_KINDS].sort());
  });

  it("gives Keycloak, Entra ID, PingFederate, Okta and Auth0 offline_access and access_type=offline", () => {
    for (const idp of ["keycloak", "entra-id", "pingfederate", "okta", "auth0"] as const) {
      assert.equal(formatCsvRecord(coderScopes(coderRow(idp))), "openid,profile,email,offline_access", idp);
      assert.equal(formatAuthUrlParams(coderAuthUrlParams(coderRow(idp))), '{"access_type":"offline"}', idp);
    }
  });

  it("google omits offline_access and sends prompt=consent", () => {
    assert.equal(formatCsvRecord(coderScopes(coderRow("google"))), "openid,profile,email");
    assert.equal(formatAuthUrlParams(coderAuthUrlParams(coderRow("google"))), '{"access_type":"offline","prompt":"consent"}');
    assert.equal(IDP_SETTINGS.google.acceptsOfflineAccessScope, false);
  });

  it("appends extra scopes after the IdP's, dropping duplicates and keeping order", () => {
    assert.deepEqual(coderScopes(coderRow("keycloak"), ["groups", "email", "roles", "groups"]),
      ["openid", "profile", "email", "offline_access", "groups", "roles"]);
  });

  it("adds per-stack auth URL params after the table's", () => {
    assert.equal(formatAuthUrlParams(coderAuthUrlParams(coderRow("google"), { hd: "example.com" })),
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
    assert.equal(oktaIssuerUrl("dev-123456", "okta.com", "org"), "https://dev-123456.okta.com");
    assert.equal(oktaIssuerUrl("dev-123456", "oktapreview.com/", "default"), "https://dev-123456.oktapreview.com/oauth2/default");
    assert.equal(oktaIssuerUrl("acme", "okta-emea.com", "aus1a2b3c4d5E6f7g8"), "https://acme.okta-emea.com/oauth2/aus1a2b3c4d5E6f7g8");
    // Every leading dot and trailing slash goes, and nothing else.
    assert.equal(oktaIssuerUrl("acme", "..okta.com//", "org"), "https://acme.okta.com");
    assert.equal(oktaIssuerUrl("acme", "okta.com/x/", "org"), "https://acme.okta.com/x");
  });

  it("writes Auth0's issuer with the trailing slash of its discovery document, exactly once", () => {
    assert.equal(auth0IssuerUrl("example.us.auth0.com"), "https://example.us.auth0.com/");
    assert.equal(auth0IssuerUrl("login.example.com/"), "https://login.example.com/");
    assert.equal(auth0IssuerUrl("login.example.com///"), "https://login.example.com/");
  });
});

describe("refresh-token rotation in the per-IdP table", () => {
  const rotation = (idp: (typeof IDP_KINDS)[number]): RefreshTokenRotationSupport => IDP_SETTINGS[idp].rotation;

  it("lets rotation be switched on only where a non-zero reuse window can be set with it", () => {
    assert.deepEqual(IDP_KINDS.filter((idp) => rotation(idp).reuseWindow !== undefined), ["pingfederate", "okta", "auth0"]);
    for (const idp of IDP_KINDS) {
      const { control, reuseWindow, refusal } = rotation(idp);
      if (reuseWindow) {
        assert.equal(control, "client", idp);
        assert.ok(reuseWindow.minSeconds >= 1 && reuseWindow.minSeconds <= reuseWindow.maxSeconds, idp);
        assert.equal(refusal, undefined, idp);
      } else {
        assert.ok(refusal && refusal.length > 40, `${idp} says why rotation cannot be on`);
      }
    }
  });

  it("holds each IdP's documented reuse-window range", () => {
    assert.deepEqual([rotation("okta").reuseWindow?.minSeconds, rotation("okta").reuseWindow?.maxSeconds], [1, 60]);
    assert.deepEqual([rotation("pingfederate").reuseWindow?.minSeconds, rotation("pingfederate").reuseWindow?.maxSeconds], [1, 2_147_483_647]);
    assert.equal(rotation("auth0").reuseWindow?.minSeconds, 1);
    assert.equal(rotation("keycloak").control, "realm");
  });
});

describe("Microsoft Graph's well-known ids", () => {
  it("are the ids Microsoft publishes, the same in every tenant", () => {
    // https://learn.microsoft.com/en-us/graph/permissions-reference
    assert.equal(MICROSOFT_GRAPH_APP_ID, "00000003-0000-0000-c000-000000000000");
    assert.deepEqual(GRAPH_DELEGATED_SCOPE_IDS, {
      openid: "37f7f235-527c-4136-accd-4a02d197296e",
      profile: "14dad69e-099b-42c9-810b-d002981feec1",
      email: "64a6cdd6-aab1-4aaf-94b8-3cc8405e90d0",
      offline_access: "7427e0e9-2fba-42fe-b0c0-848c9e6a8182",
    });
  });
});

describe("rotationWarning", () => {
  it("names the IdP, the reuse window, the open Coder issue and the way back", () => {
    assert.equal(rotationWarning(coderRow("pingfederate"), "30s"),
      "PingFederate rotates Coder's refresh tokens, with a 30s reuse window in which the previous one still works: " +
      "Coder's handling of rotating refresh tokens is still open (coder/coder#25275); if users are signed out after a " +
      "refresh, set coder-oidc:refreshTokenRotation to off.");
  });
});
