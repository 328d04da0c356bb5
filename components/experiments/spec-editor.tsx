"use client";

import { useRouter } from "next/navigation";
import {
  type KeyboardEvent,
  useCallback,
  useEffect,
  useId,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
} from "react";
import { type ApiResult, callApi } from "@/components/api/api-call";
import { ApiFailure } from "@/components/api/api-failure";
import {
  describeIssue,
  describePosition,
  indentSelection,
  issuesByLine,
  lineCountOf,
  offsetAt,
} from "@/lib/dashboard/experiments/editor";
import type { ValidationAnswer, ValidationIssue } from "@/lib/dashboard/experiments/validation";
import styles from "./experiments.module.css";
import { launchRun, saveSpec } from "./launch-button";

const VALIDATE_DELAY_MS = 300;
const LINE_HEIGHT_PX = 20;

type Failure = Extract<ApiResult<unknown>, { ok: false }>;

interface Validation {
  /** The text this answer is for: an answer for older text never enables Save. */
  text: string;
  answer: ValidationAnswer;
}

/**
 * The YAML spec editor: a textarea with a line gutter, validated live (debounced) by
 * POST /api/v1/experiments/validate. Lines with issues are marked in the gutter and behind the
 * text; clicking an issue puts the caret on it. Save and Launch wait for a valid spec.
 */
export function SpecEditor({
  initialText,
  editing,
  existing,
  saveDenied = null,
}: {
  initialText: string;
  /** The experiment being edited (its page), or null on /experiments/new. */
  editing: { id: string; name: string; version: number } | null;
  /** Saved experiments by name: saving a spec with one of these names adds a version to it. */
  existing: Record<string, { id: string; version: number }>;
  /** Why this viewer may not save or launch (validation still works), or null when they may. */
  saveDenied?: string | null;
}) {
  const router = useRouter();
  const [text, setText] = useState(initialText);
  const [validation, setValidation] = useState<Validation | null>(null);
  const [validationFailure, setValidationFailure] = useState<Failure | null>(null);
  const [busy, setBusy] = useState<"save" | "launch" | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const textarea = useRef<HTMLTextAreaElement>(null);
  const gutter = useRef<HTMLDivElement>(null);
  const marks = useRef<HTMLDivElement>(null);
  const stateId = useId();
  const keysId = useId();
  /** Escape hands the next Tab back to the browser, so the keyboard can leave the editor. */
  const tabLeaves = useRef(false);
  const pendingSelection = useRef<[number, number] | null>(null);

  // Put the caret back after an indent, once setText has re-rendered the textarea with the new
  // value (after every render: a no-op unless an indent left a selection to restore).
  useLayoutEffect(() => {
    const selection = pendingSelection.current;
    if (!selection || !textarea.current) return;
    pendingSelection.current = null;
    textarea.current.setSelectionRange(selection[0], selection[1]);
  });

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === "Escape") {
      tabLeaves.current = true;
      return;
    }
    const leave = tabLeaves.current;
    tabLeaves.current = false;
    if (event.key !== "Tab" || leave || event.altKey || event.ctrlKey || event.metaKey) return;
    event.preventDefault();
    const area = event.currentTarget;
    const edit = indentSelection(text, area.selectionStart, area.selectionEnd, event.shiftKey);
    if (edit.text === text) return;
    pendingSelection.current = [edit.selectionStart, edit.selectionEnd];
    setText(edit.text);
    setNotice(null);
  }

  useEffect(() => {
    const controller = new AbortController();
    const timer = setTimeout(async () => {
      try {
        const result = await callApi<ValidationAnswer>("/api/v1/experiments/validate", {
          method: "POST",
          body: text,
          contentType: "application/yaml",
          signal: controller.signal,
        });
        if (result.ok) {
          setValidation({ text, answer: result.data });
          setValidationFailure(null);
        } else setValidationFailure(result);
      } catch {
        // Aborted: a newer edit is being validated.
      }
    }, VALIDATE_DELAY_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [text]);

  const checking = validation?.text !== text;
  const answer = validation?.answer ?? null;
  const issues = answer?.issues ?? [];
  const lineCount = lineCountOf(text);
  const lines = useMemo(() => Array.from({ length: lineCount }, (_, index) => index + 1), [lineCount]);
  const marked = useMemo(() => issuesByLine(issues, lineCount), [issues, lineCount]);
  const valid = !checking && answer?.valid === true;
  const specName = valid ? (answer?.spec?.name ?? null) : null;
  const target = specName ? existing[specName] : undefined;

  const syncScroll = useCallback(() => {
    const area = textarea.current;
    if (!area) return;
    const offset = `translateY(${-area.scrollTop}px)`;
    if (gutter.current) gutter.current.style.transform = offset;
    if (marks.current) marks.current.style.transform = offset;
  }, []);

  function goTo(issue: ValidationIssue) {
    const area = textarea.current;
    if (!area || issue.line === null) return;
    const start = offsetAt(text, issue.line, issue.column ?? 1);
    const token = /^[^\s:,{}[\]]+/.exec(text.slice(start))?.[0] ?? "";
    area.focus();
    area.setSelectionRange(start, start + token.length);
    area.scrollTop = Math.max(0, (issue.line - 1) * LINE_HEIGHT_PX - area.clientHeight / 3);
    syncScroll();
  }

  async function save(thenLaunch: boolean) {
    setBusy(thenLaunch ? "launch" : "save");
    setFailure(null);
    setNotice(null);
    const saved = await saveSpec(text);
    if (!saved.ok) {
      setBusy(null);
      setFailure(saved);
      return;
    }
    const { experiment, version, created } = saved.data;
    if (thenLaunch) {
      const run = await launchRun(experiment.id);
      if (run.ok) {
        router.push(`/runs/${run.data.id}`);
        return;
      }
      setFailure(run);
    }
    setBusy(null);
    // A refused launch (chaos halted, say) stays on this page, so its reason stays in view.
    if (editing?.id === experiment.id || thenLaunch) {
      setNotice(
        created
          ? `Saved as version ${version.version}.`
          : `No change: this is version ${version.version} as saved.`,
      );
      router.refresh();
    } else {
      router.push(`/experiments/${experiment.id}?saved=${version.version}${created ? "" : "&unchanged=1"}`);
    }
  }

  return (
    <div className={styles.editorLayout}>
      <div>
        <div className={styles.editor}>
          <div className={styles.gutter} aria-hidden="true">
            <div ref={gutter} className={styles.gutterInner}>
              {lines.map((line) => {
                const here = marked.get(line);
                return (
                  <div
                    key={line}
                    className={here ? `${styles.gutterLine} ${styles.gutterLineBad}` : styles.gutterLine}
                    title={here?.map(describeIssue).join("\n")}
                    data-line={line}
                    data-invalid={here ? "true" : undefined}
                  >
                    {line}
                  </div>
                );
              })}
            </div>
          </div>
          <div className={styles.textWrap}>
            <div className={styles.marks} aria-hidden="true">
              <div ref={marks} className={styles.marksInner}>
                {lines.map((line) => (
                  <div
                    key={line}
                    className={
                      marked.has(line) ? `${styles.markLine} ${styles.markLineBad}` : styles.markLine
                    }
                  />
                ))}
              </div>
            </div>
            <textarea
              ref={textarea}
              className={styles.textarea}
              value={text}
              onChange={(event) => {
                setText(event.target.value);
                setNotice(null);
              }}
              onScroll={syncScroll}
              onKeyDown={onKeyDown}
              spellCheck={false}
              autoCapitalize="off"
              autoComplete="off"
              autoCorrect="off"
              wrap="off"
              aria-label="Spec (YAML)"
              aria-invalid={answer !== null && !answer.valid && !checking}
              aria-describedby={`${stateId} ${keysId}`}
            />
          </div>
        </div>
        <p id={keysId} className="muted small">
          Tab indents by two spaces (Shift+Tab outdents); press Esc, then Tab, to leave the editor.
        </p>
        {saveDenied ? (
          <p className="muted small" style={{ marginTop: 12 }}>
            {saveDenied}
          </p>
        ) : (
          <div className={styles.toolbar} style={{ marginTop: 12 }}>
            <button
              type="button"
              className={`button ${styles.secondary}`}
              disabled={!valid || busy !== null}
              onClick={() => void save(false)}
            >
              {busy === "save" ? "Saving…" : "Save"}
            </button>
            <button
              type="button"
              className={`button ${styles.primary}`}
              disabled={!valid || busy !== null}
              onClick={() => void save(true)}
            >
              {busy === "launch" ? "Launching…" : "Save and launch"}
            </button>
            <SaveHint editing={editing} specName={specName} target={target} />
          </div>
        )}
        {notice ? (
          <p className={styles.saved} role="status">
            {notice}
          </p>
        ) : null}
        <ApiFailure failure={failure} />
      </div>
      <section className={styles.side} aria-label="Validation">
        <h2>Validation</h2>
        <p id={stateId} className={`${styles.state} ${stateClass(checking, answer)}`} role="status">
          {stateText(checking, answer)}
        </p>
        <ApiFailure failure={validationFailure} />
        {issues.length > 0 ? (
          <ul className={styles.issues} aria-label="Issues">
            {issues.map((issue) => (
              <li key={`${issue.line}:${issue.column}:${issue.path}:${issue.message}`}>
                {issue.line === null ? (
                  <div className={styles.issueButton}>
                    <IssueText issue={issue} />
                  </div>
                ) : (
                  <button type="button" className={styles.issueButton} onClick={() => goTo(issue)}>
                    <IssueText issue={issue} />
                  </button>
                )}
              </li>
            ))}
          </ul>
        ) : valid && answer?.spec ? (
          <SpecFacts spec={answer.spec} />
        ) : null}
      </section>
    </div>
  );
}

function IssueText({ issue }: { issue: ValidationIssue }) {
  const position = describePosition(issue);
  return (
    <>
      {position ? <span className={styles.issuePosition}>{position}</span> : null}
      {issue.path ? <span className={styles.issuePath}>{issue.path}</span> : null}
      {issue.path ? ": " : ""}
      {issue.message}
    </>
  );
}

function stateText(checking: boolean, answer: ValidationAnswer | null): string {
  if (checking || answer === null) return "Checking…";
  if (answer.valid) return "Valid spec";
  const count = answer.issues.length;
  return `${count} issue${count === 1 ? "" : "s"}`;
}

function stateClass(checking: boolean, answer: ValidationAnswer | null): string {
  if (checking || answer === null) return styles.stateChecking ?? "";
  return (answer.valid ? styles.stateValid : styles.stateInvalid) ?? "";
}

function SpecFacts({ spec }: { spec: NonNullable<ValidationAnswer["spec"]> }) {
  const faults = spec.phases.reduce((sum, phase) => sum + phase.faults.length, 0);
  return (
    <ul className="muted small">
      <li>
        {spec.targets.length} targets:{" "}
        {spec.targets.map((target) => `${target.name} (${target.role})`).join(", ")}
      </li>
      <li>
        {spec.phases.length} phases over {spec.load.durationSeconds} s, {faults} fault
        {faults === 1 ? "" : "s"}
      </li>
      <li>
        {spec.load.arrival} load at {spec.load.rate} req/s per target
      </li>
      <li>{spec.hypothesis.reduce((sum, entry) => sum + entry.slos.length, 0)} SLOs</li>
    </ul>
  );
}

function SaveHint({
  editing,
  specName,
  target,
}: {
  editing: { id: string; name: string; version: number } | null;
  specName: string | null;
  target: { id: string; version: number } | undefined;
}) {
  if (specName === null) return <span className="muted small">Save and launch need a valid spec.</span>;
  if (editing && specName !== editing.name) {
    return (
      <span className="muted small">
        The name changed: saving {target ? `adds version ${target.version + 1} to` : "creates"} the experiment{" "}
        <strong>{specName}</strong>, not {editing.name}.
      </span>
    );
  }
  if (target) {
    return (
      <span className="muted small">
        Saving adds version {target.version + 1} to <strong>{specName}</strong> (unless nothing changed).
      </span>
    );
  }
  return (
    <span className="muted small">
      Saving creates the experiment <strong>{specName}</strong>.
    </span>
  );
}
