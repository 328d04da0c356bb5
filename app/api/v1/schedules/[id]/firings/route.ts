import { AppError } from "@/kernel/errors";
import { requireRole } from "@/lib/auth/access";
import { withErrors } from "@/lib/http";
import { listFirings } from "@/lib/scheduler/schedules";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string }> };

/** The schedule's firings, newest first: ?limit=1..200 (50), ?cursor=<nextCursor of the previous page>. */
export const GET = withErrors(async (request, context: Context) => {
  await requireRole(request, "viewer");
  const query = new URL(request.url).searchParams;
  const limitText = query.get("limit");
  const limit = limitText === null ? undefined : Number(limitText);
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1 || limit > 200)) {
    throw new AppError("invalid_limit", "limit must be a whole number from 1 to 200.", 400, {
      issues: [{ path: "limit", message: "must be a whole number from 1 to 200" }],
    });
  }
  return Response.json(await listFirings((await context.params).id, { limit, cursor: query.get("cursor") }));
});
