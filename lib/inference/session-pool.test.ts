import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DeadlineExceededError, QueueFullError, SessionPool } from "./session-pool";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A task that runs until `finish()` is called, recording how many run at once. */
function controllable(track: { running: number; peak: number }) {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const task = async () => {
    track.running += 1;
    track.peak = Math.max(track.peak, track.running);
    await done;
    track.running -= 1;
    return "ok";
  };
  return { task, finish };
}

describe("SessionPool", () => {
  it("never runs more than `concurrency` tasks at once and serves the queue in order", async () => {
    const pool = new SessionPool("m", 2, 10);
    const track = { running: 0, peak: 0 };
    const order: number[] = [];
    const jobs = Array.from({ length: 6 }, (_, i) => {
      const job = controllable(track);
      return { ...job, result: pool.run(job.task, 5_000).then(() => order.push(i)) };
    });
    await sleep(5);
    assert.equal(pool.stats().active, 2);
    assert.equal(pool.stats().queued, 4);
    for (const job of jobs) {
      job.finish();
      await sleep(2);
    }
    await Promise.all(jobs.map((job) => job.result));
    assert.equal(track.peak, 2);
    assert.deepEqual(order, [0, 1, 2, 3, 4, 5]);
    assert.equal(pool.stats().completed, 6);
  });

  it("sheds a request at once with 429 and a Retry-After when the queue is full", async () => {
    const pool = new SessionPool("m", 1, 1);
    const track = { running: 0, peak: 0 };
    const first = controllable(track);
    const second = controllable(track);
    const running = pool.run(first.task, 5_000);
    const queued = pool.run(second.task, 5_000);
    await assert.rejects(
      pool.run(async () => "never", 5_000),
      (error: unknown) => {
        assert.ok(error instanceof QueueFullError);
        assert.equal(error.status, 429);
        assert.ok(error.retryAfterSeconds >= 1);
        return true;
      },
    );
    assert.equal(pool.stats().shed, 1);
    first.finish();
    second.finish();
    await Promise.all([running, queued]);
  });

  it("drops a request whose deadline passes in the queue without ever running it", async () => {
    const pool = new SessionPool("m", 1, 5);
    const track = { running: 0, peak: 0 };
    const blocker = controllable(track);
    const running = pool.run(blocker.task, 5_000);
    let ran = false;
    await assert.rejects(
      pool.run(async () => {
        ran = true;
      }, 30),
      (error: unknown) => error instanceof DeadlineExceededError && error.status === 504,
    );
    blocker.finish();
    await running;
    await sleep(5);
    assert.equal(ran, false);
    assert.equal(pool.stats().queued, 0);
  });

  it("answers 504 at the deadline but keeps the slot until the model call returns", async () => {
    const pool = new SessionPool("m", 1, 5);
    const track = { running: 0, peak: 0 };
    const slow = controllable(track);
    await assert.rejects(pool.run(slow.task, 20), DeadlineExceededError);
    assert.equal(pool.stats().active, 1, "the session is still busy");
    slow.finish();
    await sleep(5);
    assert.equal(pool.stats().active, 0);
  });

  it("starts waiting requests when its concurrency is raised, and obeys a cut", async () => {
    const pool = new SessionPool("m", 1, 10);
    const track = { running: 0, peak: 0 };
    const jobs = Array.from({ length: 3 }, () => controllable(track));
    const results = jobs.map((job) => pool.run(job.task, 5_000));
    await sleep(5);
    assert.equal(track.running, 1);
    pool.setConcurrency(3);
    await sleep(5);
    assert.equal(track.running, 3);
    for (const job of jobs) job.finish();
    await Promise.all(results);
  });
});

describe("SessionPool with a runtime that blocks the event loop", () => {
  it("still answers 504 when the answer comes after the deadline", async () => {
    const pool = new SessionPool("m", 1, 5);
    const blocking = async () => {
      const until = performance.now() + 30;
      while (performance.now() < until) {
        // busy, as onnxruntime-node's session.run is
      }
      return "late";
    };
    await assert.rejects(pool.run(blocking, 5), DeadlineExceededError);
    assert.equal(pool.stats().timedOut, 1);
    assert.equal(pool.stats().active, 0);
  });
});
