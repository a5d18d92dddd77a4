import type { JsonObject } from '../../adapters/types.js';
import type { ExecutionPlan } from '../model/execution.js';
import type { RunHistory, StepStatus } from './run-history.js';

export interface StepStatusJson {
  id: string;
  status: StepStatus;
  attempts: number;
  startedAt: string | null;
  finishedAt: string | null;
  output?: JsonObject;
  error?: string;
}

/** `drplan run|status --format json` (SPEC §3.1): the run as a function of its journal. */
export function runStatusJson(exec: ExecutionPlan, history: RunHistory) {
  const iso = (t: number | undefined) => (t === undefined ? null : new Date(t).toISOString());
  const cancelled = history.ended?.state === 'cancelled' || history.ended?.state === 'failed';
  const step = (id: string, skipped: boolean): StepStatusJson => {
    const h = history.steps.get(id);
    let status: StepStatus = skipped ? 'skipped' : h?.status ?? 'pending';
    // A step still pending when the run ended never ran: report it as cancelled, not as pending.
    if (cancelled && (status === 'pending' || status === 'running' || status === 'waiting')) status = 'cancelled';
    return {
      id,
      status,
      attempts: h?.attempts ?? 0,
      startedAt: iso(h?.startedAt),
      finishedAt: iso(h?.finishedAt),
      ...(h?.output ? { output: h.output } : {}),
      ...(h?.error && status === 'failed' ? { error: h.error } : {}),
    };
  };
  const ranHandlers = exec.onFailure.filter((s) => history.steps.has(s.id));
  return {
    runId: history.started?.runId ?? '',
    plan: exec.plan.name,
    mode: exec.mode,
    state: history.state,
    ...(history.started ? { startedAt: iso(history.started.time), dryRun: history.started.dryRun } : {}),
    ...(history.ended ? { finishedAt: iso(history.ended.time) } : {}),
    steps: [...exec.steps.map((s) => step(s.id, s.skipped)), ...ranHandlers.map((s) => step(s.id, false))],
    waitingOn: history.waitingOn,
    ...(history.ended?.state === 'failed' ? { failure: { stepId: history.ended.stepId ?? null, error: history.ended.error ?? null } } : {}),
  };
}
