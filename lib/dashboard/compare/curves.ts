// Chart data for the compare page: accuracy against corruption severity (one curve per corruption,
// read from the run report's per-phase rows and the spec's corrupt_input faults), and latency
// percentile curves on a "nines" axis from the merged window histograms. Pure: no I/O, no React.
import { mergeHistograms, percentileMs } from "../../metrics/histogram";
import type { ComparedEntry, FaultInput, PhaseInput, RunInput } from "./types";

// ─── Accuracy against severity ───────────────────────────────────────────────────────────────

export interface SeverityPoint {
  /** 0 = the clean (fault-free) phases. */
  severity: number;
  /** Per entry key: accuracy in [0, 1], or null (a gap: no phase at this severity, or nothing scored). */
  values: Record<string, number | null>;
  /** The phases read for this point, e.g. "blur-3", or "clean" for severity 0. */
  phases: string[];
}

export interface SeverityCurve {
  corruption: string;
  points: SeverityPoint[];
}

export interface SeverityCurves {
  curves: SeverityCurve[];
  /** Caveats: phases left out, partial corruption, corruptions the dataset mixes in everywhere. */
  notes: string[];
}

interface Bucket {
  sum: number;
  weight: number;
  parts: number;
  last: number;
  phases: Set<string>;
}

type Placement = { kind: "clean" } | { kind: "corrupt"; corruption: string; severity: number } | null;

/**
 * Where one phase sits for one target: clean (no fault at all), one corruption at one severity
 * (a corrupt_input fault that applies to the target, possibly beside other faults), or nowhere
 * (other faults only, or several corruptions at once: not a point on any single curve).
 */
export function placePhase(phase: PhaseInput, target: string): Placement {
  const applies = (fault: FaultInput) => fault.model === undefined || fault.model === target;
  const faults = phase.faults.filter(applies);
  const corruptions = faults.filter(
    (fault) => fault.type === "corrupt_input" && fault.corruption && fault.severity !== undefined,
  );
  if (faults.length === 0) return { kind: "clean" };
  if (corruptions.length !== 1) return null;
  const [fault] = corruptions as [FaultInput];
  return { kind: "corrupt", corruption: fault.corruption as string, severity: fault.severity as number };
}

/**
 * One curve per corruption kind found in the runs' phases: x = severity (0 for the clean phases),
 * y = accuracy, a value per visible entry. Phases with counts: false (a warm-up) are left out.
 * Several phases at one point (two clean phases, a severity repeated) are pooled, weighted by
 * their requests. Empty `curves` means no run has a corruption phase.
 */
export function prepareSeverityCurves(
  runs: readonly RunInput[],
  entries: readonly ComparedEntry[],
): SeverityCurves {
  const notes = new Set<string>();
  // corruption → severity → entry key → pooled accuracy
  const pooled = new Map<string, Map<number, Map<string, Bucket>>>();
  const clean = new Map<string, Bucket>();
  const cleanPhases = new Set<string>();
  const corruptPhases = new Map<string, Map<number, Set<string>>>();

  runs.forEach((run, index) => {
    const runIndex = index + 1;
    const visible = entries.filter((entry) => entry.runIndex === runIndex && entry.visible);
    for (const phase of run.phases) {
      if (!phase.counts) continue;
      const corruptFaults = phase.faults.filter((fault) => fault.type === "corrupt_input");
      if (corruptFaults.some((fault) => fault.probability !== undefined && fault.probability < 1)) {
        notes.add(
          `${phase.name} corrupts only a share of the items (probability < 1): its point mixes clean and corrupted answers.`,
        );
      }
      const others = phase.faults
        .filter((fault) => fault.type !== "corrupt_input")
        .map((fault) => fault.type);
      if (corruptFaults.length > 0 && others.length > 0) {
        notes.add(
          `${phase.name} also injects ${unique(others).join(", ")}: its accuracy is not the corruption's alone.`,
        );
      }
      for (const entry of visible) {
        const placement = placePhase(phase, entry.target);
        if (placement === null) {
          if (corruptFaults.length > 1) {
            notes.add(`${phase.name} applies several corruptions at once: it is on no single curve.`);
          }
          continue;
        }
        const row = run.report.phases.find(
          (item) => item.phase === phase.name && item.target === entry.target,
        );
        const accuracy = row?.accuracy ?? null;
        const weight = row?.requests ?? 0;
        let bucket: Bucket;
        if (placement.kind === "clean") {
          cleanPhases.add(phase.name);
          bucket = clean.get(entry.key) ?? { sum: 0, weight: 0, parts: 0, last: 0, phases: new Set() };
          clean.set(entry.key, bucket);
        } else {
          const bySeverity = pooled.get(placement.corruption) ?? new Map();
          pooled.set(placement.corruption, bySeverity);
          const byEntry = bySeverity.get(placement.severity) ?? new Map();
          bySeverity.set(placement.severity, byEntry);
          bucket = byEntry.get(entry.key) ?? { sum: 0, weight: 0, parts: 0, last: 0, phases: new Set() };
          byEntry.set(entry.key, bucket);
          const names = corruptPhases.get(placement.corruption) ?? new Map<number, Set<string>>();
          corruptPhases.set(placement.corruption, names);
          names.set(placement.severity, (names.get(placement.severity) ?? new Set()).add(phase.name));
        }
        bucket.phases.add(phase.name);
        if (accuracy !== null && weight > 0) {
          bucket.sum += accuracy * weight;
          bucket.weight += weight;
          bucket.parts += 1;
          bucket.last = accuracy;
        }
      }
    }
    if (run.datasetCorruptions.length > 0) {
      notes.add(
        `${run.experiment} mixes ${run.datasetCorruptions.join(", ")} into its dataset in every phase: severity 0 is not fully clean.`,
      );
    }
  });

  const visibleKeys = entries.filter((entry) => entry.visible).map((entry) => entry.key);
  // One phase's accuracy is shown as is (not sum/weight, which can drift by an ulp).
  const mean = (bucket: Bucket | undefined) =>
    !bucket || bucket.weight === 0 ? null : bucket.parts === 1 ? bucket.last : bucket.sum / bucket.weight;
  const curves = [...pooled.keys()].sort().map((corruption): SeverityCurve => {
    const bySeverity = pooled.get(corruption) as Map<number, Map<string, Bucket>>;
    const severities = [...bySeverity.keys()].sort((a, b) => a - b);
    const points: SeverityPoint[] = [];
    if (cleanPhases.size > 0) {
      points.push({
        severity: 0,
        phases: [...cleanPhases],
        values: Object.fromEntries(visibleKeys.map((key) => [key, mean(clean.get(key))])),
      });
    }
    for (const severity of severities) {
      const byEntry = bySeverity.get(severity) as Map<string, Bucket>;
      points.push({
        severity,
        phases: [...(corruptPhases.get(corruption)?.get(severity) ?? [])],
        values: Object.fromEntries(visibleKeys.map((key) => [key, mean(byEntry.get(key))])),
      });
    }
    return { corruption, points };
  });
  if (curves.length > 0 && cleanPhases.size === 0) {
    notes.add("No phase is free of faults, so the curves have no severity-0 (clean) point.");
  }
  return { curves, notes: [...notes] };
}

// ─── Latency percentile curves ───────────────────────────────────────────────────────────────

/** The percentiles plotted: a "nines" scale, each one step further into the tail. */
export const CURVE_PERCENTILES = [50, 90, 99, 99.9, 99.99] as const;

/** Position on the nines axis: 50 → 0.30, 90 → 1, 99 → 2, 99.9 → 3, 99.99 → 4. */
export function ninesOf(percentile: number): number {
  return -Math.log10(1 - percentile / 100);
}

export interface PercentileSeries {
  key: string;
  /** Phases whose windows count (counts: true); windows of other phases are ignored. */
  countedPhases: readonly string[];
  windows: readonly { phase: string; histogram: Uint8Array }[];
}

export interface PercentilePoint {
  percentile: number;
  /** ninesOf(percentile): the x coordinate. */
  x: number;
  label: string;
  /** Per series key: latency in ms, or null when the series recorded nothing. */
  values: Record<string, number | null>;
}

export interface PercentileCurves {
  points: PercentilePoint[];
  /** Requests behind each series (the merged histogram's count). */
  counts: Record<string, number>;
  /**
   * Per series key: the highest plotted percentile its sample supports (with n requests, percentiles
   * above 100·(1 − 1/n) are the slowest request); null when it recorded nothing.
   */
  resolvedUpTo: Record<string, number | null>;
}

/**
 * Merges each series' window histograms over the phases that count (exact: HDR histograms add) and
 * reads the latency at each percentile of the nines scale.
 */
export function preparePercentileCurves(
  series: readonly PercentileSeries[],
  percentiles: readonly number[] = CURVE_PERCENTILES,
): PercentileCurves {
  const merged = series.map((item) => {
    const counted = new Set(item.countedPhases);
    return {
      key: item.key,
      histogram: mergeHistograms(
        item.windows.filter((window) => counted.has(window.phase)).map((window) => window.histogram),
      ),
    };
  });
  const counts = Object.fromEntries(merged.map(({ key, histogram }) => [key, histogram.totalCount]));
  const resolvedUpTo = Object.fromEntries(
    merged.map(({ key, histogram }) => {
      const n = histogram.totalCount;
      if (n === 0) return [key, null];
      const supported = percentiles.filter((p) => p <= 100 * (1 - 1 / n));
      return [key, supported.length > 0 ? Math.max(...supported) : null];
    }),
  );
  const points = percentiles.map((percentile) => ({
    percentile,
    x: ninesOf(percentile),
    label: `p${percentile}`,
    values: Object.fromEntries(
      merged.map(({ key, histogram }) => [key, percentileMs(histogram, percentile)]),
    ),
  }));
  return { points, counts, resolvedUpTo };
}

function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}
