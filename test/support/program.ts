import { OFFLINE_CALL_ANSWERS, PROVIDER_NAMESPACES, providerKeysOf } from "./idps";
/**
 * Runs the real program (program/index.ts) under Pulumi's mock runtime, as `pulumi up` (or, with `preview`,
 * `pulumi preview`) would, and returns what it declared and output. Mocks first, then the program: the
 * program reads config and registers resources only when called.
 */
import assert from "node:assert/strict";
import type * as pulumi from "@pulumi/pulumi";
import { installMocks, type RecordingMocks, resolveOutput, type ResolvedOutput, settle } from "../../engine/offline-runtime";
import { parseStackConfig } from "../../idps/registry";
import { type RawStackConfig } from "../../src/config";
import { ConfigError } from "../../src/errors";
import { credentialKeys } from "../../src/provider-config";

/**
 * The provider credentials among `values` (`auth0:clientSecret`, …): a real stack holds them set with `--secret`
 * (the config contract refuses them in plain text), so the tests' stacks mark them secret too.
 */
export function credentialSecretKeys(values: Readonly<Record<string, string | undefined>>): Set<string> {
  const keys = PROVIDER_NAMESPACES.flatMap((ns) => credentialKeys(providerKeysOf(ns)).map((key) => `${ns}:${key}`));
  return new Set(keys.filter((key) => values[key] !== undefined));
}

/** Raw stack config of `values`, its credentials secret as in a real stack ({@link credentialSecretKeys}). */
export function stackConfig(values: Record<string, string>, secretKeys: readonly string[] = []): RawStackConfig {
  return { values, secretKeys: new Set([...credentialSecretKeys(values), ...secretKeys]) };
}

/** What one run of the program declared and output. */
export interface ProgramRun {
  /** The mocks, with every registration. */
  readonly mocks: RecordingMocks;
  /** The stack outputs, resolved. */
  readonly outputs: Record<string, ResolvedOutput<string>>;
}

type Program = () => Promise<Record<string, pulumi.Output<string>>>;

/** {@link installMocks} with the stack's credentials secret, as in a real stack ({@link credentialSecretKeys}). */
export function installStackMocks(options: Parameters<typeof installMocks>[0]): ReturnType<typeof installMocks> {
  return installMocks({ ...options, secretKeys: [...new Set([...credentialSecretKeys(options.values), ...(options.secretKeys ?? [])])] });
}

/** Runs the program once with `values` as stack config. */
export async function runProgram(
  values: Record<string, string>,
  options: {
    secretKeys?: string[];
    preview?: boolean;
    /** Data-source answers by token, in place of the offline plan's (a throwing one fails the call). */
    callResults?: Record<string, (inputs: Record<string, unknown>) => Record<string, unknown>>;
  } = {},
): Promise<ProgramRun> {
  const callResults = {
    ...Object.fromEntries(Object.entries(OFFLINE_CALL_ANSWERS).map(([token, a]) => [token, a.result])),
    ...options.callResults,
  };
  const secretKeys = [...new Set([...credentialSecretKeys(values), ...(options.secretKeys ?? [])])];
  const mocks = await installMocks({ values, secretKeys, preview: options.preview, callResults });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const program = require("../../program/index") as Program;
  const raw = await program();
  const outputs: Record<string, ResolvedOutput<string>> = {};
  for (const [name, output] of Object.entries(raw)) outputs[name] = await resolveOutput(output);
  await settle();
  return { mocks, outputs };
}

/** The one resource of `type` the program declared; fails the test unless there is exactly one. */
export function only(mocks: RecordingMocks, type: string): RecordingMocks["resources"][number] {
  const found = mocks.ofType(type);
  assert.equal(found.length, 1, `exactly one ${type}`);
  return found[0];
}

/**
 * The problems the config contract finds in `values`, as `key → message`; fails the test if there are none. The
 * stack's credentials count as set with `--secret` ({@link credentialSecretKeys}), as in a real stack.
 */
export function configProblems(values: Record<string, string>, secretKeys: readonly string[] = []): Map<string, string> {
  try {
    parseStackConfig(stackConfig(values, secretKeys));
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected ConfigError, got ${String(err)}`);
    assert.equal(err.code, "ERR_CONFIG_INVALID");
    return new Map(err.problems.map((p) => [p.key, p.message]));
  }
  assert.fail("expected the config to be rejected");
}

/** Every string anywhere in `value` that is not inside a Pulumi secret. */
export function plaintextStrings(value: unknown, out: string[] = []): string[] {
  if (typeof value === "string") out.push(value);
  else if (Array.isArray(value)) value.forEach((v) => plaintextStrings(v, out));
  else if (typeof value === "object" && value !== null) {
    const record = value as Record<string, unknown>;
    if (record["4dabf18193072939515e22adb298388d"] === "1b47061264138c4ac30d75fd1eb44270") return out;
    Object.values(record).forEach((v) => plaintextStrings(v, out));
  }
  return out;
}

/** The hex suffix the mocks make up for a resource name (engine/offline-runtime.ts), to predict computed ids. */
export function hex12(text: string): string {
  let hash = 0;
  for (const ch of text) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return hash.toString(16).padStart(12, "0").slice(-12);
}

/** Every string of a run that is not a secret: resource inputs outside secrets, and the non-secret outputs. */
export function visibleStrings({ mocks, outputs }: ProgramRun): string[] {
  return [
    ...mocks.resources.flatMap((r) => plaintextStrings(r.inputs)),
    ...Object.values(outputs).filter((o) => !o.secret).map((o) => String(o.value)),
  ];
}
