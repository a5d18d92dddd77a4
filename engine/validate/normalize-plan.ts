import type { JsonObject } from '../../adapters/types.js';
import { parseDuration } from '../model/duration.js';
import type {
  AdapterInstanceSpec,
  GateSpec,
  ManualSpec,
  ModeName,
  ModeSettings,
  ParameterSpec,
  Plan,
  PlanGroup,
  PlanStep,
  PlanVm,
  Scalar,
  StepSection,
} from '../model/plan.js';
import type { DrplanRecoveryPlan, Group, Step } from '../model/plan-document.generated.js';
import { own } from '../model/own.js';
import { toPointer } from '../model/plan-source.js';
import { containsTemplate } from '../model/template-references.js';

/**
 * Turns a shape-valid document into the normalised `Plan`: defaults applied, durations in ms,
 * missing ids generated from the step's position. Pure and total on shape-valid input; the
 * meaning checks (unknown names, cycles, …) run afterwards on its result.
 */
export function normalizePlan(doc: DrplanRecoveryPlan, file: string): Plan {
  const spec = doc.spec;
  const approvers: Record<string, string[]> = {};
  for (const [group, principals] of Object.entries(spec.approvers ?? {})) approvers[group] = [...(principals ?? [])];
  const resolve = (names: readonly string[]) => resolvePrincipals(names, approvers);

  const steps = (list: Step[] | undefined, section: StepSection, base: (string | number)[], group: string | null) =>
    (list ?? []).map((raw, i) => normalizeStep(raw, section, [...base, i], group, i, resolve));

  const groups: PlanGroup[] = spec.groups.map((g: Group, i) => {
    const base = ['spec', 'groups', i];
    const vms = (g.vms ?? []).map((vm, v): PlanVm => {
      const pointer = toPointer([...base, 'vms', v]);
      if (typeof vm === 'string') return { name: vm, attributes: {}, pointer };
      const { name, ...attributes } = vm;
      return { name, attributes: attributes as Record<string, Scalar>, pointer };
    });
    const previous = i > 0 ? spec.groups[i - 1]?.id : undefined;
    return {
      id: g.id,
      ...(g.name === undefined ? {} : { name: g.name }),
      pointer: toPointer(base),
      dependsOn: g.dependsOn ? [...g.dependsOn] : previous ? [previous] : [],
      vms,
      concurrency: g.concurrency ?? Math.max(1, vms.length),
      pre: steps(g.pre, 'pre', [...base, 'pre'], g.id),
      post: steps(g.post, 'post', [...base, 'post'], g.id),
    };
  });

  const adapters: Record<string, AdapterInstanceSpec> = {};
  for (const [name, instance] of Object.entries(spec.adapters)) {
    if (!instance) continue;
    const estimatesMs: Record<string, number> = {};
    for (const [op, text] of Object.entries(instance.estimates ?? {})) {
      const ms = text === undefined ? undefined : parseDuration(text);
      if (ms !== undefined) estimatesMs[op] = ms;
    }
    adapters[name] = {
      name,
      type: instance.type,
      config: (instance.config ?? {}) as JsonObject,
      estimatesMs,
      operations: {},
      pointer: toPointer(['spec', 'adapters', name]),
    };
  }

  const parameters: Record<string, ParameterSpec> = {};
  for (const [name, p] of Object.entries(spec.parameters ?? {})) {
    if (!p) continue;
    parameters[name] = {
      name,
      type: p.type,
      ...(p.description === undefined ? {} : { description: p.description }),
      ...(p.default === undefined ? {} : { default: p.default }),
      ...(p.enum === undefined ? {} : { enum: [...p.enum] }),
    };
  }

  return {
    file,
    name: doc.metadata.name,
    ...(doc.metadata.description === undefined ? {} : { description: doc.metadata.description }),
    objectives: {
      ...optionalMs('rtoMs', spec.objectives?.rto),
      ...optionalMs('rpoMs', spec.objectives?.rpo),
    },
    adapters,
    sites: { source: spec.sites.source, target: spec.sites.target },
    parameters,
    approvers,
    ...(spec.approverKeys === undefined ? {} : { approverKeys: spec.approverKeys }),
    ...(spec.notifications === undefined ? {} : { notifications: spec.notifications }),
    modes: normalizeModes(spec.modes),
    prechecks: steps(spec.prechecks, 'prechecks', ['spec', 'prechecks'], null),
    groups,
    finalize: steps(spec.finalize, 'finalize', ['spec', 'finalize'], null),
    cleanup: steps(spec.cleanup, 'cleanup', ['spec', 'cleanup'], null),
    onFailure: steps(spec.onFailure, 'onFailure', ['spec', 'onFailure'], null),
    document: doc,
  };
}

/** The id a step gets when it has none: its list and 1-based position, e.g. `finalize-2`, `database-pre-1`. */
export function generatedStepId(section: StepSection, group: string | null, index: number): string {
  return group ? `${group}-${section}-${index + 1}` : `${section}-${index + 1}`;
}

function normalizeStep(
  raw: Step,
  section: StepSection,
  path: (string | number)[],
  group: string | null,
  index: number,
  resolve: (names: readonly string[]) => string[],
): PlanStep {
  const base = {
    id: raw.id ?? generatedStepId(section, group, index),
    ...(raw.name === undefined ? {} : { name: raw.name }),
    ...(raw.description === undefined ? {} : { description: raw.description }),
    pointer: toPointer(path),
    section,
    group,
    modes: raw.modes ? ([...raw.modes] as ModeName[]) : null,
    ...optionalMs('timeoutMs', raw.timeout),
    retry: {
      attempts: raw.retry?.attempts ?? 1,
      backoffMs: (raw.retry?.backoff && parseDuration(raw.retry.backoff)) || 0,
      factor: raw.retry?.factor ?? 1,
      ...optionalMs('maxBackoffMs', raw.retry?.maxBackoff),
    },
    ...(raw.onFailure === undefined ? {} : { onFailure: raw.onFailure }),
    ...optionalMs('estimateMs', raw.estimate),
    ...(raw.estimate !== undefined && containsTemplate(raw.estimate) ? { estimateTemplate: raw.estimate } : {}),
    forEach: raw.forEach === 'vm',
  };
  // Which kind wins when several are given does not matter: that plan has a STEP_KIND_CONFLICT error.
  if (raw.gate) return { ...base, kind: 'gate', gate: normalizeGate(raw.gate, resolve) };
  if (raw.manual) return { ...base, kind: 'manual', manual: normalizeManual(raw.manual, resolve) };
  if (raw.run) {
    const script = !Array.isArray(raw.run);
    const argv = Array.isArray(raw.run) ? [...raw.run] : [raw.run.script, ...(raw.run.args ?? [])];
    return { ...base, kind: 'run', argv, script };
  }
  const [adapter = '', operation = ''] = (raw.action ?? '').split('.');
  return { ...base, kind: 'action', adapter, operation, with: (raw.with ?? {}) as JsonObject };
}

function normalizeGate(raw: NonNullable<Step['gate']>, resolve: (names: readonly string[]) => string[]): GateSpec {
  let onTimeout: GateSpec['onTimeout'] = 'fail';
  if (raw.onTimeout === 'approve') onTimeout = 'approve';
  else if (typeof raw.onTimeout === 'object') {
    const e = raw.onTimeout.escalate;
    onTimeout = {
      escalate: {
        approvers: [...e.approvers],
        principals: resolve(e.approvers),
        quorum: e.quorum ?? 1,
        ...optionalMs('timeoutMs', e.timeout),
      },
    };
  }
  return {
    approvers: [...raw.approvers],
    principals: resolve(raw.approvers),
    quorum: raw.quorum ?? 1,
    ...optionalMs('timeoutMs', raw.timeout),
    onTimeout,
    ...(raw.instructions === undefined ? {} : { instructions: raw.instructions }),
    allowInitiator: raw.allowInitiator ?? false,
  };
}

function normalizeManual(raw: NonNullable<Step['manual']>, resolve: (names: readonly string[]) => string[]): ManualSpec {
  return {
    instructions: raw.instructions,
    assignees: raw.assignees ? [...raw.assignees] : [],
    principals: raw.assignees ? resolve(raw.assignees) : null,
    ...optionalMs('timeoutMs', raw.timeout),
  };
}

/** Group names expand to their members; anything else is taken as a principal. Order kept, duplicates dropped. */
export function resolvePrincipals(names: readonly string[], approvers: Record<string, string[]>): string[] {
  const out = new Set<string>();
  for (const name of names) for (const p of own(approvers, name) ?? [name]) out.add(p);
  return [...out];
}

function normalizeModes(modes: DrplanRecoveryPlan['spec']['modes']): ModeSettings {
  if (!modes) return { planned: {}, unplanned: { recoveryPoint: 'latest' }, test: { cleanup: 'always' } };
  const out: ModeSettings = {};
  if (modes.planned) out.planned = {};
  if (modes.unplanned) out.unplanned = { recoveryPoint: modes.unplanned.recoveryPoint ?? 'latest' };
  if (modes.test) {
    out.test = { cleanup: modes.test.cleanup ?? 'always', ...(modes.test.network ? { network: modes.test.network } : {}) };
  }
  return out;
}

function optionalMs<K extends string>(key: K, text: string | undefined): { [P in K]?: number } {
  const ms = text === undefined ? undefined : parseDuration(text);
  return (ms === undefined ? {} : { [key]: ms }) as { [P in K]?: number };
}
