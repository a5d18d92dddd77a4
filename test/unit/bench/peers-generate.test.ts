import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CASES } from '../../../bench/peers/cases.js';
import { sleepArgument, toAnsible, toBash, toDrplanPlan } from '../../../bench/peers/generate.js';
import { groupsInOrder, isChain, makeRunbook, type Runbook } from '../../../bench/peers/runbook.js';
import { resolveExecution } from '../../../engine/compile/resolve-execution.js';
import { runStructure } from '../../../engine/compile/machine-structure.js';
import { checkPlanText } from '../../helpers/pipeline.js';

// The peers benchmark is only fair if its three programs are the same runbook: the same steps
// (the same `sleep` arguments, in the same order in each group), the same groups with the same
// concurrency, and the same dependencies between groups. Each program is read back here into
// one shape and compared with the runbook it came from.

/** What a program says about one group: its concurrency, what it waits for, its steps' sleep arguments in order. */
interface GroupShape {
  concurrency: number;
  dependsOn: string[];
  sleeps: string[];
}
type Shape = Record<string, GroupShape>;

function runbookShape(runbook: Runbook): Shape {
  return Object.fromEntries(
    runbook.groups.map((g) => [g.id, { concurrency: g.concurrency, dependsOn: [...g.dependsOn].sort(), sleeps: g.steps.map((s) => sleepArgument(s.ms)) }]),
  );
}

/** The drplan plan as the engine resolves it for `unplanned`: forEach copies per group, pools, lanes. */
function drplanShape(text: string): Shape {
  const checked = checkPlanText(text, 'plan.yaml');
  const errors = checked.diagnostics.filter((d) => d.severity === 'error');
  expect(errors).toEqual([]);
  const plan = checked.plan!;
  const exec = resolveExecution(plan, 'unplanned', {});
  const recovery = runStructure(exec).main.find((s) => s.name === 'recovery');
  if (recovery?.kind !== 'lanes') throw new Error('no recovery stage');
  const shape: Shape = {};
  for (const group of plan.groups) {
    const runs = exec.steps.filter((s) => s.kind === 'run' && s.group === group.id);
    for (const s of runs) {
      expect(s.step?.kind === 'run' && s.step.argv).toEqual(['sleep', '{{vm.sleep}}']);
      expect(s.pool).toBe(group.id);
      expect(s.skipped).toBe(false);
    }
    // `{{vm.sleep}}` is rendered from the VM the copy runs for.
    const sleeps = runs.map((s) => String(group.vms.find((v) => v.name === s.vm)?.attributes.sleep));
    // Each copy is estimated at exactly its own sleep, so longest-first sees the true durations.
    expect(runs.map((s) => (s.estimated ? sleepArgument(s.estimateMs) : 'no estimate'))).toEqual(sleeps);
    const lane = recovery.lanes.find((l) => l.group === group.id);
    shape[group.id] = { concurrency: exec.pools[group.id] ?? Number.NaN, dependsOn: [...(lane?.waitFor ?? [])].sort(), sleeps };
  }
  return shape;
}

/** The Ansible version: inventory groups and host variables, plays with their throttle. Also returns the play order. */
function ansibleShape(files: { playbook: string; inventory: string; config: string }, runbook: Runbook): { shape: Shape; order: string[]; forks: number } {
  const inventory = parse(files.inventory) as { all: { vars: Record<string, string>; children: Record<string, { hosts: Record<string, { sleep_s: string }> }> } };
  expect(inventory.all.vars.ansible_connection).toBe('local');
  const plays = parse(files.playbook) as { hosts: string; gather_facts: boolean; tasks: { 'ansible.builtin.command': { argv: string[] }; throttle: number }[] }[];
  const shape: Shape = {};
  for (const play of plays) {
    expect(play.gather_facts).toBe(false);
    expect(play.tasks).toHaveLength(1);
    const task = play.tasks[0]!;
    expect(task['ansible.builtin.command'].argv).toEqual(['sleep', '{{ sleep_s }}']);
    const hosts = inventory.all.children[play.hosts]!.hosts;
    // Ansible has no dependencies between plays, only their order; the runbook's are checked against it below.
    const deps = runbook.groups.find((g) => g.id === play.hosts)?.dependsOn ?? [];
    shape[play.hosts] = { concurrency: task.throttle, dependsOn: [...deps].sort(), sleeps: Object.values(hosts).map((h) => h.sleep_s) };
  }
  const forks = Number(/^forks = (\d+)$/m.exec(files.config)?.[1]);
  return { shape, order: plays.map((p) => p.hosts), forks };
}

/** The bash version: each group function's `xargs -P` and here-document; the DAG tables or the call order. */
function bashShape(script: string): { shape: Shape; chainOrder: string[] | null } {
  const shape: Shape = {};
  const fn = /^group_(\w+)\(\) \{\n {2}xargs -P (\d+) -n 1 sleep <<'STEPS'\n([\s\S]*?)\nSTEPS\n\}$/gm;
  for (const m of script.matchAll(fn)) shape[m[1]!] = { concurrency: Number(m[2]), dependsOn: [], sleeps: m[3]!.split('\n') };
  const pending = /^declare -A pending=\( (.*) \)$/m.exec(script);
  const dependents = /^declare -A dependents=\( (.*) \)$/m.exec(script);
  if (!pending || !dependents) {
    const chainOrder = [...script.matchAll(/^group_(\w+) \|\| \{/gm)].map((m) => m[1]!);
    chainOrder.forEach((g, i) => {
      if (i > 0) shape[g]!.dependsOn = [chainOrder[i - 1]!];
    });
    return { shape, chainOrder };
  }
  for (const m of dependents[1]!.matchAll(/\[(\w+)\]="([^"]*)"/g)) {
    for (const d of m[2]!.split(' ').filter(Boolean)) shape[d]!.dependsOn.push(m[1]!);
  }
  for (const g of Object.values(shape)) g.dependsOn.sort();
  for (const m of pending[1]!.matchAll(/\[(\w+)\]=(\d+)/g)) expect(Number(m[2])).toBe(shape[m[1]!]!.dependsOn.length);
  const launched = [...script.matchAll(/^launch (\w+)$/gm)].map((m) => m[1]!);
  expect(launched.sort()).toEqual(Object.keys(shape).filter((g) => shape[g]!.dependsOn.length === 0).sort());
  return { shape, chainOrder: null };
}

const DAG = makeRunbook({ name: 'dag', steps: 23, groups: 6, concurrency: 3, minMs: 5, maxMs: 50, seed: 5, layers: [1, 2, 2, 1] });
const CHAIN = makeRunbook({ name: 'chain', steps: 17, groups: 4, concurrency: 2, minMs: 0, maxMs: 1000, seed: 3 });

describe('bench/peers/generate.js: three equivalent programs from one runbook', () => {
  for (const runbook of [DAG, CHAIN, ...CASES.map((c) => makeRunbook(c))]) {
    describe(`${runbook.name} (${runbook.description})`, () => {
      const expected = runbookShape(runbook);

      it('drplan: a valid plan with the same steps, concurrency and dependencies', () => {
        expect(drplanShape(toDrplanPlan(runbook))).toEqual(expected);
      });

      it('bash: the same steps and concurrency; the same dependencies (chain or DAG scheduler)', () => {
        const { shape, chainOrder } = bashShape(toBash(runbook));
        expect(shape).toEqual(expected);
        if (isChain(runbook)) expect(chainOrder).toEqual(runbook.groups.map((g) => g.id));
        else expect(chainOrder).toBeNull();
      });

      it('Ansible: the same steps and concurrency (throttle, forks); plays in an order that respects every dependency', () => {
        const { shape, order, forks } = ansibleShape(toAnsible(runbook), runbook);
        expect(shape).toEqual(expected);
        expect(forks).toBe(Math.max(...runbook.groups.map((g) => g.concurrency)));
        expect(order).toEqual(groupsInOrder(runbook).map((g) => g.id));
        for (const g of runbook.groups) for (const d of g.dependsOn) expect(order.indexOf(d)).toBeLessThan(order.indexOf(g.id));
      });
    });
  }

  it('the same options give the same programs, byte for byte', () => {
    const again = makeRunbook({ name: 'dag', steps: 23, groups: 6, concurrency: 3, minMs: 5, maxMs: 50, seed: 5, layers: [1, 2, 2, 1] });
    expect(toDrplanPlan(again)).toBe(toDrplanPlan(DAG));
    expect(toBash(again)).toBe(toBash(DAG));
    expect(toAnsible(again)).toEqual(toAnsible(DAG));
  });

  it('the cases are what issue 7 asks for: 10 steps; 200 in 5 groups; 1,000 in 10 groups with a DAG', () => {
    const [small, medium, large] = CASES.map((c) => makeRunbook(c));
    expect(small!.groups.flatMap((g) => g.steps)).toHaveLength(10);
    expect(medium!.groups).toHaveLength(5);
    expect(medium!.groups.flatMap((g) => g.steps)).toHaveLength(200);
    expect(large!.groups).toHaveLength(10);
    expect(large!.groups.flatMap((g) => g.steps)).toHaveLength(1000);
    expect(isChain(large!)).toBe(false);
  });

  it('a layered DAG leaves no group of an inner layer without a dependent', () => {
    const layers = [1, 3, 3, 2, 1];
    const runbook = makeRunbook({ name: 'layers', steps: 40, groups: 10, concurrency: 2, minMs: 1, maxMs: 2, layers });
    const dependedOn = new Set(runbook.groups.flatMap((g) => g.dependsOn));
    const last = runbook.groups.at(-1)!.id;
    for (const g of runbook.groups) if (g.id !== last) expect(dependedOn.has(g.id)).toBe(true);
    expect(runbook.groups.filter((g) => g.dependsOn.length === 0).map((g) => g.id)).toEqual(['g01']);
  });
});
