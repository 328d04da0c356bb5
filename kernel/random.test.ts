import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createRandom } from "./random";

describe("createRandom", () => {
  it("replays the same sequence for the same seed, numeric or string", () => {
    const draw = (seed: number | string) => Array.from({ length: 5 }, createRandom(seed).next);
    assert.deepEqual(draw(42), draw(42));
    assert.deepEqual(draw("run-7"), draw("run-7"));
    assert.notDeepEqual(draw(42), draw(43));
  });

  it("draws uniformly: the mean of many draws is near 1/2 and ints cover their range", () => {
    const random = createRandom(1);
    let sum = 0;
    const seen = new Set<number>();
    for (let i = 0; i < 20_000; i += 1) {
      sum += random.next();
      seen.add(random.int(1, 6));
    }
    assert.ok(Math.abs(sum / 20_000 - 0.5) < 0.01);
    assert.deepEqual([...seen].sort(), [1, 2, 3, 4, 5, 6]);
  });

  it("draws normals with mean 0 and standard deviation 1", () => {
    const random = createRandom(7);
    const values = Array.from({ length: 20_000 }, random.normal);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
    assert.ok(Math.abs(mean) < 0.03, `mean ${mean}`);
    assert.ok(Math.abs(sd - 1) < 0.03, `sd ${sd}`);
  });

  it("forks independent streams that do not depend on draws made elsewhere", () => {
    const a = createRandom(5);
    const b = createRandom(5);
    b.next();
    b.next();
    assert.deepEqual(
      Array.from({ length: 3 }, a.fork("noise").next),
      Array.from({ length: 3 }, b.fork("noise").next),
    );
  });
});
