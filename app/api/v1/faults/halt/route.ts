import { haltChaos } from "@/lib/chaos/control";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** The kill switch: ends every fault and proxy toxic Faultline created; refuses new ones until armed. */
export const POST = route({ role: "operator" }, async ({ actor }) => haltChaos(actor));
