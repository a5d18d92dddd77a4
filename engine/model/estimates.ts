import { own } from './own.js';
import type { Plan, PlanStep } from './plan.js';

/**
 * Where an expected duration comes from, most specific first: the step's `estimate`, the
 * adapter instance's `estimates`, then what the adapter type declares. Undefined when nobody says.
 */
export function operationEstimate(plan: Plan, instance: string, operation: string): number | undefined {
  const spec = own(plan.adapters, instance);
  return own(spec?.estimatesMs, operation) ?? own(spec?.operations, operation)?.estimateMs;
}

export function stepEstimate(plan: Plan, step: PlanStep): number | undefined {
  if (step.estimateMs !== undefined) return step.estimateMs;
  if (step.kind === 'action') return operationEstimate(plan, step.adapter, step.operation);
  return undefined;
}
