// A run's SLO verdicts as JUnit XML, so any CI shows drills like tests: one suite per target,
// one case per SLO and phase; fail and no_data are failures, warn passes with a note.
import type { SloReport } from "../metrics/slo";

const xmlEscape = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

export function junitReport(name: string, report: SloReport, durationSeconds: number): string {
  const suites = report.targets.map((target) => {
    const cases = report.results.filter((result) => result.target === target.target);
    const failures = cases.filter(
      (result) => result.verdict === "fail" || result.verdict === "no_data",
    ).length;
    const body = cases
      .map((result) => {
        const title = xmlEscape(`${result.phase}: ${result.slo}`);
        const observed = result.observed === null ? "no data" : String(result.observed);
        const inner =
          result.verdict === "fail" || result.verdict === "no_data"
            ? `<failure message="${xmlEscape(`${result.verdict}: observed ${observed}`)}"/>`
            : result.verdict === "warn"
              ? `<system-out>${xmlEscape(`warn: observed ${observed}, within tolerance`)}</system-out>`
              : "";
        return `    <testcase classname="${xmlEscape(`${name}.${target.target}`)}" name="${title}">${inner}</testcase>`;
      })
      .join("\n");
    return `  <testsuite name="${xmlEscape(`${name} / ${target.target} (${target.role})`)}" tests="${cases.length}" failures="${failures}" time="${durationSeconds}">\n${body}\n  </testsuite>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="${xmlEscape(name)}">\n${suites.join("\n")}\n</testsuites>\n`;
}
