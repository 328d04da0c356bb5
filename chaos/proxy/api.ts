// The Toxiproxy HTTP API on node:http: routes, methods, status codes, bodies and headers as
// Toxiproxy 2.12 serves them (shared/specs/toxiproxy.md §1), over a ProxyRegistry.
import type { IncomingMessage, ServerResponse } from "node:http";
import { ToxiproxyApiError } from "./errors";
import { encodeJson } from "./go-json";
import type { ProxyMetrics } from "./metrics";
import type { TcpProxy } from "./proxy";
import type { ProxyRegistry } from "./registry";
import { TOXICS } from "./toxics/index";
import type { ToxicSpec } from "./types";
import { readPopulate, readProxyCreate } from "./validate";

/** The release this server mirrors; "+faultline" (semver build metadata) tells it apart from the real one. */
export const TOXIPROXY_VERSION = "2.12.0+faultline";

// Bodies are a few hundred bytes; a cap keeps a runaway client from filling memory.
const MAX_BODY_BYTES = 1024 * 1024;

export interface ApiOptions {
  /** Serve GET /metrics (the real server does only with -proxy-metrics). */
  metrics?: ProxyMetrics;
}

interface Reply {
  status: number;
  body?: string;
  contentType?: string;
  /** Error replies: Go's http.Error sets text/plain and nosniff. */
  plainError?: boolean;
}

interface Request {
  params: string[];
  body(): Promise<string>;
}

type Handler = (request: Request) => Promise<Reply> | Reply;

const json = (status: number, text: string): Reply => ({
  status,
  body: text,
  contentType: "application/json",
});
const noContent = (): Reply => ({ status: 204 });

export function toxicJson(spec: ToxicSpec): Record<string, unknown> {
  const attributes = Object.fromEntries(
    TOXICS[spec.type].fields.map((field) => [field, spec.attributes[field] ?? 0]),
  );
  return { attributes, name: spec.name, type: spec.type, stream: spec.stream, toxicity: spec.toxicity };
}

/** The Proxy object; `Logger`, a Go serialisation accident, is left out (§1.2 allows it). */
export function proxyJson(proxy: TcpProxy): Record<string, unknown> {
  return {
    name: proxy.name,
    listen: proxy.listen,
    upstream: proxy.upstream,
    enabled: proxy.enabled,
    toxics: proxy.toxics.list().map(toxicJson),
  };
}

interface Route {
  method: string;
  /** Path segments; `{name}` matches one non-empty segment. */
  pattern: string[];
  handle: Handler;
}

const ANY_METHOD = "*";

function route(method: string, path: string, handle: Handler): Route {
  return { method, pattern: path.split("/").slice(1), handle };
}

function routes(registry: ProxyRegistry, options: ApiOptions): Route[] {
  const locked = <T>(operation: () => Promise<T> | T) => registry.exclusive(operation);
  const proxyReply = (status: number) => (proxy: TcpProxy) => json(status, encodeJson(proxyJson(proxy)));
  const toxicReply = (spec: ToxicSpec) => json(200, encodeJson(toxicJson(spec)));
  const proxyName = (request: Request) => request.params[0] as string;
  const toxicName = (request: Request) => request.params[1] as string;

  const listProxies: Handler = () =>
    locked(() => {
      // Built by hand: a JS object would reorder names that look like integers.
      const entries = registry
        .list()
        .map((proxy) => `${encodeJson(proxy.name)}:${encodeJson(proxyJson(proxy))}`);
      return json(200, `{${entries.join(",")}}`);
    });
  const createProxy: Handler = async (request) => {
    const input = readProxyCreate(await request.body());
    return locked(() => registry.create(input)).then(proxyReply(201));
  };
  const updateProxy: Handler = async (request) => {
    const body = await request.body();
    return locked(() => registry.update(proxyName(request), body)).then(proxyReply(200));
  };
  const listToxics: Handler = (request) =>
    locked(() => json(200, encodeJson(registry.get(proxyName(request)).toxics.list().map(toxicJson))));
  const createToxic: Handler = async (request) => {
    const body = await request.body();
    return locked(() => registry.addToxic(proxyName(request), body)).then(toxicReply);
  };
  const updateToxic: Handler = async (request) => {
    const body = await request.body();
    return locked(() => registry.updateToxic(proxyName(request), toxicName(request), body)).then(toxicReply);
  };
  const version: Handler = () => ({
    status: 200,
    body: `{"version": "${TOXIPROXY_VERSION}"}\n`,
    contentType: "application/json;charset=utf-8",
  });

  const table = [
    route("POST", "/reset", () => locked(() => registry.reset()).then(noContent)),
    route("GET", "/proxies", listProxies),
    route("POST", "/proxies", createProxy),
    route("POST", "/populate", async (request) => populate(registry, await request.body())),
    route("GET", "/proxies/{proxy}", (request) =>
      locked(() => registry.get(proxyName(request))).then(proxyReply(200)),
    ),
    route("POST", "/proxies/{proxy}", updateProxy),
    route("PATCH", "/proxies/{proxy}", updateProxy),
    route("DELETE", "/proxies/{proxy}", (request) =>
      locked(() => registry.remove(proxyName(request))).then(noContent),
    ),
    route("GET", "/proxies/{proxy}/toxics", listToxics),
    route("POST", "/proxies/{proxy}/toxics", createToxic),
    route("GET", "/proxies/{proxy}/toxics/{toxic}", (request) =>
      locked(() => registry.getToxic(proxyName(request), toxicName(request))).then(toxicReply),
    ),
    route("POST", "/proxies/{proxy}/toxics/{toxic}", updateToxic),
    route("PATCH", "/proxies/{proxy}/toxics/{toxic}", updateToxic),
    route("DELETE", "/proxies/{proxy}/toxics/{toxic}", (request) =>
      locked(() => registry.removeToxic(proxyName(request), toxicName(request))).then(noContent),
    ),
    route("GET", "/version", version),
  ];
  const metrics = options.metrics;
  if (metrics !== undefined) {
    table.push(
      route(ANY_METHOD, "/metrics", () => ({
        status: 200,
        body: metrics.render(),
        contentType: "text/plain; version=0.0.4; charset=utf-8",
      })),
    );
  }
  return table;
}

/** POST /populate answers in JSON even on errors, with the proxies already processed (or null). */
async function populate(registry: ProxyRegistry, body: string): Promise<Reply> {
  const listOrNull = (proxies: TcpProxy[]) => (proxies.length === 0 ? null : proxies.map(proxyJson));
  let entries: ReturnType<typeof readPopulate>;
  try {
    entries = readPopulate(body);
  } catch (error) {
    if (!(error instanceof ToxiproxyApiError)) throw error;
    return json(error.status, encodeJson({ error: error.message, status: error.status, proxies: null }));
  }
  const result = await registry.exclusive(() => registry.populate(entries));
  if (result.error !== undefined) {
    const { message, status } = result.error;
    return json(status, encodeJson({ error: message, status, proxies: listOrNull(result.proxies) }));
  }
  // Divergence: the real server sends `null` for an empty list, which crashes toxiproxy-node-client.
  return json(201, encodeJson({ proxies: result.proxies.map(proxyJson) }));
}

/** The node:http request handler. */
export function createApiHandler(
  registry: ProxyRegistry,
  options: ApiOptions = {},
): (request: IncomingMessage, response: ServerResponse) => void {
  const table = routes(registry, options);
  let served = 0;
  return (request, response) => {
    handle(request, response).catch((error: unknown) => {
      const failure =
        error instanceof ToxiproxyApiError
          ? error
          : new ToxiproxyApiError(error instanceof Error ? error.message : String(error), 500);
      send(response, errorReply(failure));
    });
  };

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const match = matchRoute(table, request.url ?? "/", request.method ?? "GET");
    if (match === undefined) {
      request.resume();
      return send(response, {
        status: 404,
        body: "404 page not found\n",
        contentType: "text/plain; charset=utf-8",
        plainError: true,
      });
    }
    if (match.route === undefined) {
      request.resume();
      return send(response, { status: 405 });
    }
    served += 1;
    response.setHeader("X-Toxiproxy-Request-Id", `fl${process.pid.toString(36)}${served.toString(36)}`);
    if ((request.headers["user-agent"] ?? "").startsWith("Mozilla/")) {
      request.resume();
      return send(response, {
        status: 403,
        body: "User agent not allowed\n",
        contentType: "text/plain; charset=utf-8",
        plainError: true,
      });
    }
    try {
      send(response, await match.route.handle({ params: match.params, body: () => readBody(request) }));
    } catch (error) {
      if (!(error instanceof ToxiproxyApiError)) throw error;
      send(response, errorReply(error));
    }
  }
}

function errorReply(error: ToxiproxyApiError): Reply {
  return {
    status: error.status,
    body: `${encodeJson({ error: error.message, status: error.status })}\n`,
    contentType: "text/plain; charset=utf-8",
    plainError: true,
  };
}

/**
 * The route for this path and method: undefined when no route has this path (404), a match
 * without a route when only the method is wrong (405).
 */
function matchRoute(
  table: readonly Route[],
  rawUrl: string,
  method: string,
): { route: Route | undefined; params: string[] } | undefined {
  let path: string;
  try {
    // Like gorilla/mux on URL.Path: decoded first, so a name containing %2F can never match.
    path = decodeURIComponent(rawUrl.split("?")[0] ?? "/");
  } catch {
    return undefined;
  }
  const segments = path.split("/").slice(1);
  let pathMatched: string[] | undefined;
  for (const candidate of table) {
    const params = matchPattern(candidate.pattern, segments);
    if (params === undefined) continue;
    if (candidate.method === method || candidate.method === ANY_METHOD) return { route: candidate, params };
    pathMatched ??= params;
  }
  return pathMatched === undefined ? undefined : { route: undefined, params: pathMatched };
}

function matchPattern(pattern: readonly string[], segments: readonly string[]): string[] | undefined {
  if (pattern.length !== segments.length) return undefined;
  const params: string[] = [];
  for (const [index, part] of pattern.entries()) {
    const segment = segments[index] as string;
    if (part.startsWith("{")) {
      if (segment === "") return undefined;
      params.push(segment);
    } else if (part !== segment) return undefined;
  }
  return params;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new ToxiproxyApiError("bad request body: http: request body too large", 400));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on("end", () => resolve(new TextDecoder().decode(Buffer.concat(chunks))));
    request.on("error", reject);
  });
}

function send(response: ServerResponse, reply: Reply): void {
  if (response.headersSent) return;
  if (reply.contentType !== undefined) response.setHeader("Content-Type", reply.contentType);
  if (reply.plainError) response.setHeader("X-Content-Type-Options", "nosniff");
  response.statusCode = reply.status;
  response.end(reply.body);
}
