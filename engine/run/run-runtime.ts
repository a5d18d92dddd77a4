import type { AdapterInstance, AdapterLogger, Clock, JsonObject } from '../../adapters/types.js';
import type { ExecStep, ExecutionPlan } from '../model/execution.js';
import type { JournalRecord, NewRecord, RunJournal } from '../store/journal.js';
import type { Activity } from './activity.js';
import type { RunSignals } from './run-control.js';
import type { RunHistory } from './run-history.js';
import type { TemplateContext, TemplateRenderer } from './template-renderer.js';

/** What every part of a running run shares. Built once by `startRun`. */
export interface RunRuntime {
  exec: ExecutionPlan;
  steps: ReadonlyMap<string, ExecStep>;
  runId: string;
  initiator: string;
  journal: RunJournal;
  history: RunHistory;
  clock: Clock;
  logger: AdapterLogger;
  /** Opened adapter instances by plan instance name. */
  adapters: ReadonlyMap<string, AdapterInstance>;
  /** The instance `run` steps execute through. */
  shell: AdapterInstance;
  renderer: TemplateRenderer;
  activity: Activity;
  signals: RunSignals;
  autoApprove: boolean;
  /** Maps a plan JSON pointer to `file:line:col` for run-time errors (templates). */
  where(pointer: string): string;
  /** Appends records durably, applies them to the history, logs and announces them. */
  record(records: readonly NewRecord[]): Promise<JournalRecord[]>;
}

/** The template context of one step (SPEC §2.1). */
export function templateContext(rt: RunRuntime, step: ExecStep): TemplateContext {
  const plan = rt.exec.plan;
  const outputs: Record<string, { output: JsonObject }> = {};
  for (const [id, h] of rt.history.steps) if (h.status === 'succeeded' && h.output) outputs[id] = { output: h.output };
  const group = step.group ? plan.groups.find((g) => g.id === step.group) : undefined;
  const vm = group && step.vm ? group.vms.find((v) => v.name === step.vm) : undefined;
  return {
    plan: { name: plan.name, ...(plan.description ? { description: plan.description } : {}) },
    mode: rt.exec.mode,
    run: { id: rt.runId, initiator: rt.initiator },
    params: rt.exec.params,
    ...(group ? { group: { id: group.id, ...(group.name ? { name: group.name } : {}) } } : {}),
    ...(vm ? { vm: { ...vm.attributes, name: vm.name } } : {}),
    steps: outputs,
  };
}
