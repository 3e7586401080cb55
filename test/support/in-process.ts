/**
 * Runs a command's entry point (`runPlan`, `runDoctor`, …) in this process with stdout and stderr captured, so
 * that what it does counts for coverage and mutation testing; test/cli/cli.test.ts runs the same as processes.
 */
import type { TestContext } from "node:test";

/** What a command did: its exit code and everything it wrote. */
export interface CommandRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `run(argv)` with process.stdout and process.stderr captured (and not passed on) until it settles. */
export async function runInProcess(t: TestContext, run: (argv: readonly string[]) => Promise<number>, argv: readonly string[]): Promise<CommandRun> {
  let stdout = "";
  let stderr = "";
  t.mock.method(process.stdout, "write", (chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  t.mock.method(process.stderr, "write", (chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
  try {
    const code = await run(argv);
    return { code, stdout, stderr };
  } finally {
    t.mock.restoreAll();
  }
}
