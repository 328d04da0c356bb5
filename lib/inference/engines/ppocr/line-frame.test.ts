import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { RawImage } from "../../types";
import { findInk, frameDetectedLine, frameLine } from "./line-frame";

function solid(width: number, height: number, rgb: [number, number, number]): RawImage {
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < width * height; i++) data.set(rgb, i * 3);
  return { data, width, height };
}

/** White image with a black box standing in for text. */
function textLike(width: number, height: number, box: { x0: number; y0: number; x1: number; y1: number }) {
  const image = solid(width, height, [255, 255, 255]);
  for (let y = box.y0; y <= box.y1; y++) {
    for (let x = box.x0; x <= box.x1; x++) image.data.fill(0, (y * width + x) * 3, (y * width + x) * 3 + 3);
  }
  return image;
}

describe("findInk and frameLine", () => {
  it("finds the text's box and the background colour", () => {
    const ink = findInk(textLike(100, 40, { x0: 10, y0: 12, x1: 80, y1: 25 }));
    assert.deepEqual(ink, { left: 10, top: 12, right: 80, bottom: 25, background: [255, 255, 255] });
  });

  it("is not stretched by isolated specks", () => {
    const image = textLike(100, 40, { x0: 10, y0: 12, x1: 80, y1: 25 });
    for (const [x, y] of [
      [2, 2],
      [95, 37],
      [50, 35],
    ] as const) {
      image.data.fill(0, (y * 100 + x) * 3, (y * 100 + x) * 3 + 3);
    }
    const ink = findInk(image);
    assert.deepEqual(ink && [ink.left, ink.top, ink.right, ink.bottom], [10, 12, 80, 25]);
  });

  it("pads a tight line and crops a loose one to the same framing", () => {
    // "Letters": 2-px bars every 8 px over 58×10 px, touching every edge of the tight image.
    const bars = (image: RawImage, left: number, top: number) => {
      for (let y = top; y < top + 10; y++) {
        for (let x = left; x < left + 58; x++) {
          if ((x - left) % 8 < 2)
            image.data.fill(0, (y * image.width + x) * 3, (y * image.width + x) * 3 + 3);
        }
      }
      return image;
    };
    const tight = frameLine(bars(solid(58, 10, [255, 255, 255]), 0, 0), 0.5);
    assert.deepEqual([tight.width, tight.height], [68, 20]);
    assert.deepEqual([...tight.data.subarray(0, 3)], [255, 255, 255], "padding takes the background colour");
    const loose = frameLine(bars(solid(300, 200, [255, 255, 255]), 100, 80), 0.5);
    assert.deepEqual([loose.width, loose.height], [68, 20]);
    assert.deepEqual(loose.data, tight.data);
  });

  it("leaves blank or low-contrast images as they are", () => {
    const blank = solid(50, 20, [200, 200, 200]);
    assert.equal(frameLine(blank, 0.5), blank);
    const faint = textLike(50, 20, { x0: 5, y0: 5, x1: 40, y1: 12 });
    for (let i = 0; i < faint.data.length; i++)
      faint.data[i] = 230 + Math.round(((faint.data[i] ?? 0) / 255) * 25);
    assert.equal(frameLine(faint, 0.5), faint);
  });
});

describe("frameDetectedLine", () => {
  /** A detected line: "text" 40×12 at (20, 30) in a 80×70 crop whose core box cuts its top. */
  function detected() {
    const crop = solid(80, 70, [250, 250, 240]);
    const paint = (x0: number, y0: number, x1: number, y1: number) => {
      for (let y = y0; y <= y1; y++) {
        for (let x = x0; x <= x1; x++) crop.data.set([10, 10, 60], (y * 80 + x) * 3);
      }
    };
    paint(20, 30, 59, 41); // the line
    paint(15, 0, 64, 4); // the bottom of the line above
    paint(15, 66, 64, 69); // the top of the line below
    paint(64, 30, 70, 41); // the next word of the same row, past a gap
    return { crop, paint };
  }

  it("recovers glyph parts the detector cut off and leaves neighbouring lines out", () => {
    const { crop } = detected();
    const framed = frameDetectedLine(crop, { left: 18, top: 33, right: 61, bottom: 44 }, 0.5);
    // Ink 40×12 → margin 6 on every side, background from the crop's edge.
    assert.deepEqual([framed.width, framed.height], [52, 24]);
    assert.deepEqual([...framed.data.subarray(0, 3)], [250, 250, 240]);
    const at = (x: number, y: number) => [...framed.data.subarray((y * 52 + x) * 3, (y * 52 + x) * 3 + 3)];
    assert.deepEqual(at(6, 6), [10, 10, 60], "the cut-off top row is back");
    assert.deepEqual(at(26, 2), [250, 250, 240], "nothing of the line above");
    assert.deepEqual(at(26, 21), [250, 250, 240], "nothing of the line below");
    assert.deepEqual(at(51, 12), [250, 250, 240], "nothing of the next word");
  });

  it("falls back to the detector's box when the crop has no clear ink", () => {
    const crop = solid(40, 20, [200, 200, 200]);
    const framed = frameDetectedLine(crop, { left: 5, top: 5, right: 34, bottom: 14 }, 0.5);
    assert.deepEqual([framed.width, framed.height], [30, 10]);
  });
});

describe("frameLine under faults", () => {
  /** 2-px bars every 8 px over 200 × 12 px, turned by `degrees` about (130, 50), on white. */
  function barsLine(degrees: number, blob = false): RawImage {
    const image = solid(260, 100, [255, 255, 255]);
    const turn = (degrees * Math.PI) / 180;
    for (let y = 0; y < 100; y++) {
      for (let x = 0; x < 260; x++) {
        // Sample the level line at the point that turning (x, y) back lands on.
        const u = (x - 130) * Math.cos(turn) + (y - 50) * Math.sin(turn) + 100;
        const v = -(x - 130) * Math.sin(turn) + (y - 50) * Math.cos(turn) + 6;
        const ink = u >= 0 && u < 200 && v >= 0 && v < 12 && Math.floor(u) % 8 < 2;
        const stain = blob && x >= 10 && x < 25 && y >= 82 && y < 97;
        if (ink || stain) image.data.fill(0, (y * 260 + x) * 3, (y * 260 + x) * 3 + 3);
      }
    }
    return image;
  }

  it("straightens a skewed line instead of taking its tilt for tall text", () => {
    const level = frameLine(barsLine(0), 0.5);
    const skewed = frameLine(barsLine(6), 0.5);
    // Level: 12 px of ink + 2 × 6 px. Tilted by 6° the box would be ~33 px tall (+ 2 × 17).
    assert.equal(level.height, 24);
    assert.ok(Math.abs(skewed.height - level.height) <= 3, `height ${skewed.height}`);
  });

  it("does not let a stain apart from the text stretch the frame", () => {
    assert.equal(frameLine(barsLine(0, true), 0.5).height, 24);
  });

  it("leaves an image alone when noise rivals the ink", () => {
    // Grey paper, so that the noise is not clipped away on the bright side.
    const image = barsLine(0);
    for (let i = 0; i < image.data.length; i++) if (image.data[i] === 255) image.data[i] = 180;
    let seed = 7;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let i = 0; i < image.data.length; i++) {
      image.data[i] = Math.max(0, Math.min(255, (image.data[i] ?? 0) + Math.round((next() - 0.5) * 200)));
    }
    assert.equal(frameLine(image, 0.5), image);
  });
});
