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
import axios from "axios";
import { Command, Option } from "commander";
import { CoderEnvName } from "../../src/coder-env";
import { CoderOidcError } from "../../src/errors";
import { pemFromConfig } from "../../src/project-paths";
import { IDP_KINDS, type IdpKind } from "../../src/idps";
import { pfAdminApi } from "../../idps/pingfederate/admin-api";
import { readRegularFile } from "../../engine/bounded-file";
import { ExitCode, fatal, notApplying, parseArguments, runAsProcess, type OutputStreams, processStreams } from "../command";
import { capLength, Masker, safeMessage, shown } from "../../src/safe-text";
import { version } from "../version";
import { coderEnvFromPulumiCli } from "../../engine/env-source";
import { PROJECT_ROOT } from "../../engine/automation";
import { readStackFile, stacksDirOf } from "../../engine/stack-file";
import {
  checkCoderDeployment, checkCoderSettings, checkDiscovery, checkKeycloakClient, checkPingFederateClient, FindingStatus, manualChecks,
  BOUNDED, requestFailure, verifyExitCode, type CoderSettings, type Finding,
} from "../../src/verify/core";
import { idpClientFindings } from "./idps";

/** The largest `--dotenv` file read: a dotenv of Coder's settings is a few hundred bytes. */
const MAX_DOTENV_BYTES = 1024 * 1024;

/** Admin access to Keycloak, as the Keycloak provider takes it. */
interface KeycloakAdminConfig {
  readonly url?: string;
  readonly realm: string;
  readonly clientId: string;
  readonly clientSecret?: string;
  readonly username?: string;
  readonly password?: string;
}

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

/** The stack's `keycloak:*` config, or the provider's environment variables. */
function keycloakAdminConfig(config: Record<string, { value?: string }>): KeycloakAdminConfig {
  const get = (key: string, env: string) => config[`keycloak:${key}`]?.value ?? process.env[env];
  return {
    url: get("url", "KEYCLOAK_URL"),
    realm: get("realm", "KEYCLOAK_REALM") ?? "master",
    clientId: get("clientId", "KEYCLOAK_CLIENT_ID") ?? "admin-cli",
    clientSecret: get("clientSecret", "KEYCLOAK_CLIENT_SECRET"),
    username: get("username", "KEYCLOAK_USER"),
    password: get("password", "KEYCLOAK_PASSWORD"),
  };
}

/** The client at PingFederate, read with the stack's `pingfederate.*` connection and credentials (or PINGFEDERATE_ADMIN_*). */
async function pingFederateFindings(settings: CoderSettings, config: Record<string, { value?: string }>, coderUrl: string | undefined, projectDir: string, masker: Masker): Promise<Finding[]> {
  const raw = config["coder-oidc:pingfederate"]?.value;
  if (!raw) {
    return [{ check: "pingfederate.client", status: FindingStatus.Unchecked, message: "verify reads the PingFederate client with the stack's coder-oidc:pingfederate config: give --stack" }];
  }
  let pf: { adminUrl: string; caCertificate?: string; insecureSkipTlsVerify?: boolean; username?: string; password?: string; token?: string };
  try {
    pf = JSON.parse(raw) as typeof pf;
  } catch {
    return [{ check: "pingfederate.client", status: FindingStatus.Unchecked, message: "the stack's coder-oidc:pingfederate config is not JSON" }];
  }
  masker.add(pf.password, pf.token).addUrls(pf.adminUrl);
  const credentials = pf.token ? { kind: "bearer" as const, token: pf.token }
    : pf.username && pf.password ? { kind: "basic" as const, username: pf.username, password: pf.password } : undefined;
  let api: ReturnType<typeof pfAdminApi> | undefined;
  try {
    // Inside the try: missing credentials or a bad CA file are findings, not a crash.
    // A CA path is relative to the project root, as it is for `pulumi up`.
    const caCertificate = pf.caCertificate === undefined ? undefined : pemFromConfig("coder-oidc:pingfederate.caCertificate", pf.caCertificate, projectDir);
    api = pfAdminApi({ adminUrl: pf.adminUrl, caCertificate, insecureSkipTlsVerify: pf.insecureSkipTlsVerify, credentials, retry: { maxAttempts: 2, totalTimeMs: 15_000 } });
    const clientId = settings[CoderEnvName.ClientId]!;
    return checkPingFederateClient(clientId, await api.getClient(clientId), coderUrl);
  } catch (err) {
    return [{ check: "pingfederate.client", status: FindingStatus.Unchecked, message: err instanceof Error ? err.message : String(err) }];
  } finally {
    api?.close();
  }
}

async function keycloakFindings(settings: CoderSettings, admin: KeycloakAdminConfig, coderUrl: string | undefined, masker: Masker): Promise<Finding[]> {
  masker.add(admin.clientSecret, admin.password).addUrls(admin.url);
  if (!admin.url || !(admin.clientSecret || (admin.username && admin.password))) {
    return [{ check: "keycloak.client", status: FindingStatus.Unchecked,
      message: "no Keycloak admin credentials: set the stack's keycloak:* config, or KEYCLOAK_URL with KEYCLOAK_CLIENT_SECRET or KEYCLOAK_USER and KEYCLOAK_PASSWORD" }];
  }
  const form: Record<string, string> = admin.clientSecret
    ? { grant_type: "client_credentials", client_id: admin.clientId, client_secret: admin.clientSecret }
    : { grant_type: "password", client_id: admin.clientId, username: admin.username!, password: admin.password! };
  const tokenUrl = `${admin.url.replace(/\/+$/, "")}/realms/${admin.realm}/protocol/openid-connect/token`;
  try {
    const res = await axios.post<{ access_token?: string }>(tokenUrl, new URLSearchParams(form), { ...BOUNDED, validateStatus: () => true });
    if (res.status !== 200 || typeof res.data?.access_token !== "string" || !res.data.access_token) {
      return [{ check: "keycloak.client", status: FindingStatus.Unchecked, message: `POST ${tokenUrl} answered HTTP ${res.status}: check the Keycloak admin credentials` }];
    }
    masker.add(res.data.access_token);
    return await checkKeycloakClient({ url: admin.url, accessToken: res.data.access_token }, settings[CoderEnvName.IssuerUrl]!, settings[CoderEnvName.ClientId]!, coderUrl);
  } catch (err) {
    return [{ check: "keycloak.client", status: FindingStatus.Unchecked, message: `Keycloak's admin API did not answer: ${requestFailure(err)}` }];
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
  readonly idp: IdpKind;
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
  const findings = checkCoderSettings(options.idp, options.settings);
  const issuer = options.settings[CoderEnvName.IssuerUrl];
  if (issuer) findings.push(...await checkDiscovery(options.idp, issuer));
  const projectDir = options.projectDir ?? PROJECT_ROOT;
  const config = stackConfig(options.stack, projectDir);
  // The stack's secrets and the credentials of the providers' environment variables (OKTA_API_TOKEN,
  // AUTH0_CLIENT_SECRET, ARM_CLIENT_SECRET, …): whichever check reads them, nothing it prints shows them.
  for (const entry of Object.values(config)) if ((entry as { secret?: boolean }).secret) masker.add(...stringLeaves(entry.value));
  for (const [name, value] of Object.entries(process.env)) if (CREDENTIAL_VARIABLE.test(name)) masker.add(value);
  const coderUrl = options.stackCoderUrl ?? options.coderUrl;
  if (options.idp === "keycloak" && issuer && options.settings[CoderEnvName.ClientId]) {
    findings.push(...await keycloakFindings(options.settings, keycloakAdminConfig(config), coderUrl, masker));
  }
  if (options.idp === "pingfederate" && options.settings[CoderEnvName.ClientId]) {
    findings.push(...await pingFederateFindings(options.settings, config, coderUrl, projectDir, masker));
  }
  findings.push(...await idpClientFindings(options.idp, options.settings, config, coderUrl));
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
    .addOption(new Option("--idp <idp>", "the IdP, with --dotenv").choices(IDP_KINDS))
    .option("--project-dir <dir>", "the Pulumi project of --stack (Pulumi.yaml and its stacks/)", PROJECT_ROOT)
    .option("--stacks-dir <dir>", "folder of Pulumi.<stack>.yaml files; default: the project's stacks/")
    .option("--coder-url <url>", "Coder's access URL, to compare its running OIDC settings")
    .option("--coder-token <token>", "an owner's session token (default: $CODER_SESSION_TOKEN)")
    .addOption(new Option("-f, --format <format>", "output format").choices(["text", "json"]).default("text"))
    .version(version());
  const stop = parseArguments(program, argv, io);
  if (stop !== undefined) return stop;
  const o = program.opts<{ stack?: string; dotenv?: string; idp?: IdpKind; projectDir: string; stacksDir?: string; coderUrl?: string; coderToken?: string; format: "text" | "json" }>();
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
  let idp: IdpKind;
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
      if (!(IDP_KINDS as readonly string[]).includes(named)) {
        return fail(`the stack file names no IdP this tool knows (coder-oidc:idp is ${named === undefined ? "not set" : `"${shown(named)}"`}; the IdPs: ${IDP_KINDS.join(", ")})`, "ERR_STACK_FILE");
      }
      idp = named as IdpKind;
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
  const manual = manualChecks(idp);
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
