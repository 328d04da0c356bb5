import { armChaos } from "@/lib/chaos/control";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** Re-arms chaos after a halt. */
export const POST = route({ role: "operator" }, async ({ actor }) => armChaos(actor));
