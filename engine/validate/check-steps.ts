import { MODES, allSteps, type ModeName, type Plan } from '../model/plan.js';
import type { DrplanRecoveryPlan, Step } from '../model/plan-document.generated.js';
import { fromPointer } from '../model/plan-source.js';
import { quoteList, type DiagnosticSink } from './diagnostic-sink.js';

const KINDS = ['action', 'run', 'gate', 'manual'] as const;

/**
 * Checks every step on its own: exactly one kind, `with` only on actions, `forEach` only in
 * groups, `modes` naming declared modes, ids unique in the plan.
 */
export function checkSteps(plan: Plan, doc: DrplanRecoveryPlan, sink: DiagnosticSink): void {
  const declared = MODES.filter((m) => plan.modes[m] !== undefined);
  const seen = new Map<string, string>();
  for (const step of allSteps(plan)) {
    const raw = rawStepAt(doc, step.pointer);
    const kinds = KINDS.filter((k) => raw[k] !== undefined);
    const label = raw.id ? `step "${raw.id}"` : `step ${step.pointer.replace('/spec/', '').replace(/\//g, '.')}`;
    if (kinds.length === 0) {
      sink.report('STEP_KIND_MISSING', step.pointer, `${label} does not say what it does`, {
        hint: 'give it exactly one of `action: <adapter>.<operation>`, `run: [argv...]`, `gate: {...}` or `manual: {...}`',
      });
    } else if (kinds.length > 1) {
      sink.report('STEP_KIND_CONFLICT', `${step.pointer}/${kinds[1]}`, `${label} has ${kinds.length} kinds: ${kinds.join(', ')}`, {
        part: 'key',
        hint: `a step does one thing: split it into ${kinds.length} steps`,
      });
    }
    if (raw.with !== undefined && raw.action === undefined) {
      sink.report('WITH_WITHOUT_ACTION', `${step.pointer}/with`, `${label} has \`with\` but no \`action\``, {
        part: 'key',
        hint: '`with` is the input of an action; for a `run` step put arguments in the argv list',
      });
    }
    if (step.forEach && step.group === null) {
      sink.report('FOREACH_OUTSIDE_GROUP', `${step.pointer}/forEach`, `${label} uses \`forEach: vm\` outside a group`, {
        part: 'key',
        hint: 'move the step into a group’s `pre` or `post`, or remove `forEach`',
      });
    }
    for (const [i, mode] of (step.modes ?? []).entries()) {
      if (plan.modes[mode] === undefined) {
        sink.report('MODE_NOT_DECLARED', `${step.pointer}/modes/${i}`, `${label} names mode "${mode}", which the plan does not declare`, {
          hint: `declare it under spec.modes, or use one of ${quoteList(declared, 'or')}`,
        });
      }
    }
    const first = seen.get(step.id);
    if (first !== undefined) {
      const where = sink.source.locate(first);
      sink.report('DUPLICATE_ID', raw.id ? `${step.pointer}/id` : step.pointer, `step id "${step.id}" is already used at line ${where.line}`, {
        hint: raw.id ? 'give each step its own id' : 'this id was generated from the step’s position; give the step an explicit `id`',
      });
    } else {
      seen.set(step.id, raw.id ? `${step.pointer}/id` : step.pointer);
    }
  }
}

/** Declared modes a plan can run in. */
export function declaredModes(plan: Plan): ModeName[] {
  return MODES.filter((m) => plan.modes[m] !== undefined);
}

function rawStepAt(doc: DrplanRecoveryPlan, pointer: string): Step {
  let node: unknown = doc;
  for (const segment of fromPointer(pointer)) node = (node as Record<string, unknown>)[segment];
  return node as Step;
}
