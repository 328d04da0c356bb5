// The one place that turns errors into HTTP responses: `{ error: { code, message, details? } }`.
import { AppError, describeError } from "../kernel/errors";

export function errorResponse(error: unknown): Response {
  if (error instanceof AppError) {
    const body = { error: { code: error.code, message: error.message, details: error.details } };
    return Response.json(body, { status: error.status, headers: retryAfterHeader(error) });
  }
  console.error("Unhandled error in a route handler:", error);
  return Response.json(
    { error: { code: "internal_error", message: `An internal error occurred: ${describeError(error)}` } },
    { status: 500 },
  );
}

type Handler<C> = (request: Request, context: C) => Promise<Response>;

/** Wraps a route handler so that anything it throws becomes the standard error body. */
export function withErrors<C>(handler: Handler<C>): Handler<C> {
  return async (request, context) => {
    try {
      return await handler(request, context);
    } catch (error) {
      return errorResponse(error);
    }
  };
}

/** 429 and 503 answers say when to come back (load shedding, open circuit breakers). */
function retryAfterHeader(error: AppError): Record<string, string> {
  const seconds = (error.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
  return typeof seconds === "number" ? { "retry-after": String(seconds) } : {};
}

/**
 * The request body as JSON, or 400 `invalid_json`. An empty body is `emptyAs` when given (for
 * routes whose body is optional), else also invalid.
 */
export async function readJsonBody(request: Request, options: { emptyAs?: unknown } = {}): Promise<unknown> {
  return parseJsonText(await request.text(), options);
}

export function parseJsonText(text: string, options: { emptyAs?: unknown } = {}): unknown {
  if (!text.trim() && "emptyAs" in options) return options.emptyAs;
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError("invalid_json", "The body is not valid JSON.", 400);
  }
}
