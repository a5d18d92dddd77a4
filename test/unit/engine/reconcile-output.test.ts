import { describe, expect, it } from 'vitest';
import type { AdapterInstance, ReconcileResult } from '../../../adapters/types.js';
import { resolveExecution } from '../../../engine/compile/resolve-execution.js';
import { startRun } from '../../../engine/run/run-plan.js';
import { SimulatedClock } from '../../../engine/run/simulated-clock.js';
import { MemoryStore } from '../../../engine/store/memory-store.js';
import { validPlan } from '../../helpers/pipeline.js';
import { EPOCH, silentLogger } from '../../helpers/run-harness.js';

const PLAN = `
apiVersion: drplan/v1
kind: RecoveryPlan
metadata: { name: reconciled }
spec:
  adapters: { site: { type: simulator } }
  sites: { source: site, target: site }
  modes: { unplanned: {} }
  groups: [{ id: g, vms: [vm-1] }]
`;

/** Resumes a journal whose failover attempt was started but never finished (the engine died). */
async function resumeInDoubt(verdict: ReconcileResult) {
  const plan = validPlan(PLAN, 'p.yaml');
  const exec = resolveExecution(plan, 'unplanned', {});
  const journal = await new MemoryStore().create('r');
  await journal.append(
    [
      { type: 'run.started', data: { runId: 'r', plan: 'reconciled', planFile: 'p.yaml', planDigest: 'd', mode: 'unplanned', params: {}, initiator: 'ops', engineVersion: 't', dryRun: false, autoApprove: false, faults: [], simulated: true } },
      { type: 'step.started', data: { stepId: 'g/vm-1/failover', attempt: 1, idempotencyKey: 'r:g/vm-1/failover:1', deadline: null } },
    ],
    EPOCH,
  );
  const calls: string[] = [];
  const asked: string[] = [];
  const site: AdapterInstance = {
    async call(operation) {
      calls.push(operation);
      return {};
    },
    async reconcile(operation, _input, ctx) {
      asked.push(`${operation} ${ctx.idempotencyKey}`);
      return verdict;
    },
  };
  const run = startRun({ exec, journal, adapters: new Map([['site', site]]), shell: site, clock: new SimulatedClock(EPOCH), logger: silentLogger, stopWhenWaiting: true });
  const result = await run.result;
  return { result, calls, asked, records: journal.records() };
}

describe('reconciling an in-doubt attempt after a crash', () => {
  it('an effect that happened is recorded with the output the adapter found, and not called again', async () => {
    const { result, calls, asked, records } = await resumeInDoubt({ happened: true, output: { recoveryPoint: 'rp-7', dataLossWindowSeconds: 12 } });
    expect(asked).toEqual(['failover r:g/vm-1/failover:1']);
    expect(calls).not.toContain('failover');
    expect(result.state).toBe('succeeded');
    const done = records.find((r) => r.type === 'step.succeeded' && r.data.stepId === 'g/vm-1/failover');
    expect(done?.type === 'step.succeeded' && done.data.output).toEqual({ recoveryPoint: 'rp-7', dataLossWindowSeconds: 12, reconciled: true });
  });

  it('an effect that did not happen is re-run under the same idempotency key', async () => {
    const { calls, records } = await resumeInDoubt('not-happened');
    expect(calls.filter((c) => c === 'failover')).toHaveLength(1);
    const starts = records.filter((r) => r.type === 'step.started' && r.data.stepId === 'g/vm-1/failover');
    expect(starts.map((r) => r.type === 'step.started' && r.data.idempotencyKey)).toEqual(['r:g/vm-1/failover:1', 'r:g/vm-1/failover:1']);
  });

  it('an effect nobody can tell about pauses for an operator, naming what to check', async () => {
    const { result, calls, records } = await resumeInDoubt('unknown');
    expect(result.state).toBe('paused');
    expect(calls).not.toContain('failover');
    const pause = records.find((r) => r.type === 'step.waiting');
    expect(pause?.type === 'step.waiting' && pause.data).toMatchObject({ kind: 'pause', inDoubt: { attempt: 1, idempotencyKey: 'r:g/vm-1/failover:1' } });
    expect(pause?.type === 'step.waiting' && pause.data.reason).toMatch(/Check whether site\.failover on vm-1 took effect/);
  });
});
