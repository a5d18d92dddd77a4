import type { KeyObject } from 'node:crypto';
import type { ExecStep, ExecutionPlan } from '../model/execution.js';
import { RunHistory, type RunState, type StepStatus } from '../run/run-history.js';
import { runStatusJson } from '../run/run-status.js';
import type { JournalRecord, RunSummary } from '../store/journal.js';
import type { ServedRun } from './read-run.js';

const iso = (t: number | null | undefined): string | null => (t == null ? null : new Date(t).toISOString());

/** One entry of `GET /api/runs`: SPEC §3.1's `drplan runs --format json` fields, then additions. */
export interface RunListItem {
  runId: string;
  plan: string;
  mode: string;
  state: RunState | 'damaged' | 'never-started';
  startedAt: string | null;
  waitingOn: string[];
  finishedAt: string | null;
  dryRun: boolean | null;
  error?: string;
}

/** A run's list entry from its records, or `damaged` from the error reading them. */
export function runListItem(summary: RunSummary, read: { records: readonly JournalRecord[] } | { error: string }): RunListItem {
  if ('error' in read) {
    return { runId: summary.runId, plan: summary.plan, mode: summary.mode, state: 'damaged', startedAt: iso(summary.startedAt || null), waitingOn: [], finishedAt: null, dryRun: null, error: read.error };
  }
  // An empty journal: drplan stopped before the start record was written. Not a running run.
  if (read.records.length === 0) return { runId: summary.runId, plan: summary.plan, mode: summary.mode, state: 'never-started', startedAt: null, waitingOn: [], finishedAt: null, dryRun: null };
  const h = RunHistory.of(read.records);
  return {
    runId: summary.runId,
    plan: h.started?.plan ?? summary.plan,
    mode: h.started?.mode ?? summary.mode,
    state: h.state,
    startedAt: iso(h.started?.time ?? (summary.startedAt || null)),
    waitingOn: h.waitingOn,
    finishedAt: iso(h.ended?.time),
    dryRun: h.started?.dryRun ?? null,
  };
}

/** A decision already counted on a gate, with the comment it carried. */
export interface ApprovalView {
  by: string;
  at: string;
  comment?: string;
  simulated: boolean;
  /** False for an approval of the first round by someone the escalation no longer asks. */
  counts: boolean;
}

export interface NextStepView {
  id: string;
  kind: ExecStep['kind'];
  group: string | null;
  name?: string;
}

/** What waits on people at one step: everything an approver needs to decide. */
export interface WaitView {
  stepId: string;
  kind: 'gate' | 'manual' | 'pause';
  name: string | null;
  group: string | null;
  /** Rendered when the wait began (templates filled in with this run's values). */
  instructions: string | null;
  /** Who may act now: the gate's approvers (or the escalation's), the manual step's assignees; empty means any approver with a key. */
  principals: string[];
  quorum: number;
  approvals: ApprovalView[];
  /** Approvals still needed to pass the gate. */
  needed: number;
  since: string | null;
  deadline: string | null;
  remainingMs: number | null;
  onTimeout: 'fail' | 'approve' | 'escalate' | null;
  escalated: boolean;
  allowInitiator: boolean;
  /** Why a paused step paused (operators act on it with `drplan retry|skip`). */
  reason?: string;
  /** A rejection already recorded: final; the run fails once an engine takes it up. */
  rejection?: { by: string; at: string; comment?: string };
  /** Who marked a manual step done (recorded, not yet taken up by an engine). */
  doneBy?: string;
  /** Public keys (SPKI DER, base64) of those who may act, so the page can tell who holds the key it was given. */
  keys: Record<string, string>;
  /** The steps that wait for this one, directly or not, in run order (the first few) and how many there are. */
  next: NextStepView[];
  nextCount: number;
}

export interface RanStepView {
  id: string;
  status: StepStatus;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  error?: string;
}

const NEXT_SHOWN = 8;

/**
 * `GET /api/runs/:id`: the §3.1 status JSON (unchanged fields first), plus what an approver
 * needs: each wait with its rendered instructions, who may act, quorum, approvals so far and
 * deadline; what ran; and the outage clock against the RTO.
 */
export function runDetailJson(run: ServedRun, now: number) {
  const { history, exec, records } = run;
  const started = history.started;
  const status = exec ? runStatusJson(exec, history) : journalOnlyStatus(run);
  const last = records.at(-1)?.time ?? started?.time ?? now;
  // A real run's outage clock keeps running while it waits; a dry-run's time is its records'.
  const until = history.ended?.time ?? (started?.simulated ? last : Math.max(now, last));
  const elapsedMs = started ? until - started.time : null;
  const rtoMs = exec?.objectives.rtoMs ?? null;
  const clockNow = started?.simulated ? last : now;
  return {
    ...status,
    planDigest: started?.planDigest ?? null,
    initiator: started?.initiator ?? null,
    simulated: started?.simulated ?? false,
    // The process driving the run, or null: decisions are then recorded and `drplan resume` carries the run on.
    engine: run.engine ? { pid: run.engine.pid, host: run.engine.host, since: run.engine.since } : null,
    now: new Date(now).toISOString(),
    /** Sequence number of the last record: the page's event stream picks up after it. */
    lastSeq: records.at(-1)?.seq ?? 0,
    objectives: {
      rto: rtoMs,
      elapsedMs,
      remainingMs: rtoMs !== null && elapsedMs !== null ? rtoMs - elapsedMs : null,
      met: rtoMs !== null && elapsedMs !== null ? elapsedMs <= rtoMs : null,
    },
    // A run that ended waits on nobody, whatever step was waiting when it was cancelled.
    waiting: (history.ended ? [] : history.waitingOn).map((id) => waitView(run, id, clockNow)).filter((w): w is WaitView => w !== null),
    ran: ranSteps(run),
    ...(run.planUnavailable ? { planUnavailable: run.planUnavailable } : {}),
    ...(run.planChanged ? { planChanged: run.planChanged } : {}),
    // Records a resume refuses (forged decisions and the like): left out of everything above.
    ...(run.untrusted.length > 0 ? { untrusted: run.untrusted.map((u) => ({ line: u.seq, type: u.type, reason: u.reason })) } : {}),
  };
}

export type RunDetail = ReturnType<typeof runDetailJson>;

function waitView(run: ServedRun, stepId: string, now: number): WaitView | null {
  const h = run.history.steps.get(stepId);
  const w = h?.waiting;
  if (!h || !w) return null;
  const execStep = run.exec ? [...run.exec.steps, ...run.exec.onFailure].find((s) => s.id === stepId) : undefined;
  const source = execStep?.step ?? null;
  const gate = source?.kind === 'gate' ? source.gate : null;
  const principals = w.principals;
  const quorum = w.kind === 'gate' ? (w.quorum ?? gate?.quorum ?? 1) : 1;
  const approvals = approvalsOf(run.records, stepId, principals);
  const counted = new Set(approvals.filter((a) => a.counts).map((a) => a.by)).size;
  const onTimeout = gate ? (typeof gate.onTimeout === 'object' ? 'escalate' : gate.onTimeout) : null;
  const escalated = gate !== null && typeof gate.onTimeout === 'object' && !sameSet(principals, gate.principals);
  // Empty principals on a manual step: anyone with a key in the plan may mark it done.
  const mayAct = principals.length > 0 ? principals : w.kind === 'manual' ? [...run.keys.keys()] : [];
  const keys: Record<string, string> = {};
  if (w.kind !== 'pause') {
    for (const p of mayAct) {
      const key = run.keys.get(p);
      if (key) keys[p] = spkiBase64(key);
    }
  }
  const next = run.exec && execStep ? downstreamOf(run.exec, run.history, stepId) : [];
  return {
    stepId,
    kind: w.kind,
    name: source?.name ?? null,
    group: execStep?.group ?? null,
    instructions: w.instructions ?? null,
    principals,
    quorum,
    approvals,
    needed: w.kind === 'gate' ? Math.max(0, quorum - counted) : w.kind === 'manual' ? 1 : 0,
    since: iso(h.startedAt),
    deadline: iso(w.deadline),
    remainingMs: w.deadline === null ? null : w.deadline - now,
    onTimeout,
    escalated,
    allowInitiator: gate?.allowInitiator ?? false,
    ...(w.reason ? { reason: w.reason } : {}),
    ...(h.rejection ? { rejection: { by: h.rejection.by, at: new Date(h.rejection.time).toISOString(), ...(h.rejection.comment ? { comment: h.rejection.comment } : {}) } } : {}),
    ...(h.doneBy ? { doneBy: h.doneBy } : {}),
    keys,
    next: next.slice(0, NEXT_SHOWN),
    nextCount: next.length,
  };
}

function approvalsOf(records: readonly JournalRecord[], stepId: string, principals: readonly string[]): ApprovalView[] {
  const out: ApprovalView[] = [];
  const seen = new Set<string>();
  for (const r of records) {
    if (r.type !== 'gate.approved' || r.data.stepId !== stepId) continue;
    const first = !seen.has(r.data.by);
    seen.add(r.data.by);
    out.push({
      by: r.data.by,
      at: new Date(r.time).toISOString(),
      ...(r.data.comment ? { comment: r.data.comment } : {}),
      simulated: r.data.simulated ?? false,
      counts: first && (principals.length === 0 || principals.includes(r.data.by)),
    });
  }
  return out;
}

/** Every step that (transitively) waits for `stepId` and has not run yet, in run order. */
function downstreamOf(exec: ExecutionPlan, history: RunHistory, stepId: string): NextStepView[] {
  const dependents = new Map<string, string[]>();
  for (const s of exec.steps) for (const a of s.after) dependents.set(a, [...(dependents.get(a) ?? []), s.id]);
  const reached = new Set<string>();
  const queue = [stepId];
  while (queue.length > 0) {
    for (const d of dependents.get(queue.shift()!) ?? []) {
      if (!reached.has(d)) {
        reached.add(d);
        queue.push(d);
      }
    }
  }
  return exec.steps
    .filter((s) => reached.has(s.id) && !s.skipped && (history.steps.get(s.id)?.status ?? 'pending') === 'pending')
    .map((s) => ({ id: s.id, kind: s.kind, group: s.group, ...(s.step?.name ? { name: s.step.name } : {}) }));
}

/** Steps that finished (or were skipped at run time), in the order they finished. */
function ranSteps(run: ServedRun): RanStepView[] {
  const order = new Map((run.exec?.steps ?? []).map((s, i) => [s.id, i]));
  return [...run.history.steps.entries()]
    .filter(([, s]) => s.status === 'succeeded' || s.status === 'failed' || s.status === 'skipped')
    .sort(([a, x], [b, y]) => (x.finishedAt ?? 0) - (y.finishedAt ?? 0) || (order.get(a) ?? 0) - (order.get(b) ?? 0))
    .map(([id, s]) => ({
      id,
      status: s.status,
      startedAt: iso(s.startedAt),
      finishedAt: iso(s.finishedAt),
      durationMs: s.startedAt !== undefined && s.finishedAt !== undefined ? s.finishedAt - s.startedAt : null,
      ...(s.status === 'failed' && s.error ? { error: s.error } : {}),
    }));
}

/** The §3.1 status when the plan cannot be read again: steps the journal knows about, as it knows them. */
function journalOnlyStatus(run: ServedRun) {
  const h = run.history;
  return {
    runId: h.started?.runId ?? run.runId,
    plan: h.started?.plan ?? '?',
    mode: h.started?.mode ?? '?',
    // An empty journal is a run that never started (drplan stopped before the start record), not a running one.
    state: run.records.length === 0 ? ('never-started' as const) : h.state,
    ...(h.started ? { startedAt: iso(h.started.time), dryRun: h.started.dryRun } : {}),
    ...(h.ended ? { finishedAt: iso(h.ended.time) } : {}),
    steps: [...h.steps.entries()].map(([id, s]) => ({
      id,
      status: s.status,
      attempts: s.attempts,
      startedAt: iso(s.startedAt),
      finishedAt: iso(s.finishedAt),
      ...(s.output ? { output: s.output } : {}),
      ...(s.error && s.status === 'failed' ? { error: s.error } : {}),
    })),
    waitingOn: h.waitingOn,
    ...(h.ended?.state === 'failed' ? { failure: { stepId: h.ended.stepId ?? null, error: h.ended.error ?? null } } : {}),
  };
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

/** A principal's public key as the page receives it (WebCrypto imports it as 'spki'). */
export function spkiBase64(key: KeyObject): string {
  return key.export({ type: 'spki', format: 'der' }).toString('base64');
}
