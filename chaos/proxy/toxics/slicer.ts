// slicer: cuts each chunk into smaller writes by recursive halving. A piece is no longer split once
// it is at most average_size + size_variation bytes; each split point moves by up to ±size_variation.
// `delay` µs pass after every piece.
import { z } from "zod";
import { after, soon } from "../timers";
import type { RandomSource, ToxicAttributes } from "../types";
import { BaseRunner } from "./base-runner";
import type { Chunk, StubHandle, ToxicDefinition } from "./definition";
import { UNBUFFERED_BYTES } from "./definition";

/**
 * Cut points of a chunk of `length` bytes: [0, …, length], pieces in order. Split points are kept
 * inside their range, so no piece is empty and the cutting always ends (average_size >= 1).
 */
export function sliceOffsets(
  length: number,
  averageSize: number,
  sizeVariation: number,
  random: RandomSource,
): number[] {
  const cuts = [0];
  const pending: Array<[number, number]> = [[0, length]];
  for (let range = pending.pop(); range !== undefined; range = pending.pop()) {
    const [start, end] = range;
    if (end - start - averageSize <= sizeVariation) {
      cuts.push(end);
      continue;
    }
    const shift = sizeVariation > 0 ? Math.floor(random.next() * 2 * sizeVariation) - sizeVariation : 0;
    const mid = Math.min(end - 1, Math.max(start + 1, start + Math.trunc((end - start) / 2) + shift));
    // Right half first onto the stack, so the left half is cut (and emitted) first.
    pending.push([mid, end], [start, mid]);
  }
  return cuts;
}

/** The chunk being cut, its cut points and the index of the next piece to emit. */
interface Slicing {
  chunk: Chunk;
  cuts: number[];
  next: number;
}

class SlicerRunner extends BaseRunner<Slicing> {
  /** Delay owed in µs; timers below 1 ms do not exist, so short delays are paid in aggregate. */
  private debtUs = 0;

  constructor(
    stub: StubHandle,
    private readonly averageSize: number,
    private readonly sizeVariation: number,
    private readonly delayUs: number,
  ) {
    super(stub);
  }

  protected override onChunk(chunk: Chunk): void {
    const cuts = sliceOffsets(chunk.data.length, this.averageSize, this.sizeVariation, this.stub.random);
    this.held = { chunk, cuts, next: 0 };
    this.emitPieces();
  }

  /** Emits pieces of the held chunk; true when it is done without waiting. */
  private emitPieces(): boolean {
    const current = this.held;
    if (current === undefined) return true;
    const { chunk, cuts } = current;
    while (current.next < cuts.length - 1) {
      const from = cuts[current.next] as number;
      const to = cuts[current.next + 1] as number;
      current.next += 1;
      this.stub.emit({ data: chunk.data.subarray(from, to), timestamp: chunk.timestamp });
      if (!this.active) return false;
      if (this.delayUs > 0) {
        this.wait();
        return false;
      }
    }
    this.held = undefined;
    return true;
  }

  private wait(): void {
    this.debtUs += this.delayUs;
    const started = performance.now();
    const resume = () => {
      this.timer = undefined;
      this.debtUs = Math.max(0, this.debtUs - (performance.now() - started) * 1000);
      if (this.emitPieces()) this.pump();
    };
    this.timer = this.debtUs >= 1000 ? after(this.debtUs / 1000, resume) : soon(resume);
  }

  protected override release(held: Slicing): void {
    const rest = held.chunk.data.subarray(held.cuts[held.next] as number);
    if (rest.length > 0) this.stub.emit({ data: rest, timestamp: held.chunk.timestamp });
  }

  protected override sizeOf(held: Slicing): number {
    return held.chunk.data.length - (held.cuts[held.next] as number);
  }
}

export const slicerToxic: ToxicDefinition = {
  type: "slicer",
  goName: "SlicerToxic",
  fields: ["average_size", "size_variation", "delay"],
  bufferBytes: UNBUFFERED_BYTES,
  // average_size 0 sends the real server into infinite recursion and size_variation > average_size
  // can panic it (§2.3): refuse both, and a negative variation with them.
  rules: z
    .object({ average_size: z.number(), size_variation: z.number(), delay: z.number() })
    .refine((a) => a.average_size >= 1, "invalid attributes: slicer average_size must be at least 1")
    .refine(
      (a) => a.size_variation >= 0 && a.size_variation <= a.average_size,
      "invalid attributes: slicer size_variation must be between 0 and average_size",
    ),
  run: (stub, attributes: ToxicAttributes) =>
    new SlicerRunner(
      stub,
      attributes.average_size ?? 0,
      attributes.size_variation ?? 0,
      attributes.delay ?? 0,
    ),
};
