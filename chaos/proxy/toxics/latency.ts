// latency: each chunk leaves at (the time the proxy read it + latency ± jitter), in order. Delay is
// counted from the read, so back-to-back chunks do not add up; an interrupt (update, removal, a
// toxic appended after it) releases the chunk it holds at once.
import { after } from "../timers";
import type { ToxicAttributes } from "../types";
import { BaseRunner } from "./base-runner";
import type { Chunk, StubHandle, ToxicDefinition } from "./definition";

class LatencyRunner extends BaseRunner<Chunk> {
  constructor(
    stub: StubHandle,
    private readonly latencyMs: number,
    private readonly jitterMs: number,
  ) {
    super(stub);
  }

  protected override onChunk(chunk: Chunk): void {
    const sleepMs = this.delayMs() - (performance.now() - chunk.timestamp);
    if (sleepMs <= 0) {
      chunk.timestamp += sleepMs;
      this.stub.emit(chunk);
      return;
    }
    this.held = chunk;
    this.timer = after(sleepMs, () => {
      this.timer = undefined;
      this.held = undefined;
      // Toxiproxy moves the stamp by the sleep, so a second latency toxic adds its own delay.
      chunk.timestamp += sleepMs;
      this.stub.emit(chunk);
      this.pump();
    });
  }

  /** latency + U, U a uniform integer in [-jitter, +jitter), drawn per chunk. */
  private delayMs(): number {
    if (this.jitterMs <= 0) return this.latencyMs;
    return this.latencyMs + Math.floor(this.stub.random.next() * 2 * this.jitterMs) - this.jitterMs;
  }

  protected override release(held: Chunk): void {
    this.stub.emit(held);
  }

  protected override sizeOf(held: Chunk): number {
    return held.data.length;
  }
}

export const latencyToxic: ToxicDefinition = {
  type: "latency",
  goName: "LatencyToxic",
  fields: ["latency", "jitter"],
  // Toxiproxy buffers 1024 chunks here so a delayed link keeps its throughput.
  bufferBytes: 32 * 1024 * 1024,
  run: (stub, attributes: ToxicAttributes) =>
    new LatencyRunner(stub, attributes.latency ?? 0, attributes.jitter ?? 0),
};
