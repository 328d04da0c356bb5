// Bounds on fault parameters: every fault must be safe to leave running until its lease ends.
import os from "node:os";

/** Longest lease a fault may ask for; runners renew shorter leases instead. */
export const MAX_TTL_SECONDS = 3600;
/** Longest injected delay (latency, jitter). */
export const MAX_DELAY_MS = 120_000;
/** cpu_burn never occupies more cores than the host has. */
export const MAX_BURN_CORES = Math.max(1, os.availableParallelism());
/** memory_pressure holds at most a quarter of the host's memory, and never more than 4 GiB. */
export const MAX_PRESSURE_MIB = Math.max(1, Math.min(4096, Math.floor(os.totalmem() / 1024 / 1024 / 4)));
