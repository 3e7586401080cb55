/** What every command shares (cli/command.ts): commander's verdict on the arguments, and running as a process. */
import assert from "node:assert/strict";
import { describe, it, type TestContext } from "node:test";
import { Command, CommanderError } from "commander";
import { ExitCode, helpOrUsage, parseArguments, runAsProcess } from "../../cli/command";
import { recordingStreams } from "../support/in-process";

/**
 * Runs what `body` starts with process.exit stubbed: the exit code, and what was written to stdout and stderr
 * meanwhile. Writes go through as well (the test runner's own report shares stdout), so callers look for their
 * lines in what was written rather than expect nothing else.
 */
async function asProcess(t: TestContext, body: () => void): Promise<{ exit: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  // runAsProcess listens for errors on both streams; the listeners it added go again at the end.
  const listeners = { out: process.stdout.listeners("error"), err: process.stderr.listeners("error") };
  const exited = new Promise<number>((resolve) => {
    t.mock.method(process, "exit", (code: number) => resolve(code) as never);
  });
  const through = (stream: NodeJS.WriteStream, record: (chunk: string) => void) => {
    const write = stream.write.bind(stream) as (chunk: string, done?: () => void) => boolean;
    t.mock.method(stream, "write", (chunk: string, done?: () => void) => (record(String(chunk)), write(chunk, done)));
  };
  through(process.stdout, (chunk) => (stdout += chunk));
  through(process.stderr, (chunk) => (stderr += chunk));
  try {
    body();
    const exit = await exited;
    return { exit, stdout, stderr };
  } finally {
    t.mock.restoreAll();
    for (const [stream, before] of [[process.stdout, listeners.out], [process.stderr, listeners.err]] as const) {
      for (const l of stream.listeners("error")) if (!before.includes(l)) stream.removeListener("error", l as (err: Error) => void);
    }
  }
}

describe("exit codes", () => {
  it("are 0 ok, 1 a stack failed, 2 usage", () => {
    assert.deepEqual(ExitCode, { Ok: 0, StackFailed: 1, Usage: 2 });
  });
});

describe("parseArguments and helpOrUsage", () => {
  const program = () => new Command("demo").option("--format <f>", "format");

  it("goes on (undefined) when the arguments parse", (t: TestContext) => {
    t.mock.method(process.stderr, "write", () => true);
    const p = program();
    assert.equal(parseArguments(p, ["--format", "json"]), undefined);
    assert.equal(p.opts().format, "json");
  });

  it("is 0 after --help, with the help on stdout, and 2 for a bad option, with the error on stderr", (t: TestContext) => {
    let stdout = "";
    let stderr = "";
    t.mock.method(process.stdout, "write", (s: string) => ((stdout += s), true));
    t.mock.method(process.stderr, "write", (s: string) => ((stderr += s), true));
    const help = parseArguments(program(), ["--help"]);
    const bad = parseArguments(program(), ["--nope"]);
    t.mock.restoreAll();
    assert.equal(help, 0);
    assert.match(stdout, /^Usage: demo \[options\]/);
    assert.equal(bad, 2);
    assert.equal(stderr, "error: unknown option '--nope'\n");
  });

  it("reads commander's verdict: 0 only for an exit code 0", () => {
    assert.equal(helpOrUsage(new CommanderError(0, "commander.helpDisplayed", "")), 0);
    assert.equal(helpOrUsage(new CommanderError(1, "commander.unknownOption", "")), 2);
    assert.equal(helpOrUsage(new Error("other")), 2);
  });
});

describe("runAsProcess", () => {
  it("exits with the command's code once stdout is flushed", async (t: TestContext) => {
    const result = await asProcess(t, () => runAsProcess("demo", async () => (process.stdout.write("# out\n"), 3), []));
    assert.equal(result.exit, 3);
    assert.ok(result.stdout.includes("# out\n"));
  });

  it("passes the arguments on", async (t: TestContext) => {
    let seen: readonly string[] = [];
    await asProcess(t, () => runAsProcess("demo", async (argv) => ((seen = argv), 0), ["a", "--b"]));
    assert.deepEqual(seen, ["a", "--b"]);
  });

  const recording = recordingStreams;
  const exitOf = (t: TestContext) => new Promise<number>((resolve) => {
    t.mock.method(process, "exit", (code: number) => resolve(code) as never);
  });
  const pending = () => new Promise<number>(() => undefined);

  it("when stdout goes away (a closed pipe, a full disk), says so on stderr in one line and exits 2", async (t: TestContext) => {
    for (const [error, said] of [
      [Object.assign(new Error("write EPIPE"), { code: "EPIPE" }), "demo: could not write the output (EPIPE)\n"],
      [new Error("no space left"), "demo: could not write the output (no space left)\n"],
    ] as const) {
      const { streams, written } = recording();
      const exited = exitOf(t);
      runAsProcess("demo", pending, [], 1, streams);
      streams.stdout.emit("error", error);
      assert.equal(await exited, 2);
      assert.deepEqual(written(), { stdout: "", stderr: said });
      t.mock.restoreAll();
    }
  });

  it("when stderr goes away, exits 2 without writing to it", async (t: TestContext) => {
    const { streams, written } = recording();
    const exited = exitOf(t);
    runAsProcess("demo", pending, [], 1, streams);
    streams.stderr.emit("error", Object.assign(new Error("write EPIPE"), { code: "EPIPE" }));
    assert.equal(await exited, 2);
    assert.deepEqual(written(), { stdout: "", stderr: "" });
  });

  it("writes nothing of its own to the streams it is given, and tells a crash on the given stderr", async (t: TestContext) => {
    const ok = recording();
    const exitedOk = exitOf(t);
    runAsProcess("demo", async () => (ok.streams.stdout.write("# out\n"), 0), [], 1, ok.streams);
    assert.equal(await exitedOk, 0);
    assert.deepEqual(ok.written(), { stdout: "# out\n", stderr: "" });
    t.mock.restoreAll();
    const crash = recording();
    const exitedCrash = exitOf(t);
    runAsProcess("demo", async () => { throw new Error("boom"); }, [], 2, crash.streams);
    assert.equal(await exitedCrash, 2);
    assert.deepEqual(crash.written(), { stdout: "", stderr: "demo failed unexpectedly: boom\n(set CODER_OIDC_DEBUG=1 for the stack trace)\n" });
  });

  it("tells a crash in one line, without a stack trace unless CODER_OIDC_DEBUG is set, and exits with the crash code", async (t: TestContext) => {
    const boom = async (): Promise<number> => { throw new Error("boom"); };
    const crash = await asProcess(t, () => runAsProcess("demo", boom, []));
    assert.equal(crash.exit, 1);
    assert.ok(crash.stderr.includes("demo failed unexpectedly: boom\n(set CODER_OIDC_DEBUG=1 for the stack trace)\n"), crash.stderr);
    assert.equal((await asProcess(t, () => runAsProcess("demo", boom, [], 2))).exit, 2);
    const notAnError = async (): Promise<number> => { throw "plain"; };
    assert.ok((await asProcess(t, () => runAsProcess("demo", notAnError, []))).stderr
      .includes("demo failed unexpectedly: plain\n(set CODER_OIDC_DEBUG=1 for the stack trace)\n"));
    process.env.CODER_OIDC_DEBUG = "1";
    const debug = await asProcess(t, () => runAsProcess("demo", boom, [])).finally(() => delete process.env.CODER_OIDC_DEBUG);
    assert.match(debug.stderr, /demo failed unexpectedly: Error: boom\n\s+at /);
  });
});
