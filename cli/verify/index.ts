/**
 * `coder-oidc verify (--stack <name> | --dotenv <file> --idp <idp>) [--coder-url <url> [--coder-token <t>]]
 * [--format text|json]`
 *
 * The "Confirm" checklist of Coder's refresh-token page, against a live deployment: the Coder settings against the
 * per-IdP table; the IdP's discovery document (reachable with TLS verified, `issuer` equal to
 * `CODER_OIDC_ISSUER_URL` character for character, the refresh_token grant, offline_access, a signing algorithm
 * Coder verifies); the client at Keycloak, read with the admin credentials (the stack's `keycloak:*` config or the
 * provider's own `KEYCLOAK_*` variables), at PingFederate (its admin API, with the stack's `coder-oidc:pingfederate`),
 * at Entra ID, Okta and Auth0 (Graph and their management APIs, with the stack's provider config or the providers'
 * environment variables; see verify-idps.ts);
 * with `--coder-url` and an owner's token (`--coder-token` or
 * `CODER_SESSION_TOKEN`), Coder's running OIDC settings against the stack's; then what cannot be automated.
 *
 * Exit codes: 0 all good; 1 something is wrong (each finding says what to change and where); 2 could not check
 * (bad arguments, no outputs, an IdP or Coder that did not answer).
 */
import { spawnSync } from "node:child_process";
import { parseEnv } from "node:util";
import { Command, Option } from "commander";
import { CoderEnvName } from "../../src/coder-env";
import { CoderOidcError } from "../../src/errors";
import { idpKinds, idpOf } from "../../idps/registry";
import { readRegularFile } from "../../engine/bounded-file";
import { ExitCode, fatal, notApplying, parseArguments, runAsProcess, type OutputStreams, processStreams } from "../command";
import { capLength, Masker, safeMessage, shown } from "../../src/safe-text";
import { version } from "../version";
import { coderEnvFromPulumiCli } from "../../engine/env-source";
import { PROJECT_ROOT } from "../../engine/automation";
import { readStackFile, stacksDirOf } from "../../engine/stack-file";
import {
  checkCoderDeployment, checkCoderSettings, checkDiscovery, FindingStatus, manualChecks, verifyExitCode, type CoderSettings, type Finding,
} from "../../src/verify/core";
import { idpClientFindings } from "./idps";

/** The largest `--dotenv` file read: a dotenv of Coder's settings is a few hundred bytes. */
const MAX_DOTENV_BYTES = 1024 * 1024;

/** The stack's config with secrets decrypted (`pulumi config --show-secrets`); empty without a stack or the CLI. */
function stackConfig(stack: string | undefined, projectDir: string): Record<string, { value?: string }> {
  if (!stack) return {};
  const result = spawnSync("pulumi", ["config", "--show-secrets", "--json", "--stack", stack], { encoding: "utf8", cwd: projectDir, maxBuffer: 16 * 1024 * 1024 });
  if (result.status !== 0) return {};
  try {
    const parsed = JSON.parse(result.stdout) as unknown;
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? parsed as Record<string, { value?: string }> : {};
  } catch {
    return {};
  }
}

/** The longest finding message printed; a server's long answer quoted in one is cut there. */
const MAX_FINDING_CHARS = 1000;

/** Environment variables whose value is a credential, by name. */
const CREDENTIAL_VARIABLE = /(SECRET|TOKEN|PASSWORD|PASSPHRASE|API_KEY|CREDENTIALS|PRIVATE_KEY)/i;

/** A config value and, when it is JSON (a structured secret), every string in it. */
function stringLeaves(value: string | undefined): string[] {
  if (!value) return [];
  const leaves = [value];
  const walk = (v: unknown): void => {
    if (typeof v === "string") leaves.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (typeof v === "object" && v !== null) Object.values(v).forEach(walk);
  };
  try {
    walk(JSON.parse(value));
  } catch {
    // Not JSON: the value itself.
  }
  return leaves;
}

/** Runs every check that applies; the Coder settings come from the stack's outputs or a dotenv file. */
export async function verify(options: {
  readonly idp: string;
  readonly settings: CoderSettings;
  readonly stack?: string;
  readonly coderUrl?: string;
  readonly coderToken?: string;
  /** Coder's access URL as the stack knows it (for the redirect URI check). */
  readonly stackCoderUrl?: string;
  /** The Pulumi project the stack belongs to. Default: this repository. */
  readonly projectDir?: string;
  /** Masks what the checks print; every credential they read is added to it. Default: one of their own. */
  readonly masker?: Masker;
}): Promise<Finding[]> {
  const masker = options.masker ?? new Masker();
  masker.add(options.coderToken, options.settings[CoderEnvName.ClientSecret]);
  masker.addUrls(options.coderUrl, options.stackCoderUrl, options.settings[CoderEnvName.IssuerUrl]);
  const row = idpOf(options.idp).coder;
  const findings = checkCoderSettings(row, options.settings);
  const issuer = options.settings[CoderEnvName.IssuerUrl];
  if (issuer) findings.push(...await checkDiscovery(row, issuer));
  const projectDir = options.projectDir ?? PROJECT_ROOT;
  const config = stackConfig(options.stack, projectDir);
  // The stack's secrets and the credentials of the providers' environment variables (OKTA_API_TOKEN,
  // AUTH0_CLIENT_SECRET, ARM_CLIENT_SECRET, …): whichever check reads them, nothing it prints shows them.
  for (const entry of Object.values(config)) if ((entry as { secret?: boolean }).secret) masker.add(...stringLeaves(entry.value));
  for (const [name, value] of Object.entries(process.env)) if (CREDENTIAL_VARIABLE.test(name)) masker.add(value);
  const coderUrl = options.stackCoderUrl ?? options.coderUrl;
  findings.push(...await idpClientFindings(options.idp, options.settings, config, coderUrl, { projectDir, masker }));
  if (options.coderUrl) {
    findings.push(...(options.coderToken
      ? await checkCoderDeployment(options.coderUrl, options.coderToken, options.settings)
      : [{ check: "coder", status: FindingStatus.Unchecked, message: "--coder-url needs an owner's token: --coder-token or CODER_SESSION_TOKEN" } as Finding]));
  }
  // Every credential the run held masked, every URL's user info too, and what the servers said escaped and capped.
  // Masked first, then cut (at 1000 characters): a cut never leaves part of a credential to be seen.
  return findings.map((f) => ({ ...f, message: capLength(safeMessage(masker.mask(f.message)), MAX_FINDING_CHARS) }));
}

const MARK: Record<string, string> = { ok: "✔", problem: "✖", unchecked: "?" };

/** Runs `verify` with `argv`; resolves to its exit code. */
export async function runVerify(argv: readonly string[], io: OutputStreams = processStreams()): Promise<number> {
  const program = new Command("verify")
    .description("Checks a live deployment: Coder's settings, the IdP's discovery document and client, Coder's running config")
    .option("-s, --stack <name>", "the deployed stack whose outputs to check (needs the Pulumi CLI)")
    // Not --env-file: Node.js takes that option for itself wherever it stands on the command line.
    .option("--dotenv <file>", "check the Coder settings in this dotenv file instead (with --idp)")
    .addOption(new Option("--idp <idp>", "the IdP, with --dotenv").choices(idpKinds()))
    .option("--project-dir <dir>", "the Pulumi project of --stack (Pulumi.yaml and its stacks/)", PROJECT_ROOT)
    .option("--stacks-dir <dir>", "folder of Pulumi.<stack>.yaml files; default: the project's stacks/")
    .option("--coder-url <url>", "Coder's access URL, to compare its running OIDC settings")
    .option("--coder-token <token>", "an owner's session token (default: $CODER_SESSION_TOKEN)")
    .addOption(new Option("-f, --format <format>", "output format").choices(["text", "json"]).default("text"))
    .version(version());
  const stop = parseArguments(program, argv, io);
  if (stop !== undefined) return stop;
  const o = program.opts<{ stack?: string; dotenv?: string; idp?: string; projectDir: string; stacksDir?: string; coderUrl?: string; coderToken?: string; format: "text" | "json" }>();
  const json = o.format === "json";
  const coderToken = o.coderToken ?? process.env.CODER_SESSION_TOKEN;
  // Every credential this run holds, and every URL's user info, masked in all it prints (errors included).
  const masker = new Masker([coderToken]).addUrls(o.coderUrl);
  const fail = (message: string, code = "ERR_USAGE") => fatal(io, json, masker.mask(message), ExitCode.Usage, code);
  if (Boolean(o.stack) === Boolean(o.dotenv)) return fail("give exactly one of --stack <name> or --dotenv <file>");
  const ignored = notApplying(program, [
    { option: "idp", applies: Boolean(o.dotenv), why: "--idp goes with --dotenv only (a stack file names its IdP)" },
    { option: "stacksDir", applies: Boolean(o.stack), why: "--stacks-dir goes with --stack only" },
    { option: "projectDir", applies: Boolean(o.stack), why: "--project-dir goes with --stack only" },
    { option: "coderToken", applies: Boolean(o.coderUrl), why: "--coder-token goes with --coder-url (it is sent to Coder only)" },
  ]);
  if (ignored.length > 0) return fail(ignored.join("\n"));
  let settings: CoderSettings;
  let idp: string;
  let stackCoderUrl: string | undefined;
  try {
    if (o.dotenv) {
      if (!o.idp) return fail("--dotenv needs --idp <idp>");
      idp = o.idp;
      // A regular file of at most 1 MiB, opened without blocking (never a FIFO or a device).
      settings = parseEnv(readRegularFile({ file: o.dotenv, what: "--dotenv" }, MAX_DOTENV_BYTES).toString("utf8"));
      masker.add(settings[CoderEnvName.ClientSecret]);
    } else {
      const file = readStackFile(o.stack!, stacksDirOf(o.projectDir, o.stacksDir));
      const named = file.values["coder-oidc:idp"];
      if (!idpKinds().includes(named)) {
        return fail(`the stack file names no IdP this tool knows (coder-oidc:idp is ${named === undefined ? "not set" : `"${shown(named)}"`}; the IdPs: ${idpKinds().join(", ")})`, "ERR_STACK_FILE");
      }
      idp = named;
      stackCoderUrl = file.values["coder-oidc:coderUrl"];
      const entries = coderEnvFromPulumiCli(o.stack!, o.projectDir);
      if (!entries) return fail("The Pulumi CLI is not installed (no `pulumi` on PATH): verify --stack reads the deployed outputs; or use --dotenv", "ERR_PULUMI_CLI");
      settings = Object.fromEntries(entries.map((e) => [e.name, e.value]));
      masker.add(settings[CoderEnvName.ClientSecret]);
    }
  } catch (err) {
    if (!(err instanceof CoderOidcError)) throw err;
    return fail(err.message, err.code);
  }
  masker.addUrls(settings[CoderEnvName.IssuerUrl], stackCoderUrl);
  const findings = await verify({ idp, settings, stack: o.stack, projectDir: o.projectDir, coderUrl: o.coderUrl, coderToken, stackCoderUrl, masker });
  const manual = manualChecks(idpOf(idp).verify.manual);
  const code = verifyExitCode(findings);
  if (json) {
    io.stdout.write(JSON.stringify({ idp, exitCode: code, findings, manual }, null, 2) + "\n");
  } else {
    for (const f of findings) io.stdout.write(`${MARK[f.status]} ${f.check}: ${f.message}\n`);
    io.stdout.write("\nTo check by hand:\n" + manual.map((m) => `  - ${m}\n`).join(""));
    io.stdout.write(code === 0 ? "\nAll checks passed.\n" : code === 1 ? "\nSomething is wrong: see ✖ above.\n" : "\nSome checks could not run: see ? above.\n");
  }
  return code;
}

if (require.main === module) runAsProcess("verify", runVerify, process.argv.slice(2), 2);
