import { route } from "@/lib/http/route";
import { chatHandler } from "@/lib/server/data-plane";

export const dynamic = "force-dynamic";

// Served by lib/server/data-plane.ts in the launcher's web process; see the infer route. The data
// plane checks access, reads the body and maps its own errors.
export const POST = route({}, async ({ request }) => chatHandler(request));
