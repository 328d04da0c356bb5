import assert from "node:assert/strict";
import { readdir } from "node:fs/promises";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { AppError } from "../../kernel/errors";
import { loadSpecFile } from "./load-spec";
import {
  candidateOf,
  type ExperimentSpec,
  parseExperimentSpec,
  phaseAt,
  runLengthSeconds,
  specSha256,
} from "./spec";

/**
 * A complete drill: three targets (one external), a corruption mix, four phases, every SLO form;
 * app-level faults on the built-in targets, a network fault on the external one.
 */
const EXAMPLE_YAML = `
name: ppocr int8 under latency and noise
description: Does the int8 candidate stay fast and right when the link slows and inputs get noisy?
version: "2"
targets:
  - { name: int8, model: ppocr-v4-int8, role: candidate }
  - { name: fp32, model: ppocr-v4, role: baseline }
  - name: qwen
    url: http://127.0.0.1:8000/v1/chat/completions
    model: Qwen2-VL-2B-Instruct
    role: baseline
    headers: { Authorization: Bearer local-token }
dataset:
  name: textline-v1
  limit: 200
  corruptions:
    - { corruption: gaussian_noise, severity: 3, weight: 0.2 }
    - { corruption: text_typos, severity: 2 }
load:
  arrival: poisson
  rate: 20
  durationSeconds: 120
  maxInFlight: 64
  timeoutMs: 5000
  seed: 42
phases:
  - { name: warmup, durationSeconds: 10, counts: false }
  - { name: steady, durationSeconds: 30 }
  - name: fault
    durationSeconds: 50
    faults:
      - { type: latency, latencyMs: 200, jitterMs: 50, probability: 0.5, model: fp32 }
      - { type: corrupt_input, corruption: jpeg, severity: 4, model: int8 }
      - type: network
        proxy: qwen
        toxic: { type: latency, attributes: { latency: 300, jitter: 20 } }
  - { name: recovery, durationSeconds: 30 }
hypothesis:
  - phase: "*"
    slos:
      - success_rate>=0.999 ~ >=0.98
      - error_rate{class:timeout}<0.01
      - accuracy>=0.9
  - phase: steady
    target: int8
    slos:
      - p(99)<500
      - { metric: avg, target: "<100", tolerance: "<500" }
      - p(99.9){clock:service}<800
      - cer<0.05
  - phase: fault
    slos: ["p(99) < 2000 ~ < 4000", "throughput>=15", "count>=500", "max<5000"]
stopConditions:
  - { when: "success_rate < 0.5", overSeconds: 5 }
  - { when: "p(99)>10000", overSeconds: 10, target: int8 }
`;

// biome-ignore lint/suspicious/noExplicitAny: each test breaks the raw YAML tree in its own place
type RawSpec = any;

const example = (): RawSpec => parse(EXAMPLE_YAML);

/** The example with one change, parsed: the invalid_spec AppError it must throw. */
function rejection(change: (spec: RawSpec) => void): AppError {
  const input = example();
  change(input);
  try {
    parseExperimentSpec(input);
  } catch (error) {
    assert.ok(error instanceof AppError, `expected an AppError, got ${String(error)}`);
    assert.equal(error.code, "invalid_spec");
    assert.equal(error.status, 400);
    return error;
  }
  assert.fail("the spec was accepted");
}

/** "path: message" of the first issue, as a user reads it. */
const firstProblem = (change: (spec: RawSpec) => void) => {
  const issue = (rejection(change).details as { issues: { path: string; message: string }[] }).issues[0];
  return `${issue?.path}: ${issue?.message}`;
};

describe("parseExperimentSpec", () => {
  it("accepts a complete spec and fills in the defaults", () => {
    const spec = parseExperimentSpec(example());
    assert.equal(candidateOf(spec).name, "int8");
    assert.equal(spec.targets[2]?.url, "http://127.0.0.1:8000/v1/chat/completions");
    assert.deepEqual(
      spec.phases.map((phase) => [phase.name, phase.counts]),
      [
        ["warmup", false],
        ["steady", true],
        ["fault", true],
        ["recovery", true],
      ],
    );
    const [latency, corrupt, network] = spec.phases[2]?.faults ?? [];
    assert.deepEqual(latency, {
      type: "latency",
      latencyMs: 200,
      jitterMs: 50,
      distribution: "uniform",
      probability: 0.5,
      model: "fp32",
    });
    assert.equal(corrupt?.probability, 1);
    assert.equal(corrupt?.model, "int8");
    assert.equal(network?.type === "network" && network.toxic.stream, "downstream");
    assert.equal(spec.hypothesis[0]?.target, "*");
    assert.equal(spec.stopConditions[0]?.target, "*");
  });

  it("gives every corruption its share of the items, splitting what is left", () => {
    const spec = parseExperimentSpec(example());
    assert.deepEqual(
      spec.dataset.corruptions.map((entry) => [entry.corruption, entry.weight]),
      [
        ["gaussian_noise", 0.2],
        ["text_typos", 0.8],
      ],
    );
  });

  it("writes every SLO and stop condition in one canonical form", () => {
    const spec = parseExperimentSpec(example());
    assert.deepEqual(spec.hypothesis[0]?.slos[0], {
      metric: "success_rate",
      target: ">=0.999",
      tolerance: ">=0.98",
    });
    assert.deepEqual(spec.hypothesis[1]?.slos[2], { metric: "p(99.9){clock:service}", target: "<800" });
    assert.deepEqual(spec.hypothesis[2]?.slos[0], { metric: "p(99)", target: "<2000", tolerance: "<4000" });
    assert.equal(spec.stopConditions[0]?.when, "success_rate<0.5");
  });

  it("accepts its own output, so a stored spec validates again unchanged", () => {
    const spec = parseExperimentSpec(example());
    assert.deepEqual(parseExperimentSpec(JSON.parse(JSON.stringify(spec))), spec);
  });

  it("points at the offending field with a sentence", () => {
    const error = rejection((spec) => {
      spec.phases[2].faults[0].latencyMs = -1;
    });
    assert.equal(error.message, "Invalid experiment spec: phases[2].faults[0].latencyMs: must be 0 or more.");
    assert.deepEqual(error.details, {
      issues: [{ path: "phases[2].faults[0].latencyMs", message: "must be 0 or more" }],
    });
  });

  it("names unknown and missing fields", () => {
    assert.equal(
      firstProblem((spec) => {
        spec.targets[0].modle = "x";
      }),
      "targets[0].modle: is not a known field",
    );
    assert.equal(
      firstProblem((spec) => {
        delete spec.targets[1].role;
      }),
      "targets[1].role: is required",
    );
    assert.equal(
      firstProblem((spec) => {
        spec.load.rate = "20";
      }),
      "load.rate: must be a number (got a string)",
    );
    assert.equal(
      firstProblem((spec) => {
        spec.load.arrival = "burst";
      }),
      "load.arrival: must be one of constant, ramp, poisson",
    );
    assert.match(
      rejection((spec) => delete spec.name).message,
      /^Invalid experiment spec: name: is required\.$/,
    );
  });

  it("counts the further problems in the message", () => {
    const error = rejection((spec) => {
      spec.load.maxInFlight = 0;
      spec.load.timeoutMs = 1.5;
    });
    assert.equal(error.message, "Invalid experiment spec: load.maxInFlight: must be 1 or more (and 1 more).");
  });

  it("rejects anything but an object", () => {
    assert.throws(
      () => parseExperimentSpec("name: x"),
      /Invalid experiment spec: must be an object \(got a string\)/,
    );
  });
});

describe("targets", () => {
  it("needs exactly one candidate", () => {
    assert.equal(
      firstProblem((spec) => {
        spec.targets[1].role = "candidate";
      }),
      "targets[1].role: only one target can be the candidate (targets[0] is)",
    );
    assert.equal(
      firstProblem((spec) => {
        spec.targets[0].role = "baseline";
      }),
      "targets: needs exactly one target with role: candidate (found none)",
    );
  });

  it("needs unique names", () => {
    assert.equal(
      firstProblem((spec) => {
        spec.targets[2].name = "fp32";
      }),
      'targets[2].name: "fp32" is already the name of targets[1]',
    );
  });

  it("takes headers only with an http(s) url", () => {
    assert.equal(
      firstProblem((spec) => {
        spec.targets[0].headers = { "x-key": "1" };
      }),
      "targets[0].headers: apply to url targets only (add url or drop them)",
    );
    assert.equal(
      firstProblem((spec) => {
        spec.targets[2].url = "ftp://127.0.0.1/v1/chat/completions";
      }),
      "targets[2].url: must be an http(s) URL of a chat-completions endpoint",
    );
    assert.equal(
      firstProblem((spec) => {
        spec.targets[2].headers = { "bad header": "x" };
      }),
      'targets[2].headers["bad header"]: is not a valid HTTP header name',
    );
  });
});

describe("phases and faults", () => {
  it("takes faults in the fault API's shape, and none of the lease the runner owns", () => {
    assert.equal(
      firstProblem((spec) => {
        spec.phases[2].faults[0].ttlSeconds = 30;
      }),
      "phases[2].faults[0].ttlSeconds: is set by the runner; leave it out of the spec",
    );
    assert.equal(
      firstProblem((spec) => {
        spec.phases[2].faults[0].scope = { all: true };
      }),
      "phases[2].faults[0].scope: is set by the runner; leave it out of the spec",
    );
    assert.match(
      firstProblem((spec) => {
        spec.phases[2].faults[0].type = "laggy";
      }),
      /^phases\[2\]\.faults\[0\]\.type: must be one of latency, error, hang, .*network$/,
    );
    assert.equal(
      firstProblem((spec) => {
        spec.phases[2].faults[2].toxic.toxicity = 2;
      }),
      "phases[2].faults[2].toxic.toxicity: must be from 0 to 1",
    );
    assert.equal(
      firstProblem((spec) => {
        spec.phases[2].faults[0].probability = 1.5;
      }),
      "phases[2].faults[0].probability: must be 1 or less",
    );
  });

  it("keeps probability to per-request faults", () => {
    assert.equal(
      firstProblem((spec) => {
        spec.phases[2].faults[2].probability = 0.5;
      }),
      "phases[2].faults[2].probability: applies to per-request faults; a network fault acts on the whole process or link",
    );
  });

  it("restricts a fault to a target that exists", () => {
    assert.equal(
      firstProblem((spec) => {
        spec.phases[2].faults[1].model = "int9";
      }),
      'phases[2].faults[1].model: "int9" is not a target; targets are int8, fp32, qwen',
    );
  });

  it("refuses an app-level fault on a URL target: it is applied inside Faultline", () => {
    assert.equal(
      firstProblem((spec) => {
        spec.phases[2].faults[0].model = "qwen";
      }),
      'phases[2].faults[0].model: "qwen" is a URL target; app-level faults (latency) are applied inside Faultline and cannot reach its traffic — use a network fault with proxy: qwen',
    );
    assert.match(
      firstProblem((spec) => {
        spec.phases[2].faults[1].model = "qwen";
      }),
      /^phases\[2\]\.faults\[1\]\.model: "qwen" is a URL target; app-level faults \(corrupt_input\)/,
    );
  });

  it("refuses an app-level fault for every target when one of them is a URL target", () => {
    assert.equal(
      firstProblem((spec) => {
        delete spec.phases[2].faults[0].model;
      }),
      "phases[2].faults[0]: has no model, so it names every target, but app-level faults (latency) are applied inside Faultline and reach only the built-in ones (int8, fp32), not the URL target qwen; name a built-in target in model (e.g. model: int8) or use a network fault with proxy: qwen",
    );
    assert.equal(
      firstProblem((spec) => {
        spec.targets = [spec.targets[2], { ...spec.targets[2], name: "gpt", role: "candidate" }];
        spec.phases[2].faults = [{ type: "error", status: 503 }];
        spec.hypothesis = [{ slos: ["success_rate>=0.99"] }];
        spec.stopConditions = [];
      }),
      "phases[2].faults[0]: has no model, so it names every target, but app-level faults (error) are applied inside Faultline and cannot reach the URL targets qwen, gpt; use a network fault with proxy: qwen",
    );
  });

  it("accepts an app-level fault for every target when all of them are built in", () => {
    const input = example();
    input.targets.pop();
    input.phases[2].faults[2].proxy = "fp32";
    delete input.phases[2].faults[0].model;
    const spec = parseExperimentSpec(input);
    assert.equal(spec.phases[2]?.faults[0]?.model, undefined);
  });

  it("refuses a fault that would also reach a target it does not name", () => {
    assert.equal(
      firstProblem((spec) => {
        spec.phases[2].faults.push({ type: "cpu_burn", cores: 1, model: "int8" });
      }),
      "phases[2].faults[3].model: a cpu_burn fault acts on Faultline's whole process, so it would also reach fp32; it can name a target only when that is the only built-in one",
    );
    assert.equal(
      firstProblem((spec) => {
        spec.targets[1].model = "ppocr-v4-int8";
      }),
      'phases[2].faults[0].model: "fp32" serves ppocr-v4-int8, as int8 does; faults match requests by model, so this one would also reach int8',
    );
    const input = example();
    input.targets.splice(1, 1);
    input.phases[2].faults = [{ type: "memory_pressure", mib: 64, model: "int8" }];
    input.hypothesis[1].slos.pop();
    assert.equal(parseExperimentSpec(input).phases[2]?.faults[0]?.model, "int8");
  });

  it("takes a network fault on any target, named in proxy", () => {
    const spec = parseExperimentSpec(example());
    const network = spec.phases[2]?.faults[2];
    assert.equal(network?.type === "network" && network.proxy, "qwen");
    const onBuiltIn = example();
    onBuiltIn.phases[2].faults[2].proxy = "int8";
    const fault = parseExperimentSpec(onBuiltIn).phases[2]?.faults[2];
    assert.equal(fault?.type === "network" && fault.proxy, "int8");
  });

  it("refuses a network fault that names no target", () => {
    assert.equal(
      firstProblem((spec) => {
        spec.phases[2].faults[2].proxy = "inference";
      }),
      'phases[2].faults[2].proxy: "inference" is not a target; a network fault names the target whose traffic it acts on (targets are int8, fp32, qwen)',
    );
    assert.equal(
      firstProblem((spec) => {
        delete spec.phases[2].faults[2].proxy;
      }),
      "phases[2].faults[2].proxy: is required: a network fault names the target whose traffic it acts on",
    );
    assert.equal(
      firstProblem((spec) => {
        spec.phases[2].faults[2].model = "int8";
      }),
      "phases[2].faults[2].model: a network fault reaches the target named in proxy; leave model out",
    );
  });

  it("needs the phases to last load.durationSeconds, or derives it", () => {
    assert.equal(
      firstProblem((spec) => {
        spec.load.durationSeconds = 100;
      }),
      "load.durationSeconds: is 100 but the phases last 120 s in total; make them agree or leave it out",
    );
    const input = example();
    delete input.load.durationSeconds;
    const spec = parseExperimentSpec(input);
    assert.equal(spec.load.durationSeconds, 120);
    assert.equal(runLengthSeconds(spec), 120);
  });

  it("runs one counted phase, main, when none are given", () => {
    const input = example();
    delete input.phases;
    input.hypothesis = [{ phase: "main", slos: ["success_rate>=0.99"] }];
    const spec = parseExperimentSpec(input);
    assert.deepEqual(spec.phases, [{ name: "main", durationSeconds: 120, counts: true, faults: [] }]);
    delete input.load.durationSeconds;
    assert.throws(
      () => parseExperimentSpec(input),
      /load\.durationSeconds: is required when no phases are given/,
    );
  });

  it("reports an empty phase list once, not its follow-on problems", () => {
    const error = rejection((spec) => {
      spec.phases = [];
    });
    assert.equal(error.message, "Invalid experiment spec: phases: must not be empty.");
  });

  it("needs unique phase names and one phase that counts", () => {
    assert.equal(
      firstProblem((spec) => {
        spec.phases[3].name = "steady";
      }),
      'phases[3].name: "steady" is already the name of phases[1]',
    );
    assert.equal(
      firstProblem((spec) => {
        for (const phase of spec.phases) phase.counts = false;
        spec.hypothesis = [{ slos: ["count>0"] }];
      }),
      "phases: at least one phase must count (counts: true), or no SLO is ever judged",
    );
  });

  it("asks for rampTo exactly when the arrival is a ramp", () => {
    assert.equal(
      firstProblem((spec) => {
        spec.load.arrival = "ramp";
      }),
      "load.rampTo: is required for a ramp",
    );
    assert.equal(
      firstProblem((spec) => {
        spec.load.rampTo = 40;
      }),
      "load.rampTo: applies to arrival: ramp only (arrival is poisson)",
    );
    const input = example();
    input.load.arrival = "ramp";
    input.load.rampTo = 40;
    assert.equal(parseExperimentSpec(input).load.rampTo, 40);
  });
});

describe("dataset", () => {
  it("keeps the corruption mix within the items there are", () => {
    assert.equal(
      firstProblem((spec) => {
        spec.dataset.corruptions[0].weight = 0.7;
        spec.dataset.corruptions[1].weight = 0.4;
      }),
      "dataset.corruptions: weights sum to 1.1; at most 1",
    );
    assert.equal(
      firstProblem((spec) => {
        spec.dataset.corruptions[0].weight = 1;
      }),
      "dataset.corruptions: the weights given already sum to 1, leaving nothing for the entries without one",
    );
    assert.equal(
      firstProblem((spec) => {
        spec.dataset.corruptions.push({ corruption: "gaussian_noise", severity: 3 });
      }),
      "dataset.corruptions[2]: repeats corruptions[0]",
    );
    assert.equal(
      firstProblem((spec) => {
        spec.dataset.corruptions[0].severity = 6;
      }),
      "dataset.corruptions[0].severity: must be one of 1, 2, 3, 4, 5",
    );
  });
});

describe("hypothesis and stop conditions", () => {
  it("points at a bad SLO in either form", () => {
    assert.match(
      firstProblem((spec) => {
        spec.hypothesis[0].slos[1] = "latency<5";
      }),
      /^hypothesis\[0\]\.slos\[1\]: unknown metric "latency"/,
    );
    assert.equal(
      firstProblem((spec) => {
        spec.hypothesis[1].slos[1].tolerance = "<50";
      }),
      "hypothesis[1].slos[1].tolerance: <50 must be looser than the target <100",
    );
    assert.equal(
      firstProblem((spec) => {
        spec.hypothesis[1].slos[1].target = 100;
      }),
      'hypothesis[1].slos[1].target: must be a comparison such as ">=0.999" or "<500"',
    );
  });

  it("judges only phases and targets that exist", () => {
    assert.equal(
      firstProblem((spec) => {
        spec.hypothesis[1].phase = "stedy";
      }),
      'hypothesis[1].phase: "stedy" is not a phase; phases are warmup, steady, fault, recovery',
    );
    assert.equal(
      firstProblem((spec) => {
        spec.hypothesis[1].phase = "warmup";
      }),
      'hypothesis[1].phase: "warmup" does not count (counts: false), so its SLOs are never judged',
    );
    assert.equal(
      firstProblem((spec) => {
        spec.hypothesis[1].target = "int9";
      }),
      'hypothesis[1].target: "int9" is not a target; targets are int8, fp32, qwen',
    );
  });

  it("needs an SLO the candidate can fail", () => {
    assert.equal(
      firstProblem((spec) => {
        spec.hypothesis = [{ target: "fp32", slos: ["success_rate>=0.99"] }];
      }),
      'hypothesis: no SLO applies to the candidate "int8", so the run could never fail',
    );
  });

  it("takes stop conditions without tolerance, on targets that exist", () => {
    assert.equal(
      firstProblem((spec) => {
        spec.stopConditions[0].when = "success_rate<0.5 ~ <0.4";
      }),
      "stopConditions[0].when: a stop condition has no tolerance: it aborts as soon as it holds",
    );
    assert.equal(
      firstProblem((spec) => {
        spec.stopConditions[1].target = "int9";
      }),
      'stopConditions[1].target: "int9" is not a target; targets are int8, fp32, qwen',
    );
    assert.match(
      firstProblem((spec) => {
        spec.stopConditions[0].when = "success_rate<<0.5";
      }),
      /^stopConditions\[0\]\.when: "<<" is not a comparison/,
    );
  });
});

describe("specSha256", () => {
  it("ignores key order, spacing in thresholds and defaults written out", () => {
    const spec = parseExperimentSpec(example());
    const reordered = example();
    reordered.load = Object.fromEntries(Object.entries(reordered.load).reverse());
    reordered.hypothesis[2].slos[0] = "p(99)<2000 ~ <4000";
    reordered.phases[1].counts = true;
    assert.match(specSha256(spec), /^[0-9a-f]{64}$/);
    assert.equal(specSha256(parseExperimentSpec(reordered)), specSha256(spec));
  });

  it("changes when the drill changes", () => {
    const changed = example();
    changed.load.seed = 43;
    assert.notEqual(specSha256(parseExperimentSpec(changed)), specSha256(parseExperimentSpec(example())));
  });
});

describe("phase timeline", () => {
  const spec: ExperimentSpec = parseExperimentSpec(example());

  it("finds the phase running at a second of the run", () => {
    assert.equal(phaseAt(spec, 0)?.phase.name, "warmup");
    assert.equal(phaseAt(spec, 9.99)?.phase.name, "warmup");
    assert.deepEqual((({ phase, ...span }) => ({ name: phase.name, ...span }))(phaseAt(spec, 10)!), {
      name: "steady",
      index: 1,
      startSecond: 10,
      endSecond: 40,
    });
    assert.equal(phaseAt(spec, 89)?.phase.name, "fault");
    assert.equal(phaseAt(spec, 119.5)?.phase.name, "recovery");
  });

  it("finds none before the start or after the end", () => {
    assert.equal(phaseAt(spec, -1), undefined);
    assert.equal(phaseAt(spec, 120), undefined);
  });
});

describe("the shipped drills", () => {
  it("all validate, and every network fault names one of their targets", async () => {
    const files = (await readdir("experiments")).filter((file) => file.endsWith(".yaml"));
    assert.ok(files.length >= 3);
    for (const file of files) {
      const spec = await loadSpecFile(`experiments/${file}`);
      const names = spec.targets.map((target) => target.name);
      for (const fault of spec.phases.flatMap((phase) => phase.faults)) {
        if (fault.type === "network") assert.ok(names.includes(fault.proxy), `${file}: ${fault.proxy}`);
      }
    }
  });

  it("latency-drill delays fp32 only and judges int8 as the control", async () => {
    const spec = await loadSpecFile("experiments/latency-drill.yaml");
    const faulted = spec.phases.find((phase) => phase.name === "network-latency");
    assert.deepEqual(
      faulted?.faults.map((fault) => fault.type === "network" && fault.proxy),
      ["fp32"],
    );
    const slos = (target: string) =>
      spec.hypothesis
        .filter((entry) => entry.phase === "network-latency" && entry.target === target)
        .flatMap((entry) => entry.slos.map((slo) => `${slo.metric}${slo.target}`));
    assert.ok(slos("fp32").includes("p(50)>=100"), "the named target shows the delay");
    assert.ok(slos("int8").includes("p(50)<80"), "the control is not delayed");
  });
});
