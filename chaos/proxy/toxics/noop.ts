// noop: passes every chunk through. It is also what a stub runs when toxicity decides against
// applying its toxic (shared/specs/toxiproxy.md §3.4).
import type { StubHandle, ToxicDefinition, ToxicRunner } from "./definition";
import { UNBUFFERED_BYTES } from "./definition";

export class PassThroughRunner implements ToxicRunner {
  private active = true;

  constructor(private readonly stub: StubHandle) {}

  pump(): void {
    while (this.active) {
      const chunk = this.stub.take();
      if (chunk === undefined) {
        if (this.stub.atEnd()) this.stub.close();
        return;
      }
      this.stub.emit(chunk);
    }
  }

  interrupt(): boolean {
    this.active = false;
    return true;
  }

  dispose(): void {
    this.active = false;
  }

  heldBytes(): number {
    return 0;
  }
}

export const noopToxic: ToxicDefinition = {
  type: "noop",
  goName: "NoopToxic",
  fields: [],
  bufferBytes: UNBUFFERED_BYTES,
  run: (stub) => new PassThroughRunner(stub),
};
