// The spec editor's gutter marks and caret moves.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { describeIssue, describePosition, issuesByLine, lineCountOf, offsetAt } from "./experiments-editor";
import type { ValidationIssue } from "./experiments-validation";

const issue = (line: number | null, path = "load.rate", column: number | null = 3): ValidationIssue => ({
  path,
  message: "must be more than 0",
  line,
  column,
});

describe("issuesByLine", () => {
  it("groups issues by line, leaves out those without one and clamps those past the end", () => {
    const byLine = issuesByLine([issue(2), issue(2, "load.burst"), issue(null), issue(99)], 5);
    assert.deepEqual([...byLine.keys()].sort(), [2, 5]);
    assert.equal(byLine.get(2)?.length, 2);
    assert.equal(byLine.get(5)?.[0]?.line, 99);
  });
});

describe("offsetAt", () => {
  const text = "name: x\nload:\n  rate: 0\n";
  it("finds the caret offset of a line and column", () => {
    assert.equal(offsetAt(text, 1, 1), 0);
    assert.equal(offsetAt(text, 3, 3), text.indexOf("rate"));
  });
  it("clamps a column past the line's end and a line past the text's end", () => {
    assert.equal(offsetAt(text, 2, 40), text.indexOf("\n  rate"));
    assert.equal(offsetAt(text, 10, 1), text.length);
  });
});

describe("describing issues", () => {
  it("reads path, message and position", () => {
    assert.equal(describeIssue(issue(3)), "load.rate: must be more than 0");
    assert.equal(describeIssue(issue(3, "")), "must be more than 0");
    assert.equal(describePosition(issue(3)), "line 3, column 3");
    assert.equal(describePosition(issue(3, "x", null)), "line 3");
    assert.equal(describePosition(issue(null)), "");
  });
  it("counts lines", () => {
    assert.equal(lineCountOf(""), 1);
    assert.equal(lineCountOf("a\nb\n"), 3);
  });
});
