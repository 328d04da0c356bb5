import { abortRun } from "@/lib/experiments/service";
import { IdParams } from "@/lib/http/params";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** Aborts a run: its faults are rolled back and it ends `aborted`. */
export const POST = route({ role: "operator", params: IdParams }, async ({ params, actor }) =>
  abortRun(params.id, actor),
);
