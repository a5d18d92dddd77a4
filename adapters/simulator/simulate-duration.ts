import { createRandom, deriveSeed } from '../../engine/model/random.js';

/** Where a simulated call sits, which alone decides its random draw. */
export interface CallPosition {
  seed: number;
  instance: string;
  stepId: string;
  vm: string | undefined;
  attempt: number;
}

/**
 * How long a simulated call takes: its estimate spread by ±`jitter` (a fraction), in whole
 * milliseconds. The draw comes from a stream of its own per (seed, instance, step, VM, attempt),
 * so it does not depend on the order concurrent calls happen to start in, and a resumed run
 * simulates the same durations as one that never stopped.
 *
 * @example
 * ```ts
 * simulateDuration(60_000, 0.1, { seed: 1, instance: 'site', stepId: 'db/pg-1/failover', vm: 'pg-1', attempt: 1 });
 * // somewhere in 54,000..66,000, the same every time
 * ```
 */
export function simulateDuration(estimateMs: number, jitter: number, position: CallPosition): number {
  const label = JSON.stringify([position.instance, position.stepId, position.vm ?? null, position.attempt]);
  const r = createRandom(deriveSeed(position.seed, label))();
  return Math.max(0, Math.round(estimateMs * (1 + jitter * (2 * r - 1))));
}
