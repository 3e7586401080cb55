/**
 * `npm run e2e:tools [-- --env | --json]`: makes the tools the e2e suite runs, in a cache outside the checkout
 * (`$CODER_OIDC_E2E_CACHE`, default `~/.cache/coder-oidc-e2e`), at the versions in e2e/versions.json, built
 * here from the package registries and never downloaded from a release site:
 *
 * - the Pulumi CLI from its Go module (skipped when a `pulumi` is on PATH: that one is used), plus the
 *   `pulumi-resource-pulumi-nodejs` plugin that dynamic providers need, from the SDK module;
 * - Pulumi's Node.js language host, which runs the program as `pulumi up` does from the project directory
 *   (skipped when a `pulumi-language-nodejs` is on PATH or next to the CLI: that one is used), from the package
 *   the oldest served SDK module still holds, in the build module e2e/language-host (go.sum pins it);
 * - the Keycloak server distribution from Maven Central;
 * - Coder's server from its Go module (without the embedded web site, which the API does not need).
 *
 * What is already built for the same versions is reused. What a registry refused is recorded in versions.json
 * (`refused`) and not asked again, unless `--recheck-refused` says so. Each step prints its elapsed time on
 * stderr; a failure names the step, the command and its error. With `--env` it prints, on stdout, the shell
 * exports that put the tools on PATH with offline Pulumi settings and name the Keycloak distribution as
 * `KEYCLOAK_HOME`.
 *
 * Exit codes: 0 the tools are ready; 1 a step failed; 2 bad arguments.
 */
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { delimiter, join } from "node:path";
import { Command } from "commander";
import { run, step, StepError } from "./support/steps";
import { cacheDir, lockedNpmVersion, loadVersions, REPO_ROOT, VERSIONS_FILE, type E2eVersions } from "./support/versions";

/** Where the tools are and where they came from. */
export interface E2eTools {
  /** The cache the tools were made in. */
  readonly cacheDir: string;
  /** The directory to put first on PATH (holds `pulumi` and its plugins when built here). */
  readonly binDir: string;
  /** The `pulumi` CLI's path. */
  readonly pulumi: string;
  /** What `pulumi version` printed. */
  readonly pulumiVersion: string;
  /** `built`: made here from the Go module; `path`: an installed Pulumi found on PATH. */
  readonly pulumiSource: "built" | "path";
  /** The Node.js language host (`pulumi-language-nodejs`) that `pulumi up` starts from the project directory. */
  readonly languageHost: LanguageHost;
  /** The Keycloak server distribution's directory. */
  readonly keycloakHome: string;
  /** Coder's server binary. */
  readonly coder: string;
  /** What the Go module proxy answered for the Keycloak provider plugin's module (recorded, or asked on request). */
  readonly keycloakProvider: { readonly served: boolean; readonly detail: string };
}

/** Pulumi's Node.js language host, as the e2e found or built it. */
export interface LanguageHost {
  /** The binary. */
  readonly path: string;
  /** Its directory (put on PATH after the CLI's, so the CLI finds it as a plugin). */
  readonly dir: string;
  /** The version it reports (`--version` is not a flag of the v3.52 host: the version it was built at, or `unknown`). */
  readonly version: string;
  /** `path`: an installed host found on PATH or next to the CLI; `built`: made here from the SDK module. */
  readonly origin: "path" | "built";
}

type Log = (line: string) => void;

const GO_ENV = (): NodeJS.ProcessEnv => ({ ...process.env, GOFLAGS: "-mod=mod", GOTOOLCHAIN: "local", CGO_ENABLED: "0" });

/** `go mod download -json module@version`: the module's directory, go.mod path, or the proxy's error. */
async function goModDownload(module: string, version: string, stepName: string, cwd: string) {
  try {
    const { stdout } = await run("go", ["mod", "download", "-json", `${module}@${version}`], { cwd, env: GO_ENV(), step: stepName });
    return JSON.parse(stdout) as { Dir: string; GoMod: string };
  } catch (err) {
    // `go mod download -json` prints the proxy's answer as `Error` in its JSON, on stdout.
    if (err instanceof StepError) {
      const match = /"Error":\s*"((?:[^"\\]|\\.)*)"/.exec(err.output);
      if (match) throw new StepError(stepName, err.command, err.status, JSON.parse(`"${match[1]}"`) as string);
    }
    throw err;
  }
}

function findOnPath(name: string, skip: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (!dir || dir === skip) continue;
    const candidate = join(dir, name);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** The non-local `replace` directives of a go.mod (`go install` ignores them, so a build module copies them). */
export function remoteReplaces(goMod: string): { from: string; to: string }[] {
  const replaces: { from: string; to: string }[] = [];
  const lines = goMod.split("\n");
  let inBlock = false;
  for (const raw of lines) {
    const line = raw.replace(/\/\/.*$/, "").trim();
    if (line === "replace (") inBlock = true;
    else if (inBlock && line === ")") inBlock = false;
    const body = inBlock ? line : line.startsWith("replace ") ? line.slice("replace ".length) : undefined;
    if (!body || body === "(") continue;
    const match = /^(\S+)(?:\s+\S+)?\s+=>\s+(\S+)(?:\s+(\S+))?$/.exec(body);
    if (!match) continue;
    const [, from, target, version] = match;
    if (target.startsWith(".") || target.startsWith("/") || !version) continue;
    replaces.push({ from, to: `${target}@${version}` });
  }
  return replaces;
}

/** One Go program to build from its module, with the replace directives its go.mod has. */
interface GoBuild {
  /** The tool's name, for messages and directories. */
  readonly name: string;
  /** The module that holds the program, and its version (with the `v`). */
  readonly module: string;
  readonly version: string;
  /** Other modules to require at the same time (e.g. a replaced-away sibling at its own release). */
  readonly alsoRequire?: readonly string[];
  /** The main package. */
  readonly mainPackage: string;
  /** `go build -tags`. */
  readonly tags?: string;
  /** `go build -ldflags`. */
  readonly ldflags: string;
  /** Where the binary goes. */
  readonly output: string;
  /** Module path prefixes besides the replace targets that the checksum database mirrored here lacks. */
  readonly notInChecksumDb?: readonly string[];
}

/**
 * Builds a Go program from its module in a throw-away build module of our own, since `go install` refuses
 * modules with replace directives: their non-local replaces are copied in. The forks those replaces point to
 * are not all in the checksum database the proxy mirrors, so they (only they) are exempt from it (GONOSUMDB);
 * the build module's go.sum still pins every hash.
 */
async function buildGoProgram(build: GoBuild, cache: string, log: Log): Promise<void> {
  const buildDir = join(cache, "build", `${build.name}-${build.version}`);
  rmSync(buildDir, { recursive: true, force: true });
  mkdirSync(buildDir, { recursive: true });
  const stepName = (what: string) => `${build.name}: ${what}`;
  await run("go", ["mod", "init", `example.invalid/coder-oidc-${build.name}-build`], { cwd: buildDir, env: GO_ENV(), step: stepName("go mod init") });
  const mod = await step(`go: download ${build.module}@${build.version}`, () => goModDownload(build.module, build.version, stepName("download the module"), buildDir), log);
  const replaces = remoteReplaces(readFileSync(mod.GoMod, "utf8"));
  const env = { ...GO_ENV(), GONOSUMDB: [...replaces.map((r) => r.to.split("@")[0]), ...(build.notInChecksumDb ?? [])].join(",") };
  const go = (args: string[], what: string) => run("go", args, { cwd: buildDir, env, step: stepName(what) });
  for (const { from, to } of replaces) await go(["mod", "edit", `-replace=${from}=${to}`], "copy the module's replace directives");
  await step(`go: require ${build.module}`, () => go(["get", `${build.module}@${build.version}`, ...(build.alsoRequire ?? [])], "go get"), log);
  writeFileSync(join(buildDir, "tools.go"), `//go:build tools\n\npackage tools\n\nimport _ "${build.mainPackage}"\n`);
  await step("go: resolve the build's dependencies", () => go(["mod", "tidy"], "go mod tidy"), log);
  mkdirSync(join(build.output, ".."), { recursive: true });
  await step(`go: build ${build.name} ${build.version} (cold: several minutes)`, () =>
    go(["build", "-trimpath", ...(build.tags ? ["-tags", build.tags] : []), "-ldflags", build.ldflags, "-o", build.output, build.mainPackage], "go build"), log);
  rmSync(buildDir, { recursive: true, force: true });
}

async function buildPulumi(versions: E2eVersions, cache: string, log: Log): Promise<string> {
  const { version, cliModule, cliPackage, sdkModule } = versions.pulumi;
  const binDir = join(cache, `pulumi-v${version}`, "bin");
  const stamp = join(binDir, ".complete");
  if (existsSync(stamp)) {
    log(`  reusing the Pulumi CLI v${version} built in ${binDir}`);
    return binDir;
  }
  await buildGoProgram({
    name: "pulumi",
    module: cliModule,
    version: `v${version}`,
    alsoRequire: [`${sdkModule}@v${version}`],
    mainPackage: cliPackage,
    tags: "osusergo,grpcnotrace",
    // Without the version stamp the CLI reports an empty version.
    ldflags: `-s -w -X ${sdkModule}/go/common/version.Version=v${version}`,
    output: join(binDir, "pulumi"),
  }, cache, log);
  const sdk = await goModDownload(sdkModule, `v${version}`, "pulumi: download the SDK module", cache);
  // The SDK module ships the dynamic-provider plugin as a script; module files lose their exec bit.
  const dynamicPlugin = join(binDir, "pulumi-resource-pulumi-nodejs");
  copyFileSync(join(sdk.Dir, "nodejs/dist/pulumi-resource-pulumi-nodejs"), dynamicPlugin);
  chmodSync(dynamicPlugin, 0o755);
  writeFileSync(stamp, `pulumi v${version}\n`);
  return binDir;
}

/** Coder's server, without the embedded site (a stub page; the API is whole). */
async function buildCoder(versions: E2eVersions, cache: string, log: Log): Promise<string> {
  const { version, module, mainPackage } = versions.coder;
  const binary = join(cache, `coder-v${version}`, "bin", "coder");
  if (existsSync(`${binary}.complete`)) {
    log(`  reusing Coder v${version} built in ${join(binary, "..")}`);
    return binary;
  }
  await buildGoProgram({
    name: "coder",
    module,
    version: `v${version}`,
    mainPackage,
    ldflags: `-s -w -X ${module}/buildinfo.tag=${version}`,
    output: binary,
    // Coder's own small modules (e.g. github.com/coder/clistat) are missing from it too.
    notInChecksumDb: ["github.com/coder"],
  }, cache, log);
  writeFileSync(`${binary}.complete`, `coder v${version}\n`);
  return binary;
}

/**
 * Pulumi's Node.js language host from the package `sdkModule@version` holds, built in the repository's build module
 * (copied into the cache: go.mod and go.sum pin every dependency, and -mod=readonly keeps them as they are).
 */
async function buildLanguageHost(versions: E2eVersions, cache: string, dir: string, log: Log): Promise<LanguageHost> {
  const { version, sdkModule, package: hostPackage, buildModule } = versions.pulumiLanguageNodejs;
  const binary = join(dir, "pulumi-language-nodejs");
  const host: LanguageHost = { path: binary, dir, version, origin: "built" };
  if (existsSync(`${binary}.complete`)) {
    log(`  reusing the Node.js language host ${version} built in ${dir}`);
    return host;
  }
  const buildDir = join(cache, "build", `pulumi-language-nodejs-${version}`);
  rmSync(buildDir, { recursive: true, force: true });
  mkdirSync(buildDir, { recursive: true });
  for (const file of ["go.mod", "go.sum", "tools.go"]) copyFileSync(join(REPO_ROOT, buildModule, file), join(buildDir, file));
  mkdirSync(dir, { recursive: true });
  await step(`go: build pulumi-language-nodejs ${version} from ${hostPackage} (cold: about a minute)`, () =>
    run("go", ["build", "-mod=readonly", "-trimpath", "-ldflags", `-s -w -X ${sdkModule}/go/common/version.Version=${version}`, "-o", binary, hostPackage],
      { cwd: buildDir, env: GO_ENV(), step: "language host: go build" }), log);
  rmSync(buildDir, { recursive: true, force: true });
  writeFileSync(`${binary}.complete`, `pulumi-language-nodejs ${version}\n`);
  return host;
}

/**
 * The language host to use: an installed one (next to the CLI or on PATH), else one built here, next to the CLI
 * when the CLI was built here too (the CLI then takes it as bundled, with no "using … from $PATH" warning), in a
 * directory of its own otherwise (never in an installed CLI's directory).
 */
async function ensureLanguageHost(versions: E2eVersions, cache: string, pulumi: { binDir: string; source: E2eTools["pulumiSource"] }, log: Log): Promise<LanguageHost> {
  const { version, sdkModule } = versions.pulumiLanguageNodejs;
  const ownDir = pulumi.source === "built" ? pulumi.binDir : join(cache, `pulumi-language-nodejs-${version}`, "bin");
  const nextToCli = join(pulumi.binDir, "pulumi-language-nodejs");
  const installed = pulumi.source === "path" && existsSync(nextToCli) ? nextToCli : findOnPath("pulumi-language-nodejs", ownDir);
  if (installed) {
    log(`using the Node.js language host found at ${installed}`);
    return { path: installed, dir: join(installed, ".."), version: "unknown", origin: "path" };
  }
  return step(`Node.js language host ${version} from ${sdkModule}`, () => buildLanguageHost(versions, cache, ownDir, log), log);
}

async function fetchKeycloak(versions: E2eVersions, cache: string, log: Log): Promise<string> {
  const { version, mavenArtifact, packaging } = versions.keycloak;
  const home = join(cache, `keycloak-${version}`);
  const versionFile = join(home, "version.txt");
  if (existsSync(versionFile) && readFileSync(versionFile, "utf8").includes(version)) {
    log(`  reusing Keycloak ${version} in ${home}`);
    return home;
  }
  const downloads = join(cache, "downloads");
  mkdirSync(downloads, { recursive: true });
  await step(`maven: ${mavenArtifact}:${version}:${packaging}`, () =>
    run("mvn", ["-q", "-B", "dependency:copy", `-Dartifact=${mavenArtifact}:${version}:${packaging}`, `-DoutputDirectory=${downloads}`],
      { cwd: downloads, step: "keycloak: download from Maven Central" }), log);
  const archive = join(downloads, `${mavenArtifact.split(":")[1]}-${version}.${packaging}`);
  const unpack = join(cache, `keycloak-${version}.unpacking`);
  rmSync(unpack, { recursive: true, force: true });
  mkdirSync(unpack, { recursive: true });
  await step("unpack the distribution", () => run("tar", ["xzf", archive, "-C", unpack], { step: "keycloak: unpack" }), log);
  rmSync(home, { recursive: true, force: true });
  renameSync(join(unpack, `keycloak-${version}`), home);
  rmSync(unpack, { recursive: true, force: true });
  rmSync(archive, { force: true });
  return home;
}

/**
 * What the Go module proxy says of the Keycloak provider plugin: the refusal versions.json records, without asking
 * again, unless `recheck` is set (a refusal is final; asking on every run changes nothing).
 */
async function probeKeycloakProvider(versions: E2eVersions, cache: string, recheck: boolean): Promise<E2eTools["keycloakProvider"]> {
  const { module, version, refused } = versions.keycloakProvider;
  if (!version) return { served: false, detail: "no version pinned" };
  if (refused && !recheck) return { served: false, detail: `${refused.answer} (recorded ${refused.date}; e2e:tools --recheck-refused asks again)` };
  const probeDir = join(cache, "build", "probe");
  mkdirSync(probeDir, { recursive: true });
  try {
    await goModDownload(module, version, "keycloak provider: ask the Go module proxy", probeDir);
    return { served: true, detail: `${module}@${version} is served` };
  } catch (err) {
    return { served: false, detail: err instanceof StepError ? err.output : String(err) };
  } finally {
    rmSync(probeDir, { recursive: true, force: true });
  }
}

/** Makes (or reuses) every tool of e2e/versions.json and says where they are. */
export async function ensureTools(
  log: Log = (line) => process.stderr.write(`[e2e:tools] ${line}\n`),
  options: { readonly recheckRefused?: boolean } = {},
): Promise<E2eTools> {
  const versions = loadVersions();
  const cache = cacheDir();
  mkdirSync(cache, { recursive: true });
  const sdkVersion = lockedNpmVersion("@pulumi/pulumi");
  if (sdkVersion !== versions.pulumi.version) {
    throw new StepError("versions", VERSIONS_FILE, 1,
      `pulumi.version ${versions.pulumi.version} does not match @pulumi/pulumi ${sdkVersion} in package-lock.json`);
  }
  const ownBin = join(cache, `pulumi-v${versions.pulumi.version}`, "bin");
  const installed = findOnPath("pulumi", ownBin);
  let binDir: string;
  let pulumiSource: E2eTools["pulumiSource"];
  if (installed) {
    log(`using the Pulumi CLI on PATH: ${installed}`);
    binDir = join(installed, "..");
    pulumiSource = "path";
  } else {
    binDir = await step(`Pulumi CLI v${versions.pulumi.version} from ${versions.pulumi.cliModule}`, () => buildPulumi(versions, cache, log), log);
    pulumiSource = "built";
  }
  const pulumi = join(binDir, "pulumi");
  const { stdout } = await run(pulumi, ["version"], { step: "pulumi version", env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" } });
  const languageHost = await ensureLanguageHost(versions, cache, { binDir, source: pulumiSource }, log);
  log(`Node.js language host: ${languageHost.path} (${languageHost.origin === "built" ? `built from ${versions.pulumiLanguageNodejs.sdkModule}@${languageHost.version}` : "installed"})`);
  const keycloakHome = await step(`Keycloak ${versions.keycloak.version} from Maven Central`, () => fetchKeycloak(versions, cache, log), log);
  const coder = await step(`Coder v${versions.coder.version} from ${versions.coder.module}`, () => buildCoder(versions, cache, log), log);
  const keycloakProvider = await probeKeycloakProvider(versions, cache, options.recheckRefused === true);
  log(`Keycloak provider plugin ${versions.keycloakProvider.module}@${versions.keycloakProvider.version} ` +
    `(for ${versions.keycloakProvider.npmPackage} ${lockedNpmVersion(versions.keycloakProvider.npmPackage)}): ` +
    (keycloakProvider.served ? "served by the Go module proxy" : `not served by the Go module proxy: ${keycloakProvider.detail}`));
  return { cacheDir: cache, binDir, pulumi, pulumiVersion: stdout.trim(), pulumiSource, languageHost, keycloakHome, coder, keycloakProvider };
}

/** The environment that runs the tools by hand: PATH, offline Pulumi settings, `KEYCLOAK_HOME`. */
export function toolEnv(tools: E2eTools): Record<string, string> {
  return {
    PATH: [tools.binDir, ...(tools.languageHost.dir === tools.binDir ? [] : [tools.languageHost.dir]), process.env.PATH ?? ""].join(delimiter),
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    KEYCLOAK_HOME: tools.keycloakHome,
  };
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

async function main(argv: readonly string[]): Promise<number> {
  const versions = loadVersions();
  const program = new Command("e2e:tools")
    .description(`Builds the e2e tools at the versions in ${VERSIONS_FILE} into ${cacheDir()} (set CODER_OIDC_E2E_CACHE to move it):\n` +
      `  Pulumi CLI ${versions.pulumi.version} (${versions.pulumi.cliModule}), Keycloak ${versions.keycloak.version} ` +
      `(${versions.keycloak.mavenArtifact}), Coder ${versions.coder.version} (${versions.coder.module})`)
    .option("--env", "print the shell exports that put the tools on PATH (eval \"$(npm run -s e2e:tools -- --env)\")")
    .option("--json", "print where the tools are, as JSON")
    .option("--recheck-refused", "ask the registries again for what versions.json records as refused (the Keycloak provider plugin)")
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s), writeOut: (s) => process.stdout.write(s) });
  try {
    program.parse(argv, { from: "user" });
  } catch (err) {
    return (err as { exitCode?: number }).exitCode === 0 ? 0 : 2;
  }
  const options = program.opts<{ env?: boolean; json?: boolean; recheckRefused?: boolean }>();
  const start = performance.now();
  try {
    const tools = await ensureTools(undefined, { recheckRefused: options.recheckRefused });
    process.stderr.write(`[e2e:tools] ready in ${((performance.now() - start) / 1000).toFixed(1)} s: ${tools.pulumiVersion} (${tools.pulumiSource}), ` +
      `language host ${tools.languageHost.version} (${tools.languageHost.origin}), Keycloak in ${tools.keycloakHome}\n`);
    if (options.env) {
      const { PATH: _path, ...env } = toolEnv(tools);
      const stateDir = join(tools.cacheDir, "state");
      mkdirSync(stateDir, { recursive: true });
      env.PULUMI_BACKEND_URL = process.env.PULUMI_BACKEND_URL ?? `file://${stateDir}`;
      // PATH is extended where it is evaluated, not replaced by this process's (npm's) own.
      process.stdout.write(`export PATH=${shellQuote(tools.binDir)}:${shellQuote(tools.languageHost.dir)}:${shellQuote(join(tools.coder, ".."))}:"$PATH"\n`);
      for (const [name, value] of Object.entries(env)) process.stdout.write(`export ${name}=${shellQuote(value)}\n`);
    }
    if (options.json) process.stdout.write(JSON.stringify(tools, null, 2) + "\n");
    return 0;
  } catch (err) {
    process.stderr.write(`[e2e:tools] ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
