// Builders of compare-page inputs for the unit tests: a run with a spec and a plausible report.
import type { AccuracyComparison, BootstrapComparison } from "../metrics/compare";
import { scoreResilience } from "../metrics/resilience";
import {
  type ComparisonReport,
  type PhaseTargetReport,
  type RunReport,
  resilienceTarget,
  type TargetReport,
} from "../runner/report";
import type { PhaseInput, Role, RunInput } from "./compare";

export interface TargetFigures {
  name: string;
  role?: Role;
  accuracy?: number | null;
  successRate?: number | null;
  p50?: number | null;
  p99?: number | null;
  throughput?: number | null;
  verdict?: TargetReport["verdict"];
}

export function targetReport(figures: TargetFigures): TargetReport {
  return {
    target: figures.name,
    role: figures.role ?? "baseline",
    verdict: figures.verdict ?? "pass",
    requests: 100,
    successRate: figures.successRate === undefined ? 1 : figures.successRate,
    throughputPerSecond: figures.throughput === undefined ? 3 : figures.throughput,
    accuracy: figures.accuracy === undefined ? 0.9 : figures.accuracy,
    cer: null,
    counts: {},
    latencyMs: {
      p50: figures.p50 ?? 100,
      p90: null,
      p99: figures.p99 === undefined ? 200 : figures.p99,
      p999: null,
    },
    serviceMs: { p50: null, p90: null, p99: null, p999: null },
  };
}

export function accuracyComparison(difference: number, interval: [number, number], pValue: number) {
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
    counts: { b: 3, c: 5, n: 216 },
    confidence: 0.95,
    margin: 0,
  } satisfies AccuracyComparison;
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
  dataset?: string;
  targets: TargetFigures[];
  phases?: PhaseInput[];
  phaseRows?: PhaseTargetReport[];
  comparisons?: ComparisonReport[];
}): RunInput {
  const targets = options.targets.map((figures) => targetReport(figures));
  const resilience = scoreResilience(targets.map(resilienceTarget));
  const report: RunReport = {
    verdict: targets.find((target) => target.role === "candidate")?.verdict ?? "pass",
    stopReason: null,
    latencyInvalid: false,
    maxSendLagMs: 1,
    arrivals: 100,
    expectedArrivals: 100,
    durationMs: 60_000,
    targets,
    phases: options.phaseRows ?? [],
    comparisons: options.comparisons ?? [],
    resilience,
  };
  return {
    id: options.id ?? "00000000-0000-4000-8000-000000000001",
    experiment: options.experiment ?? "drill",
    version: 1,
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
    p50Ms: 100,
    p99Ms: 200,
    ...extra,
  };
}
