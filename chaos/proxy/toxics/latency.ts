// latency: each chunk leaves at (the time the proxy read it + latency ± jitter), in order. Delay is
// counted from the read, so back-to-back chunks do not add up; an interrupt (update, removal, a
// toxic appended after it) releases the chunk it holds at once.
import { after, type Timer } from "../timers";
import type { ToxicAttributes } from "../types";
import type { Chunk, StubHandle, ToxicDefinition, ToxicRunner } from "./definition";

class LatencyRunner implements ToxicRunner {
  private active = true;
  private held: Chunk | undefined;
  private timer: Timer | undefined;

  constructor(
    private readonly stub: StubHandle,
    private readonly latencyMs: number,
    private readonly jitterMs: number,
  ) {}

  pump(): void {
    while (this.active && this.held === undefined) {
      const chunk = this.stub.take();
      if (chunk === undefined) {
        if (this.stub.atEnd()) this.stub.close();
        return;
      }
      const sleepMs = this.delayMs() - (performance.now() - chunk.timestamp);
      if (sleepMs <= 0) {
        chunk.timestamp += sleepMs;
        this.stub.emit(chunk);
        continue;
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
  }

  /** latency + U, U a uniform integer in [-jitter, +jitter), drawn per chunk. */
  private delayMs(): number {
    if (this.jitterMs <= 0) return this.latencyMs;
    return this.latencyMs + Math.floor(this.stub.random.next() * 2 * this.jitterMs) - this.jitterMs;
  }

  interrupt(): boolean {
    this.active = false;
    this.timer?.cancel();
    const held = this.held;
    this.held = undefined;
    if (held !== undefined) this.stub.emit(held);
    return true;
  }

  dispose(): void {
    this.active = false;
    this.timer?.cancel();
    this.held = undefined;
  }

  heldBytes(): number {
    return this.held?.data.length ?? 0;
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
