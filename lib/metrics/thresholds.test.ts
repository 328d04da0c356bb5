import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AppError } from "../../kernel/errors";
import {
  compare,
  formatSlo,
  formatThreshold,
  parseSlo,
  parseThreshold,
  safeParseSlo,
  safeParseThreshold,
} from "./thresholds";

/** The sentence a user would read for `text`. */
function problemWith(text: string): string {
  const parsed = safeParseThreshold(text);
  assert.equal(parsed.ok, false, `${text} should not parse`);
  return parsed.ok ? "" : parsed.message;
}

describe("threshold syntax", () => {
  it("reads every metric of the vocabulary", () => {
    assert.deepEqual(parseThreshold("success_rate>=0.999"), {
      metric: "success_rate",
      tags: {},
      op: ">=",
      value: 0.999,
    });
    assert.deepEqual(parseThreshold("p(99)<500"), {
      metric: "p",
      tags: {},
      percentile: 99,
      op: "<",
      value: 500,
    });
    assert.equal(parseThreshold("p(99.9)<800").percentile, 99.9);
    assert.equal(parseThreshold("p(100)<800").percentile, 100);
    for (const metric of ["avg", "min", "max", "throughput", "accuracy", "cer", "count", "error_rate"]) {
      assert.equal(parseThreshold(`${metric}<=1`).metric, metric);
    }
  });

  it("reads every comparison", () => {
    assert.deepEqual(
      ["<", "<=", ">", ">=", "=="].map((op) => parseThreshold(`count${op}5`).op),
      ["<", "<=", ">", ">=", "=="],
    );
  });

  it("allows spaces and writes the canonical text without them", () => {
    const threshold = parseThreshold("  p( 99 ) {clock : service} <  500 ");
    assert.deepEqual(threshold.tags, { clock: "service" });
    assert.equal(formatThreshold(threshold), "p(99){clock:service}<500");
  });

  it("filters error_rate and count by outcome class", () => {
    assert.deepEqual(parseThreshold("error_rate{class:timeout}<0.01").tags, { class: "timeout" });
    assert.deepEqual(parseThreshold("count{class:rejected_429}==0").tags, { class: "rejected_429" });
    assert.deepEqual(parseThreshold("count{class:ok}>=100").tags, { class: "ok" });
    assert.match(
      problemWith("error_rate{class:slow}<0.01"),
      /class must be one of timeout, http_4xx, http_5xx/,
    );
    assert.match(problemWith("error_rate{class:ok}<0.01"), /class must be one of/);
  });

  it("counts overflowed and degraded arrivals as failure classes of their own", () => {
    assert.deepEqual(parseThreshold("error_rate{class:overflow}<0.01").tags, { class: "overflow" });
    assert.deepEqual(parseThreshold("error_rate{class:degraded}==0").tags, { class: "degraded" });
    assert.deepEqual(parseThreshold("count{class:overflow}==0").tags, { class: "overflow" });
    assert.deepEqual(parseThreshold("count{class:degraded}<5").tags, { class: "degraded" });
    assert.equal(
      formatThreshold(parseThreshold("error_rate{class:degraded}<0.01")),
      "error_rate{class:degraded}<0.01",
    );
    assert.match(
      problemWith("error_rate{class:slow}<0.01"),
      /class must be one of timeout, http_4xx, http_5xx, rejected_429, connection_error, overflow, degraded/,
    );
  });

  it("reads accuracy end-to-end by default, and over answered requests when asked", () => {
    const endToEnd = parseThreshold("accuracy{over:all}>=0.9");
    assert.deepEqual(endToEnd.tags, {});
    assert.equal(formatThreshold(endToEnd), "accuracy>=0.9");
    assert.deepEqual(parseThreshold("accuracy>=0.9"), endToEnd);
    const answered = parseThreshold("accuracy{ over : answered }>=0.95");
    assert.deepEqual(answered.tags, { over: "answered" });
    assert.equal(formatThreshold(answered), "accuracy{over:answered}>=0.95");
    assert.match(problemWith("accuracy{over:sent}>0.9"), /over must be one of all, answered \(got "sent"\)/);
    assert.match(problemWith("cer{over:answered}<0.1"), /cer takes no tags/);
  });

  it("times answered requests by default, and every request with a latency when asked", () => {
    const answered = parseThreshold("p(99){outcomes:answered}<500");
    assert.deepEqual(answered.tags, {});
    assert.equal(formatThreshold(answered), "p(99)<500");
    for (const metric of ["p(50)", "avg", "min", "max"]) {
      const all = parseThreshold(`${metric}{outcomes:all}<500`);
      assert.deepEqual(all.tags, { outcomes: "all" });
      assert.equal(formatThreshold(all), `${metric}{outcomes:all}<500`);
    }
    assert.equal(
      formatThreshold(parseThreshold("p(99){outcomes:all,clock:corrected}<500")),
      "p(99){outcomes:all}<500",
    );
    assert.equal(
      formatThreshold(parseThreshold("p(99){outcomes:answered,clock:service}<500")),
      "p(99){clock:service}<500",
    );
    assert.match(problemWith("p(99){outcomes:ok}<500"), /outcomes must be one of answered, all/);
  });

  it("refuses every outcome on the service clock", () => {
    const sentence =
      "outcomes:all is measured on the corrected clock only; drop clock:service (or drop outcomes:all to time answered requests on the service clock)";
    assert.equal(problemWith("p(99){outcomes:all,clock:service}<500"), sentence);
    assert.equal(problemWith("avg{clock:service,outcomes:all}<500"), sentence);
    assert.throws(() => parseSlo("max{outcomes:all,clock:service}<5000 ~ <8000"), /corrected clock only/);
  });

  it("selects the latency clock with a tag, corrected by default", () => {
    assert.deepEqual(parseThreshold("avg{clock:service}<100").tags, { clock: "service" });
    const corrected = parseThreshold("p(99){clock:corrected}<500");
    assert.deepEqual(corrected.tags, {});
    assert.equal(formatThreshold(corrected), "p(99)<500");
    assert.match(
      problemWith("p_service(99)<500"),
      /write the service clock as a tag: p\(99\)\{clock:service\}/,
    );
    assert.match(problemWith("p(99){clock:wall}<500"), /clock must be one of corrected, service/);
  });

  it("names unknown metrics and lists the known ones", () => {
    assert.match(
      problemWith("latency<5"),
      /unknown metric "latency"; known metrics: success_rate, error_rate/,
    );
  });

  it("explains malformed thresholds", () => {
    assert.match(problemWith("p(99)"), /expected a comparison/);
    assert.match(problemWith("p(99)500"), /expected a comparison/);
    assert.match(problemWith("p(99)=500"), /use == to compare/);
    assert.match(problemWith("p(99)<<500"), /"<<" is not a comparison/);
    assert.match(problemWith("p(99)!=500"), /"!=" is not a comparison/);
    assert.match(problemWith("p(99)<"), /expected a number after "<"/);
    assert.match(problemWith("p(99)<fast"), /expected a number after "<" \(got "fast"\)/);
    assert.match(problemWith("p(99)<500ms"), /plain number .* not "500ms"/);
    assert.match(problemWith("<500"), /expected a metric before the comparison/);
    assert.match(problemWith("p<500"), /p needs a percentile/);
    assert.match(problemWith("p(0)<500"), /more than 0 and at most 100/);
    assert.match(problemWith("p(101)<500"), /more than 0 and at most 100/);
    assert.match(problemWith("avg(50)<500"), /avg takes no argument/);
    assert.match(problemWith("throughput{class:timeout}>0.9"), /throughput takes no tags/);
    assert.match(problemWith("accuracy{class:timeout}>0.9"), /accuracy has no tag "class"; it takes over/);
    assert.match(problemWith("p(99){class:timeout}<5"), /p has no tag "class"; it takes clock, outcomes/);
    assert.match(problemWith("p(99){clock}<5"), /tag "clock" must be key:value/);
    assert.match(problemWith("p(99){clock:service,clock:service}<5"), /given twice/);
  });

  it("rejects rates written as percentages and negative bounds", () => {
    assert.match(
      problemWith("success_rate>=99.9"),
      /success_rate is a fraction from 0 to 1 \(0.999 means 99.9%\)/,
    );
    assert.match(problemWith("accuracy>1.5"), /fraction from 0 to 1/);
    assert.match(problemWith("p(99)>-1"), /never negative/);
  });

  it("throws an invalid_threshold AppError quoting the text", () => {
    assert.throws(
      () => parseThreshold("latency<5"),
      (error: unknown) =>
        error instanceof AppError &&
        error.code === "invalid_threshold" &&
        error.status === 400 &&
        error.message.startsWith('Invalid threshold "latency<5": unknown metric'),
    );
  });
});

describe("SLO tolerance", () => {
  it("reads target ~ tolerance in the string form", () => {
    const slo = parseSlo("success_rate>=0.999 ~ >=0.98");
    assert.deepEqual(slo.target, { op: ">=", value: 0.999 });
    assert.deepEqual(slo.tolerance, { op: ">=", value: 0.98 });
    assert.equal(formatSlo(slo), "success_rate>=0.999 ~ >=0.98");
  });

  it("reads the object form into the same SLO", () => {
    assert.deepEqual(
      parseSlo({ metric: "success_rate", target: ">=0.999", tolerance: ">=0.98" }),
      parseSlo("success_rate >= 0.999 ~ >= 0.98"),
    );
    assert.equal(parseSlo({ metric: "avg", target: "<100" }).tolerance, undefined);
  });

  it("writes the new tags back in a form that parses to the same SLO", () => {
    for (const text of [
      "accuracy{over:answered}>=0.95 ~ >=0.9",
      "p(99){outcomes:all}<800 ~ <1600",
      "error_rate{class:overflow}<0.01",
      "count{class:degraded}==0",
      "accuracy{over:all}>=0.9",
      "p(50){clock:corrected,outcomes:answered}<100",
    ]) {
      const slo = parseSlo(text);
      assert.deepEqual(parseSlo(formatSlo(slo)), slo, text);
    }
    assert.equal(formatSlo(parseSlo("accuracy{over:all}>=0.9")), "accuracy>=0.9");
    assert.deepEqual(
      parseSlo({ metric: "p(99){outcomes:all}", target: "<800", tolerance: "<1600" }),
      parseSlo("p(99){outcomes:all}<800 ~ <1600"),
    );
  });

  it("requires the tolerance to be looser, on the same side", () => {
    const problem = (input: Parameters<typeof safeParseSlo>[0]) => {
      const parsed = safeParseSlo(input);
      return parsed.ok ? "" : `${parsed.field ?? ""}: ${parsed.message}`;
    };
    assert.equal(problem("avg<100 ~ <=100"), "");
    assert.equal(problem("avg<=100 ~ <=100"), "");
    assert.match(problem("avg<=100 ~ <100"), /<100 must be looser than the target <=100/);
    assert.match(problem("success_rate>=0.98 ~ >=0.999"), /must be looser/);
    assert.match(problem("avg<100 ~ >50"), /must bound the same side/);
    assert.match(problem("count==5 ~ >=4"), /an == target \(==5\) cannot have a tolerance/);
    assert.match(problem("avg<100 ~"), /expected a tolerance after ~/);
    assert.match(problem("avg<100 ~ <200 ~ <300"), /at most one ~/);
    assert.match(problem("success_rate>=0.999 ~ >=98"), /fraction from 0 to 1/);
    assert.match(
      problem({ metric: "avg", target: "<100", tolerance: "<50" }),
      /^tolerance: .*must be looser/,
    );
    assert.match(problem({ metric: "avg<100", target: "<100" }), /^metric: .*names the metric only/);
    assert.match(problem({ metric: "avg", target: "100" }), /^target: expected a comparison and a number/);
  });
});

describe("compare", () => {
  it("applies each comparison, boundaries included or not", () => {
    const bound = (text: string) => parseThreshold(`count${text}`);
    assert.equal(compare(4, bound("<5")), true);
    assert.equal(compare(5, bound("<5")), false);
    assert.equal(compare(5, bound("<=5")), true);
    assert.equal(compare(5, bound(">5")), false);
    assert.equal(compare(5, bound(">=5")), true);
    assert.equal(compare(5, bound("==5")), true);
    assert.equal(compare(6, bound("==5")), false);
  });

  it("treats a rate computed from counts as equal to the decimal bound", () => {
    assert.equal(compare(2997 / 3000, parseThreshold("success_rate>=0.999")), true);
  });

  it("never lets NaN meet a bound", () => {
    assert.equal(compare(Number.NaN, parseThreshold("count<5")), false);
    assert.equal(compare(Number.NaN, parseThreshold("count>5")), false);
  });
});
