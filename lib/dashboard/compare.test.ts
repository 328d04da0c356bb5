// The compare page's core: the URL selection, the entries and their colours, the leaderboard
// (normalisation, resilience, sorting, relative figures) and the differences-only filter.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  differs,
  keepDifferences,
  prepareEntries,
  prepareLeaderboard,
  preparePhaseTable,
  SERIES_COLORS,
} from "./compare";
import { formatMs } from "./compare-format";
import { makeRun, phaseRow } from "./compare-test-support";

const RUN_A = "0a1b2c3d-0000-4000-8000-00000000000a";
const RUN_B = "0a1b2c3d-0000-4000-8000-00000000000b";

const threeTargets = () =>
  makeRun({
    id: RUN_A,
    targets: [
      { name: "fp32", role: "candidate", accuracy: 0.9, successRate: 1, p99: 200 },
      { name: "int8", accuracy: 0.8, successRate: 1, p99: 100 },
      { name: "tesseract", accuracy: 0.95, successRate: 0.9, p99: 400 },
    ],
  });

describe("prepareEntries", () => {
  it("puts the candidate first and gives a target the same colour in every run, a dash per run", () => {
    const a = threeTargets();
    const b = makeRun({
      id: RUN_B,
      targets: [{ name: "int8" }, { name: "fp32", role: "candidate" }],
    });
    const entries = prepareEntries([a, b], null);
    assert.deepEqual(
      entries.map((entry) => entry.key),
      ["1:fp32", "1:int8", "1:tesseract", "2:fp32", "2:int8"],
    );
    assert.equal(entries[0]?.color, SERIES_COLORS[0]);
    assert.equal(entries[3]?.color, entries[0]?.color);
    assert.notEqual(entries[3]?.dash, entries[0]?.dash);
    assert.equal(entries[3]?.label, "fp32 · #2");
  });

  it("hides the targets not selected, and ignores a selection naming none of them", () => {
    const run = threeTargets();
    const picked = prepareEntries([run], ["fp32", "tesseract"]);
    assert.deepEqual(
      picked.filter((entry) => entry.visible).map((entry) => entry.target),
      ["fp32", "tesseract"],
    );
    assert.ok(prepareEntries([run], ["nope"]).every((entry) => entry.visible));
  });
});

describe("prepareLeaderboard", () => {
  it("normalises min–max across the models, scores resilience as the run report does, best first", () => {
    const run = threeTargets();
    const board = prepareLeaderboard([run], prepareEntries([run], null));
    assert.equal(board.sort.key, "resilience");
    const scores = board.rows.map((row) => row.resilience.score as number);
    assert.deepEqual(
      [...scores].sort((x, y) => y - x),
      scores,
      "sorted by resilience, best first",
    );
    for (const row of board.rows) {
      const stored = run.report.resilience.find((item) => item.id === row.target);
      assert.ok(Math.abs((row.resilience.score ?? -1) - (stored?.score ?? -2)) < 1e-9, row.target);
    }
    const int8 = board.rows.find((row) => row.target === "int8");
    assert.equal(int8?.cells["norm:p99LatencyMs"]?.value, 1, "the lowest P99 normalises to 1");
    assert.equal(int8?.cells["norm:accuracy"]?.value, 0, "the lowest accuracy normalises to 0");
    assert.equal(int8?.cells.accuracy?.text, "80.0%");
    assert.equal(int8?.cells.accuracy?.relative, "−10.0 pp");
    assert.equal(int8?.cells.p99?.relative, "−50%");
    assert.equal(int8?.cells.successRate?.relative, null, "no change says nothing");
    const fp32 = board.rows.find((row) => row.role === "candidate");
    assert.equal(fp32?.cells.accuracy?.relative, null, "the reference has no relative figure");
    assert.equal(board.reference, "1:fp32");
    assert.ok(board.footnotes.some((note) => note.includes("min–max")));
  });

  it("sorts by another column best first (lower P99 first) and keeps gaps last", () => {
    const run = makeRun({
      targets: [
        { name: "a", role: "candidate", p99: 300 },
        { name: "b", p99: null },
        { name: "c", p99: 100 },
      ],
    });
    const board = prepareLeaderboard([run], prepareEntries([run], null), { sort: "p99" });
    assert.deepEqual(
      board.rows.map((row) => row.target),
      ["c", "a", "b"],
    );
    assert.equal(board.rows[2]?.cells.p99?.text, "—");
  });

  it("keeps hidden models in the scoring, so hiding one does not move the others' scores", () => {
    const run = threeTargets();
    const full = prepareLeaderboard([run], prepareEntries([run], null));
    const some = prepareLeaderboard([run], prepareEntries([run], ["fp32", "int8"]));
    assert.equal(some.rows.length, 2);
    for (const row of some.rows) {
      assert.equal(row.resilience.score, full.rows.find((other) => other.key === row.key)?.resilience.score);
    }
  });

  it("with differences only, hides the columns equal on every row (at display precision)", () => {
    const run = makeRun({
      targets: [
        { name: "a", role: "candidate", accuracy: 0.91, successRate: 1, p99: 200, throughput: 3 },
        { name: "b", accuracy: 0.9104, successRate: 1, p99: 250, throughput: 3 },
      ],
    });
    const entries = prepareEntries([run], null);
    const board = prepareLeaderboard([run], entries, { diff: true });
    const shown = board.columns.map((column) => column.key);
    assert.ok(shown.includes("p99"));
    assert.ok(shown.includes("resilience"), "the score always stays");
    for (const key of ["accuracy", "successRate", "throughput", "p50", "verdict"]) {
      assert.ok(!shown.includes(key), `${key} is equal on both rows`);
    }
    assert.ok(board.hiddenColumns.some((column) => column.key === "accuracy"));
    assert.equal(
      prepareLeaderboard([run], entries).columns.length,
      board.columns.length + board.hiddenColumns.length,
    );
  });

  it("puts each dataset's accuracy in its own column across runs, relative to run #1's candidate", () => {
    const a = threeTargets();
    const b = makeRun({
      id: RUN_B,
      dataset: "receipts-v2",
      targets: [{ name: "fp32", role: "candidate", accuracy: 0.7, p99: 300 }],
    });
    const board = prepareLeaderboard([a, b], prepareEntries([a, b], null));
    const keys = board.columns.map((column) => column.key);
    assert.ok(keys.includes("accuracy:textline-v1") && keys.includes("accuracy:receipts-v2"));
    const second = board.rows.find((row) => row.key === "2:fp32");
    assert.equal(second?.cells["accuracy:textline-v1"]?.text, "—");
    assert.equal(second?.cells["accuracy:receipts-v2"]?.text, "70.0%");
    assert.equal(second?.cells.p99?.relative, "+50%");
    assert.ok(board.footnotes.some((note) => note.includes("different datasets")));
  });
});

describe("differences only", () => {
  it("treats values equal at display precision as equal, and a gap as different", () => {
    assert.equal(differs(["97.2%", "97.2%"]), false);
    assert.equal(differs(["97.2%", "—"]), true);
    assert.equal(differs(["97.2%"]), false, "one value has nothing to differ from");
    assert.deepEqual(
      keepDifferences(
        [
          { name: "same", values: ["1", "1", "1"] },
          { name: "diff", values: ["1", "2", "1"] },
        ],
        (item) => item.values,
      ).map((item) => item.name),
      ["diff"],
    );
  });

  it("drops the phase × metric rows where every model shows the same value", () => {
    const run = makeRun({
      targets: [{ name: "a", role: "candidate" }, { name: "b" }],
      phases: [
        { name: "clean", counts: true, faults: [] },
        {
          name: "blur-3",
          counts: true,
          faults: [{ type: "corrupt_input", corruption: "gaussian_blur", severity: 3 }],
        },
      ],
      phaseRows: [
        phaseRow("clean", "a", 1),
        phaseRow("clean", "b", 1),
        phaseRow("blur-3", "a", 0.9),
        phaseRow("blur-3", "b", 0.8, { p99Ms: 250 }),
      ],
    });
    const entries = prepareEntries([run], null);
    const table = preparePhaseTable([run], entries, { diff: true });
    assert.deepEqual(
      table.rows.map((row) => row.key),
      ["blur-3:accuracy", "blur-3:p99"],
    );
    assert.equal(table.hidden, 4);
    assert.equal(preparePhaseTable([run], entries).rows.length, 6);
    assert.equal(table.rows[0]?.faults, "corrupt_input gaussian_blur@3");
  });
});

describe("preparePhaseTable", () => {
  it("matches phases by name across runs, so last week's phase sits beside today's", () => {
    const phases = [
      { name: "steady", counts: true, faults: [] },
      { name: "outage", counts: true, faults: [{ type: "network" }] },
    ];
    const a = makeRun({
      id: RUN_A,
      targets: [{ name: "fp32", role: "candidate" }],
      phases,
      phaseRows: [phaseRow("steady", "fp32", 0.9), phaseRow("outage", "fp32", 0.5)],
    });
    const b = makeRun({
      id: RUN_B,
      targets: [{ name: "fp32", role: "candidate" }],
      phases: [...phases, { name: "recovery", counts: true, faults: [] }],
      phaseRows: [
        phaseRow("steady", "fp32", 0.95),
        phaseRow("outage", "fp32", 0.6),
        phaseRow("recovery", "fp32", 1),
      ],
    });
    const table = preparePhaseTable([a, b], prepareEntries([a, b], null));
    const accuracy = table.rows.filter((row) => row.metric === "accuracy");
    assert.deepEqual(
      accuracy.map((row) => [row.phase, row.cells["1:fp32"], row.cells["2:fp32"], row.runIndexes]),
      [
        ["steady", "90.0%", "95.0%", [1, 2]],
        ["outage", "50.0%", "60.0%", [1, 2]],
        ["recovery", "—", "100.0%", [2]],
      ],
    );
    assert.equal(accuracy[1]?.faults, "network");
    assert.equal(table.runs, 2);
  });
});

describe("formatMs", () => {
  it("keeps about three significant figures", () => {
    assert.equal(formatMs(4.321), "4.32 ms");
    assert.equal(formatMs(43.21), "43.2 ms");
    assert.equal(formatMs(432.1), "432 ms");
    assert.equal(formatMs(2258.9), "2.26 s");
  });
});
