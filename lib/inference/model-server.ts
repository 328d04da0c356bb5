// Serves loaded models: each behind its bounded session pool and an opossum circuit breaker,
// with graceful degradation to the fallback its manifest names when it fails, misses its
// deadline or its breaker is open. Load shedding (429) is not a failure and never falls back:
// a full queue must push load away, not onto the fallback.
import CircuitBreaker from "opossum";
import { AppError, describeError } from "../../kernel/errors";
import type { LoadedManifest, ModelManifest } from "../models/manifest";
import { createEngine } from "./engines";
import { DeadlineExceededError, type PoolStats, QueueFullError, SessionPool } from "./session-pool";
import type { Engine, EngineOutput, InferenceInput } from "./types";

export interface InferTimings {
  queueMs: number;
  decodeMs: number;
  inferMs: number;
  totalMs: number;
}

export interface ServedAnswer extends Omit<EngineOutput, "inferMs"> {
  model: string;
  task: string;
  /** The model that actually answered: the requested one, or its fallback. */
  servedBy: string;
  degraded: boolean;
  /** Why the requested model did not answer itself (error code), when degraded. */
  degradedReason?: string;
  timings: InferTimings;
}

export type BreakerState = "closed" | "open" | "half_open";

export interface ModelStatus {
  name: string;
  task: string;
  engine: string;
  role: string;
  fallback: string | null;
  state: "loaded" | "failed";
  error: string | null;
  loadMs: number;
  breaker: BreakerState;
  pool: PoolStats | null;
  counters: {
    requests: number;
    succeeded: number;
    failed: number;
    degraded: number;
    servedAsFallback: number;
  };
}

export class ModelFailureError extends AppError {
  constructor(model: string, cause: unknown) {
    super("model_failure", `Model ${model} failed: ${describeError(cause)}`, 500);
    this.name = "ModelFailureError";
  }
}

class ServedModel {
  readonly pool: SessionPool;
  readonly breaker: CircuitBreaker<
    [InferenceInput, number, ModelFaults | undefined],
    { value: EngineOutput; queueMs: number }
  >;
  readonly counters = { requests: 0, succeeded: 0, failed: 0, degraded: 0, servedAsFallback: 0 };

  constructor(
    readonly manifest: ModelManifest,
    readonly engine: Engine,
    readonly loadMs: number,
  ) {
    const { serving } = manifest;
    this.pool = new SessionPool(manifest.name, serving.concurrency, serving.queueSize);
    this.breaker = new CircuitBreaker(
      async (input: InferenceInput, timeoutMs: number, faults: ModelFaults | undefined) => {
        const call = () => this.pool.run(() => this.run(input, faults), timeoutMs);
        if (!faults?.gate) return call();
        const gated = await faults.gate.run(call, timeoutMs);
        return { value: gated.value.value, queueMs: gated.queueMs + gated.value.queueMs };
      },
      {
        timeout: false, // deadlines are the pool's job, measured from arrival
        errorThresholdPercentage: serving.breaker.errorThresholdPercentage,
        volumeThreshold: serving.breaker.volumeThreshold,
        resetTimeout: serving.breaker.resetTimeoutMs,
        // Shed load says nothing about the model's health.
        errorFilter: (error: unknown) => error instanceof QueueFullError,
      },
    );
  }

  /** One engine call, with the model-level faults of the request (if any) applied. */
  private async run(input: InferenceInput, faults: ModelFaults | undefined): Promise<EngineOutput> {
    if (faults?.failure) throw new Error(faults.failure);
    const output = await this.engine.infer(input);
    const factor = faults?.slowFactor ?? 1;
    if (factor <= 1) return output;
    // The slot stays held for the extra time, so requests queue behind a slow model as they would.
    await new Promise((resolve) => setTimeout(resolve, output.inferMs * (factor - 1)));
    return { ...output, inferMs: output.inferMs * factor };
  }

  breakerState(): BreakerState {
    if (this.breaker.opened) return "open";
    if (this.breaker.halfOpen) return "half_open";
    return "closed";
  }
}

/** Faults applied to one request at the model (see chaos/faults). Only the requested model's. */
export interface ModelFaults {
  /** The model holds its slot this many times as long (slow_model). */
  slowFactor?: number;
  /** The session throws this message (model_failure). */
  failure?: string;
  /** A tighter limit the request queues in before the model's own pool (overload). */
  gate?: SessionPool;
}

export interface InferOptions {
  faults?: ModelFaults;
  /** Deadline from arrival; defaults to the model's `serving.timeoutMs`. */
  timeoutMs?: number;
  /** Time already spent decoding the request's image, reported in the timings. */
  decodeMs?: number;
}

export class ModelServer {
  private constructor(
    private readonly models: Map<string, ServedModel>,
    private readonly failures: Map<string, { manifest: ModelManifest; error: string }>,
  ) {}

  /** Loads every manifest's engine (warm sessions); a model that fails to load is reported, not fatal. */
  static async load(
    manifests: LoadedManifest[],
    log: (message: string) => void = () => {},
  ): Promise<ModelServer> {
    const models = new Map<string, ServedModel>();
    const failures = new Map<string, { manifest: ModelManifest; error: string }>();
    for (const loaded of manifests) {
      const started = performance.now();
      try {
        const engine = await createEngine(loaded);
        const loadMs = performance.now() - started;
        models.set(loaded.manifest.name, new ServedModel(loaded.manifest, engine, loadMs));
        log(`Model ${loaded.manifest.name} loaded in ${Math.round(loadMs)} ms`);
      } catch (error) {
        failures.set(loaded.manifest.name, { manifest: loaded.manifest, error: describeError(error) });
        log(`Model ${loaded.manifest.name} failed to load: ${describeError(error)}`);
      }
    }
    return new ModelServer(models, failures);
  }

  /** Serves engines that are already created (tests, benchmarks, embedding in another process). */
  static fromEngines(entries: Array<{ manifest: ModelManifest; engine: Engine }>): ModelServer {
    return new ModelServer(
      new Map(entries.map(({ manifest, engine }) => [manifest.name, new ServedModel(manifest, engine, 0)])),
      new Map(),
    );
  }

  has(name: string): boolean {
    return this.models.has(name) || this.failures.has(name);
  }

  async infer(name: string, input: InferenceInput, options: InferOptions = {}): Promise<ServedAnswer> {
    const arrived = performance.now();
    const model = this.require(name);
    try {
      return await this.inferOn(model, input, options, arrived);
    } catch (error) {
      const reason = error instanceof AppError ? error.code : "model_failure";
      const fallback = model.manifest.fallback ? this.models.get(model.manifest.fallback) : undefined;
      if (error instanceof QueueFullError || !fallback) throw error;
      model.counters.degraded += 1;
      fallback.counters.servedAsFallback += 1;
      const answer = await this.inferOn(
        fallback,
        input,
        { ...options, timeoutMs: undefined, faults: undefined },
        arrived,
      );
      return { ...answer, model: name, task: model.manifest.task, degraded: true, degradedReason: reason };
    }
  }

  private async inferOn(
    model: ServedModel,
    input: InferenceInput,
    options: InferOptions,
    arrived: number,
  ): Promise<ServedAnswer> {
    model.counters.requests += 1;
    const timeoutMs = options.timeoutMs ?? model.manifest.serving.timeoutMs;
    try {
      const { value, queueMs } = await model.breaker.fire(input, timeoutMs, options.faults);
      model.counters.succeeded += 1;
      const decodeMs = options.decodeMs ?? 0;
      return {
        model: model.manifest.name,
        task: model.manifest.task,
        answer: value.answer,
        confidence: value.confidence,
        lines: value.lines,
        servedBy: model.manifest.name,
        degraded: false,
        timings: {
          queueMs: round(queueMs),
          decodeMs: round(decodeMs),
          inferMs: round(value.inferMs),
          totalMs: round(performance.now() - arrived + decodeMs),
        },
      };
    } catch (error) {
      if (!(error instanceof QueueFullError)) model.counters.failed += 1;
      throw toServingError(model.manifest.name, error, model.manifest.serving.breaker.resetTimeoutMs);
    }
  }

  status(): ModelStatus[] {
    const loaded = [...this.models.values()].map(
      (model): ModelStatus => ({
        ...identity(model.manifest),
        state: "loaded",
        error: null,
        loadMs: round(model.loadMs),
        breaker: model.breakerState(),
        pool: model.pool.stats(),
        counters: { ...model.counters },
      }),
    );
    const failed = [...this.failures.values()].map(
      ({ manifest, error }): ModelStatus => ({
        ...identity(manifest),
        state: "failed",
        error,
        loadMs: 0,
        breaker: "closed",
        pool: null,
        counters: { requests: 0, succeeded: 0, failed: 0, degraded: 0, servedAsFallback: 0 },
      }),
    );
    return [...loaded, ...failed].sort((a, b) => a.name.localeCompare(b.name));
  }

  /** The pool of a loaded model (the `overload` fault changes its concurrency). */
  pool(name: string): SessionPool | undefined {
    return this.models.get(name)?.pool;
  }

  async close(): Promise<void> {
    await Promise.all([...this.models.values()].map((model) => model.engine.close()));
  }

  private require(name: string): ServedModel {
    const model = this.models.get(name);
    if (model) return model;
    const failure = this.failures.get(name);
    if (failure) {
      throw new AppError("model_unavailable", `Model ${name} could not be loaded: ${failure.error}`, 503);
    }
    throw new AppError("model_not_found", `No model named "${name}" is registered.`, 404, {
      available: [...this.models.keys()],
    });
  }
}

function identity(manifest: ModelManifest) {
  return {
    name: manifest.name,
    task: manifest.task,
    engine: manifest.engine,
    role: manifest.role,
    fallback: manifest.fallback ?? null,
  };
}

function toServingError(model: string, error: unknown, resetTimeoutMs: number): AppError {
  if (error instanceof QueueFullError || error instanceof DeadlineExceededError) return error;
  if ((error as { code?: string }).code === "EOPENBREAKER") {
    const retryAfterSeconds = Math.max(1, Math.ceil(resetTimeoutMs / 1000));
    return new AppError(
      "circuit_open",
      `Model ${model} is failing and its circuit breaker is open: retry in ${retryAfterSeconds} s.`,
      503,
      { retryAfterSeconds },
    );
  }
  if (error instanceof AppError) return error;
  return new ModelFailureError(model, error);
}

const round = (ms: number) => Math.round(ms * 100) / 100;
