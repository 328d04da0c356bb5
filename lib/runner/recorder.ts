// The run's recorder: windows are queued in memory and written in batches once a second. When
// PostgreSQL is unreachable the queue keeps growing and the writes are retried with backoff, so
// a database outage delays windows but never loses one; the run itself never waits on it.
// Per-request item rows ride along the same way, up to a per-run cap beyond which they are
// counted as dropped (the report says how many).
import type pg from "pg";
import { describeError } from "../../kernel/errors";
import { ITEM_RESULTS_CAP, type ItemResultRecord } from "./item-results";
import type { ItemResultsCount } from "./run-record";
import { insertItemResults, insertWindows, type WindowRecord } from "./window-store";

export interface RecorderOptions {
  pool: pg.Pool;
  flushIntervalMs?: number;
  batchSize?: number;
  /** Item rows one run may store (default ITEM_RESULTS_CAP); tests set it low. */
  itemResultsCap?: number;
  log?: (message: string) => void;
}

export interface RecorderStats {
  queued: number;
  written: number;
  failedAttempts: number;
  lastError?: string;
  itemsQueued: number;
  itemsWritten: number;
  itemsDropped: number;
}

export class Recorder {
  private readonly queue: WindowRecord[] = [];
  private readonly items: ItemResultRecord[] = [];
  private itemsAccepted = 0;
  private itemsWritten = 0;
  private itemsDropped = 0;
  private written = 0;
  private failedAttempts = 0;
  private lastError?: string;
  private backoffMs = 0;
  private flushing?: Promise<void>;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly options: RecorderOptions) {
    this.timer = setInterval(() => void this.flush().catch(() => {}), options.flushIntervalMs ?? 1000);
    this.timer.unref();
  }

  add(windows: readonly WindowRecord[]): void {
    this.queue.push(...windows);
  }

  /** Queues item rows while the run is under its cap; the rest are counted as dropped. */
  addItems(rows: readonly ItemResultRecord[]): void {
    const room = Math.max(0, this.itemsCap - this.itemsAccepted);
    const taken = rows.length <= room ? rows : rows.slice(0, room);
    for (const row of taken) this.items.push(row);
    this.itemsAccepted += taken.length;
    this.itemsDropped += rows.length - taken.length;
  }

  /** What the report says about item rows: stored (written so far), dropped, and the cap. */
  itemResults(): ItemResultsCount {
    return { stored: this.itemsWritten, dropped: this.itemsDropped, cap: this.itemsCap };
  }

  private get itemsCap(): number {
    return this.options.itemResultsCap ?? ITEM_RESULTS_CAP;
  }

  stats(): RecorderStats {
    return {
      queued: this.queue.length,
      written: this.written,
      failedAttempts: this.failedAttempts,
      lastError: this.lastError,
      itemsQueued: this.items.length,
      itemsWritten: this.itemsWritten,
      itemsDropped: this.itemsDropped,
    };
  }

  /** Writes what is queued (one flush at a time). Rejects when the database refused the batch. */
  flush(): Promise<void> {
    this.flushing ??= this.writeQueued().finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }

  /** Flushes until the queue is empty, retrying through outages until `deadlineMs` passes. */
  async drain(deadlineMs: number): Promise<void> {
    const until = Date.now() + deadlineMs;
    while (this.queue.length + this.items.length > 0) {
      try {
        await this.flush();
      } catch (error) {
        if (Date.now() > until) {
          throw new Error(
            `${this.queue.length} windows and ${this.items.length} item rows could not be written: ${describeError(error)}`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, Math.min(this.backoffMs, until - Date.now())));
      }
    }
  }

  close(): void {
    clearInterval(this.timer);
  }

  private async writeQueued(): Promise<void> {
    const batchSize = this.options.batchSize ?? 1000;
    // Windows first: the charts and stop conditions read them; item rows may lag behind.
    await this.writeFrom(
      this.queue,
      batchSize,
      (batch) => insertWindows(this.options.pool, batch),
      (n) => {
        this.written += n;
      },
    );
    await this.writeFrom(
      this.items,
      batchSize * 5,
      (batch) => insertItemResults(this.options.pool, batch),
      (n) => {
        this.itemsWritten += n;
      },
    );
  }

  private async writeFrom<T>(
    queue: T[],
    batchSize: number,
    insert: (batch: readonly T[]) => Promise<void>,
    wrote: (rows: number) => void,
  ): Promise<void> {
    while (queue.length > 0) {
      const batch = queue.slice(0, batchSize);
      try {
        await insert(batch);
      } catch (error) {
        this.failedAttempts += 1;
        this.lastError = describeError(error);
        this.backoffMs = Math.min(5000, Math.max(250, this.backoffMs * 2));
        if (this.failedAttempts === 1 || this.failedAttempts % 10 === 0) {
          this.options.log?.(
            `[recorder] database write failed (${this.lastError}); ${this.queue.length} windows and ${this.items.length} item rows kept, retrying`,
          );
        }
        throw error;
      }
      // Only now: a batch leaves the queue once PostgreSQL has it.
      queue.splice(0, batch.length);
      wrote(batch.length);
      this.backoffMs = 0;
    }
  }
}
