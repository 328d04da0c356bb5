import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseEvalArgs } from "./options";

describe("parseEvalArgs", () => {
  it("reads the documented command line", () => {
    const options = parseEvalArgs([
      "--models",
      "a,b, c",
      "--dataset",
      "textline-v1",
      "--corruptions",
      "all",
      "--json",
      "out.json",
    ]);
    assert.deepEqual(options.models, ["a", "b", "c"]);
    assert.equal(options.corruptions.length, 8);
    assert.deepEqual(options.severities, [1, 2, 3, 4, 5]);
    assert.equal(options.json, "out.json");
  });

  it("accepts --name=value, a corruption subset, severities and a limit", () => {
    const options = parseEvalArgs([
      "--models=a",
      "--corruptions=gaussian_blur,jpeg",
      "--severities=1,5",
      "--limit=20",
    ]);
    assert.deepEqual(options.corruptions, ["gaussian_blur", "jpeg"]);
    assert.deepEqual(options.severities, [1, 5]);
    assert.equal(options.limit, 20);
    assert.equal(options.dataset, "textline-v1");
  });

  it("explains mistakes in one sentence naming the option", () => {
    assert.throws(() => parseEvalArgs([]), /--models/);
    assert.throws(() => parseEvalArgs(["--models", "a", "--corruptions", "fog"]), /--corruptions\.0/);
    assert.throws(() => parseEvalArgs(["--models", "a", "--severities", "7"]), /--severities/);
    assert.throws(() => parseEvalArgs(["--models", "a", "--colour", "red"]), /Unknown option --colour/);
    assert.throws(() => parseEvalArgs(["--models"]), /--models needs a value/);
  });
});
