/**
 * The `coder-oidc` dispatcher (cli/main.ts), in process: usage, version, unknown commands, and that each command
 * gets the arguments after its name. test/cli/cli.test.ts runs the same through the package's bin, as a process.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
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
