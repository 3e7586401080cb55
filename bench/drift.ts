/**
 * `npm run bench` (third part): what `npm run drift -- --all` costs as environments are added. For 1 and for 8
 * PingFederate stacks, deployed with the real Pulumi engine (the e2e's tools) against the admin API simulator on
 * 127.0.0.1, it times `drift --all` (concurrency 4) and prints the wall time and the time per stack. The stacks are
 * destroyed and everything is removed at the end. It prints figures and asserts nothing.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { startPfAdminSim } from "../e2e/support/pf-admin-sim";
import { createPulumiSandbox } from "../e2e/support/pulumi";
import { ensureTools } from "../e2e/tools";

const ROOT = resolve(__dirname, "..");
const CONCURRENCY = 4;

function driftAll(projectDir: string, env: Record<string, string>): Promise<{ status: number; ms: number; stacks: number }> {
  const started = performance.now();
  return new Promise((done) => {
    execFile(process.execPath, ["--import", "tsx", join(ROOT, "cli/drift.ts"), "--all", "--project-dir", projectDir,
      "--concurrency", String(CONCURRENCY), "--format", "json"], { cwd: ROOT, encoding: "utf8", env: { ...process.env, ...env } },
    (err, stdout) => {
      const report = JSON.parse(stdout || "{}") as { stacks?: unknown[] };
      done({ status: err ? Number(err.code) : 0, ms: performance.now() - started, stacks: report.stacks?.length ?? 0 });
    });
  });
}

async function main(): Promise<void> {
  const tools = await ensureTools(() => undefined);
  const tmp = mkdtempSync(join(tmpdir(), "coder-oidc-bench-drift-"));
  const sim = await startPfAdminSim();
  const rows: string[] = [];
  try {
    for (const count of [1, 8]) {
      const sandbox = await createPulumiSandbox(tools, tmp);
      const stacks = [];
      for (let i = 0; i < count; i++) {
        const stack = await sandbox.stack(`bench-${count}-${i}`, {
          "coder-oidc:coderUrl": `https://coder-${i}.bench.example.com`,
          "coder-oidc:idp": "pingfederate",
          "coder-oidc:clientId": `coder-bench-${count}-${i}`,
          "coder-oidc:pingfederate": { adminUrl: sim.httpsUrl, issuerUrl: "https://sso.bench.example.com", caCertificate: sim.caPem },
        }, { "coder-oidc:pingfederate.username": sim.username, "coder-oidc:pingfederate.password": sim.password });
        await stack.up();
        stacks.push(stack);
      }
      const result = await driftAll(sandbox.projectDir, sandbox.env);
      rows.push(`  ${String(count).padStart(2)} stack(s): drift --all ${(result.ms / 1000).toFixed(1)} s wall, ` +
        `${(result.ms / 1000 / count).toFixed(2)} s per stack (exit ${result.status}, ${result.stacks} checked, concurrency ${CONCURRENCY})`);
      for (const stack of stacks) await stack.destroy();
      sandbox.close();
    }
  } finally {
    await sim.close();
    rmSync(tmp, { recursive: true, force: true });
  }
  process.stdout.write(`\nDrift check cost (PingFederate stacks, real Pulumi engine ${tools.pulumiVersion}, simulator on 127.0.0.1):\n${rows.join("\n")}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
