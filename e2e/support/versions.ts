/**
 * The e2e versions file (e2e/versions.json), typed, and where the tools live: the one place a maintainer
 * changes to move the e2e to a new Node.js, Pulumi or Keycloak.
 */
import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";

/** The repository's root. */
export const REPO_ROOT = resolve(__dirname, "../..");

/** The versions file. */
export const VERSIONS_FILE = join(REPO_ROOT, "e2e/versions.json");

/** One pinned tool; `why` says why this version (and, when it cannot be had, why not). */
interface Pinned {
  /** The pinned version; null when none can be had here. */
  readonly version: string | null;
  /** Why this version, or why none. */
  readonly why: string;
}

/** A registry's refusal, recorded once so that no run asks again (only `e2e:tools --recheck-refused` does). */
export interface Refusal {
  /** What the registry answered. */
  readonly answer: string;
  /** When it answered (YYYY-MM-DD). */
  readonly date: string;
}

/** What e2e/versions.json holds. */
export interface E2eVersions {
  /** The Node.js LTS CI runs on when the machine's Node is older than 22. */
  readonly node: Pinned & { readonly version: string; readonly npmPackage: string };
  /** The Pulumi CLI, built from its Go module. */
  readonly pulumi: Pinned & {
    readonly version: string;
    readonly cliModule: string;
    readonly cliPackage: string;
    readonly sdkModule: string;
  };
  /**
   * Pulumi's Node.js language host: its own module is refused, so it is built from the package the SDK module
   * `sdkModule@version` still holds, in the build module `buildModule` (a folder of the repository).
   */
  readonly pulumiLanguageNodejs: Pinned & {
    readonly version: string;
    readonly sdkModule: string;
    readonly package: string;
    readonly buildModule: string;
    readonly refused: Refusal & { readonly module: string };
  };
  /** The Keycloak resource provider plugin (its own Go module): refused here, asked again only on request. */
  readonly keycloakProvider: Pinned & { readonly module: string; readonly npmPackage: string; readonly refused?: Refusal };
  /** Coder's server, built from its Go module. */
  readonly coder: Pinned & { readonly version: string; readonly module: string; readonly mainPackage: string };
  /** The Keycloak server distribution, from Maven Central. */
  readonly keycloak: Pinned & { readonly version: string; readonly mavenArtifact: string; readonly packaging: string };
}

/** Reads e2e/versions.json. */
export function loadVersions(file: string = VERSIONS_FILE): E2eVersions {
  return JSON.parse(readFileSync(file, "utf8")) as E2eVersions;
}

/** The tools cache: `$CODER_OIDC_E2E_CACHE`, default `~/.cache/coder-oidc-e2e` (outside the checkout). */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.CODER_OIDC_E2E_CACHE || join(homedir(), ".cache", "coder-oidc-e2e"));
}

/** The version of an npm package as package-lock.json pins it. */
export function lockedNpmVersion(name: string, lockFile: string = join(REPO_ROOT, "package-lock.json")): string {
  const lock = JSON.parse(readFileSync(lockFile, "utf8")) as { packages: Record<string, { version?: string }> };
  const version = lock.packages[`node_modules/${name}`]?.version;
  if (!version) throw new Error(`${name} is not in ${lockFile}`);
  return version;
}
