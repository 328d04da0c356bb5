// The editor's live validation: issues located at their line and column, bounded bodies, both formats.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { describe, it } from "node:test";
import { AppError } from "../../../kernel/errors";
import { BLANK_SPEC } from "./editor";
import {
  MAX_SPEC_BODY_BYTES,
  readBoundedText,
  readSpecBody,
  specFormatOf,
  validateSpecText,
} from "./validation";

const post = (body: string | ReadableStream<Uint8Array>, headers: Record<string, string> = {}) =>
  new Request("http://localhost/api/v1/experiments/validate", {
    method: "POST",
    body,
    headers,
    ...(typeof body === "string" ? {} : { duplex: "half" }),
  } as RequestInit);

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof AppError, String(error));
    return error;
  }
  assert.fail("it was accepted");
}

describe("validateSpecText", () => {
  it("accepts the shipped latency drill and returns the parsed spec", async () => {
    const answer = validateSpecText(await readFile("experiments/latency-drill.yaml", "utf8"), "yaml");
    assert.equal(answer.valid, true);
    assert.deepEqual(answer.issues, []);
    assert.equal(answer.spec?.name, "latency-drill");
    assert.equal(answer.spec?.load.durationSeconds, 60);
  });

  it("accepts the editor's blank spec", () => {
    assert.equal(validateSpecText(BLANK_SPEC, "yaml").valid, true);
  });

  it("locates a bad field at its line and column, with its path", () => {
    const text = BLANK_SPEC.replace("latencyMs: 200", "latencyMs: -5");
    const line = text.split("\n").findIndex((row) => row.includes("latencyMs: -5")) + 1;
    const answer = validateSpecText(text, "yaml");
    assert.equal(answer.valid, false);
    assert.equal(answer.spec, undefined);
    assert.deepEqual(answer.issues, [
      {
        path: "phases[1].faults[0].latencyMs",
        message: "must be 0 or more",
        line,
        column: (text.split("\n")[line - 1] ?? "").indexOf("latencyMs") + 1,
      },
    ]);
  });

  it("reports every issue, unknown fields included", () => {
    const text = BLANK_SPEC.replace("  rate: 5\n", "  rate: 0\n  burst: 3\n");
    const answer = validateSpecText(text, "yaml");
    assert.deepEqual(answer.issues.map((issue) => issue.path).sort(), ["load.burst", "load.rate"]);
    assert.ok(answer.issues.every((issue) => issue.line !== null));
  });

  it("reports a YAML syntax error and an empty spec at a line", () => {
    const syntax = validateSpecText("name: x\ntargets: [\n", "yaml");
    assert.equal(syntax.valid, false);
    assert.match(syntax.issues[0]?.message ?? "", /^YAML: /);
    assert.ok((syntax.issues[0]?.line ?? 0) >= 2);
    const empty = validateSpecText("", "yaml");
    assert.deepEqual(empty.issues, [{ path: "", message: "the spec is empty", line: 1, column: 1 }]);
  });

  it("validates JSON and locates its errors in the JSON text", () => {
    const answer = validateSpecText('{\n  "name": "x",\n  "targets": 3\n}', "json");
    assert.equal(answer.valid, false);
    const targets = answer.issues.find((issue) => issue.path === "targets");
    assert.equal(targets?.line, 3);
  });
});

describe("reading the body", () => {
  it("takes YAML for the YAML types and text/plain, JSON otherwise", () => {
    assert.equal(specFormatOf("application/yaml"), "yaml");
    assert.equal(specFormatOf("text/plain;charset=UTF-8"), "yaml");
    assert.equal(specFormatOf("application/json"), "json");
    assert.equal(specFormatOf(null), "json");
  });

  it("reads a body within the limit", async () => {
    const body = await readSpecBody(post("name: x\n", { "content-type": "application/yaml" }));
    assert.deepEqual(body, { text: "name: x\n", format: "yaml" });
  });

  it("refuses a body over the limit with 413, declared or streamed", async () => {
    const big = "#".repeat(MAX_SPEC_BODY_BYTES + 1);
    const declared = await rejection(readBoundedText(post(big)));
    assert.equal(declared.status, 413);
    assert.equal(declared.code, "body_too_large");
    const chunk = new Uint8Array(64 * 1024).fill(35);
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent += chunk.byteLength;
        controller.enqueue(chunk);
        if (sent > 1024 * 1024) controller.close();
      },
    });
    const streamed = await rejection(readBoundedText(post(stream)));
    assert.equal(streamed.status, 413);
    assert.ok(sent < 1024 * 1024, "stopped reading once over the limit");
  });

  it("refuses a body that is not UTF-8", async () => {
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new Uint8Array([0xff, 0xfe, 0x00]));
        controller.close();
      },
    });
    const error = await rejection(readBoundedText(post(stream)));
    assert.equal(error.status, 400);
    assert.equal(error.code, "invalid_encoding");
  });
});
