// How a fault reads: a spec fault on the run page, a fault in a few words on the compare page,
// a live lease's parameters on the overview, and the names of fault events.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { describeFault, describeFaultEvent, describeFaultParams, describeFaultShort } from "./text";

describe("describeFault", () => {
  it("describes faults with their parameters and whom they hit", () => {
    assert.equal(
      describeFault({ type: "error", status: 503, probability: 0.25, model: "int8" }),
      "error (status 503) on int8, 25% of requests",
    );
  });
});

describe("describeFaultEvent", () => {
  it("names the end of a lease by how it ended, and keeps an unknown event as is", () => {
    assert.equal(describeFaultEvent("stopped"), "ended");
    assert.equal(describeFaultEvent("expired"), "expired (lease lapsed)");
    assert.equal(describeFaultEvent("armed"), "armed");
  });
});

describe("describeFaultShort", () => {
  it("names a corruption with its severity, the one model hit, and a probability below 1", () => {
    assert.equal(
      describeFaultShort({ type: "corrupt_input", corruption: "gaussian_blur", severity: 3 }),
      "corrupt_input gaussian_blur@3",
    );
    assert.equal(
      describeFaultShort({ type: "network", model: "fp32", probability: 0.5 }),
      "network (fp32 only) p=0.5",
    );
  });
});

describe("describeFaultParams", () => {
  it("shortens long text and shows a partial toxicity", () => {
    assert.equal(
      describeFaultParams("model_failure", { message: "x".repeat(100) }),
      `message “${"x".repeat(39)}…”`,
    );
    assert.equal(
      describeFaultParams("network", {
        proxy: "p",
        toxic: { type: "timeout", toxicity: 0.5, attributes: {} },
      }),
      "timeout on proxy p (toxicity 0.5)",
    );
  });

  it("gives a dash for a fault without parameters", () => {
    assert.equal(describeFaultParams("hang", {}), "—");
  });
});
