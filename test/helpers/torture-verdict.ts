/**
 * The verdict on one tortured run: every invariant of its end against the uninterrupted run of
 * the same plan and mode, and against the effect ledger (what really happened, whatever the
 * journal says). Returns the problems found; none means the run survived its disruptions.
 */
import { join } from 'node:path';
import type { Reference } from './torture-cli.js';
import type { TortureCase, TortureOutcome } from './torture-harness.js';
import { checkFinalFailuresStay, checkInDoubtHandling, checkPausesWaitForOperator, completedSteps } from './torture-invariants.js';
import { effectCounts, readLedger } from './torture-ledger.js';
import { tortureSteps } from './torture-plan.js';
import { problem, type Problem } from './torture-problems.js';

export function judgeOutcome(c: TortureCase, out: TortureOutcome, ref: Reference, dir: string): Problem[] {
  const problems: Problem[] = [...out.problems];
  if (out.runId === null) return problems;
  const steps = tortureSteps(c.shape, c.mode);
  const effects = effectCounts(readLedger(join(dir, 'ledger'), out.runId));

  // No effect twice: this needs only the ledger, so it is judged even when the journal broke.
  for (const [id, n] of effects) if (n > 1) problems.push(problem('DUPLICATED_EFFECT', `the effect of ${id} happened ${n} times`));

  if (out.verified && !out.verified.intact && !problems.some((p) => p.kind === 'BROKEN_JOURNAL')) {
    problems.push(problem('BROKEN_JOURNAL', `drplan verify rejects the final journal: ${out.verified.detail}`));
  }
  const history = out.history;
  if (!history || problems.some((p) => p.kind === 'BROKEN_JOURNAL' || p.kind === 'STUCK')) return problems;

  // Same end as the uninterrupted run: run state, exit code, and the steps that completed.
  if (out.state !== ref.state) problems.push(problem('WRONG_END', `final state ${out.state}, uninterrupted run: ${ref.state}`));
  if (out.exitCode !== ref.exitCode) problems.push(problem('WRONG_END', `final exit ${out.exitCode}, uninterrupted run: ${ref.exitCode}`));
  const { succeeded, skipped } = completedSteps(history);
  const skippedByOperator = new Set(out.decisions.filter((d) => d.decision === 'skip').map((d) => d.stepId));
  for (const id of skipped) if (!skippedByOperator.has(id)) problems.push(problem('WRONG_END', `step ${id} was skipped, but no operator skipped it`));
  const completed = new Set([...succeeded, ...skipped]);
  const notDone = [...ref.succeeded].filter((id) => !completed.has(id));
  const extra = [...completed].filter((id) => !ref.succeeded.has(id));
  if (notDone.length > 0) problems.push(problem('MISSING_EFFECT', `steps that succeeded uninterrupted but did not complete: ${notDone.join(', ')}`));
  if (extra.length > 0) problems.push(problem('WRONG_END', `steps that completed but did not in the uninterrupted run: ${extra.join(', ')}`));

  // The ledger: none lost, none done by a step the run does not count as done.
  for (const [id, n] of effects) if (n > 0 && !completed.has(id)) problems.push(problem('UNTRACKED_EFFECT', `the effect of ${id} happened, but the run does not count it as done`));
  for (const id of completed) {
    if (steps.get(id)?.ledger && (effects.get(id) ?? 0) === 0) problems.push(problem('MISSING_EFFECT', `step ${id} completed but its effect is not in the ledger`));
  }
  for (const d of out.decisions) {
    if (d.decision === 'retry' && steps.get(d.stepId)?.ledger && d.effects > 0) problems.push(problem('HARNESS', `retried ${d.stepId} whose effect had happened`));
  }

  // In-doubt attempts: pause unless idempotent; a pause waits for its operator; failures stay failed.
  const idempotent = (id: string) => steps.get(id)?.idempotent ?? false;
  for (const p of [...checkInDoubtHandling(out.records, idempotent), ...checkPausesWaitForOperator(out.records), ...checkFinalFailuresStay(out.records)]) problems.push(problem('IN_DOUBT', p));
  for (const [stepId, message] of out.pauseMessages) {
    const says = [`step "${stepId}"`, `drplan retry ${out.runId} ${stepId}`, `drplan skip ${out.runId} ${stepId}`, 'Check whether', `key ${out.runId}:${stepId}:`];
    for (const s of says) if (!message.includes(s)) problems.push(problem('PAUSE_MESSAGE', `the pause message of ${stepId} does not say ${JSON.stringify(s)}: ${message}`));
  }

  // No engine holds the run; a dead engine's lock was taken over openly.
  if (out.lockLeft) problems.push(problem('LOCK_LEFT', 'the run lock is still there after the last engine exited'));
  for (const t of out.takeovers) if (!t.warned) problems.push(problem('TAKEOVER_UNANNOUNCED', `a resume took over the lock of dead pid ${t.deadPid ?? '?'} without saying so`));
  return problems;
}

/** The problems with the case and its transcript, for an assertion message or a log. */
export function describeFailure(c: TortureCase, out: TortureOutcome | null, problems: readonly Problem[]): string {
  return [
    ...problems.map((p) => `- ${p.kind}: ${p.detail}`),
    `--- case: ${JSON.stringify(c)}`,
    ...(out ? ['--- transcript:', ...out.transcript] : []),
  ].join('\n');
}
