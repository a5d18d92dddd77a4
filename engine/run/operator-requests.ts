import type { KeyObject } from 'node:crypto';
import { verifyDecision } from '../approvals/decision-statement.js';
import type { ExecutionPlan } from '../model/execution.js';
import type { NewRecord } from '../store/journal.js';
import type { OperatorRequest } from '../store/operator-request.js';
import type { RunHistory } from './run-history.js';

export type { OperatorRequest };

export type RequestVerdict = { ok: true; records: NewRecord[] } | { ok: false; refusal: string };

/** What decisions are checked against. Real runs require signed decisions; dry-runs accept plain ones. */
export interface DecisionTrust {
  requireSignatures: boolean;
  /** Public keys by principal (from the plan's approverKeys folder). */
  keys: ReadonlyMap<string, KeyObject>;
  /** Now, on the run's clock. */
  now: number;
}

/** Clocks of approvers' machines and the engine's differ a little; more than this is suspicious. */
export const CLOCK_SKEW_MS = 5 * 60_000;

/**
 * Decides whether a request applies to the run as its journal stands, and which records it
 * becomes. Pure, so the engine driving the run and a command acting on a stopped run judge alike.
 */
export function judgeRequest(exec: ExecutionPlan, history: RunHistory, request: OperatorRequest, trust?: DecisionTrust): RequestVerdict {
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
  if (request.type === 'approve' || request.type === 'reject' || request.type === 'done') {
    const problem = checkSignature(request, runId, history, trust);
    if (problem) return refuse(problem);
  }
  const signed = (request.type === 'approve' || request.type === 'reject' || request.type === 'done') && request.signed ? { signed: request.signed } : {};

  switch (request.type) {
    case 'approve':
    case 'reject': {
      if (step.step?.kind !== 'gate') return refuse(`step "${step.id}" is not a gate`);
      const gate = step.step.gate;
      if (h?.status === 'succeeded' || h?.status === 'failed') return refuse(`gate "${step.id}" is already decided (${h.status === 'succeeded' ? 'approved' : 'failed'})`);
      if (h?.rejection) return refuse(`gate "${step.id}" was already rejected by ${h.rejection.by}; a rejection is final`);
      const deadline = h?.waiting?.deadline;
      if (deadline != null && trust && trust.now > deadline) return refuse(`gate "${step.id}" timed out at ${new Date(deadline).toISOString()}, before this decision arrived`);
      const signedAt = request.signed ? Date.parse(request.signed.statement.time) : NaN;
      if (deadline != null && signedAt > deadline && !history.started?.simulated) return refuse(`the decision was signed at ${request.signed!.statement.time}, after gate "${step.id}" timed out`);
      const allowed = h?.waiting?.principals ?? gate.principals;
      if (!allowed.includes(request.by)) return refuse(`${request.by} may not decide gate "${step.id}": it takes ${allowed.join(', ')}`);
      if (request.type === 'approve') {
        if (request.by === initiator && !gate.allowInitiator) return refuse(`${request.by} started run ${runId} and may not approve its own gate "${step.id}" (the gate does not set allowInitiator)`);
        if (h?.approvals.some((a) => a.by === request.by)) return refuse(`${request.by} has already approved gate "${step.id}"; approvals count once per person`);
        return { ok: true, records: [{ type: 'gate.approved', data: { stepId: step.id, by: request.by, ...(request.comment ? { comment: request.comment } : {}), ...signed } }] };
      }
      return { ok: true, records: [{ type: 'gate.rejected', data: { stepId: step.id, by: request.by, ...(request.comment ? { comment: request.comment } : {}), ...signed } }] };
    }
    case 'done': {
      if (step.step?.kind !== 'manual') return refuse(`step "${step.id}" is not a manual step`);
      if (h?.status === 'succeeded') return refuse(`manual step "${step.id}" is already done (by ${h.doneBy ?? 'someone'})`);
      const allowed = step.step.manual.principals;
      if (allowed && !allowed.includes(request.by)) return refuse(`${request.by} may not mark "${step.id}" done: it is assigned to ${allowed.join(', ')}`);
      return { ok: true, records: [{ type: 'manual.done', data: { stepId: step.id, by: request.by, ...(request.comment ? { comment: request.comment } : {}), ...signed } }] };
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

/**
 * A decision counts only if its signature verifies with the named principal's key and every
 * signed field matches this run, this step, this decision and this version of the plan, at a
 * plausible time. Each way it can fail has its own message. Used live (through `judgeRequest`)
 * and when a journal is replayed (engine/run/replay-decisions.ts), so a recorded decision is held
 * to exactly the rules it passed when it arrived. `keyCheck: 'skip'` is only for reading a journal
 * whose plan's keys cannot be found (`drplan verify` then says the signature was not checked).
 */
export function checkSignature(
  request: Extract<OperatorRequest, { type: 'approve' | 'reject' | 'done' }>,
  runId: string,
  history: RunHistory,
  trust: DecisionTrust | undefined,
  keyCheck: 'verify' | 'skip' = 'verify',
): string | null {
  const signed = request.signed;
  if (!signed) {
    return trust?.requireSignatures
      ? `a decision on a real run must be signed by the approver's key: use \`drplan ${request.type} ${runId} ${request.stepId}\` with the key made by \`drplan keys generate ${request.by}\``
      : null;
  }
  const s = signed.statement;
  if (s.principal !== request.by) return `the decision is signed by ${s.principal} but submitted as ${request.by}`;
  if (s.runId !== runId) return `the decision was signed for run ${s.runId}, not run ${runId} (a decision cannot be replayed onto another run)`;
  if (s.stepId !== request.stepId) return `the decision was signed for step "${s.stepId}", not "${request.stepId}"`;
  if (s.decision !== request.type) return `the signed decision is "${s.decision}", not "${request.type}"`;
  const digest = history.started?.planDigest;
  if (digest && s.planDigest !== digest) {
    return `the decision was signed against another version of the plan (digest ${s.planDigest.slice(0, 12)}…, the run uses ${digest.slice(0, 12)}…): sign again against the plan the run started from`;
  }
  if (keyCheck === 'verify') {
    const key = trust?.keys.get(s.principal);
    if (!key) return `no public key for ${s.principal} among the plan's approver keys (approvers/${s.principal}.pub, or spec.approverKeys): a decision nobody can verify does not count`;
    if (!verifyDecision(signed, key)) return `the signature does not verify with ${s.principal}'s public key: the decision was forged, altered, or signed with another key`;
  }
  const time = Date.parse(s.time);
  if (!Number.isFinite(time)) return `the decision's time "${s.time}" is not a valid ISO-8601 time`;
  const started = history.started?.time ?? 0;
  if (trust && !history.started?.simulated) {
    if (time < started - CLOCK_SKEW_MS) return `the decision was signed at ${s.time}, before run ${runId} started (a decision from an earlier run or a stale signature)`;
    if (time > trust.now + CLOCK_SKEW_MS) return `the decision is dated ${s.time}, in the future by the engine's clock: check the approver machine's clock`;
  }
  return null;
}
