/**
 * Running commands and timing steps, for the e2e tools script and the e2e suite: every step prints its name
 * and elapsed time, and a failure names the step, the command and what it printed.
 */
import { spawn } from "node:child_process";

/** A command that failed: its step, its command line, its exit status and the tail of what it printed. */
export class StepError extends Error {
  constructor(
    /** The step that ran the command. */
    readonly step: string,
    /** The command line, as typed. */
    readonly command: string,
    /** Exit code, or the signal that ended it. */
    readonly status: number | string,
    /** The last lines of its stderr (or stdout when stderr was empty). */
    readonly output: string,
  ) {
    super(`step "${step}" failed: \`${command}\` exited ${status}${output ? `:\n${output}` : ""}`);
    this.name = "StepError";
  }
}

/** Options of {@link run}. */
export interface RunOptions {
  /** Working directory. */
  readonly cwd?: string;
  /** Environment; default the process's. */
  readonly env?: NodeJS.ProcessEnv;
  /** The step this command belongs to, for the error. */
  readonly step: string;
  /** Text to write on stdin. */
  readonly input?: string;
}

/** What a finished command printed. */
export interface RunResult {
  /** Its stdout. */
  readonly stdout: string;
  /** Its stderr. */
  readonly stderr: string;
}

const TAIL_LINES = 30;

function tail(text: string): string {
  return text.trimEnd().split("\n").slice(-TAIL_LINES).join("\n");
}

/** Runs a command to its end; rejects with a {@link StepError} when it does not exit 0. */
export function run(command: string, args: readonly string[], options: RunOptions): Promise<RunResult> {
  const commandLine = [command, ...args].join(" ");
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", (err) => reject(new StepError(options.step, commandLine, "not started", err.message)));
    child.on("close", (code, signal) => {
      if (code === 0) resolve({ stdout, stderr });
      else reject(new StepError(options.step, commandLine, code ?? signal ?? "unknown", tail(stderr || stdout)));
    });
    child.stdin.end(options.input ?? "");
  });
}

/** Seconds since `start` (a `performance.now()` value), one decimal. */
export function elapsed(start: number): string {
  return `${((performance.now() - start) / 1000).toFixed(1)} s`;
}

/** Runs one named step, printing its start, its end and its elapsed time on `log`. */
export async function step<T>(name: string, body: () => Promise<T>, log: (line: string) => void): Promise<T> {
  const start = performance.now();
  log(`▶ ${name}`);
  try {
    const result = await body();
    log(`✔ ${name} (${elapsed(start)})`);
    return result;
  } catch (err) {
    log(`✖ ${name} (${elapsed(start)})`);
    throw err;
  }
}
