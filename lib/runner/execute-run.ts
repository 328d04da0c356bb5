// One run, start to finish, in the worker: spec → items → arms (each target behind its own proxy
// when the spec has network faults) → faults per phase (leases the runner renews) → open-model
// load against every target (paired) → windows recorded → stop conditions watched → faults
// cleared and checked for residue → which phases are valid (faults on for their whole phase, no
// halt, not cut by a stop) → verdicts and comparisons → the run's status and its typed record.
// Whatever happens (abort, stop condition, error), the faults are cleared first.
import os from "node:os";
import type pg from "pg";
import { createProxyControl, type ProxyControl } from "../../chaos/proxy/control";
import { describeError } from "../../kernel/errors";
import type { PrismaClient } from "../db/prisma";
import {
  type ExperimentSpec,
  parseExperimentSpec,
  phaseSpans,
  type SpecFault,
  specSha256,
} from "../experiments/spec";
import type { ItemTally } from "../metrics/compare-items";
import { checkStopConditions, evaluateSlos, type StopBreach, stopBreachResult } from "../metrics/slo";
import { metricValues, phaseAggregates } from "./aggregate";
import { FaultController } from "./fault-controller";
import { takeFingerprint } from "./fingerprint";
import { FailureSampler, itemResultOf } from "./item-results";
import { type LoadProgress, type LoadSummary, runLoad, type SendFn } from "./load-generator";
import { Recorder } from "./recorder";
import { buildReport, type ItemTallyBook } from "./report";
import { checkResidualFaults, describeResidual } from "./residual";
import { itemKey, prepareRunItems, type RunItem, scoreAnswer } from "./run-items";
import { RunReport, runRecordColumns } from "./run-record";
import { type FinalRunStatus, runStatusOf } from "./run-status";
import { createChatSender, createInferSender } from "./send-http";
import { judgeValidity, type LoadEnd, type PhaseStart, type RunFault } from "./validity";
import type { LoadWindow } from "./windows";

export interface ExecuteRunOptions {
  runId: string;
  prisma: PrismaClient;
  pool: pg.Pool;
  /** The web process serving the built-in models and the fault control API. */
  webUrl: string;
  token: string;
  /** The Toxiproxy API network faults go through. */
  proxyApiUrl: string;
  root: string;
  datasetsDir: string;
  workerId: string;
  log?: (message: string) => void;
  onProgress?: (progress: LoadProgress) => void;
  /** Item rows this run may store (default ITEM_RESULTS_CAP); tests set it low. */
  itemResultsCap?: number;
}

export type RunStatus = FinalRunStatus;

export interface RunResult {
  status: RunStatus;
  report?: RunReport;
  error?: string;
}

interface Arm {
  name: string;
  armId: string;
  kind: "model" | "url";
  model: string;
  url?: string;
  headers?: Record<string, string>;
  /** Base URL the traffic goes to (through this target's proxy when network faults need one). */
  baseUrl: string;
  /** This target's own proxy, when the spec has network faults. */
  proxyName?: string;
}

const HEARTBEAT_MS = 1000;

export async function executeRun(options: ExecuteRunOptions): Promise<RunResult> {
  const { prisma, runId } = options;
  const log = options.log ?? (() => {});
  const run = await prisma.run.findUnique({ where: { id: runId }, include: { experimentVersion: true } });
  if (!run) throw new Error(`Run ${runId} does not exist.`);
  const claimed = await prisma.run.updateMany({
    where: { id: runId, status: "queued" },
    data: { status: "running", startedAt: new Date(), heartbeatAt: new Date(), workerId: options.workerId },
  });
  if (claimed.count === 0)
    return { status: "errored", error: `Run ${runId} was not queued (${run.status}).` };

  const faults = new FaultController({ baseUrl: options.webUrl, token: options.token, runId, log });
  const proxy = createProxyControl(options.proxyApiUrl);
  const proxies: string[] = [];
  const recorder = new Recorder({ pool: options.pool, log, itemResultsCap: options.itemResultsCap });
  const abort = new AbortController();
  let stopReason: string | undefined;
  let stop: { kind: "aborted" | "stopped_early"; atMs: number; breach?: StopBreach } | undefined;
  const stopRun = (kind: "aborted" | "stopped_early", reason: string, breach?: StopBreach) => {
    if (abort.signal.aborted) return;
    stopReason = reason;
    stop = { kind, atMs: Date.now(), ...(breach ? { breach } : {}) };
    abort.abort();
  };
  let latestProgress: LoadProgress | undefined;
  const heartbeat = setInterval(() => {
    void prisma.run
      .update({
        where: { id: runId },
        data: {
          heartbeatAt: new Date(),
          ...(latestProgress ? { progress: progressJson(latestProgress) } : {}),
        },
        select: { abortRequestedAt: true },
      })
      .then((row) => {
        if (row.abortRequestedAt) stopRun("aborted", "aborted by request");
      })
      .catch((error) => log(`[run] heartbeat failed: ${describeError(error)}`));
  }, HEARTBEAT_MS);

  try {
    const spec = parseExperimentSpec(run.experimentVersion.spec);
    const seed = Number(run.seed);
    const { items } = await prepareRunItems(spec, options.datasetsDir, seed);
    const arms = await createArms(options, spec, needsProxy(spec) ? proxy : undefined, proxies);
    await recordFingerprint(options, spec, run.experimentVersion.version, seed);

    const windows: LoadWindow[] = [];
    const armIdOf = new Map(arms.map((arm) => [arm.name, arm.armId]));
    const tallies: ItemTallyBook = new Map();
    const degradedBy = new Map<string, Map<string, number>>();
    const cerSums = new Map<string, number>();
    const spans = phaseSpans(spec);
    const counted = new Set(spec.phases.filter((phase) => phase.counts).map((phase) => phase.name));
    // Every item of a run has the same task: one with a reference answer means all can be scored.
    const scorable = items.some((item) => scoreAnswer(item.item, "") !== undefined);
    const keys = items.map(itemKey);
    const failures = new FailureSampler();

    const phaseStarts = new Map<string, PhaseStart>();
    const faultPhase = new Map<string, string>();
    const loadStartedAtMs = Date.now();
    const phaseTimers = schedulePhases(spec, arms, faults, phaseStarts, faultPhase, stopRun, log);
    const stopWatch = setInterval(() => {
      const breach = watchStopConditions(spec, windows, scorable);
      if (breach) stopRun("stopped_early", `stop condition: ${breach.reason}`, breach);
    }, 1000);

    let summary: LoadSummary;
    try {
      summary = await runLoad<Arm, RunItem>({
        targets: arms,
        items,
        arrivals: arrivalsOf(spec),
        seed,
        send: sendVia(arms, runId, spec, options.token),
        maxInFlightPerTarget: spec.load.maxInFlight,
        timeoutMs: spec.load.timeoutMs,
        phaseAt: (intendedMs) => phaseAtSecond(spans, intendedMs / 1000),
        signal: abort.signal,
        onWindow: (window) => {
          windows.push(window);
          const { target, lateSends: _late, ...row } = window;
          recorder.add([{ ...row, armId: armIdOf.get(target) as string }]);
        },
        onRequest: (record) => {
          const key = keys[record.itemIndex] as string;
          recorder.addItems([
            itemResultOf(record, { runId, armId: armIdOf.get(record.target) as string, itemKey: key }),
          ]);
          failures.add(record, key);
          if (record.servedBy !== undefined) {
            const byModel = degradedBy.get(record.target) ?? new Map<string, number>();
            degradedBy.set(
              record.target,
              byModel.set(record.servedBy, (byModel.get(record.servedBy) ?? 0) + 1),
            );
          }
          if (!counted.has(record.phase) || !scorable) return;
          // End to end: every arrival of the item counts, a failed one as wrong.
          tallyItem(tallies, record.target, record.phase, key, record.correct === true);
          if (record.scored && record.cer !== undefined) {
            const cerKey = `${record.phase}\u0000${record.target}`;
            cerSums.set(cerKey, (cerSums.get(cerKey) ?? 0) + record.cer);
          }
        },
        onProgress: (progress) => {
          latestProgress = progress;
          options.onProgress?.(progress);
        },
        progressIntervalMs: 1000,
      });
    } finally {
      clearInterval(stopWatch);
      for (const timer of phaseTimers) clearTimeout(timer);
      await clearFaults(faults, log);
    }

    const residual = await checkResidualFaults(faults, "runner");
    if (residual.state !== "clean") {
      await prisma.run.update({ where: { id: runId }, data: runRecordColumns({ residual }) });
      throw new Error(
        residual.state === "residue"
          ? `Faults of this run were still active after it ended: ${residual.faults.map((f) => f.type).join(", ")}.`
          : `The residual-fault check failed: ${describeResidual(residual)}.`,
      );
    }
    await recorder.drain(120_000);

    const loadEnd: LoadEnd = stop
      ? {
          endedSecond: (stop.atMs - loadStartedAtMs) / 1000,
          stop: { kind: stop.kind, message: stopReason ?? stop.kind },
        }
      : { endedSecond: spans.at(-1)?.endSecond ?? 0 };
    const validity = judgeValidity({
      phases: spans.map((span) => ({
        name: span.phase.name,
        startSecond: span.startSecond,
        endSecond: span.endSecond,
        faults: span.phase.faults.length,
      })),
      loadStartedAtMs,
      load: loadEnd,
      phaseStarts,
      faults: await runFaults(prisma, runId, faultPhase),
      halts: await haltsBetween(prisma, loadStartedAtMs, Date.now()),
      behindSchedule: summary.behindSchedule,
    });
    const phaseSeconds = new Map(spec.phases.map((phase) => [phase.name, phase.durationSeconds]));
    const slos = evaluateSlos(spec, phaseAggregates(windows, phaseSeconds, cerSums, scorable), {
      invalidPhases: validity.invalidPhases,
      ...(validity.latencyInvalid ? { latencyInvalid: validity.latencyInvalid } : {}),
      runReasons: [
        ...validity.runReasons,
        ...(stop?.kind === "aborted" ? [{ code: "aborted" as const, message: stopReason ?? "aborted" }] : []),
      ],
      ...(stop?.breach
        ? { breaches: [stopBreachResult(stop.breach, phaseAtSecond(spans, loadEnd.endedSecond))] }
        : {}),
    });
    const report = RunReport.parse(
      buildReport({
        spec,
        summary,
        windows,
        slos,
        tallies,
        counted,
        cerSums,
        degradedBy,
        scorable,
        validity,
        stopReason,
        seed,
        failureSamples: failures.samples(),
        itemResults: recorder.itemResults(),
      }),
    );
    const status = runStatusOf(slos.verdict, stop?.kind);
    const record = runRecordColumns({ report, verdict: slos, residual });
    await prisma.$transaction([
      prisma.run.update({
        where: { id: runId },
        data: {
          status,
          endedAt: new Date(),
          ...record,
          latencyInvalid: summary.behindSchedule,
          error: stopReason ?? null,
        },
      }),
      ...report.targets.map((target) =>
        prisma.runArm.update({
          where: { id: armIdOf.get(target.target) as string },
          data: { summary: target as object },
        }),
      ),
    ]);
    return { status, report };
  } catch (error) {
    await clearFaults(faults, log);
    const message = describeError(error);
    await recorder.drain(30_000).catch(() => {});
    await prisma.run
      .update({ where: { id: runId }, data: { status: "errored", endedAt: new Date(), error: message } })
      .catch(() => {});
    return { status: "errored", error: message };
  } finally {
    clearInterval(heartbeat);
    faults.close();
    recorder.close();
    for (const name of proxies) await deleteProxy(options.proxyApiUrl, name);
  }
}

/** The phase going on at a second of the load; after the last, the last. */
function phaseAtSecond(spans: ReturnType<typeof phaseSpans>, second: number): string {
  return (spans.find((span) => second < span.endSecond) ?? spans.at(-1))?.phase.name as string;
}

function arrivalsOf(spec: ExperimentSpec) {
  const { arrival, rate, rampTo, durationSeconds } = spec.load;
  if (arrival === "constant") return { kind: "constant" as const, ratePerSecond: rate, durationSeconds };
  if (arrival === "ramp")
    return { kind: "ramp" as const, ratePerSecond: rate, rampToPerSecond: rampTo ?? rate, durationSeconds };
  return { kind: "poisson" as const, ratePerSecond: rate, rampToPerSecond: rampTo, durationSeconds };
}

const needsProxy = (spec: ExperimentSpec) =>
  spec.phases.some((phase) => phase.faults.some((fault) => fault.type === "network"));

/**
 * One arm per target. With network faults, every target gets a proxy of its own (its own listen
 * port), even when targets share an origin: a toxic on one proxy then delays that target only.
 */
async function createArms(
  options: ExecuteRunOptions,
  spec: ExperimentSpec,
  proxy: ProxyControl | undefined,
  proxies: string[],
): Promise<Arm[]> {
  const routed = async (origin: string, index: number) => {
    if (!proxy) return { baseUrl: origin };
    const url = new URL(origin);
    const name = `run_${options.runId.slice(0, 8)}_${index}`;
    const state = await proxy.ensureProxy({
      name,
      listen: "127.0.0.1:0",
      upstream: `${url.hostname}:${url.port || (url.protocol === "https:" ? 443 : 80)}`,
    });
    proxies.push(name);
    const port = state.listen.split(":").pop();
    return { baseUrl: `${url.protocol}//127.0.0.1:${port}`, proxyName: name };
  };
  const arms: Arm[] = [];
  for (const [index, target] of spec.targets.entries()) {
    const version = target.url
      ? null
      : await options.prisma.modelVersion.findUnique({ where: { name: target.model }, select: { id: true } });
    const arm = await options.prisma.runArm.create({
      data: {
        runId: options.runId,
        label: target.name,
        isCandidate: target.role === "candidate",
        modelVersionId: version?.id ?? null,
      },
    });
    const origin = target.url ? new URL(target.url).origin : new URL(options.webUrl).origin;
    const { baseUrl, proxyName } = await routed(origin, index);
    arms.push({
      name: target.name,
      armId: arm.id,
      kind: target.url ? "url" : "model",
      model: target.model,
      url: target.url ? `${baseUrl}${new URL(target.url).pathname}` : undefined,
      headers: target.headers,
      baseUrl,
      ...(proxyName ? { proxyName } : {}),
    });
  }
  return arms;
}

function sendVia(
  arms: readonly Arm[],
  runId: string,
  spec: ExperimentSpec,
  token: string,
): SendFn<Arm, RunItem> {
  const senders = new Map<string, SendFn<Arm, RunItem>>();
  for (const arm of arms) {
    if (arm.kind === "model") {
      const sender = createInferSender({
        baseUrl: arm.baseUrl,
        runId,
        // The built-in models may sit behind FAULTLINE_INFERENCE_AUTH=token.
        headers: { authorization: `Bearer ${token}` },
        score: scoreAnswer,
        serverTimeoutMs: spec.load.timeoutMs,
      });
      const target = { name: arm.name, model: arm.model };
      senders.set(arm.name, (_arm, item, signal, context) =>
        sender.send(target, item.infer, signal, context),
      );
    } else {
      const sender = createChatSender({ url: arm.url, runId, headers: arm.headers, score: scoreAnswer });
      const target = { name: arm.name, model: arm.model, url: arm.url };
      senders.set(arm.name, (_arm, item, signal, context) => sender.send(target, item.chat, signal, context));
    }
  }
  return (arm, item, signal, context) =>
    (senders.get(arm.name) as SendFn<Arm, RunItem>)(arm, item, signal, context);
}

/**
 * Starts and stops each phase's faults at its boundaries (relative to now, the load's start).
 * Records what started (fault id → phase) and what could not (phase → the control API's answer):
 * the validity of each phase is judged from them after the run.
 */
function schedulePhases(
  spec: ExperimentSpec,
  arms: readonly Arm[],
  faults: FaultController,
  phaseStarts: Map<string, PhaseStart>,
  faultPhase: Map<string, string>,
  stopRun: (kind: "stopped_early", reason: string) => void,
  log: (message: string) => void,
): NodeJS.Timeout[] {
  const timers: NodeJS.Timeout[] = [];
  for (const span of phaseSpans(spec)) {
    if (span.phase.faults.length === 0) continue;
    let started: string[] = [];
    timers.push(
      setTimeout(async () => {
        try {
          const bodies = span.phase.faults.map((fault) => faultBody(fault, arms));
          started = (await faults.start(bodies)).map((fault) => fault.id);
          for (const id of started) faultPhase.set(id, span.phase.name);
          phaseStarts.set(span.phase.name, {});
          log(`[run] phase ${span.phase.name}: ${started.length} fault(s) started`);
        } catch (error) {
          phaseStarts.set(span.phase.name, { error: describeError(error) });
          stopRun(
            "stopped_early",
            `phase ${span.phase.name}: faults could not start: ${describeError(error)}`,
          );
        }
      }, span.startSecond * 1000),
      setTimeout(() => void faults.stop(started).catch(() => {}), span.endSecond * 1000),
    );
  }
  return timers;
}

/** A spec fault as the control API takes it: target names become model and proxy names. */
function faultBody(fault: SpecFault, arms: readonly Arm[]): Record<string, unknown> {
  const { model, ...rest } = fault as SpecFault & { model?: string };
  const body: Record<string, unknown> = { ...rest };
  if (model !== undefined) body.model = arms.find((arm) => arm.name === model)?.model ?? model;
  if (fault.type === "network") {
    // The spec names a target; validation made sure it exists, and each target has its own proxy.
    body.proxy = arms.find((arm) => arm.name === fault.proxy)?.proxyName ?? fault.proxy;
  }
  return body;
}

function tallyItem(book: ItemTallyBook, target: string, phase: string, key: string, correct: boolean) {
  const byPhase = book.get(target) ?? new Map<string, Map<string, ItemTally>>();
  book.set(target, byPhase);
  const byItem = byPhase.get(phase) ?? new Map<string, ItemTally>();
  byPhase.set(phase, byItem);
  const tally = byItem.get(key) ?? { correct: 0, total: 0 };
  tally.total += 1;
  if (correct) tally.correct += 1;
  byItem.set(key, tally);
}

/** The run's faults as the faults table has them, each with the phase that started it. */
async function runFaults(
  prisma: PrismaClient,
  runId: string,
  faultPhase: ReadonlyMap<string, string>,
): Promise<RunFault[]> {
  const rows = await prisma.fault.findMany({
    where: { runKey: runId },
    select: { id: true, type: true, createdAt: true, endedAt: true, endReason: true },
  });
  return rows.flatMap((row) => {
    const phase = faultPhase.get(row.id);
    return phase === undefined
      ? []
      : [
          {
            id: row.id,
            type: row.type,
            phase,
            startedAtMs: row.createdAt.getTime(),
            endedAtMs: row.endedAt?.getTime() ?? null,
            endReason: row.endReason,
          },
        ];
  });
}

/** Kill-switch halts between two instants, with who threw the switch. */
async function haltsBetween(prisma: PrismaClient, fromMs: number, toMs: number) {
  const rows = await prisma.faultEvent.findMany({
    where: { event: "halted", faultId: null, at: { gte: new Date(fromMs), lte: new Date(toMs) } },
    select: { at: true, actor: true },
    orderBy: { at: "asc" },
  });
  return rows.map((row) => ({ atMs: row.at.getTime(), actor: row.actor }));
}

async function clearFaults(faults: FaultController, log: (message: string) => void): Promise<void> {
  try {
    await faults.stop();
  } catch (error) {
    log(`[run] stopping faults failed (their leases lapse on their own): ${describeError(error)}`);
  }
}

function watchStopConditions(
  spec: ExperimentSpec,
  windows: readonly LoadWindow[],
  scorable: boolean,
): StopBreach | undefined {
  if (spec.stopConditions.length === 0 || windows.length === 0) return undefined;
  const latest = Math.max(...windows.map((window) => window.second));
  return checkStopConditions(spec.stopConditions, (overSeconds) => {
    const recent = windows.filter((window) => window.second > latest - overSeconds);
    const byTarget = new Map<string, LoadWindow[]>();
    for (const window of recent)
      byTarget.set(window.target, [...(byTarget.get(window.target) ?? []), window]);
    return Object.fromEntries(
      [...byTarget].map(([target, list]) => [target, metricValues(list, overSeconds, { scorable })]),
    );
  });
}

async function recordFingerprint(
  options: ExecuteRunOptions,
  spec: ExperimentSpec,
  version: number,
  seed: number,
) {
  const models = await options.prisma.modelVersion.findMany({
    where: { name: { in: spec.targets.filter((target) => !target.url).map((target) => target.model) } },
    select: { name: true, sha256: true, sizeBytes: true },
  });
  const dataset = await options.prisma.dataset.findUnique({ where: { name: spec.dataset.name } });
  const fingerprint = await takeFingerprint({
    root: options.root,
    specVersion: version,
    specSha256: specSha256(spec),
    seed,
    models: Object.fromEntries(
      models.map((model) => [
        model.name,
        {
          sha256: model.sha256,
          sizeBytes: model.sizeBytes === null ? null : Number(model.sizeBytes),
        },
      ]),
    ),
    datasets: dataset ? { [dataset.name]: { sha256: dataset.sha256 } } : {},
  });
  await options.prisma.run.update({
    where: { id: options.runId },
    data: { fingerprint: { ...fingerprint, host: os.hostname() } as object },
  });
}

async function deleteProxy(apiUrl: string, name: string): Promise<void> {
  await fetch(`${apiUrl.replace(/\/$/, "")}/proxies/${encodeURIComponent(name)}`, { method: "DELETE" }).catch(
    () => {},
  );
}

/** What the API and the CLI show while a run is going: small, JSON, per target. */
function progressJson(progress: LoadProgress) {
  return {
    elapsedMs: Math.round(progress.elapsedMs),
    arrivals: progress.arrivals,
    expectedArrivals: progress.expectedArrivals,
    maxSendLagMs: progress.maxSendLagMs,
    behindSchedule: progress.behindSchedule,
    targets: progress.targets.map((target) => ({
      target: target.target,
      sentPerSecond: target.sentPerSecond,
      successRate: target.successRate,
      p99Ms: target.p99Ms,
      inFlight: target.inFlight,
    })),
  };
}
