import { ItemsQuery, listRunItems } from "@/lib/experiments/items";
import { IdParams } from "@/lib/http/params";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/**
 * A run's items, one entry per distinct item key with each target's requests, correct answers,
 * up to three distinct answers and outcomes by class. Query: disagree=true · target= · outcome= ·
 * phase= · limit= (1–500, default 100) · cursor= (the previous page's `next`).
 */
export const GET = route({ role: "viewer", params: IdParams, query: ItemsQuery }, async ({ params, query }) =>
  Response.json(await listRunItems(params.id, query), { headers: { "cache-control": "no-store" } }),
);
