import { getRun } from "@/lib/experiments/service";
import { withErrors } from "@/lib/http";

export const dynamic = "force-dynamic";

export const GET = withErrors(async (_request, context: { params: Promise<{ id: string }> }) =>
  Response.json(await getRun((await context.params).id)),
);
