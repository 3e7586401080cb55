/**
 * How Coder reads its OIDC settings (its settings parser, github.com/coder/serpent): `CODER_OIDC_SCOPES` is a
 * string array, one CSV record (quotes allowed; an empty string means no scopes); `CODER_OIDC_AUTH_URL_PARAMS`
 * is a map of strings read as YAML, so JSON works. The policy pack, `verify` and the e2e read them this way.
 */
import { parse as parseCsv } from "csv-parse/sync";
import { parse as parseYaml } from "yaml";

/** `CODER_OIDC_SCOPES` as Coder reads it; throws when it is not one CSV record. */
export function parseCoderScopes(value: string): string[] {
  if (value === "") return [];
  const records = parseCsv(value, { relax_column_count: true }) as string[][];
  if (records.length !== 1) throw new Error(`CODER_OIDC_SCOPES is not one CSV record: ${JSON.stringify(value)}`);
  return records[0];
}

/** `CODER_OIDC_AUTH_URL_PARAMS` as Coder reads it; undefined when it is not a map. */
export function parseCoderAuthUrlParams(value: string): Record<string, string> | undefined {
  try {
    const parsed = parseYaml(value) as unknown;
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return undefined;
    return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)]));
  } catch {
    return undefined;
  }
}
