/**
 * What a journal must show after any number of crashes and resumes (STYLE "Durability"): pure
 * checks over its records, each returning the problems it found (empty: the invariant holds).
 */
import { RunHistory } from '../../engine/run/run-history.js';
import type { JournalRecord } from '../../engine/store/journal.js';

const stepOf = (r: JournalRecord): string | undefined => ('stepId' in r.data ? (r.data as { stepId: string }).stepId : undefined);

/**
 * After every `run.resumed`, an attempt the journal shows started but unfinished is in doubt. A
 * non-idempotent one must pause for an operator (`step.waiting` kind pause) before anything else
 * happens to it; an idempotent one must be re-run under the same attempt (same idempotency key).
 * When the resumed engine died before reaching the step, the next `run.resumed` judges it.
 */
export function checkInDoubtHandling(records: readonly JournalRecord[], idempotent: (stepId: string) => boolean): string[] {
  const problems: string[] = [];
  for (let i = 0; i < records.length; i++) {
    if (records[i]!.type !== 'run.resumed') continue;
    const history = RunHistory.of(records.slice(0, i));
    for (const [stepId, h] of history.steps) {
      if (!h.inFlight) continue;
      const next = records.slice(i + 1).find((r) => r.type === 'run.resumed' || stepOf(r) === stepId);
      if (!next || next.type === 'run.resumed') continue;
      if (idempotent(stepId)) {
        if (next.type !== 'step.started' || next.data.attempt !== h.inFlight.attempt) {
          problems.push(`seq ${next.seq}: idempotent step ${stepId} was in doubt (attempt ${h.inFlight.attempt}) at the resume at seq ${records[i]!.seq}; expected it re-run under the same attempt, got ${next.type} ${JSON.stringify(next.data).slice(0, 120)}`);
        }
      } else if (next.type !== 'step.waiting' || next.data.kind !== 'pause') {
        problems.push(`seq ${next.seq}: non-idempotent step ${stepId} was in doubt (attempt ${h.inFlight.attempt}) at the resume at seq ${records[i]!.seq}; expected a pause for an operator, got ${next.type} ${JSON.stringify(next.data).slice(0, 120)}`);
      }
    }
  }
  return problems;
}

/** A step paused for an operator is started again only after an operator asked for a retry. */
export function checkPausesWaitForOperator(records: readonly JournalRecord[]): string[] {
  const problems: string[] = [];
  const paused = new Map<string, number>();
  for (const r of records) {
    const stepId = stepOf(r);
    if (!stepId) continue;
    if (r.type === 'step.waiting' && r.data.kind === 'pause') paused.set(stepId, r.seq);
    else if (r.type === 'operator.retry' || r.type === 'operator.skip' || r.type === 'operator.abort' || r.type === 'step.skipped') paused.delete(stepId);
    else if (r.type === 'step.started' && paused.has(stepId)) {
      problems.push(`seq ${r.seq}: step ${stepId} paused at seq ${paused.get(stepId)} was started again (attempt ${r.data.attempt}) without an operator's retry`);
      paused.delete(stepId);
    }
  }
  return problems;
}

/** A step that failed for good (final) is never started again, unless an operator asked for a retry. */
export function checkFinalFailuresStay(records: readonly JournalRecord[]): string[] {
  const problems: string[] = [];
  const failed = new Map<string, number>();
  for (const r of records) {
    const stepId = stepOf(r);
    if (!stepId) continue;
    if (r.type === 'step.failed' && r.data.final) failed.set(stepId, r.seq);
    else if (r.type === 'operator.retry') failed.delete(stepId);
    else if (r.type === 'step.started' && failed.has(stepId)) {
      problems.push(`seq ${r.seq}: step ${stepId} failed for good at seq ${failed.get(stepId)} and was started again (attempt ${r.data.attempt}) by a resumed engine`);
      failed.delete(stepId);
    }
  }
  return problems;
}

/** Steps that completed: succeeded, or skipped by an operator (who checked the effect happened). */
export function completedSteps(history: RunHistory): { succeeded: Set<string>; skipped: Set<string> } {
  const succeeded = new Set<string>();
  const skipped = new Set<string>();
  for (const [id, h] of history.steps) {
    if (h.status === 'succeeded') succeeded.add(id);
    if (h.status === 'skipped') skipped.add(id);
  }
  return { succeeded, skipped };
}
