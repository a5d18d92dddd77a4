import { parseDuration } from '../../engine/model/duration.js';
import {
  OperationError,
  SITE_OPERATIONS,
  type AdapterEnvironment,
  type AdapterInstance,
  type SiteOperation,
} from '../types.js';
import { simulatorDeclaration, type SimulatorConfig } from './declaration.js';
import { createFaultBook } from './fault-book.js';
import { simulateDuration } from './simulate-duration.js';
import { simulateSiteOutput, vmNameOf, type SiteSettings } from './site-outputs.js';

const DEFAULT_SEED = 1;
const DEFAULT_JITTER = 0.1;
const DEFAULT_REPLICATION_LAG = '2s';
const DEFAULT_DATA_LOSS_WINDOW = '30s';

/**
 * Opens a simulator instance: every call waits its seeded, jittered estimate on the context's
 * clock (virtual in a dry-run), fails where `config.faults` says so, and answers what the site
 * or the configured vendor operation would. The instance remembers which idempotency keys
 * completed, so `reconcile` can vouch for them; it has no other state outside faults' counts.
 *
 * @example
 * ```ts
 * const site = openSimulator({ seed: 7, faults: [{ operation: 'failover', vm: 'pg-1' }] }, env);
 * await site.call('failover', { vm: { name: 'pg-1' } }, ctx); // rejects: injected fault (1 of 1)
 * await site.call('failover', { vm: { name: 'pg-1' } }, { ...ctx, attempt: 2 }); // succeeds
 * ```
 */
export function openSimulator(config: SimulatorConfig, env: AdapterEnvironment): AdapterInstance {
  const operations = simulatorDeclaration.operations(config);
  const known = Object.keys(operations).sort();
  const seed = config.seed ?? DEFAULT_SEED;
  const jitter = config.jitter ?? DEFAULT_JITTER;
  const site: SiteSettings = {
    replicationLagMs: durationSetting('replicationLag', config.replicationLag ?? DEFAULT_REPLICATION_LAG),
    dataLossWindowMs: durationSetting('dataLossWindow', config.dataLossWindow ?? DEFAULT_DATA_LOSS_WINDOW),
  };
  const faults = createFaultBook(config.faults ?? []);
  /** Idempotency keys of completed calls, with their operation. */
  const completed = new Map<string, string>();

  return {
    async call(operation, input, ctx) {
      const declared = Object.hasOwn(operations, operation) ? operations[operation] : undefined;
      if (!declared) {
        throw new OperationError(
          `simulator instance "${env.instance}" has no operation "${operation}"; it provides: ${known.join(', ')}`,
          { retryable: false },
        );
      }
      const vm = vmNameOf(input, ctx);
      const startedAt = ctx.clock.now();
      const fault = faults.take(operation, ctx.stepId, vm);
      const durationMs = simulateDuration(ctx.estimateMs ?? declared.estimateMs ?? 0, jitter, {
        seed,
        instance: env.instance,
        stepId: ctx.stepId,
        vm,
        attempt: ctx.attempt,
      });
      ctx.logger.debug({ operation, vm, durationMs, fault: fault?.message }, 'simulating operation');
      // A failing operation takes its time too, so retries and timeouts are timed realistically.
      await ctx.clock.sleep(durationMs, ctx.signal);
      if (fault) throw new OperationError(fault.message, { retryable: true });

      const configured = structuredClone(config.operations?.[operation]?.output ?? {});
      const output = isSiteOperation(operation)
        ? { ...simulateSiteOutput(operation, input, ctx, site, startedAt), ...configured }
        : configured;
      completed.set(ctx.idempotencyKey, operation);
      return output;
    },

    async reconcile(operation, _input, ctx) {
      // Only completions this instance saw are known; a fresh instance (after a crash) cannot tell.
      return completed.get(ctx.idempotencyKey) === operation ? 'happened' : 'unknown';
    },
  };
}

function isSiteOperation(operation: string): operation is SiteOperation {
  return (SITE_OPERATIONS as readonly string[]).includes(operation);
}

function durationSetting(name: string, text: string): number {
  const ms = parseDuration(text);
  // The config schema already checks this; reaching here means it was bypassed.
  if (ms === undefined) throw new TypeError(`simulator config ${name}: "${text}" is not a duration such as 30s or 5m`);
  return ms;
}
