/**
 * The `coder-oidc` dispatcher (cli/main.ts), in process: usage, version, unknown commands, and that each command
 * gets the arguments after its name. test/cli/cli.test.ts runs the same through the package's bin, as a process.
 * Also, through the bin as a process: what `--version`, `--help` and a command load (a command's module only when it runs).
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, it, type TestContext } from "node:test";
import { COMMANDS, runMain } from "../../cli/main";
import { recordingStreams, runInProcess } from "../support/in-process";

const PACKAGE_VERSION = (JSON.parse(fs.readFileSync(path.join(__dirname, "../../package.json"), "utf8")) as { version: string }).version;

const USAGE = [
  "Usage: coder-oidc <command> [options]",
  "",
  "Commands:",
  "  plan      offline plan: what a stack declares at its IdP and the Coder settings it outputs",
  "  env       Coder's OIDC settings for a stack as a dotenv file, Helm values or a Kubernetes Secret",
  "  drift     drift check of deployed stacks: does the live IdP still match the program?",
  "  verify    the refresh-token checklist against a live deployment (IdP discovery and client, Coder's config)",
  "  doctor    the cause and fix of each OIDC refresh or login failure in a Coder server log",
  "  sessions  who Coder will still sign out: OIDC users without a refresh token (Coder's database); --sign-out",
  "",
  "Options:",
  "  -h, --help     show this help (coder-oidc help <command>, or coder-oidc <command> --help: the command's options)",
  "  -V, --version  show the version",
  "",
  "Exit codes, the same in every command: 0 ok; 1 problems found (a stack's config, program or mandatory policy",
  "fails; drift; a verify finding; failures in a Coder log; sessions: users without a refresh token); 2 could not",
  "check or bad input (bad arguments or stack name, unknown stack, missing, unreadable or malformed file, no Pulumi",
  "CLI, an IdP, Coder or its database that does not answer).",
  "",
].join("\n");

/** Runs the dispatcher with stdout and stderr captured. */
const main = (argv: string[]) => runInProcess(runMain, argv);

describe("coder-oidc", () => {
  it("prints the usage with every command for -h, --help and help, and exits 0", async () => {
    for (const flag of ["-h", "--help", "help"]) assert.deepEqual(await main([flag]), { code: 0, stdout: USAGE, stderr: "" }, flag);
  });

  it("prints the package's version for -V and --version", async () => {
    for (const flag of ["-V", "--version"]) {
      assert.deepEqual(await main([flag]), { code: 0, stdout: `${PACKAGE_VERSION}\n`, stderr: "" }, flag);
    }
  });

  it("exits 2 with the usage on stderr when no command or an unknown one is given", async () => {
    assert.deepEqual(await main([]), { code: 2, stdout: "", stderr: `error: no command given\n\n${USAGE}` });
    assert.deepEqual(await main(["plna"]), { code: 2, stdout: "", stderr: `error: unknown command "plna"\n\n${USAGE}` });
  });

  it("help <command> prints that command's help, whose usage line names coder-oidc <command> (class 10)", async () => {
    for (const name of Object.keys(COMMANDS)) {
      const viaHelp = await main(["help", name]);
      assert.equal(viaHelp.code, 0, name);
      assert.equal(viaHelp.stderr, "");
      assert.match(viaHelp.stdout, new RegExp(`^Usage: coder-oidc ${name} \\[options\\]`), name);
      assert.deepEqual(await main([name, "--help"]), viaHelp, name);
    }
    assert.deepEqual(await main(["help", "nope"]), { code: 2, stdout: "", stderr: `error: unknown command "nope"\n\n${USAGE}` });
    assert.deepEqual(await main(["help", "plan", "env"]), { code: 2, stdout: "", stderr: `error: help takes one command\n\n${USAGE}` });
  });

  it("a word that names no command is unknown, also one of Object's own (constructor, __proto__)", async () => {
    for (const word of ["constructor", "__proto__", "toString", "hasOwnProperty"]) {
      const result = await main([word]);
      assert.equal(result.code, 2, word);
      assert.ok(result.stderr.startsWith(`error: unknown command "${word}"`), word);
    }
  });

  it("shows an unknown command's control and bidirectional characters escaped, and caps its length (class 11)", async () => {
    const result = await main(["pl\u202Ean\x1b[31m\n"]);
    assert.ok(result.stderr.startsWith('error: unknown command "pl\\u{202E}an\\u{001B}[31m\\n"\n'), result.stderr);
    const long = await main(["x".repeat(5000)]);
    assert.ok(long.stderr.startsWith(`error: unknown command "${"x".repeat(200)}… (5000 characters)"\n`));
  });

  it("runs the named command with the arguments after its name, and returns its exit code", async (t: TestContext) => {
    const seen: (readonly string[])[] = [];
    const original = COMMANDS.doctor.run;
    const { streams } = recordingStreams();
    let given: unknown;
    t.mock.method(COMMANDS.doctor, "run", async (argv: readonly string[], io: unknown) => (seen.push(argv), (given = io), 7));
    try {
      assert.equal(await runMain(["doctor", "--coder-log", "-", "--format", "json"], streams), 7);
      assert.equal(given, streams, "the command writes where the dispatcher was told to");
    } finally {
      t.mock.restoreAll();
    }
    assert.deepEqual(seen, [["--coder-log", "-", "--format", "json"]]);
    assert.equal(COMMANDS.doctor.run, original);
  });
});

describe("the command registry", () => {
  it("lists every command in --help, each on its own line with its summary", async () => {
    const { stdout } = await main(["--help"]);
    const listed = stdout.split("\n").filter((line) => /^ {2}[a-z]+ {2,}\S/.test(line)).map((line) => line.trim().split(/\s+/)[0]);
    assert.deepEqual(listed, Object.keys(COMMANDS));
    for (const [name, command] of Object.entries(COMMANDS)) assert.ok(stdout.includes(`  ${name.padEnd(8)}  ${command.summary}\n`), name);
  });
});

describe("what the bin loads", () => {
  const ROOT = path.resolve(__dirname, "..", "..");
  const BIN = path.join(ROOT, "bin", "coder-oidc.cjs");
  /** Every command's own module, as a path relative to the project root. */
  const COMMAND_MODULES = ["cli/plan.ts", "cli/env/index.ts", "cli/drift.ts", "cli/verify/index.ts", "cli/doctor/index.ts",
    "cli/sessions/index.ts", "cli/review/index.ts"];

  /** The files (relative to the project root) a run of the bin with `args` had required when it exited, and its exit code. */
  function loaded(...args: string[]): { status: number | null; files: string[] } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "coder-oidc-loaded-"));
    try {
      const hook = path.join(dir, "hook.cjs");
      const out = path.join(dir, "loaded.json");
      fs.writeFileSync(hook, `process.on("exit", () => require("node:fs").writeFileSync(${JSON.stringify(out)}, JSON.stringify(Object.keys(require.cache))));\n`);
      const run = spawnSync(process.execPath, ["--require", hook, BIN, ...args], { cwd: ROOT, encoding: "utf8" });
      const files = (JSON.parse(fs.readFileSync(out, "utf8")) as string[]).map((file) => path.relative(ROOT, file).split(path.sep).join("/"));
      return { status: run.status, files };
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  const pulumiSdks = (files: readonly string[]) => files.filter((file) => file.startsWith("node_modules/@pulumi/"));
  const commandModules = (files: readonly string[]) => files.filter((file) => COMMAND_MODULES.includes(file));

  it("--version and --help load no command module and no Pulumi SDK", () => {
    for (const args of [["--version"], ["-V"], ["--help"], ["help"]]) {
      const { status, files } = loaded(...args);
      assert.equal(status, 0, args.join(" "));
      assert.ok(files.includes("cli/main.ts"), `the run is seen: ${files.join(", ")}`);
      assert.deepEqual(commandModules(files), [], args.join(" "));
      assert.deepEqual(pulumiSdks(files), [], args.join(" "));
    }
  });

  it("a command loads its own module when it runs, and no other command's", () => {
    const { status, files } = loaded("help", "doctor");
    assert.equal(status, 0);
    assert.deepEqual(commandModules(files), ["cli/doctor/index.ts"]);
    const plan = loaded("plan", "--help");
    assert.equal(plan.status, 0);
    assert.deepEqual(commandModules(plan.files), ["cli/plan.ts"], "plan loads the review diff only with --diff");
    assert.ok(pulumiSdks(plan.files).length > 0, "plan loads the Pulumi SDK");
  });
});
