import { SITE_OPERATIONS, type SiteOperation } from '../../adapters/types.js';
import { operationEstimate, renderVmEstimate, stepEstimate } from '../model/estimates.js';
import { allSteps, type ModeName, type Plan } from '../model/plan.js';
import { MAX_DURATION_MS } from './check-durations.js';
import { quoteList, type DiagnosticSink } from './diagnostic-sink.js';
import { MODE_SITE_OPERATIONS } from './check-adapters.js';

/**
 * With an RTO to check, every step that runs in some declared mode needs an expected duration;
 * each missing one makes `drplan plan`'s verdict optimistic, so say which (as a warning).
 */
export function checkEstimates(plan: Plan, sink: DiagnosticSink): void {
  checkVmEstimates(plan, sink);
  if (plan.objectives.rtoMs === undefined) return;
  const modes = Object.keys(plan.modes) as ModeName[];
  for (const step of allSteps(plan)) {
    if (step.section === 'onFailure' || step.section === 'cleanup') continue; // not on the recovery's critical path
    if (step.modes && !step.modes.some((m) => modes.includes(m))) continue;
    if (stepEstimate(plan, step) !== undefined || step.estimateTemplate !== undefined) continue;
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

/**
 * An estimate written as a template must give a duration for every VM of its group. References
 * that do not resolve are the template check's to report; this one reports what they give.
 */
function checkVmEstimates(plan: Plan, sink: DiagnosticSink): void {
  for (const group of plan.groups) {
    for (const step of [...group.pre, ...group.post]) {
      const template = step.estimateTemplate;
      if (template === undefined || !step.forEach) continue;
      const wrong: string[] = [];
      let example = '';
      for (const vm of group.vms) {
        const { text, ms } = renderVmEstimate(template, vm);
        if (text === undefined || (ms !== undefined && ms <= MAX_DURATION_MS)) continue;
        if (wrong.length === 0) example = text;
        wrong.push(vm.name);
      }
      if (wrong.length === 0) continue;
      const more = wrong.length > 3 ? ` and ${wrong.length - 3} more` : '';
      sink.report(
        'INVALID_DURATION',
        `${step.pointer}/estimate`,
        `step "${step.id}": estimate "${template}" gives "${example}" for VM ${quoteList(wrong.slice(0, 1))}, which is not a duration${wrong.length > 1 ? ` (so do ${quoteList(wrong.slice(1, 3))}${more})` : ''}`,
        { hint: `the VM attributes it uses must make durations such as 90s, 30m or 1h30m, at most 10 years` },
      );
    }
  }
}
