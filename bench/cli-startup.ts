/**
 * `npm run bench` (first part): what starting `coder-oidc` costs, against what its SDKs cost alone. Medians of 5
 * runs of each, as processes: `node -e 'require("@pulumi/pulumi")'` (the floor of any command), `coder-oidc
 * --version`, `coder-oidc --help`, and `coder-oidc plan --stack dev-keycloak --format json` against its SDK floor
 * (Node loading `@pulumi/pulumi` and the `@pulumi/keycloak` classes the Keycloak component uses). It prints each
 * figure and the two ratios with their goals (issue 17: `--version`/`--help` within 3x, a one-stack plan within
 * 1.5x); it asserts nothing, as timings depend on the machine.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const ROOT = resolve(__dirname, "..");
const BIN = resolve(ROOT, "bin/coder-oidc.cjs");
const RUNS = 5;

/** One process to time: `node <args>` in the project root, with `env` added to this process's environment. */
interface Run {
  readonly args: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
}

/**
 * Seconds, the median of {@link RUNS} runs of each: the runs are interleaved (one of each, then again), so that a
 * machine busy for a moment slows all of them alike. Throws when a run fails.
 */
function medians(runs: readonly Run[]): number[] {
  const times = runs.map((): number[] => []);
  for (let round = 0; round < RUNS; round++) {
    runs.forEach((run, i) => {
      const started = performance.now();
      const child = spawnSync(process.execPath, run.args, { cwd: ROOT, encoding: "utf8", maxBuffer: 64 * 1024 * 1024, env: { ...process.env, ...run.env } });
      times[i].push((performance.now() - started) / 1000);
      if (child.status !== 0) throw new Error(`node ${run.args.join(" ")} exited ${child.status}: ${child.stderr}`);
    });
  }
  return times.map((t) => t.sort((a, b) => a - b)[Math.floor(RUNS / 2)]);
}

const PULUMI_FLOOR = 'require("@pulumi/pulumi")';
const KEYCLOAK_FLOOR = 'require("@pulumi/pulumi"); const k = require("@pulumi/keycloak"); ' +
  "void [k.Provider, k.getRealmOutput, k.openid.Client, k.openid.ClientOptionalScopes, k.openid.getClient]";

function main(): void {
  const cache = mkdtempSync(join(tmpdir(), "coder-oidc-bench-compile-cache-"));
  try {
    const [pulumi, versionRun, helpRun, keycloak, keycloakCached, plan] = medians([
      { args: ["-e", PULUMI_FLOOR] },
      { args: [BIN, "--version"] },
      { args: [BIN, "--help"] },
      { args: ["-e", KEYCLOAK_FLOOR] },
      { args: ["-e", KEYCLOAK_FLOOR], env: { NODE_COMPILE_CACHE: cache } },
      { args: [BIN, "plan", "--stack", "dev-keycloak", "--format", "json"] },
    ]);
    const s = (seconds: number) => `${seconds.toFixed(2)} s`;
    const ratio = (value: number, floor: number, goal: number) => {
      const r = value / floor;
      return `${r.toFixed(2)}x (goal <= ${goal}x: ${r <= goal ? "met" : "not met"})`;
    };
    process.stdout.write([
      "",
      `CLI start-up (medians of ${RUNS} interleaved runs, Node ${process.version}):`,
      `  node -e 'require("@pulumi/pulumi")'                  ${s(pulumi)}`,
      `  coder-oidc --version                                 ${s(versionRun)}  ${ratio(versionRun, pulumi, 3)}`,
      `  coder-oidc --help                                    ${s(helpRun)}  ${ratio(helpRun, pulumi, 3)}`,
      `  SDK floor: @pulumi/pulumi + @pulumi/keycloak classes ${s(keycloak)}`,
      `  coder-oidc plan --stack dev-keycloak --format json   ${s(plan)}  ${ratio(plan, keycloak, 1.5)}`,
      `  (the SDK floor with Node's compile cache, as the bin runs: ${s(keycloakCached)}; the plan against it: ${(plan / keycloakCached).toFixed(2)}x)`,
      "",
    ].join("\n"));
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
}

main();
