import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { AppError } from "../../kernel/errors";
import { loadSpecFile, parseSpecText } from "./load-spec";
import { specSha256 } from "./spec";

// Line numbers matter below: latencyMs is on line 17 (column 26), the second target on line 4.
const SMALL_YAML = `name: small drill
targets:
  - { name: a, model: ppocr-v4-int8, role: candidate }
  - { name: b, model: ppocr-v4, role: baseline }
dataset: { name: textline-v1 }
load: &load
  arrival: constant
  rate: 5
  maxInFlight: 8
  timeoutMs: 2000
  seed: 7
phases:
  - { name: steady, durationSeconds: 5 }
  - name: fault
    durationSeconds: 5
    faults:
      - { type: latency, latencyMs: 100 }
hypothesis:
  - slos: [success_rate>=0.99, "p(99)<500 ~ <1000"]
`;

let dir = "";
before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "faultline-spec-"));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function specFile(name: string, text: string): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, text);
  return file;
}

/** The invalid_spec error `load` rejects with. */
async function rejection(load: Promise<unknown>): Promise<AppError> {
  try {
    await load;
  } catch (error) {
    assert.ok(error instanceof AppError, `expected an AppError, got ${String(error)}`);
    return error;
  }
  assert.fail("the spec was accepted");
}

const firstIssue = (error: AppError) =>
  (error.details as { issues: { path: string; message: string; line?: number; column?: number }[] })
    .issues[0];

describe("loadSpecFile", () => {
  it("loads a YAML spec and the same spec written as JSON to one version", async () => {
    const fromYaml = await loadSpecFile(await specFile("drill.yaml", SMALL_YAML));
    assert.equal(fromYaml.load.durationSeconds, 10);
    assert.equal(fromYaml.phases[1]?.faults[0]?.type, "latency");
    const fromJson = await loadSpecFile(await specFile("drill.json", JSON.stringify(fromYaml, null, 2)));
    assert.equal(specSha256(fromJson), specSha256(fromYaml));
    const fromYml = await loadSpecFile(await specFile("drill.yml", SMALL_YAML));
    assert.equal(specSha256(fromYml), specSha256(fromYaml));
  });

  it("takes YAML anchors and merge keys", async () => {
    const inline = SMALL_YAML.replace(
      "- { type: latency, latencyMs: 100 }",
      "- &slow { type: latency, latencyMs: 100 }\n      - { <<: *slow, latencyMs: 300, probability: 0.5 }",
    );
    const spec = await loadSpecFile(await specFile("anchors.yaml", inline));
    const faults = spec.phases[1]?.faults ?? [];
    assert.deepEqual(
      faults.map((fault) => fault.type === "latency" && [fault.latencyMs, fault.probability]),
      [
        [100, 1],
        [300, 0.5],
      ],
    );
  });

  it("locates a validation error at the field's line and column", async () => {
    const file = await specFile("negative.yaml", SMALL_YAML.replace("latencyMs: 100", "latencyMs: -1"));
    const error = await rejection(loadSpecFile(file));
    assert.equal(error.code, "invalid_spec");
    assert.equal(
      error.message,
      `Invalid experiment spec: ${file}:17:26: phases[1].faults[0].latencyMs: must be 0 or more.`,
    );
    assert.deepEqual(firstIssue(error), {
      path: "phases[1].faults[0].latencyMs",
      message: "must be 0 or more",
      line: 17,
      column: 26,
    });
  });

  it("locates a missing field at the object that lacks it", async () => {
    const file = await specFile("no-role.yaml", SMALL_YAML.replace(", role: baseline }", " }"));
    const error = await rejection(loadSpecFile(file));
    assert.equal(error.message, `Invalid experiment spec: ${file}:4:5: targets[1].role: is required.`);
  });

  it("reports YAML syntax errors with line and column", async () => {
    const file = await specFile("broken.yaml", SMALL_YAML.replace("  rate: 5", "  rate: [5"));
    const error = await rejection(loadSpecFile(file));
    assert.equal(error.code, "invalid_spec");
    assert.match(error.message, new RegExp(`^Invalid experiment spec: ${file}:9:\\d+: YAML: `));
    assert.equal(firstIssue(error)?.line, 9);
  });

  it("reports duplicate keys, which YAML would otherwise resolve silently", async () => {
    const file = await specFile("twice.yaml", SMALL_YAML.replace("  seed: 7", "  seed: 7\n  seed: 8"));
    const error = await rejection(loadSpecFile(file));
    assert.match(error.message, /twice\.yaml:12:3: YAML: Map keys must be unique/);
  });

  it("reports JSON syntax errors with line and column", async () => {
    const file = await specFile("broken.json", '{\n  "name": "x",\n  "targets" []\n}\n');
    const error = await rejection(loadSpecFile(file));
    assert.match(
      error.message,
      new RegExp(`^Invalid experiment spec: ${file}:3:13: JSON: Unexpected token '\\['\\.$`),
    );
    const trailing = await rejection(loadSpecFile(await specFile("trailing.json", '{\n  "name": "x",\n}\n')));
    assert.match(trailing.message, /trailing\.json:3:1: JSON: Expected double-quoted property name\.$/);
  });

  it("locates validation errors in JSON too", async () => {
    const spec = JSON.parse(JSON.stringify(await loadSpecFile(await specFile("ok.yaml", SMALL_YAML))));
    spec.load.timeoutMs = 0;
    const file = await specFile("zero.json", JSON.stringify(spec, null, 2));
    const error = await rejection(loadSpecFile(file));
    const line =
      JSON.stringify(spec, null, 2)
        .split("\n")
        .findIndex((text) => text.includes('"timeoutMs"')) + 1;
    assert.equal(
      error.message,
      `Invalid experiment spec: ${file}:${line}:5: load.timeoutMs: must be 1 or more.`,
    );
  });

  it("says so when the file is empty, missing or of another kind", async () => {
    const empty = await rejection(loadSpecFile(await specFile("empty.yaml", "\n# nothing\n")));
    assert.match(empty.message, /empty\.yaml:1:1: the spec is empty/);
    const missing = await rejection(loadSpecFile(path.join(dir, "nope.yaml")));
    assert.equal(missing.code, "spec_not_found");
    assert.equal(missing.status, 404);
    const toml = await rejection(loadSpecFile(await specFile("drill.toml", "name = 'x'")));
    assert.match(toml.message, /must end in \.yaml, \.yml or \.json/);
  });
});

describe("parseSpecText", () => {
  it("names its source in messages", () => {
    assert.throws(
      () => parseSpecText("name: [", "yaml", "request body"),
      /^AppError: Invalid experiment spec: request body:1:\d+: YAML: /,
    );
  });
});
