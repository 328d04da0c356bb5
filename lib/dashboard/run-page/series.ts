// Chart data for a run page, shaped once on the server: per target, per time bucket, latency
// percentiles on both clocks, success rate, throughput, accuracy and send lag; the phases as bands
// to shade; the outcomes by class. A bucket a target has no window for is null (a gap in the
// line), never zero. Long runs are downsampled by merging whole seconds into buckets (histograms
// merge exactly); buckets restart at each phase boundary, so no point mixes two phases.
// Every arrival counts in the rates: answered, failed by class, degraded (a fallback answered) or
// overflowed (never sent).
import { OUTCOMES, type Outcome, totalArrivals } from "../../runner/outcomes";
import type { WindowCounts } from "../../runner/windows";
import { describeFault } from "../faults/text";
import { HistogramSum } from "./histograms";
import type {
  BucketSlot,
  ErrorBreakdownRow,
  LatencyPoint,
  PhaseBand,
  SeriesBucket,
  TargetPoint,
} from "./types";
import { type Clock, PERCENTILE_VALUE, PERCENTILES, type PercentileKey } from "./view";

/** A window's counts; `degraded` (a fallback model answered) is absent from windows stored before it existed. */
export type SeriesCounts = Omit<WindowCounts, "overflow"> & { overflow?: number; degraded?: number };

/** Every arrival, whatever its outcome: answered, failed by class, degraded, overflowed. */
export const arrivalsOf = totalArrivals;

/** One stored window: one second of one target in one phase. */
export interface SeriesWindow extends SeriesCounts {
  target: string;
  phase: string;
  second: number;
  latencyHistogram: Uint8Array;
  serviceHistogram: Uint8Array;
  maxSendLagMs?: number;
}

/**
 * Windows of one target and phase already summed over some seconds (by SQL): counts summed, the
 * histograms listed. `second` is any second it covers; it picks the bucket.
 */
export interface SeriesPart extends SeriesCounts {
  target: string;
  phase: string;
  second: number;
  latencyHistograms?: readonly Uint8Array[];
  serviceHistograms?: readonly Uint8Array[];
  maxSendLagMs?: number;
}

/** Seconds per bucket so that a span of `durationSeconds` gives at most `maxPoints` buckets. */
export function bucketSecondsFor(durationSeconds: number, maxPoints = 600): number {
  return Math.max(1, Math.ceil(durationSeconds / maxPoints));
}

/**
 * The buckets of [from, to): `bucketSeconds` long, restarting at each phase's start (a phase's
 * last bucket may be shorter), clipped to the period. Without bands, the run is one phase.
 */
export function layoutBuckets(options: {
  durationSeconds: number;
  bucketSeconds: number;
  bands?: readonly Pick<PhaseBand, "phase" | "startSecond" | "endSecond">[];
  from?: number;
  to?: number;
}): BucketSlot[] {
  const from = Math.max(0, options.from ?? 0);
  const to = Math.min(options.durationSeconds, options.to ?? options.durationSeconds);
  const step = Math.max(1, Math.floor(options.bucketSeconds));
  const bands = options.bands?.length
    ? options.bands
    : [{ phase: null, startSecond: 0, endSecond: options.durationSeconds }];
  const slots: BucketSlot[] = [];
  for (const band of bands) {
    if (band.endSecond <= from || band.startSecond >= to) continue;
    for (let start = band.startSecond; start < band.endSecond; start += step) {
      const second = Math.max(start, from);
      const end = Math.min(start + step, band.endSecond, to);
      if (end > second) slots.push({ second, seconds: end - second, phase: band.phase });
    }
  }
  return slots;
}

export interface SeriesOptions {
  targets: readonly string[];
  durationSeconds: number;
  bucketSeconds?: number;
  bands?: readonly PhaseBand[];
  from?: number;
  to?: number;
  percentiles?: readonly PercentileKey[];
  clocks?: readonly Clock[];
  /** While a run goes on: the seconds after this have not happened yet (throughput divides by less). */
  activeUntilSecond?: number;
}

export function prepareRunSeries(
  parts: readonly (SeriesWindow | SeriesPart)[],
  options: SeriesOptions,
): SeriesBucket[] {
  const from = options.from ?? 0;
  const to = options.to ?? options.durationSeconds;
  const bucketSeconds = options.bucketSeconds ?? bucketSecondsFor(to - from);
  const slots = layoutBuckets({ ...options, bucketSeconds, from, to });
  const grouped = new Map<number, Map<string, (SeriesWindow | SeriesPart)[]>>();
  for (const part of parts) {
    const index = slotIndexOf(slots, part.second);
    if (index < 0) continue;
    const byTarget = grouped.get(index) ?? new Map<string, (SeriesWindow | SeriesPart)[]>();
    grouped.set(index, byTarget);
    const list = byTarget.get(part.target);
    if (list) list.push(part);
    else byTarget.set(part.target, [part]);
  }
  const percentiles = options.percentiles ?? PERCENTILES;
  const clocks = options.clocks ?? ["corrected", "service"];
  const sums = { corrected: new HistogramSum(), service: new HistogramSum() };
  // The items of a run all have reference answers or none do: one scored answer anywhere means a
  // second where every request failed has an end-to-end accuracy of 0, not none.
  const scorable = parts.some((part) => part.scored > 0);
  return slots.map((slot, index) => {
    const byTarget = grouped.get(index);
    let seconds = slot.seconds;
    if (options.activeUntilSecond !== undefined && options.activeUntilSecond > slot.second) {
      seconds = Math.min(slot.seconds, options.activeUntilSecond - slot.second);
    }
    return {
      ...slot,
      targets: Object.fromEntries(
        options.targets.map((target) => {
          const list = byTarget?.get(target);
          return [target, list ? point(list, seconds, percentiles, clocks, sums, scorable) : null];
        }),
      ),
    };
  });
}

/** The slot holding `second` (slots are sorted and disjoint), or -1. */
function slotIndexOf(slots: readonly BucketSlot[], second: number): number {
  let low = 0;
  let high = slots.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const slot = slots[middle] as BucketSlot;
    if (second < slot.second) high = middle - 1;
    else if (second >= slot.second + slot.seconds) low = middle + 1;
    else return middle;
  }
  return -1;
}

function histogramsOf(part: SeriesWindow | SeriesPart, clock: Clock): readonly Uint8Array[] {
  if ("latencyHistogram" in part)
    return [clock === "corrected" ? part.latencyHistogram : part.serviceHistogram];
  return (clock === "corrected" ? part.latencyHistograms : part.serviceHistograms) ?? [];
}

function point(
  parts: readonly (SeriesWindow | SeriesPart)[],
  seconds: number,
  percentiles: readonly PercentileKey[],
  clocks: readonly Clock[],
  sums: Record<Clock, HistogramSum>,
  scorable: boolean,
): TargetPoint {
  let requests = 0;
  let ok = 0;
  let correct = 0;
  let scored = 0;
  let maxSendLagMs = 0;
  for (const part of parts) {
    ok += part.ok;
    correct += part.correct;
    scored += part.scored;
    requests += arrivalsOf(part);
    maxSendLagMs = Math.max(maxSendLagMs, part.maxSendLagMs ?? 0);
  }
  const latency = (clock: Clock): LatencyPoint => {
    if (!clocks.includes(clock)) return {};
    const sum = sums[clock];
    sum.reset();
    for (const part of parts) for (const bytes of histogramsOf(part, clock)) sum.add(bytes);
    const values = sum.percentilesMs(percentiles.map((key) => PERCENTILE_VALUE[key]));
    return Object.fromEntries(percentiles.map((key, index) => [key, values[index] ?? null]));
  };
  // Rounded far below what a chart shows: a third off the JSON of a long run.
  return {
    requests,
    latencyMs: latency("corrected"),
    serviceMs: latency("service"),
    successRate: requests ? round(ok / requests, 6) : null,
    throughputPerSecond: round(ok / Math.max(1, seconds), 3),
    accuracy: scorable && requests ? round(correct / requests, 6) : null,
    answeredAccuracy: scored ? round(correct / scored, 6) : null,
    maxSendLagMs: round(maxSendLagMs, 2),
  };
}

const round = (value: number, digits: number) => {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
};

/** The spec's phases as bands on the time axis; `faulted` when the phase injects faults. */
export function preparePhaseBands(
  phases: ReadonlyArray<{
    name: string;
    durationSeconds: number;
    counts?: boolean;
    faults?: readonly unknown[];
  }>,
): PhaseBand[] {
  let startSecond = 0;
  return phases.map((phase) => {
    const faults = (phase.faults ?? []).map(describeFault);
    const band = {
      phase: phase.name,
      startSecond,
      endSecond: startSecond + phase.durationSeconds,
      faulted: faults.length > 0,
      counts: phase.counts ?? true,
      faults,
    };
    startSecond = band.endSecond;
    return band;
  });
}

/**
 * Outcomes by class per target, over whatever parts were passed (the period shown): a fallback
 * answer is `degraded`, its own class, and an overflow counts among the requests.
 */
export function prepareErrorBreakdown(
  parts: readonly (SeriesCounts & { target: string })[],
  targets: readonly string[],
): ErrorBreakdownRow[] {
  const rows = new Map(
    targets.map((target) => [
      target,
      {
        target,
        requests: 0,
        counts: Object.fromEntries(OUTCOMES.map((outcome) => [outcome, 0])) as Record<Outcome, number>,
      },
    ]),
  );
  for (const part of parts) {
    const row = rows.get(part.target);
    if (!row) continue;
    row.counts.ok += part.ok;
    row.counts.http_4xx += part.http4xx;
    row.counts.http_5xx += part.http5xx;
    row.counts.rejected_429 += part.rejected429;
    row.counts.timeout += part.timeout;
    row.counts.connection_error += part.connectionError;
    row.counts.degraded += part.degraded ?? 0;
    row.counts.overflow += part.overflow ?? 0;
    row.requests += arrivalsOf(part);
  }
  return [...rows.values()];
}
