import type { Plan, PlanGroup } from '../model/plan.js';

/**
 * Groups in dependency order (Kahn's algorithm, ties broken by document order so the result is
 * stable). Assumes validation ruled out cycles and unknown groups.
 */
export function groupsInOrder(plan: Plan): PlanGroup[] {
  const remaining = new Map(plan.groups.map((g) => [g.id, new Set(g.dependsOn)]));
  const ordered: PlanGroup[] = [];
  while (ordered.length < plan.groups.length) {
    const next = plan.groups.find((g) => remaining.get(g.id)?.size === 0 && !ordered.includes(g));
    if (!next) throw new Error(`internal: groups of plan ${plan.name} are not a DAG`);
    ordered.push(next);
    remaining.delete(next.id);
    for (const deps of remaining.values()) deps.delete(next.id);
  }
  return ordered;
}

/** The groups that depend directly on each group (the reverse edges, for shutdown and cleanup order). */
export function dependentsOf(plan: Plan): Map<string, string[]> {
  const out = new Map<string, string[]>(plan.groups.map((g) => [g.id, []]));
  for (const g of plan.groups) for (const dep of g.dependsOn) out.get(dep)?.push(g.id);
  return out;
}
