import { rerun } from "@/lib/experiments/service";
import { IdParams } from "@/lib/http/params";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/**
 * Enqueues a run of the same spec version with the same seed (the fingerprint's inputs). 409
 * `chaos_halted` when that spec has faults and chaos is halted.
 */
export const POST = route({ role: "operator", params: IdParams }, async ({ params, actor }) =>
  Response.json(await rerun(params.id, actor), { status: 201 }),
);
