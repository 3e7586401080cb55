/**
 * `npm run plan -- [--stack <name> | --all] [--format text|json] [--stacks-dir <dir>]`
 *
 * Shows, without the Pulumi CLI, credentials or network, what a stack declares at its IdP and the Coder
 * settings it outputs. With no stack named, plans the README's example stack.
 *
 * Exit codes: 0 every stack planned; 1 a stack's config or program failed (the readable errors are
 * printed); 2 bad arguments, unknown stack, malformed or unreadable stack file, or nothing to plan. Over several
 * stacks, the highest. `--format json` prints an entry per stack, failures included (`{stack, error}`).
 */
import { Command, CommanderError, Option } from "commander";
import { CoderOidcError, StackFileError } from "../src/errors";
import { planStack, planToJson, renderPlanText } from "./plan-core";
import { listStacks, readStackFile, STACKS_DIR } from "./stack-file";
import { version } from "./version";

/** The stack planned when none is named; the README's Quick start uses it. */
export const DEFAULT_STACK = "dev-keycloak";

/** Exit codes of the plan and env commands. */
export const ExitCode = { Ok: 0, StackFailed: 1, Usage: 2 } as const;

/**
 * Runs `plan` with `argv` (the arguments after the command name) and returns its exit code. Output goes to
 * stdout and stderr; nothing is thrown for a user's mistake.
 */
export async function runPlan(argv: readonly string[]): Promise<number> {
  const program = new Command("plan")
    .description("Offline plan: what a stack declares at its IdP and the Coder settings it outputs")
    .option("-s, --stack <name>", "stack to plan (stacks/Pulumi.<name>.yaml)")
    .option("-a, --all", "plan every stack in the stacks folder")
    .option("--stacks-dir <dir>", "folder of Pulumi.<stack>.yaml files", STACKS_DIR)
    .addOption(new Option("-f, --format <format>", "output format").choices(["text", "json"]).default("text"))
    .version(version())
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s), writeOut: (s) => process.stdout.write(s) });
  try {
    program.parse(argv, { from: "user" });
  } catch (err) {
    return helpOrUsage(err);
  }
  const options = program.opts<{ stack?: string; all?: boolean; format: "text" | "json"; stacksDir: string }>();
  if (options.stack && options.all) {
    process.stderr.write("error: --stack and --all exclude each other\n");
    return ExitCode.Usage;
  }
  let stacks: string[];
  try {
    stacks = options.all ? listStacks(options.stacksDir) : [options.stack ?? DEFAULT_STACK];
  } catch (err) {
    if (!(err instanceof CoderOidcError)) throw err;
    process.stderr.write(`error: ${err.message}\n`);
    return ExitCode.Usage;
  }
  if (stacks.length === 0) {
    process.stderr.write(`error: --all found no Pulumi.<stack>.yaml in ${options.stacksDir}: nothing was planned\n`);
    return ExitCode.Usage;
  }

  const results: unknown[] = [];
  let status: number = ExitCode.Ok;
  for (const stack of stacks) {
    try {
      const file = readStackFile(stack, options.stacksDir);
      const plan = await planStack(stack, file);
      results.push(planToJson(plan));
      if (options.format === "text") process.stdout.write(renderPlanText(plan) + "\n");
    } catch (err) {
      if (!(err instanceof CoderOidcError)) throw err;
      process.stderr.write(`Stack ${stack}: ${err.message}\n\n`);
      const code = err instanceof StackFileError ? ExitCode.Usage : ExitCode.StackFailed;
      results.push({ stack, error: { code: err.code, message: err.message, exitCode: code } });
      status = Math.max(status, code);
    }
  }
  if (options.format === "json") {
    process.stdout.write(JSON.stringify(options.all ? results : results[0], null, 2) + "\n");
  }
  return status;
}

/** Exit code for what commander threw: 0 after `--help` or `--version`, else a usage error. */
export function helpOrUsage(err: unknown): number {
  return err instanceof CommanderError && err.exitCode === 0 ? ExitCode.Ok : ExitCode.Usage;
}

/** Runs a command as a process: its exit code, and a readable line (no stack trace) if it crashes. */
export function runAsProcess(name: string, run: (argv: readonly string[]) => Promise<number>, argv: readonly string[]): void {
  // A reader that goes away (`| head`), or a full disk behind `>`: say so, never a stack trace.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (err: NodeJS.ErrnoException) => {
      if (stream !== process.stderr) process.stderr.write(`${name}: could not write the output (${err.code ?? err.message})\n`);
      process.exit(ExitCode.Usage);
    });
  }
  run(argv).then(
    // Exit once stdout is flushed: a large JSON into a pipe is never cut short, and a failed write is seen.
    (code) => process.stdout.write("", () => setImmediate(() => process.exit(code))),
    (err: unknown) => {
      const detail = process.env.CODER_OIDC_DEBUG && err instanceof Error ? err.stack : err instanceof Error ? err.message : String(err);
      process.stderr.write(`${name} failed unexpectedly: ${detail}\n(set CODER_OIDC_DEBUG=1 for the stack trace)\n`);
      process.exit(ExitCode.StackFailed);
    },
  );
}

if (require.main === module) runAsProcess("plan", runPlan, process.argv.slice(2));
