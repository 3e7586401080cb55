/**
 * `coder-oidc doctor --coder-log <file|-> [--format text|json]`
 *
 * Reads a Coder server log (its JSON or its human format; also any log that quotes Coder's responses) and names,
 * for each refresh or login failure it finds, the cause and the fix, with counts per user and per hour.
 *
 * The log is read as a stream, line by line with a bound on a line's length, and only counts are kept: a log of
 * any size is read in bounded memory. Input that is not a Coder log (empty, binary, compressed, or text with no
 * line of Coder's) is said to be so, exit 2, never "no failure found".
 *
 * Exit codes (cli/command.ts's table): 0 no failure found; 1 failures found; 2 the log could not be read, is not a
 * Coder log, or bad arguments.
 */
import * as fs from "node:fs";
import { Command, Option } from "commander";
import { openRegularFile } from "../../engine/bounded-file";
import { ExitCode, fatal, parseArguments, runAsProcess, type OutputStreams, processStreams } from "../command";
import { version } from "../version";
import { LogDiagnoser, renderDiagnoses } from "./core";

/** The longest line read whole; the rest of a longer line is skipped (no Coder line is near it). */
export const MAX_LINE_CHARS = 64 * 1024;

/** A log that cannot be diagnosed, and why, in words. */
class NotALog extends Error {}

/** What the first bytes of a file say it is, when it is a compressed or archive format. */
function compressedFormat(head: Buffer): string | undefined {
  if (head[0] === 0x1f && head[1] === 0x8b) return "gzip-compressed: decompress it first (zcat <file> | coder-oidc doctor --coder-log -)";
  if (head.subarray(0, 4).equals(Buffer.from([0x28, 0xb5, 0x2f, 0xfd]))) return "zstd-compressed: decompress it first (zstdcat <file> | coder-oidc doctor --coder-log -)";
  if (head.subarray(0, 3).toString("latin1") === "BZh") return "bzip2-compressed: decompress it first (bzcat <file> | coder-oidc doctor --coder-log -)";
  if (head.subarray(0, 6).equals(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]))) return "xz-compressed: decompress it first (xzcat <file> | coder-oidc doctor --coder-log -)";
  if (head.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) return "a zip archive: extract the log first";
  return undefined;
}

/**
 * Feeds the lines of `input` to `diagnoser`: UTF-8 text, read as it streams, a line longer than
 * {@link MAX_LINE_CHARS} cut there. Throws {@link NotALog} for compressed or binary input.
 */
export async function readLog(input: AsyncIterable<Buffer | string>, diagnoser: LogDiagnoser): Promise<void> {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let first = true;
  let pending = "";
  let skipping = false;
  const push = (text: string) => {
    let start = 0;
    for (let nl = text.indexOf("\n"); nl !== -1; nl = text.indexOf("\n", start)) {
      if (!skipping) diagnoser.add(pending + text.slice(start, nl));
      pending = "";
      skipping = false;
      start = nl + 1;
    }
    if (!skipping) {
      pending += text.slice(start);
      if (pending.length > MAX_LINE_CHARS) {
        diagnoser.add(pending.slice(0, MAX_LINE_CHARS));
        pending = "";
        skipping = true;
      }
    }
  };
  for await (const chunk of input) {
    const buffer = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
    if (first) {
      first = false;
      const compressed = compressedFormat(buffer);
      if (compressed) throw new NotALog(`it is ${compressed}`);
    }
    if (buffer.includes(0)) throw new NotALog("it is binary (it holds NUL bytes), not a text log");
    let text: string;
    try {
      text = decoder.decode(buffer, { stream: true });
    } catch {
      throw new NotALog("it is binary (not UTF-8 text), not a text log");
    }
    push(text);
  }
  try {
    push(decoder.decode());
  } catch {
    throw new NotALog("it is binary (not UTF-8 text), not a text log");
  }
  if (!skipping && pending !== "") diagnoser.add(pending);
}

/** Runs `doctor` with `argv`; resolves to its exit code. `stdin` is where `--coder-log -` reads (default: the process's). */
export async function runDoctor(argv: readonly string[], io: OutputStreams = processStreams(), stdin: NodeJS.ReadableStream = process.stdin): Promise<number> {
  const program = new Command("doctor")
    .description("Names the cause and fix of each OIDC refresh or login failure in a Coder server log")
    .requiredOption("--coder-log <file>", "Coder's server log; - for standard input")
    .addOption(new Option("-f, --format <format>", "output format").choices(["text", "json"]).default("text"))
    .version(version());
  const stop = parseArguments(program, argv, io);
  if (stop !== undefined) return stop;
  const { coderLog, format } = program.opts<{ coderLog: string; format: "text" | "json" }>();
  const json = format === "json";
  const diagnoser = new LogDiagnoser();
  let stream: NodeJS.ReadableStream;
  try {
    // A regular file only (a FIFO or a device is refused before a byte is read); a stream comes through `-`.
    stream = coderLog === "-" ? stdin : fs.createReadStream("", { fd: openRegularFile({ file: coderLog, what: "--coder-log" }).fd });
  } catch (err) {
    return fatal(io, json, (err as Error).message, ExitCode.Usage, "ERR_STACK_FILE");
  }
  const name = coderLog === "-" ? "standard input" : coderLog;
  try {
    await readLog(stream as AsyncIterable<Buffer>, diagnoser);
    if (diagnoser.nonBlankLines === 0) throw new NotALog("it is empty");
  } catch (err) {
    // A file given up on is closed already: a for-await loop that ends early destroys the stream it reads.
    // Why it is no log (NotALog), or why reading it failed.
    return fatal(io, json, `doctor: cannot diagnose ${name}: ${(err as Error).message}`, ExitCode.Usage, "ERR_NOT_A_LOG");
  }
  const diagnoses = diagnoser.diagnoses();
  if (diagnoses.length === 0 && diagnoser.coderLines === 0) {
    return fatal(io, json, `doctor: cannot diagnose ${name}: no line of it is in Coder's log format (JSON with ts, level and msg; ` +
      "or `2026-01-01 12:00:00.000 [info]  …`): is it Coder's server log?", ExitCode.Usage, "ERR_NOT_A_LOG");
  }
  io.stdout.write(json ? JSON.stringify({ diagnoses }, null, 2) + "\n" : renderDiagnoses(diagnoses));
  return diagnoses.length > 0 ? ExitCode.StackFailed : ExitCode.Ok;
}

if (require.main === module) runAsProcess("doctor", runDoctor, process.argv.slice(2), 2);
