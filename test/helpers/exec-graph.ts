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
  const index = new Map(exec.steps.map((s, i) => [s.id, i]));
  const words = Math.ceil(exec.steps.length / 32) || 1;
  // One bit set of ancestors per step, built in list order (which respects `after`; steps listed
  // before what they wait for are a bug that orderProblems reports, and here lose those ancestors).
  const bits = exec.steps.map(() => new Uint32Array(words));
  exec.steps.forEach((s, i) => {
    const mine = bits[i]!;
    for (const dep of s.after) {
      const j = index.get(dep);
      if (j === undefined || j >= i) continue;
      mine[j >>> 5]! |= 1 << (j & 31);
      const theirs = bits[j]!;
      for (let w = 0; w < words; w++) mine[w]! |= theirs[w]!;
    }
  });
  const has = (later: string, earlier: string) => {
    const i = index.get(later);
    const j = index.get(earlier);
    return i !== undefined && j !== undefined && (bits[i]![j >>> 5]! & (1 << (j & 31))) !== 0;
  };
  const ancestors = (id: string) => new Set(exec.steps.filter((s) => has(id, s.id)).map((s) => s.id));
  return { byId, ancestors, waitsFor: has };
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

/**
 * Collects ordering violations instead of asserting each pair (properties check thousands of
 * pairs per plan; one `expect` at the end keeps them fast): `must(a, b)` = a waits for b.
 */
export function orderChecker(graph: ExecGraph): { must(later: string, earlier: string): void; mustNot(later: string, earlier: string): void; problems: string[] } {
  const problems: string[] = [];
  return {
    problems,
    must(later, earlier) {
      if (!graph.waitsFor(later, earlier)) problems.push(`${later} does not wait for ${earlier}`);
    },
    mustNot(later, earlier) {
      if (graph.waitsFor(later, earlier)) problems.push(`${later} waits for ${earlier}`);
    },
  };
}
