// Mutation testing (StrykerJS). Not part of CI: each mutant runs the test files that cover it, so a run over all
// of src/, idps/, engine/ and cli/ (about 7,900 mutants) takes hours on two cores. `npm run mutate` (mutation/run.ts)
// runs this file by file, keeps each file's results for the next run, and prints the score per folder.
//
// A file is mutated against its own test files (ownTests below), else against the test files that mirror its folder
// (MUTATE_FOLDER=src|idps|engine|cli: test/<folder>, and test/policy for src, whose rules read the core's table).
// Kills by other tests are not counted, so a score is a lower bound.
// Or focus Stryker by hand (comma-separated globs):
//   MUTATE=src/duration.ts MUTATE_TESTS=test/src/duration.test.ts,test/src/config-rules.test.ts npx stryker run
// A file's line ranges (Stryker's file:from-to) still pick its own tests:
//   MUTATE=src/config.ts:74-99,src/config.ts:917-996 MUTATE_FOLDER=src MUTATE_REPORT_DIR=reports/ranges/config npx stryker run
// MUTATE_CHECK=off skips the TypeScript checker (faster; type-invalid mutants then run and usually fail).
import { existsSync, readdirSync } from "node:fs";
import { basename, dirname, resolve } from "node:path";
import process from "node:process";

// Stryker runs the tests in a copy of the worktree (.stryker-tmp/sandbox-…), and the API simulators read the official
// schemas from ../shared/reference beside the worktree (test/support/api-schema.ts): without them they answer 404 to
// every call, and every test of an IdP's API fails. The test processes inherit this.
process.env.CODER_OIDC_REFERENCE_DIR ||= resolve(import.meta.dirname, "../shared/reference");

const list = (name, fallback) => (process.env[name] ? process.env[name].split(",").map((s) => s.trim()).filter(Boolean) : fallback);

/** The test files that mirror each mutated folder. */
const FOLDERS = {
  src: ["test/src/**/*.test.ts", "test/policy/**/*.test.ts"],
  idps: ["test/idps/**/*.test.ts"],
  engine: ["test/engine/**/*.test.ts"],
  // test/cli/cli.test.ts runs the commands as processes only: it covers no module in-process, so Stryker would never
  // pick it for a mutant, and its 20 s would be spent on every file's initial run.
  cli: ["test/cli/**/!(cli).test.ts"],
};
const folder = process.env.MUTATE_FOLDER;
if (folder !== undefined && !(folder in FOLDERS)) {
  throw new Error(`MUTATE_FOLDER must be one of ${Object.keys(FOLDERS).join(", ")}, not "${folder}"`);
}
/**
 * Test files that pin a module besides those named after it. (Not test/idps/pingfederate/host.test.ts: it
 * serializes the provider as Pulumi does, and Stryker's instrumented code does not survive serialization.)
 */
const MORE_OWN_TESTS = {
  // loadStackConfig reads the engine's config, which the program's runs set.
  "src/config.ts": ["test/src/secrets.test.ts"],
  // The client's operations are driven against the simulator by the dynamic provider's tests too.
  "idps/pingfederate/api.ts": ["test/idps/pingfederate/schema.test.ts", "test/idps/pingfederate/secrets-sweep.test.ts",
    "test/idps/pingfederate/provider.test.ts"],
  // What the stack-file and Helm values readers share is tested through them.
  "engine/yaml-input.ts": ["test/engine/stack-file.test.ts", "test/engine/stack-file-messages.test.ts", "test/cli/env/helm-values.test.ts"],
  // verify's secrets are masked in everything the command prints: the command's tests of that.
  "cli/verify/index.ts": ["test/cli/verify/secrets.test.ts"],
  // The IdP checks of verify run against the simulated APIs in the command's tests too.
  "src/verify/idp-common.ts": ["test/cli/verify/idps.test.ts"],
  ...Object.fromEntries(["auth0", "entra-id", "google", "keycloak", "okta", "pingfederate"]
    .map((idp) => [`idps/${idp}/verify.ts`, ["test/cli/verify/idps.test.ts",
      // verify's core tests read the Keycloak and PingFederate clients word for word.
      ...(idp === "keycloak" || idp === "pingfederate" ? ["test/src/verify/core-checks.test.ts"] : [])]])),
};

/**
 * The test files of a module's own: test/<dir>/<name>.test.ts and test/<dir>/<name>-*.test.ts (config.ts has
 * config-rules.test.ts), and for a command folder's index.ts its command.test.ts. A module with tests of its own is
 * scored against those alone: they are what pins it, and a mutant of a module every test imports (src/config.ts)
 * then runs two files, not forty. Modules without (engine/offline-runtime.ts) get the folder's.
 */
function ownTests(file) {
  const dir = `test/${dirname(file)}`;
  const name = basename(file, ".ts");
  if (!existsSync(dir)) return MORE_OWN_TESTS[file] ?? [];
  const names = new Set([`${name}.test.ts`]);
  // A command folder's index.ts is the command: its tests are command.test.ts (cli/doctor/index.ts).
  if (name === "index" && file.startsWith("cli/")) names.add("command.test.ts");
  const own = readdirSync(dir).filter((f) => names.has(f) || (f.startsWith(`${name}-`) && f.endsWith(".test.ts")));
  return [...own.map((f) => `${dir}/${f}`), ...(MORE_OWN_TESTS[file] ?? [])];
}
/** The one file MUTATE names, its line ranges aside (MUTATE=src/config.ts:74-99,src/config.ts:917-996), if one. */
const mutatedFiles = new Set(list("MUTATE", []).map((entry) => entry.replace(/:[\d:-]+$/, "")));
const single = mutatedFiles.size === 1 && ![...mutatedFiles][0].includes("*") ? [...mutatedFiles][0] : undefined;
const own = single ? ownTests(single) : [];

/** mutation/run.ts gives each file its own report and incremental file. */
const reportDir = process.env.MUTATE_REPORT_DIR ?? `reports/mutation${folder ? `/${folder}` : ""}`;

// The TypeScript checker is on unless MUTATE_CHECK=off (mutation/run.ts turns it off: on two cores it takes most of
// the CPU from the tests).
const checked = process.env.MUTATE_CHECK !== "off";

/** @type {import("@stryker-mutator/api/core").PartialStrykerOptions} */
export default {
  packageManager: "npm",
  testRunner: "tap",
  tap: {
    testFiles: list("MUTATE_TESTS", own.length > 0 ? own : folder ? FOLDERS[folder] : ["test/**/*.test.ts"]),
    // The runner reads TAP from each test file's stdout, and node:test prints its spec reporter (Node 24) unless
    // told otherwise: a failing file then reads as "exited 1 with no failed test", and its mutant counted as a
    // RuntimeError (not in the score) where it was killed.
    nodeArgs: ["--test-reporter=tap", "--import", "tsx"],
    forceBail: true,
  },
  checkers: checked ? ["typescript"] : [],
  tsconfigFile: "tsconfig.mutate.json",
  mutate: list("MUTATE", folder ? [`${folder}/**/*.ts`] : ["src/**/*.ts", "idps/**/*.ts", "engine/**/*.ts", "cli/**/*.ts"]),
  coverageAnalysis: "perTest",
  // With a checker Stryker gives half of this to checkers and half to test runners.
  concurrency: Number(process.env.MUTATE_CONCURRENCY ?? (checked ? 4 : 2)),
  timeoutMS: 30_000,
  incremental: folder !== undefined || process.env.MUTATE_REPORT_DIR !== undefined,
  incrementalFile: `${reportDir}/incremental.json`,
  ignorePatterns: ["reports", ".stryker-tmp", "bench"],
  reporters: ["clear-text", "progress", "html", "json"],
  htmlReporter: { fileName: `${reportDir}/index.html` },
  jsonReporter: { fileName: `${reportDir}/mutation.json` },
  thresholds: { high: 85, low: 70, break: null },
};
