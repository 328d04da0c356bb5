// `slow_model`: the model holds its slot `factor` times as long as the call took, so queues
// build up behind it as they would behind a slower model.
import { z } from "zod";

export const SlowModelFault = z.strictObject({
  type: z.literal("slow_model"),
  factor: z.number().min(1, "factor must be 1 or more").max(100, "factor must be 100 or less"),
});
export type SlowModelFault = z.infer<typeof SlowModelFault>;
