// The compare page's core: the URL selection, the entries and their colours, the leaderboard
// (rank from paired verdicts, absolute resilience, the relative view, sorting, relative figures)
// and the differences-only filter.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { accuracyComparison, makeRun, p99Comparison, phaseRow } from "../../../testing/compare-fixtures";
import {
  differs,
  keepDifferences,
  type PairedStanding,
  prepareEntries,
  prepareLeaderboard,
  preparePhaseTable,
  SERIES_COLORS,
} from "./core";
import { formatMs } from "./format";
import { prepareVerdicts } from "./verdicts";

const RUN_A = "0a1b2c3d-0000-4000-8000-00000000000a";
const RUN_B = "0a1b2c3d-0000-4000-8000-00000000000b";

const threeTargets = () =>
  makeRun({
    id: RUN_A,
    targets: [
      { name: "fp32", role: "candidate", accuracy: 0.9, successRate: 1, p99: 200, resilience: 72.5 },
      { name: "int8", accuracy: 0.8, successRate: 1, p99: 100, resilience: 64 },
      { name: "tesseract", accuracy: 0.95, successRate: 0.9, p99: 400, resilience: 81 },
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
  it("shows the absolute resilience score from each record with its families, best first", () => {
    const run = threeTargets();
    const board = prepareLeaderboard([run], prepareEntries([run], null));
    assert.equal(board.sort.key, "resilience");
    assert.deepEqual(
      board.rows.map((row) => [row.target, row.resilience.score]),
      [
        ["tesseract", 81],
        ["fp32", 72.5],
        ["int8", 64],
      ],
      "the record's absolute scores, sorted best first",
    );
    assert.deepEqual(
      board.rows[0]?.resilience.families.map((family) => family.name),
      ["accuracy", "availability", "latency"],
    );
  });

  it("keeps the absolute score whatever else is selected; the min–max view is labelled relative", () => {
    const run = threeTargets();
    const other = makeRun({
      id: RUN_B,
      targets: [{ name: "fp32", role: "candidate", accuracy: 0.2, p99: 5000, resilience: 10 }],
    });
    const alone = prepareLeaderboard([run], prepareEntries([run], null));
    const together = prepareLeaderboard([run, other], prepareEntries([run, other], null));
    const score = (board: typeof alone, key: string) => board.rows.find((row) => row.key === key)?.resilience;
    assert.equal(score(together, "1:fp32")?.score, score(alone, "1:fp32")?.score);
    assert.notEqual(
      score(together, "1:fp32")?.relative.score,
      score(alone, "1:fp32")?.relative.score,
      "the relative score moves with the selection",
    );
    const relative = alone.columns.filter((column) => column.group === "relative");
    assert.ok(relative.some((column) => column.label === "Relative score (rank within this selection)"));
    assert.ok(relative.every((column) => column.key === "relative" || column.key.startsWith("norm:")));
  });

  it("normalises min–max across the models in the relative view, relative figures against the candidate", () => {
    const run = threeTargets();
    const board = prepareLeaderboard([run], prepareEntries([run], null));
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
      const same = full.rows.find((other) => other.key === row.key)?.resilience;
      assert.equal(row.resilience.relative.score, same?.relative.score);
      assert.equal(row.resilience.score, same?.score);
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
    assert.ok(shown.includes("rank"), "so does the rank");
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

describe("the leaderboard's rank", () => {
  const run = () =>
    makeRun({
      targets: [
        { name: "fp32", role: "candidate", accuracy: 0.9, resilience: 70 },
        { name: "int8", accuracy: 0.89, resilience: 72 },
        { name: "tesseract", accuracy: 0.6, resilience: 40 },
      ],
      comparisons: [
        {
          baseline: "int8",
          accuracy: accuracyComparison(0.01, [-0.02, 0.04], 0.5),
          p99: p99Comparison(3, [-5, 11]),
        },
        {
          baseline: "tesseract",
          accuracy: accuracyComparison(0.3, [0.2, 0.4], 0.0001),
          p99: p99Comparison(-900, [-1200, -600]),
        },
      ],
    });

  it("says tie where the paired tests against the candidate are inconclusive, and ranks only where they separate", () => {
    const input = run();
    const entries = prepareEntries([input], null);
    const board = prepareLeaderboard([input], entries, { standings: prepareVerdicts([input], entries) });
    const standing = (target: string) => board.rows.find((row) => row.target === target)?.standing;
    assert.deepEqual(standing("fp32"), { rank: 1, text: "tie", tiedWith: ["int8"] });
    assert.deepEqual(standing("int8"), { rank: 1, text: "tie", tiedWith: ["fp32"] });
    assert.deepEqual(standing("tesseract"), { rank: 2, text: "2", tiedWith: [] });
    assert.equal(board.rows.find((row) => row.target === "int8")?.cells.rank?.text, "tie");
    assert.equal(
      board.rows.find((row) => row.target === "int8")?.resilience.score,
      72,
      "a higher score does not rank it above a model the tests cannot separate it from",
    );
  });

  it("is a tie without paired verdicts, or when they point different ways", () => {
    const input = run();
    const entries = prepareEntries([input], null);
    const none = prepareLeaderboard([input], entries);
    assert.ok(none.rows.every((row) => row.standing.text === "tie"));
    const split: PairedStanding[] = [
      {
        runIndex: 1,
        candidate: "fp32",
        lines: [
          {
            baseline: "tesseract",
            accuracy: { verdict: "better", status: "measured" },
            p99: { verdict: "worse", status: "measured" },
          },
        ],
      },
    ];
    const board = prepareLeaderboard([input], entries, { standings: split });
    assert.equal(board.rows.find((row) => row.target === "tesseract")?.standing.text, "tie");
  });

  it("ranks a baseline the candidate is worse than above it", () => {
    const input = run();
    const entries = prepareEntries([input], null);
    const board = prepareLeaderboard([input], entries, {
      standings: [
        {
          runIndex: 1,
          candidate: "fp32",
          lines: [
            {
              baseline: "int8",
              accuracy: { verdict: "worse", status: "measured" },
              p99: { verdict: "inconclusive", status: "measured" },
            },
            {
              baseline: "tesseract",
              accuracy: { verdict: "better", status: "measured" },
              p99: { verdict: "inconclusive", status: "unavailable" },
            },
          ],
        },
      ],
    });
    const ranks = Object.fromEntries(board.rows.map((row) => [row.target, row.standing.text]));
    assert.deepEqual(ranks, { int8: "1", fp32: "2", tesseract: "3" });
  });
});

describe("accuracy's n", () => {
  it("is the number of distinct items, or says there is no per-item record", () => {
    const input = makeRun({
      targets: [
        { name: "fp32", role: "candidate", items: 42 },
        { name: "int8", items: null },
      ],
    });
    const board = prepareLeaderboard([input], prepareEntries([input], null));
    assert.equal(board.rows.find((row) => row.target === "fp32")?.cells.accuracy?.note, "n = 42 items");
    assert.equal(
      board.rows.find((row) => row.target === "int8")?.cells.accuracy?.note,
      "n: no per-item record",
    );
  });
});

describe("the per-phase table", () => {
  it("marks the cells of a phase whose data cannot be judged", () => {
    const input = makeRun({
      targets: [{ name: "fp32", role: "candidate" }, { name: "int8" }],
      phases: [
        { name: "steady", counts: true, faults: [] },
        { name: "fault", counts: true, faults: [{ type: "latency" }] },
      ],
      phaseRows: [
        phaseRow("steady", "fp32", 0.9),
        phaseRow("steady", "int8", 0.9),
        phaseRow("fault", "fp32", 0.7, { valid: false }),
        phaseRow("fault", "int8", 0.8),
      ],
      validity: [
        { phase: "steady", valid: true, reasons: [] },
        {
          phase: "fault",
          valid: false,
          reasons: [{ code: "halted", phase: "fault", message: "halted by admin" }],
        },
      ],
    });
    const table = preparePhaseTable([input], prepareEntries([input], null));
    const fault = table.rows.find((row) => row.phase === "fault");
    const steady = table.rows.find((row) => row.phase === "steady");
    assert.deepEqual(fault?.invalid, ["1:fp32", "1:int8"]);
    assert.deepEqual(steady?.invalid, []);
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
