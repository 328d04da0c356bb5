import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { canonicalTimeZone, cronProblem, describeCron, nextSlot, slotAtOrBefore } from "./schedules-cron";

describe("cron expressions", () => {
  it("accepts 5-field expressions and says why others are refused", () => {
    assert.equal(cronProblem("* * * * *"), null);
    assert.equal(cronProblem("  */15   3 * *  MON-FRI "), null);
    assert.match(cronProblem("* * * * * *") ?? "", /must have 5 fields .* got 6/);
    assert.match(cronProblem("@hourly") ?? "", /got 1/);
    assert.match(cronProblem("61 * * * *") ?? "", /got value 61 expected range 0-59/);
    assert.match(cronProblem("0 0 31 2 *") ?? "", /day of month/);
    assert.match(cronProblem("a b c d e") ?? "", /Invalid characters/);
  });

  it("computes the next slot and the slot a firing stands for, in the schedule's time zone", () => {
    const at = new Date("2026-03-10T12:34:56.789Z");
    assert.equal(nextSlot("* * * * *", "UTC", at).toISOString(), "2026-03-10T12:35:00.000Z");
    assert.equal(slotAtOrBefore("* * * * *", "UTC", at).toISOString(), "2026-03-10T12:34:00.000Z");
    // Exactly on a slot: that slot.
    const onSlot = new Date("2026-03-10T12:34:00.000Z");
    assert.equal(slotAtOrBefore("* * * * *", "UTC", onSlot).toISOString(), onSlot.toISOString());
    // 03:00 in Berlin is 02:00 UTC in winter (CET) and 01:00 UTC in summer (CEST).
    assert.equal(
      nextSlot("0 3 * * *", "Europe/Berlin", new Date("2026-01-15T00:00:00Z")).toISOString(),
      "2026-01-15T02:00:00.000Z",
    );
    assert.equal(
      nextSlot("0 3 * * *", "Europe/Berlin", new Date("2026-07-15T00:00:00Z")).toISOString(),
      "2026-07-15T01:00:00.000Z",
    );
  });
});

describe("time zones", () => {
  it("accepts IANA names (canonical case) and refuses the rest", () => {
    assert.equal(canonicalTimeZone("UTC"), "UTC");
    assert.equal(canonicalTimeZone("europe/berlin"), "Europe/Berlin");
    assert.equal(canonicalTimeZone("America/New_York"), "America/New_York");
    assert.equal(canonicalTimeZone("US/Eastern"), "US/Eastern");
    assert.equal(canonicalTimeZone("Mars/Olympus_Mons"), null);
    assert.equal(canonicalTimeZone("+01:00"), null);
    assert.equal(canonicalTimeZone(""), null);
  });
});

describe("cron in words", () => {
  it("names the common shapes and leaves the rest alone", () => {
    const cases: Array<[string, string | null]> = [
      ["* * * * *", "every minute"],
      ["*/5 * * * *", "every 5 minutes"],
      ["7 * * * *", "hourly at :07"],
      ["0 */6 * * *", "every 6 hours at :00 UTC"],
      ["30 3 * * *", "daily at 03:30 UTC"],
      ["0 9 * * 1-5", "weekdays at 09:00 UTC"],
      ["0 3 * * 1", "Mondays at 03:00 UTC"],
      ["0 3 * * sat,0", "Saturdays, Sundays at 03:00 UTC"],
      ["0 3 1 * *", "monthly on day 1 at 03:00 UTC"],
      ["0 3 1 1 *", null],
      ["0 9,17 * * *", null],
      ["*/10 9-17 * * 1-5", null],
    ];
    for (const [cron, words] of cases) assert.equal(describeCron(cron, "UTC"), words, cron);
  });
});
