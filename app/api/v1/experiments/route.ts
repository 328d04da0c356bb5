import { MAX_SPEC_BODY_BYTES } from "@/lib/dashboard/experiments/validation";
import { listExperiments, parseSpecBody, saveExperiment } from "@/lib/experiments/service";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

export const GET = route({ role: "viewer" }, async () => ({ experiments: await listExperiments() }));

/**
 * Saves a spec: a new experiment, or the next version of the one with its name. The body is the
 * spec as JSON (application/json) or YAML (application/yaml, text/plain); a YAML spec's errors say
 * their line and column.
 */
export const POST = route(
  { role: "operator", body: { text: parseSpecBody }, maxBodyBytes: MAX_SPEC_BODY_BYTES },
  async ({ body, actor }) => {
    const saved = await saveExperiment(body, actor);
    return Response.json(saved, { status: saved.created ? 201 : 200 });
  },
);
