/**
 * `coder-oidc plan [--stack <name> | --all] [--format text|json] [--stacks-dir <dir>]`
 *
 * Shows, without the Pulumi CLI, credentials or network, what a stack declares at its IdP and the Coder
 * settings it outputs. With no stack named, plans the README's example stack.
 *
 * With `--diff <ref>`: the review diff against a git ref (./review-diff.ts), `--format text|markdown|json`.
 *
 * Exit codes: 0 every stack planned; 1 a stack's config or program failed (the readable errors are
 * printed), or a mandatory policy of the pack failed; 2 bad arguments, unknown stack, malformed or unreadable
 * stack file, or nothing to plan. Over several stacks, the highest. `--format json` prints an entry per stack,
 * failures included (`{stack, error}`).
 */
import { Command, Option } from "commander";
import { CoderOidcError } from "../src/errors";
import { safeMessage, shown } from "../src/safe-text";
import { planStack, planToJson, renderPlanText } from "../engine/plan";
import { hasMandatoryViolation } from "../engine/policy-run";
import type * as ReviewModule from "./review";
import { listStacks, readStackFile, STACKS_DIR } from "../engine/stack-file";
import { ExitCode, exitCodeOf, fatal, parseArguments, runAsProcess, type OutputStreams, processStreams } from "./command";
import { version } from "./version";

/** The stack planned when none is named; the README's Quick start uses it. */
export const DEFAULT_STACK = "dev-keycloak";

export { ExitCode } from "./command";

/**
 * Runs `plan` with `argv` (the arguments after the command name) and returns its exit code. Output goes to
 * stdout and stderr; nothing is thrown for a user's mistake.
 */
export async function runPlan(argv: readonly string[], io: OutputStreams = processStreams()): Promise<number> {
  const program = new Command("plan")
    .description("Offline plan: what a stack declares at its IdP and the Coder settings it outputs")
    .option("-s, --stack <name>", "stack to plan (stacks/Pulumi.<name>.yaml)")
    .option("-a, --all", "plan every stack in the stacks folder")
    .option("--stacks-dir <dir>", "folder of Pulumi.<stack>.yaml files", STACKS_DIR)
    .option("--diff <ref>", "review diff: compare with the plans at a git ref (a temporary worktree of it)")
    .addOption(new Option("-f, --format <format>", "output format (markdown: with --diff)").choices(["text", "json", "markdown"]).default("text"))
    .version(version());
  const stop = parseArguments(program, argv, io);
  if (stop !== undefined) return stop;
  const options = program.opts<{ stack?: string; all?: boolean; format: "text" | "json" | "markdown"; stacksDir: string; diff?: string }>();
  const json = options.format === "json";
  if (options.stack && options.all) return fatal(io, json, "--stack and --all exclude each other");
  if (options.diff !== undefined) {
    // The review diff (and git) is required only when asked for.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { runReviewDiff } = require("./review") as typeof ReviewModule;
    return runReviewDiff({ ...options, ref: options.diff }, io);
  }
  if (options.format === "markdown") return fatal(io, false, "--format markdown goes with --diff <ref>");
  let stacks: string[];
  try {
    stacks = options.all ? listStacks(options.stacksDir) : [options.stack ?? DEFAULT_STACK];
  } catch (err) {
    if (!(err instanceof CoderOidcError)) throw err;
    return fatal(io, json, err.message, ExitCode.Usage, err.code);
  }
  if (stacks.length === 0) {
    return fatal(io, json, `--all found no Pulumi.<stack>.yaml in ${shown(options.stacksDir)}: nothing was planned`);
  }

  const results: unknown[] = [];
  let status: number = ExitCode.Ok;
  for (const stack of stacks) {
    try {
      const file = readStackFile(stack, options.stacksDir);
      const plan = await planStack(stack, file);
      results.push(planToJson(plan));
      if (options.format === "text") io.stdout.write(renderPlanText(plan) + "\n");
      if (hasMandatoryViolation(plan.policies)) {
        io.stderr.write(`Stack ${shown(stack)}: a mandatory policy failed (see Policies); change what it names.\n`);
        status = Math.max(status, ExitCode.StackFailed);
      }
    } catch (err) {
      if (!(err instanceof CoderOidcError)) throw err;
      const message = safeMessage(err.message);
      io.stderr.write(`Stack ${shown(stack)}: ${message}\n\n`);
      const code = exitCodeOf(err);
      results.push({ stack, error: { code: err.code, message, exitCode: code } });
      status = Math.max(status, code);
    }
  }
  if (options.format === "json") {
    io.stdout.write(JSON.stringify(options.all ? results : results[0], null, 2) + "\n");
  }
  return status;
}

if (require.main === module) runAsProcess("plan", runPlan, process.argv.slice(2));
