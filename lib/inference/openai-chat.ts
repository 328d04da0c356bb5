// OpenAI-compatible chat completions for the built-in models: the protocol VLM servers (vLLM,
// Ollama, LM Studio) speak, so drills can target Faultline and those servers alike. The last user
// message carries the image (a data: URL; remote URLs are refused, Faultline fetches nothing) and
// the prompt; the answer is the assistant message.
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { AppError } from "../../kernel/errors";
import { env } from "../env";
import { inputIssues, invalidRequest, parseJsonText } from "../http";
import { type InferenceHooks, NO_HOOKS } from "./hooks";
import { decodeImageString, readBodyWithLimit } from "./infer-request";
import { inferOnBytes, requestTimeoutMs } from "./infer-service";
import type { ServedAnswer } from "./model-server";

const TextPart = z.object({ type: z.literal("text"), text: z.string() });
const ImagePart = z.object({
  type: z.literal("image_url"),
  image_url: z.union([z.string(), z.object({ url: z.string(), detail: z.string().optional() })]),
});
const Message = z.object({
  role: z.enum(["system", "user", "assistant", "developer", "tool"]),
  content: z.union([z.string(), z.array(z.discriminatedUnion("type", [TextPart, ImagePart]))]).nullable(),
});

export const ChatCompletionRequest = z.object({
  model: z.string().min(1, "must name a registered model"),
  messages: z.array(Message).min(1, "must contain at least one message"),
  stream: z.boolean().optional(),
  max_tokens: z.number().int().positive().optional(),
  max_completion_tokens: z.number().int().positive().optional(),
  temperature: z.number().optional(),
  n: z.number().int().optional(),
});
export type ChatCompletionRequest = z.infer<typeof ChatCompletionRequest>;

export interface ChatCompletion {
  id: string;
  object: "chat.completion";
  created: number;
  model: string;
  choices: Array<{ index: number; message: { role: "assistant"; content: string }; finish_reason: "stop" }>;
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
  /** Faultline's own fields: who answered, whether degraded, and where the time went. */
  faultline: Pick<
    ServedAnswer,
    "servedBy" | "degraded" | "degradedReason" | "confidence" | "timings" | "lines"
  >;
}

export async function chatCompletion(
  request: Request,
  hooks: InferenceHooks = NO_HOOKS,
): Promise<ChatCompletion> {
  const settings = env();
  const body = await readBodyWithLimit(request, settings.INFER_MAX_BODY_BYTES);
  const parsed = parseChatRequest(body);
  if (parsed.stream) throw new AppError("stream_unsupported", "stream: true is not supported; omit it.", 400);
  if (parsed.n !== undefined && parsed.n !== 1)
    throw new AppError("n_unsupported", "Only n = 1 is supported.", 400);
  const { imageUrl, prompt } = extractUserTurn(parsed);
  if (prompt.length > settings.INFER_MAX_PROMPT_CHARS) {
    throw new AppError(
      "prompt_too_long",
      `The prompt has ${prompt.length} characters; the limit is ${settings.INFER_MAX_PROMPT_CHARS}.`,
      400,
    );
  }
  const answer = await inferOnBytes(
    parsed.model,
    imageBytesFrom(imageUrl),
    prompt || undefined,
    requestTimeoutMs(request),
    hooks,
  );
  const completionTokens = answer.answer.split(/\s+/).filter(Boolean).length;
  const promptTokens = prompt.split(/\s+/).filter(Boolean).length;
  return {
    id: `chatcmpl-${randomUUID()}`,
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model: parsed.model,
    choices: [{ index: 0, message: { role: "assistant", content: answer.answer }, finish_reason: "stop" }],
    usage: {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
    },
    faultline: {
      servedBy: answer.servedBy,
      degraded: answer.degraded,
      degradedReason: answer.degradedReason,
      confidence: answer.confidence,
      timings: answer.timings,
      lines: answer.lines,
    },
  };
}

function parseChatRequest(body: Uint8Array): ChatCompletionRequest {
  if (body.length === 0)
    throw new AppError("empty_body", "The request body is empty: send a chat completion request.", 400);
  const raw = parseJsonText(Buffer.from(body).toString("utf8"));
  const parsed = ChatCompletionRequest.safeParse(raw);
  if (parsed.success) return parsed.data;
  throw invalidRequest(inputIssues(parsed.error, raw));
}

/** The image and text of the last user message (earlier turns carry no state for these models). */
function extractUserTurn(request: ChatCompletionRequest): { imageUrl: string; prompt: string } {
  const user = [...request.messages].reverse().find((message) => message.role === "user");
  if (!user || user.content === null) {
    throw new AppError("missing_user_message", "The request has no user message.", 400);
  }
  if (typeof user.content === "string") {
    throw new AppError(
      "missing_image",
      "The user message has no image_url part: attach an image as a data: URL.",
      400,
    );
  }
  const images = user.content.flatMap((part) =>
    part.type === "image_url"
      ? [typeof part.image_url === "string" ? part.image_url : part.image_url.url]
      : [],
  );
  if (images.length === 0) {
    throw new AppError(
      "missing_image",
      "The user message has no image_url part: attach an image as a data: URL.",
      400,
    );
  }
  if (images.length > 1) {
    throw new AppError(
      "too_many_images",
      "The user message has several images; these models take exactly one.",
      400,
    );
  }
  const prompt = user.content
    .flatMap((part) => (part.type === "text" ? [part.text] : []))
    .join("\n")
    .trim();
  return { imageUrl: images[0] as string, prompt };
}

function imageBytesFrom(url: string): Uint8Array {
  if (!url.trim().startsWith("data:")) {
    throw new AppError(
      "remote_image_unsupported",
      "Only data: URLs are accepted for images: Faultline does not fetch remote URLs.",
      400,
    );
  }
  return decodeImageString(url);
}
