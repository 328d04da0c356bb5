// The one place that turns errors into HTTP responses: `{ error: { code, message, details? } }`,
// and the one mapping of zod issues to a 400 (`invalid_request`, or a route's specific code):
// `{ code, message: "<path>: <issue>", details: { issues: [{ path, message }] } }`.
// Routes use the wrapper in lib/http/route.ts, which reads bodies with the helpers below.
import type { z } from "zod";
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

/** 429 and 503 answers say when to come back (load shedding, open circuit breakers). */
function retryAfterHeader(error: AppError): Record<string, string> {
  const seconds = (error.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
  return typeof seconds === "number" ? { "retry-after": String(seconds) } : {};
}

export interface InputIssue {
  /** The field, dotted (`load.seed`, `messages.0.content`); "" for the input as a whole. */
  path: string;
  message: string;
}

/**
 * Every issue of a failed parse, one per field: an unknown key is "is not a known field", a
 * missing one (absent from `input`, when given) "is required", anything else zod's (or the
 * schema's own) message.
 */
export function inputIssues(error: z.ZodError, input?: unknown): InputIssue[] {
  return error.issues.flatMap((issue): InputIssue[] => {
    const path = issue.path.map(String).join(".");
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => ({
        path: path ? `${path}.${key}` : key,
        message: "is not a known field",
      }));
    }
    const absent =
      issue.path.length > 0 &&
      (input === undefined ? issue.message.endsWith("received undefined") : absentAt(input, issue.path));
    if (absent && (issue.code === "invalid_type" || issue.code === "invalid_value")) {
      return [{ path, message: "is required" }];
    }
    return [{ path, message: issue.message }];
  });
}

/** True when `path` leads to nothing in `input` (the field was not sent). */
function absentAt(input: unknown, path: readonly PropertyKey[]): boolean {
  let value: unknown = input;
  for (const key of path) {
    if (typeof value !== "object" || value === null || !Object.hasOwn(value, key)) return true;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value === undefined;
}

/** The 400 for bad input: the first issue as the message, every issue in `details.issues`. */
export function invalidRequest(issues: InputIssue[], code = "invalid_request"): AppError {
  const first = issues[0];
  const sentence = first ? `${first.path || "body"}: ${first.message}` : "body: is not valid";
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : "";
  return new AppError(code, `${sentence}${more}`, 400, { issues });
}

/** The parsed value, or the 400 above with `code`. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, code?: string): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw invalidRequest(inputIssues(parsed.error, input), code);
  return parsed.data;
}

/** The largest body a route reads unless it says otherwise. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/**
 * The request body as text, refused (413 `body_too_large`) as soon as it exceeds `maxBytes`,
 * without buffering the rest. `fatal`: invalid UTF-8 is a 400 `invalid_encoding` instead of
 * being replaced (JSON bodies are then refused as invalid JSON anyway).
 */
export async function readBodyText(
  request: Request,
  options: { maxBytes?: number; fatal?: boolean } = {},
): Promise<string> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BODY_BYTES;
  const tooLarge = () =>
    new AppError("body_too_large", `The body is larger than ${formatBytes(maxBytes)}.`, 413, { maxBytes });
  const declared = Number(request.headers.get("content-length") ?? Number.NaN);
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge();
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(value);
  }
  try {
    return new TextDecoder("utf-8", { fatal: options.fatal ?? false }).decode(Buffer.concat(chunks));
  } catch {
    throw new AppError("invalid_encoding", "The body is not valid UTF-8 text.", 400);
  }
}

function formatBytes(bytes: number): string {
  return bytes % 1024 === 0 ? `${bytes / 1024} KiB` : `${bytes} bytes`;
}

/**
 * JSON text → a value, or 400 `invalid_json` (`code` overrides it). An empty body is `emptyAs`
 * when given (for routes whose body is optional), else also invalid.
 */
export function parseJsonText(text: string, options: { emptyAs?: unknown; code?: string } = {}): unknown {
  if (!text.trim() && "emptyAs" in options) return options.emptyAs;
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError(
      options.code ?? "invalid_json",
      text.trim() ? "The body is not valid JSON." : "The body is empty: send a JSON object.",
      400,
    );
  }
}
