/**
 * Stack files (`stacks/Pulumi.<stack>.yaml`) read without the Pulumi CLI. `secure:` values cannot be
 * decrypted offline: they become a placeholder and their keys are marked secret, as the engine would.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { isAlias, isMap, isScalar, isSeq, parseDocument, visit } from "yaml";
import type { RawStackConfig } from "../src/config";
import { StackFileError } from "../src/errors";
import { OFFLINE_SECRET_PLACEHOLDER } from "../src/provider-config";
import { didYouMean } from "../src/spelling";
import { ioReason, readRegularFile, shownPath } from "./bounded-file";
import { lineTooDeep, MAX_YAML_NESTING, yamlErrorLines } from "./yaml-input";
import { listedLines, shown, yamlProblemText } from "../src/safe-text";

/** Where stack files live (Pulumi.yaml `stackConfigDir`), relative to the project root. */
export const STACKS_DIR = path.resolve(__dirname, "..", "stacks");

/** The stack files of a Pulumi project: `override` when given, else `<projectDir>/stacks` (Pulumi.yaml's stackConfigDir). */
export function stacksDirOf(projectDir: string, override?: string): string {
  return override ?? path.join(path.resolve(projectDir), "stacks");
}

/** What a `secure:` value reads as offline; it is always a secret, so it is never printed. */
export const SECRET_PLACEHOLDER = OFFLINE_SECRET_PLACEHOLDER;

const STACK_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const FILE_NAME = /^Pulumi\.([A-Za-z0-9][A-Za-z0-9_.-]*)\.yaml$/;

/** The stacks that have a file in `dir`, sorted. Throws {@link StackFileError} when `dir` cannot be listed. */
export function listStacks(dir: string = STACKS_DIR): string[] {
  let files: string[];
  try {
    files = fs.readdirSync(dir);
  } catch (err) {
    throw new StackFileError(`Cannot list the stacks folder ${shownPath(dir)}: ${ioReason(err)}`);
  }
  return files.flatMap((file) => FILE_NAME.exec(file)?.[1] ?? []).sort();
}

export { ioReason } from "./bounded-file";

/** A stack file's config, as the engine would hand it to the program. */
export interface StackFile extends RawStackConfig {
  /** The stack's name. */
  readonly stack: string;
  /** The file read. */
  readonly file: string;
}

/** The top-level keys of a stack file that Pulumi reads (`Pulumi.<stack>.yaml`). */
export const STACK_FILE_KEYS = ["config", "secretsprovider", "encryptedkey", "encryptionsalt", "environment"] as const;

/** The largest stack file read: far above any real one, small enough to parse in a moment. */
const MAX_STACK_FILE_BYTES = 16 * 1024 * 1024;

/**
 * Throws {@link StackFileError} unless `stack` is a stack name (letters, digits, `-`, `_`, `.`): every command
 * checks it before it names a file, a Pulumi stack or a recorded-events file after it.
 */
export function checkStackName(stack: string, dir: string = STACKS_DIR): void {
  if (!STACK_NAME.test(stack)) {
    throw new StackFileError(
      `"${shown(stack)}" is not a stack name: use letters, digits, '-', '_' and '.' (stacks here: ${knownStacksText(dir)})`);
  }
}

/** Reads `Pulumi.<stack>.yaml` from `dir`. Throws {@link StackFileError} with a message a user can act on. */
export function readStackFile(stack: string, dir: string = STACKS_DIR): StackFile {
  checkStackName(stack, dir);
  const file = path.join(dir, `Pulumi.${stack}.yaml`);
  try {
    fs.lstatSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") {
      throw new StackFileError(`No stack "${stack}": ${shownPath(file)} does not exist (stacks here: ${knownStacksText(dir)})`);
    }
    throw new StackFileError(`Cannot read ${shown(file)}: ${ioReason(err)}`);
  }
  // A link that leads out of the stacks folder is refused: a change under review could otherwise have the plan
  // read any file of the machine that runs it (a key, a token) into its output.
  const bytes = readRegularFile({ file, what: "the stack file", within: dir }, MAX_STACK_FILE_BYTES);
  const { body, structured } = parseStackYaml(decodeText(bytes, file), file);
  if (body === null) return { stack, file, values: {}, secretKeys: new Set(), secretPaths: new Set() };
  if (!isPlainObject(body)) throw new StackFileError(`${file}: expected a YAML map with a "config:" key`);
  const unknownTop = Object.keys(body).filter((key) => !(STACK_FILE_KEYS as readonly string[]).includes(key));
  if (unknownTop.length > 0) {
    throw new StackFileError(`${file} has keys Pulumi does not read:\n${unknownTop.map((key) =>
      `  - ${key}: not a stack-file key${didYouMean(key, STACK_FILE_KEYS)}; the keys are ${STACK_FILE_KEYS.join(", ")}`).join("\n")}`);
  }
  const config = body.config ?? {};
  if (!isPlainObject(config)) throw new StackFileError(`${file}: "config:" must be a map of <namespace>:<key> to values`);

  const values: Record<string, string> = {};
  const secretKeys = new Set<string>();
  const secretPaths = new Set<string>();
  const structuredKeys = new Set<string>();
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
    // A map or list that is one secure value as a whole is not structured: it stands for a text.
    if (structured.has(key) && paths[0] !== key) structuredKeys.add(key);
    values[key] = typeof plain === "object" ? JSON.stringify(plain) : String(plain);
  }
  if (problems.length > 0) throw new StackFileError(`${file} has malformed config keys:\n${listedLines(problems)}`);
  return { stack, file, values, secretKeys, secretPaths, structuredKeys };
}

/**
 * A stack file's text for the secret fingerprints, read as the plan reads it (a regular file inside the stacks
 * folder, bounded); empty when it cannot be read, whose reason the plan's failure gives.
 */
export function stackFileText(file: string, stacksDir: string): string {
  try {
    return readRegularFile({ file, what: "the stack file", within: stacksDir }, MAX_STACK_FILE_BYTES).toString("utf8");
  } catch {
    return ""; // readRegularFile throws only StackFileErrors, whose reason the plan gives
  }
}

function knownStacksText(dir: string): string {
  try {
    const known = listStacks(dir);
    return known.length > 0 ? known.join(", ") : "none";
  } catch (err) {
    return `none: ${(err as Error).message}`;
  }
}

/**
 * The text of a stack file, decoded as the Pulumi CLI (Go's yaml) decodes it: UTF-8, or UTF-16 with a byte
 * order mark. Bytes that are not valid in that encoding, and control characters YAML forbids (NUL among them),
 * are refused with their line rather than read as something else.
 */
function decodeText(bytes: Buffer, file: string): string {
  let text: string;
  try {
    if (bytes[0] === 0xff && bytes[1] === 0xfe) text = new TextDecoder("utf-16le", { fatal: true }).decode(bytes.subarray(2));
    else if (bytes[0] === 0xfe && bytes[1] === 0xff) text = new TextDecoder("utf-16be", { fatal: true }).decode(bytes.subarray(2));
    else text = new TextDecoder("utf-8", { fatal: true }).decode(bytes); // drops a UTF-8 byte order mark
  } catch {
    throw new StackFileError(`${file} is not valid UTF-8 (or UTF-16 with a byte order mark): save it as UTF-8`);
  }
  // eslint-disable-next-line no-control-regex
  const bad = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]/.exec(text);
  if (bad) {
    const line = text.slice(0, bad.index).split("\n").length;
    const code = bad[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0");
    throw new StackFileError(`${file}:${line}: control character U+${code} is not allowed in YAML`);
  }
  return text;
}

/** YAML 1.2 as Go's yaml reads it: merge keys on, keys unique, aliases bounded (no "billion laughs"). */
const YAML_OPTIONS = { version: "1.2", schema: "core", merge: true, uniqueKeys: false, prettyErrors: false } as const;

/** Tags whose meaning Go's yaml and this reader share. */
const PLAIN_TAGS = new Set(["tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
  "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"]);

/** An integer as Go's `strconv.ParseInt(text, 0, 64)` reads one (what Go's yaml tries first). */
const GO_INT = /^[-+]?(0[xX][0-9a-fA-F]+|0[oO]?[0-7]+|0[bB][01]+|[0-9]+)$/;
/** A float as both Go's yaml and YAML 1.2 read one. */
const YAML_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

/**
 * Plain (unquoted) scalars that Go's yaml and YAML 1.2 read differently: a leading-zero integer (octal in Go),
 * `_` digit separators, binary, signed hex or octal, timestamps (a time in Go), infinities and NaN (not JSON),
 * integers beyond 2^53. Refused with a request to quote them, never read as one or the other.
 */
function ambiguousPlain(text: string): string | undefined {
  if (/^[-+]?0[0-9_]+$/.test(text)) return "a leading zero makes it octal for Go's yaml and decimal for YAML 1.2";
  const digits = text.replace(/_/g, "");
  if (text.includes("_") && (GO_INT.test(digits) || YAML_FLOAT.test(digits))) return "Go's yaml reads _ as a digit separator";
  if (/^[-+]?0[bB][01]+$/.test(text)) return "Go's yaml reads it as a binary number";
  if (/^[-+]0[xXoO]/.test(text) || /^0[XO]/.test(text)) return "Go's yaml reads it as a number, YAML 1.2 as text";
  if (/^\d{4}-\d{1,2}-\d{1,2}([Tt ]|$)/.test(text)) return "Go's yaml reads it as a timestamp (2026-11-28T00:00:00Z)";
  if (/^[-+]?\.(inf|nan)$/i.test(text)) return "infinity and NaN have no JSON form";
  if (/^[-+]?[0-9]+$/.test(text) && !Number.isSafeInteger(Number(text))) return "it is too large an integer to keep exactly";
  return undefined;
}

function parseStackYaml(text: string, file: string): { body: unknown; structured: Set<string> } {
  const problems: string[] = [];
  const deep = lineTooDeep(text);
  if (deep !== undefined) {
    throw new StackFileError(`${file}:${deep}: nests maps and lists more than ${MAX_YAML_NESTING} levels deep; a stack file needs a few`);
  }
  const doc = parseDocument(text, YAML_OPTIONS);
  if (doc.errors.length > 0) throw new StackFileError(`${file} is not valid YAML:\n${yamlErrorLines(text, doc.errors)}`);
  const lineOf = (node: { range?: [number, number, number] | null }) =>
    node.range ? text.slice(0, node.range[0]).split("\n").length : 0;
  // A config value that is a scalar reaches the program as its text, whatever YAML would resolve it to.
  const written = isMap(doc.contents) ? doc.contents.get("config", true) : undefined;
  const configNode = isAlias(written) ? written.resolve(doc) : written;
  const config = isMap(configNode) ? configNode : undefined;
  const asText = new Set(config?.items.map((pair) => pair.value));
  visit(doc, {
    Scalar(_key, node) {
      if (asText.has(node) && !node.tag) return;
      if (node.tag && !PLAIN_TAGS.has(node.tag)) {
        problems.push(`  - line ${lineOf(node)}: the tag ${shown(node.tag)} is not supported: write the value without it`);
      } else if (node.type === "PLAIN" && !node.tag && typeof node.source === "string") {
        const why = ambiguousPlain(node.source);
        if (why) problems.push(`  - line ${lineOf(node)}: an unquoted value is ambiguous (${why}): put it in quotes`);
      }
    },
    Map(_key, node) {
      if (node.tag && !PLAIN_TAGS.has(node.tag)) problems.push(`  - line ${lineOf(node)}: the tag ${shown(node.tag)} is not supported`);
      const seen = new Set<string>();
      for (const pair of node.items) {
        const key = pair.key;
        if (isScalar(key) && typeof key.value === "symbol") continue; // the merge key <<
        if (!isScalar(key)) {
          problems.push(`  - line ${lineOf(node)}: a map key must be text, not a map or list`);
          continue;
        }
        if (typeof key.value !== "string") {
          problems.push(`  - line ${lineOf(key)}: the map key ${shown(String(key.source ?? key.value))} must be text: quote it`);
          continue;
        }
        if (seen.has(key.value)) problems.push(`  - line ${lineOf(key)}: the key "${shown(key.value)}" is given twice in one map`);
        seen.add(key.value);
      }
    },
    Seq(_key, node) {
      if (node.tag && !PLAIN_TAGS.has(node.tag)) problems.push(`  - line ${lineOf(node)}: the tag ${shown(node.tag)} is not supported`);
    },
  });
  if (problems.length > 0) throw new StackFileError(`${file} has YAML that the Pulumi CLI would read differently, or not at all:\n${listedLines(problems)}`);

  let body: unknown;
  try {
    body = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    throw new StackFileError(`${file} cannot be read: ${yamlProblemText((err as Error).message)}`);
  }
  // A config value that is a plain scalar reaches the program as its text, as Pulumi reads it (`0x1F`, `1.10`,
  // `true` stay as written); maps and lists as JSON of their resolved values.
  const structured = new Set<string>();
  if (config && isPlainObject(body) && isPlainObject(body.config)) {
    const target = body.config;
    for (const pair of config.items) {
      if (!isScalar(pair.key) || typeof pair.key.value !== "string") continue;
      const value = isAlias(pair.value) ? pair.value.resolve(doc) : pair.value;
      if (isMap(value) || isSeq(value)) structured.add(pair.key.value);
      // A key without a value (`? key`, `key:`) is an empty text, as Pulumi reads a null config value.
      else target[pair.key.value] = isScalar(value) && value.value !== null ? value.source ?? String(value.value) : "";
    }
  }
  return { body, structured };
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
