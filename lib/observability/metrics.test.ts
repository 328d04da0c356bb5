// The exposition Faultline renders, read back by a Prometheus text-format parser: labels stay
// bounded, every known label value is present (zeros included), histograms are consistent, and
// a source that failed clears its series and reports itself down.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  getMetricsFromIterator,
  type PromData,
  type PromHistogramData,
  type PromMetrics,
} from "prom2javascript";
import { FAULT_TYPES } from "../../chaos/faults/index";
import { scheduleQueueName } from "../scheduler/queue";
import {
  createMetrics,
  type FaultlineMetrics,
  METRICS_CONTENT_TYPE,
  modelLabel,
  recordInference,
  statusLabel,
  UNKNOWN_MODEL,
} from "./metrics";
import { applySnapshot, JOB_STATES, queueLabel, RUN_STATUSES, SCHEDULES_QUEUE_LABEL } from "./snapshot";

async function parse(metrics: FaultlineMetrics): Promise<PromMetrics> {
  const text = await metrics.registry.metrics();
  return getMetricsFromIterator(text.split("\n")[Symbol.iterator]());
}

function value(family: PromMetrics, name: string, labels: Record<string, string>): number | undefined {
  const data = family[name]?.data as PromData[] | undefined;
  return data?.find((sample) => Object.entries(labels).every(([key, v]) => sample.labels[key] === v))?.value;
}

describe("labels", () => {
  it("keeps registered model names and collapses everything else to one value", () => {
    const registered = (name: string) => name === "ppocr-v4-rec";
    assert.equal(modelLabel("ppocr-v4-rec", registered), "ppocr-v4-rec");
    assert.equal(modelLabel("no-such-model", registered), UNKNOWN_MODEL);
    assert.equal(modelLabel(undefined, registered), UNKNOWN_MODEL);
    // Manifest names start with a letter or digit, so the collapsed value never names a model.
    assert.match(UNKNOWN_MODEL, /^_/);
  });

  it("labels HTTP statuses by code", () => {
    assert.equal(statusLabel(200), "200");
    assert.equal(statusLabel(404), "404");
    assert.equal(statusLabel(0), "other");
    assert.equal(statusLabel(1000), "other");
  });

  it("keeps the queue label to the run queue and all schedules' queues as one", () => {
    assert.equal(queueLabel("experiment-run"), "experiment-run");
    assert.equal(
      queueLabel(scheduleQueueName("0b7c6a4e-1111-4222-8333-944445555666")),
      SCHEDULES_QUEUE_LABEL,
    );
    assert.equal(queueLabel("__pgboss__send-it"), undefined);
  });

  it("names the text format's content type", () => {
    assert.equal(METRICS_CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
  });
});

describe("inference requests", () => {
  it("counts and times requests per route, model and status, with cumulative buckets", async () => {
    const metrics = createMetrics({ processMetrics: false });
    recordInference(metrics, "infer", "ppocr-v4-rec", 200, 0.02);
    recordInference(metrics, "infer", "ppocr-v4-rec", 200, 0.3);
    recordInference(metrics, "infer", "ppocr-v4-rec", 400, 0.001);
    recordInference(metrics, "chat", UNKNOWN_MODEL, 404, 0.004);
    const parsed = await parse(metrics);

    const counter = parsed.faultline_inference_requests_total;
    assert.equal(counter?.type, "counter");
    assert.equal(
      value(parsed, "faultline_inference_requests_total", {
        route: "infer",
        model: "ppocr-v4-rec",
        code: "200",
      }),
      2,
    );
    assert.equal(
      value(parsed, "faultline_inference_requests_total", {
        route: "chat",
        model: UNKNOWN_MODEL,
        code: "404",
      }),
      1,
    );
    assert.equal(counter?.data.length, 3);

    const histogram = parsed.faultline_inference_request_duration_seconds;
    assert.equal(histogram?.type, "histogram");
    const ok = ((histogram?.data ?? []) as PromHistogramData[]).find(
      (series) => series.labels.model === "ppocr-v4-rec" && series.labels.code === "200",
    );
    assert.ok(ok);
    assert.equal(ok.count, 2);
    assert.equal(ok.buckets["+Inf"], 2);
    assert.equal(ok.buckets["0.01"], 0);
    assert.equal(ok.buckets["0.025"], 1);
    assert.equal(ok.buckets["0.5"], 2);
    assert.ok(Math.abs((ok.sum ?? 0) - 0.32) < 1e-9);
  });
});

describe("scrape-time gauges", () => {
  it("writes every fault type, run status and job state, zeros included", async () => {
    const metrics = createMetrics({ processMetrics: false });
    applySnapshot(metrics, {
      chaos: { activeFaultTypes: ["latency", "latency", "network"], halted: false },
      runs: [
        { status: "passed", count: 3 },
        { status: "queued", count: 1 },
      ],
      queues: {
        names: ["experiment-run"],
        counts: [
          { queue: "experiment-run", state: "created", count: 4 },
          { queue: "experiment-run", state: "retry", count: 1 },
          { queue: "experiment-run", state: "active", count: 2 },
          // A queue nobody watches is not exported: the queue label stays bounded.
          { queue: "something-else", state: "created", count: 9 },
        ],
      },
    });
    const parsed = await parse(metrics);

    assert.equal(parsed.faultline_faults_active?.data.length, FAULT_TYPES.length);
    assert.equal(value(parsed, "faultline_faults_active", { type: "latency", layer: "app" }), 2);
    assert.equal(value(parsed, "faultline_faults_active", { type: "network", layer: "network" }), 1);
    assert.equal(value(parsed, "faultline_faults_active", { type: "hang", layer: "app" }), 0);
    assert.equal(value(parsed, "faultline_chaos_halted", {}), 0);

    assert.equal(parsed.faultline_runs?.data.length, RUN_STATUSES.length);
    assert.equal(value(parsed, "faultline_runs", { status: "passed" }), 3);
    assert.equal(value(parsed, "faultline_runs", { status: "errored" }), 0);

    assert.equal(parsed.faultline_queue_jobs?.data.length, JOB_STATES.length);
    assert.equal(value(parsed, "faultline_queue_jobs", { queue: "experiment-run", state: "active" }), 2);
    assert.equal(value(parsed, "faultline_queue_jobs", { queue: "experiment-run", state: "failed" }), 0);
    assert.equal(value(parsed, "faultline_queue_depth", { queue: "experiment-run" }), 5);
    assert.equal(value(parsed, "faultline_queue_depth", { queue: "something-else" }), undefined);

    for (const collector of ["chaos", "runs", "queues"]) {
      assert.equal(value(parsed, "faultline_metrics_collector_up", { collector }), 1);
    }
  });

  it("drops the series of a source that failed instead of repeating stale values", async () => {
    const metrics = createMetrics({ processMetrics: false });
    applySnapshot(metrics, {
      chaos: { activeFaultTypes: ["latency"], halted: true },
      runs: [{ status: "running", count: 2 }],
      queues: { names: ["experiment-run"], counts: [] },
    });
    applySnapshot(metrics, { chaos: { activeFaultTypes: [], halted: true } });
    let parsed = await parse(metrics);
    assert.equal(value(parsed, "faultline_chaos_halted", {}), 1);
    assert.equal(value(parsed, "faultline_faults_active", { type: "latency", layer: "app" }), 0);
    assert.equal(parsed.faultline_runs?.data.length ?? 0, 0);
    assert.equal(parsed.faultline_queue_depth?.data.length ?? 0, 0);
    assert.equal(value(parsed, "faultline_metrics_collector_up", { collector: "runs" }), 0);
    assert.equal(value(parsed, "faultline_metrics_collector_up", { collector: "queues" }), 0);
    assert.equal(value(parsed, "faultline_metrics_collector_up", { collector: "chaos" }), 1);

    // Not knowing whether chaos is halted is not the same as knowing it is armed.
    applySnapshot(metrics, {});
    parsed = await parse(metrics);
    assert.equal(parsed.faultline_chaos_halted, undefined);
    assert.equal(parsed.faultline_faults_active?.data.length ?? 0, 0);
    assert.equal(value(parsed, "faultline_metrics_collector_up", { collector: "chaos" }), 0);
    applySnapshot(metrics, { chaos: { activeFaultTypes: [], halted: false } });
    assert.equal(value(await parse(metrics), "faultline_chaos_halted", {}), 0);
  });
});
