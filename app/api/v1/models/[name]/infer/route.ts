import { ModelParams } from "@/lib/http/params";
import { route } from "@/lib/http/route";
import { inferHandler } from "@/lib/server/data-plane";

export const dynamic = "force-dynamic";

// The launcher's web process answers this route before Next.js does (lib/server/data-plane.ts);
// this file serves the same handler under plain `next dev` / `next start`. The data plane checks
// access, reads the (multipart or JSON) body and maps its own errors: it is the inference edge.
export const POST = route({ params: ModelParams }, async ({ params, request }) =>
  inferHandler(params.name)(request),
);
