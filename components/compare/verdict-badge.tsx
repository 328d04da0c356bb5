import type { ComparisonVerdict } from "@/lib/dashboard/compare-verdicts";

const COMPARISON_TONES: Record<ComparisonVerdict, string> = {
  better: "good",
  worse: "bad",
  inconclusive: "muted",
};

/** A paired comparison's verdict (better, worse, inconclusive) as a badge. */
export function ComparisonBadge({ verdict }: { verdict: ComparisonVerdict }) {
  return <span className={`badge badge-${COMPARISON_TONES[verdict]}`}>{verdict}</span>;
}
