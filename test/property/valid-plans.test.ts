/**
 * Random valid plans (test/helpers/arbitrary-plan.ts) validate cleanly and resolve in every
 * declared mode into an execution that keeps SPEC §2.3's order of work.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveExecution } from '../../engine/compile/resolve-execution.js';
import { resolveParams } from '../../engine/compile/resolve-params.js';
import type { ExecutionPlan } from '../../engine/model/execution.js';
import { MODES, type ModeName, type Plan } from '../../engine/model/plan.js';
import { arbitraryPlan, declaredModesOf, toYaml, type Doc } from '../helpers/arbitrary-plan.js';
import { execGraph, idsWhere, orderChecker, orderProblems } from '../helpers/exec-graph.js';
import { checkPlanText } from '../helpers/pipeline.js';

const RUNS = Number(process.env.DRPLAN_PROPERTY_RUNS ?? 100);

function validate(doc: Doc): Plan {
  const checked = checkPlanText(toYaml(doc), 'generated.yaml');
  const errors = checked.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0 || !checked.plan) {
    throw new Error(`generated plan is invalid:\n${errors.map((d) => `  ${d.line}:${d.col} ${d.code} ${d.message}`).join('\n')}\n${toYaml(doc)}`);
  }
  return checked.plan;
}

function resolve(plan: Plan, mode: ModeName): ExecutionPlan {
  const { params, problems } = resolveParams(plan, {});
  expect(problems).toEqual([]);
  return resolveExecution(plan, mode, params);
}

/** A valid plan and its execution in one of its declared modes. */
const planInMode = (wanted?: ModeName) =>
  arbitraryPlan
    .filter((doc) => wanted === undefined || declaredModesOf(doc).includes(wanted))
    .chain((doc) => fc.constantFrom(...declaredModesOf(doc).filter((m) => wanted === undefined || m === wanted)).map((mode) => ({ doc, mode })));

const groupOf = (doc: Doc) => ((doc.spec as Doc).groups as Doc[]).map((g) => g.id as string);

/** Transitive group dependencies after validation's defaults (default: the group before). */
function groupAncestors(plan: Plan): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const g of plan.groups) {
    const set = new Set<string>();
    for (const d of g.dependsOn) {
      set.add(d);
      for (const a of out.get(d) ?? []) set.add(a);
    }
    out.set(g.id, set);
  }
  return out;
}

describe('the generator', () => {
  it('covers what the properties are about (a generator that degenerates would make them vacuous)', () => {
    const docs = fc.sample(arbitraryPlan, { numRuns: 300, seed: 42 });
    const texts = docs.map((d) => JSON.stringify(d));
    const share = (predicate: (doc: Doc, text: string) => boolean) => docs.filter((d, i) => predicate(d, texts[i]!)).length / docs.length;
    const groups = (d: Doc) => (d.spec as Doc).groups as Doc[];
    expect(share((_, t) => t.includes('{{steps.'))).toBeGreaterThan(0.2);
    expect(share((_, t) => t.includes('{{vm.'))).toBeGreaterThan(0.1);
    expect(share((_, t) => t.includes('{{params.'))).toBeGreaterThan(0.2);
    expect(share((_, t) => t.includes('"forEach":"vm"'))).toBeGreaterThan(0.2);
    expect(share((_, t) => t.includes('"escalate"'))).toBeGreaterThan(0.1);
    expect(share((_, t) => t.includes('"quorum"'))).toBeGreaterThan(0.2);
    expect(share((_, t) => t.includes('"modes":['))).toBeGreaterThan(0.3);
    expect(share((_, t) => t.includes('"cleanup":"manual"'))).toBeGreaterThan(0.05);
    expect(share((_, t) => t.includes('"sh.exec"'))).toBeGreaterThan(0.05);
    expect(share((d) => groups(d).some((g) => Array.isArray(g.dependsOn) && (g.dependsOn as unknown[]).length > 1))).toBeGreaterThan(0.1);
    expect(share((d) => groups(d).length >= 6)).toBeGreaterThan(0.1);
    expect(share((d) => groups(d).some((g) => (g.vms as unknown[]).length >= 10))).toBeGreaterThan(0.1);
    expect(share((d) => groups(d).some((g) => g.concurrency !== undefined && (g.concurrency as number) < (g.vms as unknown[]).length))).toBeGreaterThan(0.2);
    for (const kind of ['"action"', '"run"', '"gate"', '"manual"']) expect(share((_, t) => t.includes(kind))).toBeGreaterThan(0.5);
    for (const mode of MODES) expect(share((d) => declaredModesOf(d).includes(mode))).toBeGreaterThan(0.5);
  });
});

describe('random valid plans', () => {
  it('validate with no errors and resolve in every declared mode: unique ids, every `after` id exists and comes first', () => {
    fc.assert(
      fc.property(arbitraryPlan, (doc) => {
        const plan = validate(doc);
        expect(groupOf(doc)).toEqual(plan.groups.map((g) => g.id));
        for (const mode of declaredModesOf(doc)) {
          const exec = resolve(plan, mode);
          expect(orderProblems(exec.steps)).toEqual([]);
          expect(orderProblems([...exec.steps, ...exec.onFailure])).toEqual([]);
          expect(exec.mode).toBe(mode);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('every VM gets its operations as <group>/<vm>/<operation> and every forEach step runs once per VM', () => {
    fc.assert(
      fc.property(planInMode(), ({ doc, mode }) => {
        const plan = validate(doc);
        const exec = resolve(plan, mode);
        const ids = new Set(exec.steps.map((s) => s.id));
        const operations = { planned: ['shutdown', 'sync', 'failover', 'start'], unplanned: ['failover', 'start'], test: ['testFailover', 'cleanupTest'] }[mode];
        for (const g of plan.groups) {
          for (const vm of g.vms) for (const op of operations) expect(ids, `${g.id}/${vm.name}/${op}`).toContain(`${g.id}/${vm.name}/${op}`);
          for (const step of [...g.pre, ...g.post]) {
            if (!step.forEach) expect(ids).toContain(step.id);
            else if (g.vms.length === 0) expect(ids).toContain(step.id);
            else for (const vm of g.vms) expect(ids).toContain(`${step.id}/${vm.name}`);
          }
        }
        for (const s of exec.steps) {
          if (s.kind === 'vm') {
            expect(s.id).toBe(`${s.group}/${s.vm}/${s.operation}`);
            expect(s.step).toBeNull();
          }
          // A step is skipped exactly when its `modes` leave this mode out (or it is test cleanup left for later by `cleanup: manual`).
          if (s.step && s.phase !== 'cleanup') expect(s.skipped).toBe(s.step.modes !== null && !s.step.modes.includes(mode));
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('the critical path is at least the longest step and at most the sum of all estimates (test cleanup excluded); `fits` compares it with the RTO', () => {
    fc.assert(
      fc.property(planInMode(), ({ doc, mode }) => {
        const plan = validate(doc);
        const exec = resolve(plan, mode);
        // The RTO is met when the service is back: test cleanup comes after it and is not counted.
        const counted = exec.steps.filter((s) => s.phase !== 'cleanup');
        const longest = Math.max(0, ...counted.map((s) => s.estimateMs));
        const sum = counted.reduce((total, s) => total + s.estimateMs, 0);
        expect(exec.criticalPath.estimateMs).toBeGreaterThanOrEqual(longest);
        expect(exec.criticalPath.estimateMs).toBeLessThanOrEqual(sum);
        const ids = new Set(counted.map((s) => s.id));
        for (const id of exec.criticalPath.steps) expect(ids).toContain(id);
        for (const s of exec.steps) if (s.skipped) expect(s.estimateMs).toBe(0);
        if (plan.objectives.rtoMs === undefined) expect(exec.objectives.fits).toBeNull();
        else expect(exec.objectives.fits).toBe(exec.criticalPath.estimateMs <= plan.objectives.rtoMs);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('groups in every mode', () => {
  it('every recovery step of a group (pre, VM operations, post) waits for every recovery step of the groups it depends on', () => {
    fc.assert(
      fc.property(planInMode(), ({ doc, mode }) => {
        const plan = validate(doc);
        const exec = resolve(plan, mode);
        const graph = execGraph(exec);
        const order = orderChecker(graph);
        const ancestors = groupAncestors(plan);
        const recovery = exec.steps.filter((s) => s.phase === 'groups');
        for (const later of recovery) {
          for (const earlier of recovery) {
            if (ancestors.get(later.group!)?.has(earlier.group!)) order.must(later.id, earlier.id);
          }
        }
        // And nothing of the groups phase waits for a group it does not depend on (independent groups overlap).
        for (const later of recovery) {
          for (const earlier of recovery) {
            if (earlier.group !== later.group && !ancestors.get(later.group!)?.has(earlier.group!)) {
              order.mustNot(later.id, earlier.id);
            }
          }
        }
        expect(order.problems).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('planned mode', () => {
  it('shuts every VM down (groups in reverse order) and syncs before any failover; a group fails over after all of its dependencies', () => {
    fc.assert(
      fc.property(planInMode('planned'), ({ doc }) => {
        const plan = validate(doc);
        const exec = resolve(plan, 'planned');
        const graph = execGraph(exec);
        const order = orderChecker(graph);
        const shutdowns = idsWhere(exec, (s) => s.kind === 'vm' && s.operation === 'shutdown');
        const syncs = idsWhere(exec, (s) => s.kind === 'vm' && s.operation === 'sync');
        const failovers = exec.steps.filter((s) => s.kind === 'vm' && s.operation === 'failover');
        const vmCount = plan.groups.reduce((n, g) => n + g.vms.length, 0);
        expect(shutdowns).toHaveLength(vmCount);
        expect(syncs).toHaveLength(vmCount);
        expect(failovers).toHaveLength(vmCount);

        for (const f of failovers) for (const s of shutdowns) order.must(f.id, s);
        for (const y of syncs) for (const s of shutdowns) order.must(y, s);
        for (const f of failovers) for (const y of syncs) order.must(f.id, y);

        // Reverse order: when B depends (transitively) on A, A's VMs shut down after B's.
        const ancestors = groupAncestors(plan);
        const shutdownsOf = (group: string) => exec.steps.filter((s) => s.operation === 'shutdown' && s.kind === 'vm' && s.group === group).map((s) => s.id);
        for (const b of plan.groups) {
          for (const a of ancestors.get(b.id) ?? []) {
            for (const sa of shutdownsOf(a)) for (const sb of shutdownsOf(b.id)) order.must(sa, sb);
          }
        }

        // A group's failovers wait for every step of the groups it depends on.
        for (const f of failovers) {
          for (const dep of ancestors.get(f.group!) ?? []) {
            for (const s of exec.steps.filter((x) => x.phase === 'groups' && x.group === dep)) {
              order.must(f.id, s.id);
            }
          }
        }
        expect(order.problems).toEqual([]);
        // No VM operation of this mode is skipped.
        for (const s of exec.steps) if (s.kind === 'vm') expect(s.skipped).toBe(false);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('test mode', () => {
  it('never touches production: no shutdown, sync or failover; every test copy is cleaned up after finalize (or left, with cleanup: manual)', () => {
    fc.assert(
      fc.property(planInMode('test'), ({ doc }) => {
        const plan = validate(doc);
        const exec = resolve(plan, 'test');
        const graph = execGraph(exec);
        const order = orderChecker(graph);
        for (const s of exec.steps) expect(['shutdown', 'sync', 'failover']).not.toContain(s.operation);

        const vmsWith = (op: string) => new Set(exec.steps.filter((s) => s.kind === 'vm' && s.operation === op).map((s) => `${s.group}/${s.vm}`));
        expect(vmsWith('cleanupTest')).toEqual(vmsWith('testFailover'));
        expect(vmsWith('testFailover').size).toBe(plan.groups.reduce((n, g) => n + g.vms.length, 0));

        const manual = plan.modes.test?.cleanup === 'manual';
        const cleanups = exec.steps.filter((s) => s.kind === 'vm' && s.operation === 'cleanupTest');
        const finalize = idsWhere(exec, (s) => s.phase === 'finalize');
        for (const c of cleanups) {
          expect(c.skipped).toBe(manual);
          for (const f of finalize) order.must(c.id, f);
        }
        // Cleanup goes in reverse group order: when B depends on A, A's copies are cleaned up after B's.
        const ancestors = groupAncestors(plan);
        for (const a of cleanups) {
          for (const b of cleanups) {
            if (ancestors.get(b.group!)?.has(a.group!)) order.must(a.id, b.id);
          }
        }
        // The plan's own cleanup steps come after every VM's cleanupTest, and are skipped with `cleanup: manual`.
        for (const s of exec.steps.filter((x) => x.phase === 'cleanup' && x.kind !== 'vm')) {
          if (manual) expect(s.skipped).toBe(true);
          for (const c of cleanups) order.must(s.id, c.id);
        }
        expect(order.problems).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('unplanned mode', () => {
  it('has no shutdown or sync (the source is gone) and fails over every VM', () => {
    fc.assert(
      fc.property(planInMode('unplanned'), ({ doc }) => {
        const plan = validate(doc);
        const exec = resolve(plan, 'unplanned');
        for (const s of exec.steps) expect(['shutdown', 'sync']).not.toContain(s.operation);
        for (const s of exec.steps) expect(s.phase).not.toBe('cleanup');
        const failovers = idsWhere(exec, (s) => s.kind === 'vm' && s.operation === 'failover');
        expect(failovers).toHaveLength(plan.groups.reduce((n, g) => n + g.vms.length, 0));
      }),
      { numRuns: RUNS },
    );
  });
});
