/**
 * `npm run test:e2e [-- <file filter>]`: the real-engine suite. Makes (or reuses) the tools of e2e/versions.json,
 * runs every `e2e/*.e2e.ts` file one after the other with node:test (each step printed as it runs), then prints
 * the closing `N passed, N failed` line and the wall time.
 *
 * Every file starts the services it needs on 127.0.0.1 and stops them in its `after` hooks, also on failure.
 * Everything temporary lives in one directory (TMPDIR points there for the children), removed at the end.
 *
 * Exit codes: 0 every test passed; 1 a test failed, or the tools could not be made.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TMP_ENV, TOOLS_ENV } from "./support/context";
import { elapsed } from "./support/steps";
import { REPO_ROOT } from "./support/versions";
import { ensureTools, toolEnv } from "./tools";

/** Processes whose command line names `dir` (every service the e2e starts runs from its temporary directory). */
function processesUnder(dir: string): { pid: number; command: string }[] {
  const found: { pid: number; command: string }[] = [];
  for (const entry of readdirSync("/proc")) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      const command = readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ").trim();
      if (command.includes(dir)) found.push({ pid, command: command.slice(0, 200) });
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}

async function main(filters: readonly string[]): Promise<number> {
  const start = performance.now();
  const tmp = mkdtempSync(join(tmpdir(), "coder-oidc-e2e-"));
  try {
    const tools = await ensureTools();
    process.stdout.write(`e2e: tools ready (${elapsed(start)}): pulumi ${tools.pulumiVersion} (${tools.pulumiSource}), ` +
      `language host ${tools.languageHost.version} (${tools.languageHost.origin}: ${tools.languageHost.path}), Keycloak ${tools.keycloakHome}\n`);
    const files = readdirSync(join(REPO_ROOT, "e2e"))
      .filter((name) => name.endsWith(".e2e.ts") && (filters.length === 0 || filters.some((f) => name.includes(f))))
      .sort()
      .map((name) => join("e2e", name));
    if (files.length === 0) {
      process.stderr.write(`e2e: no test file matches ${filters.join(" ")}\n`);
      return 1;
    }
    const code = await new Promise<number>((resolve) => {
      const child = spawn(process.execPath, [
        "--import", "tsx", "--test", "--test-concurrency=1",
        "--test-reporter=spec", "--test-reporter-destination=stdout",
        "--test-reporter=./e2e/support/summary-reporter.mjs", "--test-reporter-destination=stdout",
        ...files,
      ], {
        cwd: REPO_ROOT,
        stdio: "inherit",
        env: { ...process.env, ...toolEnv(tools), TMPDIR: tmp, [TMP_ENV]: tmp, [TOOLS_ENV]: JSON.stringify(tools) },
      });
      child.on("close", (status) => resolve(status ?? 1));
    });
    const leftovers = processesUnder(tmp);
    if (leftovers.length > 0) {
      process.stderr.write(`e2e: processes left running (now killed):\n${leftovers.map((p) => `  ${p.pid} ${p.command}`).join("\n")}\n`);
      for (const { pid } of leftovers) process.kill(pid, "SIGKILL");
    }
    process.stdout.write(`e2e: wall time ${elapsed(start)}\n`);
    return code === 0 && leftovers.length === 0 ? 0 : 1;
  } catch (err) {
    process.stderr.write(`e2e: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

main(process.argv.slice(2)).then((code) => process.exit(code));
