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
  "  -h, --help     show this help (coder-oidc <command> --help: the command's options)",
  "  -V, --version  show the version",
  "",
  "Exit codes: 0 ok; 1 a stack's config or program failed (drift: drift; verify: something is wrong; doctor: failures",
  "found; sessions: users without a refresh token); 2 bad arguments, unknown stack, unreadable or malformed file",
  "(drift, verify, sessions: could not check).",
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
