import { z } from "zod";
import { IdParams } from "@/lib/http/params";
import { route } from "@/lib/http/route";
import { listFirings } from "@/lib/scheduler/schedules";

export const dynamic = "force-dynamic";

const FiringsQuery = z.object({
  limit: z.coerce
    .number({ message: "must be a whole number from 1 to 200" })
    .int("must be a whole number from 1 to 200")
    .min(1, "must be a whole number from 1 to 200")
    .max(200, "must be a whole number from 1 to 200")
    .optional(),
  cursor: z.string().optional(),
});

/** The schedule's firings, newest first: ?limit=1..200 (50), ?cursor=<nextCursor of the previous page>. */
export const GET = route(
  { role: "viewer", params: IdParams, query: FiringsQuery },
  async ({ params, query }) => listFirings(params.id, { limit: query.limit, cursor: query.cursor ?? null }),
);
