// Chart data for a run page, shaped once on the server: per target, per time bucket, latency
// percentiles on both clocks, success rate, throughput and accuracy; and the phases as bands to
// shade. A bucket a target has no window for is null (a gap in the line), never zero. Long runs
// are downsampled by merging whole seconds into buckets (histograms merge exactly).
import { mergeHistograms, percentileMs } from "../metrics/histogram";
import { totalRequests, type WindowCounts } from "../runner/windows";

export interface SeriesWindow extends WindowCounts {
  target: string;
  phase: string;
  second: number;
  latencyHistogram: Uint8Array;
  serviceHistogram: Uint8Array;
}

export interface TargetPoint {
  p50Ms: number | null;
  p99Ms: number | null;
  p99ServiceMs: number | null;
  successRate: number | null;
  throughputPerSecond: number | null;
  accuracy: number | null;
}

export interface SeriesBucket {
  /** First second of the bucket (seconds since the run started). */
  second: number;
  targets: Record<string, TargetPoint | null>;
}

export interface PhaseBand {
  phase: string;
  startSecond: number;
  endSecond: number;
  faulted: boolean;
}

/** Seconds per bucket so that a run of `durationSeconds` gives at most `maxPoints` buckets. */
export function bucketSecondsFor(durationSeconds: number, maxPoints = 600): number {
  return Math.max(1, Math.ceil(durationSeconds / maxPoints));
}

export function prepareRunSeries(
  windows: readonly SeriesWindow[],
  options: { targets: readonly string[]; durationSeconds: number; bucketSeconds?: number },
): SeriesBucket[] {
  const bucketSeconds = options.bucketSeconds ?? bucketSecondsFor(options.durationSeconds);
  const grouped = new Map<number, Map<string, SeriesWindow[]>>();
  for (const window of windows) {
    const bucket = Math.floor(window.second / bucketSeconds) * bucketSeconds;
    const byTarget = grouped.get(bucket) ?? new Map<string, SeriesWindow[]>();
    grouped.set(bucket, byTarget);
    byTarget.set(window.target, [...(byTarget.get(window.target) ?? []), window]);
  }
  const buckets: SeriesBucket[] = [];
  for (let second = 0; second < options.durationSeconds; second += bucketSeconds) {
    const byTarget = grouped.get(second);
    buckets.push({
      second,
      targets: Object.fromEntries(
        options.targets.map((target) => {
          const list = byTarget?.get(target);
          return [target, list ? point(list, bucketSeconds) : null];
        }),
      ),
    });
  }
  return buckets;
}

function point(windows: readonly SeriesWindow[], bucketSeconds: number): TargetPoint {
  let requests = 0;
  let ok = 0;
  let correct = 0;
  let scored = 0;
  for (const window of windows) {
    ok += window.ok;
    correct += window.correct;
    scored += window.scored;
    requests += totalRequests(window);
  }
  const latency = mergeHistograms(windows.map((window) => window.latencyHistogram));
  const service = mergeHistograms(windows.map((window) => window.serviceHistogram));
  return {
    p50Ms: percentileMs(latency, 50),
    p99Ms: percentileMs(latency, 99),
    p99ServiceMs: percentileMs(service, 99),
    successRate: requests ? ok / requests : null,
    throughputPerSecond: ok / bucketSeconds,
    accuracy: scored ? correct / scored : null,
  };
}

/** The spec's phases as bands on the time axis; `faulted` when the phase injects faults. */
export function preparePhaseBands(
  phases: ReadonlyArray<{ name: string; durationSeconds: number; faults?: readonly unknown[] }>,
): PhaseBand[] {
  let startSecond = 0;
  return phases.map((phase) => {
    const band = {
      phase: phase.name,
      startSecond,
      endSecond: startSecond + phase.durationSeconds,
      faulted: (phase.faults?.length ?? 0) > 0,
    };
    startSecond = band.endSecond;
    return band;
  });
}
