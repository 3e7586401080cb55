/**
 * Adopting a PingFederate client made by hand (coder-oidc:adoptClientId) through the real Pulumi engine, against the
 * admin API simulator over HTTPS. The client starts as Coder's refresh-token page finds it: no refresh grant, no
 * offline_access, a secret Coder already has, and a field the stack does not manage. Pulumi cannot import a dynamic
 * resource (the engine's import gives its `read` no provider code), so the provider takes the client over in its
 * `create`; preview checks it is there. The secret and the unmanaged field survive; the next preview is clean with
 * the key still set.
 */
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import type { Stack } from "@pulumi/pulumi/automation";
import { startPfAdminSim, type PfAdminSim } from "../test/support/pf-admin-sim";
import { e2eTempDir, e2eTools } from "./support/context";
import { leakedSecrets } from "./support/leaks";
import { createPulumiSandbox, type PulumiSandbox } from "./support/pulumi";

const CLIENT_ID = "coder-by-hand";
const CODER_URL = "https://coder.e2e.example.com";
const CALLBACK = `${CODER_URL}/api/v2/users/oidc/callback`;
const STACK = "e2e-pingfederate-adopt";
const HAND_SECRET = `the-secret-coder-has-${Date.now()}`;
const LOGO = "https://coder.e2e.example.com/logo.png";

describe("PingFederate: adopting the client Coder already uses, through the real engine", () => {
  let tmp: string;
  let sim: PfAdminSim;
  let sandbox: PulumiSandbox;
  let stack: Stack;

  before(async () => {
    tmp = e2eTempDir("pingfederate-adopt");
    sim = await startPfAdminSim({ password: `pf-admin-${Date.now()}-pw` });
    // As an admin makes it in the console by Coder's page: authorization code only, no offline_access, a secret.
    sim.addClientByHand({
      clientId: CLIENT_ID,
      name: "Coder (made by hand)",
      grantTypes: ["AUTHORIZATION_CODE"],
      redirectUris: [CALLBACK],
      restrictScopes: false,
      logoUrl: LOGO,
    }, HAND_SECRET);
    sandbox = await createPulumiSandbox(await e2eTools(), tmp);
    stack = await sandbox.stack(STACK, {
      "coder-oidc:coderUrl": CODER_URL,
      "coder-oidc:idp": "pingfederate",
      "coder-oidc:adoptClientId": CLIENT_ID,
      "coder-oidc:pingfederate": { adminUrl: sim.httpsUrl, issuerUrl: "https://sso.e2e.example.com", caCertificate: sim.caPem },
    }, {
      "coder-oidc:pingfederate.username": sim.username,
      "coder-oidc:pingfederate.password": sim.password,
    });
  });

  after(async () => {
    await sim?.close();
    sandbox?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it("preview shows the client taken over (its inputs are the fixes), and writes nothing", async () => {
    const preview = await stack.preview({ diff: true });
    assert.deepEqual(Object.keys(preview.changeSummary), ["create"], JSON.stringify(preview.changeSummary));
    assert.match(preview.stdout, /adoptClientId\s*: "coder-by-hand"/);
    assert.match(preview.stdout, /"REFRESH_TOKEN"/);
    assert.match(`${preview.stdout}\n${preview.stderr}`, /PingFederate: adopting the existing client "coder-by-hand"/);
    assert.equal(sim.count("PUT"), 0, "a preview must not write to the admin API");
    assert.equal(sim.count("POST"), 0);
    assert.deepEqual(sim.getClient(CLIENT_ID)!.grantTypes, ["AUTHORIZATION_CODE"]);
  });

  it("preview of a client that is not there fails, naming PingFederate, the admin URL and the id", async () => {
    const other = await sandbox.stack(`${STACK}-missing`, {
      "coder-oidc:coderUrl": CODER_URL,
      "coder-oidc:idp": "pingfederate",
      "coder-oidc:adoptClientId": "not-there",
      "coder-oidc:pingfederate": { adminUrl: sim.httpsUrl, issuerUrl: "https://sso.e2e.example.com", caCertificate: sim.caPem },
    }, { "coder-oidc:pingfederate.username": sim.username, "coder-oidc:pingfederate.password": sim.password });
    await assert.rejects(other.preview(), (err: Error) => {
      assert.match(err.message, /PingFederate has no OAuth client "not-there" at https:\/\/127\.0\.0\.1:\d+\/pf-admin-api\/v1 \(coder-oidc:adoptClientId\)/);
      return true;
    });
  });

  it("up takes over and fixes the client: refresh grant, offline_access, the secret Coder has kept, the unmanaged field kept", async () => {
    const up = await stack.up();
    assert.equal(up.summary.result, "succeeded");
    const client = sim.getClient(CLIENT_ID)!;
    assert.deepEqual([...(client.grantTypes as string[])].sort(), ["AUTHORIZATION_CODE", "REFRESH_TOKEN"]);
    assert.ok((client.restrictedScopes as string[]).includes("offline_access"));
    assert.equal(client.restrictScopes, true);
    assert.equal(client.logoUrl, LOGO, "a field the stack does not manage survives");
    assert.equal(sim.secretStatus(CLIENT_ID, HAND_SECRET), "primary", "the secret Coder has still authenticates");
    const outputs = await stack.outputs();
    assert.equal(outputs.CODER_OIDC_CLIENT_ID.value, CLIENT_ID);
    assert.equal(outputs.CODER_OIDC_CLIENT_SECRET?.value ?? null, null, "no new secret: the stack never learns the write-only one");
  });

  it("the state holds neither the admin password nor the client's secret", async () => {
    const exported = await sandbox.exportState(STACK);
    assert.deepEqual(leakedSecrets(exported, { adminPassword: sim.password, handSecret: HAND_SECRET }), []);
  });

  it("preview --expect-no-changes is clean with adoptClientId still set (the client is in the state now)", async () => {
    const preview = await stack.preview({ expectNoChanges: true });
    assert.deepEqual(Object.keys(preview.changeSummary).filter((op) => op !== "same"), []);
  });

  it("a secretVersion change then issues a secret, the one Coder has working on for secretOverlap", async () => {
    await stack.setConfig("coder-oidc:pingfederate.secretVersion", { value: "2" }, true);
    const up = await stack.up();
    assert.equal(up.summary.result, "succeeded");
    const secret = (await stack.outputs()).CODER_OIDC_CLIENT_SECRET;
    assert.equal(secret?.secret, true);
    assert.equal(sim.secretStatus(CLIENT_ID, secret.value as string), "primary");
    assert.equal(sim.secretStatus(CLIENT_ID, HAND_SECRET), "secondary");
  });
});
