// A finished run written straight into PostgreSQL without sending a request: windows drawn from
// seeded latency and accuracy models, then the same aggregation, SLO verdicts and report the
// worker produces. For the dashboard benchmark (an hour of three targets in seconds) and for
// screenshots; never presented as a measurement of a model.
import pg from "pg";
import { createPrismaClient } from "../lib/db/prisma";
import { parseExperimentSpec, specSha256 } from "../lib/experiments/spec";
import type { ItemTally } from "../lib/metrics/compare-items";
import { createHistogram, encodeHistogram, recordLatencyMs } from "../lib/metrics/histogram";
import { evaluateSlos } from "../lib/metrics/slo";
import { phaseAggregates } from "../lib/runner/aggregate";
import { buildReport, type ItemTallyBook } from "../lib/runner/report";
import { RunReport, runRecordColumns } from "../lib/runner/run-record";
import { judgeValidity } from "../lib/runner/validity";
import { insertWindows } from "../lib/runner/window-store";
import type { LoadWindow } from "../lib/runner/windows";

export interface SyntheticTarget {
  name: string;
  model: string;
  role: "candidate" | "baseline";
  /** Median service latency, ms. */
  medianMs: number;
  /** Probability an answer is correct. */
  accuracy: number;
}

export interface SyntheticRunOptions {
  databaseUrl: string;
  durationSeconds?: number;
  ratePerSecond?: number;
  seed?: number;
  targets?: SyntheticTarget[];
  /** Seconds of missing windows per target (a recorder outage), to exercise gaps. */
  gap?: { fromSecond: number; seconds: number };
}

export const DEFAULT_SYNTHETIC_TARGETS: SyntheticTarget[] = [
  { name: "fp32", model: "ppocr-v4-rec", role: "candidate", medianMs: 24, accuracy: 0.97 },
  { name: "int8", model: "ppocr-v4-rec-int8", role: "baseline", medianMs: 20, accuracy: 0.965 },
  { name: "int6", model: "ppocr-v4-rec-int6", role: "baseline", medianMs: 19, accuracy: 0.83 },
];

/** Mulberry32: small, fast and seedable; the same seed gives the same run. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function syntheticSpec(durationSeconds: number, ratePerSecond: number, targets: SyntheticTarget[]) {
  const warmup = Math.min(60, Math.floor(durationSeconds / 10));
  const fault = Math.floor(durationSeconds / 6);
  const steady = Math.floor((durationSeconds - warmup - fault) / 2);
  return parseExperimentSpec({
    name: `synthetic-${durationSeconds}s`,
    description:
      "Synthetic run for the dashboard benchmark (windows drawn from seeded models, no requests sent).",
    targets: targets.map(({ name, model, role }) => ({ name, model, role })),
    dataset: { name: "textline-v1" },
    load: { arrival: "constant", rate: ratePerSecond, maxInFlight: 32, timeoutMs: 5000, seed: 1 },
    phases: [
      { name: "warmup", durationSeconds: warmup, counts: false },
      { name: "steady", durationSeconds: steady },
      {
        name: "network-latency",
        durationSeconds: fault,
        faults: [
          {
            type: "network",
            proxy: targets[0]?.name,
            toxic: { type: "latency", attributes: { latency: 100, jitter: 20 } },
          },
        ],
      },
      { name: "recovery", durationSeconds: durationSeconds - warmup - steady - fault },
    ],
    hypothesis: [
      { phase: "*", slos: ["success_rate>=0.99", "accuracy>=0.9 ~ >=0.8"] },
      { phase: "steady", slos: ["p(99)<250 ~ <500"] },
      { phase: "network-latency", slos: ["p(99)<400 ~ <800"] },
    ],
  });
}

export async function seedSyntheticRun(
  options: SyntheticRunOptions,
): Promise<{ runId: string; windows: number }> {
  const durationSeconds = options.durationSeconds ?? 3600;
  const rate = options.ratePerSecond ?? 8;
  const targets = options.targets ?? DEFAULT_SYNTHETIC_TARGETS;
  const seed = options.seed ?? 1;
  const spec = syntheticSpec(durationSeconds, rate, targets);
  const next = random(seed);
  const spans: Array<{ name: string; start: number; end: number; faulted: boolean; counts: boolean }> = [];
  let start = 0;
  for (const phase of spec.phases) {
    spans.push({
      name: phase.name,
      start,
      end: start + phase.durationSeconds,
      faulted: (phase.faults?.length ?? 0) > 0,
      counts: phase.counts !== false,
    });
    start += phase.durationSeconds;
  }

  const windows: LoadWindow[] = [];
  // Every synthetic arrival is an item of its own (difficulty drawn per second and request).
  const tallies: ItemTallyBook = new Map(targets.map((target) => [target.name, new Map()]));
  const counted = new Set(spans.filter((span) => span.counts).map((span) => span.name));
  for (let second = 0; second < durationSeconds; second++) {
    const span =
      spans.find((candidate) => second < candidate.end) ?? (spans.at(-1) as (typeof spans)[number]);
    const missing =
      options.gap &&
      second >= options.gap.fromSecond &&
      second < options.gap.fromSecond + options.gap.seconds;
    // Same arrivals and same item difficulty for every target: paired, as the runner sends them.
    const difficulty = Array.from({ length: rate }, () => next());
    for (const [index, target] of targets.entries()) {
      const latency = createHistogram();
      const service = createHistogram();
      let ok = 0;
      let http5xx = 0;
      let correct = 0;
      for (let request = 0; request < rate; request++) {
        const faultMs = span.faulted && index === 0 ? 100 + (next() - 0.5) * 40 : 0;
        // Log-normal service time around the target's median, with a heavier tail now and then.
        const serviceMs = target.medianMs * Math.exp(0.35 * gaussian(next)) * (next() < 0.01 ? 4 : 1);
        if (next() < 0.0005) {
          http5xx++;
          continue;
        }
        ok++;
        recordLatencyMs(service, serviceMs + faultMs);
        recordLatencyMs(latency, serviceMs + faultMs + next() * 2);
        const isCorrect = (difficulty[request] as number) < target.accuracy;
        if (isCorrect) correct++;
        if (counted.has(span.name)) {
          const byPhase = tallies.get(target.name) as Map<string, Map<string, ItemTally>>;
          const byItem = byPhase.get(span.name) ?? new Map<string, ItemTally>();
          byPhase.set(
            span.name,
            byItem.set(`s${second}-${request}`, { correct: isCorrect ? 1 : 0, total: 1 }),
          );
        }
      }
      if (missing) continue;
      windows.push({
        target: target.name,
        phase: span.name,
        second,
        ok,
        http4xx: 0,
        http5xx,
        rejected429: 0,
        timeout: 0,
        connectionError: 0,
        degraded: 0,
        overflow: 0,
        correct,
        scored: ok,
        latencyHistogram: encodeHistogram(latency),
        serviceHistogram: encodeHistogram(service),
        failedLatencyHistogram: encodeHistogram(createHistogram()),
        maxSendLagMs: next() * 3,
        lateSends: 0,
      });
    }
  }

  const phaseSeconds = new Map(spec.phases.map((phase) => [phase.name, phase.durationSeconds]));
  const cerSums = new Map<string, number>();
  const slos = evaluateSlos(spec, phaseAggregates(windows, phaseSeconds, cerSums, true));
  const arrivals = durationSeconds * rate;
  const report = buildReport({
    spec,
    summary: {
      aborted: false,
      startedAt: new Date(),
      durationMs: durationSeconds * 1000,
      arrivals,
      expectedArrivals: arrivals,
      maxSendLagMs: Math.max(...windows.map((window) => window.maxSendLagMs)),
      lateSends: 0,
      behindSchedule: false,
      behindEpisodes: 0,
      windows: windows.length,
      targets: [],
    },
    windows,
    slos,
    tallies,
    counted,
    cerSums,
    degradedBy: new Map(),
    scorable: true,
    validity: judgeValidity({
      phases: spans.map((span) => ({
        name: span.name,
        startSecond: span.start,
        endSecond: span.end,
        faults: 0,
      })),
      loadStartedAtMs: Date.now(),
      load: { endedSecond: durationSeconds },
      phaseStarts: new Map(),
      faults: [],
      halts: [],
      behindSchedule: false,
    }),
    seed,
  });

  const prisma = createPrismaClient(options.databaseUrl, 2);
  const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 2 });
  try {
    const models = await prisma.modelVersion.findMany({
      where: { name: { in: targets.map((t) => t.model) } },
    });
    const endedAt = new Date();
    const startedAt = new Date(endedAt.getTime() - durationSeconds * 1000);
    const experiment = await prisma.experiment.upsert({
      where: { name: spec.name },
      update: {},
      create: { name: spec.name, description: spec.description ?? "", currentVersion: 1 },
    });
    const version = await prisma.experimentVersion.upsert({
      where: { experimentId_version: { experimentId: experiment.id, version: 1 } },
      update: {},
      create: { experimentId: experiment.id, version: 1, spec: spec as object, specSha256: specSha256(spec) },
    });
    const run = await prisma.run.create({
      data: {
        experimentId: experiment.id,
        experimentVersionId: version.id,
        trigger: "manual",
        seed: BigInt(seed),
        status: slos.verdict === "fail" ? "failed" : slos.verdict === "invalid" ? "invalid" : "passed",
        createdAt: startedAt,
        startedAt,
        endedAt,
        ...runRecordColumns({ report: RunReport.parse(report), verdict: slos }),
        fingerprint: { synthetic: true, seed },
      },
    });
    const armIds = new Map<string, string>();
    for (const target of targets) {
      const arm = await prisma.runArm.create({
        data: {
          runId: run.id,
          label: target.name,
          isCandidate: target.role === "candidate",
          modelVersionId: models.find((model) => model.name === target.model)?.id ?? null,
          summary: report.targets.find((entry) => entry.target === target.name) as object,
        },
      });
      armIds.set(target.name, arm.id);
    }
    for (let offset = 0; offset < windows.length; offset += 2000) {
      await insertWindows(
        pool,
        windows.slice(offset, offset + 2000).map(({ target, lateSends: _, ...window }) => ({
          ...window,
          armId: armIds.get(target) as string,
        })),
      );
    }
    return { runId: run.id, windows: windows.length };
  } finally {
    await prisma.$disconnect();
    await pool.end();
  }
}

/** Standard normal draw (Box–Muller). */
function gaussian(next: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
}
