/**
 * A stand-in `pulumi` for drift tests: answers `version` and `stack select`, and for `preview` replays
 * recorded engine events into the Automation API's `--event-log` file, then exits as the real CLI would.
 * It lets the tests drive engine/automation.ts through the real Automation API without the engine.
 * Controlled by `PULUMI_FAKE_EVENTS` (a JSON array of engine events), `PULUMI_FAKE_EXIT` and `PULUMI_FAKE_STDOUT`,
 * `PULUMI_FAKE_STDERR` (for preview), `PULUMI_FAKE_STACK_MISSING=1`, `PULUMI_FAKE_SELECT_STDERR` (`stack select`
 * fails saying it). Each call's arguments are appended to `PULUMI_FAKE_LOG`, when set; the environment each call
 * received, as one JSON object a line, to `PULUMI_FAKE_ENV_LOG`. The switches are `PULUMI_*` variables, which the
 * CLI child is given (engine/automation.ts's passthroughEnv), as a user's own `PULUMI_*` are.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/**
 * Writes an executable `pulumi` into `bin/` of a new temporary folder, laid out as an install is, and returns that
 * `bin` folder (put it on PATH); the folder goes when the process exits. With that layout the Automation API is
 * pointed at this very file, not at whatever `pulumi` the test process's own PATH finds.
 */
export function installFakePulumi(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "fake-pulumi-"));
  process.once("exit", () => fs.rmSync(root, { recursive: true, force: true }));
  const bin = path.join(root, "bin");
  fs.mkdirSync(bin);
  fs.writeFileSync(path.join(bin, "pulumi"), `#!${process.execPath}\n${FAKE_SOURCE}`, { mode: 0o755 });
  return bin;
}

// Plain JavaScript, run by node directly (no TypeScript loader in the CLI's child process).
const FAKE_SOURCE = String.raw`
const fs = require("node:fs");
const args = process.argv.slice(2);
if (process.env.PULUMI_FAKE_LOG) fs.appendFileSync(process.env.PULUMI_FAKE_LOG, JSON.stringify(args) + "\n");
if (process.env.PULUMI_FAKE_ENV_LOG) fs.appendFileSync(process.env.PULUMI_FAKE_ENV_LOG, JSON.stringify(process.env) + "\n");
// 3.200: the Automation API then reads events from the --event-log file (newer versions use gRPC).
if (args[0] === "version") { process.stdout.write("v3.200.0\n"); process.exit(0); }
if (args[0] === "stack" && args[1] === "select") {
  if (process.env.PULUMI_FAKE_SELECT_STDERR) {
    process.stderr.write(process.env.PULUMI_FAKE_SELECT_STDERR);
    process.exit(255);
  }
  if (process.env.PULUMI_FAKE_STACK_MISSING === "1") {
    process.stderr.write("error: no stack named '" + args[args.indexOf("--stack") + 1] + "' found\n");
    process.exit(255);
  }
  process.exit(0);
}
if (args[0] === "preview") {
  const log = args[args.indexOf("--event-log") + 1];
  const events = JSON.parse(fs.readFileSync(process.env.PULUMI_FAKE_EVENTS, "utf8"));
  fs.writeFileSync(log, events.map((e) => JSON.stringify(e)).join("\n") + "\n");
  process.stdout.write(process.env.PULUMI_FAKE_STDOUT || "");
  process.stderr.write(process.env.PULUMI_FAKE_STDERR || "");
  process.exit(Number(process.env.PULUMI_FAKE_EXIT || "0"));
}
process.exit(0);
`;
