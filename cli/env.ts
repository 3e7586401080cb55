/**
 * `npm run env -- --stack <name> --format dotenv|helm|k8s-secret [--source auto|pulumi|offline]
 *   [--secret-name coder-oidc] [--secret-key client-secret] [--namespace <ns>] [--stacks-dir <dir>] [--allow-unknown]`
 *
 * Prints Coder's OIDC settings for a stack in the chosen format on stdout; says on stderr which source was
 * used, and which values it does not know (offline: the client secret, computed ids), which are marked in
 * the output. A Secret manifest without its secret is refused unless `--allow-unknown` asks for a preview.
 * Exit codes as for `npm run plan`: 0 ok; 1 the stack's config, program or the Pulumi CLI failed, or a
 * Secret manifest was refused; 2 bad arguments, unknown stack or malformed stack file.
 */
import { Command, Option } from "commander";
import { CoderOidcError, StackFileError } from "../src/errors";
import { DEFAULT_SECRET_REF, EnvFormat, renderEnv, unknownFor } from "./env-render";
import { coderEnvForStack, type EnvSourceChoice } from "./env-source";
import { STACKS_DIR } from "./stack-file";

const USAGE_EXIT = 2;
const FAILED_EXIT = 1;

async function main(argv: readonly string[]): Promise<number> {
  const program = new Command("env")
    .description("Coder's OIDC settings for a stack, as a dotenv file, Helm values or a Kubernetes Secret")
    .requiredOption("-s, --stack <name>", "stack (stacks/Pulumi.<name>.yaml)")
    .addOption(new Option("-f, --format <format>", "output format").choices(Object.values(EnvFormat)).default("dotenv"))
    .addOption(new Option("--source <source>", "where values come from").choices(["auto", "pulumi", "offline"]).default("auto"))
    .option("--secret-name <name>", "Kubernetes Secret holding the client secret", DEFAULT_SECRET_REF.name)
    .option("--secret-key <key>", "key of the client secret in that Secret", DEFAULT_SECRET_REF.key)
    .option("--namespace <namespace>", "namespace of the Secret manifest")
    .option("--stacks-dir <dir>", "folder of Pulumi.<stack>.yaml files (offline source)", STACKS_DIR)
    .option("--allow-unknown", "print a Secret manifest even when the client secret is not known (a preview, not for applying)")
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  try {
    program.parse(argv, { from: "user" });
  } catch {
    return USAGE_EXIT;
  }
  const o = program.opts<{ stack: string; format: EnvFormat; source: EnvSourceChoice; secretName: string; secretKey: string; namespace?: string; stacksDir: string; allowUnknown?: boolean }>();
  try {
    const { entries, source } = await coderEnvForStack(o.stack, o.source, o.stacksDir);
    process.stderr.write(source + "\n");
    const unknown = unknownFor(o.format, entries);
    // A Secret manifest holds nothing but the client secret: with it unknown, the file is only a placeholder
    // that would overwrite the real Secret. The other formats are printed with the unknown values marked.
    if (unknown.length > 0 && o.format === "k8s-secret" && !o.allowUnknown) {
      process.stderr.write(
        `Stack ${o.stack}: not rendering k8s-secret: the client secret is not known here, and applying a placeholder ` +
        "would overwrite the real Secret. Run `pulumi up`, then this command with the Pulumi CLI installed; or pass " +
        "--allow-unknown to preview the manifest.\n");
      return FAILED_EXIT;
    }
    if (unknown.length > 0) {
      process.stderr.write(`Not known here, marked in the output: ${unknown.join(", ")}. Do not deploy this file as it is.\n`);
    }
    process.stdout.write(renderEnv(o.format, entries, { name: o.secretName, key: o.secretKey, namespace: o.namespace }));
    return 0;
  } catch (err) {
    if (!(err instanceof CoderOidcError)) throw err;
    process.stderr.write(`Stack ${o.stack}: ${err.message}\n`);
    return err instanceof StackFileError ? USAGE_EXIT : FAILED_EXIT;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`env failed unexpectedly: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(FAILED_EXIT);
  },
);
