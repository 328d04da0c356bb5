// DB post-processing, as PaddleOCR's DBPostProcess ("fast" box score, no dilation): binarise the
// probability map, take each connected component's minimum-area rectangle, score it by the mean
// probability inside, then grow it back ("unclip") because DB is trained on shrunk text kernels.
// Pure functions over typed arrays: unit-tested on synthetic maps.

export type Point = [number, number];
/** Four corners, clockwise from top-left (image coordinates, y down). */
export type Quad = [Point, Point, Point, Point];

export interface ProbabilityMap {
  data: Float32Array;
  width: number;
  height: number;
}

export interface DetPostprocessOptions {
  /** Pixels above it are text. */
  threshold: number;
  /** Boxes whose mean probability is below it are dropped. */
  boxThreshold: number;
  /** How far a box grows: distance = area × ratio / perimeter. */
  unclipRatio: number;
  /** Boxes with a shorter side (before unclip) are dropped, as are unclipped ones < minSide + 2. */
  minSide?: number;
  maxCandidates?: number;
}

export interface DetectedBox {
  box: Quad;
  /** Mean probability inside the box before unclipping. */
  score: number;
}

/** A rectangle as an origin, two unit axes and extents along them. */
interface OrientedRect {
  ox: number;
  oy: number;
  ux: number;
  uy: number;
  minU: number;
  maxU: number;
  minN: number;
  maxN: number;
}

/** Text boxes in probability-map pixels, in the order their components were found. */
export function extractBoxes(map: ProbabilityMap, options: DetPostprocessOptions): DetectedBox[] {
  const minSide = options.minSide ?? 3;
  const maxCandidates = options.maxCandidates ?? 1000;
  const boxes: DetectedBox[] = [];
  for (const hullPoints of componentOutlines(map, options.threshold, maxCandidates)) {
    const rect = minAreaRect(convexHull(hullPoints));
    if (Math.min(rect.maxU - rect.minU, rect.maxN - rect.minN) < minSide) continue;
    const score = boxScore(map, rectCorners(rect));
    if (score < options.boxThreshold) continue;
    const grown = unclipRect(rect, options.unclipRatio);
    if (Math.min(grown.maxU - grown.minU, grown.maxN - grown.minN) < minSide + 2) continue;
    boxes.push({ box: orderQuad(rectCorners(grown)), score });
  }
  return boxes;
}

/**
 * For each 8-connected component of `map > threshold`, the left- and right-most pixel of every
 * row it spans: enough points for its convex hull, at pixel centres like cv2.findContours.
 */
export function componentOutlines(
  map: ProbabilityMap,
  threshold: number,
  maxComponents = Infinity,
): Point[][] {
  const { data, width, height } = map;
  const seen = new Uint8Array(width * height);
  const stack = new Int32Array(width * height);
  const rowMin = new Int32Array(height);
  const rowMax = new Int32Array(height);
  // Which component last touched a row: avoids clearing the row arrays for every component.
  const rowOwner = new Int32Array(height).fill(-1);
  const outlines: Point[][] = [];
  for (let start = 0; start < data.length && outlines.length < maxComponents; start++) {
    if (seen[start] || (data[start] ?? 0) <= threshold) continue;
    const id = outlines.length;
    let top = height;
    let bottom = -1;
    let size = 0;
    stack[size++] = start;
    seen[start] = 1;
    while (size > 0) {
      const index = stack[--size] ?? 0;
      const x = index % width;
      const y = (index - x) / width;
      if (rowOwner[y] !== id) {
        rowOwner[y] = id;
        rowMin[y] = x;
        rowMax[y] = x;
      } else if (x < (rowMin[y] ?? x)) rowMin[y] = x;
      else if (x > (rowMax[y] ?? x)) rowMax[y] = x;
      if (y < top) top = y;
      if (y > bottom) bottom = y;
      for (let dy = -1; dy <= 1; dy++) {
        const ny = y + dy;
        if (ny < 0 || ny >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          if (nx < 0 || nx >= width) continue;
          const next = ny * width + nx;
          if (seen[next] || (data[next] ?? 0) <= threshold) continue;
          seen[next] = 1;
          stack[size++] = next;
        }
      }
    }
    const points: Point[] = [];
    for (let r = top; r <= bottom; r++) {
      // A component spans every row between its top and bottom (8-connectivity), so each is set.
      const lo = rowMin[r] ?? 0;
      const hi = rowMax[r] ?? 0;
      points.push([lo, r]);
      if (hi !== lo) points.push([hi, r]);
    }
    outlines.push(points);
  }
  return outlines;
}

/** Andrew's monotone chain; counter-clockwise in y-up terms, collinear points dropped. */
export function convexHull(points: readonly Point[]): Point[] {
  const sorted = [...points].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  if (sorted.length <= 2) return sorted;
  const cross = (o: Point, a: Point, b: Point) =>
    (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  const build = (input: Point[]) => {
    const chain: Point[] = [];
    for (const p of input) {
      while (
        chain.length >= 2 &&
        cross(chain[chain.length - 2] as Point, chain[chain.length - 1] as Point, p) <= 0
      ) {
        chain.pop();
      }
      chain.push(p);
    }
    chain.pop();
    return chain;
  };
  return [...build(sorted), ...build([...sorted].reverse())];
}

/** Minimum-area enclosing rectangle by rotating calipers over the hull's edges. */
function minAreaRect(hull: readonly Point[]): OrientedRect {
  const first = hull[0] ?? [0, 0];
  let best: OrientedRect = { ox: first[0], oy: first[1], ux: 1, uy: 0, minU: 0, maxU: 0, minN: 0, maxN: 0 };
  if (hull.length < 2) return best;
  let bestArea = Infinity;
  for (let i = 0; i < hull.length; i++) {
    const a = hull[i] as Point;
    const b = hull[(i + 1) % hull.length] as Point;
    const length = Math.hypot(b[0] - a[0], b[1] - a[1]);
    if (length === 0) continue;
    const ux = (b[0] - a[0]) / length;
    const uy = (b[1] - a[1]) / length;
    let minU = Infinity;
    let maxU = -Infinity;
    let minN = Infinity;
    let maxN = -Infinity;
    for (const p of hull) {
      const dx = p[0] - a[0];
      const dy = p[1] - a[1];
      const u = dx * ux + dy * uy;
      const n = -dx * uy + dy * ux;
      minU = Math.min(minU, u);
      maxU = Math.max(maxU, u);
      minN = Math.min(minN, n);
      maxN = Math.max(maxN, n);
    }
    const area = (maxU - minU) * (maxN - minN);
    // A small tolerance keeps the first (axis-aligned, for upright text) of equal-area candidates.
    if (area < bestArea - 1e-9) {
      bestArea = area;
      best = { ox: a[0], oy: a[1], ux, uy, minU, maxU, minN, maxN };
    }
  }
  return best;
}

function rectCorners(rect: OrientedRect): Quad {
  const at = (u: number, n: number): Point => [
    rect.ox + u * rect.ux - n * rect.uy,
    rect.oy + u * rect.uy + n * rect.ux,
  ];
  return [
    at(rect.minU, rect.minN),
    at(rect.maxU, rect.minN),
    at(rect.maxU, rect.maxN),
    at(rect.minU, rect.maxN),
  ];
}

/**
 * PaddleOCR offsets the box polygon by area × ratio / perimeter with round joins, then takes the
 * minimum-area rectangle again: for a rectangle that is the rectangle grown by that distance.
 */
function unclipRect(rect: OrientedRect, ratio: number): OrientedRect {
  const w = rect.maxU - rect.minU;
  const h = rect.maxN - rect.minN;
  const perimeter = 2 * (w + h);
  const distance = perimeter > 0 ? (w * h * ratio) / perimeter : 0;
  return {
    ...rect,
    minU: rect.minU - distance,
    maxU: rect.maxU + distance,
    minN: rect.minN - distance,
    maxN: rect.maxN + distance,
  };
}

/** Mean probability of the map's pixels whose centres lie inside the (convex) quad. */
export function boxScore(map: ProbabilityMap, quad: Quad): number {
  const xs = quad.map((p) => p[0]);
  const ys = quad.map((p) => p[1]);
  const clampX = (v: number) => Math.min(Math.max(v, 0), map.width - 1);
  const clampY = (v: number) => Math.min(Math.max(v, 0), map.height - 1);
  const x0 = clampX(Math.floor(Math.min(...xs)));
  const x1 = clampX(Math.ceil(Math.max(...xs)));
  const y0 = clampY(Math.floor(Math.min(...ys)));
  const y1 = clampY(Math.ceil(Math.max(...ys)));
  let sum = 0;
  let count = 0;
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      if (!insideConvexQuad(quad, x, y)) continue;
      sum += map.data[y * map.width + x] ?? 0;
      count++;
    }
  }
  return count === 0 ? 0 : sum / count;
}

function insideConvexQuad(quad: Quad, x: number, y: number): boolean {
  let positive = false;
  let negative = false;
  for (let i = 0; i < 4; i++) {
    const a = quad[i] as Point;
    const b = quad[(i + 1) % 4] as Point;
    const cross = (b[0] - a[0]) * (y - a[1]) - (b[1] - a[1]) * (x - a[0]);
    // Points on an edge count as inside, as cv2.fillPoly paints the outline too.
    if (cross > 1e-6) positive = true;
    else if (cross < -1e-6) negative = true;
    if (positive && negative) return false;
  }
  return true;
}

/**
 * Orders four corners clockwise from top-left the way PaddleOCR's get_mini_boxes does: the two
 * left-most points give top-left/bottom-left by y, the two right-most top-right/bottom-right.
 */
export function orderQuad(points: readonly Point[]): Quad {
  const byX = [...points].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const [l1, l2, r1, r2] = byX as [Point, Point, Point, Point];
  const [topLeft, bottomLeft] = l1[1] <= l2[1] ? [l1, l2] : [l2, l1];
  const [topRight, bottomRight] = r1[1] <= r2[1] ? [r1, r2] : [r2, r1];
  return [topLeft, topRight, bottomRight, bottomLeft];
}

/** Scales a quad from one image size to another (map pixels → source pixels). */
export function scaleQuad(quad: Quad, scaleX: number, scaleY: number): Quad {
  return quad.map(([x, y]) => [x * scaleX, y * scaleY]) as Quad;
}

/**
 * Reading order: boxes whose vertical centres are within half a line height of a row's first box
 * share that row (left to right); rows go top to bottom. "Vertical" is measured across the median
 * text direction, so a skewed page keeps its rows. PaddleOCR's fixed 10 px tolerance on the
 * top-left corner breaks at other scales and on skewed pages.
 */
export function groupRows<T extends { box: Quad }>(items: readonly T[]): T[][] {
  const angles = items
    .map(({ box: [p0, p1] }) => Math.atan2(p1[1] - p0[1], p1[0] - p0[0]))
    .sort((a, b) => a - b);
  const angle = angles[angles.length >> 1] ?? 0;
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  const measured = items
    .map((item) => {
      const across = item.box.map(([x, y]) => -x * sin + y * cos);
      const along = item.box.map(([x, y]) => x * cos + y * sin);
      const top = Math.min(...across);
      const bottom = Math.max(...across);
      return { item, centre: (top + bottom) / 2, height: bottom - top, left: Math.min(...along) };
    })
    .sort((a, b) => a.centre - b.centre);
  const rows: (typeof measured)[] = [];
  for (const entry of measured) {
    const row = rows.at(-1);
    const anchor = row?.[0];
    if (row && anchor && Math.abs(entry.centre - anchor.centre) < Math.min(entry.height, anchor.height) / 2) {
      row.push(entry);
    } else {
      rows.push([entry]);
    }
  }
  return rows.map((row) => row.sort((a, b) => a.left - b.left).map((entry) => entry.item));
}

/**
 * Joins the boxes of one row (as groupRows returns it, left to right) that overlap or are closer
 * than `maxGapRatio` × the line height: DB sometimes splits a line of large text at a word gap
 * into overlapping boxes, and each crop then holds a piece of its neighbour ("QUALITY Y CONTROL").
 * Boxes further apart (receipt columns) stay separate.
 */
export function mergeRow(row: readonly Quad[], maxGapRatio = 1): Quad[] {
  if (row.length < 2) return [...row];
  const angles = row.map(([p0, p1]) => Math.atan2(p1[1] - p0[1], p1[0] - p0[0])).sort((a, b) => a - b);
  const angle = angles[angles.length >> 1] ?? 0;
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  const extent = (points: readonly Point[]) => {
    const along = points.map(([x, y]) => x * cos + y * sin);
    const across = points.map(([x, y]) => -x * sin + y * cos);
    return {
      start: Math.min(...along),
      end: Math.max(...along),
      height: Math.max(...across) - Math.min(...across),
    };
  };
  const groups: Point[][] = [];
  let current: Point[] = [];
  for (const box of row) {
    const next = extent(box);
    const sofar = current.length > 0 ? extent(current) : null;
    if (sofar && next.start - sofar.end < maxGapRatio * Math.min(sofar.height, next.height)) {
      current.push(...box);
    } else {
      if (current.length > 0) groups.push(current);
      current = [...box];
    }
  }
  groups.push(current);
  return groups.map((points) => (points.length === 4 ? (points as Quad) : boundingQuad(points)));
}

/** The minimum-area rectangle around a set of points, as an ordered quad. */
export function boundingQuad(points: readonly Point[]): Quad {
  return orderQuad(rectCorners(minAreaRect(convexHull(points))));
}
