import type { JsonObject } from '../../adapters/types.js';
import type { JournalRecord, RecordData } from '../store/journal.js';

export type StepStatus = 'pending' | 'running' | 'waiting' | 'succeeded' | 'failed' | 'skipped' | 'cancelled';
export type RunState = 'running' | 'waiting' | 'paused' | 'succeeded' | 'failed' | 'cancelled';

export interface StepHistory {
  status: StepStatus;
  /** Attempts started. */
  attempts: number;
  startedAt?: number;
  finishedAt?: number;
  output?: JsonObject;
  error?: string;
  /** Started but not finished: after a crash, this attempt is in doubt. */
  inFlight?: { attempt: number; deadline: number | null; idempotencyKey: string };
  retry?: { attempt: number; at: number };
  waiting?: RecordData['step.waiting'];
  approvals: { by: string; simulated: boolean; time: number }[];
  rejection?: { by: string; comment?: string; time: number };
  doneBy?: string;
  /** An operator decision not yet acted on. */
  operator?: 'retry' | 'skip' | 'abort';
  /** Failed after its last attempt (before any operator retry). */
  finalFailure: boolean;
}

/**
 * The state of a run as a pure function of its journal: what the runner replays on resume and
 * what `status` prints. Applying records one by one gives the same result as folding them all.
 */
export class RunHistory {
  readonly steps = new Map<string, StepHistory>();
  started?: RecordData['run.started'] & { time: number };
  ended?: { state: 'succeeded' | 'failed' | 'cancelled'; time: number; error?: string; stepId?: string };
  cancelRequested?: RecordData['run.cancelRequested'];

  static of(records: readonly JournalRecord[]): RunHistory {
    const h = new RunHistory();
    for (const r of records) h.apply(r);
    return h;
  }

  step(id: string): StepHistory {
    let s = this.steps.get(id);
    if (!s) {
      s = { status: 'pending', attempts: 0, approvals: [], finalFailure: false };
      this.steps.set(id, s);
    }
    return s;
  }

  apply(r: JournalRecord): void {
    switch (r.type) {
      case 'run.started':
        this.started = { ...r.data, time: r.time };
        return;
      case 'run.cancelRequested':
        this.cancelRequested = r.data;
        return;
      case 'run.resumed':
      case 'request.refused':
        return;
      case 'run.succeeded':
        this.ended = { state: 'succeeded', time: r.time };
        return;
      case 'run.failed':
        this.ended = { state: 'failed', time: r.time, ...(r.data.error ? { error: r.data.error } : {}), ...(r.data.stepId ? { stepId: r.data.stepId } : {}) };
        return;
      case 'run.cancelled':
        this.ended = { state: 'cancelled', time: r.time };
        return;
      default:
        break;
    }
    const s = this.step(r.data.stepId);
    switch (r.type) {
      case 'step.started':
        s.status = 'running';
        s.attempts = Math.max(s.attempts, r.data.attempt);
        s.startedAt ??= r.time;
        s.inFlight = { attempt: r.data.attempt, deadline: r.data.deadline, idempotencyKey: r.data.idempotencyKey };
        delete s.retry;
        delete s.waiting;
        delete s.operator;
        s.finalFailure = false;
        return;
      case 'step.succeeded':
        s.status = 'succeeded';
        s.attempts = Math.max(s.attempts, r.data.attempt);
        s.output = r.data.output;
        s.finishedAt = r.time;
        delete s.inFlight;
        delete s.waiting;
        delete s.error;
        return;
      case 'step.failed':
        s.status = 'failed';
        s.attempts = Math.max(s.attempts, r.data.attempt);
        s.error = r.data.error;
        s.finishedAt = r.time;
        s.finalFailure = r.data.final;
        delete s.inFlight;
        delete s.waiting;
        return;
      case 'step.retrying':
        s.status = 'running';
        s.retry = { attempt: r.data.attempt, at: r.data.at };
        return;
      case 'step.skipped':
        s.status = 'skipped';
        s.finishedAt = r.time;
        s.startedAt ??= r.time;
        delete s.waiting;
        delete s.operator;
        delete s.inFlight;
        return;
      case 'step.waiting':
        s.status = 'waiting';
        s.waiting = r.data;
        s.startedAt ??= r.time;
        delete s.inFlight;
        return;
      case 'gate.approved':
        s.approvals.push({ by: r.data.by, simulated: r.data.simulated ?? false, time: r.time });
        return;
      case 'gate.rejected':
        s.rejection = { by: r.data.by, time: r.time, ...(r.data.comment ? { comment: r.data.comment } : {}) };
        return;
      case 'gate.timedOut':
        return;
      case 'manual.done':
        s.doneBy = r.data.by;
        return;
      case 'operator.retry':
        s.operator = 'retry';
        return;
      case 'operator.skip':
        s.operator = 'skip';
        return;
      case 'operator.abort':
        s.operator = 'abort';
        return;
    }
  }

  /** running | waiting | paused | succeeded | failed | cancelled, as SPEC §3.1 reports it. */
  get state(): RunState {
    if (this.ended) return this.ended.state;
    const waits = [...this.steps.values()].filter((s) => s.status === 'waiting' && s.waiting);
    if (waits.some((s) => s.waiting?.kind === 'pause')) return 'paused';
    if (waits.length > 0) return 'waiting';
    return 'running';
  }

  /** Steps a person must act on. */
  get waitingOn(): string[] {
    return [...this.steps.entries()].filter(([, s]) => s.status === 'waiting').map(([id]) => id);
  }
}
