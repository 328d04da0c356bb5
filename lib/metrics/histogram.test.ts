import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createRandom } from "../../kernel/random";
import {
  countOf,
  createHistogram,
  decodeHistogram,
  encodeHistogram,
  type Histogram,
  histogramBuckets,
  maxMs,
  meanMs,
  mergeHistograms,
  minMs,
  percentileMs,
  percentileOfBuckets,
  recordLatencyMs,
  summarizeHistogram,
} from "./histogram";

const PERCENTILES = [0, 1, 10, 25, 50, 75, 90, 95, 99, 99.9, 99.99, 100];

/** Log-normal-ish latencies from 0.05 ms to minutes, with a few stalls: every bucket range gets used. */
function randomLatencies(seed: number, count: number): number[] {
  const random = createRandom(seed);
  return Array.from({ length: count }, () =>
    random.next() < 0.01 ? 1000 + random.next() * 120_000 : Math.exp(random.normal() * 1.5 + 2) / 10,
  );
}

function filled(latencies: readonly number[]): Histogram {
  const histogram = createHistogram();
  for (const latency of latencies) recordLatencyMs(histogram, latency);
  return histogram;
}

function assertSameDistribution(actual: Histogram, expected: Histogram): void {
  assert.equal(actual.totalCount, expected.totalCount);
  assert.equal(actual.mean, expected.mean);
  for (const p of PERCENTILES) {
    assert.equal(actual.getValueAtPercentile(p), expected.getValueAtPercentile(p), `p${p}`);
  }
  // Bucket by bucket: the strongest form of "exact".
  assert.deepEqual(histogramBuckets(actual), histogramBuckets(expected));
}

describe("HDR histogram wrapper", () => {
  test("records ms as µs to 3 significant digits", () => {
    const histogram = createHistogram();
    recordLatencyMs(histogram, 1.2345);
    recordLatencyMs(histogram, 250);
    recordLatencyMs(histogram, 250, 3);
    recordLatencyMs(histogram, -0.01);
    assert.equal(countOf(histogram), 6);
    assert.equal(minMs(histogram), 0);
    assert.ok(Math.abs((percentileMs(histogram, 30) as number) - 1.235) <= 0.001);
    assert.ok(Math.abs((maxMs(histogram) as number) - 250) / 250 <= 0.001);
    assert.ok(Math.abs((meanMs(histogram) as number) - (1.2345 + 1000) / 6) < 0.2);
  });

  test("an empty histogram has no figures (a gap, not a zero)", () => {
    const histogram = createHistogram();
    assert.equal(summarizeHistogram(histogram), null);
    assert.equal(percentileMs(histogram, 99), null);
    assert.equal(meanMs(histogram), null);
    assert.equal(maxMs(histogram), null);
    assert.equal(countOf(decodeHistogram(encodeHistogram(histogram))), 0);
  });

  test("percentiles stay within 0.1 % of the exact ones", () => {
    const latencies = randomLatencies(7, 20_000);
    const sorted = [...latencies].sort((a, b) => a - b);
    const summary = summarizeHistogram(filled(latencies));
    assert.ok(summary);
    for (const [p, value] of [
      [50, summary.p50Ms],
      [90, summary.p90Ms],
      [99, summary.p99Ms],
      [99.9, summary.p999Ms],
    ] as const) {
      const exact = sorted[Math.ceil((p / 100) * sorted.length - 1e-9) - 1] as number;
      assert.ok(Math.abs(value - exact) <= exact * 0.001 + 0.001, `p${p}: ${value} vs ${exact}`);
    }
  });

  test("encode → bytes → decode round-trips exactly, and re-encodes to the same bytes", () => {
    const original = filled(randomLatencies(11, 5000));
    const before = summarizeHistogram(original);
    const bytes = encodeHistogram(original);
    assert.ok(Buffer.isBuffer(bytes));
    assert.ok(bytes.length < 4000, `compressed to ${bytes.length} bytes`);
    const decoded = decodeHistogram(bytes);
    assertSameDistribution(decoded, original);
    assert.deepEqual(encodeHistogram(decoded), bytes);
    assert.deepEqual(summarizeHistogram(decoded), before);
    // A Uint8Array view into a larger buffer (as a database driver may hand back) decodes too.
    const padded = Buffer.concat([Buffer.from([1, 2, 3]), bytes]);
    assertSameDistribution(
      decodeHistogram(new Uint8Array(padded.buffer, padded.byteOffset + 3, bytes.length)),
      original,
    );
  });

  test("merging parts (histograms or bytes) equals recording everything into one", () => {
    const parts = [1, 2, 3, 4, 5].map((seed) => randomLatencies(seed, 2000 * seed));
    const whole = filled(parts.flat());
    const merged = mergeHistograms(
      parts.map((part, i) => (i % 2 ? filled(part) : encodeHistogram(filled(part)))),
    );
    assertSameDistribution(merged, whole);
    assert.deepEqual(summarizeHistogram(merged), summarizeHistogram(whole));
    // A merge of merges (windows → minutes → run) is still exact.
    const twoLevel = mergeHistograms([
      encodeHistogram(mergeHistograms(parts.slice(0, 2).map(filled))),
      encodeHistogram(mergeHistograms(parts.slice(2).map(filled))),
    ]);
    assertSameDistribution(twoLevel, whole);
    // Merging in another order gives the same histogram.
    assertSameDistribution(mergeHistograms(parts.reverse().map(filled)), whole);
  });
});

test("percentileOfBuckets equals percentileMs of the merged histograms, at every percentile", () => {
  let state = 12345;
  const next = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  for (let trial = 0; trial < 20; trial++) {
    const parts = Array.from({ length: 1 + Math.floor(next() * 40) }, () => {
      const histogram = createHistogram();
      const n = Math.floor(next() * 12);
      for (let i = 0; i < n; i++) recordLatencyMs(histogram, 0.05 + next() ** 3 * 3000);
      return encodeHistogram(histogram);
    });
    const merged = mergeHistograms(parts);
    const sparse = parts.map((bytes) => histogramBuckets(decodeHistogram(bytes)));
    for (const p of [0.1, 1, 25, 50, 90, 99, 99.9, 99.99, 100]) {
      assert.equal(percentileOfBuckets(sparse, p), percentileMs(merged, p), `trial ${trial}, p${p}`);
    }
  }
  assert.equal(percentileOfBuckets([[], []], 99), null);
});
