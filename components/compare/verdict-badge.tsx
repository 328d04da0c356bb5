import type { ComparisonVerdict } from "@/lib/dashboard/compare/verdicts";

const COMPARISON_TONES: Record<ComparisonVerdict, string> = {
  better: "good",
  worse: "bad",
  inconclusive: "muted",
};

/**
 * A paired comparison's verdict (better, worse, inconclusive) as a badge; `no verdict` where the
 * data could not support a comparison at all (the reason is shown beside it).
 */
export function ComparisonBadge({
  verdict,
  unavailable = false,
}: {
  verdict: ComparisonVerdict;
  unavailable?: boolean;
}) {
  if (unavailable) return <span className="badge badge-muted">no verdict</span>;
  return <span className={`badge badge-${COMPARISON_TONES[verdict]}`}>{verdict}</span>;
}
