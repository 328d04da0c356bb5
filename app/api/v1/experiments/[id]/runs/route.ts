import { z } from "zod";
import { startRun } from "@/lib/experiments/service";
import { IdParams } from "@/lib/http/params";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

const StartRun = z.strictObject({
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 32 - 1)
    .optional(),
  trigger: z.enum(["manual", "cli"]).default("manual"),
});

/**
 * Enqueues a run of the experiment's current version; a worker executes it. The body is optional.
 * 409 `chaos_halted` when the spec has faults and chaos is halted.
 */
export const POST = route(
  { role: "operator", params: IdParams, body: StartRun, emptyBodyAs: {} },
  async ({ params, body, actor }) => Response.json(await startRun(params.id, body, actor), { status: 201 }),
);
