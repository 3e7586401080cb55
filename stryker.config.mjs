// Mutation testing (StrykerJS). Not part of CI: each mutant runs the test files that cover it, so a run over all
// of src/, providers/ and cli/ (about 7,900 mutants) takes hours on two cores. `npm run mutate` (mutation/run.ts)
// runs this file by file, keeps each file's results for the next run, and prints the score per folder.
//
// Scores are kept per folder: MUTATE_FOLDER=src|providers|cli mutates that folder against the test files that
// mirror it (test/<folder>, and test/policy for src, whose rules read the core's table). Kills by other folders'
// tests are not counted, so a folder's score is a lower bound. Each folder keeps its own report and incremental
// file under reports/mutation/<folder>/, so a second run re-tests only what changed.
//   MUTATE_FOLDER=src npm run mutate
// Or focus by hand (comma-separated globs):
//   MUTATE=src/duration.ts MUTATE_TESTS=test/src/duration.test.ts,test/src/config-rules.test.ts npm run mutate
// MUTATE_CHECK=off skips the TypeScript checker (faster; type-invalid mutants then run and usually fail).
import process from "node:process";

const list = (name, fallback) => (process.env[name] ? process.env[name].split(",").map((s) => s.trim()).filter(Boolean) : fallback);

/** The test files that mirror each mutated folder. */
const FOLDERS = {
  src: ["test/src/**/*.test.ts", "test/policy/**/*.test.ts"],
  providers: ["test/providers/**/*.test.ts"],
  cli: ["test/cli/**/*.test.ts"],
};
const folder = process.env.MUTATE_FOLDER;
if (folder !== undefined && !(folder in FOLDERS)) {
  throw new Error(`MUTATE_FOLDER must be one of ${Object.keys(FOLDERS).join(", ")}, not "${folder}"`);
}
/** mutation/run.ts gives each file its own report and incremental file. */
const reportDir = process.env.MUTATE_REPORT_DIR ?? `reports/mutation${folder ? `/${folder}` : ""}`;

/** @type {import("@stryker-mutator/api/core").PartialStrykerOptions} */
export default {
  packageManager: "npm",
  testRunner: "tap",
  tap: {
    testFiles: list("MUTATE_TESTS", folder ? FOLDERS[folder] : ["test/**/*.test.ts"]),
    nodeArgs: ["--import", "tsx"],
    forceBail: true,
  },
  checkers: process.env.MUTATE_CHECK === "off" ? [] : ["typescript"],
  tsconfigFile: "tsconfig.json",
  mutate: list("MUTATE", folder ? [`${folder}/**/*.ts`] : ["src/**/*.ts", "providers/**/*.ts", "cli/**/*.ts"]),
  coverageAnalysis: "perTest",
  // With a checker Stryker gives half of this to checkers and half to test runners; the checkers run ahead and
  // then idle, so on two cores 4 means two test runners.
  concurrency: Number(process.env.MUTATE_CONCURRENCY ?? 4),
  timeoutMS: 30_000,
  incremental: folder !== undefined || process.env.MUTATE_REPORT_DIR !== undefined,
  incrementalFile: `${reportDir}/incremental.json`,
  ignorePatterns: ["reports", ".stryker-tmp", "bench"],
  reporters: ["clear-text", "progress", "html", "json"],
  htmlReporter: { fileName: `${reportDir}/index.html` },
  jsonReporter: { fileName: `${reportDir}/mutation.json` },
  thresholds: { high: 85, low: 70, break: null },
};
