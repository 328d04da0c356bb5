// Bounded concurrency in front of a model session. One ORT session hammered by 16 concurrent runs
// halves its throughput and multiplies P99 by ten, so calls wait in a bounded FIFO queue instead:
// a full queue sheds the request at once (429 with Retry-After), and a request whose deadline
// passes while it waits is dropped (504) without ever reaching the model.
import { AppError } from "../../kernel/errors";

export class QueueFullError extends AppError {
  constructor(
    model: string,
    readonly retryAfterSeconds: number,
  ) {
    super(
      "overloaded",
      `Model ${model} is at capacity and its queue is full: retry in ${retryAfterSeconds} s.`,
      429,
      {
        retryAfterSeconds,
      },
    );
    this.name = "QueueFullError";
  }
}

export class DeadlineExceededError extends AppError {
  constructor(model: string, deadlineMs: number, where: "queue" | "inference") {
    super(
      "deadline_exceeded",
      where === "queue"
        ? `Model ${model} did not start the request within its ${deadlineMs} ms deadline (it waited in the queue).`
        : `Model ${model} did not answer within the ${deadlineMs} ms deadline.`,
      504,
      { deadlineMs, where },
    );
    this.name = "DeadlineExceededError";
  }
}

export interface PoolStats {
  concurrency: number;
  queueSize: number;
  active: number;
  queued: number;
  completed: number;
  shed: number;
  timedOut: number;
}

interface Waiter {
  start: () => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

export interface PoolResult<T> {
  value: T;
  queueMs: number;
}

export class SessionPool {
  private active = 0;
  private readonly waiting: Waiter[] = [];
  private completed = 0;
  private shed = 0;
  private timedOut = 0;
  /** Exponentially weighted mean service time, for Retry-After. */
  private meanServiceMs = 50;

  constructor(
    private readonly model: string,
    private concurrency: number,
    private readonly queueSize: number,
  ) {}

  /** Runs `task` when a slot is free; rejects with QueueFullError or DeadlineExceededError. */
  async run<T>(task: () => Promise<T>, timeoutMs: number): Promise<PoolResult<T>> {
    const arrived = performance.now();
    if (this.active < this.concurrency) {
      this.active += 1;
    } else {
      if (this.waiting.length >= this.queueSize) {
        this.shed += 1;
        throw new QueueFullError(this.model, this.retryAfterSeconds());
      }
      // drain() hands over the slot (already counted in `active`) when it starts this waiter.
      await new Promise<void>((resolve, reject) => {
        const waiter: Waiter = {
          start: resolve,
          reject,
          timer: setTimeout(() => {
            this.waiting.splice(this.waiting.indexOf(waiter), 1);
            this.timedOut += 1;
            reject(new DeadlineExceededError(this.model, timeoutMs, "queue"));
          }, timeoutMs),
        };
        this.waiting.push(waiter);
      });
    }
    const queueMs = performance.now() - arrived;
    const started = performance.now();
    // The slot is held until the model call itself returns, even after the caller gave up at its
    // deadline: the session is still busy, and pretending otherwise would overload it.
    const running = task().finally(() => this.release(performance.now() - started));
    const value = await withDeadline(running, Math.max(0, timeoutMs - queueMs), () => {
      this.timedOut += 1;
      return new DeadlineExceededError(this.model, timeoutMs, "inference");
    });
    // Some runtimes (onnxruntime-node) compute on the event loop, so no timer can fire mid-run:
    // an answer that arrives after the deadline is still a miss.
    if (performance.now() - arrived > timeoutMs) {
      this.timedOut += 1;
      throw new DeadlineExceededError(this.model, timeoutMs, "inference");
    }
    return { value, queueMs };
  }

  /** Changes the number of slots at run time (the `overload` fault cuts it). */
  setConcurrency(concurrency: number): void {
    this.concurrency = Math.max(1, Math.floor(concurrency));
    this.drain();
  }

  stats(): PoolStats {
    return {
      concurrency: this.concurrency,
      queueSize: this.queueSize,
      active: this.active,
      queued: this.waiting.length,
      completed: this.completed,
      shed: this.shed,
      timedOut: this.timedOut,
    };
  }

  private release(serviceMs: number): void {
    this.active -= 1;
    this.completed += 1;
    this.meanServiceMs = 0.9 * this.meanServiceMs + 0.1 * serviceMs;
    this.drain();
  }

  private drain(): void {
    while (this.active < this.concurrency && this.waiting.length > 0) {
      const next = this.waiting.shift() as Waiter;
      clearTimeout(next.timer);
      this.active += 1;
      next.start();
    }
  }

  private retryAfterSeconds(): number {
    const drainMs = ((this.waiting.length + this.active) * this.meanServiceMs) / this.concurrency;
    return Math.max(1, Math.ceil(drainMs / 1000));
  }
}

/** Resolves like `promise`, or rejects with `onTimeout()` after `ms`, whichever comes first. */
function withDeadline<T>(promise: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
