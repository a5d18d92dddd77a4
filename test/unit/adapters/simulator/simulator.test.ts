import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { simulatorAdapter, simulatorDeclaration, SITE_OPERATION_DECLARATIONS } from '../../../../adapters/simulator/index.js';
import type { SimulatorConfig } from '../../../../adapters/simulator/index.js';
import { OperationError, SITE_OPERATIONS, type AdapterInstance, type JsonObject } from '../../../../adapters/types.js';
import { SimulatedClock } from '../../../../engine/run/simulated-clock.js';
import { context, environment, simulatedClock, START } from './context.js';

async function open(config: SimulatorConfig, clock = simulatedClock(), instance = 'site') {
  const site = await simulatorAdapter.open(config, environment(clock, instance));
  return { site, clock };
}

/** Calls and returns the output with the simulated time the call took. */
async function timed(site: AdapterInstance, clock: SimulatedClock, operation: string, input: JsonObject, ctx = context(clock, { operation })) {
  const before = clock.now();
  const output = await site.call(operation, input, ctx);
  return { output, tookMs: clock.now() - before };
}

describe('simulatorAdapter', () => {
  it('is the simulator declaration plus open', () => {
    expect(simulatorAdapter.type).toBe('simulator');
    expect(simulatorAdapter.configSchema).toBe(simulatorDeclaration.configSchema);
    expect(Object.keys(simulatorAdapter.operations({})).sort()).toEqual([...SITE_OPERATIONS].sort());
  });

  describe('site operations', () => {
    it('answers each one as a healthy site would', async () => {
      const { site, clock } = await open({});
      const vm = { vm: { name: 'pg-1' } };
      const call = (operation: string, input: JsonObject = vm) =>
        site.call(operation, input, context(clock, { operation, vmName: 'pg-1' }));
      expect(await call('shutdown')).toEqual({ stopped: true });
      expect(await call('sync')).toEqual({ pendingBytes: 0 });
      expect(await call('start')).toEqual({ running: true });
      expect(await call('cleanupTest')).toEqual({ deleted: true });
      expect(await call('testFailover', { ...vm, network: 'drill-net' })).toEqual({ testVm: 'pg-1-test', network: 'drill-net' });
    });

    it('reports the configured replication lag and passes within maxLag', async () => {
      const { site, clock } = await open({ replicationLag: '90s' });
      const ctx = context(clock, { operation: 'replicationHealth' });
      expect(await site.call('replicationHealth', {}, ctx)).toEqual({ healthy: true, lagSeconds: 90, lagBytes: 90 * 1_048_576 });
      expect(await site.call('replicationHealth', { maxLag: '90s' }, ctx)).toMatchObject({ healthy: true, lagSeconds: 90 });
    });

    it('defaults the replication lag to 2s', async () => {
      const { site, clock } = await open({});
      const output = await site.call('replicationHealth', { maxLag: '5m' }, context(clock, { operation: 'replicationHealth' }));
      expect(output).toMatchObject({ healthy: true, lagSeconds: 2 });
    });

    it('fails replicationHealth when the lag exceeds maxLag, with the measurement attached', async () => {
      const { site, clock } = await open({ replicationLag: '10m' });
      const failure = site.call('replicationHealth', { maxLag: '5m' }, context(clock, { operation: 'replicationHealth' }));
      await expect(failure).rejects.toBeInstanceOf(OperationError);
      await expect(failure).rejects.toThrow('replication lag 600s exceeds maxLag 5m');
      await expect(failure).rejects.toMatchObject({ details: { output: { healthy: false, lagSeconds: 600 } } });
    });

    it('fails on a maxLag that is not a duration', async () => {
      const { site, clock } = await open({});
      await expect(site.call('replicationHealth', { maxLag: 'soon' }, context(clock))).rejects.toThrow(/maxLag must be a duration/);
    });

    it('fails over without data loss in planned mode, at the time the failover began', async () => {
      const { site, clock } = await open({});
      const output = await site.call('failover', { vm: { name: 'pg-1' } }, context(clock, { operation: 'failover', mode: 'planned' }));
      expect(output).toEqual({ recoveryPoint: new Date(START).toISOString(), dataLossWindowSeconds: 0 });
    });

    it('fails over from the latest point in unplanned mode, reporting the data-loss window', async () => {
      const { site, clock } = await open({ dataLossWindow: '45s' });
      const ctx = context(clock, { operation: 'failover', mode: 'unplanned', vmName: 'pg-1' });
      expect(await site.call('failover', { recoveryPoint: 'latest' }, ctx)).toEqual({
        recoveryPoint: new Date(START - 45_000).toISOString(),
        dataLossWindowSeconds: 45,
      });
    });

    it('treats a missing recovery point as latest and defaults the window to 30s', async () => {
      const { site, clock } = await open({});
      const output = await site.call('failover', {}, context(clock, { operation: 'failover', mode: 'unplanned' }));
      expect(output).toEqual({ recoveryPoint: new Date(START - 30_000).toISOString(), dataLossWindowSeconds: 30 });
    });

    it('goes further back for latest-app-consistent', async () => {
      const { site, clock } = await open({});
      const output = await site.call('failover', { recoveryPoint: 'latest-app-consistent' }, context(clock, { mode: 'unplanned' }));
      expect(output).toEqual({ recoveryPoint: new Date(START - 30_000 - 300_000).toISOString(), dataLossWindowSeconds: 330 });
    });

    it('uses a recovery point given as an ISO time or an id', async () => {
      const { site, clock } = await open({});
      const ctx = context(clock, { mode: 'unplanned' });
      const iso = new Date(START - 3_600_000).toISOString();
      expect(await site.call('failover', { recoveryPoint: iso }, ctx)).toEqual({ recoveryPoint: iso, dataLossWindowSeconds: 3600 });
      expect(await site.call('failover', { recoveryPoint: 'rp-2024-05-01-0700' }, ctx)).toEqual({
        recoveryPoint: 'rp-2024-05-01-0700',
        dataLossWindowSeconds: 30,
      });
    });

    it('refuses a recovery point newer than the replicated data', async () => {
      const { site, clock } = await open({});
      const future = new Date(START + 60_000).toISOString();
      await expect(site.call('failover', { recoveryPoint: future }, context(clock, { mode: 'unplanned' }))).rejects.toThrow(
        /no recovery point at .*: the newest replicated data is from 2024-05-01T07:59:30.000Z/,
      );
    });

    it('refuses a test failover without a VM', async () => {
      const { site, clock } = await open({});
      await expect(site.call('testFailover', {}, context(clock))).rejects.toThrow('testFailover needs a VM');
    });

    it('adds configured output keys to a site operation', async () => {
      const { site, clock } = await open({ operations: { start: { output: { console: 'https://console.example/pg-1' } } } });
      expect(await site.call('start', {}, context(clock))).toEqual({ running: true, console: 'https://console.example/pg-1' });
    });
  });

  describe('vendor operations', () => {
    it('returns a copy of the configured output, or an empty object', async () => {
      const output = { device: 'sva-2', state: { deactivated: true } };
      const { site, clock } = await open({ operations: { deactivateDevice: { output }, markUnusable: {} } });
      const first = await site.call('deactivateDevice', {}, context(clock));
      expect(first).toEqual(output);
      (first.state as JsonObject).deactivated = false;
      expect(await site.call('deactivateDevice', {}, context(clock))).toEqual(output);
      expect(await site.call('markUnusable', {}, context(clock))).toEqual({});
    });

    it('refuses an unknown operation, naming the ones it has', async () => {
      const { site, clock } = await open({ operations: { setAlias: {} } });
      const failure = site.call('setAlais', {}, context(clock));
      await expect(failure).rejects.toBeInstanceOf(OperationError);
      await expect(failure).rejects.toThrow(
        'simulator instance "site" has no operation "setAlais"; it provides: cleanupTest, failover, replicationHealth, setAlias, shutdown, start, sync, testFailover',
      );
    });

    it('does not mistake inherited object properties for operations', async () => {
      const { site, clock } = await open({});
      await expect(site.call('toString', {}, context(clock))).rejects.toThrow('has no operation "toString"');
    });
  });

  describe('durations', () => {
    it('takes the site estimate, within the jitter', async () => {
      const { site, clock } = await open({ jitter: 0.1 });
      const estimate = SITE_OPERATION_DECLARATIONS.failover.estimateMs!;
      const { tookMs } = await timed(site, clock, 'failover', {});
      expect(tookMs).toBeGreaterThanOrEqual(estimate * 0.9);
      expect(tookMs).toBeLessThanOrEqual(estimate * 1.1);
    });

    it('takes exactly the estimate without jitter, the configured one first', async () => {
      const { site, clock } = await open({ jitter: 0, operations: { failover: { estimate: '2m' }, setAlias: { estimate: '1s' }, noEstimate: {} } });
      expect((await timed(site, clock, 'failover', {})).tookMs).toBe(120_000);
      expect((await timed(site, clock, 'setAlias', {})).tookMs).toBe(1000);
      expect((await timed(site, clock, 'noEstimate', {})).tookMs).toBe(0);
      expect((await timed(site, clock, 'sync', {})).tookMs).toBe(SITE_OPERATION_DECLARATIONS.sync.estimateMs);
    });

    it('stays within ±jitter of the estimate and is reproducible for a seed (property)', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: -1000, max: 1_000_000 }),
          fc.double({ min: 0, max: 1, noNaN: true }),
          fc.constantFrom(...SITE_OPERATIONS),
          fc.constantFrom('pg-1', 'app-2'),
          fc.integer({ min: 1, max: 5 }),
          async (seed, jitter, operation, vmName, attempt) => {
            const durations: number[] = [];
            for (let run = 0; run < 2; run++) {
              const { site, clock } = await open({ seed, jitter, replicationLag: '0s' });
              const ctx = context(clock, { operation, vmName, attempt, mode: 'test' });
              durations.push((await timed(site, clock, operation, { vm: { name: vmName } }, ctx)).tookMs);
            }
            const estimate = SITE_OPERATION_DECLARATIONS[operation].estimateMs!;
            expect(durations[0]).toBe(durations[1]);
            expect(durations[0]).toBeGreaterThanOrEqual(Math.round(estimate * (1 - jitter)));
            expect(durations[0]).toBeLessThanOrEqual(Math.round(estimate * (1 + jitter)));
          },
        ),
        { numRuns: 40 },
      );
    });

    it('draws per step, VM and attempt, not in call order', async () => {
      const durationsOf = async (order: string[]) => {
        const { site, clock } = await open({ seed: 3, jitter: 0.5 });
        const result: Record<string, number> = {};
        for (const vmName of order) {
          result[vmName] = (await timed(site, clock, 'start', {}, context(clock, { operation: 'start', vmName }))).tookMs;
        }
        return result;
      };
      const forward = await durationsOf(['a', 'b', 'c']);
      expect(await durationsOf(['c', 'a', 'b'])).toEqual(forward);
      expect(new Set(Object.values(forward)).size).toBe(3);
    });

    it('differs between seeds, instances and attempts', async () => {
      const took = async (seed: number, instance: string, attempt: number) => {
        const { site, clock } = await open({ seed, jitter: 0.5 }, simulatedClock(), instance);
        return (await timed(site, clock, 'failover', {}, context(clock, { operation: 'failover', attempt }))).tookMs;
      };
      const base = await took(1, 'site', 1);
      expect(await took(1, 'site', 1)).toBe(base);
      expect(await took(2, 'site', 1)).not.toBe(base);
      expect(await took(1, 'dr-site', 1)).not.toBe(base);
      expect(await took(1, 'site', 2)).not.toBe(base);
    });

    it('stops promptly when aborted, rejecting with the reason', async () => {
      const { site, clock } = await open({});
      const controller = new AbortController();
      const calling = site.call('failover', {}, context(clock, { signal: controller.signal }));
      await clock.sleep(1000);
      const reason = new Error('step timed out after 1s');
      controller.abort(reason);
      await expect(calling).rejects.toBe(reason);
      expect(clock.now()).toBe(START + 1000);
      expect(clock.pendingTimers).toBe(0);
    });

    it('rejects at once when the signal is already aborted', async () => {
      const { site, clock } = await open({});
      const controller = new AbortController();
      controller.abort(new Error('cancelled'));
      await expect(site.call('start', {}, context(clock, { signal: controller.signal }))).rejects.toThrow('cancelled');
      expect(clock.now()).toBe(START);
    });
  });

  describe('faults', () => {
    it('fails matching attempts `times` times, then succeeds', async () => {
      const { site, clock } = await open({ faults: [{ operation: 'failover', vm: 'pg-1', times: 2 }] });
      const attempt = (n: number, vmName = 'pg-1') =>
        site.call('failover', {}, context(clock, { operation: 'failover', vmName, attempt: n }));
      await expect(attempt(1)).rejects.toThrow('failover on pg-1 failed: injected fault (1 of 2)');
      await expect(attempt(1, 'pg-2')).resolves.toMatchObject({ dataLossWindowSeconds: 0 });
      await expect(attempt(2)).rejects.toThrow('failover on pg-1 failed: injected fault (2 of 2)');
      await expect(attempt(3)).resolves.toMatchObject({ dataLossWindowSeconds: 0 });
    });

    it('fails once by default, with the configured message, as a retryable error', async () => {
      const { site, clock } = await open({ faults: [{ operation: 'replicationHealth', error: 'array unreachable' }] });
      const check = () => site.call('replicationHealth', {}, context(clock, { operation: 'replicationHealth' }));
      await expect(check()).rejects.toMatchObject({ name: 'OperationError', message: 'array unreachable', details: { retryable: true } });
      await expect(check()).resolves.toMatchObject({ healthy: true });
    });

    it('spends the failing attempt’s time before failing', async () => {
      const { site, clock } = await open({ jitter: 0, faults: [{ operation: 'start' }] });
      await expect(site.call('start', {}, context(clock))).rejects.toThrow('start failed: injected fault (1 of 1)');
      expect(clock.now()).toBe(START + SITE_OPERATION_DECLARATIONS.start.estimateMs!);
    });

    it('injects faults into vendor operations too', async () => {
      const { site, clock } = await open({ operations: { deactivateDevice: {} }, faults: [{ operation: 'deactivateDevice', times: 1 }] });
      await expect(site.call('deactivateDevice', {}, context(clock))).rejects.toThrow('deactivateDevice failed');
      await expect(site.call('deactivateDevice', {}, context(clock))).resolves.toEqual({});
    });
  });

  describe('reconcile', () => {
    it('vouches for keys that completed here, and only those', async () => {
      const { site, clock } = await open({ faults: [{ operation: 'testFailover', vm: 'pg-2' }] });
      const ok = context(clock, { operation: 'testFailover', vmName: 'pg-1' });
      const failed = context(clock, { operation: 'testFailover', vmName: 'pg-2' });
      await site.call('testFailover', { vm: { name: 'pg-1' } }, ok);
      await expect(site.call('testFailover', { vm: { name: 'pg-2' } }, failed)).rejects.toThrow();
      expect(await site.reconcile!('testFailover', {}, ok)).toBe('happened');
      expect(await site.reconcile!('cleanupTest', {}, ok)).toBe('unknown');
      expect(await site.reconcile!('testFailover', {}, failed)).toBe('unknown');
      expect(await site.reconcile!('testFailover', {}, { ...ok, idempotencyKey: 'run-1:other:1' })).toBe('unknown');
    });

    it('knows nothing in a fresh instance', async () => {
      const clock = simulatedClock();
      const first = await simulatorAdapter.open({}, environment(clock));
      const ctx = context(clock, { operation: 'failover' });
      await first.call('failover', {}, ctx);
      const second = await simulatorAdapter.open({}, environment(clock));
      expect(await second.reconcile!('failover', {}, ctx)).toBe('unknown');
    });
  });

  it('keeps fault counts per instance', async () => {
    const config: SimulatorConfig = { faults: [{ operation: 'start' }] };
    const a = await open(config);
    const b = await open(config);
    await expect(a.site.call('start', {}, context(a.clock))).rejects.toThrow();
    await expect(b.site.call('start', {}, context(b.clock))).rejects.toThrow();
    expect(config.faults).toEqual([{ operation: 'start' }]);
  });
});
