// One toxic on one link (Go's ToxicStub): an input queue, an output (the next stub or the link's
// writer), the runner the toxicity draw picked, and the per-link state that outlives restarts.
import type { Chunk, StubHandle, ToxicRunner } from "./toxics/definition";
import { TOXICS } from "./toxics/index";
import { PassThroughRunner } from "./toxics/noop";
import type { RandomSource, ToxicSpec } from "./types";

/** Where a stub sends its chunks and its end. */
export interface StubOutput {
  push(chunk: Chunk): void;
  end(): void;
}

export class Stub implements StubHandle, StubOutput {
  readonly state: Record<string, number> = {};
  private readonly queue: Chunk[] = [];
  private queuedBytes = 0;
  private inputEnded = false;
  private isClosed = false;
  private runner: ToxicRunner | undefined;

  constructor(
    public spec: ToxicSpec,
    public output: StubOutput,
    readonly random: RandomSource,
  ) {}

  get closed(): boolean {
    return this.isClosed;
  }

  get name(): string {
    return this.spec.name;
  }

  // Input side, fed by the previous stub or the link's reader.
  push(chunk: Chunk): void {
    if (this.isClosed) return;
    this.queue.push(chunk);
    this.queuedBytes += chunk.data.length;
    this.runner?.pump();
  }

  end(): void {
    if (this.isClosed || this.inputEnded) return;
    this.inputEnded = true;
    this.runner?.pump();
  }

  // Runner side.
  take(): Chunk | undefined {
    const chunk = this.queue.shift();
    if (chunk !== undefined) this.queuedBytes -= chunk.data.length;
    return chunk;
  }

  atEnd(): boolean {
    return this.inputEnded && this.queue.length === 0;
  }

  emit(chunk: Chunk): void {
    if (!this.isClosed) this.output.push(chunk);
  }

  close(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.runner?.dispose();
    this.runner = undefined;
    this.queue.length = 0;
    this.queuedBytes = 0;
    this.output.end();
  }

  // Control side, driven by the link.
  /** Runs the toxic or, if the toxicity draw says no, a pass-through (§3.4: drawn at every start). */
  start(): void {
    if (this.isClosed) return;
    const applies = this.random.next() < Math.fround(this.spec.toxicity);
    this.runner = applies
      ? TOXICS[this.spec.type].run(this, this.spec.attributes)
      : new PassThroughRunner(this);
    this.runner.pump();
  }

  /** Stops the runner so the stub can be restarted or removed; false if the stub is closed or closing. */
  interrupt(): boolean {
    if (this.isClosed) return false;
    const runner = this.runner;
    if (runner === undefined) return true;
    if (!runner.interrupt()) return false;
    if (this.runner === runner) this.runner = undefined;
    return !this.isClosed;
  }

  /** After interrupt(): hands everything still queued, and the end if it came, to the output. */
  flush(): void {
    for (let chunk = this.take(); chunk !== undefined; chunk = this.take()) this.output.push(chunk);
    if (this.inputEnded) {
      this.isClosed = true;
      this.output.end();
    }
  }

  /** Tears down without passing anything on (the connection is gone). */
  dispose(): void {
    this.isClosed = true;
    this.runner?.dispose();
    this.runner = undefined;
    this.queue.length = 0;
    this.queuedBytes = 0;
  }

  bufferedBytes(): number {
    return this.queuedBytes + (this.runner?.heldBytes() ?? 0);
  }
}
