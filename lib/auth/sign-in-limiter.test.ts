import assert from "node:assert/strict";
import { test } from "node:test";
import { createSignInLimiter } from "./sign-in-limiter";

test("a client is refused after five failures within a minute, and may try again after it", () => {
  const limiter = createSignInLimiter();
  for (let i = 0; i < 5; i++) {
    assert.equal(limiter.retryAfterSeconds("a", 1_000 + i), 0);
    limiter.recordFailure("a", 1_000 + i);
  }
  assert.equal(limiter.retryAfterSeconds("a", 2_000), 59, "until the oldest failure is a minute old");
  assert.equal(limiter.retryAfterSeconds("b", 2_000), 0, "another client is not affected");
  assert.equal(limiter.retryAfterSeconds("a", 61_001), 0);
});

test("a success forgets the client's failures", () => {
  const limiter = createSignInLimiter({ perClient: 2 });
  limiter.recordFailure("a", 0);
  limiter.recordSuccess("a");
  limiter.recordFailure("a", 1);
  assert.equal(limiter.retryAfterSeconds("a", 2), 0);
});

test("failures spread over many clients hit the overall limit", () => {
  const limiter = createSignInLimiter({ perClient: 5, overall: 10 });
  for (let i = 0; i < 10; i++) limiter.recordFailure(`client-${i}`, i);
  assert.ok(limiter.retryAfterSeconds("fresh", 100) > 0);
});
