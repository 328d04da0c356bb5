import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createRandom, type Random } from "../kernel/random";
import { type Fault, FaultParams } from "./faults/index";
import { type ChaosRequest, covers, EMPTY_PLAN, plan } from "./plan";

const NOW = Date.UTC(2026, 11, 7, 12, 0, 0);

/** An active fault as the runtime holds it: hits everything, for a minute, unless told otherwise. */
function fault(id: string, params: Record<string, unknown>, lease: Partial<Fault> = {}): Fault {
  return {
    id,
    params: FaultParams.parse(params),
    probability: 1,
    scope: { all: true },
    actor: "test",
    createdAt: new Date(NOW - 1000),
    expiresAt: new Date(NOW + 60_000),
    ...lease,
  };
}

/** The runtime's rule: one stream per fault, seeded by its seed or else its id, kept across requests. */
function streams(): { streamFor: (fault: Fault) => Random; draws: Map<string, number> } {
  const byId = new Map<string, Random>();
  const draws = new Map<string, number>();
  const streamFor = (fault: Fault): Random => {
    let random = byId.get(fault.id);
    if (random === undefined) {
      random = counting(createRandom(fault.seed ?? fault.id), () =>
        draws.set(fault.id, (draws.get(fault.id) ?? 0) + 1),
      );
      byId.set(fault.id, random);
    }
    return random;
  };
  return { streamFor, draws };
}

/** A Random that reports every uniform draw (normal() draws through next() here). */
function counting(random: Random, onDraw: () => void): Random {
  const next = () => {
    onDraw();
    return random.next();
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    normal: () => random.normal(),
    pick: (items) => random.pick(items),
    fork: (label) => random.fork(label),
  };
}

const MODEL_A: ChaosRequest = { run: "run-1", model: "vit-small" };

/** Which of `requests` requests the faults hit: one string of 0/1 per fault id. */
function hitPattern(faults: Fault[], requests: number, request = MODEL_A): Record<string, string> {
  const { streamFor } = streams();
  const pattern: Record<string, string> = Object.fromEntries(faults.map((f) => [f.id, ""]));
  for (let i = 0; i < requests; i += 1) {
    const hits = new Set(plan(request, faults, streamFor, NOW).hits);
    for (const f of faults) pattern[f.id] += hits.has(f.id) ? "1" : "0";
  }
  return pattern;
}

describe("covers (scope, model and lease)", () => {
  const error = { type: "error" };

  it("scope all covers every request, with or without a run", () => {
    const all = fault("f1", error);
    assert.equal(covers(all, { run: "run-1", model: "a" }, NOW), true);
    assert.equal(covers(all, { model: "b" }, NOW), true);
  });

  it("scope run covers only requests carrying that run", () => {
    const scoped = fault("f1", error, { scope: { run: "run-1" } });
    assert.equal(covers(scoped, { run: "run-1", model: "a" }, NOW), true);
    assert.equal(covers(scoped, { run: "run-2", model: "a" }, NOW), false);
    assert.equal(covers(scoped, { model: "a" }, NOW), false);
  });

  it("a model filter covers only that model, in either scope", () => {
    for (const scope of [{ all: true as const }, { run: "run-1" }]) {
      const filtered = fault("f1", error, { scope, model: "vit-small" });
      assert.equal(covers(filtered, { run: "run-1", model: "vit-small" }, NOW), true);
      assert.equal(covers(filtered, { run: "run-1", model: "vit-base" }, NOW), false);
    }
  });

  it("ignores a lease from the millisecond it expires", () => {
    assert.equal(covers(fault("f1", error, { expiresAt: new Date(NOW + 1) }), MODEL_A, NOW), true);
    assert.equal(covers(fault("f1", error, { expiresAt: new Date(NOW) }), MODEL_A, NOW), false);
    assert.equal(covers(fault("f1", error, { expiresAt: new Date(NOW - 1) }), MODEL_A, NOW), false);
  });
});

describe("plan (which faults hit one request)", () => {
  it("returns the shared empty plan when nothing hits", () => {
    const { streamFor } = streams();
    assert.equal(plan(MODEL_A, [], streamFor, NOW), EMPTY_PLAN);
    const elsewhere = fault("f1", { type: "error" }, { scope: { run: "run-2" } });
    assert.equal(plan(MODEL_A, [elsewhere], streamFor, NOW), EMPTY_PLAN);
    assert.ok(Object.isFrozen(EMPTY_PLAN));
    assert.deepEqual(EMPTY_PLAN, {
      hits: [],
      delayMs: 0,
      corruptInput: [],
      corruptOutput: [],
      slowFactor: 1,
    });
  });

  it("skips expired leases, other runs, other models and process-wide faults", () => {
    const { streamFor } = streams();
    const faults = [
      fault("expired", { type: "error" }, { expiresAt: new Date(NOW) }),
      fault("other-run", { type: "error" }, { scope: { run: "run-2" } }),
      fault("other-model", { type: "error" }, { model: "vit-base" }),
      fault("burn", { type: "cpu_burn", cores: 1 }),
      fault("memory", { type: "memory_pressure", mib: 1 }),
      fault("network", { type: "network", proxy: "model", toxic: { type: "latency" } }),
      fault("mine", { type: "error", status: 500 }, { scope: { run: "run-1" }, model: "vit-small" }),
    ];
    const result = plan(MODEL_A, faults, streamFor, NOW);
    assert.deepEqual(result.hits, ["mine"]);
    assert.deepEqual(result.error, {
      faultId: "mine",
      params: { type: "error", status: 500, message: "Injected by a Faultline error fault." },
    });
  });

  it("probability 1 always hits without a draw; probability 0 never hits and never asks for a stream", () => {
    const { streamFor, draws } = streams();
    const always = fault("always", { type: "error" }, { probability: 1 });
    const never = fault("never", { type: "hang" }, { probability: 0 });
    let asked = 0;
    const watching = (f: Fault) => {
      if (f.id === "never") asked += 1;
      return streamFor(f);
    };
    for (let i = 0; i < 10_000; i += 1) {
      assert.deepEqual(plan(MODEL_A, [never, always], watching, NOW).hits, ["always"]);
    }
    assert.equal(asked, 0);
    assert.equal(draws.get("always") ?? 0, 0);
    assert.equal(draws.get("never") ?? 0, 0);
  });

  it("makes exactly one draw per covered request in between", () => {
    const { streamFor, draws } = streams();
    const half = fault("half", { type: "error" }, { probability: 0.5 });
    for (let i = 0; i < 100; i += 1) plan(MODEL_A, [half], streamFor, NOW);
    plan(MODEL_A, [{ ...half, model: "vit-base" }], streamFor, NOW);
    assert.equal(draws.get("half"), 100);
  });

  it("replays the same hits for the same seed (fixed sequence) and other hits for another seed", () => {
    const seeded = (seed: string) => fault("f1", { type: "error" }, { probability: 0.3, seed });
    const first = hitPattern([seeded("p30")], 40).f1;
    assert.equal(first, "1010000000000010001001000010000000011001");
    assert.equal(hitPattern([seeded("p30")], 40).f1, first);
    assert.notEqual(hitPattern([seeded("p30-b")], 40).f1, first);
    // Without a seed the fault's id seeds its stream.
    assert.equal(hitPattern([fault("p30", { type: "error" }, { probability: 0.3 })], 40).p30, first);
  });

  it("hits within binomial bounds over 20 000 requests (p = 0.05, 0.3, 0.9)", () => {
    const n = 20_000;
    for (const p of [0.05, 0.3, 0.9]) {
      for (const seed of ["a", "b", "c"]) {
        const hits = [
          ...(hitPattern([fault("f", { type: "error" }, { probability: p, seed })], n).f ?? ""),
        ].filter((bit) => bit === "1").length;
        // ±4.5 standard deviations: a correct stream fails this about once in 150 000 tries.
        const sd = Math.sqrt(n * p * (1 - p));
        assert.ok(Math.abs(hits - n * p) <= 4.5 * sd, `p=${p} seed=${seed}: ${hits} of ${n}`);
      }
    }
  });

  it("gives every fault its own stream: adding a fault does not shift another's decisions", () => {
    const a = fault("a", { type: "error" }, { probability: 0.5, seed: "seed-a" });
    const b = fault("b", { type: "corrupt_output" }, { probability: 0.5, seed: "seed-b" });
    const alone = hitPattern([a], 200).a;
    const together = hitPattern([b, a], 200);
    assert.equal(together.a, alone);
    assert.equal(together.b, hitPattern([b], 200).b);
    assert.notEqual(together.a, together.b);
  });

  it("combines what hit: delays add, slow factors multiply, the first error/hang/abort/failure/overload wins", () => {
    const { streamFor } = streams();
    const faults = [
      fault("lat1", { type: "latency", latencyMs: 100 }),
      fault("lat2", { type: "latency", latencyMs: 250 }),
      fault("slow1", { type: "slow_model", factor: 2 }),
      fault("slow2", { type: "slow_model", factor: 1.5 }),
      fault("err1", { type: "error", status: 502 }),
      fault("err2", { type: "error", status: 504 }),
      fault("hang", { type: "hang" }),
      fault("abort", { type: "abort", afterBytes: 10 }),
      fault("in1", { type: "corrupt_input", corruption: "gaussian_noise", severity: 3 }),
      fault("in2", { type: "corrupt_input", corruption: "text_typos", severity: 1 }),
      fault("out", { type: "corrupt_output", rate: 0.1 }),
      fault("fail1", { type: "model_failure" }),
      fault("fail2", { type: "model_failure", message: "second" }),
      fault("over1", { type: "overload", concurrency: 2 }),
      fault("over2", { type: "overload" }),
    ];
    const result = plan(MODEL_A, faults, streamFor, NOW);
    assert.deepEqual(
      result.hits,
      faults.map((f) => f.id),
    );
    assert.equal(result.delayMs, 350);
    assert.equal(result.slowFactor, 3);
    assert.equal(result.error?.faultId, "err1");
    assert.equal(result.error?.params.status, 502);
    assert.equal(result.hang?.faultId, "hang");
    assert.deepEqual(result.abort, { faultId: "abort", params: { type: "abort", afterBytes: 10 } });
    assert.deepEqual(
      result.corruptInput.map((hit) => hit.faultId),
      ["in1", "in2"],
    );
    assert.deepEqual(result.corruptOutput, [
      { faultId: "out", params: { type: "corrupt_output", rate: 0.1 } },
    ]);
    assert.equal(result.failure?.faultId, "fail1");
    assert.deepEqual(result.overload, {
      faultId: "over1",
      params: { type: "overload", concurrency: 2, queueSize: 0 },
    });
  });

  it("draws the latency jitter from the fault's stream after its hit draw, so delays replay", () => {
    const jittery = fault("lat", { type: "latency", latencyMs: 200, jitterMs: 50 }, { probability: 0.5 });
    const delays = (seed: string) => {
      const { streamFor } = streams();
      const f = { ...jittery, seed };
      return Array.from(
        { length: 8 },
        () => Math.round(plan(MODEL_A, [f], streamFor, NOW).delayMs * 1000) / 1000,
      );
    };
    const first = delays("jitter");
    assert.deepEqual(first, [247.963, 0, 0, 0, 0, 0, 0, 230.775]);
    assert.deepEqual(delays("jitter"), first);
    assert.notDeepEqual(delays("jitter-2"), first);
    for (const delayMs of first)
      assert.ok(delayMs === 0 || (delayMs >= 150 && delayMs <= 250), String(delayMs));
  });
});
