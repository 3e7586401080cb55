/**
 * Runs a command's entry point (`runPlan`, `runDoctor`, …) in this process, writing to streams that record what
 * it writes, so that what it does counts for coverage and mutation testing; test/cli/cli.test.ts runs the same
 * as processes. (The test runner's own report shares the process's stdout, so that is never captured.)
 */
import assert from "node:assert/strict";
import { Writable } from "node:stream";
import type { OutputStreams } from "../../cli/command";

/** What a command did: its exit code and everything it wrote. */
export interface CommandRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Streams that keep what is written to them; `written()` reads it back. */
export function recordingStreams(): { streams: OutputStreams; written: () => { stdout: string; stderr: string } } {
  const chunks = { stdout: "", stderr: "" };
  const stream = (key: keyof typeof chunks) => new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks[key] += chunk.toString();
      done();
    },
  });
  return { streams: { stdout: stream("stdout"), stderr: stream("stderr") }, written: () => ({ ...chunks }) };
}

/** Runs `run(argv)` with recording streams: its exit code and what it wrote to each. */
export async function runInProcess(run: (argv: readonly string[], io: OutputStreams) => Promise<number>, argv: readonly string[]): Promise<CommandRun> {
  const { streams, written } = recordingStreams();
  const code = await run(argv, streams);
  return { code, ...written() };
}

/**
 * Asserts that `run --help` exits 0 and lists each of `lines` (an option with what it does). Commander wraps at 80
 * columns, around defaults that hold this checkout's path, so spaces and line breaks are folded before comparing.
 */
export async function assertHelpLists(run: (argv: readonly string[], io: OutputStreams) => Promise<number>, lines: readonly string[]): Promise<void> {
  const help = await runInProcess(run, ["--help"]);
  assert.equal(help.code, 0);
  assert.equal(help.stderr, "");
  const text = help.stdout.replace(/\s+/g, " ");
  for (const line of lines) assert.ok(text.includes(line), line);
}
