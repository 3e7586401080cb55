/**
 * Where `coder-oidc env` gets Coder's settings: the deployed stack's outputs through the Pulumi CLI when it is
 * installed, else the offline plan, whose secrets and computed values are unknown.
 */
import { toolkitRoot } from "../src/project-paths";
import { spawnSync } from "node:child_process";
import { CoderEnvName, REQUIRED_CODER_ENV } from "../src/coder-env";
import { CoderOidcError } from "../src/errors";
import { type CoderEnvEntry, planStack } from "./plan";
import { capLength } from "../src/safe-text";
import { checkStackName, readStackFile, STACKS_DIR } from "./stack-file";
import { shownPath } from "./bounded-file";

/** Which source to use: `auto` = the Pulumi CLI when installed, else offline. */
export type EnvSourceChoice = "auto" | "pulumi" | "offline";

/** Coder's settings and where they came from. */
export interface CoderEnvFromSource {
  /** The variables, required ones first. */
  readonly entries: readonly CoderEnvEntry[];
  /** A sentence for people saying which source was used and what that means. */
  readonly source: string;
  /** The plan's warnings for the stack (e.g. an Entra ID secret about to expire). */
  readonly warnings: readonly string[];
}

/** The Pulumi CLI failed, or the stack's outputs are not what this project outputs. */
export class PulumiCliError extends CoderOidcError {
  static readonly code = "ERR_PULUMI_CLI";
  override readonly code = PulumiCliError.code;
}

const PROJECT_ROOT = toolkitRoot();

/** Gets Coder's settings for `stack` from the chosen source. */
export async function coderEnvForStack(
  stack: string,
  choice: EnvSourceChoice = "auto",
  stacksDir: string = STACKS_DIR,
): Promise<CoderEnvFromSource> {
  checkStackName(stack, stacksDir);
  if (choice !== "offline") {
    const fromCli = coderEnvFromPulumiCli(stack);
    if (fromCli) {
      return { entries: fromCli, source: `Source: deployed stack outputs (pulumi stack output --stack ${stack}).`, warnings: await planWarnings(stack, stacksDir) };
    }
    if (choice === "pulumi") throw new PulumiCliError("The Pulumi CLI is not installed (no `pulumi` on PATH); use --source offline");
  }
  const file = readStackFile(stack, stacksDir);
  const plan = await planStack(stack, file);
  // Offline, no secret is real: computed ones are unknown and `secure:` ones cannot be decrypted.
  const entries = plan.coderEnv.map((e) => (e.secret ? { ...e, known: false, value: undefined } : e));
  const why = choice === "offline" ? "--source offline" : "the Pulumi CLI is not installed";
  return {
    entries,
    source: `Source: offline plan of ${shownPath(file.file)} (${why}); values marked ` +
      "\"(known after apply)\" exist only after `pulumi up`, and secrets are never available offline.",
    warnings: plan.warnings,
  };
}

/**
 * The offline plan's warnings for a deployed stack (they come from its config, e.g. a secret about to expire).
 * A stack whose file or plan fails says so as a warning: the deployed outputs are still what Coder needs.
 */
async function planWarnings(stack: string, stacksDir: string): Promise<string[]> {
  try {
    return [...(await planStack(stack, readStackFile(stack, stacksDir))).warnings];
  } catch (err) {
    if (!(err instanceof CoderOidcError)) throw err;
    return [`the stack file could not be planned for its warnings: ${err.message}`];
  }
}

/** The stack's Coder outputs via `pulumi stack output`; undefined when the CLI is not installed. */
export function coderEnvFromPulumiCli(stack: string, projectDir: string = PROJECT_ROOT): CoderEnvEntry[] | undefined {
  const result = spawnSync("pulumi", ["stack", "output", "--json", "--show-secrets", "--stack", stack], {
    cwd: projectDir,
    encoding: "utf8",
    maxBuffer: 16 * 1024 * 1024,
  });
  if ((result.error as NodeJS.ErrnoException | undefined)?.code === "ENOENT") return undefined;
  if (result.error) throw new PulumiCliError(`Could not run the Pulumi CLI: ${result.error.message}`);
  if (result.status !== 0) {
    throw new PulumiCliError(`pulumi stack output --stack ${stack} failed (exit ${String(result.status)}):\n${result.stderr.trim().split("\n").slice(0, 20).map((line) => capLength(line, 500)).join("\n")}`);
  }
  let outputs: unknown;
  try {
    outputs = JSON.parse(result.stdout);
  } catch {
    throw new PulumiCliError(`pulumi stack output --stack ${stack} did not print JSON`);
  }
  if (typeof outputs !== "object" || outputs === null || Array.isArray(outputs)) {
    throw new PulumiCliError(`pulumi stack output --stack ${stack} printed no map of outputs`);
  }
  const values = outputs as Record<string, unknown>;
  const missing = REQUIRED_CODER_ENV.filter((name) => typeof values[name] !== "string");
  if (missing.length === 1 && missing[0] === CoderEnvName.ClientSecret) {
    // What a PingFederate client adopted with coder-oidc:adoptClientId looks like: its secret is write-only.
    throw new PulumiCliError(`Stack ${stack} has no output ${CoderEnvName.ClientSecret}: the stack does not know the client ` +
      "secret (a PingFederate client adopted with coder-oidc:adoptClientId keeps the secret Coder has, which PingFederate " +
      "never shows). Keep Coder's CODER_OIDC_CLIENT_SECRET, or change coder-oidc:pingfederate.secretVersion and run " +
      "`pulumi up` to have the stack issue one (the old one keeps working for secretOverlap).");
  }
  if (missing.length > 0) {
    throw new PulumiCliError(`Stack ${stack} has no output ${missing.join(", ")}: has it been deployed with \`pulumi up\`?`);
  }
  const coderNames = Object.values(CoderEnvName) as string[];
  const names = [...REQUIRED_CODER_ENV, ...coderNames.filter((n) => !REQUIRED_CODER_ENV.includes(n as CoderEnvName))];
  return names
    .filter((name) => typeof values[name] === "string")
    .map((name) => ({ name, known: true, secret: name === CoderEnvName.ClientSecret, value: values[name] as string }));
}
