import type { ExecStep, ExecutionPlan, Phase } from '../model/execution.js';
import type { PlanGroup } from '../model/plan.js';
import { dependentsOf, groupsInOrder } from './group-order.js';

/**
 * The shape a run takes, read off the resolved execution: sequential phases, and in group
 * phases one lane per group that waits for other lanes, then works through its nodes. A node
 * is one step, or a batch fanned out over the group's concurrency (a `forEach` step's VMs, or
 * every VM's pipeline of operations). Skipped steps are left out: they never run.
 */
export type Node = { type: 'step'; stepId: string } | { type: 'batch'; pool: string; units: string[][]; label: string };

export interface Lane {
  group: string;
  /** Lanes (group ids) of the same phase that must finish first. */
  waitFor: string[];
  nodes: Node[];
}

export type Stage =
  | { kind: 'chain'; name: string; phase: Phase; nodes: Node[] }
  | { kind: 'lanes'; name: string; phase: Phase; lanes: Lane[] };

export interface RunStructure {
  main: Stage[];
  /** Test-mode cleanup run after a failure or cancel (`cleanup: always`), else empty. */
  cleanupAfterFailure: Stage[];
  onFailure: Stage[];
}

export function runStructure(exec: ExecutionPlan): RunStructure {
  const ordered = groupsInOrder(exec.plan);
  const dependents = dependentsOf(exec.plan);
  const live = exec.steps.filter((s) => !s.skipped);
  const inPhase = (phase: Phase) => live.filter((s) => s.phase === phase);

  const lanes = (phase: Phase, steps: ExecStep[], order: PlanGroup[], waitFor: (g: PlanGroup) => string[]): Lane[] =>
    order
      .map((g) => ({ group: g.id, waitFor: waitFor(g), nodes: toNodes(steps.filter((s) => s.group === g.id)) }))
      .filter((lane) => lane.nodes.length > 0 || phase === 'groups');
  const present = (ls: Lane[]) => {
    // A lane never waits for a lane that does not exist in its stage (an empty group passes through).
    const ids = new Set(ls.map((l) => l.group));
    const expand = (g: string, seen: Set<string>, next: (g: string) => string[]): string[] =>
      next(g).flatMap((d) => (seen.has(d) ? [] : ids.has(d) ? [d] : expand(d, new Set([...seen, d]), next)));
    return { ids, expand };
  };

  const main: Stage[] = [];
  const chain = (name: string, phase: Phase, steps: ExecStep[]) => {
    if (steps.length > 0) main.push({ kind: 'chain', name, phase, nodes: toNodes(steps) });
  };
  const reverseLanes = (name: string, phase: Phase, steps: ExecStep[], into: Stage[]) => {
    const ls = lanes(phase, steps, [...ordered].reverse(), (g) => dependents.get(g.id) ?? []);
    const { expand } = present(ls);
    for (const lane of ls) lane.waitFor = expand(lane.group, new Set([lane.group]), (g) => dependents.get(g) ?? []);
    if (ls.length > 0) into.push({ kind: 'lanes', name, phase, lanes: ls });
  };

  chain('prechecks', 'prechecks', inPhase('prechecks'));
  reverseLanes('shutdown', 'shutdown', inPhase('shutdown'), main);
  const sync = inPhase('sync');
  if (sync.length > 0) main.push({ kind: 'lanes', name: 'sync', phase: 'sync', lanes: lanes('sync', sync, ordered, () => []) });
  const recovery = lanes('groups', inPhase('groups'), ordered, (g) => g.dependsOn);
  main.push({ kind: 'lanes', name: 'recovery', phase: 'groups', lanes: recovery });
  chain('finalize', 'finalize', inPhase('finalize'));
  const cleanupVms = inPhase('cleanup').filter((s) => s.kind === 'vm');
  const cleanupSteps = inPhase('cleanup').filter((s) => s.kind !== 'vm');
  const cleanupAfterFailure: Stage[] = [];
  if (exec.mode === 'test') {
    reverseLanes('cleanupVms', 'cleanup', cleanupVms, main);
    chain('cleanupSteps', 'cleanup', cleanupSteps);
    if (exec.plan.modes.test?.cleanup === 'always') {
      reverseLanes('failureCleanupVms', 'cleanup', cleanupVms, cleanupAfterFailure);
      if (cleanupSteps.length > 0) cleanupAfterFailure.push({ kind: 'chain', name: 'failureCleanupSteps', phase: 'cleanup', nodes: toNodes(cleanupSteps) });
    }
  }
  const handlers = exec.onFailure.filter((s) => !s.skipped);
  const onFailure: Stage[] = handlers.length > 0 ? [{ kind: 'chain', name: 'onFailure', phase: 'onFailure', nodes: toNodes(handlers) }] : [];
  return { main, cleanupAfterFailure, onFailure };
}

/** Consecutive steps become nodes: VM operations of a group fan out as one batch, so do a forEach step's VMs. */
function toNodes(steps: ExecStep[]): Node[] {
  const nodes: Node[] = [];
  let i = 0;
  while (i < steps.length) {
    const s = steps[i]!;
    if (s.kind === 'vm') {
      const pipelines = new Map<string, string[]>();
      while (i < steps.length && steps[i]!.kind === 'vm' && steps[i]!.group === s.group) {
        const v = steps[i]!;
        const list = pipelines.get(v.vm ?? '');
        if (list) list.push(v.id);
        else pipelines.set(v.vm ?? '', [v.id]);
        i++;
      }
      const ops = [...new Set(steps.filter((x) => x.kind === 'vm' && x.group === s.group && x.phase === s.phase).map((x) => x.operation))];
      nodes.push({ type: 'batch', pool: s.pool ?? s.group ?? '', units: [...pipelines.values()], label: `${s.group}: ${ops.join(' + ')}` });
    } else if (s.pool !== null && s.step?.forEach) {
      const units: string[][] = [];
      while (i < steps.length && steps[i]!.step === s.step) units.push([steps[i++]!.id]);
      nodes.push({ type: 'batch', pool: s.pool, units, label: `${s.step.id} per VM` });
    } else {
      nodes.push({ type: 'step', stepId: s.id });
      i++;
    }
  }
  return nodes;
}
