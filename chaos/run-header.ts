// The header that ties a request to a run: faults scoped to the run hit only requests carrying it.
// Shared by the runner, which sends it, and the fault wrapper, which reads it.
export const RUN_HEADER = "x-faultline-run";
