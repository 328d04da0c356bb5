const TONES: Record<string, string> = {
  passed: "good",
  running: "info",
  queued: "muted",
  failed: "bad",
  errored: "bad",
  aborted: "warn",
};

export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge badge-${TONES[status] ?? "muted"}`}>{status}</span>;
}
