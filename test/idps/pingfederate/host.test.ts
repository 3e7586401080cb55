/**
 * The serialized providers run as Pulumi runs them: the text of `__provider`, loaded with require-from-string in
 * a plain Node.js process (no TypeScript loader, no environment credentials), configured through `configure`,
 * against the simulator. This is what proves the providers survive closure serialization.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, before, describe, test } from "node:test";
import { promisify } from "node:util";
import * as pulumi from "@pulumi/pulumi";
import { pingFederateClientProvider, pingFederateScopeProvider } from "../../../idps/pingfederate/provider";
import { coderClientInputs, type PfAdminSim, startPfAdminSim } from "../../../e2e/support/pf-admin-sim";

const REPO = resolve(__dirname, "../../..");

/** Runs in the child: loads each provider like Pulumi's dynamic-provider host and drives it, step by step. */
const HOST_SCRIPT = `
const { readFileSync } = require("node:fs");
// Resolved from the project, as the host is: it runs with the project directory as working directory.
const pulumiDir = require.resolve("@pulumi/pulumi", { paths: [process.cwd()] });
const requireFromString = require(require.resolve("require-from-string", { paths: [pulumiDir] }));
const job = JSON.parse(readFileSync(process.argv[2], "utf8"));
const load = (file) => requireFromString(readFileSync(file, "utf8")).handler();
const config = { get: (key) => job.config[key], require: (key) => job.config[key] };
const results = {};
const attempt = async (name, run) => {
  try { results[name] = { ok: await run() }; }
  catch (error) { results[name] = { error: { message: error.message, code: error.code, name: error.name, isError: error instanceof Error } }; }
};
(async () => {
  const scope = load(job.scopeProvider);
  const client = load(job.clientProvider);
  if (job.configure) { await scope.configure({ config }); await client.configure({ config }); }
  if (job.steps.includes("lifecycle")) {
    const scopeInputs = (await scope.check({}, job.scope)).inputs;
    await attempt("scope", () => scope.create(scopeInputs));
    const wanted = (await client.check({}, job.client)).inputs;
    await attempt("rejected", () => client.create({ ...wanted, restrictedScopes: [...wanted.restrictedScopes, "undefined_scope"] }));
    await attempt("create", () => client.create(wanted));
    const outs = results.create.ok.outs;
    await attempt("duplicate", () => client.create(wanted));
    await attempt("read", () => client.read(outs.clientId, outs));
    await attempt("diff", () => client.diff(outs.clientId, results.read.ok.props, wanted));
    await attempt("update", () => client.update(outs.clientId, results.read.ok.props, { ...wanted, name: "Coder (host)", secretVersion: "2" }));
    await attempt("delete", () => client.delete(outs.clientId, results.update.ok.outs));
    await attempt("gone", () => client.read(outs.clientId, outs));
  }
  if (job.steps.includes("no-credentials")) await attempt("noCredentials", () => client.read("coder", { adminUrl: job.client.adminUrl }));
  process.stdout.write(JSON.stringify(results));
})().catch((error) => { process.stdout.write(JSON.stringify({ crashed: String(error && error.stack) })); });
`;

describe("serialized providers in a plain Node.js process, as Pulumi's provider host runs them", () => {
  let sim: PfAdminSim;
  let dir: string;
  const files = { clientProvider: "", scopeProvider: "", script: "" };

  before(async () => {
    sim = await startPfAdminSim();
    dir = mkdtempSync(join(tmpdir(), "pf-host-"));
    files.clientProvider = join(dir, "client-provider.js");
    files.scopeProvider = join(dir, "scope-provider.js");
    files.script = join(dir, "host.js");
    const client = await pulumi.runtime.serializeFunction(() => pingFederateClientProvider, { allowSecrets: true });
    const scope = await pulumi.runtime.serializeFunction(() => pingFederateScopeProvider, { allowSecrets: true });
    writeFileSync(files.clientProvider, client.text);
    writeFileSync(files.scopeProvider, scope.text);
    writeFileSync(files.script, HOST_SCRIPT);
  });
  after(async () => {
    rmSync(dir, { recursive: true, force: true });
    await sim.close();
  });

  /** Runs the host script with a job; the child has no PINGFEDERATE_* variable and no TypeScript loader. */
  async function host(job: Record<string, unknown>): Promise<Record<string, { ok?: unknown; error?: { message: string; code?: string; name: string; isError: boolean } }>> {
    const jobFile = join(dir, `job-${Date.now()}.json`);
    writeFileSync(jobFile, JSON.stringify({ ...job, clientProvider: files.clientProvider, scopeProvider: files.scopeProvider }));
    // Asynchronous on purpose: the simulator answers from this process's event loop.
    const { stdout } = await promisify(execFile)(process.execPath, [files.script, jobFile], { cwd: REPO, env: { PATH: process.env.PATH ?? "" } });
    const results = JSON.parse(stdout) as Record<string, never>;
    assert.equal(results.crashed, undefined, String(results.crashed));
    return results;
  }

  test("the whole lifecycle works from the serialized text, with credentials delivered by configure", async () => {
    const results = await host({
      configure: true,
      steps: ["lifecycle"],
      config: { "coder-oidc:pingfederate": JSON.stringify({ adminUrl: sim.url, username: sim.username, password: sim.password }) },
      scope: { adminUrl: sim.url, name: "offline_access", description: "Offline access" },
      client: coderClientInputs(sim.url, { clientId: "coder-host", secretVersion: "1" }),
    });
    assert.equal((results.scope.ok as { id: string }).id, "offline_access");
    const created = results.create.ok as { id: string; outs: { clientSecret: string } };
    assert.equal(created.id, "coder-host");
    assert.match(created.outs.clientSecret, /^[A-Za-z0-9_-]{43}$/);
    assert.equal((results.diff.ok as { changes: boolean }).changes, false);
    const updated = results.update.ok as { outs: { clientSecret: string; name: string } };
    assert.equal(updated.outs.name, "Coder (host)");
    assert.notEqual(updated.outs.clientSecret, created.outs.clientSecret);
    const rotation = sim.requests.find((r) => r.method === "PUT" && r.path === "/oauth/clients/coder-host/clientAuth/clientSecret")!;
    assert.equal((rotation.body as { secret: string }).secret, updated.outs.clientSecret);
    assert.equal((rotation.body as { secondarySecrets: unknown[] }).secondarySecrets.length, 1);
    assert.equal(sim.getClient("coder-host"), undefined);
    assert.deepEqual(results.gone.ok, { id: "" });
  });

  test("errors raised in the host keep their code and an actionable message", async () => {
    const results = await host({
      configure: true,
      steps: ["lifecycle"],
      config: { "coder-oidc:pingfederate": JSON.stringify({ adminUrl: sim.url, username: sim.username, password: sim.password }) },
      scope: { adminUrl: sim.url, name: "offline_access", description: "Offline access" },
      client: coderClientInputs(sim.url, { clientId: "coder-host-errors" }),
    });
    const rejected = results.rejected.error!;
    assert.equal(rejected.isError, true);
    assert.equal(rejected.code, "ERR_PF_API");
    assert.match(rejected.message, /POST \/oauth\/clients failed with HTTP 422[\s\S]*- restrictedScopes\[4\]: The scope "undefined_scope" is not defined/);
    const duplicate = results.duplicate.error!;
    assert.equal(duplicate.code, "ERR_PF_CLIENT_EXISTS");
    assert.match(duplicate.message, /pulumi config set coder-oidc:adoptClientId coder-host-errors and pulumi up/);
  });

  test("without configured or environment credentials the host says both ways to give them", async () => {
    const results = await host({ configure: false, steps: ["no-credentials"], config: {}, client: { adminUrl: sim.url } });
    const error = results.noCredentials.error!;
    assert.equal(error.code, "ERR_CONFIG_INVALID");
    assert.match(error.message, /PINGFEDERATE_ADMIN_USERNAME and PINGFEDERATE_ADMIN_PASSWORD[\s\S]*PINGFEDERATE_ADMIN_TOKEN[\s\S]*pulumi config set --secret/);
  });
});
