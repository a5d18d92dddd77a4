import type { ExecutionPlan } from '../model/execution.js';
import type { NewRecord } from '../store/journal.js';
import type { RunHistory } from './run-history.js';

/** Something a person asks of a run: operator controls and sign-offs (issue: signatures come with approvals). */
export type OperatorRequest =
  | { type: 'approve' | 'reject'; stepId: string; by: string; comment?: string }
  | { type: 'done'; stepId: string; by: string; comment?: string }
  | { type: 'retry' | 'abort'; stepId: string; by: string; reason?: string }
  | { type: 'skip'; stepId: string; by: string; reason: string }
  | { type: 'cancel'; by: string; reason?: string };

export type RequestVerdict = { ok: true; records: NewRecord[] } | { ok: false; refusal: string };

/**
 * Decides whether a request applies to the run as its journal stands, and which records it
 * becomes. Pure, so the engine driving the run and a command acting on a stopped run judge alike.
 */
export function judgeRequest(exec: ExecutionPlan, history: RunHistory, request: OperatorRequest): RequestVerdict {
  const refuse = (refusal: string): RequestVerdict => ({ ok: false, refusal });
  const runId = history.started?.runId ?? '?';
  if (history.ended) return refuse(`run ${runId} already ended (${history.ended.state}); nothing can change it now`);
  if (request.type === 'cancel') {
    if (history.cancelRequested) return refuse(`run ${runId} is already being cancelled (asked by ${history.cancelRequested.by})`);
    return { ok: true, records: [{ type: 'run.cancelRequested', data: { by: request.by, ...(request.reason ? { reason: request.reason } : {}) } }] };
  }
  const step = [...exec.steps, ...exec.onFailure].find((s) => s.id === request.stepId);
  if (!step) return refuse(`run ${runId} has no step "${request.stepId}" (\`drplan status ${runId}\` lists its steps)`);
  const h = history.steps.get(step.id);
  const initiator = history.started?.initiator;

  switch (request.type) {
    case 'approve':
    case 'reject': {
      if (step.step?.kind !== 'gate') return refuse(`step "${step.id}" is not a gate`);
      const gate = step.step.gate;
      if (h?.status === 'succeeded' || h?.status === 'failed') return refuse(`gate "${step.id}" is already decided (${h.status === 'succeeded' ? 'approved' : 'failed'})`);
      const allowed = h?.waiting?.principals ?? gate.principals;
      if (!allowed.includes(request.by)) return refuse(`${request.by} may not decide gate "${step.id}": it takes ${allowed.join(', ')}`);
      if (request.type === 'approve') {
        if (request.by === initiator && !gate.allowInitiator) return refuse(`${request.by} started run ${runId} and may not approve its own gate "${step.id}" (the gate does not set allowInitiator)`);
        if (h?.approvals.some((a) => a.by === request.by)) return refuse(`${request.by} has already approved gate "${step.id}"; approvals count once per person`);
        return { ok: true, records: [{ type: 'gate.approved', data: { stepId: step.id, by: request.by, ...(request.comment ? { comment: request.comment } : {}) } }] };
      }
      return { ok: true, records: [{ type: 'gate.rejected', data: { stepId: step.id, by: request.by, ...(request.comment ? { comment: request.comment } : {}) } }] };
    }
    case 'done': {
      if (step.step?.kind !== 'manual') return refuse(`step "${step.id}" is not a manual step`);
      if (h?.status === 'succeeded') return refuse(`manual step "${step.id}" is already done (by ${h.doneBy ?? 'someone'})`);
      const allowed = step.step.manual.principals;
      if (allowed && !allowed.includes(request.by)) return refuse(`${request.by} may not mark "${step.id}" done: it is assigned to ${allowed.join(', ')}`);
      return { ok: true, records: [{ type: 'manual.done', data: { stepId: step.id, by: request.by, ...(request.comment ? { comment: request.comment } : {}) } }] };
    }
    case 'retry':
    case 'abort':
    case 'skip': {
      if (h?.status !== 'waiting' || h.waiting?.kind !== 'pause') {
        return refuse(`step "${step.id}" is not paused (it is ${h?.status ?? 'pending'}); retry, skip and abort apply to a step waiting for an operator`);
      }
      if (request.type === 'skip') {
        return { ok: true, records: [{ type: 'operator.skip', data: { stepId: step.id, by: request.by, reason: request.reason } }, { type: 'step.skipped', data: { stepId: step.id, reason: request.reason, by: request.by } }] };
      }
      const type = request.type === 'retry' ? 'operator.retry' : 'operator.abort';
      return { ok: true, records: [{ type, data: { stepId: step.id, by: request.by, ...(request.reason ? { reason: request.reason } : {}) } }] };
    }
  }
}
