/**
 * The one module that drives the real engine, through the Automation API (`@pulumi/pulumi/automation`).
 * The program runs INLINE, in this process (the default export of program/index.ts, required only when the
 * engine calls it), so the Pulumi CLI is needed but not its Node.js language host. Credentials and the
 * backend come from the user's environment: the CLI child gets the variables it and the IdPs' providers need
 * (see {@link passthroughEnv}), no other; nothing here reads or stores them. (`pulumi version`, which the Automation
 * API runs to check the CLI, gets this process's environment: PulumiCommand.get takes none.)
 */
import { toolkitRoot } from "../src/project-paths";
import { allIdps } from "../idps/registry";
import * as fs from "node:fs";
import * as path from "node:path";
import { CommandError, LocalWorkspace, PulumiCommand, StackNotFoundError, type EngineEvent, type Stack } from "@pulumi/pulumi/automation";
import {
  CheckFailure,
  classifyFailure,
  isExpectNoChangesFailure,
  parseDriftEvents,
  parseRefreshChanges,
  STACK_MISSING_MESSAGE,
  type StackDriftResult,
} from "./drift";

/** The project root: Pulumi.yaml (and its `stackConfigDir: stacks`) is there. */
export const PROJECT_ROOT = toolkitRoot();
/** Pulumi.yaml's `name`. */
export const PROJECT_NAME = "coder-oidc";

/**
 * What every Pulumi CLI child gets, whatever the IdP: the CLI itself (`PULUMI_*`: `PULUMI_BACKEND_URL`,
 * `PULUMI_ACCESS_TOKEN`, `PULUMI_CONFIG_PASSPHRASE[_FILE]`, `PULUMI_HOME`, …), `PATH` (the CLI finds its plugins and
 * Node.js there), `HOME`, `TMPDIR`, proxies and CA bundles, and the credentials of a state backend or secrets
 * provider in a cloud (`s3://`/`awskms://`: `AWS_*`; `azblob://`/`azurekeyvault://`: `AZURE_*`;
 * `gs://`/`gcpkms://`: `GOOGLE_*`). A name ending in `*` is a prefix.
 */
export const COMMON_CLI_ENV: readonly string[] = [
  "PULUMI_*", "PATH", "HOME", "TMPDIR", "HTTPS_PROXY", "HTTP_PROXY", "NO_PROXY", "https_proxy", "http_proxy", "no_proxy",
  "SSL_CERT_FILE", "SSL_CERT_DIR", "AWS_*", "AZURE_*", "GOOGLE_*",
];

/**
 * The variables each IdP's provider or admin API client reads, by IdP kind: its descriptor's `envPrefixes`
 * (idps/<idp>/index.ts), each a prefix (`OKTA_*`).
 */
export function idpCliEnv(): Readonly<Record<string, readonly string[]>> {
  return Object.fromEntries(allIdps().map((idp) => [idp.kind, idp.envPrefixes.map((prefix) => `${prefix}*`)]));
}

/** Whether `name` is one of `names` (exactly, or by a prefix ending in `*`); without regard to case on Windows. */
function named(name: string, names: readonly string[], ignoreCase: boolean): boolean {
  const key = ignoreCase ? name.toUpperCase() : name;
  return names.some((n) => {
    const wanted = ignoreCase ? n.toUpperCase() : n;
    return wanted.endsWith("*") ? key.startsWith(wanted.slice(0, -1)) : key === wanted;
  });
}

/**
 * The environment the Pulumi CLI child runs with, taken from `env`: the variables of {@link COMMON_CLI_ENV} and of
 * every IdP in {@link idpCliEnv} (drift reads no stack file, so any IdP's), nothing else; the CLI's update check
 * off unless the user set it. Names are compared without regard to case when `ignoreCase` (default: on Windows,
 * whose variable names are so).
 */
export function passthroughEnv(env: NodeJS.ProcessEnv = process.env, ignoreCase: boolean = process.platform === "win32"): Record<string, string> {
  const names = [...COMMON_CLI_ENV, ...Object.values(idpCliEnv()).flat()];
  const out: Record<string, string> = { PULUMI_SKIP_UPDATE_CHECK: "true" };
  for (const [key, value] of Object.entries(env)) if (value !== undefined && named(key, names, ignoreCase)) out[key] = value;
  return out;
}

/**
 * The `envVars` that make the Automation API's CLI child see {@link passthroughEnv} of `env` and nothing of this
 * process's environment (`inherited`) besides. The Automation API runs the CLI with `process.env` extended by
 * `envVars` (execa's `extendEnv`) and has no option to replace it; Node's `spawn` leaves out a variable whose value
 * is undefined, so each other variable of `inherited` is named here with an undefined value.
 */
export function cliEnvVars(env: NodeJS.ProcessEnv = process.env, inherited: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const out: Record<string, string | undefined> = {};
  for (const key of Object.keys(inherited)) out[key] = undefined;
  // Typed as LocalWorkspace's `envVars` are; the undefined values are the point (see above).
  return Object.assign(out, passthroughEnv(env)) as Record<string, string>;
}

/** The first executable `command` on `envPath`; undefined when none. */
export function findOnPath(command: string, envPath: string | undefined = process.env.PATH): string | undefined {
  for (const dir of (envPath ?? "").split(path.delimiter)) {
    if (dir === "") continue;
    const candidate = path.join(dir, command);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

type Program = () => Promise<Record<string, unknown>>;

/** The program, required when the engine runs it: requiring it loads every IdP SDK, calling it declares the stack. */
function inlineProgram(): Promise<Record<string, unknown>> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const program = require("../program/index") as Program;
  return program();
}

function failed(stack: string, failure: CheckFailure, message: string, started: number): StackDriftResult {
  return { stack, status: "error", resources: [], failure, message, seconds: (Date.now() - started) / 1000 };
}

/**
 * Checks one stack for drift: a refresh-preview with `expectNoChanges`, its engine events parsed into the
 * fields that differ. Never throws for what a user can fix: the result says what to fix.
 */
export async function checkStackDrift(stackName: string, env: NodeJS.ProcessEnv = process.env, projectDir: string = PROJECT_ROOT): Promise<StackDriftResult> {
  const started = Date.now();
  const cli = findOnPath("pulumi", env.PATH);
  if (cli === undefined) {
    return failed(stackName, CheckFailure.NoCli, "the Pulumi CLI is not on PATH: install it " +
      "(https://www.pulumi.com/docs/iac/download-install/) or add the folder that holds `pulumi` to PATH", started);
  }
  let stack: Stack;
  try {
    const binDir = path.dirname(cli);
    const pulumiCommand = await PulumiCommand.get(path.basename(binDir) === "bin" ? { root: path.dirname(binDir) } : {});
    stack = await LocalWorkspace.selectStack(
      { stackName, projectName: PROJECT_NAME, program: inlineProgram },
      { workDir: projectDir, pulumiCommand, envVars: cliEnvVars(env) },
    );
  } catch (err) {
    if (err instanceof StackNotFoundError) {
      return failed(stackName, CheckFailure.StackMissing, `stack "${stackName}": ${STACK_MISSING_MESSAGE}`, started);
    }
    const { failure, message } = classifyFailure(errorText(err));
    return failed(stackName, failure, message, started);
  }
  const events: EngineEvent[] = [];
  try {
    await stack.preview({ refresh: true, expectNoChanges: true, diff: true, onEvent: (event) => { events.push(event); } });
  } catch (err) {
    recordEvents(stackName, events, env);
    const text = `${errorText(err)}\n${diagnostics(events)}`;
    // Drift against the program; else, when only the refresh changed something, what it changed.
    const found = parseDriftEvents(events);
    const drifted = found.length > 0 ? found : parseRefreshChanges(events);
    if (drifted.length > 0 && isExpectNoChangesFailure(`${cliOutput(err)}\n${diagnostics(events)}`)) {
      return { stack: stackName, status: "drift", resources: drifted, seconds: (Date.now() - started) / 1000 };
    }
    const { failure, message } = classifyFailure(text);
    return failed(stackName, failure, message, started);
  }
  recordEvents(stackName, events, env);
  const drifted = parseDriftEvents(events);
  return { stack: stackName, status: drifted.length > 0 ? "drift" : "no-drift", resources: drifted, seconds: (Date.now() - started) / 1000 };
}

/** Set to a folder to keep each check's engine events there as `<stack>.json`: the fixtures of test/engine/drift.test.ts. */
export const RECORD_EVENTS_ENV = "CODER_OIDC_RECORD_EVENTS";

function recordEvents(stackName: string, events: readonly EngineEvent[], env: NodeJS.ProcessEnv): void {
  const dir = env[RECORD_EVENTS_ENV];
  if (!dir) return;
  fs.mkdirSync(dir, { recursive: true });
  // The CLI masks secrets in its events ("[secret]"); the file holds what the engine said, nothing more.
  fs.writeFileSync(path.join(dir, `${stackName}.json`), JSON.stringify(events, null, 1) + "\n");
}

function errorText(err: unknown): string {
  if (err instanceof CommandError) return err.message;
  return err instanceof Error ? err.message : String(err);
}

/**
 * What the CLI itself wrote (stderr, then stdout), when `err` is its failure; else the error's message. Not the
 * CommandError's own text: that also holds the command line, which names --expect-no-changes whatever failed.
 */
function cliOutput(err: unknown): string {
  if (!(err instanceof CommandError)) return errorText(err);
  // CommandError keeps the CLI's result on a field its typings call private.
  const result = (err as unknown as { commandResult?: { stdout?: unknown; stderr?: unknown } }).commandResult;
  return [result?.stderr, result?.stdout].filter((text): text is string => typeof text === "string").join("\n");
}

function diagnostics(events: readonly EngineEvent[]): string {
  return events.flatMap((e) => (e.diagnosticEvent?.severity === "error" ? [e.diagnosticEvent.message] : [])).join("\n");
}
