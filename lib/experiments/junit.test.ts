import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SloReport, type SloResultInput } from "../runner/run-record";
import { junitReport, junitWithoutVerdict } from "./junit";

const counts = { pass: 0, warn: 0, fail: 0, no_data: 0, invalid: 0 };

function report(overrides: Partial<Omit<SloReport, "results">> & { results: SloResultInput[] }): SloReport {
  return SloReport.parse({
    verdict: "pass",
    candidate: "fp32",
    targets: [{ target: "fp32", role: "candidate", verdict: "pass", phases: {}, counts }],
    invalidReasons: [],
    ...overrides,
  });
}

const attribute = (xml: string, element: string, name: string) =>
  [...xml.matchAll(new RegExp(`<${element} [^>]*${name}="(\\d+)"`, "g"))].map((match) => Number(match[1]));

describe("junitReport", () => {
  it("makes a halted run red even when every SLO it could judge passed", () => {
    const xml = junitReport(
      "latency-drill",
      report({
        verdict: "invalid",
        results: [
          { phase: "steady", target: "fp32", slo: "success_rate>=0.99", observed: 1, verdict: "pass" },
          { phase: "recovery", target: "fp32", slo: "p(99)<250", observed: 120, verdict: "pass" },
        ],
        invalidReasons: [
          { code: "halted", phase: "network-latency", message: "halted at +34 s by ops-bot" },
          { code: "faults_cut_short", phase: "network-latency", message: "latency fault ended at +34 s" },
        ],
      }),
      60,
    );
    assert.ok(xml.includes('<testsuites name="latency-drill" tests="3" failures="0" errors="1"'));
    assert.match(xml, /<testcase classname="latency-drill.run" name="run validity">/);
    assert.ok(xml.includes('<error message="halted in network-latency: halted at +34 s by ops-bot"/>'));
    assert.ok(
      xml.includes('<error message="faults_cut_short in network-latency: latency fault ended at +34 s"/>'),
    );
    assert.ok(attribute(xml, "testsuite", "errors").reduce((sum, value) => sum + value, 0) >= 1);
    assert.ok(!xml.includes("<failure"));
  });

  it("gives an invalid run without reasons on record an error all the same", () => {
    const xml = junitReport("d", report({ verdict: "invalid", targets: [], results: [] }), 0);
    assert.ok(xml.includes('errors="1"'));
    assert.match(xml, /<error message="the run&apos;s verdict is invalid \(no reason on record\)"\/>/);
  });

  it("reports an SLO without data, or with untrustworthy data, as an error with its reason, not a failure", () => {
    const xml = junitReport(
      "d",
      report({
        verdict: "fail",
        results: [
          { phase: "fault", target: "fp32", slo: "accuracy>=0.9", observed: null, verdict: "no_data" },
          {
            phase: "fault",
            target: "fp32",
            slo: "p(99)<250",
            observed: 900,
            verdict: "invalid",
            reason: "the generator fell behind its schedule",
          },
          { phase: "steady", target: "fp32", slo: "p(99)<250 ~ <500", observed: 612, verdict: "fail" },
        ],
      }),
      12.5,
    );
    assert.ok(xml.includes('tests="3" failures="1" errors="2" time="12.5"'));
    assert.ok(xml.includes('<error message="no_data: nothing was measured (observed no data)"/>'));
    assert.ok(
      xml.includes('<error message="invalid: the generator fell behind its schedule (observed 900)"/>'),
    );
    assert.ok(xml.includes('<failure message="fail: observed 612"/>'));
    assert.ok(xml.includes('name="steady: p(99)&lt;250 ~ &lt;500"'));
    assert.ok(!xml.includes("run validity"), "a valid run has no validity case");
  });

  it("lets a warn pass, with a note", () => {
    const xml = junitReport(
      "d",
      report({
        verdict: "warn",
        results: [
          { phase: "steady", target: "fp32", slo: "p(99)<250 ~ <500", observed: 300, verdict: "warn" },
        ],
      }),
      1,
    );
    assert.ok(xml.includes('tests="1" failures="0" errors="0"'));
    assert.ok(xml.includes("<system-out>warn: observed 300, within tolerance</system-out>"));
    assert.ok(!xml.includes("<failure") && !xml.includes("<error"));
  });

  it("gives a run that ended without a verdict one error, never an empty green file", () => {
    const xml = junitWithoutVerdict("latency-drill", "errored", "the worker died");
    assert.deepEqual(attribute(xml, "testsuites", "errors"), [1]);
    assert.match(xml, /<error message="the run errored without a verdict: the worker died"\/>/);
  });
});
