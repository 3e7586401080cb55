/**
 * `npm run mutate`: mutation testing (StrykerJS, stryker.config.mjs) of src/, idps/, engine/ and cli/, file by file,
 * and the mutation score per folder.
 *
 * Each file is mutated against its own test files, or its folder's (see stryker.config.mjs), without the TypeScript
 * checker, with a report and an incremental file of its own under
 * reports/mutation/<file>/: a second run re-tests only the mutants whose code or covering tests changed, and an
 * interrupted run keeps every file it finished. The summary reads those reports, so it covers every file run so
 * far, and names the files not run yet.
 *
 *   npm run mutate                      every file of the three folders
 *   npm run mutate -- src cli/env/index.ts    a folder, a file
 *   npm run mutate -- --report          only the summary of the reports kept
 */
import { spawn } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { Command, Option } from "commander";
import type { MutationTestResult } from "mutation-testing-report-schema";
import { parseArguments, runAsProcess } from "../cli/command";

const ROOT = resolve(__dirname, "..");
/** The folders mutated, each against the test files that mirror it (stryker.config.mjs). */
export const MUTATED_FOLDERS = ["src", "idps", "engine", "cli"] as const;
type Folder = (typeof MUTATED_FOLDERS)[number];

/** The figures of a set of mutants, as Stryker counts them. */
export interface MutationFigures {
  /** Mutants a test failed on, or that ran out of time. */
  readonly detected: number;
  /** Mutants every covering test passed on. */
  readonly survived: number;
  /** Mutants no test runs. */
  readonly noCoverage: number;
  /** Mutants Stryker could not test (a compile or runtime error of the mutant itself): not counted in the score. */
  readonly invalid: number;
  /** detected / (detected + survived + noCoverage), in percent. */
  readonly score: number;
}

/** The figures of one file, or of all files of a folder. */
export interface MutationRow extends MutationFigures {
  readonly name: string;
}

function filesOf(target: string): string[] {
  const path = resolve(ROOT, target);
  if (!existsSync(path)) throw new Error(`no such file or folder: ${target}`);
  if (statSync(path).isFile()) return [relative(ROOT, path)];
  return readdirSync(path, { recursive: true, encoding: "utf8" })
    .filter((name) => name.endsWith(".ts") && !name.endsWith(".d.ts"))
    .map((name) => relative(ROOT, join(path, name)))
    .sort();
}

function folderOf(file: string): Folder {
  const folder = file.split("/")[0];
  const known = MUTATED_FOLDERS.find((f) => f === folder);
  if (known === undefined) throw new Error(`${file} is not in ${MUTATED_FOLDERS.join("/, ")}/`);
  return known;
}

const reportDirOf = (file: string): string => join("reports/mutation", file.replace(/\.ts$/, ""));
function readJson(dir: string): MutationTestResult | undefined {
  const path = join(ROOT, dir, "mutation.json");
  return existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as MutationTestResult) : undefined;
}

function figuresOf(report: MutationTestResult): MutationFigures {
  const count = { detected: 0, survived: 0, noCoverage: 0, invalid: 0 };
  for (const { mutants } of Object.values(report.files)) {
    for (const m of mutants) {
      if (m.status === "CompileError" || m.status === "RuntimeError") count.invalid++;
      else if (m.status === "Killed" || m.status === "Timeout") count.detected++;
      else if (m.status === "Survived") count.survived++;
      else if (m.status === "NoCoverage") count.noCoverage++;
    }
  }
  const valid = count.detected + count.survived + count.noCoverage;
  return { ...count, score: valid === 0 ? 100 : (100 * count.detected) / valid };
}

function sum(name: string, rows: readonly MutationFigures[]): MutationRow {
  const total = (key: keyof MutationFigures): number => rows.reduce((n, r) => n + r[key], 0);
  const [detected, survived, noCoverage] = [total("detected"), total("survived"), total("noCoverage")];
  const valid = detected + survived + noCoverage;
  return { name, detected, survived, noCoverage, invalid: total("invalid"), score: valid === 0 ? 100 : (100 * detected) / valid };
}

/** The summary of the reports kept: a row per file and per folder, and the files with no report yet. */
export function summarize(folders: readonly Folder[] = MUTATED_FOLDERS): { files: MutationRow[]; folders: MutationRow[]; notRun: string[] } {
  const files: MutationRow[] = [];
  const totals: MutationRow[] = [];
  const notRun: string[] = [];
  for (const folder of folders) {
    const rows: MutationRow[] = [];
    for (const file of filesOf(folder)) {
      const report = readJson(reportDirOf(file));
      if (report === undefined) notRun.push(file);
      else rows.push({ name: file, ...figuresOf(report) });
    }
    files.push(...rows);
    totals.push(sum(`${folder}/`, rows));
  }
  return { files, folders: totals, notRun };
}

function formatRows(rows: readonly MutationRow[]): string {
  const width = Math.max(...rows.map((r) => r.name.length), 4);
  const line = (r: MutationRow): string =>
    `${r.name.padEnd(width)}  ${r.score.toFixed(1).padStart(5)}%  ${String(r.detected).padStart(5)} killed  ${String(r.survived).padStart(4)} survived  ${String(r.noCoverage).padStart(4)} no coverage  ${String(r.invalid).padStart(4)} errors`;
  return rows.map(line).join("\n");
}

function elapsed(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
}

/** Runs Stryker with `env`; its output goes to `dir`/stryker.out. Resolves with Stryker's exit code. */
function stryker(dir: string, env: Record<string, string>): Promise<number> {
  mkdirSync(join(ROOT, dir), { recursive: true });
  const log = createWriteStream(join(ROOT, dir, "stryker.out"));
  const child = spawn(join(ROOT, "node_modules/.bin/stryker"), ["run"], {
    cwd: ROOT,
    env: { ...process.env, ...env, MUTATE_REPORT_DIR: dir },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  return new Promise((done) => child.on("close", (code) => done(code ?? 1)));
}

/** One file's mutants against its tests, without the TypeScript checker (see stryker.config.mjs). */
const mutateFile = (file: string): Promise<number> =>
  stryker(reportDirOf(file), { MUTATE: file, MUTATE_FOLDER: folderOf(file), MUTATE_CHECK: "off" });

async function main(argv: readonly string[]): Promise<number> {
  const program = new Command("mutate")
    .description("Mutation testing of src/, idps/, engine/ and cli/, file by file, with the score per folder.")
    .argument("[targets...]", `folders (${MUTATED_FOLDERS.join(", ")}) or files to mutate; all three folders when none`)
    .option("--report", "run nothing: print the summary of the reports kept")
    .addOption(new Option("--format <format>", "summary format").choices(["text", "json"]).default("text"));
  const usage = parseArguments(program, argv);
  if (usage !== undefined) return usage;
  const opts = program.opts<{ report?: boolean; format: "text" | "json" }>();
  const targets = program.args.length > 0 ? program.args : [...MUTATED_FOLDERS];

  let files: string[];
  try {
    files = targets.flatMap(filesOf);
    files.forEach(folderOf);
  } catch (err) {
    process.stderr.write(`mutate: ${(err as Error).message}\n`);
    return 2;
  }
  const folders = MUTATED_FOLDERS.filter((f) => files.some((file) => folderOf(file) === f));
  let failed = 0;
  if (!opts.report) {
    const started = Date.now();
    const steps = files.length;
    let step = 0;
    const progress = (line: string, stepStarted: number): void =>
      void process.stderr.write(`[${++step}/${steps}] ${line}  (${elapsed(Date.now() - stepStarted)}, ${elapsed(Date.now() - started)} in all)\n`);
    for (const folder of folders) {
      for (const file of files.filter((f) => folderOf(f) === folder)) {
        const fileStarted = Date.now();
        const fileCode = await mutateFile(file);
        const report = fileCode === 0 ? readJson(reportDirOf(file)) : undefined;
        if (!report) failed++;
        progress(report ? formatRows([{ name: file, ...figuresOf(report) }])
          : `${file}  Stryker failed (exit ${fileCode}): see ${reportDirOf(file)}/stryker.out`, fileStarted);
      }
    }
  }
  const summary = summarize(folders);
  if (opts.format === "json") process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  else {
    process.stdout.write(`${formatRows(summary.files)}\n\n${formatRows(summary.folders)}\n`);
    if (summary.notRun.length > 0) process.stdout.write(`\nnot run yet: ${summary.notRun.join(", ")}\n`);
  }
  return failed > 0 ? 1 : 0;
}

if (require.main === module) runAsProcess("mutate", main, process.argv.slice(2));
