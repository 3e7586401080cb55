/**
 * `coder-oidc doctor --coder-log <file|-> [--format text|json]`
 *
 * Reads a Coder server log (its JSON or its human format; also any log that quotes Coder's responses) and names,
 * for each refresh or login failure it finds, the cause and the fix, with counts per user and per hour.
 *
 * Exit codes: 0 no failure found; 1 failures found; 2 the log could not be read or bad arguments.
 */
import { readFileSync } from "node:fs";
import { Command, Option } from "commander";
import { parseArguments, runAsProcess, type OutputStreams, processStreams } from "./command";
import { version } from "./version";
import { diagnose, renderDiagnoses } from "./doctor-core";

/** Runs `doctor` with `argv`; resolves to its exit code. */
export async function runDoctor(argv: readonly string[], io: OutputStreams = processStreams()): Promise<number> {
  const program = new Command("doctor")
    .description("Names the cause and fix of each OIDC refresh or login failure in a Coder server log")
    .requiredOption("--coder-log <file>", "Coder's server log; - for standard input")
    .addOption(new Option("-f, --format <format>", "output format").choices(["text", "json"]).default("text"))
    .version(version());
  const stop = parseArguments(program, argv, io);
  if (stop !== undefined) return stop;
  const { coderLog, format } = program.opts<{ coderLog: string; format: "text" | "json" }>();
  let log: string;
  try {
    log = readFileSync(coderLog === "-" ? 0 : coderLog, "utf8");
  } catch (err) {
    io.stderr.write(`doctor: cannot read ${coderLog}: ${(err as Error).message}\n`);
    return 2;
  }
  const diagnoses = diagnose(log);
  io.stdout.write(format === "json" ? JSON.stringify({ diagnoses }, null, 2) + "\n" : renderDiagnoses(diagnoses));
  return diagnoses.length > 0 ? 1 : 0;
}

if (require.main === module) runAsProcess("doctor", runDoctor, process.argv.slice(2), 2);
