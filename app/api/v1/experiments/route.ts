import { requireRole } from "@/lib/auth/access";
import { readSpecBody } from "@/lib/dashboard/experiments-validation";
import { parseSpecText } from "@/lib/experiments/load-spec";
import { listExperiments, saveExperiment } from "@/lib/experiments/service";
import { parseJsonText, withErrors } from "@/lib/http";

export const dynamic = "force-dynamic";

export const GET = withErrors(async (request) => {
  await requireRole(request, "viewer");
  return Response.json({ experiments: await listExperiments() });
});

/**
 * Saves a spec: a new experiment, or the next version of the one with its name. The body is the
 * spec as JSON (application/json) or YAML (application/yaml, text/plain); a YAML spec's errors say
 * their line and column.
 */
export const POST = withErrors(async (request) => {
  const { actor } = await requireRole(request, "operator");
  const { text, format } = await readSpecBody(request);
  const body = format === "yaml" ? parseSpecText(text, "yaml", "request body") : parseJsonText(text);
  const saved = await saveExperiment(body, actor);
  return Response.json(saved, { status: saved.created ? 201 : 200 });
});
