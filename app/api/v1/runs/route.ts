import { z } from "zod";
import { listRuns } from "@/lib/experiments/service";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

// Lenient, as it always was: a limit that is not a number is the default; listRuns clamps to 1..200.
const RunsQuery = z.object({ limit: z.coerce.number().catch(50) });

export const GET = route({ role: "viewer", query: RunsQuery }, async ({ query }) => ({
  runs: await listRuns(query.limit),
}));
