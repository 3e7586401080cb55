/**
 * `coder-oidc env --stack <name> --format dotenv|helm|k8s-secret [--source auto|pulumi|offline]
 *   [--secret-name coder-oidc] [--secret-key client-secret] [--namespace <ns>] [--stacks-dir <dir>] [--allow-unknown]`
 *
 * Prints Coder's OIDC settings for a stack in the chosen format on stdout; says on stderr which source was
 * used, and which values it does not know (offline: the client secret, computed ids), which are marked in
 * the output. A Secret manifest without its secret is refused unless `--allow-unknown` asks for a preview.
 * Exit codes (cli/command.ts's table): 0 ok; 1 the stack's config or program failed, or the file would hold values
 * not known here (without `--allow-unknown`), or a value no dotenv reads alike; 2 bad arguments (Kubernetes names
 * included, and options the format does not use), unknown stack, malformed or unreadable stack or values file, no
 * Pulumi CLI (`--source pulumi`) or a Pulumi CLI that fails.
 */
import { Command, Option } from "commander";
import { CoderOidcError } from "../../src/errors";
import { readRegularFile } from "../../engine/bounded-file";
import { safeMessage, shown } from "../../src/safe-text";
import { DEFAULT_SECRET_REF, EnvFormat, helmEnv, renderEnv, secretRefProblems, unknownFor } from "./render";
import { coderEnvForStack, type EnvSourceChoice } from "../../engine/env-source";
import { mergeHelmValues } from "./helm-values";
import { ExitCode, exitCodeOf, notApplying, parseArguments, runAsProcess, type OutputStreams, processStreams } from "../command";
import { STACKS_DIR } from "../../engine/stack-file";

/** The largest `--values` file read: far above any real Helm values file. */
const MAX_VALUES_BYTES = 4 * 1024 * 1024;
import { version } from "../version";

/**
 * Runs `env` with `argv` (the arguments after the command name) and returns its exit code. Nothing is printed
 * on stdout unless the whole file is: a partial or placeholder file is never left for a pipe to deploy.
 */
export async function runEnv(argv: readonly string[], io: OutputStreams = processStreams()): Promise<number> {
  const program = new Command("env")
    .description("Coder's OIDC settings for a stack, as a dotenv file, Helm values or a Kubernetes Secret")
    .requiredOption("-s, --stack <name>", "stack (stacks/Pulumi.<name>.yaml)")
    .addOption(new Option("-f, --format <format>", "output format").choices(Object.values(EnvFormat)).default("dotenv"))
    .addOption(new Option("--source <source>", "where values come from").choices(["auto", "pulumi", "offline"]).default("auto"))
    .option("--secret-name <name>", "Kubernetes Secret holding the client secret", DEFAULT_SECRET_REF.name)
    .option("--secret-key <key>", "key of the client secret in that Secret", DEFAULT_SECRET_REF.key)
    .option("--namespace <namespace>", "namespace of the Secret manifest")
    .option("--values <file>", "with --format helm: your Coder values file, printed back with the CODER_OIDC_* entries of coder.env added or replaced and everything else kept")
    .option("--stacks-dir <dir>", "folder of Pulumi.<stack>.yaml files (offline source)", STACKS_DIR)
    .option("--allow-unknown", "print the file even when values are not known here (a preview, not for deploying)")
    .version(version());
  const stop = parseArguments(program, argv, io);
  if (stop !== undefined) return stop;
  const o = program.opts<{ stack: string; format: EnvFormat; source: EnvSourceChoice; secretName: string; secretKey: string; namespace?: string; values?: string; stacksDir: string; allowUnknown?: boolean }>();
  const secret = { name: o.secretName, key: o.secretKey, namespace: o.namespace };
  const usage = [
    ...secretRefProblems(secret),
    // No option is silently ignored by a format it does not apply to.
    ...notApplying(program, [
      { option: "values", applies: o.format === "helm", why: "--values goes with --format helm only" },
      { option: "secretName", applies: o.format !== "dotenv", why: "--secret-name goes with --format helm or k8s-secret: a dotenv file holds the secret itself" },
      { option: "secretKey", applies: o.format !== "dotenv", why: "--secret-key goes with --format helm or k8s-secret: a dotenv file holds the secret itself" },
      { option: "namespace", applies: o.format === "k8s-secret", why: "--namespace goes with --format k8s-secret only (the Secret manifest)" },
    ]),
  ];
  if (usage.length > 0) {
    io.stderr.write(usage.map((line) => `error: ${safeMessage(line)}\n`).join(""));
    return ExitCode.Usage;
  }
  try {
    let userValues: string | undefined;
    if (o.values !== undefined) {
      // A regular file, at most 4 MiB, opened without blocking: never a FIFO, a device or a link's surprise.
      userValues = readRegularFile({ file: o.values, what: "--values" }, MAX_VALUES_BYTES).toString("utf8");
    }
    const { entries, source, warnings } = await coderEnvForStack(o.stack, o.source, o.stacksDir);
    io.stderr.write(source + "\n");
    for (const warning of warnings) io.stderr.write(`warning: ${safeMessage(warning)}\n`);
    const unknown = unknownFor(o.format, entries);
    // A file with placeholders would break Coder (or, as a Secret manifest, overwrite the real Secret): it is
    // printed only as a preview, when asked for.
    if (unknown.length > 0 && !o.allowUnknown) {
      io.stderr.write(
        `Stack ${shown(o.stack)}: not rendering ${o.format}: ${unknown.join(", ")} ${unknown.length > 1 ? "are" : "is"} not known here ` +
        "(they exist only after `pulumi up`, and secrets are never available offline). Run `pulumi up`, then this command " +
        "with the Pulumi CLI installed; or pass --allow-unknown to preview the file.\n");
      return ExitCode.StackFailed;
    }
    if (unknown.length > 0) {
      io.stderr.write(`Not known here, marked in the output: ${unknown.join(", ")}. Do not deploy this file as it is.\n`);
    }
    const text = userValues !== undefined
      ? mergeHelmValues(userValues, helmEnv(entries, secret), o.values)
      : renderEnv(o.format, entries, secret);
    io.stdout.write(text);
    return ExitCode.Ok;
  } catch (err) {
    if (!(err instanceof CoderOidcError)) throw err;
    io.stderr.write(`Stack ${shown(o.stack)}: ${safeMessage(err.message)}\n`);
    return exitCodeOf(err);
  }
}

if (require.main === module) runAsProcess("env", runEnv, process.argv.slice(2));
