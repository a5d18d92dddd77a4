import { SITE_OPERATIONS, type SiteOperation } from '../../adapters/types.js';
import { operationEstimate, stepEstimate } from '../model/estimates.js';
import { allSteps, type ModeName, type Plan } from '../model/plan.js';
import type { DiagnosticSink } from './diagnostic-sink.js';
import { MODE_SITE_OPERATIONS } from './check-adapters.js';

/**
 * With an RTO to check, every step that runs in some declared mode needs an expected duration;
 * each missing one makes `drplan plan`'s verdict optimistic, so say which (as a warning).
 */
export function checkEstimates(plan: Plan, sink: DiagnosticSink): void {
  if (plan.objectives.rtoMs === undefined) return;
  const modes = Object.keys(plan.modes) as ModeName[];
  for (const step of allSteps(plan)) {
    if (step.section === 'onFailure' || step.section === 'cleanup') continue; // not on the recovery's critical path
    if (step.modes && !step.modes.some((m) => modes.includes(m))) continue;
    if (stepEstimate(plan, step) !== undefined) continue;
    sink.report('MISSING_ESTIMATE', step.pointer, `step "${step.id}" has no estimate, so the RTO check counts it as instant`, {
      severity: 'warning',
      hint: step.kind === 'action' ? `add \`estimate: 2m\` to the step, or \`estimates: { ${step.operation}: 2m }\` to adapter "${step.adapter}"` : 'add `estimate: 2m` (or whatever it usually takes) to the step',
    });
  }
  if (!plan.groups.some((g) => g.vms.length > 0)) return;
  for (const role of ['source', 'target'] as const) {
    const instance = plan.sites[role];
    if (!plan.adapters[instance]) continue;
    const needed = new Set<SiteOperation>(modes.flatMap((m) => MODE_SITE_OPERATIONS[m][role]).filter((op) => op !== 'cleanupTest'));
    const missing = SITE_OPERATIONS.filter((op) => needed.has(op) && operationEstimate(plan, instance, op) === undefined);
    if (missing.length > 0) {
      sink.report('MISSING_ESTIMATE', `/spec/sites/${role}`, `VM operations ${missing.join(', ')} on "${instance}" have no estimate, so the RTO check counts them as instant`, {
        severity: 'warning',
        hint: `add \`estimates: { ${missing.map((m) => `${m}: 1m`).join(', ')} }\` to adapter "${instance}"`,
      });
    }
  }
}
