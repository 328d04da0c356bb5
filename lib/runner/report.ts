// The run report: per target (success, latency on both clocks, throughput, accuracy, CER, SLO
// verdict), the candidate against each baseline (paired McNemar on accuracy, paired bootstrap
// on P99 over the per-second windows), and the resilience score with its components.
import type { ExperimentSpec } from "../experiments/spec";
import {
  type AccuracyComparison,
  type BootstrapComparison,
  bootstrapDifference,
  compareAccuracy,
} from "../metrics/compare";
import {
  decodeHistogram,
  histogramBuckets,
  percentileOfBuckets,
  type SparseHistogram,
} from "../metrics/histogram";
import { type ResilienceScore, type ResilienceTarget, scoreResilience } from "../metrics/resilience";
import type { SloReport, Verdict } from "../metrics/slo";
import type { LoadSummary } from "./load-generator";
import { type LoadWindow, summarizeWindows } from "./windows";

export interface TargetReport {
  target: string;
  role: "candidate" | "baseline";
  verdict: Verdict;
  requests: number;
  successRate: number | null;
  throughputPerSecond: number | null;
  accuracy: number | null;
  cer: number | null;
  counts: Record<string, number>;
  latencyMs: { p50: number | null; p90: number | null; p99: number | null; p999: number | null };
  serviceMs: { p50: number | null; p90: number | null; p99: number | null; p999: number | null };
}

/** One target in one phase: what a corruption sweep or a fault phase is read from. */
export interface PhaseTargetReport {
  phase: string;
  target: string;
  counts: boolean;
  requests: number;
  successRate: number | null;
  accuracy: number | null;
  p50Ms: number | null;
  p99Ms: number | null;
}

export interface ComparisonReport {
  baseline: string;
  accuracy: AccuracyComparison | { verdict: "inconclusive"; reason: string };
  p99: BootstrapComparison | { verdict: "inconclusive"; reason: string };
}

export interface RunReport {
  verdict: Verdict;
  stopReason: string | null;
  latencyInvalid: boolean;
  maxSendLagMs: number;
  arrivals: number;
  expectedArrivals: number;
  durationMs: number;
  targets: TargetReport[];
  phases: PhaseTargetReport[];
  comparisons: ComparisonReport[];
  resilience: ResilienceScore[];
}

export interface ReportInput {
  spec: ExperimentSpec;
  summary: LoadSummary;
  windows: readonly LoadWindow[];
  slos: SloReport;
  /** target → arrival → correct, for counted phases. */
  pairs: ReadonlyMap<string, ReadonlyMap<number, boolean>>;
  counted: ReadonlySet<string>;
  cerSums: ReadonlyMap<string, number>;
  stopReason?: string;
  seed: number;
}

/** What a target's resilience score is made of, from its report. */
export function resilienceTarget(target: TargetReport): ResilienceTarget {
  return {
    id: target.target,
    metrics: {
      accuracy: target.accuracy,
      successRate: target.successRate,
      p99LatencyMs: target.latencyMs.p99,
    },
  };
}

export function buildReport(input: ReportInput): RunReport {
  const { spec, summary, slos } = input;
  const windowsOf = (target: string) =>
    input.windows.filter((window) => window.target === target && input.counted.has(window.phase));
  const targets = spec.targets.map((target): TargetReport => {
    const span = summarizeWindows(windowsOf(target.name));
    let cerSum = 0;
    for (const [key, sum] of input.cerSums) if (key.endsWith(`\u0000${target.name}`)) cerSum += sum;
    const quantiles = (latency: typeof span.latency) => ({
      p50: latency?.p50Ms ?? null,
      p90: latency?.p90Ms ?? null,
      p99: latency?.p99Ms ?? null,
      p999: latency?.p999Ms ?? null,
    });
    const seconds = span.windows ? span.toSecond - span.fromSecond + 1 : 0;
    return {
      target: target.name,
      role: target.role,
      verdict: slos.targets.find((entry) => entry.target === target.name)?.verdict ?? "no_data",
      requests: span.requests,
      successRate: span.successRate,
      throughputPerSecond: seconds ? span.ok / seconds : null,
      accuracy: span.accuracy,
      cer: span.scored ? cerSum / span.scored : null,
      counts: {
        ok: span.ok,
        http_4xx: span.http4xx,
        http_5xx: span.http5xx,
        rejected_429: span.rejected429,
        timeout: span.timeout,
        connection_error: span.connectionError,
        overflow: span.overflow,
      },
      latencyMs: quantiles(span.latency),
      serviceMs: quantiles(span.service),
    };
  });
  const candidate = spec.targets.find((target) => target.role === "candidate")?.name as string;
  const comparisons = spec.targets
    .filter((target) => target.role === "baseline")
    .map((baseline) => compareTargets(input, candidate, baseline.name, windowsOf));
  const resilience = scoreResilience(targets.map(resilienceTarget));
  return {
    verdict: slos.verdict,
    stopReason: input.stopReason ?? null,
    latencyInvalid: summary.behindSchedule,
    maxSendLagMs: summary.maxSendLagMs,
    arrivals: summary.arrivals,
    expectedArrivals: summary.expectedArrivals,
    durationMs: summary.durationMs,
    targets,
    phases: phaseRows(input),
    comparisons,
    resilience,
  };
}

function phaseRows(input: ReportInput): PhaseTargetReport[] {
  return input.spec.phases.flatMap((phase) =>
    input.spec.targets.map((target) => {
      const span = summarizeWindows(
        input.windows.filter((window) => window.phase === phase.name && window.target === target.name),
      );
      return {
        phase: phase.name,
        target: target.name,
        counts: phase.counts,
        requests: span.requests,
        successRate: span.successRate,
        accuracy: span.accuracy,
        p50Ms: span.latency?.p50Ms ?? null,
        p99Ms: span.latency?.p99Ms ?? null,
      };
    }),
  );
}

function compareTargets(
  input: ReportInput,
  candidate: string,
  baseline: string,
  windowsOf: (target: string) => LoadWindow[],
): ComparisonReport {
  const mine = input.pairs.get(candidate) ?? new Map<number, boolean>();
  const theirs = input.pairs.get(baseline) ?? new Map<number, boolean>();
  const paired = [...mine].filter(([arrival]) => theirs.has(arrival));
  const accuracy =
    paired.length === 0
      ? { verdict: "inconclusive" as const, reason: "no item was scored for both targets" }
      : compareAccuracy({
          pairs: paired.map(([arrival, correct]) => ({
            candidate: correct,
            baseline: theirs.get(arrival) === true,
          })),
        });
  // Paired by second: the same arrival schedule hit both, so second s of each belong together.
  // Each second's histograms are decoded once into their non-empty buckets: a replicate then
  // costs a few additions per request instead of decoding and merging every window again
  // (an hour-long run went from minutes to well under a second per comparison).
  const bySecond = (target: string) => {
    const map = new Map<string, SparseHistogram[]>();
    for (const window of windowsOf(target)) {
      const key = `${window.phase}:${window.second}`;
      map.set(key, [...(map.get(key) ?? []), histogramBuckets(decodeHistogram(window.latencyHistogram))]);
    }
    return map;
  };
  const a = bySecond(candidate);
  const b = bySecond(baseline);
  const seconds = [...a.keys()].filter((key) => b.has(key));
  const p99 =
    seconds.length < 2
      ? { verdict: "inconclusive" as const, reason: "fewer than two seconds measured for both targets" }
      : bootstrapDifference<SparseHistogram[]>({
          candidate: seconds.map((key) => a.get(key) as SparseHistogram[]),
          baseline: seconds.map((key) => b.get(key) as SparseHistogram[]),
          statistic: (perSecond) => percentileOfBuckets(perSecond.flat(), 99) ?? Number.NaN,
          iterations: 500,
          seed: input.seed,
          paired: true,
        });
  return { baseline, accuracy, p99 };
}
