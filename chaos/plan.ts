// The pure decision: which of the active faults hit one request, drawn from seeded random
// streams. No I/O, no clocks of its own: the caller passes `now` and the streams, so a test (or a
// replay) gets the same decisions for the same inputs.

import type { Random } from "../kernel/random";
import type { AbortFault } from "./faults/abort";
import type { CorruptInputFault } from "./faults/corrupt-input";
import type { CorruptOutputFault } from "./faults/corrupt-output";
import type { ErrorFault } from "./faults/error";
import { type Fault, isRequestFault } from "./faults/index";
import { type LatencyFault, sampleDelayMs } from "./faults/latency";
import type { ModelFailureFault } from "./faults/model-failure";
import type { OverloadFault } from "./faults/overload";

export interface ChaosRequest {
  /** The request's x-faultline-run header, if any. */
  run?: string;
  /** The model the request is for. */
  model: string;
}

export interface Hit<P> {
  faultId: string;
  params: P;
}

export interface Plan {
  /** Ids of every fault that hit, in the order they were considered. */
  hits: string[];
  /** Total added delay (every latency fault that hit, summed). */
  delayMs: number;
  error?: Hit<ErrorFault>;
  hang?: Hit<{ type: "hang" }>;
  abort?: Hit<AbortFault>;
  corruptInput: Hit<CorruptInputFault>[];
  corruptOutput: Hit<CorruptOutputFault>[];
  /** Product of the slow_model factors that hit (1: none). */
  slowFactor: number;
  failure?: Hit<ModelFailureFault>;
  overload?: Hit<OverloadFault>;
}

export const EMPTY_PLAN: Plan = Object.freeze({
  hits: [],
  delayMs: 0,
  corruptInput: [],
  corruptOutput: [],
  slowFactor: 1,
}) as Plan;

/** Whether a fault's scope and model filter cover the request (probability aside). */
export function covers(fault: Fault, request: ChaosRequest, now: number): boolean {
  if (fault.expiresAt.getTime() <= now) return false;
  if (fault.model !== undefined && fault.model !== request.model) return false;
  return "all" in fault.scope || fault.scope.run === request.run;
}

/**
 * Decides the faults for one request. Probability 1 always hits and 0 never does (no draw is
 * made); in between, one draw from the fault's own stream.
 */
export function plan(
  request: ChaosRequest,
  faults: readonly Fault[],
  streamFor: (fault: Fault) => Random,
  now: number,
): Plan {
  let result: Plan | undefined;
  for (const fault of faults) {
    if (!isRequestFault(fault.params.type) || !covers(fault, request, now)) continue;
    if (fault.probability <= 0) continue;
    const random = streamFor(fault);
    if (fault.probability < 1 && random.next() >= fault.probability) continue;
    result ??= { hits: [], delayMs: 0, corruptInput: [], corruptOutput: [], slowFactor: 1 };
    result.hits.push(fault.id);
    apply(result, fault, random);
  }
  return result ?? EMPTY_PLAN;
}

function apply(result: Plan, fault: Fault, random: Random): void {
  const { params } = fault;
  const hit = <P>(p: P): Hit<P> => ({ faultId: fault.id, params: p });
  switch (params.type) {
    case "latency":
      result.delayMs += sampleDelayMs(params as LatencyFault, random);
      break;
    case "error":
      result.error ??= hit(params);
      break;
    case "hang":
      result.hang ??= hit(params);
      break;
    case "abort":
      result.abort ??= hit(params);
      break;
    case "corrupt_input":
      result.corruptInput.push(hit(params));
      break;
    case "corrupt_output":
      result.corruptOutput.push(hit(params));
      break;
    case "slow_model":
      result.slowFactor *= params.factor;
      break;
    case "model_failure":
      result.failure ??= hit(params);
      break;
    case "overload":
      result.overload ??= hit(params);
      break;
    default:
      break;
  }
}
