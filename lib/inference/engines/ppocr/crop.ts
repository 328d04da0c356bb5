// Cutting a detected text box out of the image as an upright line, as PaddleOCR's
// get_rotate_crop_image: a perspective warp of the quad onto a rectangle, edge pixels replicated
// where the quad leaves the image.
import type { RawImage } from "../../types";
import type { Point, Quad } from "./det-postprocess";

/**
 * The quad (clockwise from top-left) warped onto a width × height rectangle, where width and
 * height are its longer opposite sides. Bilinear sampling.
 */
export function cropQuad(image: RawImage, quad: Quad): RawImage {
  const [p0, p1, p2, p3] = quad;
  const distance = (a: Point, b: Point) => Math.hypot(a[0] - b[0], a[1] - b[1]);
  const width = Math.max(1, Math.round(Math.max(distance(p0, p1), distance(p3, p2))));
  const height = Math.max(1, Math.round(Math.max(distance(p0, p3), distance(p1, p2))));
  const map = squareToQuad(quad);
  const out = new Uint8Array(width * height * 3);
  const { data: src, width: sw, height: sh } = image;
  let o = 0;
  for (let v = 0; v < height; v++) {
    for (let u = 0; u < width; u++) {
      // cv2.warpPerspective maps destination pixel (u, v) to the source with the same transform
      // that takes the rectangle's corners (0,0)…(width,height) to the quad's.
      const [sx, sy] = map(u / width, v / height);
      const x = Math.min(Math.max(sx, 0), sw - 1);
      const y = Math.min(Math.max(sy, 0), sh - 1);
      const x0 = Math.floor(x);
      const y0 = Math.floor(y);
      const x1 = Math.min(x0 + 1, sw - 1);
      const y1 = Math.min(y0 + 1, sh - 1);
      const fx = x - x0;
      const fy = y - y0;
      const i00 = (y0 * sw + x0) * 3;
      const i01 = (y0 * sw + x1) * 3;
      const i10 = (y1 * sw + x0) * 3;
      const i11 = (y1 * sw + x1) * 3;
      for (let c = 0; c < 3; c++) {
        const top = (src[i00 + c] ?? 0) * (1 - fx) + (src[i01 + c] ?? 0) * fx;
        const bottom = (src[i10 + c] ?? 0) * (1 - fx) + (src[i11 + c] ?? 0) * fx;
        out[o++] = Math.round(top * (1 - fy) + bottom * fy);
      }
    }
  }
  return { data: out, width, height };
}

/**
 * The projective map from the unit square (corners (0,0), (1,0), (1,1), (0,1)) to the quad
 * (Heckbert's closed form); affine when the quad is a parallelogram.
 */
export function squareToQuad(quad: Quad): (u: number, v: number) => Point {
  const [[x0, y0], [x1, y1], [x2, y2], [x3, y3]] = quad;
  const sx = x0 - x1 + x2 - x3;
  const sy = y0 - y1 + y2 - y3;
  let g = 0;
  let h = 0;
  if (Math.abs(sx) > 1e-9 || Math.abs(sy) > 1e-9) {
    const dx1 = x1 - x2;
    const dx2 = x3 - x2;
    const dy1 = y1 - y2;
    const dy2 = y3 - y2;
    const det = dx1 * dy2 - dx2 * dy1;
    g = (sx * dy2 - dx2 * sy) / det;
    h = (dx1 * sy - sx * dy1) / det;
  }
  const a = x1 - x0 + g * x1;
  const b = x3 - x0 + h * x3;
  const d = y1 - y0 + g * y1;
  const e = y3 - y0 + h * y3;
  return (u, v) => {
    const w = g * u + h * v + 1;
    return [(a * u + b * v + x0) / w, (d * u + e * v + y0) / w];
  };
}

/** Quarter turn counter-clockwise (numpy's rot90), for crops PaddleOCR treats as vertical text. */
export function rotateCounterClockwise(image: RawImage): RawImage {
  const { data: src, width, height } = image;
  const out = new Uint8Array(src.length);
  // Output is height wide and width tall; source column width-1-y becomes output row y.
  for (let y = 0; y < width; y++) {
    for (let x = 0; x < height; x++) {
      const s = (x * width + (width - 1 - y)) * 3;
      const o = (y * height + x) * 3;
      out[o] = src[s] ?? 0;
      out[o + 1] = src[s + 1] ?? 0;
      out[o + 2] = src[s + 2] ?? 0;
    }
  }
  return { data: out, width: height, height: width };
}

/**
 * The quad grown by `distance` pixels outwards along its own axes (top edge direction and its
 * normal), so a rotated box grows as a rotated box.
 */
export function growQuad(quad: Quad, distance: number): Quad {
  const [p0, p1, , p3] = quad;
  const unit = (from: Point, to: Point): Point => {
    const length = Math.hypot(to[0] - from[0], to[1] - from[1]) || 1;
    return [(to[0] - from[0]) / length, (to[1] - from[1]) / length];
  };
  const [ux, uy] = unit(p0, p1);
  const [nx, ny] = unit(p0, p3);
  const signs: [number, number][] = [
    [-1, -1],
    [1, -1],
    [1, 1],
    [-1, 1],
  ];
  return quad.map(([x, y], i) => {
    const [su, sn] = signs[i] as [number, number];
    return [x + distance * (su * ux + sn * nx), y + distance * (su * uy + sn * ny)];
  }) as Quad;
}
