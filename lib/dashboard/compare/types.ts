// The compare page's shared shapes: what the loader (./load.ts) gives the pure prepare… functions
// (the runs, their phases and spec faults) and the models compared (one entry per target per run),
// which every part of the page reads. Types only.
import type { RunReport, RunVerdict } from "../../runner/run-record";

export type Role = "candidate" | "baseline";

// ─── What the loader provides ────────────────────────────────────────────────────────────────

export interface FaultInput {
  type: string;
  corruption?: string;
  severity?: number;
  /** Restricts the fault to one target (by name). */
  model?: string;
  probability?: number;
}

export interface PhaseInput {
  name: string;
  counts: boolean;
  faults: FaultInput[];
}

/** One finished run as the page needs it: its spec's targets, dataset and phases, and its record. */
export interface RunInput {
  id: string;
  experimentId: string;
  experiment: string;
  version: number;
  /** The spec version's hash: runs of one spec measured the same drill. */
  specSha256: string;
  status: string;
  createdAt: string;
  endedAt: string | null;
  dataset: string;
  /** Corruptions the dataset mixes into every item (spec.dataset.corruptions), as "name@severity". */
  datasetCorruptions: string[];
  targets: { name: string; model: string; role: Role }[];
  phases: PhaseInput[];
  report: RunReport;
  /** The run's verdict (runs.verdict's, else the report's); `invalid` when the data cannot support one. */
  verdict: RunVerdict | "no_data";
}

// ─── The models compared ─────────────────────────────────────────────────────────────────────

/** One target of one run: a leaderboard row, a line in each chart. */
export interface ComparedEntry {
  /** `${runIndex}:${target}`: unique across the comparison, stable for a given URL. */
  key: string;
  runId: string;
  /** 1-based position of the run in the selection (#1 is the reference run). */
  runIndex: number;
  target: string;
  model: string;
  role: Role;
  /** The target's name, with "· #n" when several runs are compared. */
  label: string;
  dataset: string;
  /** Shown under the current `targets` selection. */
  visible: boolean;
  color: string;
  /** SVG stroke-dasharray per run ("" = solid for run #1). */
  dash: string;
}
