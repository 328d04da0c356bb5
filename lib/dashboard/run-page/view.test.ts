// The run page's URL state: parsed leniently, written back canonically, so a shared link shows
// the same view.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { clocksOf, DEFAULT_VIEW, parseRunView, runViewSearch, selectedTargets, zoomOf } from "./view";

describe("parseRunView", () => {
  it("gives the defaults for no parameters or nonsense", () => {
    assert.deepEqual(parseRunView({}), DEFAULT_VIEW);
    assert.deepEqual(parseRunView(new URLSearchParams("pct=p42&clock=wall&from=-3&to=abc")), DEFAULT_VIEW);
  });

  it("reads percentiles (p99.9 too) in order, the clock, targets and the zoom", () => {
    const view = parseRunView(
      new URLSearchParams("pct=p99.9,p50,p50&clock=service&targets=int8,fp32&from=30&to=90"),
    );
    assert.deepEqual(view, {
      percentiles: ["p50", "p999"],
      clock: "service",
      targets: ["int8", "fp32"],
      from: 30,
      to: 90,
    });
    assert.deepEqual(clocksOf(view), ["service"]);
    assert.deepEqual(clocksOf(DEFAULT_VIEW), ["corrected", "service"]);
  });

  it("drops a zoom that ends before it starts", () => {
    const view = parseRunView({ from: "50", to: "20" });
    assert.equal(view.from, null);
    assert.equal(view.to, null);
  });
});

describe("runViewSearch", () => {
  it("writes only what differs from the defaults, and parses back to the same view", () => {
    assert.equal(runViewSearch(DEFAULT_VIEW), "");
    const view = parseRunView({ pct: "p90", clock: "corrected", targets: "fp32", from: "10", to: "70" });
    const search = runViewSearch(view);
    assert.equal(search, "?pct=p90&clock=corrected&targets=fp32&from=10&to=70");
    assert.deepEqual(parseRunView(new URLSearchParams(search)), view);
  });
});

describe("zoomOf and selectedTargets", () => {
  it("clamps the zoom to the planned run", () => {
    assert.deepEqual(zoomOf({ from: null, to: null }, 60), { from: 0, to: 60 });
    assert.deepEqual(zoomOf({ from: 50, to: 500 }, 60), { from: 50, to: 60 });
    assert.deepEqual(zoomOf({ from: 90, to: null }, 60), { from: 59, to: 60 });
  });

  it("keeps run order, drops unknown targets, and falls back to all", () => {
    assert.deepEqual(selectedTargets({ targets: ["int8", "nope", "fp32"] }, ["fp32", "int8", "x"]), [
      "fp32",
      "int8",
    ]);
    assert.deepEqual(selectedTargets({ targets: ["nope"] }, ["fp32", "int8"]), ["fp32", "int8"]);
    assert.deepEqual(selectedTargets({ targets: null }, ["fp32"]), ["fp32"]);
  });
});
