/**
 * What every `coder-oidc` command shares: reading commander's verdict on `--help`/`--version`, and running as a
 * process (exit codes, a reader that goes away, a crash told in one line).
 */
import { ExitCode } from "../src/exit-codes";
import { CommanderError, type Command } from "commander";
import { safeMessage } from "../src/safe-text";

export { ExitCode } from "../src/exit-codes";


/** Error codes (`err.code`) whose situation is "could not check or bad input" (exit 2) in every command. */
const COULD_NOT_CHECK = new Set(["ERR_STACK_FILE", "ERR_PULUMI_CLI", "ERR_USAGE"]);

/** The exit code of a coded error, by its code: 2 for could not check or bad input, 1 for the rest. */
export function exitCodeOf(err: { readonly code?: unknown }): number {
  return typeof err.code === "string" && COULD_NOT_CHECK.has(err.code) ? ExitCode.Usage : ExitCode.StackFailed;
}

/** The output formats a command may have; only `json` changes how fatal errors are told. */
export type Format = string | undefined;

/** Whether `argv` asks for `--format json` (`--format json`, `--format=json`, `-f json`, `-fjson`). */
export function asksForJson(argv: readonly string[]): boolean {
  return argv.some((arg, i) => arg === "--format=json" || arg === "-fjson" ||
    ((arg === "--format" || arg === "-f") && argv[i + 1] === "json"));
}

/**
 * Tells a fatal error (the command stops): one `error: …` line per problem on stderr; with `--format json`, also
 * `{"error": {code, message, exitCode}}` on stdout, so that a machine reading stdout sees it. Returns `exitCode`.
 */
export function fatal(io: OutputStreams, json: boolean, message: string, exitCode: number = ExitCode.Usage, code = "ERR_USAGE"): number {
  const text = safeMessage(message);
  io.stderr.write(text.split("\n").map((line, i) => (i === 0 ? `error: ${line}` : line)).join("\n") + "\n");
  if (json) io.stdout.write(JSON.stringify({ error: { code, message: text, exitCode } }, null, 2) + "\n");
  return exitCode;
}

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
  // Usage lines name the command as it is typed: `coder-oidc plan [options]`.
  if (!program.name().startsWith("coder-oidc")) program.name(`coder-oidc ${program.name()}`);
  const json = asksForJson(argv);
  program
    .exitOverride()
    .configureOutput({
      // Commander quotes what was typed (an unknown option): shown escaped, on one line.
      writeErr: (s) => io.stderr.write(safeMessage(s)),
      writeOut: (s) => io.stdout.write(s),
    });
  try {
    program.parse(argv, { from: "user" });
    return undefined;
  } catch (err) {
    const code = helpOrUsage(err);
    if (json && code !== ExitCode.Ok) {
      const message = safeMessage(err instanceof Error ? err.message.replace(/^error: /, "") : String(err));
      io.stdout.write(JSON.stringify({ error: { code: "ERR_USAGE", message, exitCode: code } }, null, 2) + "\n");
    }
    return code;
  }
}

/**
 * Refuses options that were given but do not apply (e.g. `--secret-name` with `--format dotenv`): one problem
 * per option given, saying why; none when every option given applies.
 */
export function notApplying(program: Command, rules: readonly { readonly option: string; readonly applies: boolean; readonly why: string }[]): string[] {
  return rules.filter((r) => !r.applies && program.getOptionValueSource(r.option) === "cli").map((r) => r.why);
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
  // A reader that goes away (`| head`) is no error: the rest of the output is dropped and the command exits with
  // its own code, saying nothing. A full disk behind `>` is: say so, never a stack trace.
  let readerGone = false;
  for (const stream of [stdout, stderr]) {
    stream.on("error", (err: NodeJS.ErrnoException) => {
      if (stream === stdout && (err.code === "EPIPE" || err.code === "ERR_STREAM_DESTROYED")) {
        readerGone = true;
        return;
      }
      if (stream !== stderr && !readerGone) stderr.write(`${name}: could not write the output (${err.code ?? err.message})\n`);
      process.exit(ExitCode.Usage);
    });
  }
  run(argv, { stdout, stderr }).then(
    // Exit once stdout is flushed: a large JSON into a pipe is never cut short, and a failed write is seen.
    (code) => (readerGone ? process.exit(code) : stdout.write("", () => setImmediate(() => process.exit(code)))),
    (err: unknown) => {
      const detail = process.env.CODER_OIDC_DEBUG && err instanceof Error ? err.stack : err instanceof Error ? err.message : String(err);
      stderr.write(`${name} failed unexpectedly: ${safeMessage(detail ?? "")}\n(set CODER_OIDC_DEBUG=1 for the stack trace)\n`);
      process.exit(crashCode);
    },
  );
}
