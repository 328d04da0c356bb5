import { requireRole } from "@/lib/auth/access";
import { readSpecBody, validateSpecText } from "@/lib/dashboard/experiments-validation";
import { withErrors } from "@/lib/http";

export const dynamic = "force-dynamic";

/**
 * Validates a spec without saving it (read-only: a viewer may): the body is the spec as YAML
 * (content-type application/yaml or text/plain) or JSON (application/json), at most 256 KiB.
 * Answers `{ valid, issues: [{ path, message, line, column }], spec? }`, 200 either way.
 */
export const POST = withErrors(async (request) => {
  await requireRole(request, "viewer");
  const { text, format } = await readSpecBody(request);
  return Response.json(validateSpecText(text, format), { headers: { "cache-control": "no-store" } });
});
