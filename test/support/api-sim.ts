/**
 * What the management-API simulators (graph-sim, okta-sim, auth0-sim) share: an HTTP server on 127.0.0.1 (port 0)
 * that logs every request, checks it against the official schemas (the documented operation, its declared query
 * parameters) and checks every answer it gives (documented status, body matching the schema), collecting what
 * does not match in `problems`, which the tests assert empty. Requests the schema files do not cover (token
 * endpoints) are named by the simulator as such and only logged.
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import type { ApiSchemas } from "./api-schema";

/** A request as a simulator's handler sees it. */
export interface SimRequest {
  /** Upper-case method. */
  readonly method: string;
  /** The path below the simulator's base, not decoded, without the query. */
  readonly path: string;
  /** The query. */
  readonly query: URLSearchParams;
  /** Lower-case header names. */
  readonly headers: http.IncomingHttpHeaders;
  /** The body as text. */
  readonly text: string;
  /** The documented operation it is (`METHOD path`), when the schemas know it. */
  readonly operation?: string;
  /** Its path parameters. */
  readonly params: Readonly<Record<string, string>>;
}

/** A simulator's answer. */
export interface SimAnswer {
  /** HTTP status. */
  readonly status: number;
  /** JSON body, if any. */
  readonly body?: unknown;
  /** Extra headers (`Link`, `Retry-After`, …). */
  readonly headers?: Readonly<Record<string, string>>;
}

/** One logged exchange. */
export interface SimExchange {
  /** The request. */
  readonly request: SimRequest;
  /** The answer. */
  readonly answer: SimAnswer;
}

/** A running simulator's common part. */
export interface ApiSim {
  /** The API's base URL, e.g. `http://127.0.0.1:<port>/v1.0`. */
  readonly url: string;
  /** The server's origin, `http://127.0.0.1:<port>`. */
  readonly origin: string;
  /** Every exchange, in order. */
  readonly exchanges: SimExchange[];
  /** Every schema mismatch seen, request or answer; tests assert it stays empty. */
  readonly problems: string[];
  /** Whether the official schemas are checked (false when ../shared/reference is absent, outside CI). */
  readonly schemasChecked: boolean;
  /** Answers the next matching requests with an error. */
  inject(fault: SimFault): void;
  /** Stops the server. */
  close(): Promise<void>;
}

/** How a simulator is built. */
export interface ApiSimSpec {
  /** The API's base path, e.g. `/v1.0`, or `""`. */
  readonly basePath: string;
  /** The schemas to check against. */
  readonly schemas: ApiSchemas | undefined;
  /** Paths (below the origin) the schema files do not cover that the simulator serves anyway, e.g. a token endpoint. */
  readonly outside?: (method: string, path: string) => boolean;
  /** Answers one request. */
  readonly handle: (request: SimRequest) => SimAnswer | Promise<SimAnswer>;
  /** The API's real error answer for a status (its error body, headers such as `Retry-After`). */
  readonly error: (status: number, request: SimRequest) => SimAnswer;
}

/** A fault a test injects: the next matching requests answer with the API's error for `status`. */
export interface SimFault {
  /** The status to answer. */
  readonly status: number;
  /** Only requests whose path (below the base) starts with this, or matches it. Default any. */
  readonly path?: string | RegExp;
  /** How many requests. Default 1. */
  times?: number;
}

/** Starts the server; the handler sees paths below `basePath`. */
export async function startApiSim(spec: ApiSimSpec): Promise<ApiSim> {
  const exchanges: SimExchange[] = [];
  const problems: string[] = [];
  const faults: SimFault[] = [];
  const faultFor = (path: string) => {
    const i = faults.findIndex((f) => f.path === undefined || (typeof f.path === "string" ? path.startsWith(f.path) : f.path.test(path)));
    if (i < 0) return undefined;
    const fault = faults[i];
    fault.times = (fault.times ?? 1) - 1;
    if (fault.times <= 0) faults.splice(i, 1);
    return fault;
  };
  const server = http.createServer((req, res) => {
    let text = "";
    req.on("data", (chunk: Buffer) => (text += chunk.toString()));
    req.on("end", () => {
      void (async () => {
        const url = new URL(req.url ?? "/", "http://127.0.0.1");
        const method = (req.method ?? "GET").toUpperCase();
        const outside = spec.outside?.(method, url.pathname) ?? false;
        const below = url.pathname.startsWith(spec.basePath) ? url.pathname.slice(spec.basePath.length) : undefined;
        const match = below === undefined || outside ? undefined : spec.schemas?.operation(method, below);
        const request: SimRequest = {
          method, path: outside ? url.pathname : below ?? url.pathname, query: url.searchParams, headers: req.headers, text,
          operation: match?.key, params: match?.params ?? {},
        };
        let answer: SimAnswer;
        if (!outside && spec.schemas && !match) {
          problems.push(`${method} ${url.pathname}: no documented operation`);
          answer = spec.error(404, request);
        } else {
          if (match) problems.push(...spec.schemas!.checkQuery(match.key, url.searchParams));
          const fault = faultFor(request.path);
          try {
            answer = fault ? spec.error(fault.status, request) : await spec.handle(request);
          } catch (err) {
            problems.push(`${method} ${url.pathname}: the simulator failed: ${(err as Error).message}`);
            answer = { status: 500 };
          }
          if (match && spec.schemas) problems.push(...spec.schemas.checkResponse(match.key, answer.status, answer.body));
        }
        exchanges.push({ request, answer });
        const headers: Record<string, string> = { ...answer.headers };
        if (answer.body !== undefined) headers["content-type"] = "application/json";
        res.writeHead(answer.status, headers).end(answer.body === undefined ? undefined : JSON.stringify(answer.body));
      })();
    });
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${origin}${spec.basePath}`,
    origin,
    exchanges,
    problems,
    schemasChecked: spec.schemas !== undefined,
    inject: (fault) => void faults.push({ ...fault }),
    close: () => new Promise<void>((done) => {
      server.closeAllConnections();
      server.close(() => done());
    }),
  };
}

/** Pages `items` by an offset and a size: the page's items and the next offset, when there is more. */
export function page<T>(items: readonly T[], offset: number, size: number): { items: T[]; next?: number } {
  const slice = items.slice(offset, offset + size);
  return { items: slice, next: offset + size < items.length ? offset + size : undefined };
}
