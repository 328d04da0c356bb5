// The one route contract. A route handler is `route(spec, handler)`: the wrapper checks the
// caller (spec.role), parses the params, the query and the body with the schemas given (bad
// input is one 400 shape, lib/http.ts's invalidRequest), calls the handler with typed values
// and the caller's name, and turns whatever it throws into the standard error body.
//
//   export const POST = route({ role: "operator", params: IdParams, body: StartRun },
//     async ({ params, body, actor }) => Response.json(await startRun(params.id, body, actor), { status: 201 }));
import { z } from "zod";
import { type Principal, type Role, requireInferenceAccess, requireRole } from "../auth/access";
import { errorResponse, parseInput, parseJsonText, readBodyText } from "../http";

/**
 * Who may call: a role (401 for nobody, 403 below it), "inference" (open unless
 * FAULTLINE_INFERENCE_AUTH=token), or a check of its own that runs before anything is parsed
 * (and may answer the caller, or undefined for nobody).
 */
export type Access = Role | "inference" | ((request: Request) => Promise<Principal | undefined>);

/**
 * How the body is read: a zod schema for a JSON body; a function for a JSON body whose parser
 * throws its own AppErrors (fault requests); or `{ text }` for a body that is not JSON (YAML
 * specs), given its text and content type.
 */
export type BodySpec =
  | z.ZodType
  | ((json: unknown) => unknown)
  | { text: (text: string, contentType: string | null) => unknown };

export interface RouteSpec {
  role?: Access;
  params?: z.ZodType;
  /** Parsed from the search params (the first value of each name). */
  query?: z.ZodType;
  body?: BodySpec;
  /** The 400 code for a body its schema refuses; default `invalid_request`. */
  bodyCode?: string;
  /** An empty body parses as this (routes whose body is optional); else it is invalid JSON. */
  emptyBodyAs?: unknown;
  /** Default 1 MiB. */
  maxBodyBytes?: number;
}

type Parsed<S> = S extends z.ZodType ? z.output<S> : undefined;
type BodyOf<B> = B extends z.ZodType
  ? z.output<B>
  : B extends (json: unknown) => infer T
    ? Awaited<T>
    : B extends { text: (text: string, contentType: string | null) => infer T }
      ? Awaited<T>
      : undefined;
/** A fixed role always has a caller; "inference" and custom checks may have nobody. */
type CallerOf<A> = [A] extends [Role]
  ? { principal: Principal; actor: string }
  : { principal: Principal | undefined; actor: string | undefined };

export type RouteInput<S extends RouteSpec> = {
  params: Parsed<S["params"]>;
  query: Parsed<S["query"]>;
  body: BodyOf<S["body"]>;
  request: Request;
} & CallerOf<S["role"]>;

/** What Next.js passes a route handler: the dynamic segments, as a promise. */
export interface RouteContext {
  params?: Promise<unknown>;
}

/**
 * The handler returns a Response, or a value sent as JSON with status 200.
 */
export function route<const S extends RouteSpec>(
  spec: S,
  handler: (input: RouteInput<S>) => Promise<unknown>,
): (request: Request, context?: RouteContext) => Promise<Response> {
  return async (request, context) => {
    try {
      const principal = await authorise(request, spec.role);
      const params = spec.params ? parseInput(spec.params, (await context?.params) ?? {}) : undefined;
      const query = spec.query ? parseInput(spec.query, queryObject(request)) : undefined;
      const body = spec.body === undefined ? undefined : await readBody(request, spec);
      const input = { params, query, body, request, principal, actor: principal?.actor };
      const result = await handler(input as RouteInput<S>);
      return result instanceof Response ? result : Response.json(result);
    } catch (error) {
      return errorResponse(error);
    }
  };
}

async function authorise(request: Request, access: Access | undefined): Promise<Principal | undefined> {
  if (access === undefined) return undefined;
  if (access === "inference") return requireInferenceAccess(request);
  if (typeof access === "function") return access(request);
  return requireRole(request, access);
}

/** The first value of each name, as URLSearchParams.get gives it; no prototype (`?__proto__=`). */
function queryObject(request: Request): Record<string, string> {
  const query: Record<string, string> = Object.create(null);
  for (const [name, value] of new URL(request.url).searchParams) {
    if (!Object.hasOwn(query, name)) query[name] = value;
  }
  return query;
}

async function readBody(request: Request, spec: RouteSpec): Promise<unknown> {
  const reader = spec.body;
  const maxBytes = spec.maxBodyBytes;
  if (reader !== undefined && typeof reader !== "function" && !(reader instanceof z.ZodType)) {
    const text = await readBodyText(request, { maxBytes, fatal: true });
    return reader.text(text, request.headers.get("content-type"));
  }
  const text = await readBodyText(request, { maxBytes });
  const json = parseJsonText(text, "emptyBodyAs" in spec ? { emptyAs: spec.emptyBodyAs } : {});
  if (typeof reader === "function") return reader(json);
  return parseInput(reader as z.ZodType, json, spec.bodyCode);
}
