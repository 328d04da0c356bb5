const TONES: Record<string, string> = {
  passed: "good",
  running: "info",
  queued: "muted",
  failed: "bad",
  errored: "bad",
  aborted: "warn",
  // Ran to its end, but its data cannot support a verdict: neither a pass nor a failure.
  invalid: "warn",
};

export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge badge-${TONES[status] ?? "muted"}`}>{status}</span>;
}

const VERDICTS: Record<string, { tone: string; label: string }> = {
  pass: { tone: "good", label: "pass" },
  warn: { tone: "warn", label: "warn" },
  fail: { tone: "bad", label: "fail" },
  no_data: { tone: "muted", label: "no data" },
  invalid: { tone: "warn", label: "invalid" },
};

/**
 * The candidate's SLO verdict (pass, warn: within tolerance, fail, no data, invalid: the data cannot
 * support one); a dash before it is judged.
 */
export function VerdictBadge({ verdict }: { verdict: string | null }) {
  if (verdict === null) return <span className="muted">—</span>;
  const { tone, label } = VERDICTS[verdict] ?? { tone: "muted", label: verdict };
  return (
    <span className={`badge badge-${tone}`} title={`SLO verdict: ${label}`} data-verdict={verdict}>
      {label}
    </span>
  );
}
