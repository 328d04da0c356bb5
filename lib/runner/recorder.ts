// The run's recorder: windows are queued in memory and written in batches once a second. When
// PostgreSQL is unreachable the queue keeps growing and the writes are retried with backoff, so
// a database outage delays windows but never loses one; the run itself never waits on it.
import type pg from "pg";
import { describeError } from "../../kernel/errors";
import { insertWindows, type WindowRecord } from "./window-store";

export interface RecorderOptions {
  pool: pg.Pool;
  flushIntervalMs?: number;
  batchSize?: number;
  log?: (message: string) => void;
}

export interface RecorderStats {
  queued: number;
  written: number;
  failedAttempts: number;
  lastError?: string;
}

export class Recorder {
  private readonly queue: WindowRecord[] = [];
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

  stats(): RecorderStats {
    return {
      queued: this.queue.length,
      written: this.written,
      failedAttempts: this.failedAttempts,
      lastError: this.lastError,
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
    while (this.queue.length > 0) {
      try {
        await this.flush();
      } catch (error) {
        if (Date.now() > until) {
          throw new Error(`${this.queue.length} windows could not be written: ${describeError(error)}`);
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
    while (this.queue.length > 0) {
      const batch = this.queue.slice(0, batchSize);
      try {
        await insertWindows(this.options.pool, batch);
      } catch (error) {
        this.failedAttempts += 1;
        this.lastError = describeError(error);
        this.backoffMs = Math.min(5000, Math.max(250, this.backoffMs * 2));
        if (this.failedAttempts === 1 || this.failedAttempts % 10 === 0) {
          this.options.log?.(
            `[recorder] database write failed (${this.lastError}); ${this.queue.length} windows kept, retrying`,
          );
        }
        throw error;
      }
      // Only now: a batch leaves the queue once PostgreSQL has it.
      this.queue.splice(0, batch.length);
      this.written += batch.length;
      this.backoffMs = 0;
    }
  }
}
