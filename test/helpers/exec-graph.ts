/** Reading a resolved ExecutionPlan as a graph, for assertions about what waits for what. */
import type { ExecStep, ExecutionPlan } from '../../engine/model/execution.js';

export interface ExecGraph {
  byId: Map<string, ExecStep>;
  /** Every step a step waits for, directly or transitively. */
  ancestors(id: string): Set<string>;
  /** Whether `later` waits (transitively) for `earlier`. */
  waitsFor(later: string, earlier: string): boolean;
}

export function execGraph(exec: Pick<ExecutionPlan, 'steps'>): ExecGraph {
  const byId = new Map(exec.steps.map((s) => [s.id, s]));
  const memo = new Map<string, Set<string>>();
  const ancestors = (id: string): Set<string> => {
    const known = memo.get(id);
    if (known) return known;
    const out = new Set<string>();
    memo.set(id, out); // a cycle (a bug) then shows up as a missing ancestor, not a stack overflow
    for (const dep of byId.get(id)?.after ?? []) {
      out.add(dep);
      for (const a of ancestors(dep)) out.add(a);
    }
    return out;
  };
  // Resolve in order so the recursion stays shallow on long chains.
  for (const s of exec.steps) ancestors(s.id);
  return { byId, ancestors, waitsFor: (later, earlier) => ancestors(later).has(earlier) };
}

/** Ids of steps matching a predicate. */
export function idsWhere(exec: Pick<ExecutionPlan, 'steps'>, predicate: (s: ExecStep) => boolean): string[] {
  return exec.steps.filter(predicate).map((s) => s.id);
}

/** Problems with the order of `steps`: duplicate ids, unknown `after` ids, an id listed before what it waits for. */
export function orderProblems(steps: readonly ExecStep[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  const all = new Set(steps.map((s) => s.id));
  for (const s of steps) {
    if (seen.has(s.id)) problems.push(`duplicate id ${s.id}`);
    for (const dep of s.after) {
      if (!all.has(dep)) problems.push(`${s.id} waits for unknown ${dep}`);
      else if (!seen.has(dep)) problems.push(`${s.id} is listed before ${dep}, which it waits for`);
    }
    seen.add(s.id);
  }
  return problems;
}
