// Per-item results of a run, the pure parts: a finished request as an item_results row
// (truncated, capped per run), the latest failure samples per target and outcome class for the
// report, and the per-item view the items API serves (grouping, majority over repeats, the
// disagree filter, the keyset cursor). The rows are written by recorder.ts (window-store.ts).
import type { RequestRecord } from "./load-generator";
import type { FailureSamples } from "./run-record";

/**
 * Rows one run may store. 200,000 is a 30-minute drill at ~110 requests/s over all targets: the
 * table stays small enough to group per item on demand; beyond it rows are counted, not stored.
 */
export const ITEM_RESULTS_CAP = 200_000;
export const ANSWER_MAX_CHARS = 200;
export const ERROR_MAX_CHARS = 300;
/** Failure samples kept per target × outcome class (the latest ones). */
export const FAILURE_SAMPLES_PER_CLASS = 5;
/** Distinct answers shown per item and target. */
export const ANSWERS_PER_TARGET = 3;

/** An item_results row as the recorder writes it. */
export interface ItemResultRecord {
  runId: string;
  armId: string;
  arrival: number;
  itemKey: string;
  phase: string;
  second: number;
  outcome: string;
  latencyMs: number | null;
  answer: string | null;
  correct: boolean | null;
  servedBy: string | null;
  error: string | null;
}

const truncate = (text: string | undefined, max: number) =>
  text === undefined ? null : text.length > max ? text.slice(0, max) : text;

/** The second of the run a request belongs to (the window it was counted in). */
export const secondOf = (record: Pick<RequestRecord, "intendedMs">) => Math.floor(record.intendedMs / 1000);

export function itemResultOf(
  record: RequestRecord,
  ids: { runId: string; armId: string; itemKey: string },
): ItemResultRecord {
  return {
    ...ids,
    arrival: record.arrival,
    phase: record.phase,
    second: secondOf(record),
    outcome: record.outcome,
    latencyMs: record.latencyMs ?? null,
    answer: truncate(record.answer, ANSWER_MAX_CHARS),
    correct: record.scored ? record.correct === true : null,
    servedBy: record.servedBy ?? null,
    error: truncate(failureMessage(record), ERROR_MAX_CHARS),
  };
}

/**
 * What a failed request says went wrong: the error the sender or the generator gave, else the
 * HTTP status (the sender does not hand the error body on), else the class. Undefined for ok.
 */
export function failureMessage(record: Pick<RequestRecord, "outcome" | "error" | "status" | "servedBy">) {
  if (record.outcome === "ok") return undefined;
  if (record.error) return record.error;
  if (record.outcome === "degraded") return `answered by fallback ${record.servedBy ?? "unknown"}`;
  if (record.outcome === "overflow") return "not sent: the target had its maximum in flight";
  return record.status !== undefined ? `HTTP ${record.status}` : record.outcome;
}

export interface FailureSample {
  second: number;
  phase: string;
  itemKey: string;
  message: string;
}

/** Counts every failure per target × class and keeps the latest few of each (by intended time). */
export class FailureSampler {
  private readonly classes = new Map<
    string,
    { target: string; outcome: string; count: number; latest: (FailureSample & { atMs: number })[] }
  >();

  constructor(private readonly perClass = FAILURE_SAMPLES_PER_CLASS) {}

  add(record: RequestRecord, itemKey: string): void {
    const message = failureMessage(record);
    if (message === undefined) return;
    const key = `${record.target}\u0000${record.outcome}`;
    let entry = this.classes.get(key);
    if (!entry) {
      entry = { target: record.target, outcome: record.outcome, count: 0, latest: [] };
      this.classes.set(key, entry);
    }
    entry.count += 1;
    const { latest } = entry;
    if (latest.length === this.perClass && (latest[0]?.atMs ?? 0) > record.intendedMs) return;
    latest.push({
      atMs: record.intendedMs,
      second: secondOf(record),
      phase: record.phase,
      itemKey,
      message: truncate(message, ERROR_MAX_CHARS) as string,
    });
    latest.sort((a, b) => a.atMs - b.atMs);
    if (latest.length > this.perClass) latest.shift();
  }

  /** Per target and class (sorted), samples oldest first. */
  samples(): FailureSamples[] {
    return [...this.classes.values()]
      .sort((a, b) => a.target.localeCompare(b.target) || a.outcome.localeCompare(b.outcome))
      .map(({ target, outcome, count, latest }) => ({
        target,
        outcome,
        count,
        samples: latest.map(({ atMs: _at, ...sample }) => sample),
      }));
  }
}

// ─── The items view ──────────────────────────────────────────────────────────────────────────

/** One item × target × outcome group as the database aggregates it. */
export interface ItemGroupRow {
  itemKey: string;
  target: string;
  outcome: string;
  requests: number;
  correct: number;
  scored: number;
  answers: readonly string[] | null;
}

export interface TargetItemResult {
  requests: number;
  correct: number;
  /** Up to three distinct answers. */
  answers: string[];
  outcomes: Record<string, number>;
}

export interface ItemEntry {
  itemKey: string;
  results: Record<string, TargetItemResult>;
}

interface Grouped extends ItemEntry {
  scored: number;
}

/** Rows (any order) → one entry per item key, in key order. */
export function groupItems(rows: readonly ItemGroupRow[]): (ItemEntry & { scored: number })[] {
  const byKey = new Map<string, Grouped>();
  for (const row of rows) {
    let entry = byKey.get(row.itemKey);
    if (!entry) {
      entry = { itemKey: row.itemKey, results: {}, scored: 0 };
      byKey.set(row.itemKey, entry);
    }
    entry.scored += row.scored;
    const result = entry.results[row.target] ?? { requests: 0, correct: 0, answers: [], outcomes: {} };
    entry.results[row.target] = result;
    result.requests += row.requests;
    result.correct += row.correct;
    result.outcomes[row.outcome] = (result.outcomes[row.outcome] ?? 0) + row.requests;
    for (const answer of row.answers ?? []) {
      if (result.answers.length < ANSWERS_PER_TARGET && !result.answers.includes(answer))
        result.answers.push(answer);
    }
  }
  return [...byKey.values()].sort((a, b) => compareKeys(a.itemKey, b.itemKey));
}

/** Byte order, as PostgreSQL's `collate "C"` sorts the keys the cursor pages over. */
export const compareKeys = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Right on most of its repeats (a failed request counts as wrong); a tie is not a majority. */
export const majorityCorrect = (result: Pick<TargetItemResult, "requests" | "correct">) =>
  result.correct * 2 > result.requests;

/**
 * The targets judged the item differently: at least two targets, at least one scored answer, and
 * their majorities differ.
 */
export function disagrees(entry: ItemEntry & { scored: number }): boolean {
  const results = Object.values(entry.results);
  if (results.length < 2 || entry.scored === 0) return false;
  const first = majorityCorrect(results[0] as TargetItemResult);
  return results.some((result) => majorityCorrect(result) !== first);
}

/** The keyset cursor: the last item key of a page, opaque to callers. */
export const encodeCursor = (itemKey: string) => Buffer.from(itemKey, "utf8").toString("base64url");

export function decodeCursor(cursor: string): string | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) return undefined;
  const key = Buffer.from(cursor, "base64url").toString("utf8");
  return encodeCursor(key) === cursor ? key : undefined;
}
