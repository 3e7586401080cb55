/**
 * PingFederate through the real Pulumi engine: the coder-oidc program's dynamic resources against the admin API
 * simulator of e2e/support, served over HTTPS with a CA made for the run. The engine serializes the providers,
 * stores secrets in state, diffs after `up` and refreshes; this proves each of those on the real thing.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { Stack } from "@pulumi/pulumi/automation";
import { PingFederateOAuthClient } from "../idps/pingfederate/resource";
import { startPfAdminSim, type PfAdminSim } from "./support/pf-admin-sim";
import { e2eTempDir, e2eTools } from "./support/context";
import { pingFederateStack } from "./support/pingfederate-stack";
import { leakedSecrets, readTree } from "./support/leaks";
import { createPulumiSandbox, type PulumiSandbox } from "./support/pulumi";
import { REPO_ROOT } from "./support/versions";

const CLIENT_ID = "coder-e2e";
const ISSUER = "https://sso.e2e.example.com";
const CODER_URL = "https://coder.e2e.example.com";
const STACK = "e2e-pingfederate";

/** Runs this project's verify command on the sandbox's stack; resolves to its exit code and JSON findings. */
function verify(sandbox: PulumiSandbox): Promise<{ status: number; findings: { check: string; status: string }[] }> {
  return new Promise((done) => {
    execFile(process.execPath, ["--import", "tsx", join(REPO_ROOT, "cli/verify/index.ts"), "--stack", STACK, "--project-dir", sandbox.projectDir, "--format", "json"],
      { cwd: REPO_ROOT, encoding: "utf8", env: { ...process.env, ...sandbox.env } },
      (err, stdout) => done({ status: err ? Number(err.code) : 0, findings: (JSON.parse(stdout || "{}") as { findings?: { check: string; status: string }[] }).findings ?? [] }));
  });
}

/** Set to a folder to keep the engine events of each drift check there (`<folder>/<label>/<stack>.json`). */
const RECORD_DRIFT_ENV = "CODER_OIDC_E2E_RECORD_DRIFT";

/** Runs this project's drift command on the sandbox's project; resolves to its exit code and JSON report. */
function drift(sandbox: PulumiSandbox, label: string): Promise<{ status: number; report: Record<string, unknown>; stderr: string }> {
  const record = process.env[RECORD_DRIFT_ENV] ? { CODER_OIDC_RECORD_EVENTS: join(process.env[RECORD_DRIFT_ENV]!, label) } : {};
  return new Promise((done) => {
    execFile(process.execPath, ["--import", "tsx", join(REPO_ROOT, "cli/drift.ts"), "--stack", STACK, "--project-dir", sandbox.projectDir, "--format", "json"],
      { cwd: REPO_ROOT, encoding: "utf8", env: { ...process.env, ...sandbox.env, ...record } },
      (err, stdout, stderr) => done({ status: err ? Number(err.code) : 0, report: JSON.parse(stdout || "{}") as Record<string, unknown>, stderr }));
  });
}

/**
 * The policy pack as the e2e's CLI can run it: as an executable, since a policy pack directory needs the Node.js
 * language host, which cannot be built here (users with a normal install pass `--policy-pack policy`).
 */
const POLICY_PACK = join(REPO_ROOT, "policy/run-policy-pack");

describe("PingFederate through the real engine", () => {
  let tmp: string;
  let sim: PfAdminSim;
  let sandbox: PulumiSandbox;
  let stack: Stack;
  /** Every secret the run knows, by name; none may appear in the state. */
  const secrets: Record<string, string> = {};

  /** Fails when a secret the run knows appears in the exported state or in any backend file. */
  async function assertStateHoldsNoSecret(): Promise<void> {
    const exported = await sandbox.exportState(STACK);
    assert.match(exported, /"ciphertext"/, "the state holds the secrets, encrypted");
    assert.deepEqual(leakedSecrets(exported, secrets), [], "the exported state holds a secret in plaintext");
    for (const file of readTree(sandbox.stateDir)) {
      assert.deepEqual(leakedSecrets(file.text, secrets), [], `${file.path} holds a secret in plaintext`);
    }
  }

  /** The secret Coder gets, from the stack outputs. */
  async function coderSecret(): Promise<string> {
    const output = (await stack.outputs()).CODER_OIDC_CLIENT_SECRET;
    assert.equal(output.secret, true, "CODER_OIDC_CLIENT_SECRET must be a secret output");
    return output.value as string;
  }

  before(async () => {
    tmp = e2eTempDir("pingfederate");
    sim = await startPfAdminSim({ clustered: true, password: `pf-admin-${Date.now()}-pw` });
    secrets.adminPassword = sim.password;
    sandbox = await createPulumiSandbox(await e2eTools(), tmp);
    const { config, secrets: credentials } = pingFederateStack(sim, { coderUrl: CODER_URL, clientId: CLIENT_ID, issuerUrl: ISSUER, caCertificate: sim.caPem });
    stack = await sandbox.stack(STACK, config, credentials);
  });

  after(async () => {
    await sim?.close();
    sandbox?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it("preview plans the client and the offline_access scope, and writes nothing", async () => {
    const preview = await stack.preview();
    assert.ok((preview.changeSummary.create ?? 0) >= 3, `expected creates, got ${JSON.stringify(preview.changeSummary)}`);
    assert.deepEqual(sim.clientIds(), []);
    assert.equal(sim.count("POST"), 0, "a preview must not write to the admin API");
  });

  it("up creates the client; the outputs are the Coder variables, the client secret a secret", async () => {
    const up = await stack.up();
    assert.equal(up.summary.result, "succeeded");
    const outputs = await stack.outputs();
    assert.equal(outputs.CODER_OIDC_ISSUER_URL.value, ISSUER);
    assert.equal(outputs.CODER_OIDC_CLIENT_ID.value, CLIENT_ID);
    assert.equal(outputs.CODER_OIDC_SCOPES.value, "openid,profile,email,offline_access");
    assert.equal(outputs.CODER_OIDC_AUTH_URL_PARAMS.value, '{"access_type":"offline"}');
    for (const name of ["CODER_OIDC_ISSUER_URL", "CODER_OIDC_CLIENT_ID", "CODER_OIDC_SCOPES", "CODER_OIDC_AUTH_URL_PARAMS"]) {
      assert.equal(outputs[name].secret, false, `${name} is not a secret`);
    }
    secrets.clientSecret = await coderSecret();
    assert.equal(sim.secretStatus(CLIENT_ID, secrets.clientSecret), "primary");
  });

  it("the client at PingFederate has every setting the stack declared", () => {
    const client = sim.getClient(CLIENT_ID);
    assert.ok(client, "the client exists");
    assert.deepEqual(client.redirectUris, [`${CODER_URL}/api/v2/users/oidc/callback`]);
    assert.deepEqual([...(client.grantTypes as string[])].sort(), ["AUTHORIZATION_CODE", "REFRESH_TOKEN"]);
    assert.equal(client.restrictScopes, true);
    assert.deepEqual([...(client.restrictedScopes as string[])].sort(), ["email", "offline_access", "openid", "profile"]);
    assert.equal(client.refreshRolling, "DONT_ROLL");
    assert.deepEqual(
      [client.persistentGrantIdleTimeoutType, client.persistentGrantIdleTimeout, client.persistentGrantIdleTimeoutTimeUnit],
      ["OVERRIDE_SERVER_DEFAULT", 30, "DAYS"],
    );
    assert.deepEqual(
      [client.persistentGrantExpirationType, client.persistentGrantExpirationTime, client.persistentGrantExpirationTimeUnit],
      ["OVERRIDE_SERVER_DEFAULT", 90, "DAYS"],
    );
    assert.equal(client.requireOfflineAccessScopeToIssueRefreshTokens, "YES");
    assert.equal((client.clientAuth as { type: string }).type, "SECRET");
    assert.deepEqual(client.defaultAccessTokenManagerRef, { id: "coderAtm" });
    assert.ok(sim.hasCommonScope("offline_access"));
    assert.equal(sim.replicationRequired, false, "the cluster was replicated after the writes");
  });

  it("neither the exported state nor the backend files hold an admin credential or the client secret", async () => {
    await assertStateHoldsNoSecret();
  });

  it("a second preview shows no changes (no perpetual diff)", async () => {
    const preview = await stack.preview({ expectNoChanges: true });
    assert.deepEqual(Object.keys(preview.changeSummary).filter((op) => op !== "same"), []);
  });

  it("preview --policy-pack policy passes the stack", async () => {
    const preview = await stack.preview({ policyPacks: [POLICY_PACK] });
    assert.match(preview.stdout, /Policies:[\s\S]*coder-oidc/);
    assert.doesNotMatch(preview.stdout, /mandatory/);
  });

  it("preview --policy-pack policy fails a client without the refresh grant, naming the policy", async () => {
    const noRefresh = await sandbox.stack("e2e-non-compliant", {}, {}, async () => {
      new PingFederateOAuthClient("coder-client", {
        adminUrl: sim.httpsUrl, caCertificate: sim.caPem, clientId: "non-compliant", name: "Coder",
        redirectUris: [`${CODER_URL}/api/v2/users/oidc/callback`], grantTypes: ["AUTHORIZATION_CODE"],
        restrictScopes: true, restrictedScopes: ["openid", "profile", "email", "offline_access"],
      });
      return {};
    });
    await assert.rejects(noRefresh.preview({ policyPacks: [POLICY_PACK] }), (err: Error) => {
      assert.match(err.message, /pingfederate-client-refresh-grants/);
      assert.match(err.message, /mandatory/);
      return true;
    });
    assert.deepEqual(sim.clientIds().filter((id) => id === "non-compliant"), []);
  });

  it("verify reads the client at PingFederate with the stack's credentials and finds it right", async () => {
    const { status, findings } = await verify(sandbox);
    const client = findings.filter((f) => f.check.startsWith("pingfederate.client"));
    assert.deepEqual(client.map((f) => [f.check, f.status]), [
      ["pingfederate.client.grants", "ok"], ["pingfederate.client.offlineAccess", "ok"],
      ["pingfederate.client.authentication", "ok"], ["pingfederate.client.redirectUri", "ok"],
    ]);
    // The issuer is a made-up host: its discovery cannot be read, so verify says it could not check everything.
    assert.equal(findings.find((f) => f.check === "discovery")?.status, "unchecked");
    assert.equal(status, 2);
  });

  it("drift finds none right after up (exit 0)", async () => {
    const result = await drift(sandbox, "no-drift");
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.report.status, "no-drift");
  });

  it("a grant and a lifetime changed by hand fail preview --refresh --expect-no-changes", async () => {
    sim.editClient(CLIENT_ID, (client) => {
      client.grantTypes = ["AUTHORIZATION_CODE"];
      client.persistentGrantIdleTimeout = 1;
      client.logoUrl = "https://example.com/set-by-hand.png";
    });
    await assert.rejects(stack.preview({ refresh: true, expectNoChanges: true, diff: true }), (err: Error) => {
      assert.match(err.message, /grantTypes/);
      assert.match(err.message, /persistentGrantIdleTimeout/);
      return true;
    });
  });

  it("drift names each field changed by hand with the program's and the live value (exit 1)", async () => {
    const result = await drift(sandbox, "drift");
    assert.equal(result.status, 1, result.stderr);
    const text = JSON.stringify(result.report);
    assert.match(text, /grantTypes/);
    assert.match(text, /REFRESH_TOKEN/, "the program's value");
    assert.match(text, /persistentGrantIdleTimeout/);
    assert.deepEqual(leakedSecrets(text, secrets), []);
    const checked = await verify(sandbox);
    assert.equal(checked.status, 1, "verify sees the grant removed by hand");
    assert.deepEqual(checked.findings.filter((f) => f.status === "problem").map((f) => f.check), ["pingfederate.client.grants"]);
  });

  it("drift says it could not check when PingFederate refuses the credentials (exit 2)", async () => {
    sim.inject({ path: "/", status: 401, times: 1000 });
    try {
      const result = await drift(sandbox, "credentials-refused");
      assert.equal(result.status, 2, JSON.stringify(result.report));
      assert.match(JSON.stringify(result.report), /credential/i);
      // The provider host prints `${err}: ${err.stack}`: coded errors carry no frames (found on the real engine).
      assert.doesNotMatch(JSON.stringify(result.report) + result.stderr, /\bat (async )?(Object|send)\b/);
    } finally {
      sim.clearFaults();
    }
  });

  it("up puts the drift back and keeps a setting we do not manage", async () => {
    await stack.up({ refresh: true });
    const client = sim.getClient(CLIENT_ID)!;
    assert.deepEqual([...(client.grantTypes as string[])].sort(), ["AUTHORIZATION_CODE", "REFRESH_TOKEN"]);
    assert.equal(client.persistentGrantIdleTimeout, 30);
    assert.equal(client.logoUrl, "https://example.com/set-by-hand.png");
    assert.equal(sim.secretStatus(CLIENT_ID, secrets.clientSecret), "primary", "the secret survived the update");
    await stack.preview({ refresh: true, expectNoChanges: true });
  });

  it("a secretVersion change rotates the secret and keeps the old one as a secondary", async () => {
    await stack.setConfig("coder-oidc:pingfederate.secretVersion", { value: "2" }, true);
    await stack.up();
    const rotated = await coderSecret();
    assert.notEqual(rotated, secrets.clientSecret);
    assert.equal(sim.secretStatus(CLIENT_ID, rotated), "primary");
    assert.equal(sim.secretStatus(CLIENT_ID, secrets.clientSecret), "secondary");
    secrets.previousClientSecret = secrets.clientSecret;
    secrets.clientSecret = rotated;
    await assertStateHoldsNoSecret();
  });

  it("a partial failure (client written, cluster replication failing) leaves no secret in the state", async () => {
    sim.inject({ method: "POST", path: "/cluster/replicate", status: 500, times: 1000 });
    await stack.setConfig("coder-oidc:pingfederate.secretVersion", { value: "3" }, true);
    await assert.rejects(stack.up(), /cluster\/replicate/);
    const written = sim.primarySecret(CLIENT_ID);
    assert.ok(written && written !== secrets.clientSecret, "the client was written with a new secret before replication failed");
    secrets.partialFailureSecret = written;
    await assertStateHoldsNoSecret();
    sim.clearFaults();
    await stack.up();
    assert.equal(sim.replicationRequired, false, "the next up caught the replication up");
    assert.equal(await coderSecret(), sim.primarySecret(CLIENT_ID));
    await stack.preview({ expectNoChanges: true });
  });

  it("destroy removes the client and leaves the common scope", async () => {
    await stack.destroy();
    assert.deepEqual(sim.clientIds(), []);
    assert.ok(sim.hasCommonScope("offline_access"), "offline_access may serve other clients: it stays");
  });
});
