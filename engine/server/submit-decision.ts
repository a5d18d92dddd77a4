import { isSignedDecision, type SignedDecision } from '../approvals/decision-statement.js';
import { applyRequest, type ApplyRequestOutcome, type NotTakenCode, type TakenCode } from '../app/apply-request.js';
import { judgeRequest, type RequestVerdict } from '../run/operator-requests.js';
import { UntrustedJournalError } from '../run/replay-decisions.js';
import { NoSuchRunError, type FileStore } from '../store/file-store.js';
import { JournalDamageError } from '../store/read-journal.js';
import { publicErrorMessage, type Redact } from './hide-paths.js';
import type { OperatorRequest } from '../store/operator-request.js';
import type { ServedRun } from './read-run.js';

/** What `POST /api/runs/:id/decisions` answers: the HTTP status and its JSON body. */
export type DecisionReply =
  | { status: 200; body: { ok: true; outcome: 'recorded' | 'applied' | 'handed'; message: string } }
  | { status: 400 | 403 | 404 | 409 | 503; body: { error: string; hint?: string } };

/** A decision as it arrived over HTTP: signed, and with only the signed fields. */
export type SignedRequest = Extract<OperatorRequest, { type: 'approve' | 'reject' | 'done' }> & { signed: SignedDecision };

/** The body of `POST /api/runs/:id/decisions` as a request, or why it is not one (400). */
export function readDecision(runId: string, body: unknown): { ok: true; request: SignedRequest } | { ok: false; reply: DecisionReply } {
  const shape = describeShapeProblem(body);
  if (shape) return { ok: false, reply: { status: 400, body: { error: shape, hint: 'send { "statement": { v, runId, stepId, decision, principal, planDigest, time, comment? }, "signature": "<base64 Ed25519>" }' } } };
  // Only the signed fields go on: nothing else a client adds reaches the journal.
  const given = body as SignedDecision;
  const s: SignedDecision['statement'] = {
    v: 1,
    runId: given.statement.runId,
    stepId: given.statement.stepId,
    decision: given.statement.decision,
    principal: given.statement.principal,
    planDigest: given.statement.planDigest,
    time: given.statement.time,
    ...(given.statement.comment === undefined ? {} : { comment: given.statement.comment }),
  };
  const signed: SignedDecision = { statement: s, signature: given.signature };
  if (s.runId !== runId) return { ok: false, reply: { status: 400, body: { error: `the decision was signed for run ${s.runId} but sent to run ${runId}` } } };
  return { ok: true, request: { type: s.decision, stepId: s.stepId, by: s.principal, ...(s.comment ? { comment: s.comment } : {}), signed } };
}

/**
 * How the run would judge the decision now, from its journal as the server reads it — the same
 * pure `judgeRequest` the engine and the CLI use, on the same clock (the run's last record's, in a
 * dry-run). Lets the server count refusals before it forwards anything; the run still judges
 * what is forwarded.
 */
export function judgeDecision(run: ServedRun, request: SignedRequest, now: number): RequestVerdict {
  const started = run.history.started;
  if (!run.exec || !started) return { ok: false, refusal: run.planUnavailable ?? `run ${run.runId} has no start record` };
  const time = started.simulated ? (run.records.at(-1)?.time ?? now) : now;
  return judgeRequest(run.exec, run.history, request, { requireSignatures: !started.dryRun, keys: run.keys, now: time });
}

/** What the answer calls a decision that was taken. */
const TAKEN_AS: Record<TakenCode, 'applied' | 'handed' | 'recorded'> = { APPLIED: 'applied', HANDED: 'handed', RECORDED: 'recorded' };

/** The HTTP status of each reason a decision was not taken. */
const STATUS_OF: Record<NotTakenCode, 403 | 409 | 503> = {
  REFUSED: 403,
  // The run's lock is held by a process that neither answers nor lets go: nothing was recorded.
  RUN_HELD: 503,
  NO_START_RECORD: 409,
  PLAN_MISSING: 409,
  PLAN_INVALID: 409,
};

/**
 * Applies a signed decision exactly as `drplan approve|reject|done` does — the same
 * `applyRequest`: through the inbox of the engine driving the run, or judged against the journal
 * and recorded when none does — and turns its outcome into an HTTP answer. The signature is what
 * identifies the approver; nothing about the HTTP request (address, token) adds to or replaces it.
 */
export async function applyDecision(store: FileStore, cwd: string, runId: string, request: SignedRequest, redact: Redact = (text) => text): Promise<DecisionReply> {
  let applied: ApplyRequestOutcome;
  try {
    applied = await applyRequest(store, runId, request, { cwd });
  } catch (error) {
    // What the CLI would print names the server's files; the answer names runs and lines.
    if (error instanceof NoSuchRunError) return { status: 404, body: { error: publicErrorMessage(error, redact) } };
    if (error instanceof JournalDamageError || error instanceof UntrustedJournalError) return { status: 409, body: { error: publicErrorMessage(error, redact) } };
    throw error;
  }
  if (applied.outcome === 'taken') return { status: 200, body: { ok: true, outcome: TAKEN_AS[applied.code], message: applied.message } };
  return { status: STATUS_OF[applied.code], body: { error: redact(applied.message), ...(applied.hint ? { hint: redact(applied.hint) } : {}) } };
}

function describeShapeProblem(body: unknown): string | null {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return 'the body must be a JSON object { statement, signature }';
  if (isSignedDecision(body)) {
    const s = (body as SignedDecision).statement;
    if (s.stepId.length > 500 || s.principal.length > 200 || s.planDigest.length > 200 || s.time.length > 64) return 'a field of the statement is too long';
    return null;
  }
  const b = body as { statement?: Record<string, unknown>; signature?: unknown };
  if (typeof b.signature !== 'string') return 'signature: expected a base64 string';
  if (!b.statement || typeof b.statement !== 'object') return 'statement: expected an object';
  const st = b.statement;
  if (st.v !== 1) return 'statement.v: expected 1';
  for (const f of ['runId', 'stepId', 'principal', 'planDigest', 'time'] as const) if (typeof st[f] !== 'string') return `statement.${f}: expected a string`;
  if (st.decision !== 'approve' && st.decision !== 'reject' && st.decision !== 'done') return 'statement.decision: expected "approve", "reject" or "done"';
  return 'statement.comment: expected a string';
}
