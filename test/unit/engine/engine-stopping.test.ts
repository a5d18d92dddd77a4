/**
 * How a run stops (compile-plan.ts: "an aborting failure lets in-flight work finish and starts
 * nothing new, then test cleanup (`cleanup: always`) then the plan's `onFailure`; `CANCEL` does
 * the same at once"), in small deterministic scenarios. Several of these reproduce engine bugs
 * found by test/property/engine-runs.test.ts; they are marked `it.fails` with the bug named, and
 * will start failing (i.e. passing) once the engine is fixed: then drop the `.fails`.
 */
import { describe, expect, it } from 'vitest';
import { resolveExecution } from '../../../engine/compile/resolve-execution.js';
import type { Plan } from '../../../engine/model/plan.js';
import { openAdapters } from '../../../engine/app/open-adapters.js';
import { RunHistory } from '../../../engine/run/run-history.js';
import { startRun } from '../../../engine/run/run-plan.js';
import { SimulatedClock } from '../../../engine/run/simulated-clock.js';
import type { JournalRecord } from '../../../engine/store/journal.js';
import { MemoryStore } from '../../../engine/store/memory-store.js';
import { validPlan } from '../../helpers/pipeline.js';
import { EPOCH, eventLines, indexOf, runToEnd, silentLogger } from '../../helpers/run-harness.js';

const TERMINAL = new Set(['run.succeeded', 'run.failed', 'run.cancelled']);

/** Runs `plan` (dry-run, auto-approve) and calls `cancel` when `when` first matches a record. */
async function runCancelling(plan: Plan, mode: 'unplanned' | 'test', when: (r: JournalRecord) => boolean, defer: (f: () => void) => void) {
  const exec = resolveExecution(plan, mode, {});
  const clock = new SimulatedClock(EPOCH);
  const opened = await openAdapters(plan, { dryRun: true, faults: [], seed: 1, clock, logger: silentLogger, env: {} });
  const journal = await new MemoryStore().create('run-1');
  let asked = false;
  const handle = startRun({
    exec,
    journal,
    adapters: opened.adapters,
    shell: opened.shell,
    clock,
    logger: silentLogger,
    stopWhenWaiting: false,
    onRecord: (r) => {
      if (asked || !when(r)) return;
      asked = true;
      defer(() => void handle.control.cancel('operator', 'called off'));
    },
    start: { runId: 'run-1', plan: plan.name, planFile: plan.file, planDigest: 't', mode, params: {}, initiator: 'tester', engineVersion: 't', dryRun: true, autoApprove: true, faults: [], simulated: true },
  });
  const result = await handle.result;
  const atEnd = { records: [...journal.records()], pendingTimers: clock.pendingTimers };
  // Let whatever the run left behind finish, then look at the journal again.
  await clock.runUntilIdle();
  await new Promise((r) => setImmediate(r));
  await opened.close();
  return { result, atEnd, records: journal.records() };
}

const stepOf = (r: JournalRecord) => ('stepId' in r.data ? (r.data as { stepId: string }).stepId : undefined);

describe('an aborting failure', () => {
  const twoGroups = (concurrency: number) =>
    validPlan(
      `
apiVersion: drplan/v1
kind: RecoveryPlan
metadata: { name: lanes }
spec:
  adapters:
    site:
      type: simulator
      config: { jitter: 0, operations: { check: { estimate: 5s }, failover: { estimate: 60s }, start: { estimate: 10s }, mark: { estimate: 1s } } }
  sites: { source: site, target: site }
  modes: { unplanned: {} }
  groups:
    - id: doomed
      vms: []
      post:
        - { id: doomed-check, action: site.check }
    - id: many
      dependsOn: []
      vms: [m-1, m-2, m-3]
      concurrency: ${concurrency}
  onFailure:
    - { id: handler, action: site.mark }
`,
      'lanes.yaml',
    );

  it('in a group’s own batch lets the running VMs finish and starts no other VM', async () => {
    const plan = twoGroups(1);
    const { result, records } = await runToEnd(plan, 'unplanned', { faults: ['failover:m-1'] });
    expect(result.state).toBe('failed');
    const started = eventLines(records).filter((l) => l.startsWith('step.started '));
    expect(started).toContain('step.started many/m-1/failover');
    expect(started.filter((l) => /many\/m-[23]\//.test(l))).toEqual([]);
    expect(started.filter((l) => l.endsWith(' handler'))).toHaveLength(1);
  });

  // BUG (batch-runner ignores a run-wide abort): a failure in one group's lane does not stop a batch
  // that is already running in a parallel lane from starting its queued VMs. Here `doomed-check`
  // fails at +5s while `many` (concurrency 1) is on m-1; m-2 and m-3 are then failed over anyway,
  // at +70s and +140s, long after the run began aborting. The batch only checks its own
  // `abort` and its actor's signal (engine/run/batch-runner.ts:25); the machine's `aborting` flag
  // (engine/compile/compile-plan.ts, context) never reaches a running batch.
  it('in another group stops that group’s batch from starting new VMs (BUG: batch ignores run-wide abort)', async () => {
    const plan = twoGroups(1);
    const { result, records } = await runToEnd(plan, 'unplanned', { faults: ['site.check'] });
    expect(result.state).toBe('failed');
    const failedAt = indexOf(records, 'step.failed', 'doomed-check');
    expect(failedAt).toBeGreaterThan(-1);
    // m-1 was in flight (failover, then its start: one unit) and may finish; nothing else may start.
    const startedAfter = records.slice(failedAt).filter((r) => r.type === 'step.started').map(stepOf);
    expect(startedAfter.filter((id) => id !== 'handler' && id !== 'many/m-1/start')).toEqual([]);
  });
  // BUG (a failure inside a batch is not seen until the batch drains): when one VM of a group
  // fails, the machine learns of the abort only when runBatch returns, i.e. after the group's other
  // running units have finished (engine/run/batch-runner.ts:37 awaits queue.onIdle() before
  // reporting; the `aborting` guard in engine/compile/compile-plan.ts is only set from an actor's
  // output). Meanwhile other lanes start new steps. Here a-1's failover fails at +60s while a-2's
  // unit (failover, then start until +90s) runs on; lane b finishes b-1 at +70s and starts b-2,
  // although the run has been aborting for 10 s.
  it('inside a batch stops other lanes at once, not when the batch drains (BUG: abort seen late)', async () => {
    const plan = validPlan(
      `
apiVersion: drplan/v1
kind: RecoveryPlan
metadata: { name: late }
spec:
  adapters:
    site:
      type: simulator
      config: { jitter: 0, operations: { check: { estimate: 70s }, failover: { estimate: 60s }, start: { estimate: 30s } } }
  sites: { source: site, target: site }
  modes: { unplanned: {} }
  groups:
    - id: a
      vms: [a-1, a-2]
    - id: b
      dependsOn: []
      vms: []
      pre:
        - { id: b-1, action: site.check }
        - { id: b-2, action: site.check }
`,
      'late.yaml',
    );
    const { result, records } = await runToEnd(plan, 'unplanned', { faults: ['failover:a-1'] });
    expect(result.state).toBe('failed');
    expect(result.failure?.stepId).toBe('a/a-1/failover');
    expect(records.find((r) => r.type === 'step.failed')?.time).toBe(records[0]!.time + 60_000);
    expect(eventLines(records)).not.toContain('step.started b-2');
  });
});

describe('a cancel', () => {
  const plan = () =>
    validPlan(
      `
apiVersion: drplan/v1
kind: RecoveryPlan
metadata: { name: cancel }
spec:
  adapters:
    site: { type: simulator, config: { jitter: 0, operations: { check: { estimate: 10s } } } }
  sites: { source: site, target: site }
  modes: { unplanned: {} }
  groups:
    - id: g
      vms: [vm-1]
  finalize:
    - { id: one, action: site.check }
    - { id: two, action: site.check }
`,
      'cancel.yaml',
    );

  it('between two records of a run with work left ends it cancelled, with the interrupted attempt failed', async () => {
    const { result, records } = await runCancelling(plan(), 'unplanned', (r) => r.type === 'step.started' && stepOf(r) === 'one', setImmediate);
    expect(result.state).toBe('cancelled');
    expect(eventLines(records)).not.toContain('step.started two');
    expect(records.find((r) => r.type === 'step.failed' && stepOf(r) === 'one')).toMatchObject({ data: { error: 'cancelled while running', final: true } });
  });

  // BUG (run ends before its interrupted attempt is journaled): with nothing to run after a cancel
  // (no test cleanup, no onFailure), `run.cancelled` is written while the interrupted attempt's
  // `step.failed` is still on its way, so the journal goes on after its terminal record:
  //   step.started one · run.cancelRequested · run.cancelled · step.failed one
  // and the returned result still shows `one` running. engine/run/run-plan.ts:125-142 records the
  // end as soon as the actor completes; the stopped step actor's promise (step-executor.ts
  // attemptOnce, catch path) is not awaited.
  it('journals the interrupted attempt before the run’s terminal record (BUG: run.cancelled written first)', async () => {
    const { result, atEnd, records } = await runCancelling(plan(), 'unplanned', (r) => r.type === 'step.started' && stepOf(r) === 'one', setImmediate);
    expect(result.state).toBe('cancelled');
    expect(records.at(-1)!.type).toBe('run.cancelled');
    expect(RunHistory.of(atEnd.records).step('one').status).toBe('failed');
  });

  // BUG (cancel racing a step's start): a cancel journaled while the machine is starting a step
  // (here: requested as the run starts, before its first step's `step.started` is durable) does not
  // reach that step. The failover is journaled as started AFTER run.cancelRequested, the adapter
  // is called with a signal that never aborts (the simulator keeps sleeping: a pending timer when
  // the run has already ended "cancelled"), and when the call returns nothing is journaled: the
  // attempt stays in flight for good (a resume would treat it as in doubt).
  // Causes: engine/run/step-executor.ts:135 adds an 'abort' listener to a run signal that may
  // already be aborted (it never fires; AbortSignal.any or a check of `aborted` is needed);
  // :105 journals step.started without checking the signal first; :109 returns after an
  // aborted call without journaling its result.
  it('requested as a step is being started stops that step and leaves no attempt in flight (BUG: cancel races step start)', async () => {
    const { result, atEnd, records } = await runCancelling(plan(), 'unplanned', (r) => r.type === 'run.started', queueMicrotask);
    expect(result.state).toBe('cancelled');
    const cancelAt = records.findIndex((r) => r.type === 'run.cancelRequested');
    // Nothing starts after the cancel request…
    expect(records.slice(cancelAt).filter((r) => r.type === 'step.started').map(stepOf)).toEqual([]);
    // …no adapter work outlives the run…
    expect(atEnd.pendingTimers).toBe(0);
    // …and every attempt the journal started, it also finished.
    expect([...RunHistory.of(records).steps.entries()].filter(([, s]) => s.inFlight).map(([id]) => id)).toEqual([]);
  });

  // BUG (cancel during test cleanup runs the cleanup twice at once): a cancel that arrives while
  // the main path is cleaning up a test failover (`cleanup: always`) stops the running cleanupTest
  // attempts and the `cancelling` state starts the cleanup again at once. The interrupted
  // attempts are not journaled yet, so each looks in flight ("in doubt"), and being idempotent it
  // is re-run under the SAME attempt number while the first still runs: the journal gets
  // `step.started …/cleanupTest#1` twice and two results for attempt 1 (a failure, "cancelled
  // while running", and a success). engine/compile/compile-plan.ts `cancelling` (initial state
  // cancelCleanup.first, no `cleanupStarted` routing) together with run-plan.ts not awaiting the
  // stopped actors; step-executor.ts runEffect then takes the live attempt for a crashed one
  // (`h.inFlight` → settleInDoubt → rerun as attempt 1).
  it('during test cleanup runs each cleanupTest attempt once, numbered in order (BUG: cleanup restarted alongside itself)', async () => {
    const test = validPlan(
      `
apiVersion: drplan/v1
kind: RecoveryPlan
metadata: { name: drill }
spec:
  adapters:
    site: { type: simulator, config: { jitter: 0, operations: { cleanupTest: { estimate: 30s } } } }
  sites: { source: site, target: site }
  modes: { test: { cleanup: always } }
  groups:
    - id: g
      vms: [vm-1, vm-2]
`,
      'drill.yaml',
    );
    const { result, records } = await runCancelling(test, 'test', (r) => r.type === 'step.started' && stepOf(r) === 'g/vm-2/cleanupTest', setImmediate);
    expect(result.state).toBe('cancelled');
    for (const vm of ['vm-1', 'vm-2']) {
      const id = `g/${vm}/cleanupTest`;
      const attempts = records.filter((r) => r.type === 'step.started' && stepOf(r) === id).map((r) => (r.type === 'step.started' ? r.data.attempt : 0));
      expect(attempts, id).toEqual(attempts.map((_, i) => i + 1));
      const results = records.filter((r) => (r.type === 'step.succeeded' || r.type === 'step.failed') && stepOf(r) === id).map((r) => (r.type === 'step.succeeded' || r.type === 'step.failed' ? r.data.attempt : 0));
      expect(new Set(results).size, `${id}: one result per attempt`).toBe(results.length);
    }
    // And the test copies are cleaned up in the end.
    expect(RunHistory.of(records).step('g/vm-1/cleanupTest').status).toBe('succeeded');
  });

  // BUG (cancel of an ended run): RunControl.cancel on a run that already ended is refused (it
  // throws) but the refusal is journaled: a `request.refused` record is appended after
  // `run.succeeded`, so the journal no longer ends with its terminal record (before f74d135 it
  // was a `run.cancelRequested`). engine/run/run-plan.ts:152-156 (createControl's `apply`) records
  // every refusal; once `history.ended` is set it should only throw (or report elsewhere).
  it('after the run ended is refused and leaves the journal ending with its terminal record (BUG: refusal appended after the end)', async () => {
    const exec = resolveExecution(plan(), 'unplanned', {});
    const clock = new SimulatedClock(EPOCH);
    const opened = await openAdapters(exec.plan, { dryRun: true, faults: [], seed: 1, clock, logger: silentLogger, env: {} });
    const journal = await new MemoryStore().create('run-1');
    const handle = startRun({ exec, journal, adapters: opened.adapters, shell: opened.shell, clock, logger: silentLogger, stopWhenWaiting: false, start: { runId: 'run-1', plan: 'cancel', planFile: 'cancel.yaml', planDigest: 't', mode: 'unplanned', params: {}, initiator: 't', engineVersion: 't', dryRun: true, autoApprove: true, faults: [], simulated: true } });
    expect((await handle.result).state).toBe('succeeded');
    await expect(handle.control.cancel('operator', 'too late')).rejects.toThrow(/already ended/);
    expect(TERMINAL.has(journal.records().at(-1)!.type)).toBe(true);
    await opened.close();
  });
});
