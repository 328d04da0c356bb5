// `overload`: a tighter concurrency limit and queue in front of the model for the requests the
// fault hits, so the queue fills and 429s appear for them without touching other traffic.
import { z } from "zod";

export const OverloadFault = z.strictObject({
  type: z.literal("overload"),
  /** Requests served at once (0: none, everything waits in the queue until its deadline). */
  concurrency: z.number().int().min(0, "concurrency must be 0 or more").max(64).default(1),
  queueSize: z.number().int().min(0, "queueSize must be 0 or more").max(10_000).default(0),
});
export type OverloadFault = z.infer<typeof OverloadFault>;
