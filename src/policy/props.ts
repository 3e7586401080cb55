/**
 * Reading resource properties in a policy without tripping over values unknown during preview.
 *
 * Under the engine, @pulumi/policy hands a policy its properties wrapped in a proxy that throws
 * `UnknownValueError` when an unknown value is read (the engine then reports "can't run policy during
 * preview" as advisory). Hand-built arguments and the offline plan carry the engine's unknown sentinels
 * instead. {@link plainProps} turns both into plain data where every unknown is {@link UNKNOWN}, so a rule
 * checks what is known and never fails on what is not.
 */
import { UnknownValueError } from "@pulumi/policy";

/** Stands for a value the engine knows only after apply. */
export const UNKNOWN: unique symbol = Symbol("unknown during preview");
/** The type of {@link UNKNOWN}. */
export type Unknown = typeof UNKNOWN;

/**
 * The engine's sentinels for unknown values (string, boolean, number, array, asset, archive, object), as
 * @pulumi/policy's proxy.js and @pulumi/pulumi's runtime/rpc.ts write them.
 */
export const UNKNOWN_SENTINELS: ReadonlySet<string> = new Set([
  "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
  "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
  "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
  "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
  "030794c1-ac77-496b-92df-f27374a8bd58",
  "e48ece36-62e2-4504-bad9-02848725956a",
  "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
]);

/** Whether a value read by {@link plainProps} is unknown. */
export function isUnknown(value: unknown): value is Unknown {
  return value === UNKNOWN;
}

/** A copy of `value` as plain data, every unknown (sentinel or throwing proxy field) replaced by {@link UNKNOWN}. */
export function plainProps(value: unknown): unknown {
  if (typeof value === "string") return UNKNOWN_SENTINELS.has(value) ? UNKNOWN : value;
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (let i = 0; i < value.length; i++) out.push(plainProps(readField(value, i)));
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) out[key] = plainProps(readField(value as Record<string, unknown>, key));
  return out;
}

function readField(container: Record<string | number, unknown> | unknown[], key: string | number): unknown {
  try {
    return (container as Record<string | number, unknown>)[key];
  } catch (err) {
    if (err instanceof UnknownValueError) return UNKNOWN;
    throw err;
  }
}

/** The properties of a resource as a plain record (see {@link plainProps}). */
export function plainRecord(props: unknown): Record<string, unknown> {
  const plain = plainProps(props);
  return typeof plain === "object" && plain !== null && !Array.isArray(plain) ? (plain as Record<string, unknown>) : {};
}

/** A string array whose elements may be unknown; undefined when absent, {@link UNKNOWN} when the whole list is. */
export function stringList(value: unknown): readonly (string | Unknown)[] | Unknown | undefined {
  if (isUnknown(value)) return UNKNOWN;
  if (!Array.isArray(value)) return undefined;
  return value.map((v) => (isUnknown(v) ? UNKNOWN : String(v)));
}

/** A whole number of seconds written as a number or a numeric string; undefined when absent, not a number or unknown. */
export function seconds(value: unknown): number | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (typeof value === "string" && /^\d+$/.test(value.trim())) return Number(value.trim());
  return undefined;
}
