// Mutation testing (StrykerJS): `npm run mutate`. Not part of CI: each mutant runs the tests that cover it, and
// the whole suite takes about a minute on two cores, so a full run over src/, providers/ and cli/ takes hours.
// Focus a run with environment variables (comma-separated globs), e.g.
//   MUTATE=src/duration.ts MUTATE_TESTS=test/src/duration.test.ts,test/src/config-rules.test.ts npm run mutate
// MUTATE_CHECK=off skips the TypeScript checker (faster; type-invalid mutants then run and usually fail).
import process from "node:process";

const list = (name, fallback) => (process.env[name] ? process.env[name].split(",").map((s) => s.trim()).filter(Boolean) : fallback);

/** @type {import("@stryker-mutator/api/core").PartialStrykerOptions} */
export default {
  packageManager: "npm",
  testRunner: "tap",
  tap: {
    testFiles: list("MUTATE_TESTS", ["test/**/*.test.ts"]),
    nodeArgs: ["--import", "tsx"],
    forceBail: true,
  },
  checkers: process.env.MUTATE_CHECK === "off" ? [] : ["typescript"],
  tsconfigFile: "tsconfig.json",
  mutate: list("MUTATE", ["src/**/*.ts", "providers/**/*.ts", "cli/**/*.ts"]),
  coverageAnalysis: "perTest",
  concurrency: 2,
  timeoutMS: 30_000,
  ignorePatterns: ["reports", ".stryker-tmp", "bench"],
  reporters: ["clear-text", "progress", "html", "json"],
  htmlReporter: { fileName: "reports/mutation/index.html" },
  jsonReporter: { fileName: "reports/mutation/mutation.json" },
  thresholds: { high: 85, low: 70, break: null },
};
