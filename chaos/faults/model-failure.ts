// `model_failure`: the model's session throws, so breakers open and fallbacks answer as they
// would for a real crash.
import { z } from "zod";

export const ModelFailureFault = z.strictObject({
  type: z.literal("model_failure"),
  message: z.string().max(500).default("Session failed (injected by a Faultline model_failure fault)."),
});
export type ModelFailureFault = z.infer<typeof ModelFailureFault>;
