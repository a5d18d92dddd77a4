/**
 * The estimated schedule behind `drplan plan`: the critical path honours each group's
 * concurrency and the parallelism of independent groups, and `fits` compares it with the RTO.
 */
import { describe, expect, it } from 'vitest';
import { resolveExecution } from '../../../engine/compile/resolve-execution.js';
import type { ExecutionPlan } from '../../../engine/model/execution.js';
import type { ModeName } from '../../../engine/model/plan.js';
import { validPlan } from '../../helpers/pipeline.js';
import { planText } from '../../helpers/plan-text.js';

const MIN = 60_000;

/** One simulator site where failover takes 10 min and everything else 0s, unless `estimates` says otherwise. */
function site(estimates = 'failover: 10m'): string {
  const all: Record<string, string> = { replicationHealth: '0s', shutdown: '0s', sync: '0s', failover: '0s', start: '0s', testFailover: '0s', cleanupTest: '0s' };
  for (const pair of estimates.split(',')) {
    const [op, value] = pair.split(':').map((x) => x.trim());
    all[op!] = value!;
  }
  return `
    adapters:
      site:
        type: simulator
        estimates: { ${Object.entries(all).map(([k, v]) => `${k}: ${v}`).join(', ')} }
    sites: { source: site, target: site }
  `;
}

const resolve = (text: string, mode: ModeName = 'unplanned'): ExecutionPlan => resolveExecution(validPlan(text), mode, {});

describe('concurrency', () => {
  it.each([
    [1, 40],
    [2, 20],
    [3, 20],
    [4, 10],
  ])('4 VMs × 10 min at concurrency %i take %i min', (concurrency, minutes) => {
    const exec = resolve(planText(site(), `
      groups:
        - id: app
          vms: [a-1, a-2, a-3, a-4]
          concurrency: ${concurrency}
    `));
    expect(exec.criticalPath.estimateMs).toBe(minutes * MIN);
  });

  it('without concurrency every VM of the group goes at once', () => {
    const exec = resolve(planText(site(), `
      groups:
        - id: app
          vms: [a-1, a-2, a-3, a-4]
    `));
    expect(exec.criticalPath.estimateMs).toBe(10 * MIN);
    expect(exec.pools).toEqual({ app: 4 });
  });

  it('a VM keeps its slot from failover to start: 2 VMs × (10 + 5 min) at concurrency 1 take 30 min', () => {
    const exec = resolve(planText(site('failover: 10m, start: 5m'), `
      groups:
        - id: app
          vms: [a-1, a-2]
          concurrency: 1
    `));
    expect(exec.criticalPath.estimateMs).toBe(30 * MIN);
  });

  it('forEach steps share the group’s concurrency: 3 VMs × 5 min at concurrency 1 take 15 min', () => {
    const exec = resolve(planText(site('failover: 0s'), `
      groups:
        - id: app
          vms: [a-1, a-2, a-3]
          concurrency: 1
          post:
            - id: warm
              forEach: vm
              run: [echo, "{{vm.name}}"]
              estimate: 5m
    `));
    expect(exec.criticalPath.estimateMs).toBe(15 * MIN);
  });
});

describe('groups in a DAG', () => {
  const twoGroups = (dependsOn: string) =>
    planText(site(), `
      groups:
        - id: db
          vms: [pg-1]
        - id: files
          ${dependsOn}
          vms: [nas-1]
    `);

  it('two independent groups overlap: 10 min, not 20', () => {
    const exec = resolve(twoGroups('dependsOn: []'));
    expect(exec.criticalPath.estimateMs).toBe(10 * MIN);
  });

  it('chained groups add up: 20 min, and the critical path goes through both', () => {
    const exec = resolve(twoGroups(''));
    expect(exec.criticalPath.estimateMs).toBe(20 * MIN);
    expect(exec.criticalPath.steps).toEqual(['db/pg-1/failover', 'db/pg-1/start', 'files/nas-1/failover', 'files/nas-1/start']);
  });

  it('the longest branch of a diamond decides, and is the path reported', () => {
    const exec = resolve(planText(site(), `
      prechecks:
        - id: check
          action: site.replicationHealth
          estimate: 1m
      groups:
        - id: net
        - id: short
          dependsOn: [net]
          vms: [s-1]
        - id: long
          dependsOn: [net]
          vms: [l-1]
          post:
            - id: verify
              run: [echo]
              estimate: 7m
        - id: top
          dependsOn: [short, long]
      finalize:
        - id: dns
          manual: { instructions: dns }
          estimate: 2m
    `));
    expect(exec.criticalPath.estimateMs).toBe((1 + 10 + 7 + 2) * MIN);
    expect(exec.criticalPath.steps).toEqual(['check', 'long/l-1/failover', 'long/l-1/start', 'verify', 'dns']);
  });
});

describe('RTO', () => {
  const plan = (rto: string) =>
    planText(`objectives: { rto: ${rto} }`, site(), `
      groups:
        - id: app
          vms: [a-1, a-2, a-3, a-4]
          concurrency: 2
    `);

  it.each([
    ['25m', true],
    ['20m', true],
    ['19m', false],
  ])('a 20 min critical path against an RTO of %s: fits = %s', (rto, fits) => {
    const exec = resolve(plan(rto));
    expect(exec.objectives).toEqual({ rtoMs: exec.plan.objectives.rtoMs, fits });
  });

  it('without an RTO, fits is null', () => {
    const exec = resolve(planText(site(), 'groups: [{ id: app, vms: [a-1] }]'));
    expect(exec.objectives).toEqual({ rtoMs: null, fits: null });
  });

  it('steps without an estimate count as instant and are listed as unestimated', () => {
    const exec = resolve(planText('objectives: { rto: 1h }', site(), `
      groups: [{ id: app, vms: [a-1] }]
      finalize:
        - id: ask
          manual: { instructions: check }
    `));
    expect(exec.unestimated).toEqual(['ask']);
    expect(exec.criticalPath.estimateMs).toBe(10 * MIN);
  });

  it('test-mode cleanup comes after the recovery and does not count against the RTO', () => {
    const exec = resolve(planText('objectives: { rto: 15m }', site('testFailover: 10m, cleanupTest: 30m'), `
      groups: [{ id: app, vms: [a-1] }]
      cleanup:
        - id: tidy
          manual: { instructions: tidy }
          estimate: 1h
    `), 'test');
    expect(exec.criticalPath.estimateMs).toBe(10 * MIN);
    expect(exec.objectives.fits).toBe(true);
  });

  it('skipped steps take no time', () => {
    const exec = resolve(planText(site(), `
      groups: [{ id: app, vms: [a-1] }]
      finalize:
        - id: planned-only
          manual: { instructions: x }
          modes: [planned]
          estimate: 3h
    `));
    expect(exec.criticalPath.estimateMs).toBe(10 * MIN);
  });
});

describe('per-VM estimates of a forEach step', () => {
  const restorePlan = (concurrency: number) =>
    planText(site('failover: 0s'), `
      groups:
        - id: app
          concurrency: ${concurrency}
          vms:
            - { name: a-1, restore: 2m }
            - { name: a-2, restore: 9m }
            - { name: a-3, restore: 4m }
            - { name: a-4, restore: 1h }
          post:
            - id: restore
              forEach: vm
              run: [restore, "{{vm.name}}"]
              estimate: "{{vm.restore}}"
    `);

  it('gives each copy the duration its VM names', () => {
    const exec = resolve(restorePlan(2));
    const copies = exec.steps.filter((s) => s.id.startsWith('restore/'));
    expect(copies.map((s) => [s.id, s.estimateMs, s.estimated])).toEqual([
      ['restore/a-1', 2 * MIN, true],
      ['restore/a-2', 9 * MIN, true],
      ['restore/a-3', 4 * MIN, true],
      ['restore/a-4', 60 * MIN, true],
    ]);
    expect(exec.unestimated).toEqual([]);
  });

  it.each([
    // Longest first on 2 slots: 1h | 9m + 4m + 2m; the hour decides.
    [2, 60],
    // One slot: everything in a row.
    [1, 60 + 9 + 4 + 2],
  ])('schedules the copies longest first (concurrency %i: %i min)', (concurrency, minutes) => {
    expect(resolve(restorePlan(concurrency)).criticalPath.estimateMs).toBe(minutes * MIN);
  });
});
