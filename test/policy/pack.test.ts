import { OKTA_TYPES } from "../../idps/okta/types";
import { KEYCLOAK_TYPES } from "../../idps/keycloak/types";
import { ENTRA_TYPES } from "../../idps/entra-id/types";
import { AUTH0_TYPES } from "../../idps/auth0/types";
import assert from "node:assert/strict";
import * as path from "node:path";
import { describe, it } from "node:test";
import * as azuread from "@pulumi/azuread";
import * as auth0 from "@pulumi/auth0";
import * as keycloak from "@pulumi/keycloak";
import * as okta from "@pulumi/okta";
import { parse } from "yaml";
import * as fs from "node:fs";
import { coderOidcPolicies } from "../../policy/policies";

const POLICY_DIR = path.resolve(__dirname, "..", "..", "policy");

describe("the policy pack", () => {
  it("names every rule in kebab-case, once", () => {
    const names = coderOidcPolicies().map((p) => p.name);
    for (const name of names) assert.match(name, /^[a-z0-9]+(-[a-z0-9]+)*$/, name);
    assert.equal(new Set(names).size, names.length);
  });

  it("makes every rule mandatory but the three warnings (secret expiring soon, rotation, Google's extra scopes)", () => {
    const advisory = coderOidcPolicies().filter((p) => p.enforcementLevel !== "mandatory").map((p) => p.name).sort();
    assert.deepEqual(advisory, ["entra-secret-not-expiring-soon", "google-scopes-basic-only", "refresh-token-rotation-has-reuse-window"]);
  });

  it("gives every rule a description", () => {
    for (const p of coderOidcPolicies()) assert.ok(p.description && p.description.length > 20, p.name);
  });

  it("is a nodejs pack whose package has the version the PolicyPack constructor reads", () => {
    const manifest = parse(fs.readFileSync(path.join(POLICY_DIR, "PulumiPolicy.yaml"), "utf8")) as { runtime: string };
    assert.equal(manifest.runtime, "nodejs");
    const pkg = JSON.parse(fs.readFileSync(path.join(POLICY_DIR, "package.json"), "utf8")) as { version: string; main: string };
    assert.match(pkg.version, /^\d+\.\d+\.\d+$/);
    assert.ok(fs.existsSync(path.join(POLICY_DIR, pkg.main)));
  });
});

describe("the type tokens the policies match", () => {
  it("are the SDKs' own tokens", () => {
    const token = (cls: unknown) => (cls as { __pulumiType: string }).__pulumiType;
    assert.equal(KEYCLOAK_TYPES.client, token(keycloak.openid.Client));
    assert.equal(KEYCLOAK_TYPES.clientOptionalScopes, token(keycloak.openid.ClientOptionalScopes));
    assert.equal(KEYCLOAK_TYPES.realm, token(keycloak.Realm));
    assert.equal(ENTRA_TYPES.application, token(azuread.Application));
    assert.equal(ENTRA_TYPES.applicationPassword, token(azuread.ApplicationPassword));
    assert.equal(OKTA_TYPES.oauthApp, token(okta.app.OAuth));
    assert.equal(OKTA_TYPES.serverPolicy, token(okta.auth.ServerPolicy));
    assert.equal(OKTA_TYPES.serverPolicyRule, token(okta.auth.ServerPolicyRule));
    assert.equal(OKTA_TYPES.groupAssignment, token(okta.app.GroupAssignment));
    assert.equal(AUTH0_TYPES.client, token(auth0.Client));
    assert.equal(AUTH0_TYPES.clientCredentials, token(auth0.ClientCredentials));
    assert.equal(AUTH0_TYPES.resourceServer, token(auth0.ResourceServer));
  });
});
