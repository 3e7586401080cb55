/**
 * Starting and stopping the e2e's services: free ports on 127.0.0.1, a process in its own process group with
 * its output in a log file, a readiness wait that gives up early when the process dies, and a stop that ends
 * the whole group (a launcher script and the JVM it starts alike).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";
import { createServer } from "node:net";

/** A free TCP port on 127.0.0.1 (the OS picks it; it is free when this returns). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A running service process. */
export interface ServiceProcess {
  /** Its name, for messages. */
  readonly name: string;
  /** The child process (the leader of its process group). */
  readonly child: ChildProcess;
  /** The file that holds its stdout and stderr. */
  readonly logFile: string;
  /** The last lines of its log. */
  logTail(lines?: number): string;
  /** Ends the process group: SIGTERM, then SIGKILL after `graceMs`; resolves when the leader has exited. */
  stop(graceMs?: number): Promise<void>;
}

/** Starts `command` in its own process group, its output appended to `logFile`. */
export function startService(name: string, command: string, args: readonly string[], options: {
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly logFile: string;
}): ServiceProcess {
  const log = openSync(options.logFile, "a");
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, detached: true, stdio: ["ignore", log, log] });
  closeSync(log);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const signal = (sig: NodeJS.Signals) => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, sig);
    } catch {
      // The group is gone already.
    }
  };
  return {
    name,
    child,
    logFile: options.logFile,
    logTail(lines = 40) {
      return readFileSync(options.logFile, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
    },
    async stop(graceMs = 20_000) {
      if (child.exitCode !== null || child.signalCode !== null) {
        signal("SIGKILL");
        return;
      }
      signal("SIGTERM");
      const timer = setTimeout(() => signal("SIGKILL"), graceMs);
      await exited;
      clearTimeout(timer);
      signal("SIGKILL");
    },
  };
}

/** Polls `probe` until it resolves true; fails early, with the log's tail, when the service exits. */
export async function waitUntilReady(service: ServiceProcess, probe: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (service.child.exitCode !== null || service.child.signalCode !== null) {
      throw new Error(`${service.name} exited (${service.child.exitCode ?? service.child.signalCode}) before it was ready:\n${service.logTail()}`);
    }
    if (await probe().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`${service.name} was not ready after ${timeoutMs / 1000} s:\n${service.logTail()}`);
}
