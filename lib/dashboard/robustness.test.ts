import assert from "node:assert/strict";
import { test } from "node:test";
import { prepareRobustnessTables, type RobustnessResult } from "./robustness";

const result = (model: string, corruption: string, severity: number, accuracy: number): RobustnessResult => ({
  model,
  dataset: "textline-v1",
  corruption,
  severity,
  accuracy,
  items: 60,
});

test("one table per corruption, clean accuracy as severity 0, gaps stay null", () => {
  const tables = prepareRobustnessTables([
    result("fp32", "clean", 0, 0.97),
    result("int8", "clean", 0, 0.96),
    result("fp32", "gaussian_blur", 1, 0.95),
    result("fp32", "gaussian_blur", 3, 0.85),
    result("int8", "gaussian_blur", 1, 0.94),
    result("fp32", "gaussian_noise", 2, 0.5),
  ]);
  assert.deepEqual(
    tables.map((table) => table.corruption),
    ["gaussian_blur", "gaussian_noise"],
  );
  const blur = tables[0];
  assert.deepEqual(blur?.severities, [0, 1, 3]);
  assert.deepEqual(blur?.rows[0]?.accuracy, [0.97, 0.95, 0.85]);
  assert.ok(Math.abs((blur?.rows[0]?.meanCorrupted ?? 0) - 0.9) < 1e-12);
  assert.deepEqual(blur?.rows[1], { model: "int8", accuracy: [0.96, 0.94, null], meanCorrupted: 0.94 });
  assert.deepEqual(tables[1]?.rows, [{ model: "fp32", accuracy: [0.97, 0.5], meanCorrupted: 0.5 }]);
});

test("no corrupted results, no tables", () => {
  assert.deepEqual(prepareRobustnessTables([result("fp32", "clean", 0, 0.9)]), []);
});
