// The drill's summary as text, and what the CLI makes of a finished run: the headline (PASSED,
// PASSED with warnings, FAILED, INVALID — why, ABORTED, ERRORED), one row per target (success,
// latency on both clocks, throughput, accuracy end to end and over answered requests, verdict),
// per-phase figures with the phases that cannot be judged marked, the candidate against each
// baseline, the absolute resilience scores, halts, and every reason a verdict was not possible.
// Everything is read through readRunRecord; nothing is parsed out of prose.
import { type HaltEvent, type RunRecord, readRunRecord } from "../runner/run-record";

/** GET /api/v1/runs/{id} as the CLI reads it: the record columns stay raw until readRunRecord. */
export interface RunView {
  id: string;
  status: string;
  error: string | null;
  latencyInvalid: boolean;
  experiment: { name: string };
  startedAt?: string | null;
  endedAt?: string | null;
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
  summary?: unknown;
  verdict?: unknown;
  residual?: unknown;
}

export const EXIT_PASS = 0;
export const EXIT_ERROR = 1;
export const EXIT_SLO_FAILED = 99;

export const recordOfView = (view: RunView): RunRecord =>
  readRunRecord({
    summary: view.summary ?? null,
    verdict: view.verdict ?? null,
    residual: view.residual ?? null,
  });

/**
 * 0 when the hypothesis holds (pass or warn), 99 when it failed on valid data (an aborted run
 * whose SLOs had already failed included), 1 when no verdict is possible (invalid, aborted, errored).
 */
export function drillExitCode(status: string, record: RunRecord): number {
  if (status === "passed") return EXIT_PASS;
  if (status === "failed") return EXIT_SLO_FAILED;
  const verdict = record.verdict?.verdict ?? record.report?.verdict;
  if (status === "aborted" && verdict === "fail") return EXIT_SLO_FAILED;
  return EXIT_ERROR;
}

/** `halted at +34s by ops-bot (phases network-latency, cpu-hog)`. */
export function describeHalt(halt: HaltEvent): string {
  const phases = halt.phases.length > 0 ? ` (phases ${halt.phases.join(", ")})` : "";
  return `halted at +${Math.round(halt.second)}s by ${halt.actor}${phases}`;
}

/** The first line: what the run's status and verdict promise. */
export function formatHeadline(view: RunView, record: RunRecord): string {
  const stopReason = record.report?.stopReason ?? null;
  const detail = (text: string | null) => (text ? ` — ${text}` : "");
  switch (view.status) {
    case "passed":
      return record.verdict?.verdict === "warn" ? "PASSED with warnings" : "PASSED";
    case "failed":
      return `FAILED${detail(stopReason ?? view.error)}`;
    case "invalid":
      return `INVALID — ${record.verdict?.invalidReasons[0]?.message ?? "no reason on record"}`;
    case "aborted":
      return `ABORTED${detail(view.error ?? stopReason)}`;
    case "errored":
      return `ERRORED${detail(view.error)}`;
    default:
      return `${view.status.toUpperCase()}${detail(view.error)}`;
  }
}

const percent = (value: number | null | undefined, digits = 1) =>
  value === null || value === undefined ? "–" : `${(value * 100).toFixed(digits)}%`;
const signed = (value: number, plus: string) =>
  `${value > 0 ? plus : value < 0 ? "−" : ""}${(Math.abs(value) * 100).toFixed(1)}%`;
const ms = (value: number | null | undefined) =>
  value === null || value === undefined ? "–" : `${value.toFixed(value < 10 ? 1 : 0)}`;
const numberOf = (value: unknown): number | null =>
  typeof value === "number" && Number.isFinite(value) ? value : null;
const intervalOf = (value: unknown): [number, number] | null =>
  Array.isArray(value) && numberOf(value[0]) !== null && numberOf(value[1]) !== null
    ? [value[0] as number, value[1] as number]
    : null;
const sum = (values: Record<string, number>) => Object.values(values).reduce((total, n) => total + n, 0);

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((cell, column) =>
    Math.max(cell.length, ...rows.map((row) => (row[column] ?? "").length)),
  );
  const format = (row: string[]) =>
    `  ${row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join("  ")}`.trimEnd();
  return [format(header), ...rows.map(format)];
}

export function formatRunSummary(view: RunView): string {
  const record = recordOfView(view);
  const lines = [`\n${view.experiment.name}: ${formatHeadline(view, record)}`];
  const report = record.report;
  if (report) {
    if (report.latencyInvalid)
      lines.push("  ⚠ the load generator fell behind its schedule: latency figures are not trustworthy");
    for (const halt of report.halts) lines.push(`  ⚠ ${describeHalt(halt)}`);
    lines.push(...targetTable(report), ...phaseTable(report), ...comparisonLines(report));
    if (report.resilience.length > 0) {
      const scores = report.resilience.map(
        (entry) => `${entry.id} ${entry.score === null ? "–" : entry.score.toFixed(0)}`,
      );
      lines.push(`  resilience (0–100, from each target's own SLOs): ${scores.join(", ")}`);
    }
  }
  const residual = record.residual;
  if (residual?.state === "residue")
    lines.push(
      `  ⚠ residual faults at the end, stopped: ${residual.faults.map((fault) => `${fault.type} ${fault.id}`).join(", ")}`,
    );
  if (residual?.state === "failed")
    lines.push(`  ⚠ the residual-fault check failed: ${residual.error ?? "no reason on record"}`);
  const reasons = record.verdict?.verdict === "invalid" ? record.verdict.invalidReasons : [];
  if (reasons.length > 0) {
    lines.push("  no verdict is possible:");
    for (const reason of reasons)
      lines.push(`    · ${reason.phase ? `${reason.phase}: ` : ""}${reason.message} (${reason.code})`);
  }
  return lines.join("\n");
}

type Report = NonNullable<RunRecord["report"]>;

function targetTable(report: Report): string[] {
  const degraded = report.targets.some((target) => sum(target.degradedBy) > 0);
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
    "answered",
    ...(degraded ? ["degraded"] : []),
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
    percent(target.answeredAccuracy),
    ...(degraded ? [String(sum(target.degradedBy))] : []),
    percent(target.cer, 2),
    target.verdict,
  ]);
  return table(header, rows);
}

function phaseTable(report: Report): string[] {
  const phases = [...new Set(report.phases.map((row) => row.phase))];
  // The code only: the sentences are listed under the table with every other reason.
  const invalidNote = (phase: string): string | null => {
    const validity = report.validity.find((entry) => entry.phase === phase);
    if (validity && !validity.valid) return validity.reasons[0]?.code ?? "no reason on record";
    const rows = report.phases.filter((row) => row.phase === phase);
    return rows.some((row) => !row.valid) ? "no reason on record" : null;
  };
  const notes = new Map(phases.map((phase) => [phase, invalidNote(phase)]));
  if (phases.length <= 1 && ![...notes.values()].some((note) => note !== null)) return [];
  const names = report.targets.map((target) => target.target);
  const rows = phases.map((phase) => {
    const note = notes.get(phase);
    return [
      note ? `${phase} (invalid: ${note})` : phase,
      ...names.map((name) => {
        const row = report.phases.find((entry) => entry.phase === phase && entry.target === name);
        return row
          ? `${percent(row.accuracy, 0)} · ${percent(row.answeredAccuracy, 0)} · ${percent(row.successRate, 0)} · ${ms(row.p99Ms)}`
          : "–";
      }),
    ];
  });
  return ["", "  per phase: accuracy · answered · success · p99 ms", ...table(["phase", ...names], rows), ""];
}

function comparisonLines(report: Report): string[] {
  // Only `verdict` is checked when read: the statistics of older records may lack a field.
  return report.comparisons.map((comparison) => {
    const accuracy = comparison.accuracy;
    let accuracyText = `accuracy ${accuracy.verdict}${accuracy.reason ? ` (${accuracy.reason})` : ""}`;
    if ("difference" in accuracy) {
      const difference = numberOf(accuracy.difference);
      const interval = intervalOf(accuracy.interval);
      const pValue = numberOf(accuracy.pValue);
      // Older records paired requests, not items: their n is requests and is said so.
      const items = "items" in accuracy ? numberOf(accuracy.items) : null;
      const requests = "items" in accuracy ? null : numberOf(accuracy.counts?.n);
      if (difference !== null && interval)
        accuracyText = [
          `accuracy ${signed(difference, "+")} [${signed(interval[0], "")}, ${signed(interval[1], "")}]`,
          items === null ? (requests === null ? null : `n=${requests} requests`) : `n=${items} items`,
          pValue === null ? null : `p=${pValue.toPrecision(2)}`,
          `→ ${accuracy.verdict}`,
        ]
          .filter((part) => part !== null)
          .join(" ");
    }
    const p99 = comparison.p99;
    let p99Text = `p99 ${p99.verdict}${p99.reason ? ` (${p99.reason})` : ""}`;
    if ("estimate" in p99) {
      const estimate = numberOf(p99.estimate);
      const interval = intervalOf(p99.interval);
      if (estimate !== null && interval)
        p99Text = `p99 ${estimate.toFixed(1)} ms [${interval[0].toFixed(1)}, ${interval[1].toFixed(1)}] → ${p99.verdict}`;
    }
    // Phases a fault reached unequally (a control's link left alone) measure the fault, not the models.
    const counted = report.phases.filter((row) => row.counts && row.target === comparison.baseline);
    const compared = comparison.phases;
    const over =
      compared && compared.length < counted.length ? ` (over ${compared.join(", ") || "no phase"})` : "";
    return `  candidate vs ${comparison.baseline}${over}: ${accuracyText}; ${p99Text}`;
  });
}
