import { allIdps } from "../../../idps/registry";
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { requireRotationReuseWindow } from "../../../src/policy/rotation";
import { validateResource } from "../../policy/support";

describe("refresh-token-rotation-has-reuse-window", () => {
  const policy = requireRotationReuseWindow("rotation", allIdps().flatMap((idp) => (idp.rotationCheck ? [idp.rotationCheck()] : [])));
  const pf = (props: Record<string, unknown>) => ({ type: "pulumi-nodejs:dynamic/pingfederate:OAuthClient", name: "coder-client", props });
  const realm = (props: Record<string, unknown>) => ({ type: "keycloak:index/realm:Realm", name: "engineering", props: { realm: "engineering", ...props } });
  it("is advisory", () => assert.equal(policy.enforcementLevel, "advisory"));
  it("passes PingFederate refresh tokens that do not roll", async () => {
    assert.deepEqual((await validateResource(policy, pf({ refreshRolling: "DONT_ROLL" }))).violations, []);
  });
  it("reports PingFederate rolling without a grace period, citing coder/coder#25275", async () => {
    assert.match((await validateResource(policy, pf({ refreshRolling: "ROLL" }))).violations[0], /ROLL without a grace period.*coder\/coder#25275/);
  });
  it("passes PingFederate rolling with a grace period", async () => {
    assert.deepEqual((await validateResource(policy, pf({ refreshRolling: "ROLL", refreshTokenRollingGracePeriod: 60 }))).violations, []);
  });
  it("reports a Keycloak realm revoking refresh tokens with no reuse", async () => {
    assert.match((await validateResource(policy, realm({ revokeRefreshToken: true }))).violations[0], /refreshTokenMaxReuse 0/);
  });
  it("passes a Keycloak realm that allows a reuse", async () => {
    assert.deepEqual((await validateResource(policy, realm({ revokeRefreshToken: true, refreshTokenMaxReuse: 1 }))).violations, []);
  });
});

describe("refresh-token-rotation-has-reuse-window: Okta and Auth0", () => {
  const policy = requireRotationReuseWindow("rotation", allIdps().flatMap((idp) => (idp.rotationCheck ? [idp.rotationCheck()] : [])));
  const okta = (props: Record<string, unknown>) => ({ type: "okta:app/oAuth:OAuth", name: "coder-app", props });
  const auth0 = (refreshToken: Record<string, unknown>) => ({ type: "auth0:index/client:Client", name: "coder-client", props: { refreshToken } });
  it("passes an Okta app that keeps its refresh token (STATIC)", async () => {
    assert.deepEqual((await validateResource(policy, okta({ refreshTokenRotation: "STATIC" }))).violations, []);
  });
  it("passes an Okta app that rotates with a leeway", async () => {
    assert.deepEqual((await validateResource(policy, okta({ refreshTokenRotation: "ROTATE", refreshTokenLeeway: 30 }))).violations, []);
  });
  it("reports an Okta app rotating with no leeway, saying what to set", async () => {
    const { violations } = await validateResource(policy, okta({ refreshTokenRotation: "ROTATE", refreshTokenLeeway: 0 }));
    assert.match(violations[0], /Okta app coder-app: refreshTokenRotation is ROTATE with refreshTokenLeeway 0.*coder\/coder#25275.*refreshTokenReuseWindow/);
  });
  it("reports an Okta app rotating with the leeway unset", async () => {
    assert.equal((await validateResource(policy, okta({ refreshTokenRotation: "ROTATE" }))).violations.length, 1);
  });
  it("passes an Auth0 application that does not rotate", async () => {
    assert.deepEqual((await validateResource(policy, auth0({ rotationType: "non-rotating", leeway: 0 }))).violations, []);
  });
  it("passes an Auth0 application that rotates with a leeway", async () => {
    assert.deepEqual((await validateResource(policy, auth0({ rotationType: "rotating", leeway: 10 }))).violations, []);
  });
  it("reports an Auth0 application rotating with no leeway", async () => {
    const { violations } = await validateResource(policy, auth0({ rotationType: "rotating", leeway: 0 }));
    assert.match(violations[0], /Auth0 application coder-client: refreshToken\.rotationType is rotating with leeway 0.*coder-oidc:refreshTokenRotation: off/);
  });
});
