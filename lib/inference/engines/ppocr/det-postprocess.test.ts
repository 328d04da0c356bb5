import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  boxScore,
  convexHull,
  extractBoxes,
  groupRows,
  mergeRow,
  orderQuad,
  type Point,
  type ProbabilityMap,
  type Quad,
} from "./det-postprocess";

const OPTIONS = { threshold: 0.3, boxThreshold: 0.6, unclipRatio: 1.5 };

function blankMap(width: number, height: number): ProbabilityMap {
  return { data: new Float32Array(width * height), width, height };
}

/** Paints probability `p` on every pixel whose centre satisfies `inside`. */
function paint(map: ProbabilityMap, p: number, inside: (x: number, y: number) => boolean): ProbabilityMap {
  for (let y = 0; y < map.height; y++) {
    for (let x = 0; x < map.width; x++) if (inside(x, y)) map.data[y * map.width + x] = p;
  }
  return map;
}

const rect = (x0: number, y0: number, x1: number, y1: number) => (x: number, y: number) =>
  x >= x0 && x <= x1 && y >= y0 && y <= y1;

const near = (actual: Quad, expected: Quad, tolerance = 1e-6) =>
  actual.forEach((p, i) => {
    const e = expected[i] as Point;
    assert.ok(
      Math.abs(p[0] - e[0]) <= tolerance && Math.abs(p[1] - e[1]) <= tolerance,
      `corner ${i}: ${p} vs ${e}`,
    );
  });

describe("extractBoxes", () => {
  it("turns one text kernel into one box grown by area × ratio / perimeter", () => {
    const map = paint(blankMap(100, 40), 0.9, rect(20, 10, 59, 19));
    const boxes = extractBoxes(map, OPTIONS);
    assert.equal(boxes.length, 1);
    // Pixel centres span 39 × 9; distance = 39·9·1.5 / (2·(39+9)) = 5.484375.
    const d = (39 * 9 * 1.5) / (2 * 48);
    near(boxes[0]?.box as Quad, [
      [20 - d, 10 - d],
      [59 + d, 10 - d],
      [59 + d, 19 + d],
      [20 - d, 19 + d],
    ]);
    assert.ok(Math.abs((boxes[0]?.score ?? 0) - 0.9) < 1e-6);
  });

  it("finds separate kernels as separate boxes", () => {
    const map = blankMap(120, 60);
    paint(map, 0.8, rect(10, 5, 100, 14));
    paint(map, 0.8, rect(10, 30, 60, 40));
    assert.equal(extractBoxes(map, OPTIONS).length, 2);
  });

  it("joins diagonal neighbours into one component (8-connectivity)", () => {
    // Two words bridged only by one pixel touching both diagonally.
    const map = blankMap(60, 30);
    paint(map, 0.9, rect(5, 10, 24, 19));
    paint(map, 0.9, rect(26, 10, 45, 19));
    paint(map, 0.9, rect(25, 9, 25, 9));
    assert.equal(extractBoxes(map, OPTIONS).length, 1);
  });

  it("drops boxes whose mean probability is below the box threshold", () => {
    const map = paint(blankMap(100, 40), 0.5, rect(20, 10, 59, 19));
    assert.equal(extractBoxes(map, OPTIONS).length, 0);
    assert.equal(extractBoxes(map, { ...OPTIONS, boxThreshold: 0.4 }).length, 1);
  });

  it("drops specks thinner than the minimum side", () => {
    const map = paint(blankMap(50, 50), 0.9, rect(5, 5, 40, 6));
    assert.equal(extractBoxes(map, OPTIONS).length, 0);
  });

  it("follows a rotated kernel with a rotated box", () => {
    const angle = (20 * Math.PI) / 180;
    const [cx, cy] = [100, 60];
    const map = paint(blankMap(200, 120), 0.9, (x, y) => {
      const u = (x - cx) * Math.cos(angle) + (y - cy) * Math.sin(angle);
      const v = -(x - cx) * Math.sin(angle) + (y - cy) * Math.cos(angle);
      return Math.abs(u) <= 60 && Math.abs(v) <= 8;
    });
    const [found] = extractBoxes(map, OPTIONS);
    assert.ok(found);
    const [topLeft, topRight] = found.box;
    const measured = Math.atan2(topRight[1] - topLeft[1], topRight[0] - topLeft[0]);
    assert.ok(Math.abs(measured - angle) < (2 * Math.PI) / 180, `angle ${(measured * 180) / Math.PI}°`);
  });
});

describe("geometry helpers", () => {
  it("keeps only the hull's corners", () => {
    const square: Point[] = [
      [0, 0],
      [1, 0],
      [2, 0],
      [2, 2],
      [1, 1],
      [0, 2],
    ];
    assert.deepEqual(convexHull(square).length, 4);
  });

  it("orders corners clockwise from top-left", () => {
    assert.deepEqual(
      orderQuad([
        [10, 10],
        [0, 0],
        [0, 10],
        [10, 0],
      ]),
      [
        [0, 0],
        [10, 0],
        [10, 10],
        [0, 10],
      ],
    );
  });

  it("scores only the pixels inside the quad", () => {
    const map = paint(blankMap(10, 10), 1, rect(0, 0, 4, 9));
    const leftHalf: Quad = [
      [0, 0],
      [4, 0],
      [4, 9],
      [0, 9],
    ];
    assert.equal(boxScore(map, leftHalf), 1);
    const all: Quad = [
      [0, 0],
      [9, 0],
      [9, 9],
      [0, 9],
    ];
    assert.equal(boxScore(map, all), 0.5);
  });
});

describe("groupRows", () => {
  const box = (x: number, y: number, w = 50, h = 20): { box: Quad; id: string } => ({
    id: `${x},${y}`,
    box: [
      [x, y],
      [x + w, y],
      [x + w, y + h],
      [x, y + h],
    ],
  });

  it("reads rows top to bottom and boxes within a row left to right", () => {
    const rows = groupRows([box(200, 42), box(10, 40), box(10, 0), box(10, 80), box(120, 38)]);
    assert.deepEqual(
      rows.map((row) => row.map((item) => item.id)),
      [["10,0"], ["10,40", "120,38", "200,42"], ["10,80"]],
    );
  });

  it("keeps the rows of a skewed page, split words included", () => {
    // Two rows of three 50 × 20 boxes each, with wide gaps, turned 10° clockwise: the right-hand
    // box of the first row sits lower than the left-hand box of the second.
    const turn = (10 * Math.PI) / 180;
    const rotate = ([x, y]: Point): Point => [
      x * Math.cos(turn) - y * Math.sin(turn),
      x * Math.sin(turn) + y * Math.cos(turn),
    ];
    const items = [0, 30].flatMap((y) =>
      [0, 200, 400].map((x) => {
        const { box: b } = box(x, y);
        return { id: `${x},${y}`, box: b.map(rotate) as Quad };
      }),
    );
    const rows = groupRows(items.reverse());
    assert.deepEqual(
      rows.map((row) => row.map((item) => item.id)),
      [
        ["0,0", "200,0", "400,0"],
        ["0,30", "200,30", "400,30"],
      ],
    );
  });

  it("joins overlapping or touching boxes of a row and keeps distant ones apart", () => {
    const row = [box(0, 0, 100), box(90, 0, 80), box(400, 0, 60)].map((item) => item.box);
    const merged = mergeRow(row);
    assert.equal(merged.length, 2);
    const xs = (merged[0] as Quad).map((p) => p[0]);
    assert.deepEqual([Math.min(...xs), Math.max(...xs)], [0, 170]);
    assert.deepEqual(merged[1], row[2]);
  });

  it("keeps tightly spaced lines apart", () => {
    assert.equal(groupRows([box(0, 0), box(0, 21), box(0, 42)]).length, 3);
  });
});
