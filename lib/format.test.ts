import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatBytes, formatDuration, formatPercent, formatTimestamp } from "./format";

describe("format", () => {
  it("formats sizes in binary units", () => {
    assert.equal(formatBytes(null), "—");
    assert.equal(formatBytes(512), "512 B");
    assert.equal(formatBytes(10.8 * 1024 * 1024), "10.8 MiB");
  });

  it("formats fractions as percentages", () => {
    assert.equal(formatPercent(0.973), "97.3%");
    assert.equal(formatPercent(0.00412, 2), "0.41%");
  });

  it("formats timestamps in UTC without milliseconds", () => {
    assert.equal(formatTimestamp("2026-11-29T14:03:07.123Z"), "2026-11-29 14:03:07 UTC");
    assert.equal(formatTimestamp(null), "—");
  });

  it("formats durations from seconds to hours", () => {
    assert.equal(formatDuration("2026-01-01T00:00:00Z", "2026-01-01T00:00:42Z"), "42 s");
    assert.equal(formatDuration("2026-01-01T00:00:00Z", "2026-01-01T00:05:03Z"), "5 min 3 s");
    assert.equal(formatDuration("2026-01-01T00:00:00Z", "2026-01-01T02:10:00Z"), "2 h 10 min");
    assert.equal(formatDuration(null, "2026-01-01T00:00:00Z"), "—");
  });
});
