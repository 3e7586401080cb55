/**
 * What the per-IdP client checks of `verify` (idps/<idp>/verify.ts)
 * share: the finding constructors, the stack config they read credentials from, and Coder's callback.
 */
import { CODER_OIDC_CALLBACK_PATH } from "../coder-table";
import type { z } from "zod";
import type { Masker } from "../safe-text";
import { FindingStatus, type CoderSettings, type Finding } from "./core";

/** The stack's config as `pulumi config --show-secrets --json` gives it (empty without a stack). */
export type StackConfigValues = Readonly<Record<string, { readonly value?: string }>>;

/** What a client check needs besides its API. */
export interface IdpCheckContext {
  /** The Coder settings under check. */
  readonly settings: CoderSettings;
  /** The stack's config (credentials, `coder-oidc:*`). */
  readonly config: StackConfigValues;
  /** Coder's access URL, for the redirect URI check; undefined skips it. */
  readonly coderUrl?: string;
  /** The clock, ms since the epoch. */
  readonly now: number;
  /** The Pulumi project the stack belongs to: a relative path in its config (a CA file) is resolved against it. */
  readonly projectDir: string;
  /** Masks what the checks print: every credential a check reads is added to it. Default: nothing more is masked. */
  readonly masker?: Masker;
}

/** A passed check. */
export const ok = (check: string, message: string): Finding => ({ check, status: FindingStatus.Ok, message });
/** Something to change. */
export const problem = (check: string, message: string): Finding => ({ check, status: FindingStatus.Problem, message });
/** A check that could not look. */
export const unchecked = (check: string, message: string): Finding => ({ check, status: FindingStatus.Unchecked, message });

/** Coder's OIDC callback below its access URL. */
export function coderCallback(coderUrl: string): string {
  return `${coderUrl.replace(/\/+$/, "")}${CODER_OIDC_CALLBACK_PATH}`;
}

/** A config value (`namespace:key`), else the environment variable, else undefined; empty strings count as unset. */
export function configOrEnv(config: StackConfigValues, key: string, env: string): string | undefined {
  return config[key]?.value || process.env[env] || undefined;
}

/** A structured `coder-oidc:<key>` value (JSON in the CLI's output), or undefined. */
export function coderOidcObject(config: StackConfigValues, key: string): Record<string, unknown> | undefined {
  const raw = config[`coder-oidc:${key}`]?.value;
  if (!raw) return undefined;
  try {
    const parsed = JSON.parse(raw) as unknown;
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? parsed as Record<string, unknown> : undefined;
  } catch {
    return undefined;
  }
}

/**
 * One field of a structured `coder-oidc:<key>` value, read through the IdP section's own schema (the program reads it
 * the same way): undefined when unset or when it does not pass the field's check (the plan says why).
 */
export function sectionField<Shape extends z.ZodRawShape, Field extends keyof Shape & string>(
  config: StackConfigValues, key: string, schema: z.ZodObject<Shape>, field: Field,
): z.infer<Shape[Field]> | undefined {
  const value = coderOidcObject(config, key)?.[field];
  if (value === undefined) return undefined;
  const parsed = (schema.shape[field] as unknown as z.ZodType).safeParse(value);
  return parsed.success ? parsed.data as z.infer<Shape[Field]> : undefined;
}

/** Pushes `ok` or `problem` for one expectation. */
export function expectation(findings: Finding[], prefix: string) {
  return (check: string, good: boolean, okText: string, fix: string) =>
    void findings.push(good ? ok(check, okText) : problem(check, `${prefix}: ${fix}`));
}

/** A list for messages. */
export function listOf(values: readonly unknown[] | undefined | null): string {
  return values && values.length > 0 ? values.map(String).join(", ") : "none";
}
