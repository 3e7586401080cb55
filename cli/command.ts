/**
 * What every `coder-oidc` command shares: reading commander's verdict on `--help`/`--version`, and running as a
 * process (exit codes, a reader that goes away, a crash told in one line).
 */
import { CommanderError, type Command } from "commander";

/** Exit codes of the plan and env commands (and the usage code every command shares). */
export const ExitCode = { Ok: 0, StackFailed: 1, Usage: 2 } as const;

/** The streams a command writes to: the process's own, or others in a test. */
export interface OutputStreams {
  /** Where the command's output goes. */
  readonly stdout: NodeJS.WritableStream;
  /** Where messages go. */
  readonly stderr: NodeJS.WritableStream;
}

/** The process's stdout and stderr, as they are when called. */
export function processStreams(): OutputStreams {
  return { stdout: process.stdout, stderr: process.stderr };
}

/**
 * Parses `argv` with `program` (help and errors on the right streams, nothing exits the process): undefined when
 * the command should go on, else its exit code (0 after `--help`/`--version`, 2 for bad arguments).
 */
export function parseArguments(program: Command, argv: readonly string[], io: OutputStreams = processStreams()): number | undefined {
  program
    .exitOverride()
    .configureOutput({ writeErr: (s) => io.stderr.write(s), writeOut: (s) => io.stdout.write(s) });
  try {
    program.parse(argv, { from: "user" });
    return undefined;
  } catch (err) {
    return helpOrUsage(err);
  }
}

/** Exit code for what commander threw: 0 after `--help` or `--version`, else a usage error. */
export function helpOrUsage(err: unknown): number {
  return err instanceof CommanderError && err.exitCode === 0 ? ExitCode.Ok : ExitCode.Usage;
}


/** Runs a command as a process: its exit code, and a readable line (no stack trace) if it crashes. */
export function runAsProcess(
  name: string,
  run: (argv: readonly string[], io: OutputStreams) => Promise<number>,
  argv: readonly string[],
  /** The exit code of a crash: 1 for plan and env; the commands whose 2 means "could not check" pass 2. */
  crashCode: number = ExitCode.StackFailed,
  { stdout, stderr }: OutputStreams = processStreams(),
): void {
  // A reader that goes away (`| head`), or a full disk behind `>`: say so, never a stack trace.
  for (const stream of [stdout, stderr]) {
    stream.on("error", (err: NodeJS.ErrnoException) => {
      if (stream !== stderr) stderr.write(`${name}: could not write the output (${err.code ?? err.message})\n`);
      process.exit(ExitCode.Usage);
    });
  }
  run(argv, { stdout, stderr }).then(
    // Exit once stdout is flushed: a large JSON into a pipe is never cut short, and a failed write is seen.
    (code) => stdout.write("", () => setImmediate(() => process.exit(code))),
    (err: unknown) => {
      const detail = process.env.CODER_OIDC_DEBUG && err instanceof Error ? err.stack : err instanceof Error ? err.message : String(err);
      stderr.write(`${name} failed unexpectedly: ${detail}\n(set CODER_OIDC_DEBUG=1 for the stack trace)\n`);
      process.exit(crashCode);
    },
  );
}
