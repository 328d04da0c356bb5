import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, it } from "node:test";
import { after } from "./timers";

describe("toxic timers", () => {
  it("soon() runs while the event loop has no I/O to wake it (an unref'd immediate would wait)", () => {
    // A quiet child process (after start-up): here the test runner's own I/O would wake the loop anyway.
    const script = `
      import { soon } from ${JSON.stringify(path.join(import.meta.dirname, "timers.ts"))};
      const keepAlive = setTimeout(() => undefined, 3000);
      setTimeout(() => {
        const started = performance.now();
        soon(() => { console.log(Math.round(performance.now() - started)); clearTimeout(keepAlive); });
      }, 200);`;
    const child = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      encoding: "utf8",
    });
    assert.equal(child.status, 0, child.stderr);
    assert.ok(Number(child.stdout) < 500, `soon() ran after ${child.stdout.trim()} ms`);
  });

  it("after() never fires before its deadline and can be cancelled", async () => {
    for (const delayMs of [1, 5, 20]) {
      const started = performance.now();
      await new Promise<void>((resolve) => after(delayMs, resolve));
      assert.ok(performance.now() - started >= delayMs);
    }
    let fired = false;
    after(10, () => {
      fired = true;
    }).cancel();
    await new Promise((resolve) => setTimeout(resolve, 30));
    assert.equal(fired, false);
  });

  it("after() handles delays beyond setTimeout's 24.8-day limit without firing early", async () => {
    let fired = false;
    const timer = after(2 ** 31 + 10, () => {
      fired = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 30));
    assert.equal(fired, false);
    timer.cancel();
  });
});
