// `network`: a toxic on a proxy (the embedded Toxiproxy-compatible one, or TOXIPROXY_URL), under
// the same lease, halt and audit rules as the app-level faults.
import { z } from "zod";

export const TOXIC_TYPES = [
  "latency",
  "bandwidth",
  "slow_close",
  "timeout",
  "reset_peer",
  "slicer",
  "limit_data",
] as const;

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
