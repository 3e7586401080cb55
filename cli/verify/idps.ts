/**
 * The client at the stack's IdP: each IdP's own checks (idps/<idp>/verify.ts, through its descriptor), over its
 * management or admin API where it has one. Each finding says what to change and where; credentials never appear in one.
 */
import { CoderEnvName } from "../../src/coder-env";
import type { CoderSettings, Finding } from "../../src/verify/core";
import type { IdpCheckContext, StackConfigValues } from "../../src/verify/idp-common";
import type { Masker } from "../../src/safe-text";
import { idpOf } from "../../idps/registry";

/** The client checks of `idp`; none without a client id to look up. */
export async function idpClientFindings(idp: string, settings: CoderSettings, config: StackConfigValues, coderUrl: string | undefined,
  options: { readonly now?: number; readonly projectDir?: string; readonly masker?: Masker } = {}): Promise<Finding[]> {
  if (!settings[CoderEnvName.ClientId]) return [];
  const check = idpOf(idp).verify.findings;
  if (!check) return [];
  const context: IdpCheckContext = { settings, config, coderUrl, now: options.now ?? Date.now(), projectDir: options.projectDir ?? process.cwd(), masker: options.masker };
  return check(context);
}
