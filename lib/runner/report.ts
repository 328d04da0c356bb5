// The run report: per target (success, latency on both clocks, throughput, accuracy end to end
// and over answered requests, CER, SLO verdict), the candidate against each baseline (accuracy
// paired by ITEM — repeats of an item are one observation — and a paired bootstrap of P99 over the
// per-second windows), and the resilience score: absolute, from each target's own SLOs, with the
// min–max rank kept apart as a relative view. Only valid phases feed comparisons and scores.
import type { ExperimentSpec } from "../experiments/spec";
import { type BootstrapComparison, bootstrapDifference } from "../metrics/compare";
import { compareItemAccuracy, type ItemTally, pairItems } from "../metrics/compare-items";
import {
  decodeHistogram,
  histogramBuckets,
  percentileOfBuckets,
  type SparseHistogram,
} from "../metrics/histogram";
import { type ResilienceTarget, scoreResilience } from "../metrics/resilience";
import { scoreResilienceFromSlos } from "../metrics/resilience-slo";
import type { SloReport } from "../metrics/slo";
import type { LoadSummary } from "./load-generator";
import type {
  ComparisonReport,
  FailureSamples,
  ItemResultsCount,
  ItemTallies,
  NoComparison,
  PhaseTargetReport,
  RunReport,
  RunReportInput,
  TargetReport,
} from "./run-record";
import type { Validity } from "./validity";
import { countsByOutcome, type LoadWindow, summarizeWindows } from "./windows";

export type { ComparisonReport, PhaseTargetReport, RunReport, TargetReport };

/** target → phase → item key → correct of total (every arrival of the item, failures included). */
export type ItemTallyBook = Map<string, Map<string, Map<string, ItemTally>>>;

export interface ReportInput {
  spec: ExperimentSpec;
  summary: LoadSummary;
  windows: readonly LoadWindow[];
  slos: SloReport;
  tallies: ItemTallyBook;
  counted: ReadonlySet<string>;
  cerSums: ReadonlyMap<string, number>;
  /** target → fallback model → answers it served. */
  degradedBy: ReadonlyMap<string, ReadonlyMap<string, number>>;
  /** The items have reference answers (end-to-end accuracy is defined). */
  scorable: boolean;
  validity: Validity;
  stopReason?: string;
  seed: number;
  /** Latest failures per target × class (item-results.ts FailureSampler). */
  failureSamples?: FailureSamples[];
  /** Per-request rows stored and dropped (the recorder's count). */
  itemResults?: ItemResultsCount;
}

/** What a target's relative (min–max) resilience is made of, from its report. */
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

export function buildReport(input: ReportInput): RunReportInput {
  const { spec, summary, slos } = input;
  // Counted phases whose data can be judged: the ones figures, comparisons and scores stand on.
  const judged = new Set([...input.counted].filter((phase) => !input.validity.invalidPhases.has(phase)));
  const windowsOf = (target: string) =>
    input.windows.filter((window) => window.target === target && judged.has(window.phase));
  const targets = spec.targets.map((target): TargetReport => {
    const span = summarizeWindows(windowsOf(target.name), { scorable: input.scorable });
    let cerSum = 0;
    for (const [key, sum] of input.cerSums) {
      const [phase, name] = key.split("\u0000");
      if (name === target.name && phase !== undefined && judged.has(phase)) cerSum += sum;
    }
    const quantiles = (latency: typeof span.latency) => ({
      p50: latency?.p50Ms ?? null,
      p90: latency?.p90Ms ?? null,
      p99: latency?.p99Ms ?? null,
      p999: latency?.p999Ms ?? null,
    });
    const seconds = span.windows ? span.toSecond - span.fromSecond + 1 : 0;
    const tallies = talliesOf(input.tallies, target.name, judged);
    return {
      target: target.name,
      role: target.role,
      verdict: slos.targets.find((entry) => entry.target === target.name)?.verdict ?? "invalid",
      requests: span.requests,
      successRate: span.successRate,
      throughputPerSecond: seconds ? span.ok / seconds : null,
      accuracy: span.accuracy,
      answeredAccuracy: span.answeredAccuracy,
      cer: span.scored ? cerSum / span.scored : null,
      counts: countsByOutcome(span),
      degradedBy: Object.fromEntries(input.degradedBy.get(target.name) ?? []),
      items: input.scorable ? tallies.size : null,
      ...(input.scorable ? { itemTallies: compactTallies(tallies) } : {}),
      latencyMs: quantiles(span.latency),
      serviceMs: quantiles(span.service),
    };
  });
  const candidate = spec.targets.find((target) => target.role === "candidate")?.name as string;
  // Each window's latency histogram decoded once into its non-empty buckets, however many
  // baselines the candidate is compared with.
  const decoded = new Map<LoadWindow, SparseHistogram>();
  const bucketsOf = (window: LoadWindow) => {
    let buckets = decoded.get(window);
    if (!buckets) {
      buckets = histogramBuckets(decodeHistogram(window.latencyHistogram));
      decoded.set(window, buckets);
    }
    return buckets;
  };
  const comparisons = spec.targets
    .filter((target) => target.role === "baseline")
    .map((baseline) => {
      const phases = new Set(
        [...judged].filter((phase) => faultsAlike(spec, phase, candidate, baseline.name)),
      );
      const windowsIn = (target: string) => windowsOf(target).filter((window) => phases.has(window.phase));
      return compareTargets(input, phases, candidate, baseline.name, windowsIn, bucketsOf);
    });
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
    resilience: spec.targets.map((target) =>
      scoreResilienceFromSlos(
        target.name,
        slos.results.filter((result) => result.target === target.name && result.kind !== "stop"),
      ),
    ),
    resilienceRelative: scoreResilience(targets.map(resilienceTarget)),
    validity: input.validity.phases,
    halts: input.validity.halts,
    loadStartedAt: summary.startedAt.toISOString(),
    failureSamples: input.failureSamples ?? [],
    itemResults: input.itemResults ?? null,
  };
}

/** One target's tallies over the given phases, by item key. */
function talliesOf(book: ItemTallyBook, target: string, phases: ReadonlySet<string>): Map<string, ItemTally> {
  const merged = new Map<string, ItemTally>();
  for (const [phase, byItem] of book.get(target) ?? []) {
    if (!phases.has(phase)) continue;
    for (const [key, tally] of byItem) {
      const entry = merged.get(key) ?? { correct: 0, total: 0 };
      entry.correct += tally.correct;
      entry.total += tally.total;
      merged.set(key, entry);
    }
  }
  return merged;
}

function compactTallies(tallies: ReadonlyMap<string, ItemTally>): ItemTallies {
  const keys = [...tallies.keys()].sort();
  return {
    keys,
    correct: keys.map((key) => tallies.get(key)?.correct ?? 0),
    total: keys.map((key) => tallies.get(key)?.total ?? 0),
  };
}

function phaseRows(input: ReportInput): PhaseTargetReport[] {
  return input.spec.phases.flatMap((phase) =>
    input.spec.targets.map((target) => {
      const span = summarizeWindows(
        input.windows.filter((window) => window.phase === phase.name && window.target === target.name),
        { scorable: input.scorable },
      );
      return {
        phase: phase.name,
        target: target.name,
        counts: phase.counts,
        requests: span.requests,
        successRate: span.successRate,
        accuracy: span.accuracy,
        answeredAccuracy: span.answeredAccuracy,
        p50Ms: span.latency?.p50Ms ?? null,
        p99Ms: span.latency?.p99Ms ?? null,
        valid: !input.validity.invalidPhases.has(phase.name),
      };
    }),
  );
}

/**
 * Whether a phase treats two targets alike: the same faults reach both (a fault naming no target
 * reaches every one). A phase that delays only the candidate's link measures the fault, not the
 * models, so a paired comparison leaves it out (the latency drill's int8 is a control, not a rival).
 */
export function faultsAlike(spec: ExperimentSpec, phase: string, a: string, b: string): boolean {
  const faults = spec.phases.find((entry) => entry.name === phase)?.faults ?? [];
  const reaching = (target: string) =>
    faults
      .filter((fault) => {
        const named = fault.type === "network" ? fault.proxy : (fault as { model?: string }).model;
        return named === undefined || named === target;
      })
      .map((fault) => {
        const { model: _model, ...rest } = fault as typeof fault & { model?: string };
        const shared = fault.type === "network" ? { ...rest, proxy: "" } : rest;
        return JSON.stringify(shared, Object.keys(shared).sort());
      })
      .sort()
      .join("\n");
  return reaching(a) === reaching(b);
}

function compareTargets(
  input: ReportInput,
  judged: ReadonlySet<string>,
  candidate: string,
  baseline: string,
  windowsOf: (target: string) => LoadWindow[],
  bucketsOf: (window: LoadWindow) => SparseHistogram,
): ComparisonReport {
  // The item is the unit: an item sent sixty times is one observation, not sixty.
  const items = pairItems(
    talliesOf(input.tallies, candidate, judged),
    talliesOf(input.tallies, baseline, judged),
  );
  const accuracy =
    items.length === 0
      ? {
          verdict: "inconclusive" as const,
          reason: !input.scorable
            ? "the items have no reference answers"
            : judged.size === 0
              ? "no valid counted phase treats both targets alike (a fault reached only one of them)"
              : "no item was sent to both targets in a valid counted phase",
        }
      : compareItemAccuracy(items, { seed: input.seed });
  const p99 = input.summary.behindSchedule
    ? {
        verdict: "inconclusive" as const,
        reason: "the load generator fell behind its schedule: latencies are not trustworthy",
      }
    : compareP99(input.seed, windowsOf(candidate), windowsOf(baseline), bucketsOf);
  return { baseline, accuracy, p99, phases: [...judged] };
}

/**
 * Paired by second: the same arrival schedule hit both, so second s of each belong together. A
 * replicate costs a few additions per request over the seconds' decoded buckets instead of
 * decoding and merging every window again (an hour-long run went from minutes to well under a
 * second per comparison).
 */
function compareP99(
  seed: number,
  candidateWindows: readonly LoadWindow[],
  baselineWindows: readonly LoadWindow[],
  bucketsOf: (window: LoadWindow) => SparseHistogram,
): BootstrapComparison | NoComparison {
  const bySecond = (windows: readonly LoadWindow[]) => {
    const map = new Map<string, SparseHistogram[]>();
    for (const window of windows) {
      const key = `${window.phase}:${window.second}`;
      const list = map.get(key);
      if (list) list.push(bucketsOf(window));
      else map.set(key, [bucketsOf(window)]);
    }
    return map;
  };
  const a = bySecond(candidateWindows);
  const b = bySecond(baselineWindows);
  const seconds = [...a.keys()].filter((key) => b.has(key));
  if (seconds.length < 2) {
    return { verdict: "inconclusive", reason: "fewer than two seconds measured for both targets" };
  }
  return bootstrapDifference<SparseHistogram[]>({
    candidate: seconds.map((key) => a.get(key) as SparseHistogram[]),
    baseline: seconds.map((key) => b.get(key) as SparseHistogram[]),
    statistic: (perSecond) => percentileOfBuckets(perSecond.flat(), 99) ?? Number.NaN,
    iterations: 500,
    seed,
    paired: true,
  });
}
