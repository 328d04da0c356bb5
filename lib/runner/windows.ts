// One-second windows per target × phase: counts by outcome, correct/scored counts, HDR histograms
// of answered requests (latency from the intended send time, and service time from the actual
// send), one of the failed requests' latency (so percentiles are over answered requests unless all
// outcomes are asked for: a fast 5xx must not pull a P99 down) and the generator's worst send lag. A window belongs to the second its requests were *intended* in; it
// closes once that second is sealed (nothing more will be intended in it) and every request in it
// has finished, timed out or overflowed, and is then encoded and handed to the caller (a recorder).
// Also: merging stored windows (any span, any number of workers) and summarising them.
import {
  createHistogram,
  encodeHistogram,
  type Histogram,
  type LatencySummary,
  mergeHistograms,
  recordLatencyMs,
  summarizeHistogram,
} from "../metrics/histogram";

export { OUTCOMES, type Outcome } from "./outcomes";

import { type ArrivalCounts, type Outcome, totalArrivals } from "./outcomes";

/** Every outcome class counted (a fallback's answer is `degraded`), and the answers scored. */
export interface WindowCounts extends Required<ArrivalCounts> {
  /** Answers judged correct, among `scored`. */
  correct: number;
  scored: number;
}

const COUNT_FIELD = {
  ok: "ok",
  http_4xx: "http4xx",
  http_5xx: "http5xx",
  rejected_429: "rejected429",
  timeout: "timeout",
  connection_error: "connectionError",
  degraded: "degraded",
  overflow: "overflow",
} as const satisfies Record<Outcome, keyof WindowCounts>;

export function emptyCounts(): WindowCounts {
  return {
    ok: 0,
    http4xx: 0,
    http5xx: 0,
    rejected429: 0,
    timeout: 0,
    connectionError: 0,
    degraded: 0,
    overflow: 0,
    correct: 0,
    scored: 0,
  };
}

export function countOutcome(counts: WindowCounts, outcome: Outcome): void {
  counts[COUNT_FIELD[outcome]] += 1;
}

/** The counts keyed by outcome class (`http_4xx`…), as reports and SLOs name them. */
export function countsByOutcome(counts: WindowCounts): Record<Outcome, number> {
  return Object.fromEntries(
    Object.entries(COUNT_FIELD).map(([outcome, field]) => [outcome, counts[field]]),
  ) as Record<Outcome, number>;
}

/** Every request intended, whatever its outcome (overflows and fallback answers included). */
export const totalRequests = totalArrivals;

/** A closed window: the Window table's columns, with the target by name (the recorder maps it to an arm). */
export interface LoadWindow extends WindowCounts {
  target: string;
  phase: string;
  /** Seconds since the run started (of the intended send times). */
  second: number;
  /** Compressed HDR (µs) of answered requests, from the intended send time: corrected for coordinated omission. */
  latencyHistogram: Buffer;
  /** Compressed HDR (µs) of answered requests, from the actual send time. */
  serviceHistogram: Buffer;
  /** Compressed HDR (µs) of failed requests (not overflows: they have none), from the intended send time. */
  failedLatencyHistogram: Buffer;
  /** Worst lag of the generator behind its schedule among this window's sends. */
  maxSendLagMs: number;
  /** Sends that left later than the lag threshold. */
  lateSends: number;
}

/** What one finished request contributes to its window; no latencies for an overflow. */
export interface CompletedRequest {
  outcome: Outcome;
  latencyMs?: number;
  serviceMs?: number;
  correct?: boolean;
  scored?: boolean;
}

/** A window still collecting; opaque to callers, who only hand it back to the aggregator. */
export class OpenWindow {
  readonly counts = emptyCounts();
  readonly latency: Histogram = createHistogram();
  readonly service: Histogram = createHistogram();
  readonly failedLatency: Histogram = createHistogram();
  pending = 0;
  maxSendLagMs = 0;
  lateSends = 0;
  closed = false;

  constructor(
    readonly key: string,
    readonly target: string,
    readonly phase: string,
    readonly second: number,
  ) {}
}

export class WindowAggregator {
  private readonly open = new Map<string, OpenWindow>();
  private readonly lastByTarget = new Map<string, OpenWindow>();
  private sealedBefore = Number.NEGATIVE_INFINITY;
  private closedCount = 0;

  constructor(private readonly onClose: (window: LoadWindow) => void) {}

  /** Registers one request intended in (target, phase, second); the window stays open until it completes. */
  expect(target: string, phase: string, second: number): OpenWindow {
    if (second < this.sealedBefore) throw new Error(`second ${second} is already sealed`);
    // The usual case is the same window as this target's previous request: skip the key and lookup.
    const last = this.lastByTarget.get(target);
    let window = last && !last.closed && last.second === second && last.phase === phase ? last : undefined;
    if (!window) {
      const key = `${target}\u0000${phase}\u0000${second}`;
      window = this.open.get(key);
      if (!window) {
        window = new OpenWindow(key, target, phase, second);
        this.open.set(key, window);
      }
      this.lastByTarget.set(target, window);
    }
    window.pending += 1;
    return window;
  }

  noteSendLag(window: OpenWindow, lagMs: number, late: boolean): void {
    if (lagMs > window.maxSendLagMs) window.maxSendLagMs = lagMs;
    if (late) window.lateSends += 1;
  }

  complete(window: OpenWindow, request: CompletedRequest): void {
    if (window.closed || window.pending === 0)
      throw new Error("completed a request its window did not expect");
    countOutcome(window.counts, request.outcome);
    if (request.scored) {
      window.counts.scored += 1;
      if (request.correct) window.counts.correct += 1;
    }
    if (request.outcome === "ok") {
      if (request.latencyMs !== undefined) recordLatencyMs(window.latency, request.latencyMs);
      if (request.serviceMs !== undefined) recordLatencyMs(window.service, request.serviceMs);
    } else if (request.latencyMs !== undefined) {
      recordLatencyMs(window.failedLatency, request.latencyMs);
    }
    window.pending -= 1;
    if (window.pending === 0 && window.second < this.sealedBefore) this.close(window);
  }

  /** Nothing more will be intended before `second`: windows before it close as soon as they drain. */
  sealBefore(second: number): void {
    if (second <= this.sealedBefore) return;
    this.sealedBefore = second;
    for (const window of [...this.open.values()]) {
      if (window.second < second && window.pending === 0) this.close(window);
    }
  }

  sealAll(): void {
    this.sealBefore(Number.POSITIVE_INFINITY);
  }

  get openWindows(): number {
    return this.open.size;
  }

  get closedWindows(): number {
    return this.closedCount;
  }

  private close(window: OpenWindow): void {
    window.closed = true;
    this.open.delete(window.key);
    this.closedCount += 1;
    this.onClose({
      target: window.target,
      phase: window.phase,
      second: window.second,
      ...window.counts,
      latencyHistogram: encodeHistogram(window.latency),
      serviceHistogram: encodeHistogram(window.service),
      failedLatencyHistogram: encodeHistogram(window.failedLatency),
      maxSendLagMs: window.maxSendLagMs,
      lateSends: window.lateSends,
    });
  }
}

/** A window as read back from storage (older rows carry no `overflow`, `degraded` or failed latencies). */
export interface StoredWindow extends Omit<WindowCounts, "overflow" | "degraded"> {
  overflow?: number;
  degraded?: number;
  second: number;
  latencyHistogram: Uint8Array;
  serviceHistogram: Uint8Array;
  failedLatencyHistogram?: Uint8Array | null;
  maxSendLagMs: number;
}

/** Windows merged into one: counts summed, histograms merged exactly, lag maximised. */
export interface WindowSpan extends WindowCounts {
  windows: number;
  /** First and last second covered; NaN for no windows. */
  fromSecond: number;
  toSecond: number;
  /** Answered requests. */
  latency: Histogram;
  service: Histogram;
  /**
   * Failed requests that got a latency (corrected clock), merged on first call: only an SLO over
   * all outcomes reads it, so summaries and most verdicts never decode these histograms.
   */
  failedLatency: () => Histogram;
  maxSendLagMs: number;
}

/** Merges any windows: one target's span of seconds, one second across workers, a whole phase… */
export function mergeWindows(windows: Iterable<StoredWindow>): WindowSpan {
  const counts = emptyCounts();
  const latencies: Uint8Array[] = [];
  const services: Uint8Array[] = [];
  const failed: Uint8Array[] = [];
  let fromSecond = Number.POSITIVE_INFINITY;
  let toSecond = Number.NEGATIVE_INFINITY;
  let maxSendLagMs = 0;
  let count = 0;
  let merged: Histogram | undefined;
  for (const window of windows) {
    count += 1;
    for (const field of Object.keys(counts) as (keyof WindowCounts)[]) counts[field] += window[field] ?? 0;
    latencies.push(window.latencyHistogram);
    services.push(window.serviceHistogram);
    if (window.failedLatencyHistogram) failed.push(window.failedLatencyHistogram);
    fromSecond = Math.min(fromSecond, window.second);
    toSecond = Math.max(toSecond, window.second);
    maxSendLagMs = Math.max(maxSendLagMs, window.maxSendLagMs);
  }
  return {
    ...counts,
    windows: count,
    fromSecond: count ? fromSecond : Number.NaN,
    toSecond: count ? toSecond : Number.NaN,
    latency: mergeHistograms(latencies),
    service: mergeHistograms(services),
    failedLatency: () => {
      merged ??= mergeHistograms(failed);
      return merged;
    },
    maxSendLagMs,
  };
}

export interface WindowSpanSummary extends WindowCounts {
  windows: number;
  fromSecond: number;
  toSecond: number;
  requests: number;
  /** ok / all requests (overflows and timeouts included); null without requests. */
  successRate: number | null;
  /**
   * End to end: correct / every request (a failed, overflowed or degraded one is wrong); null when
   * the items have no reference answer.
   */
  accuracy: number | null;
  /** correct / answered requests that were scored; null when nothing was scored. */
  answeredAccuracy: number | null;
  /** Requests per second over the seconds spanned (of whichever windows were passed in). */
  ratePerSecond: number | null;
  latency: LatencySummary | null;
  service: LatencySummary | null;
  maxSendLagMs: number;
}

/**
 * `scorable`: whether the run's items have reference answers. Without it, a span with any scored
 * answer is taken as scorable (a span where every request failed then has no accuracy, not 0).
 */
export function summarizeWindows(
  windows: Iterable<StoredWindow>,
  options: { scorable?: boolean } = {},
): WindowSpanSummary {
  const { latency, service, failedLatency: _failed, ...span } = mergeWindows(windows);
  const requests = totalRequests(span);
  const seconds = span.windows ? span.toSecond - span.fromSecond + 1 : 0;
  return {
    ...span,
    requests,
    successRate: requests ? span.ok / requests : null,
    accuracy: (options.scorable ?? span.scored > 0) && requests > 0 ? span.correct / requests : null,
    answeredAccuracy: span.scored ? span.correct / span.scored : null,
    ratePerSecond: seconds ? requests / seconds : null,
    latency: summarizeHistogram(latency),
    service: summarizeHistogram(service),
  };
}
