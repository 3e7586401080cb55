/**
 * `npm run bench` (first part): how reading and validating a stack file grows with its size. For stack files of
 * 25 000 to 200 000 keys in a namespace coder-oidc does not know (the case the hostile-input review timed at six
 * minutes), it prints the median time of reading the file (engine/stack-file.ts) and of validating its config
 * (src/config.ts), and the time per 1 000 keys: flat per-key figures mean linear growth. It asserts nothing.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readStackFile } from "../engine/stack-file";
import { parseStackConfig } from "../idps/registry";
import { ConfigError } from "../src/errors";

const SIZES = [25_000, 50_000, 100_000, 200_000];
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function timed(run: () => void): number {
  const times: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const started = performance.now();
    run();
    times.push(performance.now() - started);
  }
  return median(times);
}

function main(): void {
  const dir = mkdtempSync(join(tmpdir(), "coder-oidc-bench-config-"));
  const rows: string[] = [];
  try {
    for (const size of SIZES) {
      const lines = ["config:", "  coder-oidc:idp: keycloak", "  coder-oidc:coderUrl: https://coder.example.com"];
      for (let i = 0; i < size; i++) lines.push(`  other:key${i}: v${i}`);
      writeFileSync(join(dir, "Pulumi.big.yaml"), lines.join("\n") + "\n");
      const file = readStackFile("big", dir);
      const readMs = timed(() => readStackFile("big", dir));
      const validateMs = timed(() => {
        try {
          parseStackConfig(file);
        } catch (err) {
          if (!(err instanceof ConfigError)) throw err;
        }
      });
      rows.push(`| ${size.toLocaleString("en")} | ${readMs.toFixed(0)} | ${(readMs / (size / 1000)).toFixed(2)} | ` +
        `${validateMs.toFixed(0)} | ${(validateMs / (size / 1000)).toFixed(2)} |`);
      process.stderr.write(`[config-scale] ${size} keys done\n`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  process.stdout.write([
    `Stack files with many keys in an unknown namespace (median of ${ROUNDS}):`,
    "",
    "| keys | read (ms) | read per 1 000 keys (ms) | validate (ms) | validate per 1 000 keys (ms) |",
    "|---|---|---|---|---|",
    ...rows,
    "",
  ].join("\n"));
}

main();
