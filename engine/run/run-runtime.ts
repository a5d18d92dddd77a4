import type { AdapterInstance, AdapterLogger, Clock, JsonObject } from '../../adapters/types.js';
import type { NodeOutcome } from '../compile/compile-plan.js';
import type { ExecStep, ExecutionPlan } from '../model/execution.js';
import type { PlanGroup, PlanVm } from '../model/plan.js';
import type { JournalRecord, NewRecord, RunJournal } from '../store/journal.js';
import type { Activity } from './activity.js';
import type { RunSignals } from './run-control.js';
import type { RunHistory } from './run-history.js';
import type { TemplateContext, TemplateRenderer } from '../model/template-renderer.js';

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
  /** Appends records durably (at `time`, default now), applies them to the history, logs and announces them. */
  record(records: readonly NewRecord[], time?: number): Promise<JournalRecord[]>;
  /**
   * Set as soon as any step fails in a way that aborts the run, before its lane or batch has
   * drained: every other lane and batch then starts nothing new (work already running finishes).
   */
  aborting: boolean;
  /** Set the moment a cancel is accepted (its record may not be durable yet). */
  cancelling: boolean;
  /** Step executions under way, so nothing runs twice at once and the end waits for them. */
  inFlight: Map<string, Promise<NodeOutcome>>;
  /** Outputs of succeeded steps, kept current as records are applied (templates read them). */
  outputs: Record<string, { output: JsonObject }>;
  groups: ReadonlyMap<string, PlanGroup>;
  vms: ReadonlyMap<string, ReadonlyMap<string, PlanVm>>;
}

/**
 * Cleanup and failure handlers run while the run is failing or being cancelled; everything else
 * stops starting — from the moment the failure or the cancel request is known, not only once the
 * state machine has caught up with it.
 */
export function stoppedByAbort(rt: RunRuntime, step: ExecStep): boolean {
  return (rt.aborting || rt.cancelling) && step.phase !== 'cleanup' && step.phase !== 'onFailure';
}

/** The group and VM a step acts on, by index rather than by search. */
export function vmOf(rt: RunRuntime, step: ExecStep): { group: PlanGroup | undefined; vm: PlanVm | undefined } {
  const group = step.group === null ? undefined : rt.groups.get(step.group);
  const vm = step.group === null || step.vm === null ? undefined : rt.vms.get(step.group)?.get(step.vm);
  return { group, vm };
}

/** The template context of one step (SPEC §2.1). */
export function templateContext(rt: RunRuntime, step: ExecStep): TemplateContext {
  const plan = rt.exec.plan;
  const { group, vm } = vmOf(rt, step);
  return {
    plan: { name: plan.name, ...(plan.description ? { description: plan.description } : {}) },
    mode: rt.exec.mode,
    run: { id: rt.runId, initiator: rt.initiator },
    params: rt.exec.params,
    ...(group ? { group: { id: group.id, ...(group.name ? { name: group.name } : {}) } } : {}),
    ...(vm ? { vm: { ...vm.attributes, name: vm.name } } : {}),
    steps: rt.outputs,
  };
}
