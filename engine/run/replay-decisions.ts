import type { KeyObject } from 'node:crypto';
import type { ExecStep, ExecutionPlan } from '../model/execution.js';
import { effectiveFailurePolicy, type GateSpec } from '../model/plan.js';
import type { JournalRecord, RecordData } from '../store/journal.js';
import { checkSignature, judgeRequest, type DecisionTrust, type OperatorRequest } from './operator-requests.js';
import { RunHistory } from './run-history.js';

/**
 * Rebuilding a run from its journal re-checks every decision in it exactly as the decision was
 * checked when it arrived — the same `judgeRequest`, against the records before it, on the clock
 * of its own record — so a record someone appended to the file (the hash chain is only a
 * checksum: anyone who can write the file can recompute it) opens no gate. Records the engine
 * writes about people's steps are held to the plan too: a gate passes only on a quorum of
 * decisions that count (or its own timeout, where the plan says so), waits only on the plan's
 * approvers and deadlines, and a manual step is done only by a decision that counts.
 *
 * One replay serves every reader: `drplan resume` and anything else that would drive the run
 * refuses a journal with a record that does not count; `drplan verify` reports each one;
 * `status`, `report` and the server show the run without them, flagged.
 */

/** How a decision counted: checked against its signer's key, unsigned or simulated in a dry-run, or signed but not checkable (no keys). */
export type DecisionCheck = 'verified' | 'unsigned' | 'simulated' | 'unchecked';

export type ReplayVerdict = { counts: true; decision?: DecisionCheck } | { counts: false; reason: string };

/** A record that does not count, at `journal.jsonl:<seq>` (one record per line). */
export interface UntrustedRecord {
  seq: number;
  type: JournalRecord['type'];
  reason: string;
}

export interface ReplayOptions {
  /**
   * The plan as the run resolves it. Without it (the plan file is gone) only what needs no plan is
   * checked: signatures, what they are bound to, their time, and simulated decisions.
   */
  exec: ExecutionPlan | null;
  /**
   * The plan's approver public keys (a principal without one cannot decide, as live). Null when
   * they cannot be located at all: signatures are then reported `unchecked`, and the gate rules,
   * which go with them, are not checked either.
   */
  keys: ReadonlyMap<string, KeyObject> | null;
}

/**
 * Folds a journal record by record, judging each against the records before it that counted.
 * A record that does not count is not applied: `history` is the run as the trustworthy records
 * make it.
 *
 * @example
 * const replay = new DecisionReplay({ exec, keys });
 * for (const r of records) { const v = replay.next(r); if (!v.counts) console.log(`journal.jsonl:${r.seq}: ${v.reason}`); }
 */
export class DecisionReplay {
  readonly history = new RunHistory();
  private readonly steps: Map<string, ExecStep>;
  /** Gates whose first round timed out into their escalation round. */
  private readonly escalated = new Set<string>();
  /** Gates whose timeout approved them (`onTimeout: approve`). */
  private readonly approvedByTimeout = new Set<string>();
  /** Something happened that makes the run fail or stop: only then may a waiting gate be dropped. */
  private stopping = false;

  constructor(private readonly options: ReplayOptions) {
    this.steps = new Map(options.exec ? [...options.exec.steps, ...options.exec.onFailure].map((s) => [s.id, s]) : []);
  }

  next(record: JournalRecord): ReplayVerdict {
    const verdict = this.judge(record);
    if (verdict.counts) {
      this.history.apply(record);
      this.note(record);
    }
    return verdict;
  }

  private judge(r: JournalRecord): ReplayVerdict {
    switch (r.type) {
      case 'gate.approved':
      case 'gate.rejected':
      case 'manual.done':
        return this.judgeDecision(r);
      case 'step.waiting':
        return this.judgeWait(r.data, r.time);
      case 'gate.timedOut':
        return this.judgeTimeout(r.data, r.time);
      case 'step.succeeded':
        return this.judgeSuccess(r.data.stepId);
      case 'step.skipped':
        return this.judgeSkip(r.data.stepId);
      default:
        return { counts: true };
    }
  }

  private judgeDecision(r: Extract<JournalRecord, { type: 'gate.approved' | 'gate.rejected' | 'manual.done' }>): ReplayVerdict {
    const started = this.history.started;
    const what = `${r.type} by ${r.data.by}`;
    const refuse = (why: string): ReplayVerdict => ({ counts: false, reason: `${what} does not count: ${why}` });
    if (!started) return refuse('it comes before the run’s start record');
    if ('simulated' in r.data && r.data.simulated) {
      // Only `--auto-approve` writes these, and only a dry-run can be started with it.
      if (!started.dryRun) return refuse('it is marked simulated, and this is a real run: only a dry-run started with --auto-approve records simulated decisions');
      if (!started.autoApprove) return refuse('it is marked simulated, and this dry-run was not started with --auto-approve');
      return { counts: true, decision: 'simulated' };
    }
    const type = r.type === 'gate.approved' ? 'approve' : r.type === 'gate.rejected' ? 'reject' : 'done';
    const request: Extract<OperatorRequest, { type: 'approve' | 'reject' | 'done' }> = { type, stepId: r.data.stepId, by: r.data.by, ...(r.data.comment ? { comment: r.data.comment } : {}), ...(r.data.signed ? { signed: r.data.signed } : {}) };
    const keys = this.options.keys;
    // Judged on the clock of its own record: the engine records a decision at the time it judged it.
    const trust: DecisionTrust = { requireSignatures: !started.dryRun, keys: keys ?? new Map(), now: r.time };
    if (this.options.exec && keys) {
      const verdict = judgeRequest(this.options.exec, this.history, request, trust);
      if (!verdict.ok) return refuse(verdict.refusal);
    } else {
      const problem = checkSignature(request, started.runId, this.history, trust, keys ? 'verify' : 'skip');
      if (problem) return refuse(problem);
      if (this.history.ended) return refuse(`run ${started.runId} had already ended (${this.history.ended.state})`);
    }
    return { counts: true, decision: !r.data.signed ? 'unsigned' : keys ? 'verified' : 'unchecked' };
  }

  /** A gate waits on its own approvers, quorum and timeout (or its escalation's), never on others or longer. */
  private judgeWait(w: RecordData['step.waiting'], time: number): ReplayVerdict {
    const step = this.steps.get(w.stepId)?.step;
    if (!step || (step.kind !== 'gate' && step.kind !== 'manual')) return { counts: true };
    const refuse = (why: string): ReplayVerdict => ({ counts: false, reason: `step.waiting of ${step.kind} "${w.stepId}" does not count: ${why}` });
    if (w.kind !== step.kind) return refuse(`it waits as a ${w.kind}, and the plan’s step is a ${step.kind}`);
    if (step.kind !== 'gate') return { counts: true };
    const rounds = roundsOf(step.gate, this.escalated.has(w.stepId));
    const round = rounds.find((r) => sameSet(r.principals, w.principals) && r.quorum === w.quorum);
    if (!round) {
      const allowed = rounds.map((r) => `${r.quorum} of ${r.principals.join(', ')}`).join(' or ');
      return refuse(`it waits for ${w.quorum ?? '?'} of ${w.principals.join(', ') || 'nobody'}, and the plan’s gate takes ${allowed}`);
    }
    if (round.timeoutMs === undefined && w.deadline !== null) return refuse('it has a deadline, and the plan’s gate has no timeout');
    if (round.timeoutMs !== undefined && (w.deadline === null || w.deadline > time + round.timeoutMs)) {
      return refuse(`its deadline ${w.deadline === null ? 'is missing' : `(${iso(w.deadline)}) is later than the plan’s timeout allows (${iso(time + round.timeoutMs)})`}`);
    }
    return { counts: true };
  }

  /** A gate times out only once its deadline has passed, and only as its plan says. */
  private judgeTimeout(t: RecordData['gate.timedOut'], time: number): ReplayVerdict {
    if (!this.options.exec) return { counts: true };
    const step = this.steps.get(t.stepId)?.step;
    const refuse = (why: string): ReplayVerdict => ({ counts: false, reason: `gate.timedOut of "${t.stepId}" (${t.outcome}) does not count: ${why}` });
    if (step?.kind !== 'gate') return refuse('the plan has no such gate');
    const h = this.history.steps.get(t.stepId);
    const w = h?.status === 'waiting' && h.waiting?.kind === 'gate' ? h.waiting : null;
    if (!w || w.deadline === null) return refuse('the gate was not waiting with a deadline');
    if (time < w.deadline) return refuse(`it is recorded at ${iso(time)}, before the gate’s deadline ${iso(w.deadline)}`);
    const gate = step.gate;
    const inEscalation = this.inEscalationRound(t.stepId, gate, w.principals, w.quorum);
    if (t.outcome === 'approved' && (gate.onTimeout !== 'approve' || inEscalation)) return refuse('the plan’s gate is not approved by its timeout (onTimeout: approve)');
    if (t.outcome === 'escalated' && (typeof gate.onTimeout !== 'object' || inEscalation)) return refuse('the plan’s gate has no escalation left');
    return { counts: true };
  }

  /** A gate passes on a quorum of decisions that count (or as its timeout says); a manual step on a `done` that counts. */
  private judgeSuccess(stepId: string): ReplayVerdict {
    const step = this.steps.get(stepId)?.step;
    if (!step || (step.kind !== 'gate' && step.kind !== 'manual')) return { counts: true };
    const h = this.history.steps.get(stepId);
    const refuse = (why: string): ReplayVerdict => ({ counts: false, reason: `step.succeeded of ${step.kind} "${stepId}" does not count: ${why}` });
    if (step.kind === 'manual') return h?.doneBy ? { counts: true } : refuse('nobody marked it done with a decision that counts');
    if (h?.rejection) return refuse(`${h.rejection.by} rejected the gate`);
    if (this.approvedByTimeout.has(stepId) || h?.approvals.some((a) => a.simulated)) return { counts: true };
    const w = h?.waiting?.kind === 'gate' ? h.waiting : null;
    const principals = new Set(w?.principals ?? step.gate.principals);
    const quorum = w?.quorum ?? step.gate.quorum;
    const approvers = new Set((h?.approvals ?? []).map((a) => a.by).filter((by) => principals.has(by)));
    if (approvers.size < quorum) return refuse(`it has ${approvers.size} of the ${quorum} approvals it needs${approvers.size ? ` (${[...approvers].join(', ')})` : ''}`);
    return { counts: true };
  }

  /** The engine drops a waiting gate or manual step only when the run is failing or being cancelled. */
  private judgeSkip(stepId: string): ReplayVerdict {
    const step = this.steps.get(stepId)?.step;
    if (!step || (step.kind !== 'gate' && step.kind !== 'manual')) return { counts: true };
    if (this.stopping || this.history.cancelRequested) return { counts: true };
    return { counts: false, reason: `step.skipped of ${step.kind} "${stepId}" does not count: a ${step.kind} is only given up when the run is failing or being cancelled, and nothing in the journal before it says so` };
  }

  /** What a counted record means for the checks of later ones. */
  private note(r: JournalRecord): void {
    if (r.type === 'gate.timedOut') {
      if (r.data.outcome === 'escalated') this.escalated.add(r.data.stepId);
      if (r.data.outcome === 'approved') this.approvedByTimeout.add(r.data.stepId);
    }
    if (r.type === 'operator.abort' || r.type === 'run.cancelRequested') this.stopping = true;
    if (r.type === 'step.failed' && r.data.final && this.abortsRun(r.data.stepId)) this.stopping = true;
  }

  /** A final failure of this step fails the run (as `replayFailure` in step-executor.ts decides). */
  private abortsRun(stepId: string): boolean {
    const step = this.steps.get(stepId);
    const exec = this.options.exec;
    if (!step || !exec) return true;
    if (step.phase === 'cleanup' || step.phase === 'onFailure') return false;
    if (!step.step || step.kind === 'gate' || step.kind === 'manual') return true;
    return effectiveFailurePolicy(step.step, exec.mode) === 'abort';
  }

  private inEscalationRound(stepId: string, gate: GateSpec, principals: readonly string[], quorum: number | undefined): boolean {
    if (!this.escalated.has(stepId) || typeof gate.onTimeout !== 'object') return false;
    const esc = gate.onTimeout.escalate;
    const first = sameSet(gate.principals, principals) && gate.quorum === quorum;
    return !first && sameSet(esc.principals, principals) && esc.quorum === quorum;
  }
}

/**
 * Replays a whole journal: the run as its trustworthy records make it, and every record that does
 * not count. A journal the engine wrote has none.
 */
export function replayJournal(records: readonly JournalRecord[], options: ReplayOptions): { history: RunHistory; untrusted: UntrustedRecord[] } {
  const replay = new DecisionReplay(options);
  const untrusted: UntrustedRecord[] = [];
  for (const r of records) {
    const v = replay.next(r);
    if (!v.counts) untrusted.push({ seq: r.seq, type: r.type, reason: v.reason });
  }
  return { history: replay.history, untrusted };
}

/** Refuses to drive (or record into) a run whose journal holds records that do not count. */
export class UntrustedJournalError extends Error {
  constructor(
    readonly runId: string,
    readonly file: string,
    readonly untrusted: readonly UntrustedRecord[],
  ) {
    const shown = untrusted.slice(0, 10).map((u) => `${file}:${u.seq}: ${u.reason}`);
    if (untrusted.length > 10) shown.push(`… and ${untrusted.length - 10} more`);
    super(
      `${shown.join('\n')}\n` +
        `  hint: the journal holds ${untrusted.length === 1 ? 'a record' : 'records'} that no live decision could have produced (written into the file by hand or by a tool, not by drplan). ` +
        `drplan will not run anything from it, and nothing was written. Keep the file as it is for investigation; \`drplan verify ${runId}\` lists every problem.`,
    );
    this.name = 'UntrustedJournalError';
  }
}

/** Throws {@link UntrustedJournalError} when any record of the journal does not count. */
export function assertTrustedJournal(runId: string, file: string, records: readonly JournalRecord[], options: ReplayOptions): void {
  const { untrusted } = replayJournal(records, options);
  if (untrusted.length > 0) throw new UntrustedJournalError(runId, file, untrusted);
}

interface Round {
  principals: string[];
  quorum: number;
  timeoutMs: number | undefined;
}

/** The rounds a gate may be waiting in: its own, and after a timeout that escalated, its escalation's. */
function roundsOf(gate: GateSpec, escalated: boolean): Round[] {
  const first: Round = { principals: gate.principals, quorum: gate.quorum, timeoutMs: gate.timeoutMs };
  if (!escalated || typeof gate.onTimeout !== 'object') return [first];
  const esc = gate.onTimeout.escalate;
  return [first, { principals: esc.principals, quorum: esc.quorum, timeoutMs: esc.timeoutMs }];
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
