import type { ExecutionPlan } from '../model/execution.js';

/**
 * Whether every call the run makes goes to a simulator, so that no real system is touched: a
 * dry-run always; a real run when every adapter instance of the plan is `type: simulator` and no
 * step of the mode (onFailure included) runs a command. Such a real run is still a rehearsal —
 * real time, real approvals — and its status and report must say so, not just "real run". Pure.
 *
 * @example
 * ```ts
 * // adapters: { site: { type: simulator } }, and no `run` step in mode planned:
 * runsOnSimulatorsOnly(resolveExecution(plan, 'planned', {}), false); // true
 * ```
 */
export function runsOnSimulatorsOnly(exec: ExecutionPlan, dryRun: boolean): boolean {
  if (dryRun) return true;
  // Every instance, used in this mode or not: opening a real adapter can already reach its system.
  if (Object.values(exec.plan.adapters).some((spec) => spec.type !== 'simulator')) return false;
  return [...exec.steps, ...exec.onFailure].every((step) => step.skipped || step.kind !== 'run');
}
