// Repeated failed sign-ins are refused for a while: per client and, so that rotating client
// addresses does not help a guesser, for all clients together. Kept in the web process's memory;
// a restart forgets it, which costs a guesser a restart per few attempts, not a bypass.
export interface SignInLimiterOptions {
  windowMs?: number;
  perClient?: number;
  overall?: number;
}

export interface SignInLimiter {
  /** Seconds to wait before trying again, or 0 when this client may try now. */
  retryAfterSeconds(client: string, nowMs?: number): number;
  recordFailure(client: string, nowMs?: number): void;
  recordSuccess(client: string): void;
}

export function createSignInLimiter(options: SignInLimiterOptions = {}): SignInLimiter {
  const windowMs = options.windowMs ?? 60_000;
  const perClient = options.perClient ?? 5;
  const overall = options.overall ?? 50;
  const failures = new Map<string, number[]>();
  let all: number[] = [];

  const recent = (times: readonly number[], nowMs: number) => times.filter((at) => nowMs - at < windowMs);
  const waitFor = (times: readonly number[], limit: number, nowMs: number) =>
    times.length >= limit
      ? Math.max(1, Math.ceil(((times[times.length - limit] as number) + windowMs - nowMs) / 1000))
      : 0;

  return {
    retryAfterSeconds(client, nowMs = Date.now()) {
      const mine = recent(failures.get(client) ?? [], nowMs);
      all = recent(all, nowMs);
      return Math.max(waitFor(mine, perClient, nowMs), waitFor(all, overall, nowMs));
    },
    recordFailure(client, nowMs = Date.now()) {
      failures.set(client, [...recent(failures.get(client) ?? [], nowMs), nowMs]);
      all = [...recent(all, nowMs), nowMs];
      // Bound memory under a spray of client keys.
      if (failures.size > 10_000) failures.delete(failures.keys().next().value as string);
    },
    recordSuccess(client) {
      failures.delete(client);
    },
  };
}
