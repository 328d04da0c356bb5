// The spec editor's gutter marks and caret moves.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  describeIssue,
  describePosition,
  indentSelection,
  issuesByLine,
  lineCountOf,
  offsetAt,
} from "./editor";
import type { ValidationIssue } from "./validation";

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

describe("indentSelection", () => {
  const apply = (text: string, start: number, end: number, outdent = false) =>
    indentSelection(text, start, end, outdent);

  it("inserts two spaces at the caret, replacing a selection within one line", () => {
    assert.deepEqual(apply("a: 1", 0, 0), { text: "  a: 1", selectionStart: 2, selectionEnd: 2 });
    assert.deepEqual(apply("a: 1", 1, 3), { text: "a  1", selectionStart: 3, selectionEnd: 3 });
  });

  it("indents and outdents every line a selection touches, keeping it selected", () => {
    const text = "phases:\n- name: a\n- name: b\nend";
    const start = text.indexOf("- name: a");
    const end = text.indexOf("b") + 1;
    const indented = apply(text, start, end);
    assert.equal(indented.text, "phases:\n  - name: a\n  - name: b\nend");
    assert.equal(
      indented.text.slice(indented.selectionStart, indented.selectionEnd),
      "- name: a\n  - name: b",
    );
    const back = apply(indented.text, indented.selectionStart, indented.selectionEnd, true);
    assert.equal(back.text, text);
    assert.equal(back.text.slice(back.selectionStart, back.selectionEnd), "- name: a\n- name: b");
  });

  it("outdents the caret's line by at most two spaces, and leaves an unindented line alone", () => {
    assert.deepEqual(apply("    a: 1", 6, 6, true), { text: "  a: 1", selectionStart: 4, selectionEnd: 4 });
    assert.deepEqual(apply(" a: 1", 3, 3, true), { text: "a: 1", selectionStart: 2, selectionEnd: 2 });
    assert.deepEqual(apply("a: 1", 2, 2, true), { text: "a: 1", selectionStart: 2, selectionEnd: 2 });
  });

  it("does not touch the line after a selection that ends at its start", () => {
    const text = "a: 1\nb: 2\nc: 3";
    const edit = apply(text, 0, text.indexOf("c"));
    assert.equal(edit.text, "  a: 1\n  b: 2\nc: 3");
  });

  it("never uses a tab character", () => {
    assert.ok(!apply("x", 0, 1).text.includes("\t"));
  });
});
