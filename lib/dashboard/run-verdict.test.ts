// What a run list shows as a run's verdict.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { listedVerdict } from "./run-verdict";

const report = (verdict: string) => ({ verdict, candidate: "fp32", targets: [], results: [] });

describe("listedVerdict", () => {
  it("reads the candidate's verdict from the run's record", () => {
    assert.equal(listedVerdict("passed", report("pass")), "pass");
    assert.equal(listedVerdict("failed", report("fail")), "fail");
    assert.equal(listedVerdict("invalid", report("invalid")), "invalid");
  });

  it("shows an invalid run as invalid, never pass, whatever its record says", () => {
    assert.equal(listedVerdict("invalid", report("pass")), "invalid");
    assert.equal(listedVerdict("invalid", null), "invalid");
  });

  it("is null before a verdict, or for a column that is not a verdict record", () => {
    assert.equal(listedVerdict("running", null), null);
    assert.equal(listedVerdict("passed", { verdict: "pass" }), null);
  });
});
