/**
 * `coder-oidc <command> [options]`: the one entry point behind the package's `bin` (`npx coder-oidc plan …`),
 * with no npm banner on stdout, so `--format json | jq .` and `> coder-oidc.env` work as written.
 * Each command is a module exporting `run(argv) → exit code`; add one by adding a line to COMMANDS. A command's
 * module (and the SDKs it loads) is required only when that command runs: `--version` and `--help` load none.
 */
import { ExitCode, runAsProcess, type OutputStreams, processStreams } from "./command";
import type * as DoctorModule from "./doctor";
import type * as DriftModule from "./drift";
import type * as EnvModule from "./env";
import type * as PlanModule from "./plan";
import type * as SessionsModule from "./sessions";
import type * as VerifyModule from "./verify";
import { shown } from "../src/safe-text";
import { version } from "./version";

/** How a command runs: with the arguments after its name, writing to `io`; resolves to its exit code. */
export type RunCommand = (argv: readonly string[], io: OutputStreams) => Promise<number>;

/** A subcommand: what it does, and how to run it with the arguments after its name. */
export interface CliCommand {
  /** One line for the usage text. */
  readonly summary: string;
  /** Runs the command, writing to `io`; resolves to its exit code. Requires the command's module when called. */
  readonly run: RunCommand;
}

/**
 * A run that requires its command's module when called, not before: a `require` (not `import()`), as the bin
 * registers tsx's CommonJS hooks only.
 */
function whenRun(load: () => RunCommand): RunCommand {
  return async (argv, io) => load()(argv, io);
}

/* eslint-disable @typescript-eslint/no-require-imports -- each command's module is required when it runs */
/** Every subcommand, by name: the one registry of commands, read by `--help` without loading any of them. */
export const COMMANDS: Readonly<Record<string, CliCommand>> = {
  plan: {
    summary: "offline plan: what a stack declares at its IdP and the Coder settings it outputs",
    run: whenRun(() => (require("./plan") as typeof PlanModule).runPlan),
  },
  env: {
    summary: "Coder's OIDC settings for a stack as a dotenv file, Helm values or a Kubernetes Secret",
    run: whenRun(() => (require("./env") as typeof EnvModule).runEnv),
  },
  drift: {
    summary: "drift check of deployed stacks: does the live IdP still match the program?",
    run: whenRun(() => (require("./drift") as typeof DriftModule).runDrift),
  },
  verify: {
    summary: "the refresh-token checklist against a live deployment (IdP discovery and client, Coder's config)",
    run: whenRun(() => (require("./verify") as typeof VerifyModule).runVerify),
  },
  doctor: {
    summary: "the cause and fix of each OIDC refresh or login failure in a Coder server log",
    run: whenRun(() => (require("./doctor") as typeof DoctorModule).runDoctor),
  },
  sessions: {
    summary: "who Coder will still sign out: OIDC users without a refresh token (Coder's database); --sign-out",
    run: whenRun(() => (require("./sessions") as typeof SessionsModule).runSessions),
  },
};
/* eslint-enable @typescript-eslint/no-require-imports */

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length));
  return [
    "Usage: coder-oidc <command> [options]",
    "",
    "Commands:",
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
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
}

/** The command of that name; undefined for any other word (`constructor` included). */
function commandNamed(name: string | undefined): CliCommand | undefined {
  return name !== undefined && Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
}

/** Runs `coder-oidc` with `argv` (the arguments after the program name); resolves to the exit code. */
export async function runMain(argv: readonly string[], io: OutputStreams = processStreams()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === "help" && rest.length > 0) {
    // `coder-oidc help <command>`: that command's help.
    const command = commandNamed(rest[0]);
    if (command && rest.length === 1) return command.run(["--help"], io);
    io.stderr.write(`error: ${rest.length > 1 ? "help takes one command" : `unknown command "${shown(rest[0])}"`}\n\n${usage()}`);
    return ExitCode.Usage;
  }
  if (name === "-h" || name === "--help" || name === "help") {
    io.stdout.write(usage());
    return ExitCode.Ok;
  }
  if (name === "-V" || name === "--version") {
    io.stdout.write(version() + "\n");
    return ExitCode.Ok;
  }
  const command = commandNamed(name);
  if (!command) {
    io.stderr.write((name === undefined ? "error: no command given\n\n" : `error: unknown command "${shown(name)}"\n\n`) + usage());
    return ExitCode.Usage;
  }
  return command.run(rest, io);
}

if (require.main === module) runAsProcess("coder-oidc", runMain, process.argv.slice(2));
