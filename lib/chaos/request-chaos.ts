// The faults of one request, applied at the stages of the inference path: delay, hang and error
// before the model; corrupted input; the model's own faults (slow, failing, overloaded);
// garbled output; an aborted connection and the x-faultline-faults header on the way out.
import { truncateResponse } from "../../chaos/faults/abort";
import { corruptImage, corruptPrompt } from "../../chaos/faults/corrupt-input";
import { garble } from "../../chaos/faults/corrupt-output";
import { EMPTY_PLAN, type Plan } from "../../chaos/plan";
import { AppError } from "../../kernel/errors";
import type { InferenceHooks } from "../inference/hooks";
import type { ModelFaults } from "../inference/model-server";
import type { RawImage } from "../inference/types";
import type { ChaosRuntime } from "./runtime";

export const FAULTS_HEADER = "x-faultline-faults";

export class RequestChaos implements InferenceHooks {
  private plan: Plan = EMPTY_PLAN;

  constructor(
    private readonly runtime: ChaosRuntime | undefined,
    private readonly run: string | undefined,
    private readonly signal: AbortSignal,
  ) {}

  /** Decides the request's faults now that its model is known, and applies delay, hang, error. */
  async beforeModel(model: string): Promise<void> {
    if (!this.runtime) return;
    this.plan = this.runtime.planFor({ run: this.run, model });
    if (this.plan.hits.length === 0) return;
    if (this.plan.delayMs > 0) await abortableSleep(this.plan.delayMs, this.signal);
    if (this.plan.hang) await this.runtime.waitForRelease(this.plan.hang.faultId, this.signal);
    const error = this.plan.error;
    if (error) {
      throw new AppError("injected_fault", error.params.message, error.params.status, {
        faultId: error.faultId,
      });
    }
  }

  async corruptInput(image: RawImage, prompt: string | undefined) {
    let corrupted = { image, prompt };
    for (const hit of this.plan.corruptInput) {
      const seed = this.seedFrom(hit.faultId);
      corrupted = {
        image: await corruptImage(hit.params, corrupted.image, seed),
        prompt: corruptPrompt(hit.params, corrupted.prompt, seed),
      };
    }
    return corrupted;
  }

  modelFaults(): ModelFaults | undefined {
    const { slowFactor, failure, overload } = this.plan;
    if (slowFactor === 1 && !failure && !overload) return undefined;
    return {
      slowFactor,
      failure: failure?.params.message,
      gate: overload ? this.runtime?.gateFor(overload.faultId) : undefined,
    };
  }

  corruptAnswer(answer: string): string {
    let result = answer;
    for (const hit of this.plan.corruptOutput) {
      const random = this.runtime?.streamFor(hit.faultId);
      if (random) result = garble(result, hit.params, random);
    }
    return result;
  }

  /** Marks which faults hit, and cuts the connection when an abort fault did. */
  async finish(response: Response): Promise<Response> {
    if (this.plan.hits.length === 0) return response;
    response.headers.set(FAULTS_HEADER, this.plan.hits.join(","));
    return this.plan.abort ? truncateResponse(response, this.plan.abort.params) : response;
  }

  private seedFrom(faultId: string): string {
    const random = this.runtime?.streamFor(faultId);
    return `${faultId}:${random ? random.int(0, 2 ** 31 - 1) : 0}`;
  }
}

/** The chaos of a request no fault can hit. */
export const NO_CHAOS = new RequestChaos(undefined, undefined, new AbortController().signal);

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}
