// The inference API's one service: HTTP request in, served answer out. Route handlers for
// /api/v1/models/{name}/infer and /v1/chat/completions are thin adapters over it.

import { AppError } from "../../kernel/errors";
import { env } from "../env";
import { type InferenceHooks, NO_HOOKS } from "./hooks";
import { decodeImage } from "./image-decode";
import { parseInferRequest } from "./infer-request";
import type { ServedAnswer } from "./model-server";
import { getModelServer } from "./runtime";

export async function inferFromHttp(
  modelName: string,
  request: Request,
  hooks: InferenceHooks = NO_HOOKS,
): Promise<ServedAnswer> {
  const settings = env();
  const server = await getModelServer();
  if (!server.has(modelName)) {
    throw new AppError("model_not_found", `No model named "${modelName}" is registered.`, 404);
  }
  const parsed = await parseInferRequest(request, {
    maxBodyBytes: settings.INFER_MAX_BODY_BYTES,
    maxPromptChars: settings.INFER_MAX_PROMPT_CHARS,
  });
  return inferOnBytes(modelName, parsed.imageBytes, parsed.prompt, requestTimeoutMs(request), hooks);
}

export async function inferOnBytes(
  modelName: string,
  imageBytes: Uint8Array,
  prompt: string | undefined,
  timeoutMs?: number,
  hooks: InferenceHooks = NO_HOOKS,
): Promise<ServedAnswer> {
  const settings = env();
  const server = await getModelServer();
  await hooks.beforeModel(modelName);
  const decoded = await decodeImage(imageBytes, settings.INFER_MAX_IMAGE_PIXELS);
  const input = await hooks.corruptInput(decoded.image, prompt);
  const served = await server.infer(modelName, input, {
    timeoutMs,
    decodeMs: decoded.decodeMs,
    faults: hooks.modelFaults(),
  });
  return hooks === NO_HOOKS ? served : { ...served, answer: hooks.corruptAnswer(served.answer) };
}

/** An optional per-request deadline (`x-request-timeout-ms`), bounded by INFER_MAX_TIMEOUT_MS. */
export function requestTimeoutMs(request: Request): number | undefined {
  const header = request.headers.get("x-request-timeout-ms");
  if (header === null) return undefined;
  const value = Number(header);
  const max = env().INFER_MAX_TIMEOUT_MS;
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new AppError(
      "invalid_timeout",
      `x-request-timeout-ms must be a whole number of milliseconds from 1 to ${max}.`,
      400,
    );
  }
  return value;
}
