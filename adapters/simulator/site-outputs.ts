import { parseDuration } from '../../engine/model/duration.js';
import { OperationError, type JsonObject, type OperationContext, type SiteOperation } from '../types.js';
import { resolveRecoveryPoint } from './recovery-point.js';

/** The simulated site's state that shapes its answers. */
export interface SiteSettings {
  replicationLagMs: number;
  dataLossWindowMs: number;
}

/** Bytes behind per second of lag: a site with a steady 1 MiB/s of writes. */
const CHANGE_RATE_BYTES_PER_SECOND = 1_048_576;

/**
 * The output of a site operation (SPEC §4) on the simulated site at `nowMs`, or an
 * OperationError where a real site would refuse: replication lagging more than `maxLag`, a
 * recovery point that does not exist, a test failover without a VM.
 *
 * @example
 * ```ts
 * simulateSiteOutput('start', {}, ctx, settings, clock.now()); // { running: true }
 * ```
 */
export function simulateSiteOutput(
  operation: SiteOperation,
  input: JsonObject,
  ctx: OperationContext,
  settings: SiteSettings,
  nowMs: number,
): JsonObject {
  switch (operation) {
    case 'replicationHealth':
      return checkReplication(input, settings);
    case 'shutdown':
      return { stopped: true };
    case 'sync':
      return { pendingBytes: 0 };
    case 'failover':
      if (ctx.mode === 'unplanned') {
        const requested = typeof input.recoveryPoint === 'string' ? input.recoveryPoint : 'latest';
        return { ...resolveRecoveryPoint(requested, nowMs, settings.dataLossWindowMs) };
      }
      // A planned failover shuts down and syncs first, so it recovers to this very moment.
      return { recoveryPoint: new Date(nowMs).toISOString(), dataLossWindowSeconds: 0 };
    case 'start':
      return { running: true };
    case 'testFailover': {
      const vm = vmNameOf(input, ctx);
      if (vm === undefined) throw new OperationError('testFailover needs a VM (input `vm.name`)', { retryable: false });
      return { testVm: `${vm}-test`, network: typeof input.network === 'string' ? input.network : 'test' };
    }
    case 'cleanupTest':
      return { deleted: true };
  }
}

/** The VM a call acts on: the context's, else the input's `vm.name`. */
export function vmNameOf(input: JsonObject, ctx: OperationContext): string | undefined {
  if (ctx.vm) return ctx.vm.name;
  const vm = input.vm;
  if (typeof vm === 'string') return vm;
  if (vm && typeof vm === 'object' && !Array.isArray(vm) && typeof vm.name === 'string') return vm.name;
  return undefined;
}

function checkReplication(input: JsonObject, settings: SiteSettings): JsonObject {
  const lagSeconds = settings.replicationLagMs / 1000;
  const report = { healthy: true, lagSeconds, lagBytes: Math.round(lagSeconds * CHANGE_RATE_BYTES_PER_SECOND) };
  if (input.maxLag === undefined) return report;
  const maxLagMs = typeof input.maxLag === 'string' ? parseDuration(input.maxLag) : undefined;
  if (maxLagMs === undefined) {
    throw new OperationError(`maxLag must be a duration such as 30s or 5m, got ${JSON.stringify(input.maxLag)}`, {
      retryable: false,
    });
  }
  if (settings.replicationLagMs > maxLagMs) {
    throw new OperationError(`replication lag ${lagSeconds}s exceeds maxLag ${input.maxLag}`, {
      retryable: true,
      output: { ...report, healthy: false },
    });
  }
  return report;
}
