import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { runStatusOf } from "./run-status";

describe("runStatusOf", () => {
  it("passes only what ran to its end on valid data", () => {
    assert.equal(runStatusOf("pass", undefined), "passed");
    assert.equal(runStatusOf("warn", undefined), "passed");
    assert.equal(runStatusOf("invalid", undefined), "invalid");
    assert.equal(runStatusOf("fail", undefined), "failed");
  });

  it("fails a run a stop condition stopped, and calls an abort an abort whatever the data said", () => {
    assert.equal(runStatusOf("fail", "stopped_early"), "failed");
    assert.equal(runStatusOf("invalid", "stopped_early"), "aborted");
    assert.equal(runStatusOf("pass", "stopped_early"), "aborted");
    assert.equal(runStatusOf("fail", "aborted"), "aborted");
    assert.equal(runStatusOf("pass", "aborted"), "aborted");
  });
});
