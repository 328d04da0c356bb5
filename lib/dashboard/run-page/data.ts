// The run page's reads, given a Prisma client (the web server passes db(); a benchmark or test
// its own): the run and its spec, the series (summed per bucket in SQL, histograms merged per
// bucket in JS, only the clocks shown), fault events and active leases, verdicts and the residual
// check, all read from the run's typed record (readRunRecord). Returns plain serialisable objects.
// ./load.ts is the server-only door.

import { z } from "zod";
import type { PrismaClient } from "../../db/prisma";
import { isUuid } from "../../http/params";
import { type RunRecord, readRunRecord } from "../../runner/run-record";
import {
  estimateLoadStart,
  isLive,
  prepareFaultTimeline,
  prepareFlags,
  prepareHaltMarkers,
  prepareProgress,
  prepareReportFigures,
  prepareResidualCheck,
  prepareRunOutcome,
} from "./model";
import {
  bucketSecondsFor,
  prepareErrorBreakdown,
  preparePhaseBands,
  prepareRunSeries,
  type SeriesCounts,
  type SeriesPart,
} from "./series";
import type { PhaseBand, RunHeader, RunPage, RunSeries, RunTargetInfo } from "./types";
import { clocksOf, type RunView, selectedTargets, zoomOf } from "./view";

// Only what the page needs of a stored spec, read leniently: a spec saved by an older version
// (or a test's bare `{}`) still shows its run.
const StoredSpec = z.object({
  targets: z
    .array(
      z.object({
        name: z.string(),
        model: z.string().catch(""),
        role: z.enum(["candidate", "baseline"]).catch("baseline"),
        url: z.string().optional().catch(undefined),
      }),
    )
    .catch([]),
  phases: z
    .array(
      z.object({
        name: z.string(),
        durationSeconds: z.number().int().positive(),
        counts: z.boolean().optional().catch(undefined),
        faults: z.array(z.unknown()).optional().catch(undefined),
      }),
    )
    .optional()
    .catch(undefined),
  load: z
    .object({ durationSeconds: z.number().optional().catch(undefined) })
    .partial()
    .catch({}),
});

interface RunMeta {
  header: RunHeader;
  targets: RunTargetInfo[];
  bands: PhaseBand[];
  progressJson: unknown;
  heartbeatAt: string | null;
  latencyInvalid: boolean;
  record: RunRecord;
}

async function readRunMeta(prisma: PrismaClient, runId: string): Promise<RunMeta | null> {
  if (!isUuid(runId)) return null;
  const run = await prisma.run.findUnique({
    where: { id: runId },
    include: {
      experiment: { select: { name: true } },
      experimentVersion: { select: { version: true, specSha256: true, spec: true } },
      arms: { select: { label: true, isCandidate: true } },
    },
  });
  if (!run) return null;
  const spec = StoredSpec.safeParse(run.experimentVersion.spec ?? {});
  const stored = spec.success ? spec.data : { targets: [], phases: undefined, load: {} };
  const targets: RunTargetInfo[] = stored.targets.map((target) => ({
    name: target.name,
    role: target.role,
    model: target.model,
    url: target.url ?? null,
  }));
  for (const arm of run.arms) {
    if (!targets.some((target) => target.name === arm.label)) {
      targets.push({
        name: arm.label,
        role: arm.isCandidate ? "candidate" : "baseline",
        model: "",
        url: null,
      });
    }
  }
  let phases = stored.phases;
  if (!phases?.length) {
    // A spec without phases runs one, "main"; without a duration either, the windows tell.
    const seconds = stored.load.durationSeconds ?? (await lastSecond(prisma, runId)) + 1;
    phases = [{ name: "main", durationSeconds: Math.max(1, seconds), counts: true, faults: [] }];
  }
  const bands = preparePhaseBands(phases);
  const plannedSeconds = bands.at(-1)?.endSecond ?? 1;
  return {
    header: {
      id: run.id,
      experimentId: run.experimentId,
      experiment: run.experiment.name,
      version: run.experimentVersion.version,
      specSha256: run.experimentVersion.specSha256,
      status: run.status,
      trigger: run.trigger,
      seed: run.seed.toString(),
      createdAt: run.createdAt.toISOString(),
      startedAt: run.startedAt?.toISOString() ?? null,
      endedAt: run.endedAt?.toISOString() ?? null,
      error: run.error,
      abortRequestedAt: run.abortRequestedAt?.toISOString() ?? null,
      plannedSeconds,
    },
    targets,
    bands,
    progressJson: run.progress,
    heartbeatAt: run.heartbeatAt?.toISOString() ?? null,
    latencyInvalid: run.latencyInvalid,
    record: readRunRecord({ summary: run.summary, verdict: run.verdict, residual: run.residual }),
  };
}

async function lastSecond(prisma: PrismaClient, runId: string): Promise<number> {
  const rows = await prisma.$queryRawUnsafe<Array<{ last: number | null }>>(
    `select max(w.second)::int as last from windows w join run_arms a on a.id = w.arm_id where a.run_id = $1::uuid`,
    runId,
  );
  return rows[0]?.last ?? 0;
}

interface BucketRow extends SeriesCounts {
  target: string;
  phase: string;
  second: number;
  windows: number;
  maxSendLagMs: number;
  latencyHistograms?: Uint8Array[];
  serviceHistograms?: Uint8Array[];
}

/**
 * The period's windows summed per target, phase and bucket in SQL (buckets restart at each phase
 * start, as layoutBuckets lays them out); the histograms come along as arrays, only for the clocks
 * shown and the targets selected, to be merged per bucket.
 */
async function readBuckets(
  prisma: PrismaClient,
  runId: string,
  options: {
    bands: readonly PhaseBand[];
    from: number;
    to: number;
    bucketSeconds: number;
    targets: readonly string[];
    latency: boolean;
    service: boolean;
  },
): Promise<BucketRow[]> {
  const sql = `
    select a.label as target, w.phase, min(w.second)::int as second, count(*)::int as windows,
      sum(w.ok)::int as ok, sum(w.http_4xx)::int as "http4xx", sum(w.http_5xx)::int as "http5xx",
      sum(w.rejected_429)::int as "rejected429", sum(w.timeout)::int as timeout,
      sum(w.connection_error)::int as "connectionError", sum(w.overflow)::int as overflow,
      sum(w.degraded)::int as degraded,
      sum(w.correct)::int as correct, sum(w.scored)::int as scored,
      max(w.max_send_lag_ms)::float8 as "maxSendLagMs"
      ${options.latency ? `, array_agg(w.latency_histogram) filter (where a.label = any($7::text[])) as "latencyHistograms"` : ""}
      ${options.service ? `, array_agg(w.service_histogram) filter (where a.label = any($7::text[])) as "serviceHistograms"` : ""}
    from windows w
    join run_arms a on a.id = w.arm_id
    left join unnest($2::text[], $3::int[]) as p(name, start) on p.name = w.phase
    where a.run_id = $1::uuid and w.second >= $4::int and w.second < $5::int
    group by a.label, w.phase,
      coalesce(p.start, 0) + ((w.second - coalesce(p.start, 0)) / $6::int) * $6::int`;
  return prisma.$queryRawUnsafe<BucketRow[]>(
    sql,
    runId,
    options.bands.map((band) => band.phase),
    options.bands.map((band) => band.startSecond),
    options.from,
    options.to,
    options.bucketSeconds,
    ...(options.latency || options.service ? [[...options.targets]] : []),
  );
}

async function readSeries(prisma: PrismaClient, meta: RunMeta, view: RunView): Promise<RunSeries> {
  const started = performance.now();
  const { header, bands } = meta;
  const runId = header.id;
  const { from, to } = zoomOf(view, header.plannedSeconds);
  const bucketSeconds = bucketSecondsFor(to - from);
  const allTargets = meta.targets.map((target) => target.name);
  const targets = selectedTargets(view, allTargets);
  const clocks = clocksOf(view);
  const now = new Date();
  const [rows, totals, events, active] = await Promise.all([
    readBuckets(prisma, runId, {
      bands,
      from,
      to,
      bucketSeconds,
      targets,
      latency: clocks.includes("corrected"),
      service: clocks.includes("service"),
    }),
    prisma.$queryRawUnsafe<Array<{ lag: number | null }>>(
      `select max(w.max_send_lag_ms)::float8 as lag from windows w join run_arms a on a.id = w.arm_id where a.run_id = $1::uuid`,
      runId,
    ),
    prisma.faultEvent.findMany({
      where: { runKey: runId },
      orderBy: { at: "asc" },
      take: 500,
      include: { fault: { select: { type: true } } },
    }),
    prisma.fault.findMany({
      where: { runKey: runId, endedAt: null, expiresAt: { gt: now } },
      orderBy: { createdAt: "asc" },
      select: { id: true, type: true, expiresAt: true },
    }),
  ]);
  const progress = prepareProgress(meta.progressJson, {
    plannedSeconds: header.plannedSeconds,
    bands,
    status: header.status,
  });
  const live = isLive(header.status);
  const lastWindow = rows.reduce((last, row) => Math.max(last, row.second), -1);
  const parts: SeriesPart[] = rows;
  const buckets = prepareRunSeries(parts, {
    targets,
    durationSeconds: header.plannedSeconds,
    bucketSeconds,
    bands,
    from,
    to,
    percentiles: view.percentiles,
    clocks,
    // While running, the bucket being filled divides its throughput by the seconds gone so far.
    ...(live && progress.elapsedSeconds !== null
      ? { activeUntilSecond: Math.max(Math.floor(progress.elapsedSeconds), lastWindow + 1) }
      : {}),
  });
  const report = meta.record.report;
  const faultEvents = events.map((event) => ({
    at: event.at.toISOString(),
    event: event.event,
    faultId: event.faultId,
    type: event.fault?.type ?? null,
    params: event.params,
    actor: event.actor,
  }));
  return {
    runId,
    status: header.status,
    readAt: now.toISOString(),
    plannedSeconds: header.plannedSeconds,
    from,
    to,
    bucketSeconds,
    percentiles: view.percentiles,
    clocks,
    targets,
    windows: rows.reduce((sum, row) => sum + row.windows, 0),
    buckets,
    breakdown: prepareErrorBreakdown(rows, allTargets),
    progress,
    faultEvents: prepareFaultTimeline(
      faultEvents,
      // Recorded by the runner once the run ended; estimated while it goes on (and for older runs).
      report?.loadStartedAt ??
        estimateLoadStart({
          events: faultEvents,
          bands,
          heartbeatAt: meta.heartbeatAt,
          progress: meta.progressJson,
          startedAt: header.startedAt,
          live,
        }),
      report?.halts ?? [],
    ),
    activeFaults: active.map((fault) => ({
      id: fault.id,
      type: fault.type,
      expiresAt: fault.expiresAt.toISOString(),
    })),
    halts: prepareHaltMarkers(report?.halts ?? []),
    flags: prepareFlags({
      latencyInvalid: meta.latencyInvalid,
      report,
      progress: live ? progress : null,
      windowsMaxSendLagMs: totals[0]?.lag ?? null,
    }),
    serverMs: Math.round((performance.now() - started) * 10) / 10,
  };
}

/** What GET /api/v1/runs/{id}/series answers; null when there is no such run. */
export async function readRunSeries(
  prisma: PrismaClient,
  runId: string,
  view: RunView,
): Promise<RunSeries | null> {
  const meta = await readRunMeta(prisma, runId);
  return meta ? readSeries(prisma, meta, view) : null;
}

/** Everything the run page shows; null when there is no such run. */
export async function readRunPage(
  prisma: PrismaClient,
  runId: string,
  view: RunView,
): Promise<RunPage | null> {
  const meta = await readRunMeta(prisma, runId);
  if (!meta) return null;
  const series = await readSeries(prisma, meta, view);
  const faultsStarted = series.faultEvents.filter((event) => event.event === "started").length;
  return {
    header: meta.header,
    targets: meta.targets,
    bands: meta.bands,
    view,
    series,
    verdict: meta.record.verdict,
    report: prepareReportFigures(meta.record),
    outcome: prepareRunOutcome(meta.record),
    residual: prepareResidualCheck({
      status: meta.header.status,
      residual: meta.record.residual,
      faultsStarted,
      activeNow: series.activeFaults,
    }),
  };
}
