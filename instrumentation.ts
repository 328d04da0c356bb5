// Next.js calls register() once when the server starts: load the models and restore fault
// leases now, so the first request meets warm sessions and the right faults.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { getModelServer } = await import("./lib/inference/runtime");
  const { getChaosRuntime } = await import("./lib/chaos/runtime");
  await Promise.all([getModelServer(), getChaosRuntime()]);
}
