// The drill's summary as text: one row per target (success, latency on both clocks, throughput,
// accuracy, verdict), then the candidate against each baseline, then the resilience scores.
import type { RunReport } from "../runner/report";

export interface RunView {
  id: string;
  status: string;
  error: string | null;
  latencyInvalid: boolean;
  experiment: { name: string };
  progress?: {
    arrivals: number;
    expectedArrivals: number;
    behindSchedule: boolean;
    targets: Array<{
      target: string;
      sentPerSecond: number;
      successRate: number | null;
      p99Ms: number | null;
    }>;
  } | null;
  summary?: RunReport | null;
  verdict?: unknown;
}

const percent = (value: number | null | undefined, digits = 1) =>
  value === null || value === undefined ? "–" : `${(value * 100).toFixed(digits)}%`;
const ms = (value: number | null | undefined) =>
  value === null || value === undefined ? "–" : `${value.toFixed(value < 10 ? 1 : 0)}`;

export function formatRunSummary(view: RunView): string {
  const lines = [
    `\n${view.experiment.name}: ${view.status.toUpperCase()}${view.error ? ` — ${view.error}` : ""}`,
  ];
  const report = view.summary;
  if (!report) return lines.join("\n");
  if (report.latencyInvalid)
    lines.push("  ⚠ the load generator fell behind its schedule: latency figures are not trustworthy");
  const header = [
    "target",
    "role",
    "requests",
    "success",
    "p50 ms",
    "p99 ms",
    "p99.9 ms",
    "p99 svc ms",
    "ok/s",
    "accuracy",
    "CER",
    "SLOs",
  ];
  const rows = report.targets.map((target) => [
    target.target,
    target.role,
    String(target.requests),
    percent(target.successRate, 2),
    ms(target.latencyMs.p50),
    ms(target.latencyMs.p99),
    ms(target.latencyMs.p999),
    ms(target.serviceMs.p99),
    target.throughputPerSecond === null ? "–" : target.throughputPerSecond.toFixed(1),
    percent(target.accuracy),
    percent(target.cer, 2),
    target.verdict,
  ]);
  const widths = header.map((cell, column) =>
    Math.max(cell.length, ...rows.map((row) => (row[column] ?? "").length)),
  );
  const format = (row: string[]) =>
    `  ${row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join("  ")}`;
  lines.push(format(header), ...rows.map(format));
  const phases = [...new Set((report.phases ?? []).map((row) => row.phase))];
  if (phases.length > 1) {
    lines.push("", "  per phase: accuracy · success · p99 ms");
    const names = report.targets.map((target) => target.target);
    const cells = phases.map((phase) => [
      phase,
      ...names.map((name) => {
        const row = report.phases.find((entry) => entry.phase === phase && entry.target === name);
        return row ? `${percent(row.accuracy, 0)} · ${percent(row.successRate, 0)} · ${ms(row.p99Ms)}` : "–";
      }),
    ]);
    const head = ["phase", ...names];
    const width = head.map((cell, column) =>
      Math.max(cell.length, ...cells.map((row) => (row[column] ?? "").length)),
    );
    const line = (row: string[]) =>
      `  ${row.map((cell, column) => cell.padEnd(width[column] ?? 0)).join("  ")}`;
    lines.push(line(head), ...cells.map(line), "");
  }
  for (const comparison of report.comparisons) {
    const accuracy = comparison.accuracy;
    const p99 = comparison.p99;
    const accuracyText =
      "difference" in accuracy
        ? `accuracy ${percent(accuracy.difference)} [${percent(accuracy.interval[0])}, ${percent(accuracy.interval[1])}] p=${accuracy.pValue.toPrecision(2)} → ${accuracy.verdict}`
        : `accuracy ${accuracy.verdict} (${accuracy.reason})`;
    const p99Text =
      "estimate" in p99
        ? `p99 ${p99.estimate.toFixed(1)} ms [${p99.interval[0].toFixed(1)}, ${p99.interval[1].toFixed(1)}] → ${p99.verdict}`
        : `p99 ${p99.verdict} (${p99.reason})`;
    lines.push(`  candidate vs ${comparison.baseline}: ${accuracyText}; ${p99Text}`);
  }
  if (report.resilience.length > 0) {
    const scores = report.resilience.map(
      (entry) => `${entry.id} ${entry.score === null ? "–" : entry.score.toFixed(0)}`,
    );
    lines.push(
      `  resilience (0–100; accuracy 0.40, success 0.35, p99 0.25, min-max across targets): ${scores.join(", ")}`,
    );
  }
  return lines.join("\n");
}
