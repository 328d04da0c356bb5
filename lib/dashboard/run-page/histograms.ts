// Sums stored HDR histograms (the compressed V2 bytes of lib/metrics/histogram.ts) straight into
// one counts array and reads percentiles from it, without building a histogram object per window:
// a run page merges ~20,000 of them for a one-hour, three-target run. Exact: the same counts and
// the same percentile rule as hdr-histogram-js (tested against mergeHistograms + percentileMs).
// Anything not in the layout every window is written with falls back to the library.
import { inflateSync } from "node:zlib";
import { createHistogram, type Histogram, mergeHistograms, percentileMs } from "../../metrics/histogram";

const COMPRESSED_V2_COOKIE_BASE = 0x1c849304;
const V2_COOKIE_BASE = 0x1c849303;
const V2_HEADER_BYTES = 40;
const MICROS_PER_MS = 1000;

// Index → value mapping of the histograms createHistogram() makes (lowest 1, 3 significant digits):
// it depends on those two settings only, so one template answers for every window.
interface IndexMapping {
  valueFromIndex(index: number): number;
  highestEquivalentValue(value: number): number;
  lowestEquivalentValue(value: number): number;
  numberOfSignificantValueDigits: number;
  lowestDiscernibleValue: number;
}
let template: IndexMapping | undefined;
const mapping = () => {
  template ??= createHistogram() as unknown as IndexMapping;
  return template;
};

const ulp = (x: number) => 2 ** (Math.floor(Math.log2(x)) - 52);

export class HistogramSum {
  private counts = new Float64Array(1 << 14);
  private minIndex = Number.POSITIVE_INFINITY;
  private maxIndex = -1;
  private total = 0;
  /** Every part, kept (by reference) in case one needs the library after all. */
  private parts: Uint8Array[] = [];
  private foreign = false;

  /** Empties the sum for reuse (clears only the buckets used: cheaper than a new one). */
  reset(): void {
    if (this.maxIndex >= 0) this.counts.fill(0, this.minIndex, this.maxIndex + 1);
    this.minIndex = Number.POSITIVE_INFINITY;
    this.maxIndex = -1;
    this.total = 0;
    this.parts = [];
    this.foreign = false;
  }

  get totalCount(): number {
    return this.foreign ? this.libraryMerge().totalCount : this.total;
  }

  add(bytes: Uint8Array): void {
    this.parts.push(bytes);
    if (!this.foreign && !this.addFast(bytes)) this.foreign = true;
  }

  /** Values at the percentiles (0–100), in ms; null each when nothing was recorded. */
  percentilesMs(percentiles: readonly number[]): (number | null)[] {
    if (this.foreign) {
      const merged = this.libraryMerge();
      return percentiles.map((p) => percentileMs(merged, p));
    }
    if (this.total === 0) return percentiles.map(() => null);
    const map = mapping();
    // One pass over the counts for all percentiles, in ascending order of their rank.
    const order = percentiles
      .map((p, position) => {
        const requested = Math.min(p, 100);
        const fp = (requested / 100) * this.total;
        return { position, p, rank: Math.max(Math.ceil(fp - ulp(fp)), 1) };
      })
      .sort((a, b) => a.rank - b.rank);
    const result: (number | null)[] = percentiles.map(() => null);
    let next = 0;
    let cumulative = 0;
    for (let index = this.minIndex; index <= this.maxIndex && next < order.length; index += 1) {
      cumulative += this.counts[index] as number;
      while (next < order.length && cumulative >= (order[next] as { rank: number }).rank) {
        const { position, p } = order[next] as { position: number; p: number };
        const value = map.valueFromIndex(index);
        const micros = p === 0 ? map.lowestEquivalentValue(value) : map.highestEquivalentValue(value);
        result[position] = micros / MICROS_PER_MS;
        next += 1;
      }
    }
    return result;
  }

  private libraryMerge(): Histogram {
    return mergeHistograms(this.parts);
  }

  /** Adds the counts of one compressed V2 histogram; false when its layout is not the usual one. */
  private addFast(bytes: Uint8Array): boolean {
    if (bytes.byteLength < 8) return bytes.byteLength === 0;
    const outer = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if ((outer.getInt32(0) & ~0xf0) !== COMPRESSED_V2_COOKIE_BASE) return false;
    const length = outer.getInt32(4);
    const raw = inflateSync(bytes.subarray(8, 8 + length));
    if (raw.byteLength < V2_HEADER_BYTES) return false;
    const inner = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    const map = mapping();
    // Bytes 8–11 (normalizing index offset) are ignored, as the library's decoder does.
    if (
      (inner.getInt32(0) & ~0xf0) !== V2_COOKIE_BASE ||
      inner.getInt32(12) !== map.numberOfSignificantValueDigits ||
      Number(inner.getBigInt64(16)) !== map.lowestDiscernibleValue
    )
      return false;
    const end = V2_HEADER_BYTES + inner.getInt32(4);
    let position = V2_HEADER_BYTES;
    let index = 0;
    while (position < end) {
      // ZigZag LEB128 (64b9B): positive counts, negative runs of empty buckets.
      let byte = raw[position++] as number;
      let value = byte & 0x7f;
      let scale = 128;
      for (let shift = 1; byte & 0x80 && shift < 9; shift += 1) {
        byte = raw[position++] as number;
        value += (shift === 8 ? byte : byte & 0x7f) * scale;
        scale *= 128;
      }
      if (value % 2 === 1) {
        index += (value + 1) / 2;
        continue;
      }
      const count = value / 2;
      if (count > 0) {
        if (index >= this.counts.length) this.grow(index);
        this.counts[index] = (this.counts[index] as number) + count;
        this.total += count;
        if (index < this.minIndex) this.minIndex = index;
        if (index > this.maxIndex) this.maxIndex = index;
      }
      index += 1;
    }
    return true;
  }

  private grow(index: number): void {
    let size = this.counts.length;
    while (size <= index) size *= 2;
    const counts = new Float64Array(size);
    counts.set(this.counts);
    this.counts = counts;
  }
}
