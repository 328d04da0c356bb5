// `memory_pressure`: hold N MiB of committed memory (written, so the pages are real) until the
// lease ends. Bounded to a quarter of the host's memory and 4 GiB.
import { z } from "zod";
import { MAX_PRESSURE_MIB } from "./limits";

export const MemoryPressureFault = z.strictObject({
  type: z.literal("memory_pressure"),
  mib: z
    .number()
    .int()
    .min(1, "mib must be 1 or more")
    .max(MAX_PRESSURE_MIB, `mib must be at most ${MAX_PRESSURE_MIB} on this host`),
});
export type MemoryPressureFault = z.infer<typeof MemoryPressureFault>;

const CHUNK_MIB = 64;

/** Allocates and touches the memory; the returned function lets it go. */
export function holdMemory(fault: MemoryPressureFault): () => Promise<void> {
  let chunks: Buffer[] = [];
  for (let left = fault.mib; left > 0; left -= CHUNK_MIB) {
    chunks.push(Buffer.allocUnsafeSlow(Math.min(left, CHUNK_MIB) * 1024 * 1024).fill(0xa5));
  }
  return async () => {
    chunks = [];
  };
}
