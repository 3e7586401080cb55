import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { requireRotationReuseWindow } from "../../policy/rotation";
import { validateResource } from "./support";

describe("refresh-token-rotation-has-reuse-window", () => {
  const policy = requireRotationReuseWindow("rotation");
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
