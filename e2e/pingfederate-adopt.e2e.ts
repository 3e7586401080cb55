/**
 * Adopting a PingFederate client made by hand (coder-oidc:adoptClientId) as users run it: the `pulumi` CLI in the
 * project root, starting the program through its Node.js language host (support/cli-project), against the admin API
 * simulator over HTTPS. The client starts as Coder's refresh-token page finds it: no refresh grant, no
 * offline_access, a secret Coder already has, and a field the stack does not manage. Pulumi cannot import a dynamic
 * resource (the engine's import gives its `read` no provider code), so the provider takes the client over in its
 * `create`; its `check` makes preview fail for a client that is not there. The secret and the unmanaged field
 * survive; the next preview is clean with the key still set.
 */
import assert from "node:assert/strict";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { startPfAdminSim, type PfAdminSim } from "./support/pf-admin-sim";
import { createCliProject, type CliProject, type CliResult } from "./support/cli-project";
import { e2eTempDir, e2eTools } from "./support/context";
import { leakedSecrets } from "./support/leaks";

const STACK = "e2e-pingfederate-adopt";
const CLIENT_ID = "coder-by-hand";
const CODER_URL = "https://coder.e2e.example.com";
const CALLBACK = `${CODER_URL}/api/v2/users/oidc/callback`;
const HAND_SECRET = `the-secret-coder-has-${Date.now()}`;
const LOGO = "https://coder.e2e.example.com/logo.png";
/** The CA file, relative to the project root (the stack names it so). */
const CA_FILE = "certs/e2e-adopt-ca.pem";

/** Everything a command printed, for messages. */
function printed(result: CliResult): string {
  return `exit ${result.code}\n--- stdout\n${result.stdout.slice(-4000)}\n--- stderr\n${result.stderr.slice(-4000)}`;
}

describe("PingFederate: adopting the client Coder already uses, through the pulumi CLI and its language host", () => {
  let tmp: string;
  let sim: PfAdminSim;
  let project: CliProject;
  /** Everything the CLI printed, checked for secrets at the end. */
  const transcript: string[] = [];

  async function pulumi(args: readonly string[]): Promise<CliResult> {
    const result = await project.pulumi(args, { TS_NODE_CACHE_DIRECTORY: join(tmp, "ts-node-cache") });
    transcript.push(result.stdout, result.stderr);
    return result;
  }

  function stackConfig(adoptClientId: string): Record<string, unknown> {
    return {
      "coder-oidc:coderUrl": CODER_URL,
      "coder-oidc:idp": "pingfederate",
      "coder-oidc:adoptClientId": adoptClientId,
      "coder-oidc:pingfederate": { adminUrl: sim.httpsUrl, issuerUrl: "https://sso.e2e.example.com", caCertificate: CA_FILE },
    };
  }

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
    project = createCliProject(await e2eTools(), tmp);
    writeFileSync(join(project.root, CA_FILE), sim.caPem);
    const credentials = { "coder-oidc:pingfederate.username": sim.username, "coder-oidc:pingfederate.password": sim.password };
    await project.initStack(STACK, stackConfig(CLIENT_ID), credentials);
    await project.initStack(`${STACK}-missing`, stackConfig("not-there"), credentials);
  });

  after(async () => {
    await sim?.close();
    project?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it("preview shows the client taken over, with the fixes as its inputs and the adoption note, and writes nothing", async () => {
    const preview = await pulumi(["preview", "--diff", "--stack", STACK]);
    assert.equal(preview.code, 0, printed(preview));
    assert.match(preview.stdout, /adoptClientId\s*: "coder-by-hand"/);
    assert.match(preview.stdout, /"REFRESH_TOKEN"/);
    assert.match(preview.stdout, /requireOfflineAccessScopeToIssueRefreshTokens\s*: "YES"/);
    assert.match(`${preview.stdout}${preview.stderr}`, /PingFederate: adopting the existing client "coder-by-hand"/);
    assert.equal(sim.count("PUT"), 0, "a preview must not write to the admin API");
    assert.equal(sim.count("POST"), 0);
    assert.deepEqual(sim.getClient(CLIENT_ID)!.grantTypes, ["AUTHORIZATION_CODE"]);
  });

  it("preview of a client that is not there fails, naming PingFederate, the admin URL and the id", async () => {
    const preview = await pulumi(["preview", "--stack", `${STACK}-missing`]);
    assert.notEqual(preview.code, 0, printed(preview));
    assert.match(`${preview.stdout}${preview.stderr}`,
      /PingFederate has no OAuth client "not-there" at https:\/\/127\.0\.0\.1:\d+\/pf-admin-api\/v1 \(coder-oidc:adoptClientId\)/);
  });

  it("up takes over and fixes the client: refresh grant, offline_access, the secret Coder has kept, the unmanaged field kept", async () => {
    const up = await pulumi(["up", "--yes", "--stack", STACK]);
    assert.equal(up.code, 0, printed(up));
    const client = sim.getClient(CLIENT_ID)!;
    assert.deepEqual([...(client.grantTypes as string[])].sort(), ["AUTHORIZATION_CODE", "REFRESH_TOKEN"]);
    assert.ok((client.restrictedScopes as string[]).includes("offline_access"));
    assert.equal(client.restrictScopes, true);
    assert.equal(client.logoUrl, LOGO, "a field the stack does not manage survives");
    assert.equal(sim.secretStatus(CLIENT_ID, HAND_SECRET), "primary", "the secret Coder has still authenticates");
    const shown = await pulumi(["stack", "output", "--json", "--show-secrets", "--stack", STACK]);
    assert.equal(shown.code, 0, printed(shown));
    const outputs = JSON.parse(shown.stdout) as Record<string, unknown>;
    assert.equal(outputs.CODER_OIDC_CLIENT_ID, CLIENT_ID);
    assert.equal(outputs.CODER_OIDC_CLIENT_SECRET ?? null, null, "no new secret: the stack never learns the write-only one");
  });

  it("neither the state nor anything the CLI printed holds the admin password or the client's secret", async () => {
    const exported = await pulumi(["stack", "export", "--stack", STACK]);
    assert.equal(exported.code, 0, printed(exported));
    const secrets = { adminPassword: sim.password, handSecret: HAND_SECRET };
    assert.deepEqual(leakedSecrets(exported.stdout, secrets), []);
    assert.deepEqual(leakedSecrets(transcript.join("\n"), secrets), []);
  });

  it("preview --expect-no-changes is clean with adoptClientId still set (the client is in the state now)", async () => {
    const again = await pulumi(["preview", "--expect-no-changes", "--stack", STACK]);
    assert.equal(again.code, 0, printed(again));
  });

  it("a secretVersion change then issues a secret, the one Coder has working on for secretOverlap", async () => {
    const set = await pulumi(["config", "set", "--path", "--stack", STACK, "coder-oidc:pingfederate.secretVersion", "2"]);
    assert.equal(set.code, 0, printed(set));
    const up = await pulumi(["up", "--yes", "--stack", STACK]);
    assert.equal(up.code, 0, printed(up));
    const secret = await project.pulumi(["stack", "output", "CODER_OIDC_CLIENT_SECRET", "--show-secrets", "--stack", STACK]);
    assert.equal(secret.code, 0, printed(secret));
    assert.equal(sim.secretStatus(CLIENT_ID, secret.stdout.trim()), "primary");
    assert.equal(sim.secretStatus(CLIENT_ID, HAND_SECRET), "secondary");
  });
});
