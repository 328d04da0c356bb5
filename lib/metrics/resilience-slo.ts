// The absolute resilience score: 0–100 for ONE target from its own SLO results and tolerances, so
// it means the same whatever else was compared (resilience.ts stays the relative, ranked view).
// Owns the metric → family mapping, the credit of one SLO, and the weighted family mean.

import { type MetricName, type ParsedSlo, parseSlo } from "./thresholds";

export type ResilienceFamily = "accuracy" | "availability" | "latency";

/** An SLO's verdict as the run record keeps it (lib/runner/run-record.ts SloVerdict). */
export type SloCreditVerdict = "pass" | "warn" | "fail" | "no_data" | "invalid";

/** One judged SLO of one target, as the SLO report gives it. */
export interface SloCreditInput {
  phase: string;
  /** Canonical text, parseable by parseSlo: `success_rate>=0.999 ~ >=0.98`. */
  slo: string;
  observed: number | null;
  verdict: SloCreditVerdict;
}

export interface SloCredit extends SloCreditInput {
  family: ResilienceFamily;
  /** In [0, 1]; null when the SLO was not judged (no_data, invalid), which is not a 0. */
  credit: number | null;
}

export interface FamilyScore {
  family: ResilienceFamily;
  /** Configured share (RESILIENCE_FAMILY_WEIGHTS). */
  weight: number;
  /** Share actually used, after leaving out families with nothing judged; 0 when left out. */
  effectiveWeight: number;
  /** 0–100, the mean credit of its judged SLOs; null when none was judged. */
  score: number | null;
  /** SLOs that earned a credit. */
  judged: number;
  slos: SloCredit[];
}

export interface AbsoluteResilience {
  id: string;
  /** 0–100 to one decimal; null when no SLO was judged. */
  score: number | null;
  families: FamilyScore[];
  /** One sentence when something was left out; null when every family counted. */
  note: string | null;
  method: "slo";
}

/** The same priorities as the relative score: answers first, then getting one, then its speed. */
export const RESILIENCE_FAMILY_WEIGHTS = { accuracy: 0.4, availability: 0.35, latency: 0.25 } as const;

const FAMILIES: readonly ResilienceFamily[] = ["accuracy", "availability", "latency"];

const FAMILY_OF: Readonly<Record<MetricName, ResilienceFamily>> = {
  accuracy: "accuracy",
  cer: "accuracy",
  success_rate: "availability",
  error_rate: "availability",
  count: "availability",
  throughput: "availability",
  p: "latency",
  avg: "latency",
  min: "latency",
  max: "latency",
};

export function familyOf(metric: MetricName): ResilienceFamily {
  return FAMILY_OF[metric];
}

/** Credit at the tolerance bound: within tolerance is never as good as met, nor as bad as failed. */
const CREDIT_AT_TOLERANCE = 0.5;

/**
 * 1 when the target was met, 0 beyond the tolerance (or missed with none); within tolerance, linear
 * from 1 at the target bound to ½ at the tolerance bound by where `observed` lies between them.
 * The verdict decides the case (it may know more, e.g. that data was invalid); null when unjudged.
 */
export function sloCredit(slo: ParsedSlo, observed: number | null, verdict: SloCreditVerdict): number | null {
  switch (verdict) {
    case "no_data":
    case "invalid":
      return null;
    case "pass":
      return 1;
    case "fail":
      return 0;
    case "warn": {
      const tolerance = slo.tolerance;
      if (!tolerance || observed === null || !Number.isFinite(observed)) return CREDIT_AT_TOLERANCE;
      const span = tolerance.value - slo.target.value;
      if (span === 0) return CREDIT_AT_TOLERANCE;
      // The fraction of the way from the target bound to the tolerance bound, either direction.
      const way = (observed - slo.target.value) / span;
      return Math.min(1, Math.max(CREDIT_AT_TOLERANCE, 1 - (1 - CREDIT_AT_TOLERANCE) * way));
    }
  }
}

const roundTenth = (value: number) => Math.round(value * 10) / 10;

/**
 * One target's absolute score: per family the mean credit of its judged SLOs ×100, then the
 * weighted mean of the families with at least one judged SLO (weights rescaled over those). Reads
 * nothing but this target's results, so adding or removing other targets cannot move it.
 */
export function scoreResilienceFromSlos(id: string, results: readonly SloCreditInput[]): AbsoluteResilience {
  const credits = results.map((result): SloCredit => {
    const slo = parseSlo(result.slo);
    return {
      ...result,
      family: familyOf(slo.selector.metric),
      credit: sloCredit(slo, result.observed, result.verdict),
    };
  });

  const families = FAMILIES.map((family): FamilyScore & { exact: number | null } => {
    const slos = credits.filter((credit) => credit.family === family);
    const judged = slos.map((credit) => credit.credit).filter((credit): credit is number => credit !== null);
    const exact = judged.length === 0 ? null : (100 * judged.reduce((sum, c) => sum + c, 0)) / judged.length;
    const weight = RESILIENCE_FAMILY_WEIGHTS[family];
    const score = exact === null ? null : roundTenth(exact);
    return { family, weight, effectiveWeight: 0, score, judged: judged.length, slos, exact };
  });

  const present = families.filter((family) => family.exact !== null);
  const presentWeight = present.reduce((sum, family) => sum + family.weight, 0);
  let score: number | null = null;
  if (present.length > 0) {
    let total = 0;
    for (const family of present) {
      family.effectiveWeight = family.weight / presentWeight;
      total += family.effectiveWeight * (family.exact as number);
    }
    score = roundTenth(total);
  }
  const leftOut = families.filter((family) => family.exact === null).map((family) => family.family);
  const kept = present.map((family) => family.family);
  return {
    id,
    score,
    families: families.map(({ exact: _exact, ...family }) => family),
    note: describeLeftOut(id, results.length, leftOut, kept),
    method: "slo",
  };
}

function describeLeftOut(
  id: string,
  resultCount: number,
  leftOut: readonly ResilienceFamily[],
  kept: readonly ResilienceFamily[],
): string | null {
  if (kept.length === 0) {
    return resultCount === 0
      ? `${id} has no SLO results, so it has no absolute resilience score.`
      : `No SLO of ${id} could be judged (no data or invalid data), so it has no absolute resilience score.`;
  }
  if (leftOut.length === 0) return null;
  return `No judged SLO for ${leftOut.join(", ")}: left out, and the weights of ${kept.join(", ")} were rescaled to sum to 1.`;
}
