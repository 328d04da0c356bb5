// One run, start to finish, in the worker: spec → items → arms → faults per phase (leases the
// runner renews) → open-model load against every target (paired) → windows recorded → stop
// conditions watched → faults cleared and checked for residue → verdicts and comparisons → the
// run's status. Whatever happens (abort, stop condition, error), the faults are cleared first.
import os from "node:os";
import type pg from "pg";
import { createProxyControl, type ProxyControl } from "../../chaos/proxy/control";
import type { PrismaClient } from "../db/prisma";
import { describeError } from "../errors";
import {
  type ExperimentSpec,
  parseExperimentSpec,
  phaseSpans,
  type SpecFault,
  specSha256,
} from "../experiments/spec";
import { checkStopConditions, evaluateSlos, type StopBreach } from "../metrics/slo";
import { metricValues, phaseAggregates } from "./aggregate";
import { FaultController } from "./fault-controller";
import { takeFingerprint } from "./fingerprint";
import { type LoadProgress, type LoadSummary, runLoad, type SendFn } from "./load-generator";
import { Recorder } from "./recorder";
import { buildReport, type RunReport } from "./report";
import { prepareRunItems, type RunItem, scoreAnswer } from "./run-items";
import { createChatSender, createInferSender } from "./send-http";
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
}

export type RunStatus = "passed" | "failed" | "aborted" | "errored";

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
  /** Base URL the traffic goes to (through this run's proxy when network faults need one). */
  baseUrl: string;
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
  const recorder = new Recorder({ pool: options.pool, log });
  const abort = new AbortController();
  let stopReason: string | undefined;
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
        if (row.abortRequestedAt && !abort.signal.aborted) {
          stopReason = "aborted by request";
          abort.abort();
        }
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
    const pairs = new Map<string, Map<number, boolean>>(); // target → arrival → correct
    const cerSums = new Map<string, number>();
    const spans = phaseSpans(spec);
    const counted = new Set(spec.phases.filter((phase) => phase.counts).map((phase) => phase.name));

    const phaseTimers = schedulePhases(
      spec,
      arms,
      faults,
      proxiesByTarget(arms, proxies),
      abort,
      (reason) => {
        stopReason = reason;
      },
      log,
    );
    const stopWatch = setInterval(() => {
      const breach = watchStopConditions(spec, windows);
      if (breach && !abort.signal.aborted) {
        stopReason = `stop condition: ${breach.reason}`;
        abort.abort();
      }
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
        phaseAt: (intendedMs) =>
          spans.find((span) => intendedMs < span.endSecond * 1000)?.phase.name ??
          (spans.at(-1)?.phase.name as string),
        signal: abort.signal,
        onWindow: (window) => {
          windows.push(window);
          recorder.add([
            {
              armId: armIdOf.get(window.target) as string,
              phase: window.phase,
              second: window.second,
              ok: window.ok,
              http4xx: window.http4xx,
              http5xx: window.http5xx,
              rejected429: window.rejected429,
              timeout: window.timeout,
              connectionError: window.connectionError,
              overflow: window.overflow,
              correct: window.correct,
              scored: window.scored,
              latencyHistogram: window.latencyHistogram,
              serviceHistogram: window.serviceHistogram,
              maxSendLagMs: window.maxSendLagMs,
            },
          ]);
        },
        onRequest: (record) => {
          if (!counted.has(record.phase) || !record.scored) return;
          const byArrival = pairs.get(record.target) ?? new Map<number, boolean>();
          pairs.set(record.target, byArrival);
          byArrival.set(record.arrival, record.correct === true);
          if (record.cer !== undefined) {
            const key = `${record.phase}\u0000${record.target}`;
            cerSums.set(key, (cerSums.get(key) ?? 0) + record.cer);
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

    const residual = await faults.residual();
    if (residual.length > 0) {
      await faults.stop(residual.map((fault) => fault.id));
      throw new Error(
        `Faults of this run were still active after it ended: ${residual.map((f) => f.type).join(", ")}.`,
      );
    }
    await recorder.drain(120_000);

    const phaseSeconds = new Map(spec.phases.map((phase) => [phase.name, phase.durationSeconds]));
    const slos = evaluateSlos(spec, phaseAggregates(windows, phaseSeconds, cerSums));
    const report = buildReport({ spec, summary, windows, slos, pairs, counted, cerSums, stopReason, seed });
    const status: RunStatus = stopReason
      ? "aborted"
      : slos.verdict === "pass" || slos.verdict === "warn"
        ? "passed"
        : "failed";
    await prisma.$transaction([
      prisma.run.update({
        where: { id: runId },
        data: {
          status,
          endedAt: new Date(),
          summary: report as object,
          verdict: slos as object,
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

function arrivalsOf(spec: ExperimentSpec) {
  const { arrival, rate, rampTo, durationSeconds } = spec.load;
  if (arrival === "constant") return { kind: "constant" as const, ratePerSecond: rate, durationSeconds };
  if (arrival === "ramp")
    return { kind: "ramp" as const, ratePerSecond: rate, rampToPerSecond: rampTo ?? rate, durationSeconds };
  return { kind: "poisson" as const, ratePerSecond: rate, rampToPerSecond: rampTo, durationSeconds };
}

const needsProxy = (spec: ExperimentSpec) =>
  spec.phases.some((phase) => phase.faults.some((fault) => fault.type === "network"));

/** One arm per target; with network faults, each distinct origin gets a proxy of this run. */
async function createArms(
  options: ExecuteRunOptions,
  spec: ExperimentSpec,
  proxy: ProxyControl | undefined,
  proxies: string[],
): Promise<Arm[]> {
  const viaProxy = new Map<string, string>();
  const routed = async (origin: string) => {
    if (!proxy) return origin;
    const known = viaProxy.get(origin);
    if (known) return known;
    const url = new URL(origin);
    const name = `run_${options.runId.slice(0, 8)}_${viaProxy.size}`;
    const state = await proxy.ensureProxy({
      name,
      listen: "127.0.0.1:0",
      upstream: `${url.hostname}:${url.port || (url.protocol === "https:" ? 443 : 80)}`,
    });
    proxies.push(name);
    const port = state.listen.split(":").pop();
    const proxied = `${url.protocol}//127.0.0.1:${port}`;
    viaProxy.set(origin, proxied);
    return proxied;
  };
  const arms: Arm[] = [];
  for (const target of spec.targets) {
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
    const baseUrl = await routed(origin);
    arms.push({
      name: target.name,
      armId: arm.id,
      kind: target.url ? "url" : "model",
      model: target.model,
      url: target.url ? `${baseUrl}${new URL(target.url).pathname}` : undefined,
      headers: target.headers,
      baseUrl,
    });
  }
  return arms;
}

function proxiesByTarget(arms: readonly Arm[], proxies: readonly string[]): Map<string, string> {
  const byBase = new Map<string, string>();
  const result = new Map<string, string>();
  for (const arm of arms) {
    if (proxies.length === 0) break;
    const name = byBase.get(arm.baseUrl) ?? proxies[byBase.size];
    if (!name) continue;
    byBase.set(arm.baseUrl, name);
    result.set(arm.name, name);
  }
  return result;
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

/** Starts and stops each phase's faults at its boundaries (relative to now, the load's start). */
function schedulePhases(
  spec: ExperimentSpec,
  arms: readonly Arm[],
  faults: FaultController,
  proxyOf: ReadonlyMap<string, string>,
  abort: AbortController,
  onFailure: (reason: string) => void,
  log: (message: string) => void,
): NodeJS.Timeout[] {
  const timers: NodeJS.Timeout[] = [];
  for (const span of phaseSpans(spec)) {
    if (span.phase.faults.length === 0) continue;
    let started: string[] = [];
    timers.push(
      setTimeout(async () => {
        try {
          const bodies = span.phase.faults.map((fault) => faultBody(fault, arms, proxyOf));
          started = (await faults.start(bodies)).map((fault) => fault.id);
          log(`[run] phase ${span.phase.name}: ${started.length} fault(s) started`);
        } catch (error) {
          onFailure(`phase ${span.phase.name}: faults could not start: ${describeError(error)}`);
          abort.abort();
        }
      }, span.startSecond * 1000),
      setTimeout(() => void faults.stop(started).catch(() => {}), span.endSecond * 1000),
    );
  }
  return timers;
}

/** A spec fault as the control API takes it: target names become model and proxy names. */
function faultBody(
  fault: SpecFault,
  arms: readonly Arm[],
  proxyOf: ReadonlyMap<string, string>,
): Record<string, unknown> {
  const { model, ...rest } = fault as SpecFault & { model?: string };
  const body: Record<string, unknown> = { ...rest };
  if (model !== undefined) body.model = arms.find((arm) => arm.name === model)?.model ?? model;
  if (fault.type === "network") {
    const proxyName = proxyOf.get(fault.proxy) ?? [...proxyOf.values()][0] ?? fault.proxy;
    body.proxy = proxyName;
  }
  return body;
}

async function clearFaults(faults: FaultController, log: (message: string) => void): Promise<void> {
  try {
    await faults.stop();
  } catch (error) {
    log(`[run] stopping faults failed (their leases lapse on their own): ${describeError(error)}`);
  }
}

function watchStopConditions(spec: ExperimentSpec, windows: readonly LoadWindow[]): StopBreach | undefined {
  if (spec.stopConditions.length === 0 || windows.length === 0) return undefined;
  const latest = Math.max(...windows.map((window) => window.second));
  return checkStopConditions(spec.stopConditions, (overSeconds) => {
    const recent = windows.filter((window) => window.second > latest - overSeconds);
    const byTarget = new Map<string, LoadWindow[]>();
    for (const window of recent)
      byTarget.set(window.target, [...(byTarget.get(window.target) ?? []), window]);
    return Object.fromEntries(
      [...byTarget].map(([target, list]) => [target, metricValues(list, overSeconds)]),
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
