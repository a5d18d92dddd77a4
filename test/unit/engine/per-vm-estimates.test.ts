/**
 * A `forEach: vm` step whose estimate is a template of VM attributes: the batch starts the
 * longest copies first, and a dry-run simulates each copy for its own estimate.
 */
import { describe, expect, it } from 'vitest';
import { validPlan } from '../../helpers/pipeline.js';
import { runToEnd } from '../../helpers/run-harness.js';

const plan = (estimate: string) =>
  validPlan(`
apiVersion: drplan/v1
kind: RecoveryPlan
metadata: { name: restores }
spec:
  adapters:
    site: { type: simulator, estimates: { failover: 0s, start: 0s } }
  sites: { source: site, target: site }
  modes: { unplanned: {} }
  groups:
    - id: app
      concurrency: 1
      vms:
        - { name: a-1, restore: 2m }
        - { name: a-2, restore: 9m }
        - { name: a-3, restore: 4m }
        - { name: a-4, restore: 1h }
      post:
        - id: restore
          forEach: vm
          run: [restore, "{{vm.name}}"]
          estimate: ${estimate}
`);

function copies(records: readonly { type: string; time: number; data: unknown }[]) {
  const started = records.filter((r) => r.type === 'step.started' && String((r.data as { stepId: string }).stepId).startsWith('restore/'));
  return started.map((r) => {
    const id = (r.data as { stepId: string }).stepId;
    const end = records.find((x) => x.type === 'step.succeeded' && (x.data as { stepId: string }).stepId === id)!;
    return { id, minutes: (end.time - r.time) / 60_000 };
  });
}

describe('per-VM estimates', () => {
  it('start the longest copy first when the estimate is a template', async () => {
    const { result, records } = await runToEnd(plan('"{{vm.restore}}"'), 'unplanned', { dryRun: true });
    expect(result.state).toBe('succeeded');
    expect(copies(records).map((c) => c.id)).toEqual(['restore/a-4', 'restore/a-2', 'restore/a-3', 'restore/a-1']);
  });

  it('keep document order when every copy has the same estimate', async () => {
    const { records } = await runToEnd(plan('5m'), 'unplanned', { dryRun: true });
    expect(copies(records).map((c) => c.id)).toEqual(['restore/a-1', 'restore/a-2', 'restore/a-3', 'restore/a-4']);
  });

  it('simulate each copy for its own estimate in a dry-run', async () => {
    const { records } = await runToEnd(plan('"{{vm.restore}}"'), 'unplanned', { dryRun: true });
    const minutes = Object.fromEntries(copies(records).map((c) => [c.id, c.minutes]));
    // The simulator jitters durations around the estimate; the order of magnitude is the VM's.
    expect(minutes['restore/a-4']).toBeGreaterThan(45);
    expect(minutes['restore/a-1']).toBeLessThan(3);
    expect(minutes['restore/a-2']).toBeGreaterThan(minutes['restore/a-3']!);
  });
});
