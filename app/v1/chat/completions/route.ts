import { withErrors } from "@/lib/http";
import { chatCompletion } from "@/lib/inference/openai-chat";

export const dynamic = "force-dynamic";

/** OpenAI-compatible chat completions with image inputs, answered by a registered model. */
export const POST = withErrors(async (request) => Response.json(await chatCompletion(request)));
