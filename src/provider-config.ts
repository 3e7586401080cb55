/**
 * Explicit Pulumi providers configured from their standard config keys (`keycloak:url`, `azuread:tenantId`,
 * `gcp:project`, …). The engine hands every value over as a string; this turns them into the provider's
 * typed arguments and keeps credentials secret even when a user forgot `--secret`.
 */
import * as pulumi from "@pulumi/pulumi";

/** How to read one provider namespace's keys. */
export interface ProviderKeyKinds {
  /** Keys that hold credentials: always passed as Pulumi secrets. */
  readonly secret?: readonly string[];
  /** Keys that hold `true`/`false`. */
  readonly boolean?: readonly string[];
  /** Keys that hold numbers. */
  readonly number?: readonly string[];
  /** Keys that hold JSON objects or lists. */
  readonly structured?: readonly string[];
}

/** Provider arguments from a namespace's config keys (`url` → `url`), typed by `kinds`. */
export function providerArgsFromConfig(
  values: Readonly<Record<string, string>>,
  kinds: ProviderKeyKinds,
): Record<string, pulumi.Input<unknown>> {
  const args: Record<string, pulumi.Input<unknown>> = {};
  for (const [key, text] of Object.entries(values)) {
    let value: unknown = text;
    if (kinds.boolean?.includes(key)) value = text.trim().toLowerCase() === "true";
    else if (kinds.number?.includes(key)) value = Number(text);
    else if (kinds.structured?.includes(key)) value = JSON.parse(text);
    args[key] = kinds.secret?.includes(key) ? pulumi.secret(value) : value;
  }
  return args;
}
