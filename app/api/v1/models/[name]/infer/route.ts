import { withErrors } from "@/lib/http";
import { inferFromHttp } from "@/lib/inference/infer-service";

export const dynamic = "force-dynamic";

/** POST an image (multipart `image` + `prompt`, or JSON `{ image, prompt }`) to one model. */
export const POST = withErrors(async (request, context: { params: Promise<{ name: string }> }) => {
  const { name } = await context.params;
  return Response.json(await inferFromHttp(name, request));
});
