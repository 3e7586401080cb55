/**
 * The real Pulumi engine for the e2e suite: a sandbox with its own `PULUMI_HOME`, a file backend, passphrase
 * secrets and no plugin download, all in one temporary directory, and stacks of the coder-oidc program in a
 * project directory laid out like the repository's (Pulumi.yaml, `stacks/Pulumi.<stack>.yaml`).
 *
 * The program runs inline through the Automation API (the CLI's `--client` mode): the CLI, the engine, the
 * backend, the plugins and the @pulumi/pulumi runtime are the real ones, but no `pulumi-language-nodejs`
 * binary is needed, which the Go module proxy does not serve here (e2e/versions.json says why).
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { delimiter, join } from "node:path";
import { LocalWorkspace, PulumiCommand, type PulumiFn, type Stack } from "@pulumi/pulumi/automation";
import { parse, stringify } from "yaml";
import type { E2eTools } from "../tools";
import { run, type RunResult } from "./steps";
import { REPO_ROOT } from "./versions";

/** The project name, as in the repository's Pulumi.yaml. */
export const PROJECT_NAME = "coder-oidc";

/** A Pulumi home, backend and project directory of their own. */
export interface PulumiSandbox {
  /** The sandbox's root (everything below is deleted by {@link close}). */
  readonly root: string;
  /** The file backend's directory (`PULUMI_BACKEND_URL=file://<stateDir>`). */
  readonly stateDir: string;
  /** The project directory: Pulumi.yaml, stacks/, node_modules (a link to the repository's). */
  readonly projectDir: string;
  /** The passphrase that encrypts the stacks' secrets. */
  readonly passphrase: string;
  /** The environment every Pulumi command of the sandbox runs with. */
  readonly env: Record<string, string>;
  /**
   * Writes `stacks/Pulumi.<name>.yaml` with `config` (plain values), selects or creates the stack, then sets
   * `secrets` (`section.field` paths allowed) as `pulumi config set --secret [--path]` would. The program is the
   * repository's unless `program` is given.
   */
  stack(name: string, config: Record<string, unknown>, secrets?: Record<string, string>, program?: PulumiFn): Promise<Stack>;
  /** Runs the `pulumi` CLI in the project directory with the sandbox's environment; rejects on a non-zero exit. */
  cli(args: readonly string[]): Promise<RunResult>;
  /**
   * `pulumi stack export` as a user runs it (secrets stay encrypted). The Automation API's `exportStack`
   * passes `--show-secrets`, so it cannot tell whether the state holds a secret in plaintext.
   */
  exportState(stackName: string): Promise<string>;
  /** Deletes the sandbox. */
  close(): void;
}

/** The program of the repository (program/index.ts), loaded when a stack first runs it. */
function program(): Promise<Record<string, unknown>> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const run = require(join(REPO_ROOT, "program/index.ts")) as () => Promise<Record<string, unknown>>;
  return run();
}

/** Makes a sandbox under `parent` for the tools of `tools`. */
export async function createPulumiSandbox(tools: E2eTools, parent: string): Promise<PulumiSandbox> {
  const root = mkdtempSync(join(parent, "pulumi-"));
  const stateDir = join(root, "state");
  const projectDir = join(root, "project");
  for (const dir of [stateDir, join(root, "home"), join(projectDir, "stacks")]) mkdirSync(dir, { recursive: true });
  // The repository's project file, less `main`: the program runs inline, so there is no file for the CLI to run.
  const { main: _main, ...project } = parse(readFileSync(join(REPO_ROOT, "Pulumi.yaml"), "utf8")) as Record<string, unknown>;
  writeFileSync(join(projectDir, "Pulumi.yaml"), stringify(project));
  // The dynamic-provider host resolves @pulumi/pulumi and the providers' npm modules from the project.
  symlinkSync(join(REPO_ROOT, "node_modules"), join(projectDir, "node_modules"), "dir");
  const passphrase = randomBytes(18).toString("base64url");
  const env: Record<string, string> = {
    PATH: `${tools.binDir}${delimiter}${process.env.PATH ?? ""}`,
    PULUMI_HOME: join(root, "home"),
    PULUMI_BACKEND_URL: `file://${stateDir}`,
    PULUMI_CONFIG_PASSPHRASE: passphrase,
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
  };
  const pulumiCommand = await PulumiCommand.get({ root: join(tools.binDir, ".."), skipVersionCheck: false });
  const cli = (args: readonly string[]): Promise<RunResult> =>
    run(join(tools.binDir, "pulumi"), args, { cwd: projectDir, env: { ...process.env, ...env }, step: `pulumi ${args[0]}` });
  return {
    root,
    stateDir,
    projectDir,
    passphrase,
    env,
    async stack(name, config, secrets = {}, inline = program) {
      writeFileSync(join(projectDir, "stacks", `Pulumi.${name}.yaml`), stringify({ config }));
      const stack = await LocalWorkspace.createOrSelectStack(
        { stackName: name, projectName: PROJECT_NAME, program: inline },
        { workDir: projectDir, envVars: env, pulumiCommand },
      );
      for (const [key, value] of Object.entries(secrets)) {
        await stack.setConfig(key, { value, secret: true }, key.includes("."));
      }
      return stack;
    },
    cli,
    async exportState(stackName) {
      return (await cli(["stack", "export", "--stack", stackName])).stdout;
    },
    close() {
      rmSync(root, { recursive: true, force: true });
    },
  };
}
