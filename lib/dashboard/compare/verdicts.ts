// The candidate's verdict against each baseline, read from the run report's paired comparisons
// (accuracy paired on distinct items, paired block bootstrap on P99), as sentences and as
// intervals laid on a shared axis (a small forest plot). A comparison the data cannot support —
// none recorded, or an older request-level one — has no verdict, only its reason. Pure: no I/O,
// no React.
import type { Verdict as ComparisonVerdict } from "../../metrics/compare";
import type { ComparisonReport, RunVerdict } from "../../runner/run-record";
import { formatMs, formatSigned } from "./format";
import type { ComparedEntry, RunInput } from "./types";

export type { ComparisonVerdict };

export interface DifferenceEstimate {
  /** "measured": an interval exists; "unavailable": the report could not compare (reason says why). */
  status: "measured" | "unavailable";
  verdict: ComparisonVerdict;
  /** Candidate − baseline, in display units (percentage points for accuracy, ms for P99). */
  estimate: number | null;
  interval: [number, number] | null;
  /** The confidence level of the interval (0.95). */
  confidence: number | null;
  /** Accuracy only: McNemar's p-value and test. */
  pValue: number | null;
  test: string | null;
  /** Accuracy: distinct items paired (n), the unit of the test; null otherwise. */
  items: number | null;
  /** Accuracy: discordant items; P99: the two values compared (ms). */
  detail: string | null;
  reason: string | null;
  /** Display pieces: "+0.5 pp", "[−1.2, 2.3]", "p = 0.55" (null where they do not apply). */
  estimateText: string | null;
  intervalText: string | null;
  pText: string | null;
  /** "accuracy +0.5 pp [−1.2, 2.3] p = 0.55 → inconclusive". */
  text: string;
}

export interface VerdictLine {
  baseline: string;
  baselineKey: string;
  accuracy: DifferenceEstimate;
  p99: DifferenceEstimate;
  /** "fp32 vs int8: accuracy … → inconclusive; P99 … → better". */
  sentence: string;
}

export interface RunVerdicts {
  runId: string;
  runIndex: number;
  candidate: string;
  candidateKey: string;
  /** The candidate's SLO verdict (the run's verdict; `invalid` when its data cannot support one). */
  sloVerdict: RunVerdict | "no_data";
  /** One short paragraph: SLO verdict, then how the paired comparisons came out. */
  summary: string;
  lines: VerdictLine[];
}

/**
 * The verdict lines of each run's candidate against its baselines that are visible. A verdict is
 * `inconclusive` exactly when the interval holds 0 (or the report could not compare);
 * otherwise `better` or `worse` (for P99, lower is better).
 */
export function prepareVerdicts(runs: readonly RunInput[], entries: readonly ComparedEntry[]): RunVerdicts[] {
  return runs.flatMap((run, index) => {
    const runIndex = index + 1;
    const candidate = run.targets.find((target) => target.role === "candidate");
    if (!candidate) return [];
    const visible = (target: string) =>
      entries.some((entry) => entry.runIndex === runIndex && entry.target === target && entry.visible);
    const lines = run.report.comparisons
      .filter((comparison) => visible(comparison.baseline))
      .map((comparison) => verdictLine(candidate.name, runIndex, comparison));
    return [
      {
        runId: run.id,
        runIndex,
        candidate: candidate.name,
        candidateKey: `${runIndex}:${candidate.name}`,
        sloVerdict: run.verdict,
        summary: summarise(candidate.name, run.verdict, lines),
        lines,
      },
    ];
  });
}

function verdictLine(candidate: string, runIndex: number, comparison: ComparisonReport): VerdictLine {
  const accuracy = accuracyEstimate(comparison.accuracy);
  const p99 = p99Estimate(comparison.p99);
  return {
    baseline: comparison.baseline,
    baselineKey: `${runIndex}:${comparison.baseline}`,
    accuracy,
    p99,
    sentence: `${candidate} vs ${comparison.baseline}: ${accuracy.text}; ${p99.text}`,
  };
}

const numberOr = (value: unknown): number | null =>
  typeof value === "number" && Number.isFinite(value) ? value : null;

const intervalOf = (value: unknown): [number, number] | null =>
  Array.isArray(value) && value.length === 2 && value.every((end) => typeof end === "number")
    ? [value[0] as number, value[1] as number]
    : null;

const reasonOf = (stored: Record<string, unknown>) =>
  typeof stored.reason === "string" ? stored.reason : "not compared";

/**
 * A stored accuracy comparison. Only an item-level one (it says how many distinct items it
 * paired) can carry a verdict: an older record paired requests, which overstates the evidence
 * when items repeat, so it reads as having no per-item record.
 */
export function accuracyEstimate(report: ComparisonReport["accuracy"]): DifferenceEstimate {
  const stored = report as unknown as Record<string, unknown>;
  const difference = numberOr(stored.difference);
  const pValue = numberOr(stored.pValue);
  const items = numberOr(stored.items);
  const interval = intervalOf(stored.interval);
  if (!interval || difference === null || pValue === null) return unavailable("accuracy", reasonOf(stored));
  if (items === null)
    return unavailable("accuracy", "no per-item record (an older run paired requests, not items)");
  const counts = (stored.counts ?? {}) as { b?: unknown; c?: unknown };
  const requests = stored.requests as { candidate?: unknown; baseline?: unknown } | number | undefined;
  const requestsText =
    typeof requests === "number"
      ? `${requests} requests`
      : requests && numberOr(requests.candidate) !== null
        ? `${numberOr(requests.candidate)} and ${numberOr(requests.baseline) ?? "?"} requests`
        : null;
  const test = typeof stored.test === "string" ? stored.test : "paired test over items";
  return accuracyDifference({
    difference,
    interval,
    pValue,
    test,
    verdict: report.verdict,
    confidence: numberOr(stored.confidence) ?? 0.95,
    items,
    detail: `${items} distinct items paired${requestsText ? ` (${requestsText})` : ""}; ${numberOr(counts.b) ?? "?"} right only for the candidate, ${numberOr(counts.c) ?? "?"} only for the baseline (${test})`,
  });
}

export function p99Estimate(report: ComparisonReport["p99"]): DifferenceEstimate {
  const stored = report as unknown as Record<string, unknown>;
  const estimate = numberOr(stored.estimate);
  const candidate = numberOr(stored.candidate);
  const baseline = numberOr(stored.baseline);
  const interval = intervalOf(stored.interval);
  if (!interval || estimate === null) return unavailable("P99", reasonOf(stored));
  return p99Difference({
    estimate,
    interval,
    verdict: report.verdict,
    confidence: numberOr(stored.confidence) ?? 0.95,
    detail: `${candidate === null ? "—" : formatMs(candidate)} against ${baseline === null ? "—" : formatMs(baseline)}; paired block bootstrap, ${numberOr(stored.iterations) ?? "?"} replicates, blocks of ${numberOr(stored.blockLength) ?? "?"} s`,
  });
}

/** An accuracy difference (as fractions) for display: percentage points, interval, p-value. */
export function accuracyDifference(measured: {
  difference: number;
  interval: readonly [number, number];
  pValue: number;
  test: string;
  verdict: ComparisonVerdict;
  confidence: number;
  /** Distinct items paired: the n of the test. */
  items: number;
  detail: string;
}): DifferenceEstimate {
  const estimate = measured.difference * 100;
  const interval: [number, number] = [measured.interval[0] * 100, measured.interval[1] * 100];
  const estimateText = formatSigned(estimate, 1, " pp");
  const intervalText = formatInterval(interval, 1);
  const pText = measured.pValue < 0.001 ? "p < 0.001" : `p = ${formatP(measured.pValue)}`;
  return {
    status: "measured",
    verdict: measured.verdict,
    estimate,
    interval,
    confidence: measured.confidence,
    pValue: measured.pValue,
    test: measured.test,
    items: measured.items,
    detail: measured.detail,
    reason: null,
    estimateText,
    intervalText,
    pText,
    text: `accuracy ${estimateText} ${intervalText} ${pText}, n = ${measured.items} items → ${measured.verdict}`,
  };
}

/** A P99 difference in ms for display, with as many decimals as its size deserves. */
export function p99Difference(measured: {
  estimate: number;
  interval: readonly [number, number];
  verdict: ComparisonVerdict;
  confidence: number;
  detail: string;
}): DifferenceEstimate {
  const widest = Math.max(Math.abs(measured.interval[0]), Math.abs(measured.interval[1]));
  const estimateText = formatSigned(measured.estimate, msDigits(measured.estimate), " ms");
  const intervalText = formatInterval(measured.interval, msDigits(widest));
  return {
    status: "measured",
    verdict: measured.verdict,
    estimate: measured.estimate,
    interval: [measured.interval[0], measured.interval[1]],
    confidence: measured.confidence,
    pValue: null,
    test: null,
    items: null,
    detail: measured.detail,
    reason: null,
    estimateText,
    intervalText,
    pText: null,
    text: `P99 ${estimateText} ${intervalText} → ${measured.verdict}`,
  };
}

/**
 * An estimate that could not be made: no verdict, the reason shown in its place. It separates
 * nothing, so for ranking it counts as inconclusive.
 */
export function unavailable(metric: string, reason: string): DifferenceEstimate {
  return {
    status: "unavailable",
    verdict: "inconclusive",
    estimate: null,
    interval: null,
    confidence: null,
    pValue: null,
    test: null,
    items: null,
    detail: null,
    reason,
    estimateText: null,
    intervalText: null,
    pText: null,
    text: `${metric}: no verdict (${reason})`,
  };
}

/** "[−1.2, 2.3]" with true minus signs. */
export function formatInterval(interval: readonly [number, number], digits: number): string {
  const one = (value: number) => {
    const text = Math.abs(value).toFixed(digits);
    return value < 0 && Number(text) !== 0 ? `−${text}` : text;
  };
  return `[${one(interval[0])}, ${one(interval[1])}]`;
}

/** Two significant figures, and "< 0.001" below that. */
export function formatP(p: number): string {
  if (p < 0.001) return "< 0.001";
  if (p >= 0.1) return p.toFixed(2);
  return p.toPrecision(2);
}

function msDigits(value: number): number {
  const abs = Math.abs(value);
  return abs >= 100 ? 0 : abs >= 10 ? 1 : 2;
}

function summarise(candidate: string, slo: RunVerdict | "no_data", lines: readonly VerdictLine[]): string {
  const slo_ =
    slo === "invalid"
      ? `Candidate ${candidate}: no SLO verdict (invalid: the run's data cannot support one).`
      : `Candidate ${candidate}: SLO verdict ${slo.replace("_", " ")}.`;
  if (lines.length === 0) return `${slo_} No baseline is shown to compare it with.`;
  const part = (label: string, pick: (line: VerdictLine) => DifferenceEstimate) => {
    const groups: Record<ComparisonVerdict | "none", string[]> = {
      better: [],
      worse: [],
      inconclusive: [],
      none: [],
    };
    for (const line of lines) {
      const estimate = pick(line);
      groups[estimate.status === "unavailable" ? "none" : estimate.verdict].push(line.baseline);
    }
    const said = (["better", "worse", "inconclusive", "none"] as const)
      .filter((verdict) => groups[verdict].length > 0)
      .map((verdict) => {
        const names = groups[verdict].join(", ");
        if (verdict === "none") return `no verdict against ${names}`;
        return verdict === "inconclusive" ? `inconclusive against ${names}` : `${verdict} than ${names}`;
      });
    return `${label} ${said.join("; ")}`;
  };
  return `${slo_} ${part("Accuracy:", (line) => line.accuracy)}. ${part("P99:", (line) => line.p99)}.`;
}

// ─── The intervals on a shared axis ──────────────────────────────────────────────────────────

export interface ForestRow {
  key: string;
  label: string;
  verdict: ComparisonVerdict;
  /** Positions on the axis in per cent of its width; null when there is no interval. */
  lowPercent: number | null;
  highPercent: number | null;
  estimatePercent: number | null;
  estimate: DifferenceEstimate;
}

export interface Forest {
  /** The axis runs from −extent to +extent (symmetric, so 0 is in the middle). */
  extent: number;
  zeroPercent: number;
  rows: ForestRow[];
}

/**
 * Lays intervals of one metric on one symmetric axis around 0, wide enough for the widest, so the
 * rows compare at a glance and "holds 0" is visible as crossing the middle line.
 */
export function prepareForest(
  items: readonly { key: string; label: string; estimate: DifferenceEstimate }[],
): Forest {
  const ends = items.flatMap(({ estimate }) =>
    estimate.interval ? [Math.abs(estimate.interval[0]), Math.abs(estimate.interval[1])] : [],
  );
  const extent = niceCeiling(Math.max(0, ...ends));
  const at = (value: number) => Math.min(100, Math.max(0, ((value + extent) / (2 * extent)) * 100));
  return {
    extent,
    zeroPercent: 50,
    rows: items.map(({ key, label, estimate }) => ({
      key,
      label,
      verdict: estimate.verdict,
      lowPercent: estimate.interval ? at(estimate.interval[0]) : null,
      highPercent: estimate.interval ? at(estimate.interval[1]) : null,
      estimatePercent: estimate.estimate === null ? null : at(estimate.estimate),
      estimate,
    })),
  };
}

/** The next 1, 2 or 5 × 10^k at or above value (1 for nothing). */
export function niceCeiling(value: number): number {
  if (!(value > 0) || !Number.isFinite(value)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}
