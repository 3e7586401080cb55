import { coderRow } from "../support/idps";
import assert from "node:assert/strict";
import { stackConfig } from "../support/program";
import { describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { parseStackConfig } from "../../idps/registry";
import { coderClientRequest, coderEnvOutputs, CoderEnvName, REQUIRED_CODER_ENV, type CoderOidcClient } from "../../src/coder-env";
import { resolveOutput } from "../../engine/offline-runtime";

const PINGFEDERATE = {
  "coder-oidc:coderUrl": "https://coder.example.com",
  "coder-oidc:idp": "pingfederate",
  "coder-oidc:pingfederate": JSON.stringify({ adminUrl: "https://pf.example.com:9999/pf-admin-api/v1", issuerUrl: "https://sso.example.com" }),
};

function request(values: Record<string, string>): ReturnType<typeof coderClientRequest> {
  const config = parseStackConfig(stackConfig(values));
  return coderClientRequest(config, coderRow(config.idp));
}

describe("coderClientRequest", () => {
  it("builds Coder's side of the client from the stack config", () => {
    const r = request({ ...PINGFEDERATE, "coder-oidc:clientId": "coder-dev", "coder-oidc:displayName": "Coder (dev)",
      "coder-oidc:extraScopes": JSON.stringify(["groups", "offline_access"]), "coder-oidc:tokens": JSON.stringify({ refreshIdleTimeout: "5m" }) });
    assert.deepEqual(r, {
      coderUrl: "https://coder.example.com",
      redirectUri: "https://coder.example.com/api/v2/users/oidc/callback",
      coderOrigin: "https://coder.example.com",
      clientId: "coder-dev",
      displayName: "Coder (dev)",
      scopes: ["openid", "profile", "email", "offline_access", "groups"],
      authUrlParams: { access_type: "offline" },
      tokens: { refreshIdleTimeout: 300 },
      rotation: { enabled: false, reuseWindow: undefined },
    });
  });

  it("asks for rotation only with refreshTokenRotation: on, with its reuse window", () => {
    assert.deepEqual(request({ ...PINGFEDERATE, "coder-oidc:refreshTokenRotation": "on", "coder-oidc:refreshTokenReuseWindow": "45s" }).rotation,
      { enabled: true, reuseWindow: 45 });
    assert.deepEqual(request({ ...PINGFEDERATE, "coder-oidc:refreshTokenRotation": "off" }).rotation, { enabled: false, reuseWindow: undefined });
  });
});

describe("coderEnvOutputs", () => {
  const client = (extraEnv: CoderOidcClient["extraEnv"]): CoderOidcClient => ({
    issuerUrl: pulumi.output("https://sso.example.com"),
    clientId: pulumi.output("coder"),
    clientSecret: pulumi.output("s3cret"),
    scopes: ["openid", "offline_access", "a,b"],
    authUrlParams: { access_type: "offline" },
    extraEnv,
  });

  async function resolved(outputs: Record<string, pulumi.Output<string>>): Promise<Record<string, { secret: boolean; value?: string }>> {
    const out: Record<string, { secret: boolean; value?: string }> = {};
    for (const [name, output] of Object.entries(outputs)) {
      const { secret, value } = await resolveOutput(output);
      out[name] = { secret, value };
    }
    return out;
  }

  it("outputs the five variables, the secret wrapped, scopes as one CSV record and params as JSON", async () => {
    assert.deepEqual(await resolved(coderEnvOutputs(client({}))), {
      CODER_OIDC_ISSUER_URL: { secret: false, value: "https://sso.example.com" },
      CODER_OIDC_CLIENT_ID: { secret: false, value: "coder" },
      CODER_OIDC_CLIENT_SECRET: { secret: true, value: "s3cret" },
      CODER_OIDC_SCOPES: { secret: false, value: 'openid,offline_access,"a,b"' },
      CODER_OIDC_AUTH_URL_PARAMS: { secret: false, value: '{"access_type":"offline"}' },
    });
  });

  it("adds each further variable the client sets, and none it leaves undefined", async () => {
    const outputs = await resolved(coderEnvOutputs(client({ [CoderEnvName.GroupField]: "groups", [CoderEnvName.EmailField]: undefined,
      [CoderEnvName.EmailDomain]: pulumi.output("example.com") })));
    assert.deepEqual(Object.keys(outputs), [...REQUIRED_CODER_ENV, "CODER_OIDC_GROUP_FIELD", "CODER_OIDC_EMAIL_DOMAIN"]);
    assert.deepEqual(outputs.CODER_OIDC_GROUP_FIELD, { secret: false, value: "groups" });
    assert.deepEqual(outputs.CODER_OIDC_EMAIL_DOMAIN, { secret: false, value: "example.com" });
  });

  it("lists the five variables every stack outputs, in the order they are printed", () => {
    assert.deepEqual(REQUIRED_CODER_ENV, ["CODER_OIDC_ISSUER_URL", "CODER_OIDC_CLIENT_ID", "CODER_OIDC_CLIENT_SECRET",
      "CODER_OIDC_SCOPES", "CODER_OIDC_AUTH_URL_PARAMS"]);
  });
});
