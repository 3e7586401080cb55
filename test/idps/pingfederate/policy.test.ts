import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  requirePingFederateClientAuthentication,
  requirePingFederateIdleCoversAccessToken,
  requirePingFederateOfflineAccessScope,
  requirePingFederateRefreshGrants,
} from "../../../idps/pingfederate/policy";
import { PINGFEDERATE_CLIENT } from "../../policy/fixtures";
import { UNKNOWN_STRING, validateResource } from "../../policy/support";

const CLIENT = "pulumi-nodejs:dynamic/pingfederate:OAuthClient";

const client = (props: Record<string, unknown> = {}, config?: object) => ({ type: CLIENT, name: "coder-client", props: { ...PINGFEDERATE_CLIENT, ...props }, config });

describe("pingfederate-client-refresh-grants", () => {
  const policy = requirePingFederateRefreshGrants("grants");
  it("passes AUTHORIZATION_CODE and REFRESH_TOKEN", async () => assert.deepEqual((await validateResource(policy, client())).violations, []));
  it("fails without REFRESH_TOKEN, naming it", async () => {
    assert.match((await validateResource(policy, client({ grantTypes: ["AUTHORIZATION_CODE"] }))).violations[0], /grantTypes AUTHORIZATION_CODE lack REFRESH_TOKEN/);
  });
  it("matches the dynamic resource on args.type only", async () => {
    const outcome = await validateResource(policy, { type: "pulumi-nodejs:dynamic/pingfederate:CommonScope", name: "s", props: { grantTypes: [] } });
    assert.ok(outcome.notApplicable);
  });
});

describe("pingfederate-client-offline-access-scope", () => {
  const policy = requirePingFederateOfflineAccessScope("scope");
  it("passes offline_access among the restricted scopes", async () => assert.deepEqual((await validateResource(policy, client())).violations, []));
  it("fails restricted scopes without offline_access", async () => {
    assert.match((await validateResource(policy, client({ restrictedScopes: ["openid", "email"] }))).violations[0], /lack offline_access; add it/);
  });
  it("skips unknown scopes during preview", async () => {
    assert.deepEqual((await validateResource(policy, client({ restrictedScopes: UNKNOWN_STRING }), { proxy: true })).violations, []);
  });
});

describe("pingfederate-client-idle-covers-access-token", () => {
  const policy = requirePingFederateIdleCoversAccessToken("idle");
  it("passes 30 days idle against a 2h access token", async () => {
    assert.deepEqual((await validateResource(policy, client({}, { accessTokenLifetime: "2h" }))).violations, []);
  });
  it("fails 1 hour idle against a 2h access token, with both values", async () => {
    const { violations } = await validateResource(policy, client({ persistentGrantIdleTimeout: 60, persistentGrantIdleTimeoutTimeUnit: "MINUTES" }, { accessTokenLifetime: "2h" }));
    assert.match(violations[0], /refresh idle timeout 1h is shorter than the access-token lifetime 2h/);
  });
  it("counts the idle timeout in its unit", async () => {
    const hours = (n: number) => client({ persistentGrantIdleTimeout: n, persistentGrantIdleTimeoutTimeUnit: "HOURS" }, { accessTokenLifetime: "2h" });
    assert.deepEqual((await validateResource(policy, hours(2))).violations, []);
    assert.match((await validateResource(policy, hours(1))).violations[0], /refresh idle timeout 1h is shorter than the access-token lifetime 2h/);
  });
  it("fails a zero idle timeout even without the access-token lifetime", async () => {
    assert.match((await validateResource(policy, client({ persistentGrantIdleTimeout: 0 }))).violations[0], /persistentGrantIdleTimeout is 0/);
  });
  it("passes the server default idle timeout", async () => {
    assert.deepEqual((await validateResource(policy, client({ persistentGrantIdleTimeoutType: "SERVER_DEFAULT", persistentGrantIdleTimeout: undefined }, { accessTokenLifetime: "2h" }))).violations, []);
  });
});

describe("pingfederate-client-authenticates", () => {
  const policy = requirePingFederateClientAuthentication("auth");
  it("passes a SECRET client", async () => assert.deepEqual((await validateResource(policy, client({ clientAuthType: "SECRET" }))).violations, []));
  it("fails client authentication NONE", async () => {
    assert.match((await validateResource(policy, client({ clientAuthType: "NONE" }))).violations[0], /client authentication is NONE/);
  });
});
