/**
 * Writes Coder's OIDC settings into a user's own Helm values file. Helm replaces lists when it merges values
 * files, and `coder.env` is a list: `-f values.yaml -f coder-oidc-values.yaml` would drop every other entry
 * (CODER_ACCESS_URL, CODER_PG_CONNECTION_URL, …). So the settings go into the user's file instead: each entry
 * added or replaced in place, every other entry, key and comment kept.
 */
import { type Document, isMap, isScalar, isSeq, parseDocument, type YAMLMap, YAMLSeq } from "yaml";
import { StackFileError } from "../src/errors";
import type { HelmEnvEntry } from "./env-render";

/** The user's values file could not be used (not YAML, or `coder.env` is not a list). */
export class HelmValuesError extends StackFileError {}

/** `values` (the text of a Helm values file) with `env` added to, or replaced in, `coder.env`. */
export function mergeHelmValues(values: string, env: readonly HelmEnvEntry[], file = "the values file"): string {
  const doc = parseDocument(values, { uniqueKeys: true }) as unknown as Document;
  if (doc.errors.length > 0) {
    throw new HelmValuesError(`${file} is not valid YAML:\n${doc.errors.map((e) => `  ${e.message}`).join("\n")}`);
  }
  if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) doc.contents = doc.createNode({});
  if (!isMap(doc.contents)) throw new HelmValuesError(`${file}: expected a map of Helm values at the top`);
  const top = doc.contents as YAMLMap;
  let coder: unknown = top.get("coder", true);
  if (coder === undefined || (isScalar(coder) && coder.value === null)) {
    coder = doc.createNode({});
    top.set("coder", coder);
  }
  if (!isMap(coder)) throw new HelmValuesError(`${file}: coder must be a map`);
  let list: unknown = (coder as YAMLMap).get("env", true);
  if (list === undefined || (isScalar(list) && list.value === null)) {
    list = new YAMLSeq();
    (coder as YAMLMap).set("env", list);
  }
  if (!isSeq(list)) throw new HelmValuesError(`${file}: coder.env must be a list of {name, value} entries`);
  const seq = list as YAMLSeq;
  for (const entry of env) {
    const nameOf = (item: unknown) => (isMap(item) ? item.get("name") : undefined);
    const indexes = seq.items.flatMap((item, i) => (nameOf(item) === entry.name ? [i] : []));
    const node = doc.createNode(entry);
    if (indexes.length === 0) {
      seq.items.push(node);
      continue;
    }
    const [first, ...later] = indexes;
    const existing = seq.items[first];
    if (isMap(existing)) {
      // Keep the entry's node (and its comments); replace what it says.
      existing.delete("value");
      existing.delete("valueFrom");
      for (const pair of (node as YAMLMap).items) {
        // The name stays as it is written, with its comment: it is the same name.
        const key = isScalar(pair.key) ? pair.key.value : pair.key;
        if (key !== "name") existing.set(pair.key, pair.value);
      }
    }
    // A name given twice would leave Kubernetes to pick one: keep only the one written here.
    for (const i of later.reverse()) seq.items.splice(i, 1);
  }
  return doc.toString();
}
