// Experiments and runs: what the /api/v1/experiments and /api/v1/runs routes do. Specs are
// immutable once saved (an edit is the next version); a run records which version it executed
// and is executed by a worker, never by the web process.
import "server-only";
import { AppError, describeError } from "../../kernel/errors";
import { type AuditClient, writeAudit } from "../audit";
import { specFormatOf } from "../dashboard/experiments/validation";
import { db } from "../db/client";
import { formatTimestamp } from "../format";
import { parseJsonText } from "../http";
import { isUuid } from "../http/params";
import { notifyRunEnded } from "../notify/notify";
import { readRunRecord } from "../runner/run-record";
import { enqueueRun } from "../scheduler/queue";
import { getQueue } from "../scheduler/web-queue";
import { junitReport } from "./junit";
import { parseSpecText } from "./load-spec";
import { type ExperimentSpec, parseExperimentSpec, specSha256 } from "./spec";

export const experimentNotFound = (id: string) =>
  new AppError("experiment_not_found", `No experiment has id ${id}.`, 404);
export const runNotFound = (id: string) => new AppError("run_not_found", `No run has id ${id}.`, 404);

/**
 * A spec sent over HTTP: YAML (application/yaml, text/plain; its errors say their line and
 * column) or JSON (anything else), 400 `invalid_json` / `invalid_spec` when it is not one.
 */
export function parseSpecBody(text: string, contentType: string | null): ExperimentSpec {
  return specFormatOf(contentType) === "yaml"
    ? parseSpecText(text, "yaml", "request body")
    : parseExperimentSpec(parseJsonText(text));
}

/** Saves a parsed spec (a new experiment or its next version); `actor` is who, for the audit log. */
export async function saveExperiment(spec: ExperimentSpec, actor: string) {
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
    await writeAudit(tx, {
      actor,
      action: "experiment.save",
      target: experiment.id,
      details: { name: spec.name, version: versionNumber, specSha256: sha },
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
  if (!isUuid(id)) throw experimentNotFound(id);
  const experiment = await db().experiment.findUnique({
    where: { id },
    include: {
      versions: { orderBy: { version: "desc" } },
      runs: { orderBy: { createdAt: "desc" }, take: 50, select: runListFields },
    },
  });
  if (!experiment) throw experimentNotFound(id);
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

/** Enqueues a run of the experiment's current version, launched by `actor` (audited). */
export async function startRun(
  experimentId: string,
  options: { trigger: "manual" | "cli"; seed?: number },
  actor: string,
) {
  const experiment = await getExperiment(experimentId);
  const version = experiment.versions[0];
  if (!version)
    throw new AppError("experiment_has_no_spec", `Experiment ${experiment.name} has no spec.`, 409);
  const spec = version.spec as ExperimentSpec;
  await refuseFaultsWhileHalted(spec);
  const run = await createAuditedRun(
    {
      experimentId: experiment.id,
      experimentVersionId: version.id,
      trigger: options.trigger,
      seed: BigInt(options.seed ?? spec.load.seed),
    },
    actor,
    "run.launch",
    { experiment: experiment.name, version: version.version },
  );
  await enqueueRun(await getQueue(), run.id);
  return serialiseRun(run);
}

/** A new run of exactly what a finished run executed: the same spec version and seed. */
export async function rerun(id: string, actor: string) {
  const original = isUuid(id)
    ? await db().run.findUnique({ where: { id }, include: { experimentVersion: { select: { spec: true } } } })
    : null;
  if (!original) throw runNotFound(id);
  await refuseFaultsWhileHalted(original.experimentVersion.spec as ExperimentSpec);
  const run = await createAuditedRun(
    {
      experimentId: original.experimentId,
      experimentVersionId: original.experimentVersionId,
      trigger: "manual",
      seed: original.seed,
    },
    actor,
    "run.rerun",
    { of: original.id },
  );
  await enqueueRun(await getQueue(), run.id);
  return serialiseRun(run);
}

/**
 * 409 `chaos_halted` when the spec starts faults and the kill switch is on: such a run would only
 * abort itself at its first faulted phase. A spec without faults may still run while halted.
 */
async function refuseFaultsWhileHalted(spec: ExperimentSpec): Promise<void> {
  const hasFaults = (spec.phases ?? []).some((phase) => (phase.faults ?? []).length > 0);
  if (!hasFaults) return;
  const state = await db().chaosState.findUnique({ where: { id: 1 } });
  if (!state?.halted) return;
  throw new AppError(
    "chaos_halted",
    `Chaos is halted by ${state.changedBy ?? "an unknown actor"} since ${formatTimestamp(state.changedAt.toISOString())}: arm it (POST /api/v1/faults/arm, or Arm chaos on the overview) before launching a drill with faults.`,
    409,
  );
}

/** The run and the audit row that says who asked for it, together or not at all. */
async function createAuditedRun(
  data: { experimentId: string; experimentVersionId: string; trigger: "manual" | "cli"; seed: bigint },
  actor: string,
  action: "run.launch" | "run.rerun",
  details: Record<string, unknown>,
) {
  return db().$transaction(async (tx) => {
    const run = await tx.run.create({ data });
    await writeAudit(tx, {
      actor,
      action,
      target: run.id,
      runId: run.id,
      details: { ...details, trigger: data.trigger, seed: data.seed.toString() },
    });
    return run;
  });
}

export async function listRuns(limit = 50) {
  const runs = await db().run.findMany({
    orderBy: { createdAt: "desc" },
    take: Math.min(200, Math.max(1, limit)),
    select: { ...runListFields, experiment: { select: { name: true } } },
  });
  return runs;
}

/**
 * One run for GET /api/v1/runs/{id}: its row as stored (`summary`, `verdict` and `residual` are
 * the raw columns scripts already read) plus `record`, the same columns read through
 * readRunRecord: typed, with defaults filled in, null where a column is not a record of its shape.
 */
export async function getRun(id: string) {
  if (!isUuid(id)) throw runNotFound(id);
  const run = await db().run.findUnique({
    where: { id },
    include: {
      experiment: { select: { name: true } },
      experimentVersion: { select: { version: true, specSha256: true } },
      arms: { select: { id: true, label: true, isCandidate: true, summary: true } },
    },
  });
  if (!run) throw runNotFound(id);
  return { ...serialiseRun(run), record: readRunRecord(run) };
}

/**
 * A run's report: its typed record as JSON, or JUnit XML for CI. 409 `report_not_ready` while
 * it has none (JUnit needs the verdict).
 */
export async function runReport(id: string, format: "json" | "junit") {
  const run = await getRun(id);
  const { report, verdict, residual } = run.record;
  const notReady = () =>
    new AppError("report_not_ready", `Run ${run.id} has no report yet (${run.status}).`, 409);
  if (format === "junit") {
    if (!verdict) throw notReady();
    const seconds =
      run.startedAt && run.endedAt ? (run.endedAt.getTime() - run.startedAt.getTime()) / 1000 : 0;
    return { format, body: junitReport(run.experiment.name, verdict, seconds) } as const;
  }
  if (!report && !verdict) throw notReady();
  const body = {
    id: run.id,
    status: run.status,
    verdict,
    summary: report,
    residual,
    fingerprint: run.fingerprint,
  };
  return { format, body } as const;
}

/**
 * Aborts a queued run at once, or asks a running one's worker to stop it (the worker rolls its
 * faults back and ends it `aborted`). Each step is a conditional update, so a run a worker claims
 * in between is still stopped. `actor` is audited with the abort.
 */
export async function abortRun(id: string, actor: string) {
  const run = await getRun(id);
  const abortedQueued = await db().$transaction(async (tx) => {
    const aborted = await tx.run.updateMany({
      where: { id: run.id, status: "queued" },
      data: { status: "aborted", endedAt: new Date(), error: "aborted before it started" },
    });
    if (aborted.count > 0) await auditAbort(tx, actor, run.id, "queued");
    return aborted.count > 0;
  });
  if (abortedQueued) {
    // No worker ever sees this run: its notification (if any) is queued from here.
    await notifyRunEnded(run.id, { prisma: db(), boss: await getQueue() }).catch((error) =>
      console.error(`[notify] run ${run.id}: notification not queued: ${describeError(error)}`),
    );
    return getRun(id);
  }
  const requested = await db().$transaction(async (tx) => {
    const updated = await tx.run.updateMany({
      where: { id: run.id, status: "running" },
      data: { abortRequestedAt: new Date() },
    });
    if (updated.count > 0) await auditAbort(tx, actor, run.id, "running");
    return updated.count > 0;
  });
  if (!requested) {
    const ended = await getRun(id);
    throw new AppError("run_finished", `Run ${id} already ended (${ended.status}).`, 409);
  }
  return getRun(id);
}

async function auditAbort(tx: AuditClient, actor: string, runId: string, statusBefore: "queued" | "running") {
  await writeAudit(tx, { actor, action: "run.abort", target: runId, runId, details: { statusBefore } });
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
