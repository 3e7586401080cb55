/**
 * The official management-API schemas of ../shared/reference (okta-management-api, auth0-management-api,
 * microsoft-graph-v1; see IDP-API-SCHEMAS.md), read in place, never copied: which operation a request is, whether
 * its query parameters are ones the operation declares (with values of the declared types), and whether an answer
 * (status and body) is one the operation documents. The simulators check every request and answer with it.
 *
 * The file absent (../shared/reference not checked out): {@link loadApiSchemas} returns undefined and the
 * simulators check nothing, except under `CI=true`, where that is an error: CI never passes without the schemas.
 */
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import Ajv, { type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";

/**
 * The reference folder, beside the worktree; CODER_OIDC_REFERENCE_DIR names it when the tests run from a copy of the
 * worktree (Stryker's sandbox, stryker.config.mjs), which has nothing beside it.
 */
export const REFERENCE_DIR = process.env.CODER_OIDC_REFERENCE_DIR || resolve(__dirname, "../../../shared/reference");

/** One operation of a schema file's `paths`. */
interface Operation {
  readonly method: string;
  readonly path: string;
  readonly parameters?: readonly { name: string; in: string; schema?: unknown }[];
  readonly successResponses?: Record<string, { content?: Record<string, { schema?: unknown }> }>;
  readonly errorResponses?: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}

/**
 * OpenAPI 3.0's `nullable: true` as JSON Schema, which Ajv needs (it refuses `nullable` without `type`): a type list
 * with "null", or `anyOf` [the schema, {type: null}]. Property names are left alone; only schemas change.
 */
function jsonSchemaOf(node: unknown, isPropertyMap = false): unknown {
  if (Array.isArray(node)) return node.map((n) => jsonSchemaOf(n));
  if (typeof node !== "object" || node === null) return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    out[key] = isPropertyMap ? jsonSchemaOf(value) : jsonSchemaOf(value, key === "properties" || key === "patternProperties" || key === "$defs");
  }
  if (isPropertyMap || !("nullable" in out)) return out;
  const nullable = out.nullable === true;
  delete out.nullable;
  if (!nullable) return out;
  if (typeof out.type === "string") {
    out.type = [out.type, "null"];
    if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...(out.enum as unknown[]), null];
    return out;
  }
  return { anyOf: [out, { type: "null" }] };
}

/** What a request turned out to be. */
export interface MatchedOperation {
  /** `METHOD path`, as the schema file's `paths` key. */
  readonly key: string;
  /** The path parameters, decoded. */
  readonly params: Readonly<Record<string, string>>;
}

/** The checks a simulator runs on its traffic. */
export interface ApiSchemas {
  /** The file they come from. */
  readonly file: string;
  /** The documented operation a method and path (below the API's base) is, or undefined. */
  operation(method: string, path: string): MatchedOperation | undefined;
  /** Problems with a request's query parameters: undeclared names, values of the wrong type. */
  checkQuery(key: string, query: URLSearchParams): string[];
  /** Problems with an answer: an undocumented status, or a body that does not match the documented schema. */
  checkResponse(key: string, status: number, body: unknown): string[];
}

/**
 * Loads `<REFERENCE_DIR>/<name>.schemas.json`. `errorSchemas` gives a body schema (a component name) for error
 * statuses the spec documents without one (Auth0). `extraQuery` names query parameters the API really uses that the
 * converted spec does not list (Graph's `$skiptoken` in `@odata.nextLink`).
 */
export function loadApiSchemas(name: string, options: {
  errorSchemas?: Record<string, string>;
  extraQuery?: readonly string[];
  /** Error statuses every operation really answers that the spec leaves out (Okta's 401), with their body schema. */
  commonErrors?: Record<string, string>;
} = {}): ApiSchemas | undefined {
  const file = resolve(REFERENCE_DIR, `${name}.schemas.json`);
  if (!existsSync(file)) {
    if (process.env.CI === "true") throw new Error(`${file} is absent: CI must validate the simulators' traffic against the official schemas`);
    return undefined;
  }
  const { paths, ...raw } = JSON.parse(readFileSync(file, "utf8")) as { paths: Record<string, Operation> } & Record<string, unknown>;
  const schemas = jsonSchemaOf(raw) as Record<string, unknown>;
  const ops: Record<string, Record<string, unknown>> = {};
  const params: Record<string, Record<string, unknown>> = {};
  const keys = Object.keys(paths);
  keys.forEach((key, i) => {
    const op = paths[key];
    ops[i] = {};
    for (const [status, answer] of Object.entries({ ...op.successResponses, ...op.errorResponses })) {
      const schema = answer.content?.["application/json"]?.schema;
      if (schema) ops[i][status] = jsonSchemaOf(schema);
      else if (options.errorSchemas?.[status]) ops[i][status] = { $ref: `#/components/schemas/${options.errorSchemas[status]}` };
    }
    for (const [status, component] of Object.entries(options.commonErrors ?? {})) {
      ops[i][status] ??= { $ref: `#/components/schemas/${component}` };
    }
    params[i] = Object.fromEntries((op.parameters ?? []).filter((p) => p.in === "query" && p.schema).map((p) => [p.name, p.schema]));
  });
  const ajv = new Ajv({ allErrors: true, strict: false, logger: false });
  addFormats(ajv);
  ajv.addSchema({ $id: "api", components: { schemas }, ops, params });
  const compiled = new Map<string, ValidateFunction | undefined>();
  const validator = (pointer: string) => {
    if (!compiled.has(pointer)) compiled.set(pointer, ajv.getSchema(`api#${pointer}`));
    return compiled.get(pointer);
  };
  const matchers = keys.map((key) => {
    const op = paths[key];
    const names: string[] = [];
    const pattern = op.path.split(/(\{[^}]+\})/).map((part) => {
      if (/^\{[^}]+\}$/.test(part)) {
        names.push(part.slice(1, -1));
        return "([^/]+?)";
      }
      return part.replace(/[.*+?^$()|[\]\\]/g, "\\$&");
    }).join("");
    return { key, method: op.method.toUpperCase(), regex: new RegExp(`^${pattern}$`), names };
  });
  const indexOf = (key: string) => keys.indexOf(key);
  return {
    file,
    operation(method, path) {
      const candidates = matchers.filter((m) => m.method === method.toUpperCase()).map((m) => ({ m, hit: m.regex.exec(path) })).filter((c) => c.hit);
      // A literal path beats a template: prefer the match with the fewest parameters.
      candidates.sort((a, b) => a.m.names.length - b.m.names.length);
      const best = candidates[0];
      if (!best) return undefined;
      return { key: best.m.key, params: Object.fromEntries(best.m.names.map((n, i) => [n, decodeURIComponent(best.hit![i + 1])])) };
    },
    checkQuery(key, query) {
      const i = indexOf(key);
      const declared = params[i] ?? {};
      const problems: string[] = [];
      for (const [name, raw] of query) {
        if (!(name in declared)) {
          if (!options.extraQuery?.includes(name)) problems.push(`${key}: query parameter ${name} is not declared`);
          continue;
        }
        const schema = declared[name] as { type?: string | string[] };
        const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== "null") : schema.type;
        const value = type === "integer" || type === "number" ? Number(raw) : type === "boolean" ? (raw === "true" ? true : raw === "false" ? false : raw) : raw;
        const validate = validator(`/params/${i}/${name.replace(/~/g, "~0").replace(/\//g, "~1")}`);
        if (validate && !validate(value)) problems.push(`${key}: query parameter ${name}=${raw}: ${ajv.errorsText(validate.errors)}`);
      }
      return problems;
    },
    checkResponse(key, status, body) {
      const i = indexOf(key);
      const documented = [...new Set([...Object.keys({ ...paths[key].successResponses, ...paths[key].errorResponses }), ...Object.keys(options.commonErrors ?? {})])];
      const code = String(status);
      const slot = documented.includes(code) ? code : documented.find((d) => d === `${code[0]}XX`);
      if (!slot) return [`${key}: status ${status} is not documented (${documented.join(", ")})`];
      const validate = validator(`/ops/${i}/${slot}`);
      if (!validate) return [];
      if (!validate(body)) return [`${key}: the ${status} body does not match the schema: ${ajv.errorsText(validate.errors)}`];
      // Ajv does not follow an OpenAPI discriminator without oneOf (Okta's Application): check each object against its mapped type too.
      const name = (ops[i][slot] as { $ref?: string; items?: { $ref?: string } } | undefined);
      const ref = name?.$ref ?? name?.items?.$ref;
      const component = ref?.replace("#/components/schemas/", "");
      const discriminator = component ? (schemas[component] as { discriminator?: { propertyName: string; mapping?: Record<string, string> } }).discriminator : undefined;
      if (!discriminator?.mapping) return [];
      const problems: string[] = [];
      for (const item of Array.isArray(body) ? body : [body]) {
        const target = discriminator.mapping[String((item as Record<string, unknown>)?.[discriminator.propertyName])];
        const mapped = target ? validator(`/components/schemas/${target.replace("#/components/schemas/", "")}`) : undefined;
        if (mapped && !mapped(item)) problems.push(`${key}: a ${target} in the ${status} body does not match: ${ajv.errorsText(mapped.errors)}`);
      }
      return problems;
    },
  };
}
