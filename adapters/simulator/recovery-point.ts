import { OperationError } from '../types.js';

/** Where an unplanned failover recovers to, and how much data that gives up. */
export interface RecoveryOutcome {
  recoveryPoint: string;
  dataLossWindowSeconds: number;
}

/** How much older the latest application-consistent point is than the latest crash-consistent one. */
export const APP_CONSISTENT_EXTRA_MS = 5 * 60_000;

const ISO_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * Resolves the recovery point an unplanned failover asked for (SPEC §2.3), as the simulated
 * site sees it at `nowMs`, when its newest replicated data is `dataLossWindowMs` old:
 * `latest` is that newest point; `latest-app-consistent` is five minutes older still (snapshots
 * that quiesce applications are taken less often); an ISO time is used as given and loses
 * everything after it; any other string is a recovery point id, assumed as recent as `latest`.
 * Asking for a time newer than the newest replicated data fails, as it would on a real site.
 *
 * @example
 * ```ts
 * resolveRecoveryPoint('latest', Date.parse('2024-05-01T08:00:00Z'), 30_000);
 * // { recoveryPoint: '2024-05-01T07:59:30.000Z', dataLossWindowSeconds: 30 }
 * ```
 */
export function resolveRecoveryPoint(requested: string, nowMs: number, dataLossWindowMs: number): RecoveryOutcome {
  const newest = nowMs - dataLossWindowMs;
  if (requested === 'latest') {
    return { recoveryPoint: new Date(newest).toISOString(), dataLossWindowSeconds: dataLossWindowMs / 1000 };
  }
  if (requested === 'latest-app-consistent') {
    const point = newest - APP_CONSISTENT_EXTRA_MS;
    return { recoveryPoint: new Date(point).toISOString(), dataLossWindowSeconds: (nowMs - point) / 1000 };
  }
  const time = ISO_TIME.test(requested) ? Date.parse(requested) : Number.NaN;
  if (Number.isNaN(time)) {
    return { recoveryPoint: requested, dataLossWindowSeconds: dataLossWindowMs / 1000 };
  }
  if (time > newest) {
    throw new OperationError(
      `no recovery point at ${requested}: the newest replicated data is from ${new Date(newest).toISOString()}`,
      { retryable: false },
    );
  }
  return { recoveryPoint: requested, dataLossWindowSeconds: (nowMs - time) / 1000 };
}
