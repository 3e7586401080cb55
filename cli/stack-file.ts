/**
 * Stack files (`stacks/Pulumi.<stack>.yaml`) read without the Pulumi CLI. `secure:` values cannot be
 * decrypted offline: they become a placeholder and their keys are marked secret, as the engine would.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseDocument } from "yaml";
import type { RawStackConfig } from "../src/config";
import { StackFileError } from "../src/errors";
import { OFFLINE_SECRET_PLACEHOLDER } from "../src/provider-config";

/** Where stack files live (Pulumi.yaml `stackConfigDir`), relative to the project root. */
export const STACKS_DIR = path.resolve(__dirname, "..", "stacks");

/** What a `secure:` value reads as offline; it is always a secret, so it is never printed. */
export const SECRET_PLACEHOLDER = OFFLINE_SECRET_PLACEHOLDER;

const STACK_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const FILE_NAME = /^Pulumi\.([A-Za-z0-9][A-Za-z0-9_.-]*)\.yaml$/;

/** The stacks that have a file in `dir`, sorted. */
export function listStacks(dir: string = STACKS_DIR): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).flatMap((file) => FILE_NAME.exec(file)?.[1] ?? []).sort();
}

/** A stack file's config, as the engine would hand it to the program. */
export interface StackFile extends RawStackConfig {
  /** The stack's name. */
  readonly stack: string;
  /** The file read. */
  readonly file: string;
}

/** Reads `Pulumi.<stack>.yaml` from `dir`. Throws {@link StackFileError} with a message a user can act on. */
export function readStackFile(stack: string, dir: string = STACKS_DIR): StackFile {
  const known = listStacks(dir);
  const knownText = known.length > 0 ? known.join(", ") : "none";
  if (!STACK_NAME.test(stack)) {
    throw new StackFileError(
      `"${stack}" is not a stack name: use letters, digits, '-', '_' and '.' (stacks here: ${knownText})`);
  }
  const file = path.join(dir, `Pulumi.${stack}.yaml`);
  if (!fs.existsSync(file)) {
    throw new StackFileError(`No stack "${stack}": ${path.relative(process.cwd(), file)} does not exist (stacks here: ${knownText})`);
  }
  const doc = parseDocument(fs.readFileSync(file, "utf8"), { prettyErrors: true });
  if (doc.errors.length > 0) {
    throw new StackFileError(`${file} is not valid YAML:\n${doc.errors.map((e) => `  ${e.message}`).join("\n")}`);
  }
  const body: unknown = doc.toJS();
  if (body === null || body === undefined) return { stack, file, values: {}, secretKeys: new Set(), secretPaths: new Set() };
  if (!isPlainObject(body)) throw new StackFileError(`${file}: expected a YAML map with a "config:" key`);
  const config = body.config ?? {};
  if (!isPlainObject(config)) throw new StackFileError(`${file}: "config:" must be a map of <namespace>:<key> to values`);

  const values: Record<string, string> = {};
  const secretKeys = new Set<string>();
  const secretPaths = new Set<string>();
  const problems: string[] = [];
  for (const [key, value] of Object.entries(config)) {
    if (!/^[^:\s]+:[^:\s]+$/.test(key)) {
      problems.push(`  - ${key}: config keys are written <namespace>:<key>, e.g. coder-oidc:idp`);
      continue;
    }
    const paths: string[] = [];
    const plain = replaceSecure(value, key, paths);
    if (paths.length > 0) secretKeys.add(key);
    for (const p of paths) secretPaths.add(p);
    values[key] = typeof plain === "object" && plain !== null ? JSON.stringify(plain) : String(plain);
  }
  if (problems.length > 0) throw new StackFileError(`${file} has malformed config keys:\n${problems.join("\n")}`);
  return { stack, file, values, secretKeys, secretPaths };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Replaces every `{secure: …}` with the placeholder, recording its path (`coder-oidc:google.clientSecret`). */
function replaceSecure(value: unknown, path: string, secretPaths: string[]): unknown {
  if (isPlainObject(value)) {
    if (Object.keys(value).length === 1 && typeof value.secure === "string") {
      secretPaths.push(path);
      return SECRET_PLACEHOLDER;
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaceSecure(v, `${path}.${k}`, secretPaths)]));
  }
  if (Array.isArray(value)) return value.map((v, i) => replaceSecure(v, `${path}[${i}]`, secretPaths));
  return value;
}
