import { allIdps } from "../../../idps/registry";
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { requireCoderRefreshSettings } from "../../../src/policy/stack";
import { parseCoderScopes as parseCsvRecord } from "../../../src/coder-settings";
import { validateStack } from "../../policy/support";

const component = (idp: string) => ({ type: `coder-oidc:providers:${idp}CoderClient`, name: "coder", props: {} });
const outputs = (scopes: string, params: string) => ({
  type: "pulumi:pulumi:Stack", name: "coder-oidc-dev",
  props: { CODER_OIDC_SCOPES: scopes, CODER_OIDC_AUTH_URL_PARAMS: params, CODER_OIDC_CLIENT_SECRET: "[secret]" },
});

describe("coder-settings-ask-for-refresh-tokens", () => {
  const policy = requireCoderRefreshSettings("coder-settings", allIdps());
  it("passes Keycloak with offline_access", async () => {
    assert.deepEqual((await validateStack(policy, [component("Keycloak"), outputs("openid,profile,email,offline_access", '{"access_type":"offline"}')])).violations, []);
  });
  it("fails Entra ID without offline_access, saying Coder gets no refresh token", async () => {
    const { violations } = await validateStack(policy, [component("EntraId"), outputs("openid,profile,email", '{"access_type":"offline"}')]);
    assert.equal(violations.length, 1);
    assert.match(violations[0], /Microsoft Entra ID needs offline_access as well.*no refresh token/);
  });
  it("passes Google with access_type=offline and prompt=consent, no offline_access", async () => {
    assert.deepEqual((await validateStack(policy, [component("Google"), outputs("openid,profile,email", '{"access_type":"offline","prompt":"consent","hd":"example.com"}')])).violations, []);
  });
  it("fails Google with offline_access", async () => {
    const { violations } = await validateStack(policy, [component("Google"), outputs("openid,profile,email,offline_access", '{"access_type":"offline","prompt":"consent"}')]);
    assert.match(violations.join("\n"), /offline_access, which Google rejects/);
  });
  it("fails Google without prompt=consent", async () => {
    const { violations } = await validateStack(policy, [component("Google"), outputs("openid,profile,email", '{"access_type":"offline"}')]);
    assert.match(violations[0], /Google needs prompt=consent/);
  });
  it("does not fail unknown outputs during preview", async () => {
    const unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
    assert.deepEqual((await validateStack(policy, [component("PingFederate"), outputs(unknown, unknown)], { proxy: true })).violations, []);
  });
  it("is not applicable without a coder-oidc component", async () => {
    assert.ok((await validateStack(policy, [outputs("openid", "{}")])).notApplicable);
  });
  it("reads scopes the way Coder does, quotes included", () => {
    assert.deepEqual(parseCsvRecord('openid,"a,b",c'), ["openid", "a,b", "c"]);
    assert.deepEqual(parseCsvRecord('"x""y"'), ['x"y']);
    assert.deepEqual(parseCsvRecord(""), []);
  });
});
