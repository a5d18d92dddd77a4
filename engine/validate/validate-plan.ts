import type { AdapterCatalog } from '../../adapters/types.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { Plan } from '../model/plan.js';
import type { DrplanRecoveryPlan } from '../model/plan-document.generated.js';
import type { PlanSource } from '../model/plan-source.js';
import { checkAdapters } from './check-adapters.js';
import { checkApprovers } from './check-approvers.js';
import { checkDurations } from './check-durations.js';
import { checkEstimates } from './check-estimates.js';
import { checkGroups } from './check-groups.js';
import { checkParameters } from './check-parameters.js';
import { checkSteps } from './check-steps.js';
import { checkTemplates } from './check-templates.js';
import { DiagnosticSink } from './diagnostic-sink.js';
import { normalizePlan } from './normalize-plan.js';
import { checkPlanShape } from './schema-validator.js';

export interface ValidationResult {
  /** The normalised plan, or null when there are errors. */
  plan: Plan | null;
  diagnostics: Diagnostic[];
}

/**
 * Checks a loaded plan: its shape against the JSON Schema, then its meaning (names that must
 * exist, cycles, approvers, templates, estimates). Pure: adapters are known only through the
 * declarations in `catalog`.
 *
 * @example
 * const { source } = loadPlanText(text, 'plans/db.yaml');
 * const { plan, diagnostics } = validatePlan(source!, builtinCatalog);
 */
export function validatePlan(source: PlanSource, catalog: AdapterCatalog): ValidationResult {
  const shape = checkPlanShape(source);
  // Meaning checks assume the shape; on a malformed document they would only add noise.
  if (shape.some((d) => d.severity === 'error')) return { plan: null, diagnostics: shape };

  const plan = normalizePlan(source.value as DrplanRecoveryPlan, source.file);
  const sink = new DiagnosticSink(source);
  sink.diagnostics.push(...shape);
  checkDurations(plan, sink);
  checkSteps(plan, plan.document, sink);
  checkGroups(plan, sink);
  checkAdapters(plan, catalog, sink);
  checkApprovers(plan, sink);
  checkParameters(plan, sink);
  checkTemplates(plan, sink);
  checkEstimates(plan, sink);
  const diagnostics = sink.diagnostics.sort((a, b) => a.line - b.line || a.col - b.col);
  return { plan: sink.hasErrors ? null : plan, diagnostics };
}
