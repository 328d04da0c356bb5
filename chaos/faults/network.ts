// `network`: a toxic on a proxy (the embedded Toxiproxy-compatible one, or TOXIPROXY_URL), under
// the same lease, halt and audit rules as the app-level faults.
import { z } from "zod";
import { TOXIC_TYPES as PROXY_TOXIC_TYPES, type ToxicType } from "../proxy/types";

type FaultToxicType = Exclude<ToxicType, "noop">;

/** The proxy's toxic types less `noop`: a fault that does nothing is not a fault. */
export const TOXIC_TYPES = PROXY_TOXIC_TYPES.filter((type): type is FaultToxicType => type !== "noop") as [
  FaultToxicType,
  ...FaultToxicType[],
];

export const NetworkFault = z.strictObject({
  type: z.literal("network"),
  proxy: z.string().min(1, "proxy must name a proxy"),
  toxic: z.strictObject({
    type: z.enum(TOXIC_TYPES, { message: `toxic.type must be one of ${TOXIC_TYPES.join(", ")}` }),
    stream: z.enum(["upstream", "downstream"]).default("downstream"),
    toxicity: z
      .number()
      .min(0, "toxicity must be from 0 to 1")
      .max(1, "toxicity must be from 0 to 1")
      .default(1),
    attributes: z.record(z.string(), z.number().min(0, "toxic attributes must be 0 or more")).default({}),
  }),
});
export type NetworkFault = z.infer<typeof NetworkFault>;
