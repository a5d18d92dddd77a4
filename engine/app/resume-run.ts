import type { ExecutionPlan } from '../model/execution.js';
import { assertTrustedJournal } from '../run/replay-decisions.js';
import { RunHistory, type RunState } from '../run/run-history.js';
import type { FileStore } from '../store/file-store.js';
import type { RecordData, RunJournal } from '../store/journal.js';
import { loadRunPlan, planKeys, type RunPlanCode } from './load-run-plan.js';
import type { CheckedPlan } from './read-plans.js';
import { describeUnstarted } from './unstarted-run.js';

/**
 * Why a run is not resumed: NOT_STARTED (its journal has no start record), ALREADY_ENDED,
 * PLAN_CHANGED (the plan file changed since the start, and that was not accepted), and the
 * codes of a plan that cannot be had again.
 */
export type ResumeRunCode = 'RESUMED' | 'NOT_STARTED' | 'ALREADY_ENDED' | 'PLAN_CHANGED' | RunPlanCode;

export type ResumeRunOutcome =
  /** The run holds its lock and has its `run.resumed` record: `journal` is the caller's to drive (app/drive-run.ts) and close. */
  | { outcome: 'resumed'; code: 'RESUMED'; message: string; journal: RunJournal; started: RecordData['run.started']; exec: ExecutionPlan; checked: CheckedPlan }
  | { outcome: 'ended'; code: 'ALREADY_ENDED'; message: string; state: RunState }
  | { outcome: 'refused'; code: 'NOT_STARTED' | 'PLAN_CHANGED' | RunPlanCode; message: string; hint?: string; checked?: CheckedPlan };

export interface ResumeRunOptions {
  /** Where a relative plan path recorded at start is taken from. */
  cwd: string;
  /** Who resumes (recorded). */
  by: string;
  engineVersion: string;
  /** Go on with a plan file changed since the start (recorded in `run.resumed`). */
  forcePlan: boolean;
  /** Told when a changed plan is accepted, before anything is written. */
  warn?: (message: string) => void;
}

/**
 * Takes a run up again from its journal: the run's lock, its plan resolved again, every decision
 * in the journal checked as it was live, and a `run.resumed` record. Nothing is written unless
 * the outcome is RESUMED. A store that refuses (no such run, a lock held, a damaged or untrusted
 * journal) still throws.
 *
 * @example
 * const resumed = await resumeRun(store, runId, { cwd, by: 'alice', engineVersion, forcePlan: false });
 * if (resumed.outcome === 'resumed') await driveRun({ ...resumed, ... });
 */
export async function resumeRun(store: FileStore, runId: string, o: ResumeRunOptions): Promise<ResumeRunOutcome> {
  const journal = await store.open(runId);
  try {
    const resumed = await resumeOpened(store, runId, journal, o);
    if (resumed.outcome !== 'resumed') await journal.close();
    return resumed;
  } catch (error) {
    await journal.close().catch(() => undefined);
    throw error;
  }
}

async function resumeOpened(store: FileStore, runId: string, journal: RunJournal, o: ResumeRunOptions): Promise<ResumeRunOutcome> {
  const history = RunHistory.of(journal.records());
  const started = history.started;
  if (!started) return { outcome: 'refused', code: 'NOT_STARTED', message: `run ${runId} cannot be resumed: ${describeUnstarted(runId, journal.records()).text}` };
  if (history.ended) return { outcome: 'ended', code: 'ALREADY_ENDED', message: `run ${runId} already ended: ${history.ended.state}. Nothing to resume.`, state: history.ended.state };
  const loaded = loadRunPlan(o.cwd, started);
  if (loaded.outcome === 'refused') return loaded;
  const { exec, checked, changed } = loaded;
  if (changed && !o.forcePlan) {
    return {
      outcome: 'refused',
      code: 'PLAN_CHANGED',
      message: `${started.planFile} changed since run ${runId} started (digest ${changed.previousDigest.slice(0, 12)}… → ${changed.digest.slice(0, 12)}…).`,
      hint: 'Resuming with a different plan can run steps the run never planned. Restore the original (git) or pass --force-plan to accept the change; it will be recorded.',
    };
  }
  if (changed) o.warn?.(`resuming run ${runId} with a changed plan (--force-plan); recorded in the journal`);
  // Before anything is written: every decision in the journal must pass the checks it passed live.
  assertTrustedJournal(runId, store.journalFile(runId), journal.records(), { exec, keys: planKeys(checked, exec) });
  await journal.append(
    [{ type: 'run.resumed', data: { by: o.by, engineVersion: o.engineVersion, pid: process.pid, ...(changed ? { planChanged: changed } : {}) } }],
    started.simulated ? (journal.records().at(-1)?.time ?? Date.now()) : Date.now(),
  );
  return { outcome: 'resumed', code: 'RESUMED', message: `run ${runId} · plan ${started.plan} · mode ${started.mode} · resumed from ${journal.records().length} records`, journal, started, exec, checked };
}
