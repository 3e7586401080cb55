import assert from "node:assert/strict";
import * as path from "node:path";
import { describe, it } from "node:test";
import * as azuread from "@pulumi/azuread";
import * as keycloak from "@pulumi/keycloak";
import { parse } from "yaml";
import * as fs from "node:fs";
import { coderOidcPolicies } from "../../policy/policies";
import { ResourceType } from "../../src/resource-types";

const POLICY_DIR = path.resolve(__dirname, "..", "..", "policy");

describe("the policy pack", () => {
  it("names every rule in kebab-case, once", () => {
    const names = coderOidcPolicies().map((p) => p.name);
    for (const name of names) assert.match(name, /^[a-z0-9]+(-[a-z0-9]+)*$/, name);
    assert.equal(new Set(names).size, names.length);
  });

  it("makes every rule mandatory but the two warnings (secret expiring soon, rotation)", () => {
    const advisory = coderOidcPolicies().filter((p) => p.enforcementLevel !== "mandatory").map((p) => p.name).sort();
    assert.deepEqual(advisory, ["entra-secret-not-expiring-soon", "refresh-token-rotation-has-reuse-window"]);
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
    assert.equal(ResourceType.KeycloakClient, token(keycloak.openid.Client));
    assert.equal(ResourceType.KeycloakClientOptionalScopes, token(keycloak.openid.ClientOptionalScopes));
    assert.equal(ResourceType.KeycloakRealm, token(keycloak.Realm));
    assert.equal(ResourceType.EntraApplication, token(azuread.Application));
    assert.equal(ResourceType.EntraApplicationPassword, token(azuread.ApplicationPassword));
  });
});
