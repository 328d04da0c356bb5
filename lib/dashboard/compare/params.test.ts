// The compare page's selection in the URL: lenient parsing, short links, round trips.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { compareHref, parseCompareParams } from "./params";

const RUN_A = "0a1b2c3d-0000-4000-8000-00000000000a";
const RUN_B = "0a1b2c3d-0000-4000-8000-00000000000b";

describe("parseCompareParams", () => {
  it("reads repeated and comma-separated runs and targets, drops junk and duplicates", () => {
    const params = parseCompareParams({
      run: [RUN_A, `${RUN_B},not-a-uuid`, RUN_A.toUpperCase()],
      targets: "fp32,int8,../etc",
      diff: "1",
      clock: "service",
    });
    assert.deepEqual(params.runIds, [RUN_A, RUN_B]);
    assert.deepEqual(params.targets, ["fp32", "int8"]);
    assert.equal(params.diff, true);
    assert.equal(params.clock, "service");
    assert.deepEqual(params.dropped, ["not-a-uuid"]);
  });

  it("defaults to everything shown, no filter, the corrected clock", () => {
    const params = parseCompareParams({});
    assert.deepEqual(params, {
      runIds: [],
      targets: null,
      diff: false,
      sort: null,
      clock: "latency",
      dropped: [],
    });
  });

  it("round-trips through compareHref, leaving defaults out", () => {
    const params = parseCompareParams({ run: [RUN_A, RUN_B], targets: "fp32", diff: "1" });
    const href = compareHref(params);
    assert.equal(href, `/compare?run=${RUN_A}&run=${RUN_B}&targets=fp32&diff=1`);
    const back = parseCompareParams(Object.fromEntries(new URLSearchParams(href.split("?")[1]).entries()));
    assert.equal(back.diff, true);
    assert.equal(compareHref(params, { diff: false, targets: null }), `/compare?run=${RUN_A}&run=${RUN_B}`);
  });

  it("keeps at most four runs, saying which were dropped", () => {
    const ids = [1, 2, 3, 4, 5].map((n) => `0a1b2c3d-0000-4000-8000-00000000000${n}`);
    const params = parseCompareParams({ run: ids });
    assert.deepEqual(params.runIds, ids.slice(0, 4));
    assert.deepEqual(params.dropped, [ids[4]]);
  });
});
