/**
 * Writes Coder's OIDC settings into a user's own Helm values file. Helm replaces lists when it merges values
 * files, and `coder.env` is a list: `-f values.yaml -f coder-oidc-values.yaml` would drop every other entry
 * (CODER_ACCESS_URL, CODER_PG_CONNECTION_URL, …). So the settings go into the user's file instead: each entry
 * added or replaced in place, every other entry, key and comment kept.
 */
import { type Document, isAlias, isMap, isNode, isScalar, isSeq, type Node, parseDocument, visit, type YAMLMap, YAMLSeq } from "yaml";
import { StackFileError } from "../../src/errors";
import type { HelmEnvEntry } from "./render";
import { shown } from "../../src/safe-text";
import { lineTooDeep, MAX_YAML_NESTING, yamlErrorLines } from "../../engine/yaml-input";

/** The user's values file could not be used (not YAML, or `coder.env` is not a list). */
export class HelmValuesError extends StackFileError {}

/** How the values file is read: merge keys as Helm reads them, aliases bounded (no "billion laughs"). */
const TO_JS = { maxAliasCount: 100 } as const;

/** `node` as a copy that shares nothing with the rest of the document: aliases resolved, no anchors. */
function unshared(doc: Document, node: unknown): Node | undefined {
  const target = isAlias(node) ? node.resolve(doc) : node;
  if (!isNode(target)) return undefined;
  const copy = target.clone() as Node;
  visit(copy, {
    Node(_key, n) {
      if ("anchor" in n) n.anchor = undefined;
      if (isAlias(n)) {
        const resolved = n.resolve(doc);
        return resolved ? unshared(doc, resolved) : undefined;
      }
      return undefined;
    },
  });
  return copy;
}

/**
 * The node at `key` of `map`, made the map's own: an alias (`env: *list`) is replaced by a copy of what it names,
 * so that editing it changes neither the anchor nor another alias of it; a value that only a merge key gives
 * (`<<: *base`) is written out. Undefined when the map has none.
 */
function ownValue(doc: Document, map: YAMLMap, key: string): unknown {
  const value = map.get(key, true);
  if (isAlias(value)) {
    const copy = unshared(doc, value);
    map.set(key, copy);
    return copy;
  }
  if (value !== undefined) return value;
  const merged = (map.toJS(doc, TO_JS) as Record<string, unknown> | null)?.[key];
  if (merged === undefined) return undefined;
  const node = doc.createNode(merged);
  map.set(key, node);
  return node;
}

/** The `name` of a `coder.env` entry as Helm reads it (through aliases and merge keys). */
function entryName(doc: Document, item: unknown): unknown {
  const target = isAlias(item) ? item.resolve(doc) : item;
  if (!isMap(target)) return undefined;
  return (target.toJS(doc, TO_JS) as Record<string, unknown>).name;
}

/** Whether an entry can be edited in place: a map of its own whose name and value keys are written in it. */
function editableInPlace(item: unknown): item is YAMLMap {
  return isMap(item) && !item.anchor && item.items.every((pair) => isScalar(pair.key) && typeof pair.key.value === "string" && pair.key.value !== "<<");
}

/** `values` (the text of a Helm values file) with `env` added to, or replaced in, `coder.env`. */
export function mergeHelmValues(values: string, env: readonly HelmEnvEntry[], file = "the values file"): string {
  const deep = lineTooDeep(values);
  if (deep !== undefined) {
    throw new HelmValuesError(`${shown(file)}:${deep}: nests maps and lists more than ${MAX_YAML_NESTING} levels deep; Helm values need a few`);
  }
  const doc = parseDocument(values, { uniqueKeys: true, merge: true, prettyErrors: false }) as unknown as Document;
  if (doc.errors.length > 0) {
    // Line numbers only, never an excerpt: a values file holds credentials (CODER_PG_CONNECTION_URL, …).
    throw new HelmValuesError(`${shown(file)} is not valid YAML:\n${yamlErrorLines(values, doc.errors)}`);
  }
  if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) doc.contents = doc.createNode({});
  if (!isMap(doc.contents)) throw new HelmValuesError(`${shown(file)}: expected a map of Helm values at the top`);
  const top = doc.contents as YAMLMap;
  let coder: unknown = ownValue(doc, top, "coder");
  if (coder === undefined || (isScalar(coder) && coder.value === null)) {
    coder = doc.createNode({});
    top.set("coder", coder);
  }
  if (!isMap(coder)) throw new HelmValuesError(`${shown(file)}: coder must be a map`);
  let list: unknown = ownValue(doc, coder as YAMLMap, "env");
  if (list === undefined || (isScalar(list) && list.value === null)) {
    list = new YAMLSeq();
    (coder as YAMLMap).set("env", list);
  }
  if (!isSeq(list)) throw new HelmValuesError(`${shown(file)}: coder.env must be a list of {name, value} entries`);
  const seq = list as YAMLSeq;
  for (const entry of env) {
    const indexes = seq.items.flatMap((item, i) => (entryName(doc, item) === entry.name ? [i] : []));
    const node = doc.createNode(entry);
    if (indexes.length === 0) {
      seq.items.push(node);
      continue;
    }
    const [first, ...later] = indexes;
    const existing = seq.items[first];
    if (editableInPlace(existing)) {
      // Keep the entry's node (and its comments); replace what it says.
      existing.delete("value");
      existing.delete("valueFrom");
      for (const pair of (node as YAMLMap).items) {
        // The name stays as it is written, with its comment: it is the same name.
        const key = isScalar(pair.key) ? pair.key.value : pair.key;
        if (key !== "name") existing.set(pair.key, pair.value);
      }
    } else {
      // An alias, an anchor others use, or a merge key: the entry is written out anew (its comments kept), so
      // that no value comes from elsewhere and nothing elsewhere changes.
      const old = existing as { commentBefore?: string | null; comment?: string | null };
      Object.assign(node, { commentBefore: old.commentBefore, comment: old.comment });
      seq.items[first] = node;
    }
    // A name given twice would leave Kubernetes to pick one: keep only the one written here.
    for (const i of later.reverse()) seq.items.splice(i, 1);
  }
  return doc.toString();
}
