import { MAX_SPEC_BODY_BYTES, specFormatOf, validateSpecText } from "@/lib/dashboard/experiments/validation";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/**
 * Validates a spec without saving it (read-only: a viewer may): the body is the spec as YAML
 * (content-type application/yaml or text/plain) or JSON (application/json), at most 256 KiB.
 * Answers `{ valid, issues: [{ path, message, line, column }], spec? }`, 200 either way.
 */
export const POST = route(
  {
    role: "viewer",
    body: { text: (text, contentType) => ({ text, format: specFormatOf(contentType) }) },
    maxBodyBytes: MAX_SPEC_BODY_BYTES,
  },
  async ({ body }) =>
    Response.json(validateSpecText(body.text, body.format), { headers: { "cache-control": "no-store" } }),
);
