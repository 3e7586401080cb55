/**
 * The project as users run it: a copy of this checkout's files (tracked and new, as they are in the working tree)
 * with the real Pulumi.yaml and package.json, `node_modules` linked, and the `pulumi` CLI run in its root, so the
 * CLI starts the program through its Node.js language host exactly as `pulumi up` does on a user's machine. The
 * copy keeps the checkout clean (Pulumi writes the stack files) and lets a test change a source file.
 *
 * Pulumi runs with a home, a file backend and a passphrase of its own, and no plugin download.
 */
import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { delimiter, dirname, join } from "node:path";
import { stringify } from "yaml";
import type { E2eTools } from "../tools";
import { REPO_ROOT } from "./versions";

/** What a finished CLI command printed, and how it exited. */
export interface CliResult {
  /** The exit code (or -1 when a signal ended it). */
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** Seconds it took. */
  readonly seconds: number;
}

/** A copy of the project and the Pulumi CLI to run in its root. */
export interface CliProject {
  /** The project root (Pulumi.yaml is here). */
  readonly root: string;
  /** The file backend's directory. */
  readonly stateDir: string;
  /** The environment every `pulumi` command runs with. */
  readonly env: Record<string, string>;
  /** Runs `pulumi <args>` in the project root; never rejects: the test reads the exit code. */
  pulumi(args: readonly string[], extraEnv?: Record<string, string>): Promise<CliResult>;
  /** Writes `stacks/Pulumi.<stack>.yaml` with plain `config`, creates the stack, then sets `secrets` with `--secret --path`. */
  initStack(stack: string, config: Record<string, unknown>, secrets: Record<string, string>): Promise<void>;
  /** Writes a file of the copy (a path relative to the root); returns a function that puts the old text back. */
  patch(file: string, text: string): () => void;
  /** Deletes everything. */
  close(): void;
}

/** The checkout's files, as git lists them (tracked, and new files it does not ignore). */
function projectFiles(): string[] {
  const listed = spawnSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: REPO_ROOT, encoding: "utf8" });
  if (listed.status !== 0) throw new Error(`git ls-files failed in ${REPO_ROOT}: ${listed.stderr}`);
  return listed.stdout.split("\0").filter((file) => file !== "" && !file.startsWith("stacks/"));
}

/** Copies the project under `parent` and prepares the Pulumi CLI of `tools` (with its language host) to run there. */
export function createCliProject(tools: E2eTools, parent: string): CliProject {
  const base = join(parent, "cli-route");
  const root = join(base, "project");
  const stateDir = join(base, "state");
  for (const dir of [root, stateDir, join(base, "home"), join(root, "stacks")]) mkdirSync(dir, { recursive: true });
  for (const file of projectFiles()) {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    try {
      copyFileSync(join(REPO_ROOT, file), join(root, file));
    } catch (err) {
      // A file git lists but the working tree deleted is not part of the project as it stands.
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
    }
  }
  symlinkSync(join(REPO_ROOT, "node_modules"), join(root, "node_modules"), "dir");
  const env: Record<string, string> = {
    PATH: [tools.binDir, tools.languageHost.dir, process.env.PATH ?? ""].join(delimiter),
    PULUMI_HOME: join(base, "home"),
    PULUMI_BACKEND_URL: `file://${stateDir}`,
    PULUMI_CONFIG_PASSPHRASE: randomBytes(18).toString("base64url"),
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    // Colours and progress spinners off: the test reads what the CLI prints.
    PULUMI_SKIP_CONFIRMATIONS: "true",
    NO_COLOR: "1",
  };
  const pulumi = (args: readonly string[], extraEnv: Record<string, string> = {}): Promise<CliResult> => {
    const start = performance.now();
    return new Promise((resolve) => {
      const child = spawn(join(tools.binDir, "pulumi"), ["--non-interactive", "--color", "never", ...args],
        { cwd: root, env: { ...process.env, ...env, ...extraEnv }, stdio: ["ignore", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
      child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
      child.on("error", (err) => resolve({ code: -1, stdout, stderr: `${stderr}${err.message}`, seconds: 0 }));
      child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr, seconds: (performance.now() - start) / 1000 }));
    });
  };
  return {
    root,
    stateDir,
    env,
    pulumi,
    async initStack(stack, config, secrets) {
      writeFileSync(join(root, "stacks", `Pulumi.${stack}.yaml`), stringify({ config }));
      const expectOk = (what: string, result: CliResult) => {
        if (result.code !== 0) throw new Error(`pulumi ${what} exited ${result.code}:\n${result.stderr || result.stdout}`);
      };
      expectOk("stack init", await pulumi(["stack", "init", stack]));
      for (const [key, value] of Object.entries(secrets)) {
        // The value goes on stdin, never on a command line that a process listing would show.
        const start = performance.now();
        const result = await new Promise<CliResult>((resolve) => {
          const child = spawn(join(tools.binDir, "pulumi"), ["config", "set", "--secret", "--path", "--stack", stack, key],
            { cwd: root, env: { ...process.env, ...env } });
          let stderr = "";
          child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
          child.stdout.resume();
          child.on("close", (code) => resolve({ code: code ?? -1, stdout: "", stderr, seconds: (performance.now() - start) / 1000 }));
          child.stdin.end(value);
        });
        expectOk(`config set --secret ${key}`, result);
      }
    },
    patch(file, text) {
      const path = join(root, file);
      const before = readFileSync(path, "utf8");
      writeFileSync(path, text);
      return () => writeFileSync(path, before);
    },
    close() {
      rmSync(base, { recursive: true, force: true });
    },
  };
}
