/**
 * `coder-oidc drift --stack <name> | --all [--format text|json] [--concurrency <n>]`
 *
 * Checks whether someone changed the IdP by hand: a refresh-preview of the deployed stack through the
 * Automation API (engine/automation.ts), reporting per resource the fields that differ, with the program's
 * and the live values (secrets masked). `--all` checks every stack of the stacks folder, a few at a time,
 * and ends with a summary table.
 *
 * Exit codes: 0 no drift; 1 drift; 2 could not check (no Pulumi CLI, no credentials, stack missing, IdP
 * unreachable, bad arguments), each with a message naming what to fix. With `--all`, the worst of them.
 */
import { Command, Option } from "commander";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { checkStackDrift, PROJECT_ROOT } from "../engine/automation";
import { fatal, notApplying, parseArguments, runAsProcess, type OutputStreams, processStreams } from "./command";
import { version } from "./version";
import { DriftExitCode, mapBounded, renderStackDrift, renderSummaryTable, worstExitCode, type StackDriftResult } from "../engine/drift";
import { StackFileError } from "../src/errors";
import { shown } from "../src/safe-text";
import { checkStackName, listStacks, stacksDirOf } from "../engine/stack-file";

/** How many stacks `--all` checks at once, unless told. */
export const DEFAULT_CONCURRENCY = 4;

/**
 * Runs `body` with TMPDIR pointing at a directory of its own, removed afterwards. The Automation API writes an
 * event-log directory in the temporary directory for every preview and removes it asynchronously, which a
 * command that exits right after never waits for (seen: /tmp filling with `automation-logs-preview-*`).
 */
async function withPrivateTmpdir<T>(body: () => Promise<T>): Promise<T> {
  const previous = process.env.TMPDIR;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "coder-oidc-drift-"));
  process.env.TMPDIR = dir;
  try {
    return await body();
  } finally {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs `drift` with `argv`; resolves to its exit code. */
export async function runDrift(argv: readonly string[], io: OutputStreams = processStreams()): Promise<number> {
  const program = new Command("drift")
    .description("Drift check: does the live IdP still match the program? (refresh-preview, nothing is changed)")
    .option("-s, --stack <name>", "stack to check")
    .option("-a, --all", "check every stack in the stacks folder")
    .option("--project-dir <dir>", "the Pulumi project (Pulumi.yaml and its stack files)", PROJECT_ROOT)
    .option("--stacks-dir <dir>", "folder of Pulumi.<stack>.yaml files (for --all); default: the project's stacks/")
    .option("-c, --concurrency <n>", "stacks checked at once with --all", String(DEFAULT_CONCURRENCY))
    .addOption(new Option("-f, --format <format>", "output format").choices(["text", "json"]).default("text"))
    .version(version());
  const stop = parseArguments(program, argv, io);
  if (stop !== undefined) return stop;
  const options = program.opts<{ stack?: string; all?: boolean; projectDir: string; stacksDir?: string; concurrency: string; format: "text" | "json" }>();
  const stacksDir = stacksDirOf(options.projectDir, options.stacksDir);
  const json = options.format === "json";
  if (Boolean(options.stack) === Boolean(options.all)) {
    return fatal(io, json, "name one stack with --stack <name>, or check every stack with --all", DriftExitCode.CouldNotCheck);
  }
  const ignored = notApplying(program, [
    { option: "concurrency", applies: Boolean(options.all), why: "--concurrency goes with --all only (one stack is one check)" },
    { option: "stacksDir", applies: Boolean(options.all), why: "--stacks-dir goes with --all only (--stack names the stack in the backend)" },
  ]);
  if (ignored.length > 0) return fatal(io, json, ignored.join("\n"), DriftExitCode.CouldNotCheck);
  const concurrency = Number(options.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    return fatal(io, json, `--concurrency must be a whole number of 1 or more, got "${shown(options.concurrency)}"`, DriftExitCode.CouldNotCheck);
  }
  let stacks: string[];
  try {
    if (options.stack) checkStackName(options.stack, stacksDir);
    stacks = options.all ? listStacks(stacksDir) : [options.stack!];
  } catch (err) {
    if (!(err instanceof StackFileError)) throw err;
    return fatal(io, json, err.message, DriftExitCode.CouldNotCheck, err.code);
  }
  if (stacks.length === 0) {
    return fatal(io, json, `no stack files (Pulumi.<stack>.yaml) in ${shown(stacksDir)}`, DriftExitCode.CouldNotCheck);
  }
  const results: StackDriftResult[] = await withPrivateTmpdir(() => mapBounded(stacks, concurrency, async (stack) => {
    const result = await checkStackDrift(stack, process.env, path.resolve(options.projectDir));
    if (options.format === "text") io.stdout.write(renderStackDrift(result));
    return result;
  }));
  const code = worstExitCode(results);
  if (options.format === "json") {
    io.stdout.write(JSON.stringify(options.all ? { exitCode: code, stacks: results } : results[0], null, 2) + "\n");
  } else if (options.all) {
    io.stdout.write("\n" + renderSummaryTable(results));
  }
  return code;
}

if (require.main === module) runAsProcess("drift", runDrift, process.argv.slice(2), DriftExitCode.CouldNotCheck);
