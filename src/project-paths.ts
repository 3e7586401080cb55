/**
 * The one rule for file paths in stack config: a relative path is relative to the project root, the directory
 * of Pulumi.yaml, whatever working directory the program was started in. (`pulumi up` starts the program through
 * the Node.js language host in the directory of `main`, the Automation API in the caller's, the offline plan in
 * the user's shell's.) Values that may be a path or the content itself (a PEM certificate, a JSON key) are
 * taken as content when they look like it.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { ConfigError } from "./errors";

/** The Pulumi project file whose directory is the project root. */
export const PROJECT_FILE = "Pulumi.yaml";

/** The nearest directory at or above `start` that holds Pulumi.yaml, or undefined. */
export function findProjectRoot(start: string): string | undefined {
  for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, PROJECT_FILE))) return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}

/**
 * The project root: the one the engine names (current language hosts and the Automation API pass it), else the
 * directory of Pulumi.yaml above this program's own files, which does not depend on the working directory.
 */
export function projectRoot(): string {
  const named = pulumi.runtime.getRootDirectory?.();
  if (named && path.isAbsolute(named) && fs.existsSync(path.join(named, PROJECT_FILE))) return named;
  return toolkitRoot();
}

/**
 * The Pulumi project this toolkit's own sources are in (the directory of Pulumi.yaml above them): the commands'
 * default project. The one definition of it.
 */
export function toolkitRoot(): string {
  const own = findProjectRoot(__dirname);
  if (!own) throw new Error(`no ${PROJECT_FILE} above ${__dirname}: the program must run from its Pulumi project`);
  return own;
}

/** Whether a path-or-content value is content: PEM text or a JSON document. */
export function isInlineContent(value: string): boolean {
  const text = value.trimStart();
  return text.startsWith("-----BEGIN") || text.startsWith("{");
}

/** `value` as an absolute path: as it is when absolute, else relative to `root` (the project root by default). */
export function resolveProjectPath(value: string, root: string = projectRoot()): string {
  return path.isAbsolute(value) ? value : path.resolve(root, value);
}

/**
 * A PEM value of the stack config (`key` names it in errors): PEM text as it is, else the file it names, read
 * relative to `root`. Fails with a {@link ConfigError} naming the key and the file, never quoting the file.
 */
export function pemFromConfig(key: string, value: string, root: string = projectRoot()): string {
  if (isInlineContent(value)) return value;
  const file = resolveProjectPath(value, root);
  const where = path.isAbsolute(value) ? `"${value}"` : `"${value}" (relative to the project root, ${root})`;
  let text: string;
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile()) throw Object.assign(new Error("not a file"), { code: "not a regular file" });
    // A CA bundle is a few kilobytes; anything far larger is not one.
    if (stat.size > 1024 * 1024) throw Object.assign(new Error("too large"), { code: `${stat.size} bytes, more than a PEM bundle` });
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    throw new ConfigError([{ key, message: `is neither PEM text nor a readable file: ${where} (${(error as { code?: string }).code ?? "unreadable"})` }]);
  }
  if (!text.includes("-----BEGIN")) throw new ConfigError([{ key, message: `the file ${where} holds no PEM certificate` }]);
  return text;
}
