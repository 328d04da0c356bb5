import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { RunReportInput, SloReport } from "../runner/run-record";
import { FINAL_RUN_STATUSES } from "../runner/run-status";
import {
  buildSlackMessage,
  buildWebhookPayload,
  eventOfStatus,
  type RunFacts,
  renderWebhookBody,
  runLinks,
  type WebhookPayload,
} from "./payload";
import { redactIn, redactUrl } from "./redact";

const verdict: SloReport = {
  verdict: "fail",
  candidate: "fp32",
  targets: [],
  results: [
    { phase: "steady", target: "fp32", slo: "success_rate>=0.99", observed: 0.995, verdict: "pass" },
    { phase: "steady", target: "fp32", slo: "p(99)<250 ~ <500", observed: 612.4567, verdict: "fail" },
    { phase: "fault", target: "int8", slo: "accuracy>=0.9", observed: null, verdict: "no_data" },
    { phase: "fault", target: "int8", slo: "p(99)<400", observed: 420, verdict: "warn" },
  ],
  invalidReasons: [],
};

const quantiles = (p99: number) => ({ p50: p99 / 2, p90: p99, p99, p999: p99 });
const target = (
  name: string,
  role: "candidate" | "baseline",
  successRate: number,
  accuracy: number,
  p99: number,
) => ({
  target: name,
  role,
  verdict: "pass" as const,
  requests: 100,
  successRate,
  throughputPerSecond: 10,
  accuracy,
  cer: null,
  counts: {},
  latencyMs: quantiles(p99),
  serviceMs: quantiles(p99),
});

const summary: RunReportInput = {
  verdict: "fail",
  stopReason: null,
  latencyInvalid: false,
  maxSendLagMs: 0,
  arrivals: 200,
  expectedArrivals: 200,
  durationMs: 300_000,
  targets: [target("int8", "baseline", 1, 0.9, 20), target("fp32", "candidate", 0.995, 0.97, 612.5)],
  phases: [],
  comparisons: [],
  resilience: [],
};

/** A run halted by ops-bot 34 s in, during network-latency: every SLO of that phase unjudged. */
const invalidVerdict: SloReport = {
  verdict: "invalid",
  candidate: "fp32",
  targets: [],
  results: [
    { phase: "steady", target: "fp32", slo: "success_rate>=0.99", observed: 1, verdict: "pass" },
    {
      phase: "network-latency",
      target: "fp32",
      slo: "p(99)<250",
      observed: 900,
      verdict: "invalid",
      reason: "the phase's faults were cut short",
    },
  ],
  invalidReasons: [
    { code: "halted", phase: "network-latency", message: "the kill switch was thrown at +34 s" },
  ],
};
const halt = { at: "2026-11-29T10:00:34.000Z", second: 34.1, actor: "ops-bot", phases: ["network-latency"] };

function facts(overrides: Partial<RunFacts> = {}): RunFacts {
  return {
    id: "0b7c6a52-5d1e-4c55-9b43-2f7f3c1a9e01",
    status: "failed",
    trigger: "schedule",
    scheduleId: "5f0e1d2c-3b4a-4958-8776-655443322110",
    experiment: { id: "e1", name: "ocr-latency", version: 3 },
    startedAt: new Date("2026-11-29T10:00:00.000Z"),
    endedAt: new Date("2026-11-29T10:05:00.000Z"),
    error: null,
    verdict,
    summary,
    ...overrides,
  };
}

interface Block {
  type: string;
  text?: { type: string; text: string; emoji?: boolean };
  fields?: Array<{ type: string; text: string }>;
  elements?: Array<Record<string, unknown>>;
}

const payloadOf = (overrides: Partial<RunFacts> = {}) =>
  buildWebhookPayload(facts(overrides), "http://faultline.example:3000/") as WebhookPayload;

describe("eventOfStatus", () => {
  it("notifies failed, invalid, aborted and errored runs only", () => {
    assert.equal(eventOfStatus("failed"), "run.failed");
    assert.equal(eventOfStatus("invalid"), "run.invalid");
    assert.equal(eventOfStatus("aborted"), "run.aborted");
    assert.equal(eventOfStatus("errored"), "run.errored");
    for (const status of ["passed", "queued", "running"]) assert.equal(eventOfStatus(status), null);
  });

  it("leaves no final status but passed without a notification", () => {
    for (const status of FINAL_RUN_STATUSES)
      assert.equal(eventOfStatus(status) === null, status === "passed", status);
  });
});

describe("buildWebhookPayload", () => {
  it("describes a failed run: event, run, verdict, the SLOs not met, those not judged, and links", () => {
    const payload = payloadOf();
    assert.deepEqual(payload, {
      event: "run.failed",
      run: {
        id: "0b7c6a52-5d1e-4c55-9b43-2f7f3c1a9e01",
        status: "failed",
        experiment: { id: "e1", name: "ocr-latency", version: 3 },
        trigger: "schedule",
        scheduleId: "5f0e1d2c-3b4a-4958-8776-655443322110",
        startedAt: "2026-11-29T10:00:00.000Z",
        endedAt: "2026-11-29T10:05:00.000Z",
        url: "http://faultline.example:3000/runs/0b7c6a52-5d1e-4c55-9b43-2f7f3c1a9e01",
      },
      verdict: "fail",
      invalidReasons: [],
      halts: [],
      failedSlos: [
        { phase: "steady", target: "fp32", slo: "p(99)<250 ~ <500", observed: 612.4567, verdict: "fail" },
      ],
      unjudgedSlos: [
        {
          phase: "fault",
          target: "int8",
          slo: "accuracy>=0.9",
          observed: null,
          verdict: "no_data",
          reason: null,
        },
      ],
      candidate: { target: "fp32", successRate: 0.995, p99Ms: 612.5, accuracy: 0.97 },
      error: null,
      reportUrl: "http://faultline.example:3000/api/v1/runs/0b7c6a52-5d1e-4c55-9b43-2f7f3c1a9e01/report",
    });
  });

  it("gives nothing for a run that passed or has not ended", () => {
    assert.equal(buildWebhookPayload(facts({ status: "passed" }), "http://x"), null);
    assert.equal(buildWebhookPayload(facts({ status: "running" }), "http://x"), null);
  });

  it("carries an aborted run's stop reason, from the run or else from its report", () => {
    assert.equal(
      payloadOf({ status: "aborted", error: "stop condition: success_rate<0.5" }).error,
      "stop condition: success_rate<0.5",
    );
    const fromReport = payloadOf({ status: "aborted", summary: { ...summary, stopReason: "p(99)>2000" } });
    assert.equal(fromReport.event, "run.aborted");
    assert.equal(fromReport.error, "p(99)>2000");
  });

  it("handles an errored run with no report: no verdict, no SLOs, no report link", () => {
    const payload = payloadOf({ status: "errored", verdict: null, summary: null, error: "worker died" });
    assert.equal(payload.event, "run.errored");
    assert.equal(payload.verdict, null);
    assert.deepEqual(payload.failedSlos, []);
    assert.deepEqual(payload.unjudgedSlos, []);
    assert.deepEqual(payload.halts, []);
    assert.equal(payload.candidate, null);
    assert.equal(payload.reportUrl, null);
    assert.equal(payload.error, "worker died");
  });

  it("tolerates stored JSON of another shape instead of failing to notify", () => {
    const payload = payloadOf({ verdict: { something: "else" }, summary: [1, 2] });
    assert.equal(payload.verdict, null);
    assert.deepEqual(payload.failedSlos, []);
    assert.equal(payload.candidate, null);
    assert.equal(payload.reportUrl, null);
  });

  it("notifies an invalid run: its verdict, why, who halted it, and the SLOs it could not judge", () => {
    const payload = payloadOf({
      status: "invalid",
      verdict: invalidVerdict,
      summary: { ...summary, verdict: "invalid", halts: [halt] },
    });
    assert.equal(payload.event, "run.invalid");
    assert.equal(payload.verdict, "invalid");
    assert.deepEqual(payload.invalidReasons, invalidVerdict.invalidReasons);
    assert.deepEqual(payload.halts, [halt]);
    assert.deepEqual(payload.failedSlos, []);
    assert.deepEqual(payload.unjudgedSlos, [
      {
        phase: "network-latency",
        target: "fp32",
        slo: "p(99)<250",
        observed: 900,
        verdict: "invalid",
        reason: "the phase's faults were cut short",
      },
    ]);
    assert.ok(payload.reportUrl, "an invalid run has a report");
  });
});

describe("buildSlackMessage", () => {
  it("has a notification text, a header, fields and a button to the run", () => {
    const payload = payloadOf();
    const message = buildSlackMessage(payload);
    assert.match(
      message.text,
      /^Faultline: run of ocr-latency v3 failed its hypothesis \(1 SLO failed, 1 not judged\)/,
    );
    assert.ok(message.text.includes(`<${payload.run.url}|Open run>`));
    const [header, fields, slos, unjudged, actions] = message.blocks as unknown as Block[] as [
      Block,
      Block,
      Block,
      Block,
      Block,
    ];
    assert.equal(header.type, "header");
    assert.deepEqual(header.text, {
      type: "plain_text",
      text: ":x: ocr-latency: run failed its hypothesis",
      emoji: true,
    });
    assert.equal(fields.type, "section");
    const texts = (fields.fields ?? []).map((field) => field.text);
    assert.ok(texts.includes("*Experiment*\nocr-latency v3"));
    assert.ok(texts.includes("*Status*\nfailed (verdict fail)"));
    assert.ok(texts.includes("*Started*\n2026-11-29 10:00:00 UTC"));
    assert.ok(texts.includes("*Candidate fp32*\nsuccess 99.5% · P99 612.5 ms · accuracy 97.0%"));
    assert.match(
      slos.text?.text ?? "",
      /^\*SLOs not met\*\n• `p\(99\)&lt;250 ~ &lt;500` fp32 in steady: observed 612.5$/,
    );
    assert.equal(
      unjudged.text?.text,
      "*SLOs not judged*\n• `accuracy&gt;=0.9` int8 in fault: no data (no_data)",
    );
    assert.equal(actions.type, "actions");
    const [open, report] = actions.elements ?? [];
    assert.equal(open?.type, "button");
    assert.equal(open?.url, payload.run.url);
    assert.equal(report?.url, payload.reportUrl);
  });

  it("escapes Slack markup in names and errors and shows the error under its title", () => {
    const payload = payloadOf({
      status: "aborted",
      error: "stop <now> & roll back",
      experiment: { id: "e", name: "a<b>&c", version: 1 },
    });
    const message = buildSlackMessage(payload);
    assert.ok(message.text.includes("a&lt;b&gt;&amp;c v1 was aborted"));
    const error = message.blocks.find((block) => JSON.stringify(block).includes("Stop reason")) as {
      text: { text: string };
    };
    assert.equal(error.text.text, "*Stop reason*\nstop &lt;now&gt; &amp; roll back");
  });

  it("lists at most ten SLOs and keeps every text within Slack's limits", () => {
    const many = Array.from({ length: 25 }, (_, index) => ({
      phase: `phase-${index}`,
      target: "fp32",
      slo: `p(99)<${index}`,
      observed: 1000 + index,
      verdict: "fail" as const,
    }));
    const message = buildSlackMessage({
      ...payloadOf({ status: "errored", error: "x".repeat(5000) }),
      failedSlos: many,
    });
    const slos = message.blocks.find((block) => JSON.stringify(block).includes("SLOs not met")) as {
      text: { text: string };
    };
    assert.equal(slos.text.text.split("\n").filter((line) => line.startsWith("•")).length, 10);
    assert.ok(slos.text.text.endsWith("…and 15 more"));
    for (const block of message.blocks) {
      const text = (block.text as { text?: string } | undefined)?.text ?? "";
      assert.ok(text.length <= (block.type === "header" ? 150 : 3000), `${block.type} text too long`);
    }
  });

  it("says an invalid run is INVALID, who halted it and during what, and why no verdict", () => {
    const payload = payloadOf({
      status: "invalid",
      experiment: { id: "e2", name: "latency-drill", version: 3 },
      verdict: invalidVerdict,
      summary: { ...summary, verdict: "invalid", halts: [halt] },
    });
    const message = buildSlackMessage(payload);
    assert.ok(
      message.text.startsWith(
        "Faultline: latency-drill v3 is INVALID: halted at +34 s by ops-bot during network-latency (1 not judged).",
      ),
      message.text,
    );
    const texts = message.blocks.map((block) => (block.text as { text?: string } | undefined)?.text ?? "");
    assert.ok(texts.includes(":grey_question: latency-drill: run could not be judged"));
    assert.ok(texts.includes("*Why no verdict*\n• network-latency: the kill switch was thrown at +34 s"));
    assert.ok(texts.includes("*Halts*\n• halted at +34 s by ops-bot during network-latency"));
    assert.ok(
      texts.includes(
        "*SLOs not judged*\n• `p(99)&lt;250` fp32 in network-latency: observed 900 (invalid: the phase's faults were cut short)",
      ),
    );
    const withoutHalt = buildSlackMessage({ ...payload, halts: [] });
    assert.ok(withoutHalt.text.includes("is INVALID: the kill switch was thrown at +34 s (1 not judged)."));
  });

  it("renders either body from the same payload", () => {
    const payload = payloadOf();
    assert.deepEqual(JSON.parse(renderWebhookBody("json", payload)), payload);
    assert.deepEqual(JSON.parse(renderWebhookBody("slack", payload)), buildSlackMessage(payload));
  });
});

describe("runLinks", () => {
  it("drops trailing slashes of the base URL", () => {
    assert.deepEqual(runLinks("https://f.example/base//", "r1"), {
      run: "https://f.example/base/runs/r1",
      report: "https://f.example/base/api/v1/runs/r1/report",
    });
  });
});

describe("redactUrl", () => {
  it("keeps scheme and host and hides path, query and credentials", () => {
    assert.equal(
      redactUrl("https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXXXXXX"),
      "https://hooks.slack.com/***",
    );
    assert.equal(redactUrl("http://127.0.0.1:9000/hook?token=abc"), "http://127.0.0.1:9000/***");
    assert.equal(redactUrl("https://user:pw@example.com/"), "https://example.com/***");
    assert.equal(redactUrl("https://example.com"), "https://example.com/");
    assert.equal(redactUrl("not a url"), "[unparseable url]");
  });

  it("removes the URL and its secret path from messages", () => {
    const url = "https://hooks.slack.com/services/T000/B000/SECRETSECRET";
    const text = redactIn(`POST ${url} failed; path /services/T000/B000/SECRETSECRET refused`, url);
    assert.ok(!text.includes("SECRETSECRET"));
    assert.equal(text, "POST https://hooks.slack.com/*** failed; path /*** refused");
  });
});
