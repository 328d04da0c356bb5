// The spec editor's pure parts (safe in the browser): which lines carry an issue, where the caret
// goes when an issue is clicked, and how an issue reads in the list.
import type { ValidationIssue } from "./validation";

/** What /experiments/new offers when no shipped drill is picked as a template. */
export const BLANK_SPEC = `# An experiment: targets, dataset, load, phases with their faults, and the SLOs that judge them.
name: my-drill
description: What this drill asks of the candidate.
targets:
  - { name: candidate, model: ppocr-v4-rec, role: candidate }
  - { name: baseline, model: ppocr-v4-rec-int8, role: baseline }
dataset:
  name: textline-v1
  limit: 100
load:
  arrival: constant
  rate: 5
  maxInFlight: 16
  timeoutMs: 5000
  seed: 1
phases:
  - { name: steady, durationSeconds: 20 }
  - name: fault
    durationSeconds: 20
    faults:
      - { type: latency, latencyMs: 200 }
hypothesis:
  - phase: "*"
    slos: ["success_rate>=0.99", "p(99)<1000 ~ <2000"]
`;

export function lineCountOf(text: string): number {
  let lines = 1;
  for (let index = text.indexOf("\n"); index !== -1; index = text.indexOf("\n", index + 1)) lines += 1;
  return lines;
}

/** Line number → the issues located on it. Issues without a line are not on any; lines past the end are clamped. */
export function issuesByLine(
  issues: readonly ValidationIssue[],
  lineCount: number,
): Map<number, ValidationIssue[]> {
  const byLine = new Map<number, ValidationIssue[]>();
  for (const issue of issues) {
    if (issue.line === null) continue;
    const line = Math.min(Math.max(1, issue.line), Math.max(1, lineCount));
    byLine.set(line, [...(byLine.get(line) ?? []), issue]);
  }
  return byLine;
}

/** The character offset of 1-based `line`:`column` in `text`, clamped to the line and the text. */
export function offsetAt(text: string, line: number, column = 1): number {
  let start = 0;
  for (let current = 1; current < line; current += 1) {
    const next = text.indexOf("\n", start);
    if (next === -1) return text.length;
    start = next + 1;
  }
  const end = text.indexOf("\n", start);
  const lineEnd = end === -1 ? text.length : end;
  return Math.min(start + Math.max(0, column - 1), lineEnd);
}

/** "phases[2].faults[0].latencyMs: must be 0 or more" (the path is left out when empty). */
export function describeIssue(issue: ValidationIssue): string {
  return issue.path ? `${issue.path}: ${issue.message}` : issue.message;
}

/** "line 12, column 7" or "" when the issue has no position. */
export function describePosition(issue: ValidationIssue): string {
  if (issue.line === null) return "";
  return issue.column === null ? `line ${issue.line}` : `line ${issue.line}, column ${issue.column}`;
}

export const INDENT = "  ";

export interface Edit {
  text: string;
  selectionStart: number;
  selectionEnd: number;
}

/**
 * Tab and Shift+Tab in the spec editor (YAML indents with spaces, never tabs). A caret or a
 * selection within one line gets two spaces at the caret (Tab) or loses up to two leading spaces
 * (Shift+Tab); a selection over several lines indents or outdents every line it touches.
 */
export function indentSelection(text: string, start: number, end: number, outdent: boolean): Edit {
  const lineStart = text.lastIndexOf("\n", start - 1) + 1;
  const multiline = text.slice(start, end).includes("\n");
  if (!outdent && !multiline) {
    return {
      text: text.slice(0, start) + INDENT + text.slice(end),
      selectionStart: start + INDENT.length,
      selectionEnd: start + INDENT.length,
    };
  }
  // A selection ending at the start of a line does not touch that line.
  const blockEnd = multiline && end > start && text[end - 1] === "\n" ? end - 1 : end;
  const lineEndIndex = text.indexOf("\n", blockEnd);
  const blockStop = lineEndIndex === -1 ? text.length : lineEndIndex;
  const lines = text.slice(lineStart, blockStop).split("\n");
  let removedBeforeStart = 0;
  let changed = 0;
  const edited = lines.map((line, index) => {
    if (!outdent) {
      changed += INDENT.length;
      return INDENT + line;
    }
    const removable = line.length - line.replace(/^ {1,2}/, "").length;
    if (index === 0) removedBeforeStart = Math.min(removable, start - lineStart);
    changed -= removable;
    return line.slice(removable);
  });
  const firstShift = outdent ? -removedBeforeStart : INDENT.length;
  return {
    text: text.slice(0, lineStart) + edited.join("\n") + text.slice(blockStop),
    selectionStart: Math.max(lineStart, start + firstShift),
    selectionEnd: Math.max(lineStart, end + changed),
  };
}
