// bandwidth: at most `rate` KB/s (1 KB = 1000 bytes). Chunks larger than rate×100 bytes leave in
// rate×100-byte pieces every 100 ms; smaller ones wait len/rate ms, carrying the timer error over.
// rate 0 stalls the direction until the toxic is removed (see the rule on `rules` below).
import { z } from "zod";
import { after } from "../timers";
import type { ToxicAttributes } from "../types";
import { BaseRunner } from "./base-runner";
import type { Chunk, StubHandle, ToxicDefinition } from "./definition";
import { UNBUFFERED_BYTES } from "./definition";

class BandwidthRunner extends BaseRunner<Chunk> {
  /** Go's `sleep`: time owed for bytes already released, negative when timers ran late. */
  private debtMs = 0;

  constructor(
    stub: StubHandle,
    private readonly rateKBps: number,
  ) {
    super(stub);
  }

  protected override onChunk(chunk: Chunk): void {
    if (this.rateKBps > 0) this.debtMs += chunk.data.length / this.rateKBps;
    this.held = chunk;
    this.advance();
  }

  /** Moves the held chunk on; true when it was released without waiting. */
  private advance(): boolean {
    const held = this.held;
    if (held === undefined) return true;
    // rate 0: Toxiproxy emits empty pieces every 100 ms forever; holding the chunk is the same on the wire.
    if (this.rateKBps <= 0) return false;
    const pieceBytes = this.rateKBps * 100;
    if (held.data.length > pieceBytes) {
      this.timer = after(100, () => {
        this.timer = undefined;
        this.stub.emit({ data: held.data.subarray(0, pieceBytes), timestamp: held.timestamp });
        held.data = held.data.subarray(pieceBytes);
        this.debtMs -= 100;
        if (this.active && this.advance()) this.pump();
      });
      return false;
    }
    if (this.debtMs <= 0) {
      this.held = undefined;
      this.stub.emit(held);
      return true;
    }
    const started = performance.now();
    this.timer = after(this.debtMs, () => {
      this.timer = undefined;
      this.debtMs -= performance.now() - started;
      this.held = undefined;
      this.stub.emit(held);
      this.pump();
    });
    return false;
  }

  protected override release(held: Chunk): void {
    if (held.data.length > 0) this.stub.emit(held);
  }

  protected override sizeOf(held: Chunk): number {
    return held.data.length;
  }
}

export const bandwidthToxic: ToxicDefinition = {
  type: "bandwidth",
  goName: "BandwidthToxic",
  fields: ["rate"],
  bufferBytes: UNBUFFERED_BYTES,
  // A negative rate panics the real server as soon as data flows (§2.3): refuse it. rate 0 is kept:
  // it is the default when the attribute is omitted and a useful "stall until removed" fault.
  rules: z.object({
    rate: z.number().min(0, "invalid attributes: bandwidth rate must not be negative"),
  }),
  run: (stub, attributes: ToxicAttributes) => new BandwidthRunner(stub, attributes.rate ?? 0),
};
