import { setMaxListeners } from 'node:events';
import PQueue from 'p-queue';
import type { BatchActorInput, NodeOutcome } from '../compile/compile-plan.js';
import { stoppedByAbort, type RunRuntime } from './run-runtime.js';
import { executeStep } from './step-executor.js';

/**
 * Fans a group's work out inside one actor: each unit (one VM's operations, or one VM's copy of
 * a `forEach` step) holds one slot of the group's concurrency, longest estimate first, which
 * keeps the makespan close to the ideal. When a unit aborts, nothing new starts, but units
 * already running finish: a promotion is never torn in half.
 */
export async function runBatch(rt: RunRuntime, input: BatchActorInput, signal: AbortSignal): Promise<NodeOutcome> {
  const concurrency = Math.max(1, rt.exec.pools[input.pool] ?? input.units.length);
  const estimate = (unit: string[]) => unit.reduce((sum, id) => sum + (rt.steps.get(id)?.estimateMs ?? 0), 0);
  const units = input.units.map((unit, order) => ({ unit, order, estimate: estimate(unit) }));
  units.sort((a, b) => b.estimate - a.estimate || a.order - b.order);

  // Every unit's operations listen on this one signal; hundreds at once are expected, not a leak.
  setMaxListeners(Math.max(10, units.length * 4), signal);
  const queue = new PQueue({ concurrency });
  // Held in an object: the queued closures update them.
  const seen: { abort: NodeOutcome | null; markFailed: NodeOutcome | null } = { abort: null, markFailed: null };
  const cleanupPhase = input.units[0]?.[0] !== undefined && rt.steps.get(input.units[0][0])?.phase === 'cleanup';

  for (const { unit } of units) {
    void queue.add(async () => {
      // Nothing new starts once this batch or any other lane is aborting the run.
      const first = rt.steps.get(unit[0] ?? '');
      if (seen.abort || signal.aborted || (first && stoppedByAbort(rt, first))) {
        seen.abort ??= { status: 'abort' };
        return;
      }
      for (const id of unit) {
        if (cleanupPhase && (await nothingToClean(rt, id))) return;
        const outcome = await executeStep(rt, id, signal);
        if (outcome.status === 'abort') {
          // Keep the failure that caused the abort, not a step that merely stopped because of it.
          const current = seen.abort as NodeOutcome | null; // other units may have set it meanwhile
          seen.abort = current?.failedStep ? current : outcome;
          return;
        }
        if (outcome.markFailed) seen.markFailed ??= outcome;
      }
    });
  }
  await queue.onIdle();
  if (seen.abort) return seen.abort;
  return seen.markFailed ?? { status: 'ok' };
}

/** A VM whose test copy was never started has nothing to clean up; say so in the journal. */
async function nothingToClean(rt: RunRuntime, stepId: string): Promise<boolean> {
  const step = rt.steps.get(stepId);
  if (step?.operation !== 'cleanupTest') return false;
  const created = rt.history.step(`${step.group}/${step.vm}/testFailover`);
  if (created.attempts > 0) return false;
  if (rt.history.step(stepId).status === 'skipped') return true;
  await rt.record([{ type: 'step.skipped', data: { stepId, reason: 'no test copy was created for this VM' } }]);
  return true;
}
