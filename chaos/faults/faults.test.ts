// Each fault type's pure part, replayed from seeds: its parameters (defaults, bounds and the
// sentence a bad value gets) and its per-request decision (delay, cut, garbling, corruption).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AppError } from "../../kernel/errors";
import { createRandom } from "../../kernel/random";
import { applyCorruption, applyTextTypos } from "../corruptions";
import { sceneImage } from "../corruptions/test-support";
import { TOXICS } from "../proxy/toxics/index";
import { readToxicAttributes, readToxicCreate } from "../proxy/validate";
import { truncateResponse } from "./abort";
import { type CorruptInputFault, corruptImage, corruptPrompt } from "./corrupt-input";
import { garble } from "./corrupt-output";
import { injectedErrorBody } from "./error";
import { FAULT_TYPES, type FaultParams, faultLayer, isRequestFault, parseFaultRequest } from "./index";
import { type LatencyFault, sampleDelayMs } from "./latency";
import { MAX_BURN_CORES, MAX_DELAY_MS, MAX_PRESSURE_MIB, MAX_TTL_SECONDS } from "./limits";
import { TOXIC_TYPES } from "./network";

const LEASE = { ttlSeconds: 60, scope: { all: true } };

/** Parses a fault body with a valid lease; returns its parameters. */
function params<T extends FaultParams["type"]>(body: { type: T } & Record<string, unknown>) {
  return parseFaultRequest({ ...LEASE, ...body }).params as Extract<FaultParams, { type: T }>;
}

/** The body is refused with a 400 of this code and exactly this sentence. */
function refuses(body: Record<string, unknown>, message: string, code = "invalid_fault"): void {
  assert.throws(
    () => parseFaultRequest({ ...LEASE, ...body }),
    (error: unknown) => {
      assert.ok(error instanceof AppError);
      assert.equal(error.status, 400);
      assert.equal(error.code, code);
      assert.equal(error.message, message);
      return true;
    },
  );
}

/** Counts `hits` of `n` against the binomial mean, ±4.5 standard deviations. */
function assertBinomial(hits: number, n: number, p: number, what: string): void {
  const sd = Math.sqrt(n * p * (1 - p));
  assert.ok(Math.abs(hits - n * p) <= 4.5 * sd, `${what}: ${hits} of ${n}, expected ${n * p} ± ${4.5 * sd}`);
}

const round3 = (value: number) => Math.round(value * 1000) / 1000;

describe("parseFaultRequest (every type, the lease)", () => {
  it("knows the twelve fault types, three of them process-wide and one at the network layer", () => {
    assert.deepEqual(FAULT_TYPES, [
      "latency",
      "error",
      "hang",
      "abort",
      "slow_model",
      "model_failure",
      "overload",
      "corrupt_input",
      "corrupt_output",
      "cpu_burn",
      "memory_pressure",
      "network",
    ]);
    assert.deepEqual(
      FAULT_TYPES.filter((type) => !isRequestFault(type)),
      ["cpu_burn", "memory_pressure", "network"],
    );
    assert.deepEqual(FAULT_TYPES.map(faultLayer).filter((layer) => layer === "network").length, 1);
  });

  it("splits the lease from the parameters and fills the lease's defaults", () => {
    const request = parseFaultRequest({ type: "hang", ttlSeconds: 30, scope: { run: " run-1 " }, seed: 7 });
    assert.deepEqual(request, {
      params: { type: "hang" },
      lease: { probability: 1, ttlSeconds: 30, scope: { run: "run-1" }, seed: 7 },
    });
  });

  it("refuses what is not one fault, an unknown type and an unknown field, naming them", () => {
    for (const body of [["latency"], null, "latency"]) {
      assert.throws(() => parseFaultRequest(body), {
        status: 400,
        code: "invalid_fault",
        message: "The body must be a JSON object describing one fault.",
      });
    }
    refuses(
      { type: "flood" },
      `"type" must be one of ${FAULT_TYPES.join(", ")} (got "flood").`,
      "unknown_fault_type",
    );
    refuses({ type: undefined }, `"type" must be one of ${FAULT_TYPES.join(", ")}.`, "unknown_fault_type");
    refuses({ type: "hang", timeoutMs: 5 }, 'Unknown field "timeoutMs" for this fault type.');
    refuses({ type: "hang", a: 1, b: 2 }, 'Unknown fields "a", "b" for this fault type.');
  });

  it("refuses a bad lease: probability, ttl, scope", () => {
    const hang = { type: "hang" };
    refuses({ ...hang, probability: 1.5 }, "probability must be from 0 to 1");
    refuses({ ...hang, probability: -0.1 }, "probability must be from 0 to 1");
    refuses({ ...hang, probability: "half" }, "probability must be a number from 0 to 1");
    refuses(
      { ...hang, ttlSeconds: undefined },
      "ttlSeconds is required: a whole number of seconds from 1 to 3600",
    );
    refuses({ ...hang, ttlSeconds: 1.5 }, "ttlSeconds must be a whole number");
    refuses({ ...hang, ttlSeconds: 0 }, `ttlSeconds must be from 1 to ${MAX_TTL_SECONDS}`);
    refuses(
      { ...hang, ttlSeconds: MAX_TTL_SECONDS + 1 },
      `ttlSeconds must be at most ${MAX_TTL_SECONDS}: renew the lease instead`,
    );
    refuses(
      { ...hang, scope: { run: "a", all: true } },
      'scope must be { "run": "<run id>" } or { "all": true }',
    );
    refuses({ ...hang, scope: "all" }, 'scope must be { "run": "<run id>" } or { "all": true }');
  });

  it("refuses a probability on the process-wide faults", () => {
    for (const body of [
      { type: "cpu_burn", cores: 1 },
      { type: "memory_pressure", mib: 1 },
      { type: "network", proxy: "model", toxic: { type: "latency" } },
    ]) {
      refuses(
        { ...body, probability: 0.5 },
        `probability applies to per-request faults; a ${body.type} fault acts on the whole process (leave probability out).`,
      );
      assert.equal(parseFaultRequest({ ...LEASE, ...body, probability: 1 }).lease.probability, 1);
    }
  });
});

describe("latency", () => {
  const latency = (jitterMs: number, distribution: "uniform" | "normal", latencyMs = 100): LatencyFault => ({
    type: "latency",
    latencyMs,
    jitterMs,
    distribution,
  });

  it("defaults to no jitter, uniform, and refuses negative or over-long delays", () => {
    assert.deepEqual(params({ type: "latency", latencyMs: 50 }), {
      type: "latency",
      latencyMs: 50,
      jitterMs: 0,
      distribution: "uniform",
    });
    refuses({ type: "latency", latencyMs: -1 }, "latencyMs must be 0 or more");
    refuses({ type: "latency", latencyMs: 10, jitterMs: -1 }, "jitterMs must be 0 or more");
    refuses(
      { type: "latency", latencyMs: MAX_DELAY_MS + 1 },
      "latencyMs: Too big: expected number to be <=120000",
    );
    refuses(
      { type: "latency", latencyMs: 10, distribution: "pareto" },
      'distribution: Invalid option: expected one of "uniform"|"normal"',
    );
    refuses({ type: "latency" }, "latencyMs: Invalid input: expected number, received undefined");
  });

  it("without jitter, delays exactly latencyMs", () => {
    const random = createRandom(1);
    for (let i = 0; i < 100; i += 1) assert.equal(sampleDelayMs(latency(0, "uniform"), random), 100);
    for (let i = 0; i < 100; i += 1) assert.equal(sampleDelayMs(latency(0, "normal"), random), 100);
  });

  it("replays the same delays for the same seed, others for another seed", () => {
    const delays = (seed: number, distribution: "uniform" | "normal") => {
      const random = createRandom(seed);
      return Array.from({ length: 6 }, () => round3(sampleDelayMs(latency(20, distribution), random)));
    };
    assert.deepEqual(delays(42, "uniform"), [116.424, 94.576, 111.314, 115.335, 98.394, 93.615]);
    assert.deepEqual(delays(42, "normal"), [71.061, 133.079, 125.983, 76.621, 88.063, 118.714]);
    assert.deepEqual(delays(42, "uniform"), delays(42, "uniform"));
    assert.notDeepEqual(delays(43, "uniform"), delays(42, "uniform"));
    assert.notDeepEqual(delays(43, "normal"), delays(42, "normal"));
  });

  it("uniform jitter: latency ± jitter, flat (mean, half below, variance jitter²/3)", () => {
    const n = 20_000;
    const random = createRandom("uniform");
    const values = Array.from({ length: n }, () => sampleDelayMs(latency(50, "uniform", 200), random));
    assert.ok(values.every((value) => value >= 150 && value < 250));
    const mean = values.reduce((a, b) => a + b, 0) / n;
    const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / n;
    // Standard error of the mean: 50/√3/√n ≈ 0.2 ms.
    assert.ok(Math.abs(mean - 200) < 1, `mean ${mean}`);
    assert.ok(Math.abs(variance / (2500 / 3) - 1) < 0.05, `variance ${variance}`);
    assertBinomial(values.filter((value) => value < 200).length, n, 0.5, "below the latency");
    assertBinomial(values.filter((value) => value >= 237.5).length, n, 0.125, "in the top eighth");
  });

  it("normal jitter: jitter is the standard deviation (68.27% within one)", () => {
    const n = 20_000;
    const random = createRandom("normal");
    const values = Array.from({ length: n }, () => sampleDelayMs(latency(100, "normal", 1000), random));
    const mean = values.reduce((a, b) => a + b, 0) / n;
    const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / n);
    assert.ok(Math.abs(mean - 1000) < 3.5, `mean ${mean}`);
    assert.ok(Math.abs(sd - 100) < 3, `sd ${sd}`);
    assertBinomial(
      values.filter((value) => Math.abs(value - 1000) <= 100).length,
      n,
      0.682689,
      "within 1 sd",
    );
    assertBinomial(values.filter((value) => Math.abs(value - 1000) > 200).length, n, 0.0455, "beyond 2 sd");
  });

  it("never delays less than 0: draws below zero become 0 (P(Z < -0.1) ≈ 46%)", () => {
    const n = 20_000;
    const random = createRandom("clamp");
    const values = Array.from({ length: n }, () => sampleDelayMs(latency(100, "normal", 10), random));
    assert.ok(values.every((value) => value >= 0));
    assertBinomial(values.filter((value) => value === 0).length, n, 0.460172, "clamped to 0");
    const uniform = Array.from({ length: n }, () => sampleDelayMs(latency(100, "uniform", 10), random));
    assertBinomial(uniform.filter((value) => value === 0).length, n, 0.45, "uniform clamped to 0");
  });
});

describe("error", () => {
  it("answers 503 with the standard error body by default", () => {
    const fault = params({ type: "error" });
    assert.deepEqual(fault, { type: "error", status: 503, message: "Injected by a Faultline error fault." });
    assert.deepEqual(injectedErrorBody(fault, "f1"), {
      error: {
        code: "injected_fault",
        message: "Injected by a Faultline error fault.",
        details: { faultId: "f1" },
      },
    });
  });

  it("takes any 4xx or 5xx status and refuses the rest", () => {
    assert.equal(params({ type: "error", status: 400 }).status, 400);
    assert.equal(params({ type: "error", status: 599 }).status, 599);
    refuses({ type: "error", status: 399 }, "status must be from 400 to 599");
    refuses({ type: "error", status: 600 }, "status must be from 400 to 599");
    refuses({ type: "error", status: 500.5 }, "status: Invalid input: expected int, received number");
    refuses(
      { type: "error", message: "x".repeat(501) },
      "message: Too big: expected string to have <=500 characters",
    );
  });
});

describe("hang", () => {
  it("has no parameters", () => {
    assert.deepEqual(params({ type: "hang" }), { type: "hang" });
    refuses({ type: "hang", afterMs: 100 }, 'Unknown field "afterMs" for this fault type.');
  });
});

describe("abort", () => {
  const body = "0123456789";
  const read = async (response: Response) => {
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const received: string[] = [];
    for (;;) {
      try {
        const { done, value } = await reader.read();
        if (done) return { received: received.join(""), error: undefined };
        received.push(Buffer.from(value).toString());
      } catch (error) {
        return { received: received.join(""), error: (error as Error).message };
      }
    }
  };
  const cut = (afterBytes?: number) =>
    truncateResponse(
      new Response(body, { status: 201, headers: { "x-kept": "yes" } }),
      afterBytes === undefined ? { type: "abort" } : { type: "abort", afterBytes },
    );

  it("sends half the body by default, announces the full length, then fails the stream", async () => {
    const response = await cut();
    assert.equal(response.status, 201);
    assert.equal(response.headers.get("x-kept"), "yes");
    assert.equal(response.headers.get("content-length"), "10");
    assert.deepEqual(await read(response), {
      received: "01234",
      error: "Connection aborted by a Faultline abort fault.",
    });
  });

  it("cuts after afterBytes, at most the whole body, and at 0 sends nothing", async () => {
    assert.equal((await read(await cut(3))).received, "012");
    assert.deepEqual(await read(await cut(0)), {
      received: "",
      error: "Connection aborted by a Faultline abort fault.",
    });
    assert.deepEqual(await read(await cut(1000)), {
      received: body,
      error: "Connection aborted by a Faultline abort fault.",
    });
  });

  it("refuses a negative or fractional afterBytes", () => {
    refuses({ type: "abort", afterBytes: -1 }, "afterBytes must be 0 or more");
    refuses({ type: "abort", afterBytes: 1.5 }, "afterBytes: Invalid input: expected int, received number");
  });
});

describe("slow_model", () => {
  it("takes a factor from 1 to 100", () => {
    assert.deepEqual(params({ type: "slow_model", factor: 2.5 }), { type: "slow_model", factor: 2.5 });
    assert.equal(params({ type: "slow_model", factor: 1 }).factor, 1);
    assert.equal(params({ type: "slow_model", factor: 100 }).factor, 100);
    refuses({ type: "slow_model", factor: 0.5 }, "factor must be 1 or more");
    refuses({ type: "slow_model", factor: 101 }, "factor must be 100 or less");
    refuses({ type: "slow_model" }, "factor: Invalid input: expected number, received undefined");
  });
});

describe("model_failure", () => {
  it("fails the session with a marked message, or the one given", () => {
    assert.deepEqual(params({ type: "model_failure" }), {
      type: "model_failure",
      message: "Session failed (injected by a Faultline model_failure fault).",
    });
    assert.equal(params({ type: "model_failure", message: "OOM" }).message, "OOM");
    refuses(
      { type: "model_failure", message: 42 },
      "message: Invalid input: expected string, received number",
    );
  });
});

describe("overload", () => {
  it("defaults to one at a time with no queue, and bounds both", () => {
    assert.deepEqual(params({ type: "overload" }), { type: "overload", concurrency: 1, queueSize: 0 });
    assert.deepEqual(params({ type: "overload", concurrency: 0, queueSize: 10_000 }), {
      type: "overload",
      concurrency: 0,
      queueSize: 10_000,
    });
    refuses({ type: "overload", concurrency: -1 }, "concurrency must be 0 or more");
    refuses({ type: "overload", queueSize: -1 }, "queueSize must be 0 or more");
    refuses({ type: "overload", concurrency: 65 }, "concurrency: Too big: expected number to be <=64");
    refuses({ type: "overload", queueSize: 10_001 }, "queueSize: Too big: expected number to be <=10000");
  });
});

describe("corrupt_input", () => {
  const typos: CorruptInputFault = { type: "corrupt_input", corruption: "text_typos", severity: 5 };
  const noise: CorruptInputFault = { type: "corrupt_input", corruption: "gaussian_noise", severity: 3 };
  const prompt = "What colour is the umbrella held by the woman on the left of the picture?";

  it("accepts the eight image corruptions and text_typos at severities 1–5", () => {
    assert.deepEqual(params({ type: "corrupt_input", corruption: "jpeg", severity: 1 }), {
      type: "corrupt_input",
      corruption: "jpeg",
      severity: 1,
    });
    refuses(
      { type: "corrupt_input", corruption: "motion_blur", severity: 1 },
      "corruption must be one of gaussian_noise, gaussian_blur, jpeg, contrast, brightness, occlusion, pixelate, rotation, text_typos",
    );
    refuses(
      { type: "corrupt_input", corruption: "jpeg", severity: 6 },
      "severity: Invalid option: expected one of 1|2|3|4|5",
    );
    refuses(
      { type: "corrupt_input", corruption: "jpeg", severity: 2.5 },
      "severity: Invalid option: expected one of 1|2|3|4|5",
    );
    refuses(
      { type: "corrupt_input", corruption: "jpeg" },
      "severity: Invalid option: expected one of 1|2|3|4|5",
    );
  });

  it("text_typos changes the prompt, the same way for the same seed, and never the image", async () => {
    const first = corruptPrompt(typos, prompt, "f1:7");
    assert.equal(first, "Wah tccoloru is the umbrlla held by t woman on the lleft of the piivture?");
    assert.equal(corruptPrompt(typos, prompt, "f1:7"), first);
    assert.equal(first, applyTextTypos(prompt, 5, "f1:7"));
    assert.notEqual(corruptPrompt(typos, prompt, "f1:8"), first);
    assert.equal(corruptPrompt(typos, undefined, "f1:7"), undefined);
    const image = sceneImage();
    assert.equal(await corruptImage(typos, image, "f1:7"), image);
  });

  it("an image corruption changes the image, replayed from the seed, and never the prompt", async () => {
    const image = sceneImage();
    const first = await corruptImage(noise, image, "f2:1");
    assert.notDeepEqual(first.data, image.data);
    assert.deepEqual((await corruptImage(noise, image, "f2:1")).data, first.data);
    assert.deepEqual(first.data, (await applyCorruption("gaussian_noise", image, 3, "f2:1")).data);
    assert.notDeepEqual((await corruptImage(noise, image, "f2:2")).data, first.data);
    assert.equal(corruptPrompt(noise, prompt, "f2:1"), prompt);
  });
});

describe("corrupt_output", () => {
  const answer = "a red umbrella, held by the woman on the left";

  it("replaces 30% of characters by default; rate is a fraction from 0 to 1", () => {
    assert.deepEqual(params({ type: "corrupt_output" }), { type: "corrupt_output", rate: 0.3 });
    refuses({ type: "corrupt_output", rate: 1.1 }, "rate must be from 0 to 1");
    refuses({ type: "corrupt_output", rate: -0.1 }, "rate must be from 0 to 1");
  });

  it("replays the same garbling for the same seed, another for another seed", () => {
    const fault = { type: "corrupt_output" as const, rate: 0.3 };
    const first = garble(answer, fault, createRandom("out-1"));
    assert.equal(first, "a red kmbrella, held by th8 w2mankonstrxlleft");
    assert.equal(garble(answer, fault, createRandom("out-1")), first);
    assert.notEqual(garble(answer, fault, createRandom("out-2")), first);
  });

  it("keeps the length, changes every chosen character to a different one, about rate of them", () => {
    const n = 20_000;
    const text = "abcdefghij".repeat(n / 10);
    for (const rate of [0.05, 0.3, 0.9]) {
      const garbled = garble(text, { type: "corrupt_output", rate }, createRandom(`rate-${rate}`));
      assert.equal(garbled.length, text.length);
      const changed = [...garbled].filter((char, i) => char !== text[i]).length;
      assertBinomial(changed, n, rate, `rate ${rate}`);
    }
    const all = garble(answer, { type: "corrupt_output", rate: 1 }, createRandom(3));
    assert.ok(
      [...all].every((char, i) => char !== answer[i]),
      all,
    );
  });

  it("changes at least one character of a non-empty answer; leaves empty answers and rate 0 alone", () => {
    for (let seed = 0; seed < 200; seed += 1) {
      const garbled = garble("ok", { type: "corrupt_output", rate: 0.001 }, createRandom(seed));
      assert.notEqual(garbled, "ok");
      assert.equal(garbled.length, 2);
    }
    assert.equal(garble("", { type: "corrupt_output", rate: 1 }, createRandom(1)), "");
    assert.equal(garble(answer, { type: "corrupt_output", rate: 0 }, createRandom(1)), answer);
  });
});

describe("cpu_burn and memory_pressure (bounded by the host)", () => {
  it("cpu_burn takes 1 to all of this host's cores, at full duty unless told", () => {
    assert.deepEqual(params({ type: "cpu_burn", cores: 1 }), {
      type: "cpu_burn",
      cores: 1,
      dutyPercent: 100,
    });
    assert.equal(params({ type: "cpu_burn", cores: MAX_BURN_CORES, dutyPercent: 1 }).cores, MAX_BURN_CORES);
    refuses({ type: "cpu_burn", cores: 0 }, "cores must be 1 or more");
    refuses(
      { type: "cpu_burn", cores: MAX_BURN_CORES + 1 },
      `cores must be at most ${MAX_BURN_CORES} (this host's cores)`,
    );
    refuses(
      { type: "cpu_burn", cores: 1, dutyPercent: 0 },
      "dutyPercent: Too small: expected number to be >=1",
    );
    refuses(
      { type: "cpu_burn", cores: 1, dutyPercent: 101 },
      "dutyPercent: Too big: expected number to be <=100",
    );
  });

  it("memory_pressure takes 1 MiB to a quarter of the host's memory, at most 4 GiB", () => {
    assert.ok(MAX_PRESSURE_MIB >= 1 && MAX_PRESSURE_MIB <= 4096);
    assert.deepEqual(params({ type: "memory_pressure", mib: MAX_PRESSURE_MIB }), {
      type: "memory_pressure",
      mib: MAX_PRESSURE_MIB,
    });
    refuses({ type: "memory_pressure", mib: 0 }, "mib must be 1 or more");
    refuses(
      { type: "memory_pressure", mib: MAX_PRESSURE_MIB + 1 },
      `mib must be at most ${MAX_PRESSURE_MIB} on this host`,
    );
  });
});

describe("network (a toxic under a lease)", () => {
  const network = (toxic: Record<string, unknown>) => params({ type: "network", proxy: "model", toxic });

  /** What the proxy makes of the toxic the runtime sends for fault `f1` ({ ...toxic, name }). */
  const asProxyReads = (toxic: ReturnType<typeof network>["toxic"]) => {
    const input = readToxicCreate(JSON.stringify({ ...toxic, name: "faultline_f1" }));
    const attributes = readToxicAttributes(TOXICS[input.type], input.attributes, {});
    return {
      name: input.name,
      type: input.type,
      direction: input.direction,
      toxicity: input.toxicity,
      attributes,
    };
  };

  it("offers every proxy toxic but noop, downstream at toxicity 1 unless told", () => {
    assert.deepEqual(TOXIC_TYPES, [
      "latency",
      "bandwidth",
      "slow_close",
      "timeout",
      "reset_peer",
      "slicer",
      "limit_data",
    ]);
    assert.deepEqual(network({ type: "bandwidth", attributes: { rate: 100 } }), {
      type: "network",
      proxy: "model",
      toxic: { type: "bandwidth", stream: "downstream", toxicity: 1, attributes: { rate: 100 } },
    });
  });

  it("becomes the proxy toxic it describes: type, direction, toxicity, attributes (missing ones 0)", () => {
    assert.deepEqual(asProxyReads(network({ type: "latency", attributes: { latency: 200 } }).toxic), {
      name: "faultline_f1",
      type: "latency",
      direction: "downstream",
      toxicity: 1,
      attributes: { latency: 200, jitter: 0 },
    });
    assert.deepEqual(
      asProxyReads(
        network({
          type: "slicer",
          stream: "upstream",
          toxicity: 0.25,
          attributes: { average_size: 64, delay: 10 },
        }).toxic,
      ),
      {
        name: "faultline_f1",
        type: "slicer",
        direction: "upstream",
        toxicity: 0.25,
        attributes: { average_size: 64, size_variation: 0, delay: 10 },
      },
    );
    for (const type of TOXIC_TYPES.filter((t) => t !== "slicer")) {
      assert.equal(asProxyReads(network({ type }).toxic).type, type);
    }
  });

  it("a toxic the proxy would refuse fails as the proxy says", () => {
    assert.throws(() => asProxyReads(network({ type: "slicer" }).toxic), {
      status: 400,
      message: "invalid attributes: slicer average_size must be at least 1",
    });
  });

  it("refuses noop, other streams, a toxicity outside 0–1 and negative attributes", () => {
    const base = { type: "network", proxy: "model" };
    refuses(
      { ...base, toxic: { type: "noop" } },
      "toxic.type must be one of latency, bandwidth, slow_close, timeout, reset_peer, slicer, limit_data",
    );
    refuses(
      { ...base, toxic: { type: "latency", stream: "both" } },
      'toxic.stream: Invalid option: expected one of "upstream"|"downstream"',
    );
    refuses({ ...base, toxic: { type: "latency", toxicity: 2 } }, "toxicity must be from 0 to 1");
    refuses(
      { ...base, toxic: { type: "latency", attributes: { latency: -5 } } },
      "toxic.attributes.latency: toxic attributes must be 0 or more",
    );
    refuses({ ...base, proxy: "", toxic: { type: "latency" } }, "proxy must name a proxy");
  });
});
