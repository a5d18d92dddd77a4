import { describe, expect, it } from 'vitest';
import { validPlan } from '../../helpers/pipeline.js';
import { EPOCH, indexOf, runToEnd, startHarness } from '../../helpers/run-harness.js';
import type { JournalRecord } from '../../../engine/store/journal.js';
import { systemClock } from '../../../engine/run/clock.js';
import type { SimulatedClock } from '../../../engine/run/simulated-clock.js';

function planWith(steps: string, extra = ''): string {
  return `
apiVersion: drplan/v1
kind: RecoveryPlan
metadata: { name: policies }
spec:
  adapters:
    site:
      type: simulator
      config:
        operations:
          check: { estimate: 1m, output: { value: ok } }
          slow: { estimate: 10m }
  sites: { source: site, target: site }
  approvers: { dba: [alice, bob], board: [carol] }
  modes: { planned: {}, unplanned: {} }
${extra}
  groups:
    - id: g
      vms: [vm-1]
  finalize:
${steps}
  onFailure:
    - id: handler
      action: site.check
`;
}

const recordsOf = (records: readonly JournalRecord[], type: string, stepId: string) =>
  records.filter((r) => r.type === type && 'stepId' in r.data && r.data.stepId === stepId);

describe('retry', () => {
  it('retries with exponential backoff at the policy’s times, then succeeds', async () => {
    const plan = validPlan(planWith(`
    - id: flaky
      action: site.check
      retry: { attempts: 3, backoff: 10s, factor: 2 }`), 'p.yaml');
    const { result, records } = await runToEnd(plan, 'planned', { faults: ['check:2'] });
    expect(result.state).toBe('succeeded');
    const failures = recordsOf(records, 'step.failed', 'flaky');
    const retries = recordsOf(records, 'step.retrying', 'flaky');
    const starts = recordsOf(records, 'step.started', 'flaky');
    expect(failures.map((r) => r.type === 'step.failed' && r.data.final)).toEqual([false, false]);
    expect(starts).toHaveLength(3);
    expect(starts[1]!.time - failures[0]!.time).toBe(10_000);
    expect(starts[2]!.time - failures[1]!.time).toBe(20_000);
    expect(retries.map((r) => r.type === 'step.retrying' && r.data.attempt)).toEqual([2, 3]);
    expect(starts.map((r) => r.type === 'step.started' && r.data.idempotencyKey)).toEqual(['run-1:flaky:1', 'run-1:flaky:2', 'run-1:flaky:3']);
  });

  it('gives up after the last attempt and aborts the run', async () => {
    const plan = validPlan(planWith(`
    - id: flaky
      action: site.check
      retry: { attempts: 2, backoff: 1s }`), 'p.yaml');
    const { result, records } = await runToEnd(plan, 'planned', { faults: ['check:5'] });
    expect(result.state).toBe('failed');
    expect(recordsOf(records, 'step.started', 'flaky')).toHaveLength(2);
    expect(recordsOf(records, 'step.failed', 'flaky').at(-1)).toMatchObject({ data: { final: true } });
  });

  it('onFailure: continue goes on and the run succeeds', async () => {
    const plan = validPlan(planWith(`
    - id: optional
      action: site.check
      onFailure: continue
    - id: after
      action: site.check`), 'p.yaml');
    const { result, records } = await runToEnd(plan, 'planned', { faults: ['site.check:1'] });
    expect(result.state).toBe('succeeded');
    expect(recordsOf(records, 'step.succeeded', 'after')).toHaveLength(1);
  });
});

describe('timeouts', () => {
  it('fails an attempt at its absolute deadline and aborts the adapter call', async () => {
    const plan = validPlan(planWith(`
    - id: stuck
      action: site.slow
      timeout: 1m`), 'p.yaml');
    const { result, records, clock: c } = await runToEnd(plan, 'planned');
    const clock = c as SimulatedClock;
    expect(result.state).toBe('failed');
    const start = recordsOf(records, 'step.started', 'stuck')[0]!;
    const fail = recordsOf(records, 'step.failed', 'stuck')[0]!;
    expect(start.type === 'step.started' && start.data.deadline).toBe(start.time + 60_000);
    expect(fail.time - start.time).toBe(60_000);
    expect(fail.type === 'step.failed' && fail.data.error).toMatch(/timed out after 1m/);
    // The simulated 10-minute operation was aborted, not left sleeping.
    expect(clock.pendingTimers).toBe(0);
    expect(clock.now()).toBeLessThan(EPOCH + 10 * 60_000);
  });
});

describe('gates', () => {
  // Tiny estimates: the real-clock tests below wait for real.
  const gatePlan = (gate: string) => validPlan(planWith(`
    - id: approve-it
      gate: ${gate}
    - id: after
      action: site.check
      estimate: 1ms`)
      .replace('type: simulator', 'type: simulator\n      estimates: { shutdown: 1ms, sync: 1ms, failover: 1ms, start: 1ms }')
      .replace('check: { estimate: 1m,', 'check: { estimate: 1ms,'), 'p.yaml');

  it('puts the run in waiting and a detached run stops there', async () => {
    const harness = await startHarness(gatePlan('{ approvers: [dba], quorum: 2, timeout: 30m }'), 'planned', { stopWhenWaiting: true });
    const result = await harness.result;
    expect(result.state).toBe('waiting');
    expect(result.history.waitingOn).toEqual(['approve-it']);
    // Simulated time did not run the 30-minute timeout out while nobody could act.
    expect(harness.records().some((r) => r.type === 'gate.timedOut')).toBe(false);
  });

  it('opens on a quorum of distinct allowed principals and refuses the initiator and outsiders', async () => {
    const harness = await startHarness(gatePlan('{ approvers: [dba], quorum: 2 }'), 'planned', { initiator: 'alice' });
    await until(() => harness.records().some((r) => r.type === 'step.waiting'));
    await expect(harness.handle.control.approve('approve-it', 'alice')).rejects.toThrow(/started run .* may not approve/);
    await expect(harness.handle.control.approve('approve-it', 'carol')).rejects.toThrow(/may not (approve|decide)/);
    await harness.handle.control.approve('approve-it', 'bob');
    await expect(harness.handle.control.approve('approve-it', 'bob')).rejects.toThrow(/already approved/);
    expect(harness.records().some((r) => r.type === 'step.succeeded' && r.data.stepId === 'approve-it')).toBe(false);
    // quorum 2 of [alice, bob] with alice barred can never be reached: reject to end it.
    await harness.handle.control.reject('approve-it', 'bob', 'lag too high');
    const result = await harness.result;
    expect(result.state).toBe('failed');
    expect(result.failure?.error).toMatch(/rejected by bob: lag too high/);
  });

  // Simulated time never runs a gate's timeout out while only people could act (the clock is held),
  // so gate timeouts are exercised in real time with short durations.
  it('onTimeout: approve opens the gate at its deadline, recorded as a timeout, never as an approval', async () => {
    const harness = await startHarness(gatePlan('{ approvers: [dba], timeout: 50ms, onTimeout: approve }'), 'planned', { clock: systemClock });
    const result = await harness.result;
    expect(result.state).toBe('succeeded');
    const records = harness.records();
    expect(records.some((r) => r.type === 'gate.approved')).toBe(false);
    expect(recordsOf(records, 'gate.timedOut', 'approve-it')[0]).toMatchObject({ data: { outcome: 'approved' } });
    const waiting = recordsOf(records, 'step.waiting', 'approve-it')[0]!;
    expect(recordsOf(records, 'gate.timedOut', 'approve-it')[0]!.time).toBeGreaterThanOrEqual(waiting.time + 50);
  });

  it('onTimeout: fail (the default) fails the gate and the run', async () => {
    const harness = await startHarness(gatePlan('{ approvers: [dba], timeout: 50ms }'), 'planned', { clock: systemClock });
    const result = await harness.result;
    expect(result.state).toBe('failed');
    expect(result.failure?.error).toMatch(/timed out after 50ms with 0 of 1 approvals/);
  });

  it('onTimeout: escalate asks the escalation approvers, whose own timeout fails the gate', async () => {
    const harness = await startHarness(gatePlan('{ approvers: [dba], timeout: 50ms, onTimeout: { escalate: { approvers: [board], quorum: 1, timeout: 300ms } } }'), 'planned', { clock: systemClock });
    await until(() => recordsOf(harness.records(), 'step.waiting', 'approve-it').length === 2);
    expect(recordsOf(harness.records(), 'step.waiting', 'approve-it')[1]).toMatchObject({ data: { principals: ['carol'], quorum: 1 } });
    await expect(harness.handle.control.approve('approve-it', 'alice')).rejects.toThrow(/may not (approve|decide)/);
    const result = await harness.result;
    expect(result.state).toBe('failed');
    expect(recordsOf(harness.records(), 'gate.timedOut', 'approve-it').map((r) => r.type === 'gate.timedOut' && r.data.outcome)).toEqual(['escalated', 'failed']);
    expect(indexOf(harness.records(), 'step.started', 'handler')).toBeGreaterThan(-1);
  });

  it('an escalation approver opens the escalated gate', async () => {
    const harness = await startHarness(gatePlan('{ approvers: [dba], timeout: 50ms, onTimeout: { escalate: { approvers: [board], quorum: 1 } } }'), 'planned', { clock: systemClock });
    await until(() => recordsOf(harness.records(), 'step.waiting', 'approve-it').length === 2);
    await harness.handle.control.approve('approve-it', 'carol');
    const result = await harness.result;
    expect(result.state).toBe('succeeded');
  });
});

describe('pause', () => {
  it('onFailure: pause waits for an operator; retry runs the step again', async () => {
    const plan = validPlan(planWith(`
    - id: fragile
      action: site.check
      onFailure: pause
    - id: after
      action: site.check`), 'p.yaml');
    const harness = await startHarness(plan, 'planned', { faults: ['site.check:1'] });
    await until(() => recordsOf(harness.records(), 'step.waiting', 'fragile').length === 1);
    expect(recordsOf(harness.records(), 'step.waiting', 'fragile')[0]).toMatchObject({ data: { kind: 'pause' } });
    await harness.handle.control.retry('fragile', 'operator', 'fixed the network');
    const result = await harness.result;
    expect(result.state).toBe('succeeded');
    expect(recordsOf(harness.records(), 'step.started', 'fragile')).toHaveLength(2);
  });

  it('skip moves on without running the step again', async () => {
    const plan = validPlan(planWith(`
    - id: fragile
      action: site.check
      onFailure: pause
    - id: after
      action: site.check`), 'p.yaml');
    const harness = await startHarness(plan, 'planned', { faults: ['site.check:1'] });
    await until(() => recordsOf(harness.records(), 'step.waiting', 'fragile').length === 1);
    await harness.handle.control.skip('fragile', 'operator', 'done by hand');
    const result = await harness.result;
    expect(result.state).toBe('succeeded');
    expect(recordsOf(harness.records(), 'step.started', 'fragile')).toHaveLength(1);
    expect(recordsOf(harness.records(), 'step.skipped', 'fragile')[0]).toMatchObject({ data: { reason: 'done by hand', by: 'operator' } });
  });
});

describe('templates at run time', () => {
  it('a reference that cannot resolve at run time fails the step with the template’s file position', async () => {
    // Valid statically: the referenced step runs in every mode. It fails and the plan goes on
    // (onFailure: continue), so at run time its output does not exist.
    const plan = validPlan(planWith(`
    - id: optional
      action: site.check
      onFailure: continue
    - id: uses-it
      action: site.check
      with: { note: "{{steps.optional.output.value}}" }`), 'p.yaml');
    const { result, records } = await runToEnd(plan, 'planned', { faults: ['site.check:1'] });
    expect(result.state).toBe('failed');
    const failed = recordsOf(records, 'step.failed', 'uses-it')[0];
    expect(failed?.type === 'step.failed' && failed.data.error).toMatch(/^p\.yaml#|p\.yaml:\d+:\d+/);
    expect(failed?.type === 'step.failed' && failed.data.error).toMatch(/steps.optional.output.value}} is not defined when this step runs \(step "optional" has not succeeded/);
    // Not retried: a template that cannot render will not render later either.
    expect(recordsOf(records, 'step.started', 'uses-it')).toHaveLength(0);
  });
});

async function until(condition: () => boolean): Promise<void> {
  const give = Date.now() + 10_000;
  while (Date.now() < give) {
    if (condition()) return;
    await new Promise((r) => setTimeout(r, 1));
  }
  throw new Error('condition never became true');
}
