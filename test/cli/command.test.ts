/** What every command shares (cli/command.ts): commander's verdict on the arguments, and running as a process. */
import assert from "node:assert/strict";
import { describe, it, type TestContext } from "node:test";
import { Command, CommanderError } from "commander";
import { asksForJson, ExitCode, exitCodeOf, fatal, helpOrUsage, notApplying, parseArguments, runAsProcess } from "../../cli/command";
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
    assert.match(stdout, /^Usage: coder-oidc demo \[options\]/);
    assert.equal(bad, 2);
    assert.equal(stderr, "error: unknown option '--nope'\n");
    assert.ok(!stdout.includes("error"), stdout);
  });

  it("names the command as it is typed, once: a program already named coder-oidc… keeps its name", () => {
    for (const name of ["coder-oidc", "coder-oidc env"]) {
      const help = recordingStreams();
      assert.equal(parseArguments(new Command(name), ["--help"], help.streams), 0);
      assert.match(help.written().stdout, new RegExp(`^Usage: ${name} \\[options\\]`));
    }
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

  it("when stdout cannot be written (a full disk), says so on stderr in one line and exits 2", async (t: TestContext) => {
    for (const [error, said] of [
      [Object.assign(new Error("write ENOSPC"), { code: "ENOSPC" }), "demo: could not write the output (ENOSPC)\n"],
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

  it("a reader that goes away (| head, EPIPE) is no error: the command ends, says nothing and exits with its own code (class 10)", async (t: TestContext) => {
    for (const code of [0, 1]) {
      const { streams, written } = recording();
      const exited = exitOf(t);
      let finish: (code: number) => void = () => undefined;
      runAsProcess("demo", () => new Promise<number>((resolve) => { finish = resolve; }), [], 2, streams);
      streams.stdout.emit("error", Object.assign(new Error("write EPIPE"), { code: "EPIPE" }));
      streams.stdout.emit("error", Object.assign(new Error("write after end"), { code: "ERR_STREAM_DESTROYED" }));
      finish(code);
      assert.equal(await exited, code);
      assert.deepEqual(written(), { stdout: "", stderr: "" });
      t.mock.restoreAll();
    }
  });

  it("once the reader is gone, a later failure to write stdout is not told either", async (t: TestContext) => {
    const { streams, written } = recording();
    const exited = exitOf(t);
    runAsProcess("demo", pending, [], 1, streams);
    streams.stdout.emit("error", Object.assign(new Error("write EPIPE"), { code: "EPIPE" }));
    streams.stdout.emit("error", Object.assign(new Error("write EIO"), { code: "EIO" }));
    assert.equal(await exited, 2);
    assert.deepEqual(written(), { stdout: "", stderr: "" });
  });

  it("the command writes to the streams it is given", async (t: TestContext) => {
    const { streams, written } = recording();
    const exited = exitOf(t);
    runAsProcess("demo", async (_argv, io) => (io.stdout.write("# out\n"), io.stderr.write("note\n"), 0), [], 1, streams);
    assert.equal(await exited, 0);
    assert.deepEqual(written(), { stdout: "# out\n", stderr: "note\n" });
  });

  it("a crash with no stack trace to show (CODER_OIDC_DEBUG set) is still told in one line", async (t: TestContext) => {
    const { streams, written } = recording();
    const exited = exitOf(t);
    const stackless = Object.assign(new Error("boom"), { stack: undefined });
    process.env.CODER_OIDC_DEBUG = "1";
    try {
      runAsProcess("demo", async () => { throw stackless; }, [], 2, streams);
      assert.equal(await exited, 2);
    } finally {
      delete process.env.CODER_OIDC_DEBUG;
    }
    assert.deepEqual(written(), { stdout: "", stderr: "demo failed unexpectedly: \n(set CODER_OIDC_DEBUG=1 for the stack trace)\n" });
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

describe("one CLI: fatal errors, JSON, options that do not apply (class 10)", () => {
  it("asksForJson reads every way of writing --format json", () => {
    for (const argv of [["--format", "json"], ["--format=json"], ["-f", "json"], ["-fjson"], ["--stack", "x", "-f", "json"]]) assert.ok(asksForJson(argv), argv.join(" "));
    for (const argv of [[], ["--format", "text"], ["json"], ["--format"], ["--stack", "json"]]) assert.ok(!asksForJson(argv), argv.join(" "));
  });

  it("fatal: one error line per problem on stderr, and with JSON the same error on stdout", () => {
    const text = recordingStreams();
    assert.equal(fatal(text.streams, false, "first\nsecond \u202E"), 2);
    assert.deepEqual(text.written(), { stdout: "", stderr: "error: first\nsecond \\u{202E}\n" });
    const json = recordingStreams();
    assert.equal(fatal(json.streams, true, "bad", 1, "ERR_X"), 1);
    assert.deepEqual(JSON.parse(json.written().stdout), { error: { code: "ERR_X", message: "bad", exitCode: 1 } });
    assert.equal(json.written().stderr, "error: bad\n");
    assert.ok(json.written().stdout.endsWith("}\n"), "one JSON document, ending its line");
    const usage = recordingStreams();
    assert.equal(fatal(usage.streams, true, "no stack named x"), 2);
    assert.deepEqual(JSON.parse(usage.written().stdout), { error: { code: "ERR_USAGE", message: "no stack named x", exitCode: 2 } });
  });

  it("a commander error with --format json is JSON on stdout too; --help is not an error", () => {
    const bad = recordingStreams();
    assert.equal(parseArguments(new Command("demo").option("--format <f>", "format"), ["--format", "json", "--nope"], bad.streams), 2);
    assert.deepEqual(JSON.parse(bad.written().stdout), { error: { code: "ERR_USAGE", message: "unknown option '--nope'", exitCode: 2 } });
    const help = recordingStreams();
    assert.equal(parseArguments(new Command("demo").option("--format <f>", "format"), ["--format", "json", "--help"], help.streams), 0);
    assert.match(help.written().stdout, /^Usage: coder-oidc demo/);
    assert.ok(!help.written().stdout.includes('"error"'), help.written().stdout);
    assert.ok(bad.written().stdout.endsWith("}\n"), "one JSON document, ending its line");
  });

  it("the same code for the same situation: a stack file or usage problem and a Pulumi CLI problem are 2, others 1", () => {
    assert.equal(exitCodeOf({ code: "ERR_STACK_FILE" }), 2);
    assert.equal(exitCodeOf({ code: "ERR_PULUMI_CLI" }), 2);
    assert.equal(exitCodeOf({ code: "ERR_USAGE" }), 2);
    assert.equal(exitCodeOf({ code: "ERR_CONFIG_INVALID" }), 1);
    assert.equal(exitCodeOf({}), 1);
  });

  it("notApplying names each option given on the command line that does not apply, never a default", () => {
    const program = new Command("demo").option("--a <x>", "a", "default").option("--b <x>", "b");
    program.parse(["--b", "1"], { from: "user" });
    const rules = [{ option: "a", applies: false, why: "a" }, { option: "b", applies: false, why: "b" }, { option: "b", applies: true, why: "never" }];
    assert.deepEqual(notApplying(program, rules), ["b"]);
  });
});
