// The data plane: the inference routes, as plain Request → Response handlers. The web process
// (scripts/serve.ts) answers them before Next.js's router sees the request, because that router
// costs several milliseconds per request (a quarter of a 20 ms model call, see
// docs/2026-11-29-data-plane.md); the app/ route files call the same handlers, so `next dev` and
// `next start` serve identical answers.
import { type ChaosHandler, withChaos } from "../chaos/with-chaos";
import { errorResponse } from "../http";
import { inferFromHttp } from "../inference/infer-service";
import { chatCompletion } from "../inference/openai-chat";

export type DataPlaneHandler = (request: Request) => Promise<Response>;

const INFER_PATH = /^\/api\/v1\/models\/([^/]+)\/infer\/?$/;
const CHAT_PATH = /^\/v1\/chat\/completions\/?$/;

/** POST an image (multipart `image` + `prompt`, or JSON `{ image, prompt }`) to one model. */
export function inferHandler(modelName: string): DataPlaneHandler {
  return withChaos(inferRoute(modelName));
}

/** The inference route without the fault wrapper (bench:chaos measures what the wrapper costs). */
export function inferRoute(modelName: string): ChaosHandler {
  return (request, chaos) =>
    handleErrors(async () => Response.json(await inferFromHttp(modelName, request, chaos)));
}

/** OpenAI-compatible chat completions with image inputs, answered by a registered model. */
export const chatHandler: DataPlaneHandler = withChaos(async (request, chaos) =>
  handleErrors(async () => Response.json(await chatCompletion(request, chaos))),
);

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
