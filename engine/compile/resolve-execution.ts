import type { SiteOperation } from '../../adapters/types.js';
import { operationEstimate, stepEstimate } from '../model/estimates.js';
import type { ExecStep, ExecutionPlan, Phase } from '../model/execution.js';
import type { ModeName, Plan, PlanGroup, PlanStep, Scalar } from '../model/plan.js';
import { dependentsOf, groupsInOrder } from './group-order.js';
import { scheduleByEstimates } from './schedule-estimate.js';

/**
 * Resolves what a run of `plan` in `mode` does, in SPEC §2.3's order, as a DAG of steps:
 *
 * - planned: prechecks → shutdown on the source, groups in reverse dependency order → final
 *   `sync` of every VM → groups in order (pre, `failover` + `start` per VM, post) → finalize;
 * - unplanned: prechecks → groups in order with `failover` + `start` → finalize;
 * - test: prechecks → groups in order with `testFailover` → finalize → cleanup: `cleanupTest`
 *   per VM in reverse group order, then the plan's `cleanup` steps.
 *
 * Pure. The mode must be declared by the plan (callers check).
 */
export function resolveExecution(plan: Plan, mode: ModeName, params: Record<string, Scalar>): ExecutionPlan {
  const steps: ExecStep[] = [];
  const pools: Record<string, number> = {};
  const ordered = groupsInOrder(plan);
  const dependents = dependentsOf(plan);

  const push = (s: Omit<ExecStep, 'estimateMs' | 'estimated'> & { estimate: number | undefined }): string => {
    const { estimate, ...rest } = s;
    steps.push({ ...rest, estimateMs: rest.skipped ? 0 : estimate ?? 0, estimated: rest.skipped || estimate !== undefined });
    return s.id;
  };

  /** Appends a list of plan steps as a chain; returns the ids the next thing waits for. */
  const chain = (list: PlanStep[], phase: Phase, group: PlanGroup | null, after: string[]): string[] => {
    let frontier = after;
    for (const step of list) {
      const skipped = step.modes !== null && !step.modes.includes(mode);
      const base = {
        kind: step.kind,
        phase,
        group: group?.id ?? null,
        operation: step.kind === 'action' ? step.operation : null,
        adapter: step.kind === 'action' ? step.adapter : null,
        skipped,
        step,
        estimate: stepEstimate(plan, step),
      };
      if (step.forEach && group && group.vms.length > 0) {
        pools[group.id] = group.concurrency;
        const before = frontier;
        // Each copy its own estimate: the step's may be a template of VM attributes.
        frontier = group.vms.map((vm) =>
          push({ ...base, id: `${step.id}/${vm.name}`, vm: vm.name, after: before, pool: group.id, estimate: stepEstimate(plan, step, vm) }),
        );
      } else {
        // A forEach step in a group without VMs runs once, like any other step.
        frontier = [push({ ...base, id: step.id, vm: null, after: frontier, pool: null })];
      }
    }
    return frontier;
  };

  /** Appends each VM's operations (one pipeline per VM, sharing the group's pool); returns their last ids. */
  const vmOperations = (group: PlanGroup, operations: SiteOperation[], phase: Phase, after: string[], cleanupSkipped = false): string[] => {
    if (group.vms.length === 0 || operations.length === 0) return [];
    pools[group.id] = group.concurrency;
    return group.vms.map((vm) => {
      let previous = after;
      let id = '';
      for (const operation of operations) {
        const adapter = operation === 'shutdown' || operation === 'sync' ? plan.sites.source : plan.sites.target;
        id = push({
          id: `${group.id}/${vm.name}/${operation}`,
          kind: 'vm',
          phase,
          group: group.id,
          vm: vm.name,
          operation,
          adapter,
          skipped: cleanupSkipped,
          after: previous,
          step: null,
          pool: group.id,
          estimate: operationEstimate(plan, adapter, operation),
        });
        previous = [id];
      }
      return id;
    });
  };

  /**
   * Runs `operations` on every group in reverse dependency order: a group goes once every group
   * depending on it is done. An empty group passes its dependents' completion through.
   */
  const reverseSweep = (operations: SiteOperation[], phase: Phase, after: string[], skipped = false): string[] => {
    const done = new Map<string, string[]>();
    for (const group of [...ordered].reverse()) {
      const waitFor = (dependents.get(group.id) ?? []).flatMap((d) => done.get(d) ?? []);
      const start = waitFor.length > 0 ? unique(waitFor) : after;
      const own = vmOperations(group, operations, phase, start, skipped);
      done.set(group.id, own.length > 0 ? own : waitFor);
    }
    const all = unique([...done.values()].flat());
    return all.length > 0 ? all : after;
  };

  /** Groups in dependency order: pre, the mode's VM operations, post. Returns what finalize waits for. */
  const recoverGroups = (operations: SiteOperation[], after: string[]): string[] => {
    const last = new Map<string, string[]>();
    for (const group of ordered) {
      const deps = group.dependsOn.flatMap((d) => last.get(d) ?? []);
      const start = group.dependsOn.length > 0 ? unique(deps) : after;
      const pre = chain(group.pre, 'groups', group, start);
      const vms = vmOperations(group, operations, 'groups', pre);
      const post = chain(group.post, 'groups', group, vms.length > 0 ? vms : pre);
      last.set(group.id, post);
    }
    // Finalize waits for the groups nothing else waits for; the rest are covered transitively.
    const leaves = ordered.filter((g) => (dependents.get(g.id) ?? []).length === 0);
    return unique(leaves.flatMap((g) => last.get(g.id) ?? []));
  };

  let frontier = chain(plan.prechecks, 'prechecks', null, []);
  if (mode === 'planned') {
    frontier = reverseSweep(['shutdown'], 'shutdown', frontier);
    const synced = ordered.flatMap((g) => vmOperations(g, ['sync'], 'sync', frontier));
    if (synced.length > 0) frontier = synced;
    frontier = recoverGroups(['failover', 'start'], frontier);
  } else if (mode === 'unplanned') {
    frontier = recoverGroups(['failover', 'start'], frontier);
  } else {
    frontier = recoverGroups(['testFailover'], frontier);
  }
  frontier = chain(plan.finalize, 'finalize', null, frontier);
  if (mode === 'test') {
    const manual = plan.modes.test?.cleanup === 'manual';
    const cleaned = reverseSweep(['cleanupTest'], 'cleanup', frontier, manual);
    chain(manual ? plan.cleanup.map((s) => ({ ...s, modes: [] })) : plan.cleanup, 'cleanup', null, cleaned);
  }

  const onFailureStart = steps.length;
  chain(plan.onFailure, 'onFailure', null, []);
  const onFailure = steps.splice(onFailureStart);

  // The RTO is met when the service is back: test cleanup comes after and does not count.
  const schedule = scheduleByEstimates(steps.filter((s) => s.phase !== 'cleanup'), pools);
  const rtoMs = plan.objectives.rtoMs ?? null;
  const skippedIds = new Set(steps.filter((s) => s.skipped).map((s) => s.id));
  return {
    plan,
    mode,
    params,
    steps,
    onFailure,
    pools,
    // Skipped steps take no time; listing them on the critical path would only mislead.
    criticalPath: { ...schedule.criticalPath, steps: schedule.criticalPath.steps.filter((id) => !skippedIds.has(id)) },
    objectives: { rtoMs, fits: rtoMs === null ? null : schedule.criticalPath.estimateMs <= rtoMs },
    unestimated: steps.filter((s) => !s.estimated).map((s) => s.id),
  };
}

function unique(ids: string[]): string[] {
  return [...new Set(ids)];
}
