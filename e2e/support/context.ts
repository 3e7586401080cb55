/**
 * What every e2e file shares: the tools (made by e2e/run.ts and handed over in the environment, or made here
 * when a file is run on its own) and one temporary directory for the run, removed by e2e/run.ts at the end.
 */
import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureTools, type E2eTools } from "../tools";

/** The environment variable that carries the tools (JSON) from e2e/run.ts to the test files. */
export const TOOLS_ENV = "CODER_OIDC_E2E_TOOLS";
/** The environment variable naming the run's temporary directory. */
export const TMP_ENV = "CODER_OIDC_E2E_TMP";

/** The tools, as e2e/run.ts made them (or made now). */
export async function e2eTools(): Promise<E2eTools> {
  const handed = process.env[TOOLS_ENV];
  return handed ? (JSON.parse(handed) as E2eTools) : ensureTools();
}

/** A new directory of this run's temporary directory. */
export function e2eTempDir(prefix: string): string {
  const parent = process.env[TMP_ENV] ?? join(tmpdir(), "coder-oidc-e2e");
  mkdirSync(parent, { recursive: true });
  return mkdtempSync(join(parent, `${prefix}-`));
}
