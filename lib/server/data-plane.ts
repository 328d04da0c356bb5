// The data plane: the inference routes, as plain Request → Response handlers. The web process
// (scripts/serve.ts) answers them before Next.js's router sees the request, because that router
// costs several milliseconds per request (a quarter of a 20 ms model call, see
// docs/2026-11-29-data-plane.md); the app/ route files call the same handlers, so `next dev` and
// `next start` serve identical answers. Every answer is counted and timed for /api/metrics.
import { requireInferenceAccess } from "../auth/access";
import { type ChaosHandler, withChaos } from "../chaos/with-chaos";
import { errorResponse } from "../http";
import type { InferenceHooks } from "../inference/hooks";
import { inferFromHttp } from "../inference/infer-service";
import { chatCompletion } from "../inference/openai-chat";
import { getModelServer } from "../inference/runtime";
import { getMetrics, type InferenceRoute, modelLabel, recordInference } from "../observability/metrics";

export type DataPlaneHandler = (request: Request) => Promise<Response>;

const INFER_PATH = /^\/api\/v1\/models\/([^/]+)\/infer\/?$/;
const CHAT_PATH = /^\/v1\/chat\/completions\/?$/;

/** The model a request turned out to be for, once known (the route names it, a chat body may). */
interface ModelSeen {
  model?: string;
}

/** POST an image (multipart `image` + `prompt`, or JSON `{ image, prompt }`) to one model. */
export function inferHandler(modelName: string): DataPlaneHandler {
  return instrumented("infer", withChaos(inferRoute(modelName)), modelName);
}

/** The inference route without the fault wrapper (bench:chaos measures what the wrapper costs). */
export function inferRoute(modelName: string): ChaosHandler {
  return (request, chaos) =>
    handleErrors(async () => Response.json(await inferFromHttp(modelName, request, chaos)));
}

/** OpenAI-compatible chat completions with image inputs, answered by a registered model. */
export const chatHandler: DataPlaneHandler = instrumented("chat", (request, seen) =>
  withChaos(async (chaosRequest, chaos) =>
    handleErrors(async () => Response.json(await chatCompletion(chaosRequest, noticeModel(chaos, seen)))),
  )(request),
);

/**
 * Checks inference access (FAULTLINE_INFERENCE_AUTH), serves, and records the answer's status
 * and latency under the route and the (registered, else `_unknown`) model.
 */
function instrumented(
  route: InferenceRoute,
  serve: (request: Request, seen: ModelSeen) => Promise<Response>,
  routeModel?: string,
): DataPlaneHandler {
  return async (request) => {
    const startedAt = performance.now();
    const seen: ModelSeen = { model: routeModel };
    let status = 500;
    try {
      const response = await handleErrors(async () => {
        await requireInferenceAccess(request);
        return serve(request, seen);
      });
      status = response.status;
      return response;
    } finally {
      const seconds = (performance.now() - startedAt) / 1000;
      recordInference(getMetrics(), route, await registeredModel(seen.model), status, seconds);
    }
  };
}

/** The model label: by name when registered (the model server is loaded before the first request). */
async function registeredModel(name: string | undefined): Promise<string> {
  if (name === undefined) return modelLabel(undefined, () => false);
  const server = await getModelServer().catch(() => undefined);
  return modelLabel(name, (candidate) => server?.has(candidate) ?? false);
}

/** The request's hooks, unchanged, except that they note the model once the body names it. */
function noticeModel(hooks: InferenceHooks, seen: ModelSeen): InferenceHooks {
  return {
    beforeModel: (model) => {
      seen.model = model;
      return hooks.beforeModel(model);
    },
    corruptInput: (image, prompt) => hooks.corruptInput(image, prompt),
    modelFaults: () => hooks.modelFaults(),
    corruptAnswer: (answer) => hooks.corruptAnswer(answer),
  };
}

async function handleErrors(produce: () => Promise<Response>): Promise<Response> {
  try {
    return await produce();
  } catch (error) {
    return errorResponse(error);
  }
}

/** The handler for a data-plane request, or undefined when the request belongs to Next.js. */
export function matchDataPlane(method: string, pathname: string): DataPlaneHandler | undefined {
  if (method !== "POST") return undefined;
  const infer = INFER_PATH.exec(pathname);
  if (infer) return inferHandler(safeDecode(infer[1] as string));
  if (CHAT_PATH.test(pathname)) return chatHandler;
  return undefined;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
