// The open-model load generator. Every request leaves at its intended time whatever the targets do
// (it never waits for a response to send the next); its latency is measured from that intended time
// (corrected for coordinated omission, as wrk2 and MLPerf LoadGen do) and from when it actually
// left; it is classified, scored by the caller's `send`, and aggregated into one-second windows per
// target × phase (windows.ts). Paired arms: at each intended time the same seeded item goes to
// every target, in a seeded order. HTTP lives in send-http.ts; this module only times and counts.
import { createRandom, type Random } from "../../kernel/random";
import {
  createHistogram,
  encodeHistogram,
  type Histogram,
  type LatencySummary,
  percentileMs,
  recordLatencyMs,
  summarizeHistogram,
} from "../metrics/histogram";
import { type ArrivalSpec, arrivalTimes, expectedArrivals } from "./arrivals";
import {
  countOutcome,
  emptyCounts,
  type LoadWindow,
  type OpenWindow,
  type Outcome,
  totalRequests,
  WindowAggregator,
  type WindowCounts,
} from "./windows";

/** What a `send` reports: the HTTP status and, when it scored the answer, whether it was right. */
export interface SendResult {
  status: number;
  answer?: string;
  correct?: boolean;
  /** Whether the answer was judged; defaults to `correct !== undefined`. */
  scored?: boolean;
  /** Character error rate, for text tasks (passed through to `onRequest`). */
  cer?: number;
  /**
   * The answer came from a fallback model, not the one asked (the server said so): the request
   * counts as `degraded`, and its answer is kept out of the requested model's accuracy.
   */
  servedBy?: string;
  /** Why a non-2xx answer failed, as the server said (its error message). */
  message?: string;
}

export interface SendContext {
  /** Index of the intended time (the same for every target at that time). */
  arrival: number;
  /** Index of the item in `items`. */
  itemIndex: number;
  /** Intended send time, ms from the run's start. */
  intendedMs: number;
  /**
   * Call when the request really leaves (gets a connection, after any client-side queueing).
   * Service time is measured from then; without a call, from when `send` was called.
   */
  markSent(): void;
}

/** Does one request; throws on a connection failure. Must give up when `signal` aborts (the timeout). */
export type SendFn<Target, Item> = (
  target: Target,
  item: Item,
  signal: AbortSignal,
  context: SendContext,
) => Promise<SendResult>;

export interface RequestRecord {
  target: string;
  arrival: number;
  itemIndex: number;
  phase: string;
  intendedMs: number;
  outcome: Outcome;
  /** How late the generator called `send` (or decided to drop), ms. */
  sendLagMs: number;
  /** From the intended time; absent for overflows. */
  latencyMs?: number;
  /** From the actual send; absent for overflows. */
  serviceMs?: number;
  status?: number;
  answer?: string;
  correct?: boolean;
  scored?: boolean;
  cer?: number;
  /** The fallback model that answered a `degraded` request. */
  servedBy?: string;
  error?: string;
}

export interface LoadOptions<Target extends { readonly name: string }, Item> {
  /** The arms; names must be unique. Every arm gets every intended request (paired). */
  targets: readonly Target[];
  /** The dataset; walked in seeded shuffled passes (each item once per pass). */
  items: readonly Item[];
  arrivals: ArrivalSpec;
  seed: number | string;
  send: SendFn<Target, Item>;
  /** Beyond this many in flight on a target, its requests are dropped as `overflow` (never queued). */
  maxInFlightPerTarget: number;
  /** From the moment `send` is called; the request then counts as `timeout`. */
  timeoutMs: number;
  /** A send later than this is late (default 10 ms). */
  lagThresholdMs?: number;
  /** Late sends without a break for this long mean the run is behind its schedule (default 200 ms). */
  lagSustainMs?: number;
  /** The phase of an intended time (ms from the start); default "main". */
  phaseAt?: (intendedMs: number) => string;
  /** Each window once it closes (not necessarily in order of seconds); awaited before the run resolves. */
  onWindow?: (window: LoadWindow) => void | Promise<void>;
  onProgress?: (progress: LoadProgress) => void;
  progressIntervalMs?: number;
  /** Every finished request, for per-item analyses (paired tests). */
  onRequest?: (record: RequestRecord) => void;
  /** Aborting stops scheduling; requests in flight finish (up to their timeout) and windows flush. */
  signal?: AbortSignal;
  /** The timer wakes this early and the last stretch is spun with setImmediate (default 2 ms). */
  spinMs?: number;
}

export interface TargetProgress {
  target: string;
  /** Sends (and overflows) per second over the last interval. */
  sentPerSecond: number;
  completedPerSecond: number;
  /** ok / (finished + overflowed) over the last interval; null when nothing finished. */
  successRate: number | null;
  /** Corrected latency P99 over the last interval, ms. */
  p99Ms: number | null;
  inFlight: number;
  totals: WindowCounts;
}

export interface LoadProgress {
  elapsedMs: number;
  arrivals: number;
  expectedArrivals: number;
  /** Worst send lag over the last interval. */
  maxSendLagMs: number;
  behindSchedule: boolean;
  targets: TargetProgress[];
}

export interface TargetSummary extends WindowCounts {
  target: string;
  requests: number;
  /** Requests handed to `send`. */
  sent: number;
  /** Sends per second from the first send to the last. */
  achievedRatePerSecond: number | null;
  /** Finished (non-overflow) requests per second from the first send to the last completion. */
  throughputPerSecond: number | null;
  latency: LatencySummary | null;
  service: LatencySummary | null;
  latencyHistogram: Buffer;
  serviceHistogram: Buffer;
}

export interface LoadSummary {
  aborted: boolean;
  startedAt: Date;
  durationMs: number;
  /** Intended times dispatched (each to every target). */
  arrivals: number;
  expectedArrivals: number;
  maxSendLagMs: number;
  lateSends: number;
  /** Late sends went on for `lagSustainMs` or longer at least once: latency figures are not trustworthy. */
  behindSchedule: boolean;
  behindEpisodes: number;
  windows: number;
  targets: TargetSummary[];
}

const MAX_DISPATCH_PER_TURN = 64;

class TimeoutError extends Error {
  override name = "TimeoutError";
}

interface TargetState<Target> {
  name: string;
  target: Target;
  inFlight: number;
  sent: number;
  finished: number;
  firstSentAt: number;
  lastSentAt: number;
  lastFinishedAt: number;
  counts: WindowCounts;
  latency: Histogram;
  service: Histogram;
  interval: { dispatched: number; finished: number; overflow: number; ok: number; latency: Histogram };
}

/** Runs one load schedule against every target; resolves when all requests finished and windows flushed. */
export async function runLoad<Target extends { readonly name: string }, Item>(
  options: LoadOptions<Target, Item>,
): Promise<LoadSummary> {
  return new LoadRun(options).run();
}

class LoadRun<Target extends { readonly name: string }, Item> {
  private readonly targets: TargetState<Target>[];
  private readonly aggregator: WindowAggregator;
  private readonly schedule: Iterator<number, void>;
  private readonly itemRandom: Random;
  private readonly orderRandom: Random;
  private readonly order: number[];
  private readonly lagThresholdMs: number;
  private readonly lagSustainMs: number;
  private readonly spinMs: number;
  private readonly phaseAt: (intendedMs: number) => string;
  private readonly windowWork: Promise<void>[] = [];
  private readonly callbackErrors: unknown[] = [];
  private itemOrder: number[] = [];
  private nextOffsetMs: number | undefined;
  private arrival = 0;
  private startAt = 0;
  private startedAt = new Date();
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private progressTimer: NodeJS.Timeout | undefined;
  private lastProgressAt = 0;
  private scheduling = true;
  private aborted = false;
  private inFlight = 0;
  private maxSendLagMs = 0;
  private intervalMaxLagMs = 0;
  private lateSends = 0;
  private lateSince: number | undefined;
  private episodeCounted = false;
  private behindEpisodes = 0;
  private windowCount = 0;
  private finish: (() => void) | undefined;

  constructor(private readonly options: LoadOptions<Target, Item>) {
    const names = options.targets.map((target) => target.name);
    if (names.length === 0) throw new Error("runLoad needs at least one target");
    if (new Set(names).size !== names.length)
      throw new Error(`target names must be unique: ${names.join(", ")}`);
    if (options.items.length === 0) throw new Error("runLoad needs at least one item");
    if (!(options.maxInFlightPerTarget >= 1)) throw new Error("maxInFlightPerTarget must be at least 1");
    if (!(options.timeoutMs > 0)) throw new Error("timeoutMs must be above 0");
    this.targets = options.targets.map((target) => ({
      name: target.name,
      target,
      inFlight: 0,
      sent: 0,
      finished: 0,
      firstSentAt: Number.NaN,
      lastSentAt: Number.NaN,
      lastFinishedAt: Number.NaN,
      counts: emptyCounts(),
      latency: createHistogram(),
      service: createHistogram(),
      interval: { dispatched: 0, finished: 0, overflow: 0, ok: 0, latency: createHistogram() },
    }));
    this.order = this.targets.map((_, index) => index);
    const random = createRandom(options.seed);
    this.itemRandom = random.fork("items");
    this.orderRandom = random.fork("order");
    this.schedule = arrivalTimes(options.arrivals, options.seed);
    this.lagThresholdMs = options.lagThresholdMs ?? 10;
    this.lagSustainMs = options.lagSustainMs ?? 200;
    this.spinMs = options.spinMs ?? 2;
    this.phaseAt = options.phaseAt ?? (() => "main");
    this.aggregator = new WindowAggregator((window) => this.emitWindow(window));
  }

  async run(): Promise<LoadSummary> {
    const { signal } = this.options;
    const done = new Promise<void>((resolve) => {
      this.finish = resolve;
    });
    const onAbort = () => this.stopScheduling(true);
    signal?.addEventListener("abort", onAbort, { once: true });
    this.startedAt = new Date();
    this.startAt = performance.now();
    this.lastProgressAt = this.startAt;
    if (this.options.onProgress) {
      this.progressTimer = setInterval(() => this.emitProgress(), this.options.progressIntervalMs ?? 1000);
    }
    this.nextOffsetMs = this.advance();
    if (signal?.aborted) this.stopScheduling(true);
    else this.tick();
    await done;
    signal?.removeEventListener("abort", onAbort);
    clearInterval(this.progressTimer);
    if (this.options.onProgress) this.emitProgress();
    await Promise.all(this.windowWork);
    if (this.callbackErrors.length > 0) {
      throw new AggregateError(this.callbackErrors, "a callback (onWindow, onRequest, onProgress) failed");
    }
    return this.summary();
  }

  private advance(): number | undefined {
    const next = this.schedule.next();
    return next.done ? undefined : next.value;
  }

  /** Sends whatever is due, then sleeps until close to the next intended time and spins the rest. */
  private readonly tick = (): void => {
    this.timer = undefined;
    this.immediate = undefined;
    let dispatched = 0;
    while (this.scheduling && this.nextOffsetMs !== undefined) {
      const waitMs = this.startAt + this.nextOffsetMs - performance.now();
      if (waitMs > 0) {
        if (waitMs > this.spinMs) this.timer = setTimeout(this.tick, Math.floor(waitMs - this.spinMs));
        else this.immediate = setImmediate(this.tick);
        return;
      }
      this.dispatch(this.nextOffsetMs);
      this.nextOffsetMs = this.advance();
      // Seconds before the next intended time get no more requests: their windows may close.
      if (this.nextOffsetMs !== undefined) this.aggregator.sealBefore(Math.floor(this.nextOffsetMs / 1000));
      // When behind, yield now and then so responses are read (and timed) while catching up.
      if (++dispatched >= MAX_DISPATCH_PER_TURN) {
        this.immediate = setImmediate(this.tick);
        return;
      }
    }
    if (this.scheduling) this.stopScheduling(false);
  };

  private stopScheduling(aborted: boolean): void {
    if (!this.scheduling) return;
    this.scheduling = false;
    this.aborted = aborted;
    clearTimeout(this.timer);
    clearImmediate(this.immediate);
    this.aggregator.sealAll();
    this.maybeFinish();
  }

  private maybeFinish(): void {
    if (!this.scheduling && this.inFlight === 0) this.finish?.();
  }

  private dispatch(offsetMs: number): void {
    const arrival = this.arrival++;
    const intendedAt = this.startAt + offsetMs;
    const second = Math.floor(offsetMs / 1000);
    const phase = this.phaseAt(offsetMs);
    const itemIndex = this.itemAt(arrival);
    const item = this.options.items[itemIndex] as Item;
    for (const index of this.shuffledOrder()) {
      const state = this.targets[index] as TargetState<Target>;
      const window = this.aggregator.expect(state.name, phase, second);
      const dispatchAt = performance.now();
      const lagMs = Math.max(0, dispatchAt - intendedAt);
      const late = this.noteLag(lagMs, dispatchAt);
      this.aggregator.noteSendLag(window, lagMs, late);
      state.interval.dispatched += 1;
      const base = { target: state.name, arrival, itemIndex, phase, intendedMs: offsetMs, sendLagMs: lagMs };
      if (state.inFlight >= this.options.maxInFlightPerTarget) {
        countOutcome(state.counts, "overflow");
        state.interval.overflow += 1;
        this.aggregator.complete(window, { outcome: "overflow" });
        this.report({ ...base, outcome: "overflow" });
        continue;
      }
      this.start(state, item, window, base, intendedAt, dispatchAt);
    }
  }

  private start(
    state: TargetState<Target>,
    item: Item,
    window: OpenWindow,
    base: Omit<RequestRecord, "outcome">,
    intendedAt: number,
    dispatchAt: number,
  ): void {
    state.inFlight += 1;
    state.sent += 1;
    if (Number.isNaN(state.firstSentAt)) state.firstSentAt = dispatchAt;
    state.lastSentAt = dispatchAt;
    this.inFlight += 1;
    const controller = new AbortController();
    let sentAt = dispatchAt;
    let marked = false;
    let settled = false;
    const settle = (outcome: Outcome, result?: SendResult, error?: unknown) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      const endAt = performance.now();
      const latencyMs = endAt - intendedAt;
      const serviceMs = endAt - sentAt;
      // A fallback's answer is not the requested model's: it is never scored as the model's own.
      const scored =
        result && outcome !== "degraded" ? (result.scored ?? result.correct !== undefined) : false;
      const correct = scored && result?.correct === true;
      this.aggregator.complete(window, { outcome, latencyMs, serviceMs, correct, scored });
      this.account(state, outcome, latencyMs, serviceMs, scored, correct, endAt);
      state.inFlight -= 1;
      this.inFlight -= 1;
      this.report({
        ...base,
        outcome,
        latencyMs,
        serviceMs,
        status: result?.status,
        answer: result?.answer,
        correct: result?.correct,
        scored,
        cer: result?.cer,
        servedBy: result?.servedBy,
        error: error === undefined ? result?.message : error instanceof Error ? error.message : String(error),
      });
      this.maybeFinish();
    };
    // The generator enforces the timeout itself, so a `send` that ignores its signal cannot hang the run.
    const timer = setTimeout(() => {
      controller.abort(new TimeoutError(`no answer within ${this.options.timeoutMs} ms`));
      settle("timeout", undefined, controller.signal.reason);
    }, this.options.timeoutMs);
    const context: SendContext = {
      arrival: base.arrival,
      itemIndex: base.itemIndex,
      intendedMs: base.intendedMs,
      markSent: () => {
        if (marked || settled) return;
        marked = true;
        sentAt = performance.now();
      },
    };
    let pending: Promise<SendResult>;
    try {
      pending = this.options.send(state.target, item, controller.signal, context);
    } catch (error) {
      pending = Promise.reject(error);
    }
    pending.then(
      (result) => settle(classifyResult(result), result),
      (error: unknown) =>
        settle(controller.signal.aborted ? "timeout" : "connection_error", undefined, error),
    );
  }

  private account(
    state: TargetState<Target>,
    outcome: Outcome,
    latencyMs: number,
    serviceMs: number,
    scored: boolean,
    correct: boolean,
    endAt: number,
  ): void {
    countOutcome(state.counts, outcome);
    if (scored) state.counts.scored += 1;
    if (correct) state.counts.correct += 1;
    // Latency percentiles are over answered requests: a fast error must not pull a P99 down.
    if (outcome === "ok") {
      recordLatencyMs(state.latency, latencyMs);
      recordLatencyMs(state.service, serviceMs);
      recordLatencyMs(state.interval.latency, latencyMs);
    }
    state.interval.finished += 1;
    if (outcome === "ok") state.interval.ok += 1;
    state.finished += 1;
    state.lastFinishedAt = endAt;
  }

  /** Tracks lateness; returns whether this send was late. */
  private noteLag(lagMs: number, at: number): boolean {
    if (lagMs > this.maxSendLagMs) this.maxSendLagMs = lagMs;
    if (lagMs > this.intervalMaxLagMs) this.intervalMaxLagMs = lagMs;
    if (lagMs <= this.lagThresholdMs) {
      this.lateSince = undefined;
      return false;
    }
    this.lateSends += 1;
    // An episode starts at the first late send's *intended* time, so one long stall of the event loop
    // (every send after it late, then caught up in a burst) counts for its whole length.
    if (this.lateSince === undefined) {
      this.lateSince = at - lagMs;
      this.episodeCounted = false;
    }
    if (!this.episodeCounted && at - this.lateSince >= this.lagSustainMs) {
      this.episodeCounted = true;
      this.behindEpisodes += 1;
    }
    return true;
  }

  /** Seeded shuffled passes over the items: every item once per pass, a new order each pass. */
  private itemAt(arrival: number): number {
    const count = this.options.items.length;
    const position = arrival % count;
    if (position === 0) this.itemOrder = shuffle([...Array(count).keys()], this.itemRandom);
    return this.itemOrder[position] as number;
  }

  /** A fresh seeded order of the targets for each intended time, so no target is always first. */
  private shuffledOrder(): readonly number[] {
    if (this.order.length > 1) shuffle(this.order, this.orderRandom);
    return this.order;
  }

  // Callbacks are the caller's code: a throw must not stall the schedule or leak a slot, so it is
  // kept and rethrown once the run has finished.
  private report(record: RequestRecord): void {
    try {
      this.options.onRequest?.(record);
    } catch (error) {
      this.callbackErrors.push(error);
    }
  }

  private emitWindow(window: LoadWindow): void {
    this.windowCount += 1;
    const onWindow = this.options.onWindow;
    if (!onWindow) return;
    try {
      const work = onWindow(window);
      if (work) this.windowWork.push(work.catch((error: unknown) => void this.callbackErrors.push(error)));
    } catch (error) {
      this.callbackErrors.push(error);
    }
  }

  private emitProgress(): void {
    const now = performance.now();
    const seconds = Math.max(1e-3, (now - this.lastProgressAt) / 1000);
    this.lastProgressAt = now;
    const targets = this.targets.map((state): TargetProgress => {
      const { interval } = state;
      const progress: TargetProgress = {
        target: state.name,
        sentPerSecond: interval.dispatched / seconds,
        completedPerSecond: interval.finished / seconds,
        successRate:
          interval.finished + interval.overflow
            ? interval.ok / (interval.finished + interval.overflow)
            : null,
        p99Ms: percentileMs(interval.latency, 99),
        inFlight: state.inFlight,
        totals: { ...state.counts },
      };
      interval.dispatched = 0;
      interval.finished = 0;
      interval.overflow = 0;
      interval.ok = 0;
      interval.latency.reset();
      return progress;
    });
    const maxSendLagMs = this.intervalMaxLagMs;
    this.intervalMaxLagMs = 0;
    try {
      this.options.onProgress?.({
        elapsedMs: now - this.startAt,
        arrivals: this.arrival,
        expectedArrivals: expectedArrivals(this.options.arrivals),
        maxSendLagMs,
        behindSchedule: this.behindEpisodes > 0,
        targets,
      });
    } catch (error) {
      this.callbackErrors.push(error);
    }
  }

  private summary(): LoadSummary {
    const endAt = performance.now();
    return {
      aborted: this.aborted,
      startedAt: this.startedAt,
      durationMs: endAt - this.startAt,
      arrivals: this.arrival,
      expectedArrivals: expectedArrivals(this.options.arrivals),
      maxSendLagMs: this.maxSendLagMs,
      lateSends: this.lateSends,
      behindSchedule: this.behindEpisodes > 0,
      behindEpisodes: this.behindEpisodes,
      windows: this.windowCount,
      targets: this.targets.map((state) => ({
        target: state.name,
        ...state.counts,
        requests: totalRequests(state.counts),
        sent: state.sent,
        achievedRatePerSecond:
          state.sent > 1 ? ((state.sent - 1) * 1000) / (state.lastSentAt - state.firstSentAt) : null,
        throughputPerSecond:
          state.finished > 0 && state.lastFinishedAt > state.firstSentAt
            ? (state.finished * 1000) / (state.lastFinishedAt - state.firstSentAt)
            : null,
        latency: summarizeHistogram(state.latency),
        service: summarizeHistogram(state.service),
        latencyHistogram: encodeHistogram(state.latency),
        serviceHistogram: encodeHistogram(state.service),
      })),
    };
  }
}

/** A 2xx answered by a fallback model is `degraded`; otherwise by status. */
export function classifyResult(result: SendResult): Outcome {
  const outcome = classifyStatus(result.status);
  return outcome === "ok" && result.servedBy !== undefined ? "degraded" : outcome;
}

/**
 * 2xx is ok; 429 is a rejection (load shedding); other 4xx and 5xx are errors. Anything else (1xx,
 * 3xx, 0) is no usable answer and the client's fault (a redirect means a wrong URL): `http_4xx`.
 */
export function classifyStatus(status: number): Outcome {
  if (status >= 200 && status < 300) return "ok";
  if (status === 429) return "rejected_429";
  if (status >= 500) return "http_5xx";
  return "http_4xx";
}

/** A `phaseAt` for consecutive phases of given lengths; after the last, the last phase goes on. */
export function phasesInOrder(
  phases: readonly { name: string; durationSeconds: number }[],
): (intendedMs: number) => string {
  if (phases.length === 0) throw new Error("phasesInOrder needs at least one phase");
  const ends: number[] = [];
  let end = 0;
  for (const phase of phases) {
    end += phase.durationSeconds * 1000;
    ends.push(end);
  }
  return (intendedMs) => {
    const index = ends.findIndex((phaseEnd) => intendedMs < phaseEnd);
    return (phases[index === -1 ? phases.length - 1 : index] as { name: string }).name;
  };
}

function shuffle<T>(values: T[], random: Random): T[] {
  for (let i = values.length - 1; i > 0; i -= 1) {
    const j = random.int(0, i);
    [values[i], values[j]] = [values[j] as T, values[i] as T];
  }
  return values;
}
