// A stored spec written back as YAML must parse to the very same spec (same sha256).
import assert from "node:assert/strict";
import { readdir } from "node:fs/promises";
import { describe, it } from "node:test";
import { loadSpecFile, parseSpecText } from "../../experiments/load-spec";
import { specSha256 } from "../../experiments/spec";
import { specToYaml } from "./yaml";

/** PostgreSQL's jsonb returns keys shortest first: the YAML must not depend on the stored order. */
function jsonbOrder(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(jsonbOrder);
  if (typeof value !== "object" || value === null) return value;
  const entries = Object.entries(value).sort(([a], [b]) => a.length - b.length || (a < b ? -1 : 1));
  return Object.fromEntries(entries.map(([key, item]) => [key, jsonbOrder(item)]));
}

describe("specToYaml", () => {
  it("round-trips every shipped drill to the same spec", async () => {
    const files = (await readdir("experiments")).filter((file) => file.endsWith(".yaml"));
    assert.ok(files.length >= 3);
    for (const file of files) {
      const spec = await loadSpecFile(`experiments/${file}`);
      const yaml = specToYaml(jsonbOrder(JSON.parse(JSON.stringify(spec))));
      assert.equal(specSha256(parseSpecText(yaml, "yaml")), specSha256(spec), file);
    }
  });

  it("puts the keys in the drills' order, SLOs as thresholds and short items on one line", async () => {
    const spec = await loadSpecFile("experiments/latency-drill.yaml");
    const yaml = specToYaml(jsonbOrder(JSON.parse(JSON.stringify(spec))));
    const topKeys = yaml
      .split("\n")
      .filter((line) => /^[a-zA-Z]+:/.test(line))
      .map((line) => line.split(":")[0]);
    assert.deepEqual(topKeys, [
      "name",
      "description",
      "targets",
      "dataset",
      "load",
      "phases",
      "hypothesis",
      "stopConditions",
    ]);
    assert.match(yaml, /^ {2}- \{ name: fp32, model: ppocr-v4-rec, role: candidate \}$/m);
    assert.match(yaml, /p\(99\)<250 ~ <500/);
    assert.doesNotMatch(yaml, /metric:/);
  });
});
