// noop: passes every chunk through. It is also what a stub runs when toxicity decides against
// applying its toxic (shared/specs/toxiproxy.md §3.4).
import { BaseRunner } from "./base-runner";
import type { Chunk, ToxicDefinition } from "./definition";
import { UNBUFFERED_BYTES } from "./definition";

export class PassThroughRunner extends BaseRunner {
  protected override onChunk(chunk: Chunk): void {
    this.stub.emit(chunk);
  }
}

export const noopToxic: ToxicDefinition = {
  type: "noop",
  goName: "NoopToxic",
  fields: [],
  bufferBytes: UNBUFFERED_BYTES,
  run: (stub) => new PassThroughRunner(stub),
};
