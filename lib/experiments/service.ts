// Experiments and runs: what the /api/v1/experiments and /api/v1/runs routes do. Specs are
// immutable once saved (an edit is the next version); a run records which version it executed
// and is executed by a worker, never by the web process.
import "server-only";
import { db } from "../db/client";
import { AppError, describeError } from "../errors";
import { notifyRunEnded } from "../notify/notify";
import { enqueueRun } from "../scheduler/queue";
import { getQueue } from "../scheduler/web-queue";
import { type ExperimentSpec, parseExperimentSpec, specSha256 } from "./spec";

export async function saveExperiment(input: unknown) {
  const spec = parseExperimentSpec(input);
  const sha = specSha256(spec);
  return db().$transaction(async (tx) => {
    const existing = await tx.experiment.findUnique({
      where: { name: spec.name },
      include: { versions: { orderBy: { version: "desc" }, take: 1 } },
    });
    if (existing?.versions[0]?.specSha256 === sha) {
      return { experiment: existing, version: existing.versions[0], created: false };
    }
    const versionNumber = (existing?.versions[0]?.version ?? 0) + 1;
    const experiment = existing
      ? await tx.experiment.update({
          where: { id: existing.id },
          data: { currentVersion: versionNumber, description: spec.description ?? "" },
        })
      : await tx.experiment.create({
          data: { name: spec.name, description: spec.description ?? "", currentVersion: 1 },
        });
    const version = await tx.experimentVersion.create({
      data: { experimentId: experiment.id, version: versionNumber, spec: spec as object, specSha256: sha },
    });
    return { experiment, version, created: true };
  });
}

export async function listExperiments() {
  return db().experiment.findMany({
    orderBy: { updatedAt: "desc" },
    include: {
      runs: { orderBy: { createdAt: "desc" }, take: 1, select: { id: true, status: true, createdAt: true } },
    },
  });
}

export async function getExperiment(id: string) {
  const experiment = await db().experiment.findUnique({
    where: { id: assertUuid(id, "experiment") },
    include: {
      versions: { orderBy: { version: "desc" } },
      runs: { orderBy: { createdAt: "desc" }, take: 50, select: runListFields },
    },
  });
  if (!experiment) throw new AppError("experiment_not_found", `No experiment has id ${id}.`, 404);
  return experiment;
}

const runListFields = {
  id: true,
  status: true,
  trigger: true,
  createdAt: true,
  startedAt: true,
  endedAt: true,
  error: true,
  latencyInvalid: true,
  experimentId: true,
} as const;

export async function startRun(
  experimentId: string,
  options: { trigger: "manual" | "cli" | "schedule"; seed?: number },
) {
  const experiment = await getExperiment(experimentId);
  const version = experiment.versions[0];
  if (!version)
    throw new AppError("experiment_has_no_spec", `Experiment ${experiment.name} has no spec.`, 409);
  const spec = version.spec as ExperimentSpec;
  const run = await db().run.create({
    data: {
      experimentId: experiment.id,
      experimentVersionId: version.id,
      trigger: options.trigger,
      seed: BigInt(options.seed ?? spec.load.seed),
    },
  });
  await enqueueRun(await getQueue(), run.id);
  return serialiseRun(run);
}

/** A new run of exactly what a finished run executed: the same spec version and seed. */
export async function rerun(id: string, trigger: "manual" | "cli" = "manual") {
  const original = await db().run.findUnique({ where: { id: assertUuid(id, "run") } });
  if (!original) throw new AppError("run_not_found", `No run has id ${id}.`, 404);
  const run = await db().run.create({
    data: {
      experimentId: original.experimentId,
      experimentVersionId: original.experimentVersionId,
      trigger,
      seed: original.seed,
    },
  });
  await enqueueRun(await getQueue(), run.id);
  return serialiseRun(run);
}

export async function listRuns(limit = 50) {
  const runs = await db().run.findMany({
    orderBy: { createdAt: "desc" },
    take: Math.min(200, Math.max(1, limit)),
    select: { ...runListFields, experiment: { select: { name: true } } },
  });
  return runs;
}

export async function getRun(id: string) {
  const run = await db().run.findUnique({
    where: { id: assertUuid(id, "run") },
    include: {
      experiment: { select: { name: true } },
      experimentVersion: { select: { version: true, specSha256: true } },
      arms: { select: { id: true, label: true, isCandidate: true, summary: true } },
    },
  });
  if (!run) throw new AppError("run_not_found", `No run has id ${id}.`, 404);
  return serialiseRun(run);
}

export async function abortRun(id: string) {
  const run = await getRun(id);
  if (run.status === "queued") {
    const aborted = await db().run.updateMany({
      where: { id: run.id, status: "queued" },
      data: { status: "aborted", endedAt: new Date(), error: "aborted before it started" },
    });
    // No worker ever sees this run: its notification (if any) is queued from here.
    if (aborted.count > 0) {
      await notifyRunEnded(run.id, { prisma: db(), boss: await getQueue() }).catch((error) =>
        console.error(`[notify] run ${run.id}: notification not queued: ${describeError(error)}`),
      );
    }
  } else if (run.status === "running") {
    await db().run.update({ where: { id: run.id }, data: { abortRequestedAt: new Date() } });
  } else {
    throw new AppError("run_finished", `Run ${id} already ended (${run.status}).`, 409);
  }
  return getRun(id);
}

export async function faultEventsOfRun(id: string, after?: Date) {
  return db().faultEvent.findMany({
    where: { runKey: id, ...(after ? { at: { gt: after } } : {}) },
    orderBy: { at: "asc" },
    include: { fault: { select: { type: true, params: true } } },
  });
}

/** The run's windows written after `afterId` (counts only, no histograms), oldest first. */
export async function windowsOfRun(id: string, afterId = 0n, limit = 500) {
  const rows = await db().window.findMany({
    where: { arm: { runId: id }, id: { gt: afterId } },
    orderBy: { id: "asc" },
    take: limit,
    select: {
      id: true,
      phase: true,
      second: true,
      ok: true,
      http4xx: true,
      http5xx: true,
      rejected429: true,
      timeout: true,
      connectionError: true,
      overflow: true,
      correct: true,
      scored: true,
      maxSendLagMs: true,
      arm: { select: { label: true } },
    },
  });
  return rows.map(({ arm, id: rowId, ...window }) => ({ id: rowId, target: arm.label, ...window }));
}

// BigInt seeds do not survive JSON.stringify.
function serialiseRun<T extends { seed: bigint }>(run: T): Omit<T, "seed"> & { seed: string } {
  return { ...run, seed: run.seed.toString() };
}

function assertUuid(id: string, what: string): string {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) {
    throw new AppError(`${what}_not_found`, `No ${what} has id ${id}.`, 404);
  }
  return id;
}
