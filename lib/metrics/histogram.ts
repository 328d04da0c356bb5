// HDR latency histograms: the one module that knows the library, the unit and the stored format.
// Values are integer MICROSECONDS (3 significant digits: exact to 0.1 %); callers speak ms. Stored as
// the standard compressed V2 encoding (bytes any HdrHistogram port decodes), so windows merge exactly.
// The JS implementation, 32-bit buckets: windows are short-lived and a WASM histogram leaks until its
// destroy() is called; JS records ~10 M values/s and closes ~9 k windows/s, far above what runs need.
import {
  build,
  decodeFromCompressedBase64,
  encodeIntoCompressedBase64,
  type Histogram,
  JsHistogram,
} from "hdr-histogram-js";

export type { Histogram };

export const HISTOGRAM_SIGNIFICANT_DIGITS = 3;
const MICROS_PER_MS = 1000;

/** An empty latency histogram (µs inside, ms at the edges). */
export function createHistogram(): Histogram {
  return build({
    bitBucketSize: 32,
    autoResize: true,
    lowestDiscernibleValue: 1,
    highestTrackableValue: 2,
    numberOfSignificantValueDigits: HISTOGRAM_SIGNIFICANT_DIGITS,
    useWebAssembly: false,
  });
}

/** Records a latency given in milliseconds (rounded to the microsecond; negative clock noise → 0). */
export function recordLatencyMs(histogram: Histogram, latencyMs: number, count = 1): void {
  const micros = latencyMs > 0 ? Math.round(latencyMs * MICROS_PER_MS) : 0;
  if (count === 1) histogram.recordValue(micros);
  else histogram.recordValueWithCount(micros, count);
}

/** The compressed V2 encoding, as bytes for a `Bytes` column. */
export function encodeHistogram(histogram: Histogram): Buffer {
  return Buffer.from(encodeIntoCompressedBase64(histogram), "base64");
}

export function decodeHistogram(bytes: Uint8Array): Histogram {
  const base64 = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
  const histogram = decodeFromCompressedBase64(base64, 32, false);
  histogram.autoResize = true;
  return histogram;
}

/** One histogram holding every count of the parts (histograms or their encodings); exact, not sampled. */
export function mergeHistograms(parts: Iterable<Histogram | Uint8Array>): Histogram {
  const merged = createHistogram();
  for (const part of parts) merged.add(part instanceof Uint8Array ? decodeHistogram(part) : part);
  return merged;
}

export function countOf(histogram: Histogram): number {
  return histogram.totalCount;
}

/** The value at a percentile (0–100), in ms; null when nothing was recorded. */
export function percentileMs(histogram: Histogram, percentile: number): number | null {
  if (histogram.totalCount === 0) return null;
  return histogram.getValueAtPercentile(percentile) / MICROS_PER_MS;
}

export function meanMs(histogram: Histogram): number | null {
  return histogram.totalCount === 0 ? null : histogram.mean / MICROS_PER_MS;
}

export function minMs(histogram: Histogram): number | null {
  return percentileMs(histogram, 0);
}

/** The top of the largest value's bucket: the same whether recorded here or decoded from storage. */
export function maxMs(histogram: Histogram): number | null {
  return percentileMs(histogram, 100);
}

/** Every non-empty bucket (its top value, ms) and its count: for distribution charts and exact comparisons. */
export function histogramBuckets(histogram: Histogram): { valueMs: number; count: number }[] {
  if (!(histogram instanceof JsHistogram)) throw new Error("histogramBuckets needs a JS histogram");
  const buckets: { valueMs: number; count: number }[] = [];
  for (let index = 0; index < histogram.countsArrayLength; index += 1) {
    const count = histogram.getCountAtIndex(index);
    if (count > 0) {
      const value = histogram.highestEquivalentValue(histogram.valueFromIndex(index));
      buckets.push({ valueMs: value / MICROS_PER_MS, count });
    }
  }
  return buckets;
}

export interface LatencySummary {
  count: number;
  minMs: number;
  meanMs: number;
  p50Ms: number;
  p90Ms: number;
  p95Ms: number;
  p99Ms: number;
  p999Ms: number;
  maxMs: number;
}

/** The usual figures in ms; null for an empty histogram (missing is a gap, not a zero). */
export function summarizeHistogram(histogram: Histogram): LatencySummary | null {
  if (histogram.totalCount === 0) return null;
  const at = (p: number) => histogram.getValueAtPercentile(p) / MICROS_PER_MS;
  return {
    count: histogram.totalCount,
    minMs: at(0),
    meanMs: histogram.mean / MICROS_PER_MS,
    p50Ms: at(50),
    p90Ms: at(90),
    p95Ms: at(95),
    p99Ms: at(99),
    p999Ms: at(99.9),
    maxMs: at(100),
  };
}

export type SparseHistogram = ReadonlyArray<{ valueMs: number; count: number }>;

/**
 * The value at a percentile of several histograms taken together, given as their non-empty
 * buckets (`histogramBuckets`), without building a merged histogram: what a bootstrap needs when
 * it recombines thousands of one-second windows hundreds of times. Uses HdrHistogram's rank rule
 * (count at percentile = max(1, ceil(p% × total)), guarded against floating-point excess), so for
 * 0 < p ≤ 100 it equals `percentileMs` of the merge.
 */
export function percentileOfBuckets(parts: Iterable<SparseHistogram>, percentile: number): number | null {
  const counts = new Map<number, number>();
  let total = 0;
  for (const part of parts) {
    for (const { valueMs, count } of part) {
      counts.set(valueMs, (counts.get(valueMs) ?? 0) + count);
      total += count;
    }
  }
  if (total === 0) return null;
  const exact = (Math.min(percentile, 100) / 100) * total;
  const rank = Math.max(1, Math.ceil(exact - exact * Number.EPSILON));
  const values = [...counts.keys()].sort((a, b) => a - b);
  let seen = 0;
  for (const value of values) {
    seen += counts.get(value) as number;
    if (seen >= rank) return value;
  }
  return values.at(-1) as number;
}
