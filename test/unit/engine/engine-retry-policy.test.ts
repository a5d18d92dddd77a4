/**
 * Retry policies beyond the basics of step-policies.test.ts: the maxBackoff cap, the delay
 * measured from the failure (not from the start), a retry that succeeds, and what the adapter
 * contract says about errors it marks as not retryable.
 */
import { describe, expect, it } from 'vitest';
import type { JournalRecord } from '../../../engine/store/journal.js';
import { validPlan } from '../../helpers/pipeline.js';
import { runToEnd } from '../../helpers/run-harness.js';

const plan = (step: string) =>
  validPlan(
    `
apiVersion: drplan/v1
kind: RecoveryPlan
metadata: { name: retries }
spec:
  adapters:
    site: { type: simulator, config: { jitter: 0, operations: { check: { estimate: 7s } } } }
  sites: { source: site, target: site }
  modes: { unplanned: { recoveryPoint: latest } }
  groups:
    - id: g
      vms: []
  finalize:
${step}
`,
    'retries.yaml',
  );

const of = (records: readonly JournalRecord[], type: JournalRecord['type']) => records.filter((r) => r.type === type);

describe('retry backoff', () => {
  it('grows by the factor from the failure, never beyond maxBackoff', async () => {
    const { result, records } = await runToEnd(
      plan(`
    - id: flaky
      action: site.check
      retry: { attempts: 6, backoff: 10s, factor: 3, maxBackoff: 1m }`),
      'unplanned',
      { faults: ['check:5'] },
    );
    expect(result.state).toBe('succeeded');
    const starts = of(records, 'step.started');
    const failures = of(records, 'step.failed');
    expect(starts).toHaveLength(6);
    // 10s, 30s, then 90s and 270s capped at 60s.
    expect(failures.map((f, i) => starts[i + 1]!.time - f.time)).toEqual([10_000, 30_000, 60_000, 60_000, 60_000]);
    // Each attempt takes its own 7 s: the wait is counted from the failure, not from the start.
    expect(failures.map((f, i) => f.time - starts[i]!.time)).toEqual([7_000, 7_000, 7_000, 7_000, 7_000]);
    expect(of(records, 'step.retrying').map((r) => r.type === 'step.retrying' && [r.data.attempt, r.data.at - failures[r.data.attempt - 2]!.time])).toEqual([
      [2, 10_000],
      [3, 30_000],
      [4, 60_000],
      [5, 60_000],
      [6, 60_000],
    ]);
  });

  it('with no backoff retries at once', async () => {
    const { records } = await runToEnd(plan('    - { id: flaky, action: site.check, retry: { attempts: 2 } }'), 'unplanned', { faults: ['check'] });
    const [failed] = of(records, 'step.failed');
    const [, second] = of(records, 'step.started');
    expect(second!.time).toBe(failed!.time);
  });
});

describe('errors an adapter marks as not retryable', () => {
  // BUG (OperationError.retryable ignored): adapters/types.ts lets an operation throw
  // `new OperationError(message, { retryable: false })` for a failure that no retry can fix; the
  // simulator does so for a recovery point newer than the newest replicated data
  // (adapters/simulator/recovery-point.ts). The engine retries it anyway: this step is
  // attempted 3 times with the same error, and only the last failure is final. Expected: one
  // attempt, `final: true`. engine/run/step-executor.ts:117 (attemptOnce's catch) returns
  // `permanent: false` for every adapter error without looking at `details.retryable`.
  it('are not retried (BUG: retryable: false ignored)', async () => {
    const { result, records } = await runToEnd(
      plan(`
    - id: promote
      action: site.failover
      with: { vm: { name: db-1 }, recoveryPoint: "2999-01-01T00:00:00Z" }
      retry: { attempts: 3, backoff: 1s }`),
      'unplanned',
    );
    expect(result.state).toBe('failed');
    expect(result.failure?.error).toMatch(/no recovery point at 2999/);
    expect(of(records, 'step.started')).toHaveLength(1);
    expect(of(records, 'step.failed').map((r) => r.type === 'step.failed' && r.data.final)).toEqual([true]);
  });
});
