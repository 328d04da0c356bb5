// Read model of the compare page: the selected finished runs (spec, typed run record, window
// histograms) shaped by the pure prepare… functions into plain, serialisable objects; and the
// finished runs a user can pick from. Server-only.
import "server-only";
import { z } from "zod";
import { db } from "../../db/client";
import { decodeHistogram, histogramBuckets } from "../../metrics/histogram";
import { type RunVerdict, readRunRecord } from "../../runner/run-record";
import { REPORTED_RUN_STATUSES } from "../../runner/run-status";
import {
  type AcrossRunsLine,
  type CandidateSample,
  checkSelection,
  prepareAcrossRuns,
  type SelectionCheck,
} from "./across";
import {
  type Leaderboard,
  type PhaseTable,
  prepareEntries,
  prepareLeaderboard,
  preparePhaseTable,
} from "./core";
import {
  type PercentileCurves,
  type PercentileSeries,
  preparePercentileCurves,
  prepareSeverityCurves,
  type SeverityCurves,
} from "./curves";
import type { CompareParams } from "./params";
import type { ComparedEntry, RunInput } from "./types";
import { type Forest, prepareForest, prepareVerdicts, type RunVerdicts } from "./verdicts";

/** Statuses whose runs have a report to compare (an errored run has none). */
const FINISHED = REPORTED_RUN_STATUSES;

// The spec as stored (already validated when saved): only the fields this page reads, leniently,
// so a run saved by an older spec schema still opens.
const StoredFault = z.object({
  type: z.string(),
  corruption: z.string().optional().catch(undefined),
  severity: z.number().optional().catch(undefined),
  model: z.string().optional().catch(undefined),
  probability: z.number().optional().catch(undefined),
});
const StoredSpec = z.object({
  targets: z.array(
    z.object({ name: z.string(), model: z.string(), role: z.enum(["candidate", "baseline"]) }),
  ),
  dataset: z.object({
    name: z.string(),
    corruptions: z
      .array(z.object({ corruption: z.string(), severity: z.number() }))
      .optional()
      .catch([]),
  }),
  phases: z
    .array(
      z.object({
        name: z.string(),
        counts: z.boolean().optional().default(true),
        faults: z.array(StoredFault).optional().default([]),
      }),
    )
    .optional(),
  load: z.object({ durationSeconds: z.number().optional() }).optional(),
});

export interface ComparedRun {
  id: string;
  index: number;
  experiment: string;
  version: number;
  specSha256: string;
  status: string;
  verdict: RunVerdict | "no_data";
  /** Why the verdict is invalid (the record's reasons). */
  invalidReasons: string[];
  createdAt: string;
  endedAt: string | null;
  dataset: string;
  candidate: string | null;
  targets: number;
  latencyInvalid: boolean;
  maxSendLagMs: number;
  stopReason: string | null;
}

export interface ComparableRun {
  id: string;
  experiment: string;
  version: number;
  status: string;
  verdict: RunVerdict | "no_data" | null;
  createdAt: string;
  startedAt: string | null;
  endedAt: string | null;
  candidate: string | null;
  targets: string[];
}

export interface ComparisonView {
  params: CompareParams;
  runs: ComparedRun[];
  /** Why a selected run is not shown (unknown, still running, no report). */
  problems: string[];
  /** Runs of different experiments or spec versions: the warning, and the runs not compared with run 1. */
  selection: SelectionCheck;
  entries: ComparedEntry[];
  leaderboard: Leaderboard;
  phaseTable: PhaseTable;
  verdicts: RunVerdicts[];
  /** With several runs: each later run's candidate against run 1's (independent samples). */
  acrossRuns: AcrossRunsLine[];
  acrossForests: { accuracy: Forest; p99: Forest };
  forests: { runIndex: number; accuracy: Forest; p99: Forest }[];
  severity: SeverityCurves;
  percentiles: PercentileCurves;
  /** Finished runs not yet selected, the same experiment first: what "Add a run" offers. */
  addable: ComparableRun[];
}

export async function loadComparison(
  runIds: readonly string[],
  options: Omit<CompareParams, "runIds">,
): Promise<ComparisonView> {
  const params: CompareParams = { ...options, runIds: [...runIds] };
  const rows = await db().run.findMany({
    where: { id: { in: [...runIds] } },
    include: {
      experiment: { select: { name: true } },
      experimentVersion: { select: { version: true, spec: true, specSha256: true } },
      arms: { select: { id: true, label: true } },
    },
  });
  const problems: string[] = [];
  const runs: RunInput[] = [];
  const armsOf = new Map<string, Map<string, string>>();
  const meta: ComparedRun[] = [];
  for (const id of runIds) {
    const row = rows.find((run) => run.id === id);
    if (!row) {
      problems.push(`No run has id ${id}.`);
      continue;
    }
    if (!(FINISHED as readonly string[]).includes(row.status)) {
      problems.push(
        `Run ${id} (${row.experiment.name}) is ${row.status}: it can be compared once it has finished.`,
      );
      continue;
    }
    const record = readRunRecord({ summary: row.summary, verdict: row.verdict, residual: row.residual });
    const report = record.report;
    const spec = StoredSpec.safeParse(row.experimentVersion.spec);
    if (!report || !spec.success) {
      problems.push(`Run ${id} (${row.experiment.name}, ${row.status}) has no report to compare.`);
      continue;
    }
    const phases = spec.data.phases ?? [
      { name: "main", counts: true, faults: [], durationSeconds: spec.data.load?.durationSeconds },
    ];
    const verdict = record.verdict?.verdict ?? report.verdict;
    runs.push({
      id: row.id,
      experimentId: row.experimentId,
      experiment: row.experiment.name,
      version: row.experimentVersion.version,
      specSha256: row.experimentVersion.specSha256,
      verdict,
      status: row.status,
      createdAt: row.createdAt.toISOString(),
      endedAt: row.endedAt?.toISOString() ?? null,
      dataset: spec.data.dataset.name,
      datasetCorruptions: (spec.data.dataset.corruptions ?? []).map(
        (entry) => `${entry.corruption}@${entry.severity}`,
      ),
      targets: spec.data.targets,
      phases: phases.map((phase) => ({ name: phase.name, counts: phase.counts, faults: phase.faults })),
      report,
    });
    armsOf.set(row.id, new Map(row.arms.map((arm) => [arm.label, arm.id])));
    meta.push({
      id: row.id,
      index: runs.length,
      experiment: row.experiment.name,
      version: row.experimentVersion.version,
      specSha256: row.experimentVersion.specSha256,
      status: row.status,
      verdict,
      invalidReasons: (record.verdict?.invalidReasons ?? []).map((reason) =>
        reason.phase ? `${reason.phase}: ${reason.message}` : reason.message,
      ),
      createdAt: row.createdAt.toISOString(),
      endedAt: row.endedAt?.toISOString() ?? null,
      dataset: spec.data.dataset.name,
      candidate: spec.data.targets.find((target) => target.role === "candidate")?.name ?? null,
      targets: spec.data.targets.length,
      latencyInvalid: report.latencyInvalid,
      maxSendLagMs: report.maxSendLagMs,
      stopReason: report.stopReason,
    });
  }

  const entries = prepareEntries(runs, options.targets);
  const verdicts = prepareVerdicts(runs, entries);
  const selection = checkSelection(runs);
  const [{ series, samples }, addable] = await Promise.all([
    loadWindowFigures(runs, entries, armsOf, options.clock),
    listComparableRuns(50),
  ]);
  const experiments = new Set(runs.map((run) => run.experiment));
  const acrossRuns = prepareAcrossRuns(runs, samples);
  return {
    params,
    runs: meta,
    problems,
    selection,
    entries,
    leaderboard: prepareLeaderboard(runs, entries, {
      diff: options.diff,
      sort: options.sort,
      standings: verdicts,
    }),
    phaseTable: preparePhaseTable(runs, entries, { diff: options.diff }),
    verdicts,
    acrossRuns,
    acrossForests: {
      accuracy: prepareForest(
        acrossRuns.flatMap((line) =>
          line.accuracy ? [{ key: String(line.runIndex), label: line.label, estimate: line.accuracy }] : [],
        ),
      ),
      p99: prepareForest(
        acrossRuns.flatMap((line) =>
          line.p99 ? [{ key: String(line.runIndex), label: line.label, estimate: line.p99 }] : [],
        ),
      ),
    },
    forests: verdicts.map((run) => ({
      runIndex: run.runIndex,
      accuracy: prepareForest(
        run.lines.map((line) => ({ key: line.baselineKey, label: line.baseline, estimate: line.accuracy })),
      ),
      p99: prepareForest(
        run.lines.map((line) => ({ key: line.baselineKey, label: line.baseline, estimate: line.p99 })),
      ),
    })),
    severity: prepareSeverityCurves(runs, entries),
    percentiles: preparePercentileCurves(series),
    addable: addable
      .filter((run) => !runIds.includes(run.id))
      .sort((a, b) => Number(experiments.has(b.experiment)) - Number(experiments.has(a.experiment))),
  };
}

/**
 * One read of the windows behind the charts and the across-run P99 verdicts: the visible entries'
 * histograms on the chosen clock (percentile curves), and with several runs each run's candidate
 * over its counted phases — every second's latency histogram (intended-send clock, as the SLOs
 * and the paired verdicts use), decoded once. Accuracy across runs pairs the records' item tallies.
 */
async function loadWindowFigures(
  runs: readonly RunInput[],
  entries: readonly ComparedEntry[],
  armsOf: ReadonlyMap<string, ReadonlyMap<string, string>>,
  clock: CompareParams["clock"],
): Promise<{ series: PercentileSeries[]; samples: CandidateSample[] }> {
  const countedOf = (run: RunInput | undefined) =>
    (run?.phases ?? []).filter((phase) => phase.counts).map((phase) => phase.name);
  const charted = entries.flatMap((entry) => {
    const armId = armsOf.get(entry.runId)?.get(entry.target);
    return entry.visible && armId ? [{ entry, armId }] : [];
  });
  const candidates =
    runs.length < 2
      ? []
      : runs.flatMap((run, index) => {
          const candidate = run.targets.find((target) => target.role === "candidate");
          const armId = candidate ? armsOf.get(run.id)?.get(candidate.name) : undefined;
          return armId ? [{ runIndex: index + 1, armId, counted: countedOf(run) }] : [];
        });
  const armIds = [...new Set([...charted, ...candidates].map((item) => item.armId))];
  if (armIds.length === 0) return { series: [], samples: [] };
  const rows = await db().window.findMany({
    where: { armId: { in: armIds } },
    select: {
      armId: true,
      phase: true,
      latencyHistogram: clock === "latency" || candidates.length > 0,
      serviceHistogram: clock === "service",
    },
  });
  const byArm = new Map<string, typeof rows>();
  for (const row of rows) {
    const list = byArm.get(row.armId);
    if (list) list.push(row);
    else byArm.set(row.armId, [row]);
  }
  const series = charted.map(({ entry, armId }) => ({
    key: entry.key,
    countedPhases: countedOf(runs.find((run) => run.id === entry.runId)),
    windows: (byArm.get(armId) ?? []).map((window) => ({
      phase: window.phase,
      histogram: (clock === "latency" ? window.latencyHistogram : window.serviceHistogram) as Uint8Array,
    })),
  }));
  const samples = candidates.map(({ runIndex, armId, counted }) => {
    const mine = (byArm.get(armId) ?? []).filter((window) => counted.includes(window.phase));
    return {
      runIndex,
      seconds: mine.map((window) => histogramBuckets(decodeHistogram(window.latencyHistogram as Uint8Array))),
    };
  });
  return { series, samples };
}

/** Finished runs with a report, newest first: what the compare page offers to pick from. */
export async function listComparableRuns(take = 50): Promise<ComparableRun[]> {
  const rows = await db().run.findMany({
    take,
    orderBy: { createdAt: "desc" },
    where: { status: { in: [...FINISHED] } },
    select: {
      id: true,
      status: true,
      createdAt: true,
      startedAt: true,
      endedAt: true,
      summary: true,
      verdict: true,
      experiment: { select: { name: true } },
      experimentVersion: { select: { version: true } },
      arms: { select: { label: true, isCandidate: true } },
    },
  });
  return rows.flatMap((run) => {
    const record = readRunRecord({ summary: run.summary, verdict: run.verdict });
    const report = record.report;
    if (!report) return [];
    return [
      {
        id: run.id,
        experiment: run.experiment.name,
        version: run.experimentVersion.version,
        status: run.status,
        verdict: record.verdict?.verdict ?? report.verdict,
        createdAt: run.createdAt.toISOString(),
        startedAt: run.startedAt?.toISOString() ?? null,
        endedAt: run.endedAt?.toISOString() ?? null,
        candidate: run.arms.find((arm) => arm.isCandidate)?.label ?? null,
        targets: [...run.arms]
          .sort((a, b) => Number(b.isCandidate) - Number(a.isCandidate))
          .map((arm) => arm.label),
      },
    ];
  });
}
