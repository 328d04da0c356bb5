// Arrival schedules for the open-model load generator: when each request is *intended* to leave,
// in ms from the run's start. A pure function of (spec, seed): the same seed gives the same
// schedule on every machine, so paired arms and replays see identical arrivals.
//
// All three processes are one construction (time rescaling): with the cumulative rate
// Λ(t) = r0·t + (r1 − r0)·t² / (2D), arrival k is at Λ⁻¹(x_k), where x_k = k for the evenly spaced
// processes (constant, ramp) and x_k = a sum of k unit exponentials for Poisson (which may ramp too).
import { z } from "zod";
import { createRandom } from "../../kernel/random";

const Rate = z.number().finite().nonnegative();
const Duration = z.number().finite().positive();

export const ArrivalSpec = z
  .discriminatedUnion("kind", [
    z.object({ kind: z.literal("constant"), ratePerSecond: Rate, durationSeconds: Duration }),
    z.object({
      kind: z.literal("ramp"),
      ratePerSecond: Rate,
      rampToPerSecond: Rate,
      durationSeconds: Duration,
    }),
    z.object({
      kind: z.literal("poisson"),
      ratePerSecond: Rate,
      /** Optional: a non-homogeneous Poisson process whose rate ramps linearly to this. */
      rampToPerSecond: Rate.optional(),
      durationSeconds: Duration,
    }),
  ])
  .superRefine((spec, context) => {
    if (spec.ratePerSecond + endRate(spec) <= 0) {
      context.addIssue({ code: "custom", message: "the arrival rate must be above 0 somewhere" });
    }
  });
export type ArrivalSpec = z.infer<typeof ArrivalSpec>;

function endRate(spec: ArrivalSpec): number {
  return spec.kind === "constant" ? spec.ratePerSecond : (spec.rampToPerSecond ?? spec.ratePerSecond);
}

/** The intended rate at `seconds` after the start. */
export function rateAt(spec: ArrivalSpec, seconds: number): number {
  const r0 = spec.ratePerSecond;
  return r0 + ((endRate(spec) - r0) * seconds) / spec.durationSeconds;
}

/** Λ(D): the mean number of arrivals of the whole schedule (exact for constant and ramp, ±1). */
export function expectedArrivals(spec: ArrivalSpec): number {
  return (spec.durationSeconds * (spec.ratePerSecond + endRate(spec))) / 2;
}

/** Intended send times in ms from the start, ascending, all before the duration ends. Lazy, for long runs. */
export function* arrivalTimes(spec: ArrivalSpec, seed: number | string): Generator<number, void, undefined> {
  const r0 = spec.ratePerSecond;
  const slope = (endRate(spec) - r0) / spec.durationSeconds;
  const end = spec.durationSeconds;
  const random = spec.kind === "poisson" ? createRandom(seed).fork("arrivals") : undefined;
  // Λ⁻¹(x) = 2x / (r0 + √(r0² + 2·slope·x)): stable for slope → 0, r0 = 0 and ramps down alike.
  const inverse = (x: number) =>
    x === 0 ? 0 : (2 * x) / (r0 + Math.sqrt(Math.max(0, r0 * r0 + 2 * slope * x)));
  let x = random ? -Math.log(1 - random.next()) : 0;
  for (let k = 1; ; k += 1) {
    const seconds = inverse(x);
    if (!(seconds < end)) return;
    yield seconds * 1000;
    // Evenly spaced times come from k itself, never from a running sum, so hour-long runs do not drift.
    x = random ? x - Math.log(1 - random.next()) : k;
  }
}

/** The whole schedule as an array (for short runs and tests). */
export function arrivalTimesMs(spec: ArrivalSpec, seed: number | string): number[] {
  return [...arrivalTimes(spec, seed)];
}
