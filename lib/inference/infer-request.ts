// Parses an inference request (multipart with an `image` file, or JSON with a base64 / data-URL
// image) into bytes and a prompt, enforcing the body limit while reading, so a huge or endless
// body is refused without being buffered whole.
import { z } from "zod";
import { AppError } from "../../kernel/errors";
import { inputIssues, invalidRequest, parseJsonText } from "../http";
import { parseMultipart } from "./multipart";

export interface InferRequestLimits {
  maxBodyBytes: number;
  maxPromptChars: number;
}

export interface ParsedInferRequest {
  imageBytes: Uint8Array;
  prompt?: string;
}

const JsonInferBody = z.object({
  image: z.string({ message: "must be a base64 string or a data: URL" }).min(1, "must not be empty"),
  prompt: z.string({ message: "must be a string" }).optional(),
});

/** Reads the whole body, refusing it (413) as soon as it exceeds the limit. */
export async function readBodyWithLimit(request: Request, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(request.headers.get("content-length") ?? Number.NaN);
  if (Number.isFinite(declared) && declared > maxBytes) throw bodyTooLarge(maxBytes);
  if (!request.body) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = request.body.getReader();
  while (true) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      throw bodyTooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

function bodyTooLarge(maxBytes: number): AppError {
  return new AppError(
    "body_too_large",
    `The request body is larger than the ${(maxBytes / 1024 / 1024).toFixed(1)} MiB limit.`,
    413,
    { maxBytes },
  );
}

export async function parseInferRequest(
  request: Request,
  limits: InferRequestLimits,
): Promise<ParsedInferRequest> {
  // Compared in lower case, but passed on as sent: the multipart boundary is case-sensitive.
  const rawContentType = request.headers.get("content-type") ?? "";
  const contentType = rawContentType.toLowerCase();
  const body = await readBodyWithLimit(request, limits.maxBodyBytes);
  if (body.length === 0) {
    throw new AppError("empty_body", "The request body is empty: send an image (multipart or JSON).", 400);
  }
  const parsed = contentType.startsWith("multipart/form-data")
    ? parseMultipartBody(body, rawContentType)
    : contentType.startsWith("application/json") || contentType === ""
      ? parseJson(body)
      : unsupportedMediaType(contentType);
  if (parsed.prompt !== undefined && parsed.prompt.length > limits.maxPromptChars) {
    throw new AppError(
      "prompt_too_long",
      `The prompt has ${parsed.prompt.length} characters; the limit is ${limits.maxPromptChars}.`,
      400,
      { maxPromptChars: limits.maxPromptChars },
    );
  }
  return parsed;
}

function unsupportedMediaType(contentType: string): never {
  throw new AppError(
    "unsupported_media_type",
    `Content-Type ${contentType} is not supported: send multipart/form-data with an "image" file, or application/json.`,
    415,
  );
}

function parseMultipartBody(body: Uint8Array, contentType: string): ParsedInferRequest {
  const parts = parseMultipart(Buffer.from(body.buffer, body.byteOffset, body.byteLength), contentType);
  // The first part of each name counts, as FormData.get would give it.
  const image = parts.find((part) => part.name === "image");
  if (!image || image.filename === undefined) {
    throw new AppError("missing_image", 'The multipart body has no file field named "image".', 400);
  }
  const prompt = parts.find((part) => part.name === "prompt");
  if (prompt && prompt.filename !== undefined) {
    throw new AppError("invalid_prompt", 'The "prompt" field must be text, not a file.', 400);
  }
  return {
    imageBytes: new Uint8Array(image.data),
    prompt: prompt ? prompt.data.toString("utf8") : undefined,
  };
}

function parseJson(body: Uint8Array): ParsedInferRequest {
  const raw = parseJsonText(Buffer.from(body).toString("utf8"));
  const parsed = JsonInferBody.safeParse(raw);
  if (!parsed.success) throw invalidRequest(inputIssues(parsed.error, raw));
  return { imageBytes: decodeImageString(parsed.data.image), prompt: parsed.data.prompt };
}

const DATA_URL = /^data:([a-z0-9.+-]+\/[a-z0-9.+-]+)?(;[a-z0-9-]+=[^;,]*)*;base64,/i;
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

/** A data URL (`data:image/png;base64,…`) or bare base64 → bytes; anything else is a 400. */
export function decodeImageString(value: string): Uint8Array {
  let payload = value.trim();
  if (payload.startsWith("data:")) {
    const header = payload.match(DATA_URL);
    if (!header) {
      throw new AppError(
        "invalid_image",
        "The data URL must be base64-encoded (data:image/…;base64,…).",
        400,
      );
    }
    payload = payload.slice(header[0].length);
  }
  payload = payload.replace(/\s+/g, "");
  if (payload.length === 0 || !BASE64.test(payload) || payload.length % 4 === 1) {
    throw new AppError("invalid_image", "The image is not valid base64.", 400);
  }
  return Buffer.from(payload, "base64");
}
