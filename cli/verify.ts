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
import { readFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { parseEnv } from "node:util";
import axios from "axios";
import { Command, Option } from "commander";
import { CoderEnvName } from "../src/coder-env";
import { CoderOidcError } from "../src/errors";
import { pemFromConfig } from "../src/project-paths";
import { IDP_KINDS, type IdpKind } from "../src/idps";
import { pfAdminApi } from "../providers/pingfederate/api";
import { parseArguments, runAsProcess, type OutputStreams, processStreams } from "./command";
import { version } from "./version";
import { coderEnvFromPulumiCli } from "./env-source";
import { PROJECT_ROOT } from "./automation";
import { readStackFile, stacksDirOf } from "./stack-file";
import {
  checkCoderDeployment, checkCoderSettings, checkDiscovery, checkKeycloakClient, checkPingFederateClient, FindingStatus, manualChecks,
  verifyExitCode, type CoderSettings, type Finding,
} from "./verify-core";
import { idpClientFindings } from "./verify-idps";

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
  const result = spawnSync("pulumi", ["config", "--show-secrets", "--json", "--stack", stack], { encoding: "utf8", cwd: projectDir });
  return result.status === 0 ? JSON.parse(result.stdout) as Record<string, { value?: string }> : {};
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
async function pingFederateFindings(settings: CoderSettings, config: Record<string, { value?: string }>, coderUrl: string | undefined, projectDir: string): Promise<Finding[]> {
  const raw = config["coder-oidc:pingfederate"]?.value;
  if (!raw) {
    return [{ check: "pingfederate.client", status: FindingStatus.Unchecked, message: "verify reads the PingFederate client with the stack's coder-oidc:pingfederate config: give --stack" }];
  }
  const pf = JSON.parse(raw) as { adminUrl: string; caCertificate?: string; insecureSkipTlsVerify?: boolean; username?: string; password?: string; token?: string };
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

async function keycloakFindings(settings: CoderSettings, admin: KeycloakAdminConfig, coderUrl: string | undefined): Promise<Finding[]> {
  if (!admin.url || !(admin.clientSecret || (admin.username && admin.password))) {
    return [{ check: "keycloak.client", status: FindingStatus.Unchecked,
      message: "no Keycloak admin credentials: set the stack's keycloak:* config, or KEYCLOAK_URL with KEYCLOAK_CLIENT_SECRET or KEYCLOAK_USER and KEYCLOAK_PASSWORD" }];
  }
  const form: Record<string, string> = admin.clientSecret
    ? { grant_type: "client_credentials", client_id: admin.clientId, client_secret: admin.clientSecret }
    : { grant_type: "password", client_id: admin.clientId, username: admin.username!, password: admin.password! };
  const tokenUrl = `${admin.url.replace(/\/+$/, "")}/realms/${admin.realm}/protocol/openid-connect/token`;
  try {
    const res = await axios.post<{ access_token?: string }>(tokenUrl, new URLSearchParams(form), { validateStatus: () => true, timeout: 15_000 });
    if (res.status !== 200 || !res.data.access_token) {
      return [{ check: "keycloak.client", status: FindingStatus.Unchecked, message: `POST ${tokenUrl} answered HTTP ${res.status}: check the Keycloak admin credentials` }];
    }
    return await checkKeycloakClient({ url: admin.url, accessToken: res.data.access_token }, settings[CoderEnvName.IssuerUrl]!, settings[CoderEnvName.ClientId]!, coderUrl);
  } catch (err) {
    return [{ check: "keycloak.client", status: FindingStatus.Unchecked, message: `Keycloak's admin API did not answer: ${err instanceof Error ? err.message : String(err)}` }];
  }
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
}): Promise<Finding[]> {
  const findings = checkCoderSettings(options.idp, options.settings);
  const issuer = options.settings[CoderEnvName.IssuerUrl];
  if (issuer) findings.push(...await checkDiscovery(options.idp, issuer));
  const projectDir = options.projectDir ?? PROJECT_ROOT;
  const config = stackConfig(options.stack, projectDir);
  const coderUrl = options.stackCoderUrl ?? options.coderUrl;
  if (options.idp === "keycloak" && issuer && options.settings[CoderEnvName.ClientId]) {
    findings.push(...await keycloakFindings(options.settings, keycloakAdminConfig(config), coderUrl));
  }
  if (options.idp === "pingfederate" && options.settings[CoderEnvName.ClientId]) {
    findings.push(...await pingFederateFindings(options.settings, config, coderUrl, projectDir));
  }
  findings.push(...await idpClientFindings(options.idp, options.settings, config, coderUrl));
  if (options.coderUrl) {
    findings.push(...(options.coderToken
      ? await checkCoderDeployment(options.coderUrl, options.coderToken, options.settings)
      : [{ check: "coder", status: FindingStatus.Unchecked, message: "--coder-url needs an owner's token: --coder-token or CODER_SESSION_TOKEN" } as Finding]));
  }
  return findings;
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
  if (Boolean(o.stack) === Boolean(o.dotenv)) {
    io.stderr.write("error: give exactly one of --stack <name> or --dotenv <file>\n");
    return 2;
  }
  let settings: CoderSettings;
  let idp: IdpKind;
  let stackCoderUrl: string | undefined;
  try {
    if (o.dotenv) {
      if (!o.idp) throw new CoderOidcError("--dotenv needs --idp <idp>");
      idp = o.idp;
      settings = parseEnv(readFileSync(o.dotenv, "utf8"));
    } else {
      const file = readStackFile(o.stack!, stacksDirOf(o.projectDir, o.stacksDir));
      idp = file.values["coder-oidc:idp"] as IdpKind;
      stackCoderUrl = file.values["coder-oidc:coderUrl"];
      const entries = coderEnvFromPulumiCli(o.stack!, o.projectDir);
      if (!entries) throw new CoderOidcError("The Pulumi CLI is not installed (no `pulumi` on PATH): verify --stack reads the deployed outputs; or use --dotenv");
      settings = Object.fromEntries(entries.map((e) => [e.name, e.value]));
    }
  } catch (err) {
    io.stderr.write(`verify: ${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  }
  const findings = await verify({ idp, settings, stack: o.stack, projectDir: o.projectDir, coderUrl: o.coderUrl, coderToken: o.coderToken ?? process.env.CODER_SESSION_TOKEN, stackCoderUrl });
  const manual = manualChecks(idp);
  const code = verifyExitCode(findings);
  if (o.format === "json") {
    io.stdout.write(JSON.stringify({ idp, exitCode: code, findings, manual }, null, 2) + "\n");
  } else {
    for (const f of findings) io.stdout.write(`${MARK[f.status]} ${f.check}: ${f.message}\n`);
    io.stdout.write("\nTo check by hand:\n" + manual.map((m) => `  - ${m}\n`).join(""));
    io.stdout.write(code === 0 ? "\nAll checks passed.\n" : code === 1 ? "\nSomething is wrong: see ✖ above.\n" : "\nSome checks could not run: see ? above.\n");
  }
  return code;
}

if (require.main === module) runAsProcess("verify", runVerify, process.argv.slice(2), 2);
