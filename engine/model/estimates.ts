import { parseDuration } from './duration.js';
import { own } from './own.js';
import type { Plan, PlanStep, PlanVm } from './plan.js';
import { TemplateRenderer, type TemplateContext } from './template-renderer.js';

/**
 * Where an expected duration comes from, most specific first: the step's `estimate`, the
 * adapter instance's `estimates`, then what the adapter type declares. Undefined when nobody says.
 */
export function operationEstimate(plan: Plan, instance: string, operation: string): number | undefined {
  const spec = own(plan.adapters, instance);
  return own(spec?.estimatesMs, operation) ?? own(spec?.operations, operation)?.estimateMs;
}

/**
 * A step's expected duration. A `forEach: vm` step whose estimate is a template of VM attributes
 * has one per VM: pass the VM to get its copy's.
 */
export function stepEstimate(plan: Plan, step: PlanStep, vm?: PlanVm): number | undefined {
  if (step.estimateTemplate !== undefined) return vm ? renderVmEstimate(step.estimateTemplate, vm).ms : undefined;
  if (step.estimateMs !== undefined) return step.estimateMs;
  if (step.kind === 'action') return operationEstimate(plan, step.adapter, step.operation);
  return undefined;
}

// One renderer for every plan: it only caches compiled templates, keyed by their text.
const renderer = new TemplateRenderer();

/**
 * What an estimate template gives for one VM: the rendered text and its duration, or undefined
 * when the text is not a duration or a reference does not resolve (validation reports both).
 */
export function renderVmEstimate(template: string, vm: PlanVm): { text: string | undefined; ms: number | undefined } {
  // Validation allows only {{vm.…}} in estimates; the rest of the context is never read.
  const context = { vm: { ...vm.attributes, name: vm.name } } as unknown as TemplateContext;
  let text: string;
  try {
    text = renderer.renderString(template, context, '').trim();
  } catch {
    return { text: undefined, ms: undefined };
  }
  return { text, ms: parseDuration(text) };
}
