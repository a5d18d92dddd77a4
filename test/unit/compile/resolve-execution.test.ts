/**
 * resolveExecution: SPEC §2.3's order of work per mode as a DAG of steps with the ids of §3.1
 * (`<group>/<vm>/<operation>`, `<step>/<vm>`), skipped steps kept and marked.
 */
import { describe, expect, it } from 'vitest';
import { resolveExecution } from '../../../engine/compile/resolve-execution.js';
import type { ExecutionPlan } from '../../../engine/model/execution.js';
import type { ModeName } from '../../../engine/model/plan.js';
import { execGraph, orderProblems } from '../../helpers/exec-graph.js';
import { validPlan } from '../../helpers/pipeline.js';
import { planText, SITE } from '../../helpers/plan-text.js';

const resolve = (text: string, mode: ModeName): ExecutionPlan => {
  const exec = resolveExecution(validPlan(text), mode, {});
  expect(orderProblems(exec.steps)).toEqual([]);
  return exec;
};
/** `id <- after,after` per step, in the resolved order. */
const shape = (exec: ExecutionPlan) => exec.steps.map((s) => `${s.id} <- ${s.after.join(',')}${s.skipped ? ' (skipped)' : ''}`);

const TWO_GROUPS = planText(SITE, `
  prechecks:
    - id: health
      action: site.replicationHealth
  groups:
    - id: db
      vms: [pg-1, pg-2]
      pre:
        - id: freeze
          manual: { instructions: freeze writes }
    - id: app
      vms: [app-1]
      post:
        - id: smoke
          run: [echo, smoke]
  finalize:
    - id: dns
      manual: { instructions: switch dns }
  cleanup:
    - id: tidy
      manual: { instructions: tidy }
  onFailure:
    - id: page
      manual: { instructions: page someone }
`);

describe('planned mode', () => {
  it('prechecks → shutdown in reverse group order → sync → groups in order (pre, failover + start, post) → finalize', () => {
    expect(shape(resolve(TWO_GROUPS, 'planned'))).toEqual([
      'health <- ',
      'app/app-1/shutdown <- health',
      'db/pg-1/shutdown <- app/app-1/shutdown',
      'db/pg-2/shutdown <- app/app-1/shutdown',
      // The final sync waits for every shutdown (app's is also implied through db's).
      'db/pg-1/sync <- app/app-1/shutdown,db/pg-1/shutdown,db/pg-2/shutdown',
      'db/pg-2/sync <- app/app-1/shutdown,db/pg-1/shutdown,db/pg-2/shutdown',
      'app/app-1/sync <- app/app-1/shutdown,db/pg-1/shutdown,db/pg-2/shutdown',
      'freeze <- db/pg-1/sync,db/pg-2/sync,app/app-1/sync',
      'db/pg-1/failover <- freeze',
      'db/pg-1/start <- db/pg-1/failover',
      'db/pg-2/failover <- freeze',
      'db/pg-2/start <- db/pg-2/failover',
      'app/app-1/failover <- db/pg-1/start,db/pg-2/start',
      'app/app-1/start <- app/app-1/failover',
      'smoke <- app/app-1/start',
      'dns <- smoke',
    ]);
  });

  it('marks each step with its phase, group, VM, operation and the site adapter it calls', () => {
    const exec = resolve(TWO_GROUPS, 'planned');
    const byId = new Map(exec.steps.map((s) => [s.id, s]));
    expect(byId.get('health')).toMatchObject({ kind: 'action', phase: 'prechecks', group: null, vm: null, operation: 'replicationHealth', adapter: 'site' });
    expect(byId.get('db/pg-2/shutdown')).toMatchObject({ kind: 'vm', phase: 'shutdown', group: 'db', vm: 'pg-2', operation: 'shutdown', step: null, pool: 'db' });
    expect(byId.get('app/app-1/sync')).toMatchObject({ kind: 'vm', phase: 'sync', group: 'app', vm: 'app-1', operation: 'sync' });
    expect(byId.get('db/pg-1/start')).toMatchObject({ kind: 'vm', phase: 'groups', operation: 'start' });
    expect(byId.get('freeze')).toMatchObject({ kind: 'manual', phase: 'groups', group: 'db', operation: null });
    expect(byId.get('smoke')).toMatchObject({ kind: 'run', phase: 'groups', group: 'app' });
    expect(byId.get('dns')).toMatchObject({ kind: 'manual', phase: 'finalize', group: null });
    expect(exec.steps.some((s) => s.phase === 'cleanup')).toBe(false);
    expect(exec.onFailure.map((s) => `${s.id} ${s.phase} <- ${s.after.join(',')}`)).toEqual(['page onFailure <- ']);
  });

  it('the source adapter shuts down and syncs, the target fails over and starts', () => {
    const exec = resolve(planText(`
      adapters: { amsterdam: { type: simulator }, dublin: { type: simulator } }
      sites: { source: amsterdam, target: dublin }
      groups: [{ id: g, vms: [v-1] }]
    `), 'planned');
    expect(exec.steps.map((s) => `${s.operation}@${s.adapter}`)).toEqual(['shutdown@amsterdam', 'sync@amsterdam', 'failover@dublin', 'start@dublin']);
  });

  it('with dependsOn, shutdown follows the reverse DAG: a group shuts down once every group depending on it has', () => {
    const exec = resolve(planText(SITE, `
      groups:
        - id: net
          vms: [router-1]
        - id: db
          dependsOn: [net]
          vms: [pg-1]
        - id: files
          dependsOn: [net]
          vms: [nas-1]
        - id: app
          dependsOn: [db]
          vms: [app-1]
    `), 'planned');
    const shutdowns = exec.steps.filter((s) => s.operation === 'shutdown').map((s) => `${s.id} <- ${s.after.join(',')}`);
    expect(shutdowns).toEqual([
      'app/app-1/shutdown <- ',
      'files/nas-1/shutdown <- ',
      'db/pg-1/shutdown <- app/app-1/shutdown',
      'net/router-1/shutdown <- db/pg-1/shutdown,files/nas-1/shutdown',
    ]);
    // Recovery: db and files both wait only for net, so they fail over at the same time.
    const graph = execGraph(exec);
    expect(graph.waitsFor('files/nas-1/failover', 'db/pg-1/start')).toBe(false);
    expect(graph.waitsFor('db/pg-1/failover', 'files/nas-1/start')).toBe(false);
    expect(exec.steps.find((s) => s.id === 'app/app-1/failover')!.after).toEqual(['db/pg-1/start']);
  });

  it('an empty group in the middle of a chain passes the order through (shutdown and recovery)', () => {
    const exec = resolve(planText(SITE, `
      groups:
        - id: a
          vms: [a-1]
        - id: middle
        - id: c
          vms: [c-1]
    `), 'planned');
    const graph = execGraph(exec);
    expect(graph.waitsFor('a/a-1/shutdown', 'c/c-1/shutdown')).toBe(true);
    expect(graph.waitsFor('c/c-1/failover', 'a/a-1/start')).toBe(true);
  });
});

describe('unplanned and test modes', () => {
  it('unplanned: no shutdown, no sync; groups fail over and start in order', () => {
    expect(shape(resolve(TWO_GROUPS, 'unplanned'))).toEqual([
      'health <- ',
      'freeze <- health',
      'db/pg-1/failover <- freeze',
      'db/pg-1/start <- db/pg-1/failover',
      'db/pg-2/failover <- freeze',
      'db/pg-2/start <- db/pg-2/failover',
      'app/app-1/failover <- db/pg-1/start,db/pg-2/start',
      'app/app-1/start <- app/app-1/failover',
      'smoke <- app/app-1/start',
      'dns <- smoke',
    ]);
  });

  it('test: testFailover per VM, finalize, then cleanupTest in reverse group order, then the plan’s cleanup steps', () => {
    expect(shape(resolve(TWO_GROUPS, 'test'))).toEqual([
      'health <- ',
      'freeze <- health',
      'db/pg-1/testFailover <- freeze',
      'db/pg-2/testFailover <- freeze',
      'app/app-1/testFailover <- db/pg-1/testFailover,db/pg-2/testFailover',
      'smoke <- app/app-1/testFailover',
      'dns <- smoke',
      'app/app-1/cleanupTest <- dns',
      'db/pg-1/cleanupTest <- app/app-1/cleanupTest',
      'db/pg-2/cleanupTest <- app/app-1/cleanupTest',
      'tidy <- app/app-1/cleanupTest,db/pg-1/cleanupTest,db/pg-2/cleanupTest',
    ]);
  });

  it('test with `cleanup: manual`: every cleanupTest and cleanup step is shown, skipped', () => {
    const text = TWO_GROUPS.replace('  prechecks:', '  modes: { test: { cleanup: manual } }\n  prechecks:');
    const exec = resolve(text, 'test');
    const cleanup = exec.steps.filter((s) => s.phase === 'cleanup');
    expect(cleanup.map((s) => `${s.id}${s.skipped ? ' (skipped)' : ''}`)).toEqual([
      'app/app-1/cleanupTest (skipped)',
      'db/pg-1/cleanupTest (skipped)',
      'db/pg-2/cleanupTest (skipped)',
      'tidy (skipped)',
    ]);
    for (const s of cleanup) expect(s.estimateMs).toBe(0);
    expect(exec.steps.filter((s) => s.phase !== 'cleanup').every((s) => !s.skipped)).toBe(true);
  });

  it.each(['always', 'on-success'])('test with `cleanup: %s`: cleanup steps are not skipped', (cleanup) => {
    const exec = resolve(TWO_GROUPS.replace('  prechecks:', `  modes: { test: { cleanup: ${cleanup} } }\n  prechecks:`), 'test');
    expect(exec.steps.filter((s) => s.phase === 'cleanup' && s.skipped)).toEqual([]);
  });
});

describe('step ids and skipped steps', () => {
  const FOR_EACH = planText(SITE, `
    groups:
      - id: web
        vms: [web-1, { name: web-2.prod.example.com, ip: 10.0.0.2 }]
        concurrency: 1
        post:
          - id: warm
            forEach: vm
            run: [echo, "{{vm.name}}"]
          - id: check
            run: [echo, all]
  `);

  it('a forEach step runs as <step>/<vm> per VM (VM names may hold dots), sharing the group’s pool; the next step waits for all of them', () => {
    const exec = resolve(FOR_EACH, 'unplanned');
    const warm = exec.steps.filter((s) => s.step?.id === 'warm');
    expect(warm.map((s) => [s.id, s.vm, s.pool])).toEqual([
      ['warm/web-1', 'web-1', 'web'],
      ['warm/web-2.prod.example.com', 'web-2.prod.example.com', 'web'],
    ]);
    expect(exec.pools).toEqual({ web: 1 });
    expect(exec.steps.find((s) => s.id === 'check')!.after).toEqual(['warm/web-1', 'warm/web-2.prod.example.com']);
    expect(exec.steps.find((s) => s.id === 'web/web-2.prod.example.com/start')).toBeDefined();
  });

  it('a step whose `modes` leave the mode out is kept in the chain, marked skipped, with no estimate', () => {
    const text = planText(SITE, `
      groups: [{ id: g, vms: [v-1] }]
      finalize:
        - id: planned-only
          manual: { instructions: x }
          modes: [planned]
          estimate: 10m
        - id: always
          manual: { instructions: y }
    `);
    const unplanned = resolve(text, 'unplanned');
    expect(unplanned.steps.find((s) => s.id === 'planned-only')).toMatchObject({ skipped: true, estimateMs: 0, estimated: true, after: ['g/v-1/start'] });
    expect(unplanned.steps.find((s) => s.id === 'always')!.after).toEqual(['planned-only']);
    expect(resolve(text, 'planned').steps.find((s) => s.id === 'planned-only')).toMatchObject({ skipped: false, estimateMs: 600_000 });
  });

  it('a group without VMs still runs its pre and post steps in order', () => {
    expect(shape(resolve(planText(SITE, `
      groups:
        - id: setup
          pre: [{ id: a, run: [echo] }]
          post: [{ id: b, run: [echo] }]
        - id: g
          vms: [v-1]
    `), 'unplanned'))).toEqual(['a <- ', 'b <- a', 'g/v-1/failover <- b', 'g/v-1/start <- g/v-1/failover']);
  });

  // BUG (engine/compile/resolve-execution.ts, chain()): for a forEach step in a group with no VMs,
  // `frontier` is first reset to [] (no VMs), then the fallback single step is pushed with
  // `after: frontier` — now empty. The step loses everything it waits for, and so do the groups
  // after it: in planned mode `b/v-1/failover` below waits only for `setup-pre-1`, which waits
  // for nothing, so the failover no longer waits for the VM's own shutdown and sync.
  it('a forEach step in a group without VMs keeps waiting for what came before it', () => {
    const exec = resolve(planText(SITE, `
      prechecks: [{ id: health, action: site.replicationHealth }]
      groups:
        - id: setup
          pre:
            - forEach: vm
              run: [echo, "{{vm.name}}"]
        - id: b
          vms: [v-1]
    `), 'planned');
    const graph = execGraph(exec);
    expect(exec.steps.find((s) => s.id === 'setup-pre-1')!.after).toEqual(['b/v-1/sync']);
    expect(graph.waitsFor('b/v-1/failover', 'b/v-1/shutdown')).toBe(true);
    expect(graph.waitsFor('b/v-1/failover', 'health')).toBe(true);
  });
});
