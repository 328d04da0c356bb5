// Ready-made `send` functions for the load generator, so it drives built-in and external models
// alike: Faultline's POST /api/v1/models/{name}/infer (multipart, the body encoded once per item)
// and any OpenAI-compatible /v1/chat/completions (JSON, the image as a data: URL, the JSON encoded
// once per item and prefixed per target). Both run over a keep-alive HTTP(S) transport of our own:
// the shared lib/net client hides the request object (so it cannot say when a request got its
// connection, where service time starts) and speaks plain http only.
import http from "node:http";
import https from "node:https";
import { RUN_HEADER } from "../../chaos/run-header";
import { encodeMultipart } from "../net/multipart-body";
import type { SendFn, SendResult } from "./load-generator";

/** The blast-radius header: faults of a run hit only its requests (lib/chaos/request-chaos.ts). */
export { RUN_HEADER };

export interface HttpResponse {
  status: number;
  body: Buffer;
}

export interface HttpTransport {
  /** `onSent` fires when the request gets its connection (after any wait for a free socket). */
  request(
    url: URL,
    method: string,
    headers: Record<string, string>,
    body: Buffer | undefined,
    signal: AbortSignal,
    onSent?: () => void,
  ): Promise<HttpResponse>;
  close(): void;
}

/**
 * Keep-alive agents for http: and https:. `maxSockets` is per origin: beyond it requests wait in the
 * client for a free connection, which the corrected latency counts and the service time does not.
 */
export function createHttpTransport(options: { maxSockets?: number } = {}): HttpTransport {
  const maxSockets = options.maxSockets ?? 256;
  const httpAgent = new http.Agent({ keepAlive: true, maxSockets });
  const httpsAgent = new https.Agent({ keepAlive: true, maxSockets });
  return {
    request: (url, method, headers, body, signal, onSent) =>
      new Promise((resolve, reject) => {
        const secure = url.protocol === "https:";
        const request = (secure ? https : http).request(
          url,
          {
            method,
            agent: secure ? httpsAgent : httpAgent,
            signal,
            headers: body ? { ...headers, "content-length": String(body.length) } : headers,
          },
          (response) => {
            const chunks: Buffer[] = [];
            response.on("data", (chunk: Buffer) => chunks.push(chunk));
            response.on("error", reject);
            response.on("end", () =>
              resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks) }),
            );
          },
        );
        if (onSent) request.once("socket", () => onSent());
        request.on("error", reject);
        request.end(body);
      }),
    close: () => {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}

/** The image (and prompt) one dataset item sends. */
export interface ImageRequest {
  image: Uint8Array;
  /** e.g. image/png */
  mimeType: string;
  prompt?: string;
}

/** Judges an answer; undefined when the item cannot be scored. */
export type ScoreAnswer<Source> = (
  source: Source,
  answer: string,
) => { correct: boolean; cer?: number } | undefined;

export interface InferItem<Source> {
  source: Source;
  body: Buffer;
  contentType: string;
}

export interface ChatItem<Source> {
  source: Source;
  /** The request JSON after `{"model":…,`: encoded once, shared by every target. */
  bodyTail: Buffer;
}

/** Encodes every item's multipart body (`image` file, optional `prompt` field) once, before the run. */
export async function prepareInferItems<Source>(
  items: readonly Source[],
  toRequest: (source: Source) => ImageRequest,
): Promise<InferItem<Source>[]> {
  return Promise.all(
    items.map(async (source) => {
      const { image, mimeType, prompt } = toRequest(source);
      const encoded = await encodeMultipart(
        {
          field: "image",
          bytes: image,
          type: mimeType,
          filename: `image.${mimeType.split("/")[1] ?? "bin"}`,
        },
        prompt === undefined ? {} : { prompt },
      );
      return { source, body: encoded.body, contentType: encoded.contentType };
    }),
  );
}

/** Encodes every item's chat messages (one user turn: the prompt, then the image as a data: URL) once. */
export function prepareChatItems<Source>(
  items: readonly Source[],
  toRequest: (source: Source) => ImageRequest,
  options: { maxTokens?: number; temperature?: number } = {},
): ChatItem<Source>[] {
  return items.map((source) => {
    const { image, mimeType, prompt } = toRequest(source);
    const content: unknown[] = [];
    if (prompt) content.push({ type: "text", text: prompt });
    content.push({
      type: "image_url",
      image_url: { url: `data:${mimeType};base64,${Buffer.from(image).toString("base64")}` },
    });
    const rest = {
      messages: [{ role: "user", content }],
      temperature: options.temperature ?? 0,
      ...(options.maxTokens === undefined ? {} : { max_tokens: options.maxTokens }),
    };
    return { source, bodyTail: Buffer.from(`${JSON.stringify(rest).slice(1)}`) };
  });
}

export interface HttpSender<Target, Item> {
  send: SendFn<Target, Item>;
  /** Closes the transport's connections (only the one the sender created itself). */
  close(): void;
}

interface CommonSendOptions<Source> {
  /** Defaults to a new keep-alive transport with `maxSockets` connections per origin. */
  transport?: HttpTransport;
  maxSockets?: number;
  /** Sent as x-faultline-run, so the run's faults hit these requests. */
  runId?: string;
  headers?: Record<string, string>;
  score?: ScoreAnswer<Source>;
}

export interface InferTarget {
  name: string;
  /** The registered model; defaults to `name`. */
  model?: string;
}

export function createInferSender<Source>(
  options: CommonSendOptions<Source> & {
    /** Faultline's base URL, e.g. http://127.0.0.1:3000 */
    baseUrl: string;
    /** Sent as x-request-timeout-ms, so the server also gives up. */
    serverTimeoutMs?: number;
  },
): HttpSender<InferTarget, InferItem<Source>> {
  const { transport, close } = transportFor(options);
  const fixed = commonHeaders(options);
  if (options.serverTimeoutMs !== undefined) fixed["x-request-timeout-ms"] = String(options.serverTimeoutMs);
  const urls = new Map<string, URL>();
  const urlFor = (model: string) => {
    let url = urls.get(model);
    if (!url) {
      url = new URL(`/api/v1/models/${encodeURIComponent(model)}/infer`, options.baseUrl);
      urls.set(model, url);
    }
    return url;
  };
  return {
    send: async (target, item, signal, context) => {
      const headers = { ...fixed, "content-type": item.contentType };
      const url = urlFor(target.model ?? target.name);
      const response = await transport.request(url, "POST", headers, item.body, signal, context.markSent);
      return resultOf(response, item.source, options.score, (json) => {
        const body = json as { answer?: unknown } | null;
        return {
          answer: typeof body?.answer === "string" ? body.answer : undefined,
          servedBy: fallbackOf(body),
        };
      });
    },
    close,
  };
}

export interface ChatTarget {
  name: string;
  /** The `model` field; defaults to `name`. */
  model?: string;
  /** The endpoint (…/v1/chat/completions); defaults to the sender's `url`. */
  url?: string;
  /** Sent as `Authorization: Bearer …`. */
  apiKey?: string;
}

export function createChatSender<Source>(
  options: CommonSendOptions<Source> & {
    /** The default endpoint, e.g. http://127.0.0.1:3000/v1/chat/completions */
    url?: string;
  },
): HttpSender<ChatTarget, ChatItem<Source>> {
  const { transport, close } = transportFor(options);
  const fixed = { ...commonHeaders(options), "content-type": "application/json" };
  const prepared = new Map<ChatTarget, { url: URL; headers: Record<string, string>; head: Buffer }>();
  const prepare = (target: ChatTarget) => {
    let entry = prepared.get(target);
    if (!entry) {
      const endpoint = target.url ?? options.url;
      if (!endpoint) throw new Error(`chat target ${target.name} has no url and the sender has no default`);
      entry = {
        url: new URL(endpoint),
        headers: target.apiKey ? { ...fixed, authorization: `Bearer ${target.apiKey}` } : fixed,
        head: Buffer.from(`{"model":${JSON.stringify(target.model ?? target.name)},`),
      };
      prepared.set(target, entry);
    }
    return entry;
  };
  return {
    send: async (target, item, signal, context) => {
      const { url, headers, head } = prepare(target);
      const body = Buffer.concat([head, item.bodyTail]);
      const response = await transport.request(url, "POST", headers, body, signal, context.markSent);
      return resultOf(response, item.source, options.score, chatAnswer);
    },
    close,
  };
}

function transportFor(options: { transport?: HttpTransport; maxSockets?: number }) {
  if (options.transport) return { transport: options.transport, close: () => {} };
  const transport = createHttpTransport({ maxSockets: options.maxSockets });
  return { transport, close: () => transport.close() };
}

function commonHeaders(options: {
  runId?: string;
  headers?: Record<string, string>;
}): Record<string, string> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.runId) headers[RUN_HEADER] = options.runId;
  return headers;
}

/** The `{ error: { message } }` of a failed answer (Faultline's and OpenAI's shape), cut to a line. */
function errorMessageOf(body: Buffer): string | undefined {
  try {
    const message = (JSON.parse(body.toString("utf8")) as { error?: { message?: unknown } } | null)?.error
      ?.message;
    return typeof message === "string" && message !== "" ? message.slice(0, 300) : undefined;
  } catch {
    return undefined;
  }
}

interface Extracted {
  answer: string | undefined;
  /** Set when the server says a fallback model answered instead of the one asked. */
  servedBy: string | undefined;
}

/** Faultline's `{ degraded: true, servedBy }` (inference API, or `faultline` in a chat completion). */
function fallbackOf(fields: unknown): string | undefined {
  const { degraded, servedBy } = (fields ?? {}) as { degraded?: unknown; servedBy?: unknown };
  if (degraded !== true) return undefined;
  return typeof servedBy === "string" && servedBy !== "" ? servedBy : "unknown";
}

/**
 * Status and, for a 2xx, the answer and its score. A 2xx without a readable answer is scored wrong
 * (when there is a scorer): the model did not answer, however fast it said so. A fallback's answer
 * carries `servedBy` and is not scored as the requested model's.
 */
function resultOf<Source>(
  response: HttpResponse,
  source: Source,
  score: ScoreAnswer<Source> | undefined,
  extract: (json: unknown) => Extracted,
): SendResult {
  const { status } = response;
  if (status < 200 || status >= 300) {
    const message = errorMessageOf(response.body);
    return message === undefined ? { status } : { status, message };
  }
  let extracted: Extracted = { answer: undefined, servedBy: undefined };
  try {
    extracted = extract(JSON.parse(response.body.toString("utf8")));
  } catch {}
  const { answer, servedBy } = extracted;
  if (servedBy !== undefined) return { status, answer, servedBy, scored: false };
  if (!score) return { status, answer };
  if (answer === undefined) return { status, scored: true, correct: false };
  const judged = score(source, answer);
  if (!judged) return { status, answer, scored: false };
  return { status, answer, scored: true, correct: judged.correct, cer: judged.cer };
}

function chatAnswer(json: unknown): Extracted {
  const body = json as { choices?: { message?: { content?: unknown } }[]; faultline?: unknown } | null;
  const servedBy = fallbackOf(body?.faultline);
  const content = body?.choices?.[0]?.message?.content;
  if (typeof content === "string") return { answer: content, servedBy };
  if (Array.isArray(content)) {
    // Some servers answer with content parts; the text parts are the answer.
    const answer = content
      .flatMap((part: { type?: unknown; text?: unknown }) =>
        part?.type === "text" && typeof part.text === "string" ? [part.text] : [],
      )
      .join("");
    return { answer, servedBy };
  }
  return { answer: undefined, servedBy };
}
