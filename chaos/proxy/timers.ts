// Timers for toxics. setTimeout alone wraps after 2^31-1 ms (and then fires at once) and may fire a
// fraction of a millisecond early by the monotonic clock; toxic delays can be any int64 of
// milliseconds and must never release data before their deadline.

export interface Timer {
  cancel(): void;
}

const MAX_TIMEOUT_MS = 2_147_483_647;

/** Calls `callback` once `delayMs` have passed by performance.now(), asynchronously even for 0. */
export function after(delayMs: number, callback: () => void): Timer {
  const deadline = performance.now() + Math.max(0, delayMs);
  let handle: NodeJS.Timeout | undefined;
  const arm = (waitMs: number) => {
    handle = setTimeout(fire, Math.min(Math.max(1, Math.ceil(waitMs)), MAX_TIMEOUT_MS));
  };
  const fire = () => {
    const remaining = deadline - performance.now();
    if (remaining > 0) return arm(remaining);
    handle = undefined;
    callback();
  };
  arm(delayMs);
  return {
    cancel: () => {
      if (handle !== undefined) clearTimeout(handle);
      handle = undefined;
    },
  };
}

/** Calls `callback` after pending I/O has had its turn: the shortest pause the event loop has. */
export function soon(callback: () => void): Timer {
  // Not unref'd: an unref'd immediate waits for the next I/O event, which may never come.
  let handle: NodeJS.Immediate | undefined = setImmediate(() => {
    handle = undefined;
    callback();
  });
  return {
    cancel: () => {
      if (handle !== undefined) clearImmediate(handle);
      handle = undefined;
    },
  };
}
