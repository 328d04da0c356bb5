// Summing stored histograms without decoding them into objects: the same percentiles as the
// library's merge, for any mix of windows, including empty ones and huge values.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createRandom } from "../../../kernel/random";
import {
  createHistogram,
  encodeHistogram,
  mergeHistograms,
  percentileMs,
  recordLatencyMs,
} from "../../metrics/histogram";
import { HistogramSum } from "./histograms";

const PERCENTILES = [0, 0.1, 1, 25, 50, 75, 90, 99, 99.9, 99.99, 100];

describe("HistogramSum", () => {
  it("answers every percentile exactly as mergeHistograms + percentileMs", () => {
    const random = createRandom(7);
    const parts = Array.from({ length: 40 }, (_, index) => {
      const histogram = createHistogram();
      const count = index % 7 === 0 ? 0 : random.int(1, 300);
      for (let i = 0; i < count; i += 1) {
        const slow = random.next() < 0.01 ? 60_000 * random.next() : 0;
        recordLatencyMs(histogram, Math.exp(2 + random.normal()) + slow, random.int(1, 3));
      }
      return encodeHistogram(histogram);
    });
    const sum = new HistogramSum();
    for (const part of parts) sum.add(part);
    const merged = mergeHistograms(parts);
    assert.equal(sum.totalCount, merged.totalCount);
    assert.deepEqual(
      sum.percentilesMs(PERCENTILES),
      PERCENTILES.map((p) => percentileMs(merged, p)),
    );
  });

  it("is empty (nulls) with nothing recorded, and reusable after reset", () => {
    const sum = new HistogramSum();
    sum.add(encodeHistogram(createHistogram()));
    assert.deepEqual(sum.percentilesMs([50, 99]), [null, null]);
    const histogram = createHistogram();
    recordLatencyMs(histogram, 12.5);
    sum.add(encodeHistogram(histogram));
    sum.reset();
    recordLatencyMs(histogram, 400);
    sum.add(encodeHistogram(histogram));
    assert.deepEqual(sum.percentilesMs([0, 100]), [percentileMs(histogram, 0), percentileMs(histogram, 100)]);
  });

  it("hands bytes it does not know to the library, which rejects garbage rather than guess", () => {
    const sum = new HistogramSum();
    const histogram = createHistogram();
    recordLatencyMs(histogram, 8);
    sum.add(encodeHistogram(histogram));
    assert.throws(() => {
      sum.add(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9]));
      sum.percentilesMs([50]);
    });
  });
});
