// `cpu_burn`: keep N cores busy (worker threads spinning for dutyPercent of every 100 ms) until
// the lease ends. Bounded by the host's core count.
import { Worker } from "node:worker_threads";
import { z } from "zod";
import { MAX_BURN_CORES } from "./limits";

export const CpuBurnFault = z.strictObject({
  type: z.literal("cpu_burn"),
  cores: z
    .number()
    .int()
    .min(1, "cores must be 1 or more")
    .max(MAX_BURN_CORES, `cores must be at most ${MAX_BURN_CORES} (this host's cores)`),
  dutyPercent: z.number().min(1).max(100).default(100),
});
export type CpuBurnFault = z.infer<typeof CpuBurnFault>;

const BURNER = `
const { workerData } = require("node:worker_threads");
const busyMs = workerData.dutyPercent;
const tick = () => {
  const until = Date.now() + busyMs;
  while (Date.now() < until) {}
  setTimeout(tick, 100 - busyMs);
};
tick();
`;

/** Starts the burners; the returned function stops them all. */
export function startCpuBurn(fault: CpuBurnFault): () => Promise<void> {
  const workers = Array.from(
    { length: fault.cores },
    () => new Worker(BURNER, { eval: true, workerData: { dutyPercent: Math.round(fault.dutyPercent) } }),
  );
  for (const worker of workers) worker.unref();
  return async () => {
    await Promise.all(workers.map((worker) => worker.terminate()));
  };
}
