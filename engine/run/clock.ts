import type { Clock } from '../../adapters/types.js';
import { MAX_TIMER_MS } from '../model/duration.js';

/**
 * Real time. Every wait in a real run goes through `systemClock.sleep`, so a gate timeout of
 * 30 days waits 30 days (Node's timers silently turn anything over 2^31-1 ms into 1 ms, which
 * would time a gate out at once), and a cancelled run stops waiting at once.
 *
 * @example
 * ```ts
 * await systemClock.sleep(parseDuration('10s')!, ctx.signal); // rejects with the abort reason on cancel
 * ```
 */
export const systemClock: Clock = {
  simulated: false,
  now: () => Date.now(),
  sleep: sleepReal,
};

/**
 * The delay of the next timer for a wait that still has `remainingMs` to go: never more than one
 * timer can hold. A wait of 60 days is three timers of at most ~24.8 days each.
 */
export function nextTimerDelay(remainingMs: number): number {
  return Math.min(Math.max(remainingMs, 0), MAX_TIMER_MS);
}

function sleepReal(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    // NaN counts as no wait; Infinity waits until aborted, one maximal timer after another.
    let remaining = Number.isNaN(ms) ? 0 : Math.max(ms, 0);
    let timer: NodeJS.Timeout | undefined;
    let immediate: NodeJS.Immediate | undefined;
    const onAbort = (): void => {
      clearTimeout(timer);
      clearImmediate(immediate);
      reject(signal?.reason);
    };
    if (remaining === 0) {
      // A zero wait only yields: setTimeout would take at least a millisecond, which adds up
      // over thousands of instant operations.
      signal?.addEventListener('abort', onAbort, { once: true });
      immediate = setImmediate(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      });
      return;
    }
    const arm = (): void => {
      const delay = nextTimerDelay(remaining);
      remaining -= delay;
      timer = setTimeout(() => {
        if (remaining > 0) {
          arm();
          return;
        }
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, delay);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    arm();
  });
}
