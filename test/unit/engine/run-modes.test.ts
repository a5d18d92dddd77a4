import { describe, expect, it } from 'vitest';
import { validPlan } from '../../helpers/pipeline.js';
import { eventLines, indexOf, runToEnd, startHarness } from '../../helpers/run-harness.js';

const PLAN = `
apiVersion: drplan/v1
kind: RecoveryPlan
metadata: { name: shop }
spec:
  objectives: { rto: 2h, rpo: 5m }
  adapters:
    site:
      type: simulator
      config:
        seed: 3
        operations:
          setAlias: { estimate: 30s, output: { alias: shop.example.com } }
          markUnusable: { estimate: 5s }
          deleteNetwork: { estimate: 10s }
  sites: { source: site, target: site }
  approvers: { dba: [alice, bob], board: [carol] }
  modes: { planned: {}, unplanned: { recoveryPoint: latest }, test: { network: drill, cleanup: always } }
  prechecks:
    - id: health
      action: site.replicationHealth
  groups:
    - id: db
      vms: [db-1, db-2]
      pre:
        - id: signoff
          gate: { approvers: [dba], quorum: 1 }
      post:
        - id: db-check
          action: site.setAlias
          with: { name: "{{group.id}}" }
    - id: app
      vms: [app-1, app-2, app-3]
      concurrency: 2
  finalize:
    - id: alias
      action: site.setAlias
      with: { name: "{{steps.db-check.output.alias}}" }
  cleanup:
    - id: drop-net
      action: site.deleteNetwork
  onFailure:
    - id: mark
      action: site.markUnusable
`;

const plan = () => validPlan(PLAN, 'shop.yaml');
const started = (records: Parameters<typeof eventLines>[0]) => eventLines(records).filter((l) => l.startsWith('step.started')).map((l) => l.slice('step.started '.length));

describe('planned mode', () => {
  it('shuts down in reverse group order, syncs, then recovers groups in order', async () => {
    const { result, records } = await runToEnd(plan(), 'planned');
    expect(result.state).toBe('succeeded');
    const at = (type: string, id: string) => indexOf(records, type, id);
    const lastShutdownApp = Math.max(...['app-1', 'app-2', 'app-3'].map((vm) => at('step.succeeded', `app/${vm}/shutdown`)));
    const firstShutdownDb = Math.min(...['db-1', 'db-2'].map((vm) => at('step.started', `db/${vm}/shutdown`)));
    expect(at('step.succeeded', 'health')).toBeLessThan(Math.min(...['app-1', 'app-2', 'app-3'].map((vm) => at('step.started', `app/${vm}/shutdown`))));
    expect(lastShutdownApp).toBeLessThan(firstShutdownDb);
    const lastShutdown = Math.max(...['db-1', 'db-2'].map((vm) => at('step.succeeded', `db/${vm}/shutdown`)));
    const syncs = ['db/db-1', 'db/db-2', 'app/app-1', 'app/app-2', 'app/app-3'].map((v) => at('step.started', `${v}/sync`));
    expect(Math.min(...syncs)).toBeGreaterThan(lastShutdown);
    const lastSync = Math.max(...['db/db-1', 'db/db-2', 'app/app-1', 'app/app-2', 'app/app-3'].map((v) => at('step.succeeded', `${v}/sync`)));
    expect(at('step.waiting', 'signoff')).toBeGreaterThan(lastSync);
    expect(at('step.started', 'db/db-1/failover')).toBeGreaterThan(at('step.succeeded', 'signoff'));
    expect(at('step.started', 'db/db-1/start')).toBeGreaterThan(at('step.succeeded', 'db/db-1/failover'));
    expect(at('step.started', 'db-check')).toBeGreaterThan(at('step.succeeded', 'db/db-2/start'));
    expect(at('step.started', 'app/app-1/failover')).toBeGreaterThan(at('step.succeeded', 'db-check'));
    expect(at('step.started', 'alias')).toBeGreaterThan(at('step.succeeded', 'app/app-3/start'));
    expect(records.at(-1)?.type).toBe('run.succeeded');
    // Approval under --auto-approve is recorded as simulated.
    expect(records.find((r) => r.type === 'gate.approved')?.data).toMatchObject({ by: 'auto-approve', simulated: true });
    // Outputs flow into later templates.
    const alias = records.find((r) => r.type === 'step.succeeded' && r.data.stepId === 'alias');
    expect(alias).toBeDefined();
    expect(started(records)).not.toContain('mark');
  });

  it('never runs more VM operations of a group at once than its concurrency', async () => {
    const { records } = await runToEnd(plan(), 'planned');
    let running = 0;
    let peak = 0;
    for (const r of records) {
      if (!('stepId' in r.data) || !String(r.data.stepId).startsWith('app/') || !String(r.data.stepId).endsWith('/failover')) continue;
      if (r.type === 'step.started') peak = Math.max(peak, ++running);
      if (r.type === 'step.succeeded' || r.type === 'step.failed') running--;
    }
    expect(peak).toBe(2);
  });

  it('a failed VM operation stops new work, lets in-flight work finish, then runs onFailure once', async () => {
    const { result, records } = await runToEnd(plan(), 'planned', { faults: ['failover:app-1'] });
    expect(result.state).toBe('failed');
    expect(result.failure?.stepId).toBe('app/app-1/failover');
    const ids = started(records);
    expect(ids).not.toContain('app/app-3/failover');
    expect(ids).not.toContain('alias');
    expect(ids.filter((id) => id === 'mark')).toHaveLength(1);
    // app-2 was in flight next to app-1 and finished its pipeline? No: it finishes the operation it was running.
    expect(indexOf(records, 'step.succeeded', 'app/app-2/failover')).toBeGreaterThan(-1);
    expect(records.at(-1)?.type).toBe('run.failed');
  });

  it('a failed final sync stops the run before anything is promoted', async () => {
    const { result, records } = await runToEnd(plan(), 'planned', { faults: ['sync:db-2'] });
    expect(result.state).toBe('failed');
    expect(started(records).some((id) => id.endsWith('/failover'))).toBe(false);
  });
});

describe('unplanned mode', () => {
  it('fails over from the recovery point without touching the source and records the data-loss window', async () => {
    const { result, records } = await runToEnd(plan(), 'unplanned');
    expect(result.state).toBe('succeeded');
    const ids = started(records);
    expect(ids.some((id) => id.endsWith('/shutdown') || id.endsWith('/sync'))).toBe(false);
    const failover = records.find((r) => r.type === 'step.succeeded' && r.data.stepId === 'db/db-1/failover');
    expect(failover?.type === 'step.succeeded' && failover.data.output).toMatchObject({ dataLossWindowSeconds: 30 });
    expect(failover?.type === 'step.succeeded' && typeof failover.data.output.recoveryPoint).toBe('string');
  });
});

describe('test mode', () => {
  it('test-fails over, finalizes, then cleans up in reverse group order and never touches production', async () => {
    const { result, records } = await runToEnd(plan(), 'test');
    expect(result.state).toBe('succeeded');
    const ids = started(records);
    expect(ids.some((id) => /\/(shutdown|sync|failover|start)$/.test(id))).toBe(false);
    const at = (type: string, id: string) => indexOf(records, type, id);
    expect(at('step.started', 'app/app-1/cleanupTest')).toBeGreaterThan(at('step.succeeded', 'alias'));
    const lastAppCleanup = Math.max(...['app-1', 'app-2', 'app-3'].map((vm) => at('step.succeeded', `app/${vm}/cleanupTest`)));
    expect(Math.min(at('step.started', 'db/db-1/cleanupTest'), at('step.started', 'db/db-2/cleanupTest'))).toBeGreaterThan(lastAppCleanup);
    expect(at('step.started', 'drop-net')).toBeGreaterThan(at('step.succeeded', 'db/db-2/cleanupTest'));
  });

  it('with cleanup: always, a failure still cleans up every VM that was test-failed-over, then runs onFailure', async () => {
    const { result, records } = await runToEnd(plan(), 'test', { faults: ['testFailover:db-2'] });
    expect(result.state).toBe('failed');
    const ids = started(records);
    const created = ids.filter((id) => id.endsWith('/testFailover')).map((id) => id.replace('/testFailover', ''));
    const cleaned = ids.filter((id) => id.endsWith('/cleanupTest')).map((id) => id.replace('/cleanupTest', ''));
    expect(new Set(created)).toEqual(new Set(['db/db-1', 'db/db-2']));
    expect(new Set(cleaned)).toEqual(new Set(created));
    // The app group never started: its VMs have no test copy, and the journal says so.
    for (const vm of ['app-1', 'app-2', 'app-3']) {
      expect(records.find((r) => r.type === 'step.skipped' && r.data.stepId === `app/${vm}/cleanupTest`)).toMatchObject({ data: { reason: 'no test copy was created for this VM' } });
    }
    expect(indexOf(records, 'step.started', 'mark')).toBeGreaterThan(indexOf(records, 'step.succeeded', 'drop-net'));
  });

  it('a cancel runs the cleanup and onFailure and ends cancelled', async () => {
    const harness = await startHarness(plan(), 'test', { autoApprove: true });
    // Cancel once the app group is under way.
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        if (harness.records().some((r) => r.type === 'step.started' && r.data.stepId === 'app/app-1/testFailover')) {
          clearInterval(timer);
          resolve();
        }
      }, 0);
    });
    await harness.handle.control.cancel('operator', 'drill called off');
    const result = await harness.result;
    expect(result.state).toBe('cancelled');
    const records = harness.records();
    const ids = started(records);
    expect(ids).toContain('db/db-1/cleanupTest');
    expect(ids).toContain('drop-net');
    expect(ids).toContain('mark');
    expect(records.at(-1)).toMatchObject({ type: 'run.cancelled', data: { by: 'operator', reason: 'drill called off' } });
  });
});
