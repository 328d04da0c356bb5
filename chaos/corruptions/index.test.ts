import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AppError } from "../../kernel/errors";
import {
  applyCorruption,
  applyTextTypos,
  CORRUPTIONS,
  CorruptionName,
  IMAGE_CORRUPTIONS,
  type Severity,
} from "./index";
import { rotateImage } from "./rotation";
import { sceneImage, textLineImage } from "./test-support";

const RANDOM_CORRUPTIONS = new Set(["gaussian_noise", "occlusion", "rotation"]);

describe("corruption registry", () => {
  it("lists the eight image corruptions, each registered and accepted by the schema", () => {
    assert.deepEqual([...IMAGE_CORRUPTIONS].sort(), [
      "brightness",
      "contrast",
      "gaussian_blur",
      "gaussian_noise",
      "jpeg",
      "occlusion",
      "pixelate",
      "rotation",
    ]);
    for (const name of IMAGE_CORRUPTIONS) {
      assert.equal(typeof CORRUPTIONS[name], "function");
      assert.equal(CorruptionName.parse(name), name);
    }
    assert.equal(CorruptionName.safeParse("motion_blur").success, false);
  });

  it("gives the same bytes for the same (image, name, severity, seed), numeric or string seed", async () => {
    const line = textLineImage();
    for (const name of IMAGE_CORRUPTIONS) {
      for (const seed of [42, "run-7:item-3"]) {
        const first = await applyCorruption(name, line, 4, seed);
        const second = await applyCorruption(name, line, 4, seed);
        assert.deepEqual(first.data, second.data, name);
      }
    }
  });

  it("varies with the seed exactly for the corruptions that draw random numbers", async () => {
    const scene = sceneImage();
    for (const name of IMAGE_CORRUPTIONS) {
      const outputs = await Promise.all([1, 2, 3, 4].map((seed) => applyCorruption(name, scene, 2, seed)));
      const distinct = new Set(outputs.map((output) => Buffer.from(output.data).toString("base64"))).size;
      if (RANDOM_CORRUPTIONS.has(name)) assert.ok(distinct >= 2, name);
      else assert.equal(distinct, 1, name);
    }
  });

  it("pairs severities: one seed turns the same way at every severity", async () => {
    const line = textLineImage();
    for (let seed = 1; seed <= 8; seed += 1) {
      const mild = await applyCorruption("rotation", line, 1, seed);
      const strong = await applyCorruption("rotation", line, 5, seed);
      const counterClockwise = Buffer.from(mild.data).equals(Buffer.from(rotateImage(line, 1).data));
      assert.ok(counterClockwise || Buffer.from(mild.data).equals(Buffer.from(rotateImage(line, -1).data)));
      assert.ok(
        Buffer.from(strong.data).equals(Buffer.from(rotateImage(line, counterClockwise ? 9 : -9).data)),
      );
    }
  });

  it("rejects unknown names and bad severities with AppErrors", async () => {
    const line = textLineImage();
    await assert.rejects(
      applyCorruption("motion_blur" as CorruptionName, line, 1, 1),
      (error: unknown) => error instanceof AppError && error.code === "unknown_corruption",
    );
    await assert.rejects(
      applyCorruption("jpeg", line, 7 as Severity, 1),
      (error: unknown) => error instanceof AppError && error.code === "invalid_severity",
    );
  });

  it("applies text typos reproducibly from a seed", () => {
    const question = "How many people are standing next to the red bus?";
    assert.equal(applyTextTypos(question, 5, "s"), applyTextTypos(question, 5, "s"));
    assert.notEqual(applyTextTypos(question, 5, "s"), question);
  });
});
