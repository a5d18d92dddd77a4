/**
 * The runner against a deliberately slow third-party adapter (SPEC §4: an adapter is a plain
 * object registered by type; the engine never changes for it). Its one operation sleeps on the
 * run's clock for longer than the step's timeout and notes whether and when its `ctx.signal`
 * fired. The step must fail exactly at its deadline (simulated clock), the adapter's signal must
 * abort with a TimeoutError, and an adapter that ignores its signal must not hold the step up.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { builtinCatalog } from '../../../adapters/catalog.js';
import type { Adapter, AdapterCatalog, Clock, JsonObject } from '../../../adapters/types.js';
import { resolveExecution } from '../../../engine/compile/resolve-execution.js';
import { loadPlanText } from '../../../engine/load/load-plan.js';
import type { Plan } from '../../../engine/model/plan.js';
import { systemClock } from '../../../engine/run/clock.js';
import { openAdapters } from '../../../engine/app/open-adapters.js';
import { startRun } from '../../../engine/run/run-plan.js';
import type { JournalRecord } from '../../../engine/store/journal.js';
import { SimulatedClock } from '../../../engine/run/simulated-clock.js';
import { MemoryStore } from '../../../engine/store/memory-store.js';
import { validatePlan } from '../../../engine/validate/validate-plan.js';
import { EPOCH, runToEnd, silentLogger } from '../../helpers/run-harness.js';

interface Call {
  attempt: number;
  startedAt: number;
  /** Clock time at which `ctx.signal` fired, if it did. */
  abortedAt?: number;
  reason?: unknown;
  /** Clock time at which the operation returned or threw. */
  endedAt?: number;
  outcome?: 'returned' | 'rejected';
}

/** What every call of the slow adapter did, in order. */
let calls: Call[] = [];
afterEach(() => {
  calls = [];
});

interface SlowConfig {
  /** How long `wait` sleeps, in ms. */
  sleepMs: number;
  /** Sleep without passing the signal on: the adapter never stops early. */
  ignoreSignal?: boolean;
}

const slowAdapter: Adapter<SlowConfig> = {
  type: 'slow',
  description: 'An adapter that takes its time (for tests).',
  configSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['sleepMs'],
    properties: { sleepMs: { type: 'integer', minimum: 0 }, ignoreSignal: { type: 'boolean' } },
  },
  operations: () => ({
    wait: { description: 'Sleeps on the run clock.', with: { type: 'object' }, output: { type: 'object', properties: { slept: { type: 'number' } } }, idempotent: true, estimateMs: 1000 },
  }),
  open(config) {
    return {
      async call(operation, _input, ctx): Promise<JsonObject> {
        if (operation !== 'wait') throw new Error(`no operation ${operation}`);
        const call: Call = { attempt: ctx.attempt, startedAt: ctx.clock.now() };
        calls.push(call);
        ctx.signal.addEventListener(
          'abort',
          () => {
            call.abortedAt = ctx.clock.now();
            call.reason = ctx.signal.reason;
          },
          { once: true },
        );
        try {
          await ctx.clock.sleep(config.sleepMs, config.ignoreSignal ? undefined : ctx.signal);
          call.outcome = 'returned';
          return { slept: config.sleepMs };
        } catch (error) {
          call.outcome = 'rejected';
          throw error;
        } finally {
          call.endedAt = ctx.clock.now();
        }
      },
    };
  },
};

/** The built-in declarations plus the slow adapter's: what validation must know about. */
const catalog: AdapterCatalog = new Map([...builtinCatalog, [slowAdapter.type, slowAdapter]]);
const registry = new Map<string, Adapter<any>>([[slowAdapter.type, slowAdapter]]);

function slowPlan(options: { sleep: number; ignoreSignal?: boolean; timeout: string; retry?: string }): Plan {
  const text = `
apiVersion: drplan/v1
kind: RecoveryPlan
metadata: { name: slow }
spec:
  adapters:
    site: { type: simulator }
    slow: { type: slow, config: { sleepMs: ${options.sleep}${options.ignoreSignal ? ', ignoreSignal: true' : ''} } }
  sites: { source: site, target: site }
  modes: { unplanned: {} }
  groups:
    - id: g
      vms: []
  finalize:
    - id: stuck
      action: slow.wait
      timeout: ${options.timeout}
${options.retry ? `      retry: ${options.retry}\n` : ''}    - id: after
      action: site.replicationHealth
`;
  const loaded = loadPlanText(text, 'slow.yaml');
  if (!loaded.source) throw new Error(`did not load: ${JSON.stringify(loaded.diagnostics)}`);
  const { plan, diagnostics } = validatePlan(loaded.source, catalog);
  if (!plan) throw new Error(`invalid: ${diagnostics.map((d) => `${d.line}:${d.col} ${d.code} ${d.message}`).join('\n')}`);
  return plan;
}

const of = (records: readonly JournalRecord[], type: JournalRecord['type'], stepId: string) =>
  records.filter((r) => r.type === type && 'stepId' in r.data && r.data.stepId === stepId);

describe('a slow adapter under a simulated clock', () => {
  it('validation accepts the third-party type only through the catalog it is given', () => {
    const loaded = loadPlanText('apiVersion: drplan/v1\nkind: RecoveryPlan\nmetadata: { name: x }\nspec:\n  adapters: { site: { type: simulator }, slow: { type: slow, config: { sleepMs: 1 } } }\n  sites: { source: site, target: site }\n  groups: [{ id: g, vms: [a] }]\n', 'x.yaml');
    expect(validatePlan(loaded.source!, builtinCatalog).diagnostics.map((d) => d.code)).toContain('UNKNOWN_ADAPTER_TYPE');
    expect(validatePlan(loaded.source!, catalog).plan).not.toBeNull();
  });

  it('fails the step exactly at its deadline and aborts the adapter’s signal with a TimeoutError', async () => {
    const plan = slowPlan({ sleep: 10 * 60_000, timeout: '90s' });
    const clock = new SimulatedClock(EPOCH);
    const { result, records } = await runToEnd(plan, 'unplanned', { dryRun: false, adapters: registry, clock });
    expect(result.state).toBe('failed');
    expect(result.failure?.stepId).toBe('stuck');
    const [start] = of(records, 'step.started', 'stuck');
    const [failed] = of(records, 'step.failed', 'stuck');
    expect(start?.type === 'step.started' && start.data.deadline).toBe(start!.time + 90_000);
    expect(failed!.time - start!.time).toBe(90_000);
    expect(failed?.type === 'step.failed' && failed.data.error).toMatch(/timed out after 1m30s \(attempt 1\)/);
    // The adapter saw its signal fire at the deadline, with a reason it can tell from a cancel.
    expect(calls).toHaveLength(1);
    const call = calls[0]!;
    expect(call.abortedAt).toBe(start!.time + 90_000);
    expect(call.reason).toBeInstanceOf(Error);
    expect((call.reason as Error).name).toBe('TimeoutError');
    expect(call.outcome).toBe('rejected');
    expect(call.endedAt).toBe(start!.time + 90_000);
    // Nothing of the ten-minute sleep is left, and the run did not wait for it.
    expect(clock.pendingTimers).toBe(0);
    expect(records.at(-1)!.time).toBeLessThan(EPOCH + 10 * 60_000);
    expect(of(records, 'step.started', 'after')).toHaveLength(0);
  });

  it('fails the step at its deadline even when the adapter ignores its signal, and journals nothing when the call ends later', async () => {
    const plan = slowPlan({ sleep: 10 * 60_000, timeout: '90s', ignoreSignal: true });
    const clock = new SimulatedClock(EPOCH);
    const { result, records } = await runToEnd(plan, 'unplanned', { dryRun: false, adapters: registry, clock });
    expect(result.state).toBe('failed');
    const [start] = of(records, 'step.started', 'stuck');
    const [failed] = of(records, 'step.failed', 'stuck');
    expect(failed!.time - start!.time).toBe(90_000);
    // The signal still fired (the adapter chose not to listen), and the call had not ended then.
    expect(calls[0]!.abortedAt).toBe(start!.time + 90_000);
    expect((calls[0]!.reason as Error).name).toBe('TimeoutError');
    expect(calls[0]!.endedAt).toBeUndefined();
    // Let the ignored sleep run out: the late result must not reach the journal of an ended run.
    const length = records.length;
    await clock.runUntilIdle();
    expect(calls[0]!.outcome).toBe('returned');
    expect(calls[0]!.endedAt).toBe(start!.time + 10 * 60_000);
    expect(records.length).toBe(length);
    expect(records.at(-1)!.type).toBe('run.failed');
  });

  it('gives every retry a deadline of its own, each attempt failing exactly at it', async () => {
    const plan = slowPlan({ sleep: 10 * 60_000, timeout: '30s', retry: '{ attempts: 3, backoff: 10s, factor: 3 }' });
    const { result, records } = await runToEnd(plan, 'unplanned', { dryRun: false, adapters: registry });
    expect(result.state).toBe('failed');
    const starts = of(records, 'step.started', 'stuck');
    const failures = of(records, 'step.failed', 'stuck');
    expect(starts).toHaveLength(3);
    expect(failures.map((f, i) => f.time - starts[i]!.time)).toEqual([30_000, 30_000, 30_000]);
    // Backoff 10s, then 30s: the next attempt starts that long after the previous deadline.
    expect([starts[1]!.time - failures[0]!.time, starts[2]!.time - failures[1]!.time]).toEqual([10_000, 30_000]);
    expect(calls.map((c) => [c.attempt, c.abortedAt! - c.startedAt, (c.reason as Error).name])).toEqual([
      [1, 30_000, 'TimeoutError'],
      [2, 30_000, 'TimeoutError'],
      [3, 30_000, 'TimeoutError'],
    ]);
  });

  it('lets an operation that finishes before its deadline succeed, its signal never fired', async () => {
    const plan = slowPlan({ sleep: 89_999, timeout: '90s' });
    const { result, records } = await runToEnd(plan, 'unplanned', { dryRun: false, adapters: registry });
    expect(result.state).toBe('succeeded');
    const [start] = of(records, 'step.started', 'stuck');
    const [done] = of(records, 'step.succeeded', 'stuck');
    expect(done!.time - start!.time).toBe(89_999);
    expect(done?.type === 'step.succeeded' && done.data.output).toEqual({ slept: 89_999 });
    expect(calls[0]!.abortedAt).toBeUndefined();
  });
});

describe('a slow adapter under the real clock', () => {
  /** A real run: systemClock, the slow adapter opened for real, the simulator for the sites. */
  async function runReal(plan: Plan) {
    const exec = resolveExecution(plan, 'unplanned', {});
    const opened = await openAdapters(plan, { dryRun: false, faults: [], seed: 1, clock: systemClock, logger: silentLogger, env: {}, adapters: registry });
    const journal = await new MemoryStore().create('real-1');
    const wallStart = Date.now();
    const handle = startRun({
      exec,
      journal,
      adapters: opened.adapters,
      shell: opened.shell,
      clock: systemClock as Clock,
      logger: silentLogger,
      stopWhenWaiting: false,
      start: { runId: 'real-1', plan: plan.name, planFile: plan.file, planDigest: 'test', mode: 'unplanned', params: {}, initiator: 'tester', engineVersion: 'test', dryRun: false, autoApprove: false, faults: [], simulated: false },
    });
    try {
      const result = await handle.result;
      return { result, records: journal.records(), wallMs: Date.now() - wallStart };
    } finally {
      await opened.close();
    }
  }

  it('times a 200 ms step out well before the adapter’s 5 s sleep ends, and aborts its signal', async () => {
    // The plan has no VMs: under the real clock the run is the slow step alone.
    const plan = slowPlan({ sleep: 5_000, timeout: '200ms' });
    const { result, records, wallMs } = await runReal(plan);
    expect(result.state).toBe('failed');
    const [start] = of(records, 'step.started', 'stuck');
    const [failed] = of(records, 'step.failed', 'stuck');
    const elapsed = failed!.time - start!.time;
    expect(elapsed).toBeGreaterThanOrEqual(199); // never early (1 ms of timer rounding)
    expect(elapsed).toBeLessThan(4_000); // and not after the adapter's own sleep
    expect(failed?.type === 'step.failed' && failed.data.error).toMatch(/timed out after 200ms/);
    expect(calls[0]!.reason).toBeInstanceOf(Error);
    expect((calls[0]!.reason as Error).name).toBe('TimeoutError');
    expect(calls[0]!.abortedAt! - calls[0]!.startedAt).toBeGreaterThanOrEqual(199);
    expect(calls[0]!.outcome).toBe('rejected');
    expect(wallMs).toBeLessThan(4_000);
  });

  it('fails the step at its deadline when the adapter ignores its signal, without waiting for the call', async () => {
    const plan = slowPlan({ sleep: 1_500, timeout: '200ms', ignoreSignal: true });
    const { result, records } = await runReal(plan);
    expect(result.state).toBe('failed');
    const [failed] = of(records, 'step.failed', 'stuck');
    expect(failed?.type === 'step.failed' && failed.data.error).toMatch(/timed out/);
    // When the run ended, the adapter was still sleeping: the engine did not wait for it.
    expect(calls[0]!.endedAt).toBeUndefined();
    expect((calls[0]!.reason as Error).name).toBe('TimeoutError');
    // Once it does return, nothing more is journaled.
    const length = records.length;
    await new Promise((r) => setTimeout(r, 1_600));
    expect(calls[0]!.outcome).toBe('returned');
    expect(records.length).toBe(length);
  });
});
