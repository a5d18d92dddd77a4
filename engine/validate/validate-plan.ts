import type { AdapterCatalog } from '../../adapters/types.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { DiagnosticCollector, type DiagnosticCounts } from '../model/diagnostic-cap.js';
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
  /** The problems found, by position: the first MAX_DIAGNOSTICS_PER_FILE (errors before warnings). */
  diagnostics: Diagnostic[];
  /** Present when problems were found past that cap: how many were counted but left out. */
  omitted?: DiagnosticCounts;
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
  if (shape.some((d) => d.severity === 'error')) {
    const found = new DiagnosticCollector();
    found.addAll(shape);
    return { plan: null, ...found.result() };
  }

  const plan = normalizePlan(source.value as DrplanRecoveryPlan, source.file);
  const sink = new DiagnosticSink(source);
  sink.add(shape);
  checkDurations(plan, sink);
  checkSteps(plan, plan.document, sink);
  checkGroups(plan, sink);
  checkAdapters(plan, catalog, sink);
  checkApprovers(plan, sink);
  checkParameters(plan, sink);
  checkTemplates(plan, sink);
  checkEstimates(plan, sink);
  return { plan: sink.hasErrors ? null : plan, ...sink.found.result() };
}
