import { withErrors } from "@/lib/http";
import { getModel } from "@/lib/models/catalog";

export const dynamic = "force-dynamic";

export const GET = withErrors(async (_request, context: { params: Promise<{ name: string }> }) => {
  const { name } = await context.params;
  return Response.json(await getModel(name));
});
