import { requireOperator } from "@/lib/auth/admin-token";
import { AppError } from "@/lib/errors";
import { listExperiments, saveExperiment } from "@/lib/experiments/service";
import { withErrors } from "@/lib/http";

export const dynamic = "force-dynamic";

export const GET = withErrors(async () => Response.json({ experiments: await listExperiments() }));

/** Saves a spec (JSON): a new experiment, or the next version of the one with its name. */
export const POST = withErrors(async (request) => {
  await requireOperator(request);
  const body = await request.json().catch(() => {
    throw new AppError("invalid_json", "The body is not valid JSON.", 400);
  });
  const saved = await saveExperiment(body);
  return Response.json(saved, { status: saved.created ? 201 : 200 });
});
