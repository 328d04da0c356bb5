// A run's SLO verdicts as JUnit XML, so any CI shows drills like tests: one suite per target, one
// case per SLO and phase. `fail` is a <failure>; what could not be judged (invalid, no_data) is an
// <error> with its reason; warn passes with a note. An invalid run adds a `run validity` case with
// an <error> per reason, so a CI never reads it as green, even when it has no SLO at all.
import type { SloReport, SloResult } from "../runner/run-record";

const xmlEscape = (text: string) =>
  text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");

interface TestCase {
  classname: string;
  name: string;
  failures: string[];
  errors: string[];
  systemOut?: string;
}

const observedText = (result: SloResult) => (result.observed === null ? "no data" : String(result.observed));

function caseOfResult(name: string, result: SloResult): TestCase {
  const testCase: TestCase = {
    classname: `${name}.${result.target}`,
    name: `${result.phase}: ${result.slo}`,
    failures: [],
    errors: [],
  };
  switch (result.verdict) {
    case "fail":
      testCase.failures.push(`fail: observed ${observedText(result)}`);
      break;
    case "no_data":
    case "invalid":
      testCase.errors.push(
        `${result.verdict}: ${result.reason ?? (result.verdict === "no_data" ? "nothing was measured" : "no reason on record")} (observed ${observedText(result)})`,
      );
      break;
    case "warn":
      testCase.systemOut = `warn: observed ${observedText(result)}, within tolerance`;
      break;
    case "pass":
      break;
  }
  return testCase;
}

function renderCase(testCase: TestCase): string {
  const inner = [
    ...testCase.failures.map((message) => `<failure message="${xmlEscape(message)}"/>`),
    ...testCase.errors.map((message) => `<error message="${xmlEscape(message)}"/>`),
    ...(testCase.systemOut ? [`<system-out>${xmlEscape(testCase.systemOut)}</system-out>`] : []),
  ].join("");
  return `    <testcase classname="${xmlEscape(testCase.classname)}" name="${xmlEscape(testCase.name)}">${inner}</testcase>`;
}

interface Suite {
  name: string;
  cases: TestCase[];
}

// Counted per test case, as JUnit readers do (tests − failures − errors = passed).
const countFailures = (cases: readonly TestCase[]) =>
  cases.filter((testCase) => testCase.failures.length > 0 && testCase.errors.length === 0).length;
const countErrors = (cases: readonly TestCase[]) =>
  cases.filter((testCase) => testCase.errors.length > 0).length;

export function junitReport(name: string, report: SloReport, durationSeconds: number): string {
  const suites: Suite[] = report.targets.map((target) => ({
    name: `${name} / ${target.target} (${target.role})`,
    cases: report.results
      .filter((result) => result.target === target.target)
      .map((result) => caseOfResult(name, result)),
  }));
  if (report.verdict === "invalid") {
    const reasons = report.invalidReasons.map(
      (reason) => `${reason.code}${reason.phase ? ` in ${reason.phase}` : ""}: ${reason.message}`,
    );
    suites.push({
      name: `${name} / run`,
      cases: [
        {
          classname: `${name}.run`,
          name: "run validity",
          failures: [],
          errors: reasons.length > 0 ? reasons : ["the run's verdict is invalid (no reason on record)"],
        },
      ],
    });
  }
  const all = suites.flatMap((suite) => suite.cases);
  const body = suites.map(
    (suite) =>
      `  <testsuite name="${xmlEscape(suite.name)}" tests="${suite.cases.length}" failures="${countFailures(suite.cases)}" errors="${countErrors(suite.cases)}" time="${durationSeconds}">\n${suite.cases.map((testCase) => `${renderCase(testCase)}\n`).join("")}  </testsuite>`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="${xmlEscape(name)}" tests="${all.length}" failures="${countFailures(all)}" errors="${countErrors(all)}" time="${durationSeconds}">\n${body.join("\n")}\n</testsuites>\n`;
}

/**
 * A run that ended without a verdict (errored, or aborted before it was judged) as one errored
 * case, so a CI that reads the file never mistakes the missing verdict for a green run.
 */
export function junitWithoutVerdict(name: string, status: string, error: string | null): string {
  const message = `the run ${status} without a verdict${error ? `: ${error}` : ""}`;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="${xmlEscape(name)}" tests="1" failures="0" errors="1" time="0">\n  <testsuite name="${xmlEscape(`${name} / run`)}" tests="1" failures="0" errors="1" time="0">\n${renderCase({ classname: `${name}.run`, name: "run verdict", failures: [], errors: [message] })}\n  </testsuite>\n</testsuites>\n`;
}
