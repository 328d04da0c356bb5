import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AppError } from "../../kernel/errors";
import { parseScheduleCreate, parseSchedulePatch } from "./schedules-input";

function issuesOf(run: () => unknown): Array<{ path: string; message: string }> {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof AppError);
    assert.equal(error.status, 400);
    assert.equal(error.code, "invalid_schedule");
    return (error.details as { issues: Array<{ path: string; message: string }> }).issues;
  }
  assert.fail("expected a 400");
}

describe("a schedule body", () => {
  it("fills defaults and normalises cron spacing and time-zone case", () => {
    const input = parseScheduleCreate({ experimentName: "nightly", cron: " 0  3 * * * " });
    assert.deepEqual(input, {
      experimentName: "nightly",
      cron: "0 3 * * *",
      timezone: "UTC",
      enabled: true,
      overlapPolicy: "skip",
      webhookFormat: "json",
    });
    assert.equal(
      parseScheduleCreate({ experimentName: "n", cron: "* * * * *", timezone: "asia/tokyo" }).timezone,
      "Asia/Tokyo",
    );
  });

  it("reports every bad field by name", () => {
    const issues = issuesOf(() =>
      parseScheduleCreate({
        experimentId: "not-a-uuid",
        cron: "* * * *",
        timezone: "Atlantis/Capital",
        overlapPolicy: "wait",
        webhookUrl: "ftp://example.com/hook",
        color: "red",
      }),
    );
    const byPath = Object.fromEntries(issues.map((issue) => [issue.path, issue.message]));
    assert.match(byPath.experimentId ?? "", /UUID/);
    assert.match(byPath.cron ?? "", /5 fields/);
    assert.match(byPath.timezone ?? "", /not an IANA time zone/);
    assert.ok(byPath.overlapPolicy);
    assert.match(byPath.webhookUrl ?? "", /http\(s\) URL/);
    assert.equal(byPath.color, "is not a known field");
  });

  it("needs exactly one way to name the experiment, and a cron", () => {
    const none = issuesOf(() => parseScheduleCreate({ timezone: "UTC" }));
    assert.deepEqual(
      none.map((issue) => issue.path),
      ["cron", "experimentId"],
    );
    assert.equal(none[0]?.message, "is required");
    const both = issuesOf(() =>
      parseScheduleCreate({
        experimentId: "5b0c9d3e-8a4f-4c1e-9f7a-2d6b8e0c1a3f",
        experimentName: "x",
        cron: "* * * * *",
      }),
    );
    assert.match(both[0]?.message ?? "", /exactly one/);
  });

  it("patches only what is given; null removes the webhook", () => {
    assert.deepEqual(parseSchedulePatch({ enabled: false }), { enabled: false });
    assert.deepEqual(parseSchedulePatch({ webhookUrl: null }), { webhookUrl: null });
    const issues = issuesOf(() => parseSchedulePatch({ cron: "99 * * * *" }));
    assert.equal(issues[0]?.path, "cron");
    assert.throws(() => parseSchedulePatch([]), /must be a JSON object/);
  });
});
