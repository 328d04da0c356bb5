// `latency`: hold the request for a fixed delay plus jitter before it is served.
import { z } from "zod";
import type { Random } from "../../kernel/random";
import { MAX_DELAY_MS } from "./limits";

export const LatencyFault = z.strictObject({
  type: z.literal("latency"),
  latencyMs: z.number().min(0, "latencyMs must be 0 or more").max(MAX_DELAY_MS),
  jitterMs: z.number().min(0, "jitterMs must be 0 or more").max(MAX_DELAY_MS).default(0),
  /** uniform: latency ± jitter (Toxiproxy's rule); normal: jitter is the standard deviation. */
  distribution: z.enum(["uniform", "normal"]).default("uniform"),
});
export type LatencyFault = z.infer<typeof LatencyFault>;

/** The delay for one request, never negative. */
export function sampleDelayMs(fault: LatencyFault, random: Random): number {
  const offset =
    fault.distribution === "normal"
      ? random.normal() * fault.jitterMs
      : (random.next() * 2 - 1) * fault.jitterMs;
  return Math.max(0, fault.latencyMs + offset);
}
