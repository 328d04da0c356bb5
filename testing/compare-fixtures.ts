// Builders of compare-page inputs for the unit tests: a run with a spec and a plausible record.

import type { PhaseInput, Role, RunInput } from "../lib/dashboard/compare/types";
import type { BootstrapComparison } from "../lib/metrics/compare";
import type { ItemAccuracyComparison } from "../lib/metrics/compare-items";
import { scoreResilience } from "../lib/metrics/resilience";
import type { AbsoluteResilience } from "../lib/metrics/resilience-slo";
import { resilienceTarget } from "../lib/runner/report";
import type {
  ComparisonReport,
  ItemTallies,
  PhaseTargetReport,
  RunReport,
  TargetReport,
} from "../lib/runner/run-record";

export interface TargetFigures {
  name: string;
  role?: Role;
  accuracy?: number | null;
  successRate?: number | null;
  p50?: number | null;
  p99?: number | null;
  throughput?: number | null;
  verdict?: TargetReport["verdict"];
  /** The absolute resilience score (from its own SLOs). */
  resilience?: number | null;
  items?: number | null;
  itemTallies?: ItemTallies;
}

export function targetReport(figures: TargetFigures): TargetReport {
  const accuracy = figures.accuracy === undefined ? 0.9 : figures.accuracy;
  return {
    target: figures.name,
    role: figures.role ?? "baseline",
    verdict: figures.verdict ?? "pass",
    requests: 100,
    successRate: figures.successRate === undefined ? 1 : figures.successRate,
    throughputPerSecond: figures.throughput === undefined ? 3 : figures.throughput,
    accuracy,
    answeredAccuracy: accuracy,
    cer: null,
    counts: {},
    degradedBy: {},
    items: figures.items === undefined ? 50 : figures.items,
    ...(figures.itemTallies ? { itemTallies: figures.itemTallies } : {}),
    latencyMs: {
      p50: figures.p50 ?? 100,
      p90: null,
      p99: figures.p99 === undefined ? 200 : figures.p99,
      p999: null,
    },
    serviceMs: { p50: null, p90: null, p99: null, p999: null },
  };
}

/** Per-item tallies: `correct[i]` of `repeats` right for item i (keys "item-i|none"). */
export function tallies(correct: readonly number[], repeats = 3): ItemTallies {
  return {
    keys: correct.map((_, index) => `item-${String(index).padStart(3, "0")}|none`),
    correct: [...correct],
    total: correct.map(() => repeats),
  };
}

export function absoluteScore(id: string, score: number | null): AbsoluteResilience {
  return {
    id,
    score,
    families: [
      { family: "accuracy", weight: 0.4, effectiveWeight: 0.4, score, judged: 1, slos: [] },
      { family: "availability", weight: 0.35, effectiveWeight: 0.35, score: 100, judged: 1, slos: [] },
      { family: "latency", weight: 0.25, effectiveWeight: 0.25, score: null, judged: 0, slos: [] },
    ],
    note: null,
    method: "slo",
  };
}

export function accuracyComparison(
  difference: number,
  interval: [number, number],
  pValue: number,
): ItemAccuracyComparison {
  const verdict = interval[0] <= 0 && interval[1] >= 0 ? "inconclusive" : difference > 0 ? "better" : "worse";
  return {
    difference,
    interval,
    intervalMethod: "Tango score",
    pValue,
    test: "mid-p binomial",
    chiSquare: null,
    verdict,
    reason: verdict === "inconclusive" ? "includes-zero" : "beyond-margin",
    counts: { b: 3, c: 5, n: 72 },
    items: 72,
    requests: { candidate: 216, baseline: 216 },
    repeatsAgree: true,
    confidence: 0.95,
    margin: 0,
  };
}

export function p99Comparison(estimate: number, interval: [number, number]) {
  const verdict = interval[0] <= 0 && interval[1] >= 0 ? "inconclusive" : estimate < 0 ? "better" : "worse";
  return {
    estimate,
    candidate: 200 + estimate,
    baseline: 200,
    interval,
    verdict,
    reason: verdict === "inconclusive" ? "includes-zero" : "beyond-margin",
    iterations: 500,
    blockLength: 4,
    confidence: 0.95,
    margin: 0,
  } satisfies BootstrapComparison;
}

export function makeRun(options: {
  id?: string;
  experiment?: string;
  experimentId?: string;
  version?: number;
  specSha256?: string;
  dataset?: string;
  targets: TargetFigures[];
  phases?: PhaseInput[];
  phaseRows?: PhaseTargetReport[];
  comparisons?: ComparisonReport[];
  validity?: RunReport["validity"];
}): RunInput {
  const targets = options.targets.map((figures) => targetReport(figures));
  const experiment = options.experiment ?? "drill";
  const verdict = targets.find((target) => target.role === "candidate")?.verdict ?? "pass";
  const report: RunReport = {
    verdict,
    stopReason: null,
    latencyInvalid: false,
    maxSendLagMs: 1,
    arrivals: 100,
    expectedArrivals: 100,
    durationMs: 60_000,
    targets,
    phases: options.phaseRows ?? [],
    comparisons: options.comparisons ?? [],
    resilience: options.targets.map((figures) => absoluteScore(figures.name, figures.resilience ?? 80)),
    resilienceRelative: scoreResilience(targets.map(resilienceTarget)),
    validity: options.validity ?? [],
    halts: [],
    loadStartedAt: null,
  };
  return {
    id: options.id ?? "00000000-0000-4000-8000-000000000001",
    experimentId: options.experimentId ?? `experiment-${experiment}`,
    experiment,
    version: options.version ?? 1,
    specSha256: options.specSha256 ?? `sha-${experiment}-${options.version ?? 1}`.padEnd(64, "0"),
    status: "passed",
    createdAt: "2026-01-01T00:00:00.000Z",
    endedAt: "2026-01-01T00:01:00.000Z",
    dataset: options.dataset ?? "textline-v1",
    datasetCorruptions: [],
    targets: targets.map((target) => ({
      name: target.target,
      model: `model-${target.target}`,
      role: target.role,
    })),
    phases: options.phases ?? [{ name: "main", counts: true, faults: [] }],
    report,
    verdict,
  };
}

export function phaseRow(
  phase: string,
  target: string,
  accuracy: number | null,
  extra: Partial<PhaseTargetReport> = {},
): PhaseTargetReport {
  return {
    phase,
    target,
    counts: true,
    requests: 36,
    successRate: 1,
    accuracy,
    answeredAccuracy: accuracy,
    p50Ms: 100,
    p99Ms: 200,
    valid: true,
    ...extra,
  };
}
