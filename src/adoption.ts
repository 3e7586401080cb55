/**
 * What every IdP's adoption (`coder-oidc:adoptClientId`) has in common: comparing the client found at the IdP
 * with what the stack sets, field by field, and saying so in the plan. How each IdP finds its client and which
 * fields it manages live in that IdP's module (providers/<idp>).
 */
import * as pulumi from "@pulumi/pulumi";
import { AdoptionError } from "./errors";

/** One field of the existing client that the stack sets to another value. */
export interface FieldChange {
  /** The field, as the IdP's Pulumi resource names it (e.g. `validRedirectUris`). */
  readonly field: string;
  /** Its value at the IdP now (undefined: unset). */
  readonly from: unknown;
  /** The value the stack sets. */
  readonly to: unknown;
}

/** A list compared as a set; anything else as it is. */
function comparable(value: unknown): string {
  if (Array.isArray(value)) return JSON.stringify([...new Set(value.map((v) => (typeof v === "string" ? v : JSON.stringify(v))))].sort());
  return JSON.stringify(value ?? null);
}

/**
 * The fields of `wanted` whose value differs from `live` (lists as sets). Fields `wanted` leaves undefined are
 * not managed and never listed.
 */
export function fieldChanges(live: Readonly<Record<string, unknown>>, wanted: Readonly<Record<string, unknown>>): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const [field, to] of Object.entries(wanted)) {
    if (to === undefined) continue;
    if (comparable(live[field]) !== comparable(to)) changes.push({ field, from: live[field], to });
  }
  return changes;
}

/** The entries of a list field the existing client has and the stack's value does not: lost on `up`. */
export function droppedEntries(change: FieldChange): string[] {
  if (!Array.isArray(change.from) || !Array.isArray(change.to)) return [];
  const kept = new Set(change.to.map((v) => (typeof v === "string" ? v : JSON.stringify(v))));
  return change.from.map((v) => (typeof v === "string" ? v : JSON.stringify(v))).filter((v) => !kept.has(v));
}

function shown(value: unknown): string {
  return value === undefined ? "(unset)" : JSON.stringify(value);
}

/** What the plan says about an adoption. */
export interface AdoptionReport {
  /** The IdP's name, e.g. `Keycloak`. */
  readonly idp: string;
  /** Where the client was found, e.g. `realm "engineering"`. */
  readonly where: string;
  /** The client id (`adoptClientId`). */
  readonly clientId: string;
  /** Each imported resource: its logical name and import id (none when the client is taken over in place). */
  readonly imports: readonly { readonly name: string; readonly id: string }[];
  /** The managed fields the stack changes on the existing client. */
  readonly changes: readonly FieldChange[];
  /** Which secret Coder uses after the adoption. */
  readonly secret: string;
  /** What else the stack declares beside the client (created, not imported), and why that is safe. */
  readonly related?: string;
}

/** Who hears of every adoption reported in this process (the offline plan, to show it as data); none by default. */
let adoptionListener: ((report: AdoptionReport) => void) | undefined;

/** Sets (or, with undefined, clears) the listener that hears of every {@link reportAdoption}. */
export function listenForAdoptions(listener: ((report: AdoptionReport) => void) | undefined): void {
  adoptionListener = listener;
}

/**
 * Logs the adoption: an info note with the imports, every field that changes (`from → to`) and the secret;
 * a warning for each list entry the stack's value drops (e.g. an extra redirect URI), so nobody loses one unseen.
 */
export function reportAdoption(report: AdoptionReport, resource: pulumi.Resource): void {
  adoptionListener?.(report);
  const imports = report.imports.length === 0 ? "takes it over in place (no import)"
    : `imports ${report.imports.map((i) => `${i.name} (import id ${i.id})`).join(", ")}`;
  const changes = report.changes.length === 0
    ? "none of the fields the stack manages changes"
    : `the stack changes ${report.changes.map((c) => `${c.field}: ${shown(c.from)} → ${shown(c.to)}`).join("; ")}`;
  pulumi.log.info(
    `${report.idp}: adopting the existing client "${report.clientId}" (${report.where}), coder-oidc:adoptClientId: ` +
    `${imports}; ${changes}. Every other setting of the client is left as it is. ${report.secret}` +
    (report.related ? ` ${report.related}` : ""), resource);
  for (const change of report.changes) {
    const dropped = droppedEntries(change);
    if (dropped.length > 0) {
      pulumi.log.warn(
        `${report.idp}: adopting "${report.clientId}" replaces ${change.field}: ${dropped.map((d) => JSON.stringify(d)).join(", ")} ` +
        `${dropped.length === 1 ? "is" : "are"} removed (the stack sets ${shown(change.to)}). If Coder or anything else still needs ` +
        `${dropped.length === 1 ? "it" : "them"}, do not run pulumi up yet.`, resource);
    }
  }
}

/**
 * The error for a lookup that failed: the IdP, where it looked and the id, with the IdP's own words (its
 * provider's message) so that a refusal for another reason (credentials, network) is not mistaken for "no such client".
 */
export function clientNotFound(idp: string, where: string, clientId: string, cause: unknown): AdoptionError {
  const why = (cause instanceof Error ? cause.message : String(cause)) || "(the provider gave no reason)";
  return new AdoptionError(
    `${idp} has no client "${clientId}" in ${where} (coder-oidc:adoptClientId), or it could not be read: ${why}\n` +
    "Check the id: it is the CODER_OIDC_CLIENT_ID Coder uses today. Remove coder-oidc:adoptClientId to create a new client instead.");
}

/**
 * Outputs that exist only once `declared` settles (an adopting component declares its resources after the
 * lookup): each keeps the known-ness and secretness of the output it stands for. When the lookup fails they are
 * undefined rather than failed or pending (either would leave work behind that outlives the run): the run fails with
 * the lookup's error all the same, since the program awaits `ready` before it uses them.
 */
export function lateOutputs<T extends { readonly [K in keyof T]: pulumi.Output<unknown> }>(
  declared: Promise<T>, keys: readonly (keyof T & string)[],
): T {
  const settled = declared.catch(() => undefined);
  const outputs: Record<string, pulumi.Output<unknown>> = {};
  for (const key of keys) outputs[key] = pulumi.output(settled.then((d) => d?.[key]));
  return outputs as unknown as T;
}
