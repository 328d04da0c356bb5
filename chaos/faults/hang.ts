// `hang`: never answer; the client's own timeout decides what happens. The request is released
// (and served normally) when the fault ends, so a halt leaves no request hanging.
import { z } from "zod";

export const HangFault = z.strictObject({ type: z.literal("hang") });
export type HangFault = z.infer<typeof HangFault>;
