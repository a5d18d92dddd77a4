import { TEMPLATE_ROOTS, TEMPLATE_ROOT_FIELDS } from '../model/template-language.js';
import type { Plan, PlanGroup, PlanStep } from '../model/plan.js';
import { hasOwn, own } from '../model/own.js';
import { toPointer } from '../model/plan-source.js';
import { declaredModes } from './check-steps.js';
import { quoteList, type DiagnosticSink } from './diagnostic-sink.js';
import { suggest } from '../model/did-you-mean.js';
import { analyzeTemplate, containsTemplate, type TemplateFinding } from '../model/template-references.js';

const SECTION_ORDER = { prechecks: 0, pre: 1, post: 1, finalize: 2, cleanup: 3, onFailure: 4 } as const;

/**
 * Every template in `with`, `run`, instructions and estimates parses, calls only known helpers,
 * and refers only to things that exist when the step runs: declared parameters, the step's group
 * and VM, and outputs of steps that finish before it (an estimate, worked out before the run,
 * only to the VM). Rendering is strict, so what this misses fails the step at run time with the
 * same position.
 */
export function checkTemplates(plan: Plan, sink: DiagnosticSink): void {
  const steps = new Map<string, { step: PlanStep; index: number }>();
  const everything = [...plan.prechecks, ...plan.groups.flatMap((g) => [...g.pre, ...g.post]), ...plan.finalize, ...plan.cleanup, ...plan.onFailure];
  everything.forEach((step, index) => {
    if (!steps.has(step.id)) steps.set(step.id, { step, index });
  });
  const groups = new Map(plan.groups.map((g) => [g.id, g]));
  const ancestors = groupAncestors(plan);

  everything.forEach((step, index) => {
    const group = step.group ? groups.get(step.group) ?? null : null;
    for (const { value, pointer, estimate } of templatedStrings(step)) {
      for (const finding of analyzeTemplate(value)) {
        const problem = judge(finding, { plan, step, index, group, steps, ancestors, estimate });
        if (!problem) continue;
        sink.report(problem.code, pointer, `step "${step.id}": ${problem.message}`, {
          ...(problem.hint ? { hint: problem.hint } : {}),
          offset: offsetInScalar(sink, pointer, value, finding),
        });
      }
    }
  });
}

interface Scope {
  plan: Plan;
  step: PlanStep;
  index: number;
  group: PlanGroup | null;
  steps: Map<string, { step: PlanStep; index: number }>;
  ancestors: Map<string, Set<string>>;
  /** The template is the step's estimate, which only VM attributes can feed. */
  estimate: boolean;
}

type Problem = { code: 'TEMPLATE_SYNTAX' | 'UNKNOWN_HELPER' | 'UNKNOWN_TEMPLATE_REFERENCE'; message: string; hint?: string };

function judge(finding: TemplateFinding, scope: Scope): Problem | null {
  switch (finding.type) {
    case 'syntax':
      return { code: 'TEMPLATE_SYNTAX', message: `template does not parse: ${finding.message}`, hint: 'templates look like {{params.name}}; close every {{ with }}' };
    case 'helper':
      return { code: 'UNKNOWN_HELPER', message: `template calls unknown helper "${finding.name}"`, hint: 'available helpers: default, json, lower, upper, eq, and the blocks #if / #unless' };
    case 'unsupported':
      return { code: 'UNKNOWN_TEMPLATE_REFERENCE', message: `template uses ${finding.what}, which plans do not support`, hint: 'refer to values from the root, e.g. {{params.x}}, {{vm.name}}, {{steps.<id>.output.<key>}}' };
    case 'path':
      return judgePath(finding.parts, scope);
  }
}

function judgePath(parts: string[], scope: Scope): Problem | null {
  const [root, field, ...rest] = parts as [string, string | undefined, ...string[]];
  const unknown = (message: string, hint?: string): Problem => ({ code: 'UNKNOWN_TEMPLATE_REFERENCE', message, ...(hint ? { hint } : {}) });
  const ref = `{{${parts.join('.')}}}`;
  if (!(TEMPLATE_ROOTS as readonly string[]).includes(root)) {
    const guess = suggest(root, TEMPLATE_ROOTS);
    return unknown(`${ref} refers to "${root}", which templates do not know`, guess ? `did you mean "${guess}"?` : `templates can use ${TEMPLATE_ROOTS.join(', ')}`);
  }
  if (scope.estimate && root !== 'vm') {
    return unknown(`${ref}: an estimate can use only the VM's attributes, {{vm.<attribute>}}`, 'an estimate is worked out before the run starts, once per VM of a `forEach: vm` step');
  }
  const fields = TEMPLATE_ROOT_FIELDS[root as keyof typeof TEMPLATE_ROOT_FIELDS];
  if (fields && (field === undefined || !fields.includes(field) || rest.length > 0)) {
    return unknown(`${ref} is not a field of ${root}`, `${root} has ${fields.map((f) => `${root}.${f}`).join(', ')}`);
  }
  switch (root) {
    case 'mode':
      return field === undefined ? null : unknown(`${ref}: mode is a plain value`, 'use {{mode}}');
    case 'params': {
      const names = Object.keys(scope.plan.parameters);
      if (field === undefined) return unknown(`${ref}: name the parameter, as in {{params.<name>}}`, names.length ? `declared parameters: ${names.join(', ')}` : 'declare parameters under spec.parameters');
      if (hasOwn(scope.plan.parameters, field) && rest.length === 0) return null;
      const guess = field ? suggest(field, names) : undefined;
      return unknown(`${ref} refers to parameter "${field ?? ''}", which spec.parameters does not declare`, guess ? `did you mean "params.${guess}"?` : names.length ? `declared parameters: ${names.join(', ')}` : 'declare it under spec.parameters');
    }
    case 'group':
      return scope.group ? null : unknown(`${ref} is only available in a group's pre and post steps`);
    case 'vm': {
      if (!scope.step.forEach || !scope.group) return unknown(`${ref} is only available in \`forEach: vm\` steps`, 'add `forEach: vm` to run the step once per VM of its group');
      if (field === undefined) return unknown(`${ref}: use {{vm.name}} or {{vm.<attribute>}}`);
      if (field === 'name' || rest.length > 0) return rest.length > 0 ? unknown(`${ref}: VM attributes are plain values`) : null;
      const missing = scope.group.vms.filter((vm) => !hasOwn(vm.attributes, field)).map((vm) => vm.name);
      return missing.length === 0 ? null : unknown(`${ref}: VM attribute "${field}" is missing on ${quoteList(missing.slice(0, 5))}${missing.length > 5 ? ` and ${missing.length - 5} more` : ''}`, 'give every VM of the group this attribute, e.g. `- { name: app-1, ' + field + ': ... }`');
    }
    case 'steps':
      return judgeStepReference(ref, field, rest, scope);
    default:
      return null;
  }
}

function judgeStepReference(ref: string, id: string | undefined, rest: string[], scope: Scope): Problem | null {
  const unknown = (message: string, hint?: string): Problem => ({ code: 'UNKNOWN_TEMPLATE_REFERENCE', message, ...(hint ? { hint } : {}) });
  const target = id === undefined ? undefined : scope.steps.get(id);
  if (!target) {
    const guess = id ? suggest(id, scope.steps.keys()) : undefined;
    return unknown(`${ref} refers to step "${id ?? ''}", which does not exist`, guess ? `did you mean "steps.${guess}"?` : 'write {{steps.<step-id>.output.<key>}}');
  }
  if (rest[0] !== 'output') return unknown(`${ref}: a step exposes its result as {{steps.${id}.output.<key>}}`);
  const other = target.step;
  if (other === scope.step) return unknown(`${ref}: a step cannot use its own output`);
  if (other.kind === 'gate' || other.kind === 'manual') return unknown(`${ref}: ${other.kind} step "${id}" has no output`);
  if (other.forEach) return unknown(`${ref}: step "${id}" runs once per VM, so it has no single output`, 'move what you need into a step without forEach');
  const modes = scope.step.modes ?? declaredModes(scope.plan);
  const missingIn = other.modes ? modes.filter((m) => !other.modes!.includes(m) && scope.plan.modes[m] !== undefined) : [];
  if (missingIn.length > 0) {
    return unknown(
      `${ref}: step "${id}" does not run in ${missingIn.join(', ')} mode, where step "${scope.step.id}" runs and needs its output`,
      `limit step "${scope.step.id}" to ${other.modes!.join(', ')} with \`modes\`, or let step "${id}" run in ${missingIn.join(', ')} too`,
    );
  }
  if (!precedes(other, target.index, scope)) {
    return unknown(`${ref}: step "${id}" does not finish before step "${scope.step.id}" starts`, 'only outputs of earlier steps (or of groups this group depends on) are available');
  }
  const key = rest[1];
  if (other.kind === 'action' && key !== undefined) {
    const properties = (own(own(scope.plan.adapters, other.adapter)?.operations, other.operation)?.output as { properties?: Record<string, unknown> } | undefined)?.properties;
    if (properties && !hasOwn(properties, key)) {
      const guess = suggest(key, Object.keys(properties));
      return unknown(`${ref}: ${other.adapter}.${other.operation} has no output "${key}"`, guess ? `did you mean "${guess}"?` : `its output has ${Object.keys(properties).join(', ') || 'no fields'}`);
    }
  }
  return null;
}

function precedes(other: PlanStep, otherIndex: number, scope: Scope): boolean {
  const a = SECTION_ORDER[other.section];
  const b = SECTION_ORDER[scope.step.section];
  if (a !== b) return a < b;
  if (other.group !== null && scope.step.group !== null && other.group !== scope.step.group) {
    return scope.ancestors.get(scope.step.group)?.has(other.group) ?? false;
  }
  return otherIndex < scope.index;
}

/** Every group's transitive dependencies. */
function groupAncestors(plan: Plan): Map<string, Set<string>> {
  const deps = new Map(plan.groups.map((g) => [g.id, g.dependsOn]));
  const memo = new Map<string, Set<string>>();
  const visit = (id: string, path: Set<string>): Set<string> => {
    const known = memo.get(id);
    if (known) return known;
    const out = new Set<string>();
    for (const dep of deps.get(id) ?? []) {
      if (path.has(dep)) continue; // cycles are reported elsewhere
      out.add(dep);
      for (const x of visit(dep, new Set([...path, dep]))) out.add(x);
    }
    memo.set(id, out);
    return out;
  };
  for (const g of plan.groups) visit(g.id, new Set([g.id]));
  return memo;
}

/** The strings of a step that are templates, with their pointers. */
export function templatedStrings(step: PlanStep): { value: string; pointer: string; estimate: boolean }[] {
  const out: { value: string; pointer: string; estimate: boolean }[] = [];
  const walk = (value: unknown, pointer: string) => {
    if (typeof value === 'string') {
      if (containsTemplate(value)) out.push({ value, pointer, estimate: false });
    } else if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${pointer}/${i}`));
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, `${pointer}${toPointer([k])}`);
  };
  if (step.kind === 'action') walk(step.with, `${step.pointer}/with`);
  if (step.kind === 'run') {
    if (step.script) step.argv.forEach((a, i) => walk(a, i === 0 ? `${step.pointer}/run/script` : `${step.pointer}/run/args/${i - 1}`));
    else walk(step.argv, `${step.pointer}/run`);
  }
  if (step.kind === 'gate') walk(step.gate.instructions, `${step.pointer}/gate/instructions`);
  if (step.kind === 'manual') walk(step.manual.instructions, `${step.pointer}/manual/instructions`);
  if (step.estimateTemplate !== undefined) out.push({ value: step.estimateTemplate, pointer: `${step.pointer}/estimate`, estimate: true });
  return out;
}

/** Where a finding sits inside a one-line scalar (after its opening quote); multi-line scalars point at the scalar. */
function offsetInScalar(sink: DiagnosticSink, pointer: string, value: string, finding: TemplateFinding): { line: number; col: number } | undefined {
  if (value.includes('\n') || finding.line !== 1) return undefined;
  const at = sink.source.locate(pointer);
  const lineText = lineOf(sink.source.text, at.line);
  const opening = lineText[at.col - 1];
  const quoted = opening === '"' || opening === "'";
  const raw = lineText.slice(at.col - 1 + (quoted ? 1 : 0));
  // Only trust the offset when the scalar's text is written verbatim on its line (no escapes before the finding).
  if (!raw.startsWith(value.slice(0, finding.column))) return undefined;
  return { line: 0, col: finding.column + (quoted ? 1 : 0) };
}

/** The text of one 1-based line, without splitting the whole file for each finding. */
function lineOf(text: string, line: number): string {
  let start = 0;
  for (let n = 1; n < line; n++) {
    const next = text.indexOf('\n', start);
    if (next === -1) return '';
    start = next + 1;
  }
  const end = text.indexOf('\n', start);
  return text.slice(start, end === -1 ? undefined : end);
}
