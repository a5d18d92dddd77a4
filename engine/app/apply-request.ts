import { judgeRequest, type OperatorRequest } from '../run/operator-requests.js';
import { assertTrustedJournal } from '../run/replay-decisions.js';
import { RunHistory } from '../run/run-history.js';
import type { FileStore } from '../store/file-store.js';
import { awaitOutcome, submitRequest, withdrawRequest } from '../store/inbox.js';
import type { RunJournal } from '../store/journal.js';
import { RunLockedError } from '../store/run-lock.js';
import { loadRunPlan, planKeys, type RunPlanCode } from './load-run-plan.js';
import type { CheckedPlan } from './read-plans.js';

/**
 * What became of a request. Taken: APPLIED (the engine driving the run accepted it), HANDED (that
 * engine took it and has not answered yet), RECORDED (no engine drives the run: judged and
 * journaled here). Not taken: REFUSED (judged and refused), RUN_HELD (the run's lock is held by a
 * process that neither answers nor lets go: nothing was recorded), NO_START_RECORD, and the plan
 * codes (the run's plan cannot be had again to judge by).
 */
export type ApplyRequestCode = TakenCode | NotTakenCode;
export type TakenCode = 'APPLIED' | 'HANDED' | 'RECORDED';
export type NotTakenCode = 'REFUSED' | 'RUN_HELD' | 'NO_START_RECORD' | RunPlanCode;

export type ApplyRequestOutcome =
  | { outcome: 'taken'; code: TakenCode; message: string }
  /** `checked` comes with PLAN_INVALID: the plan as read, whose diagnostics say why. */
  | { outcome: 'refused'; code: NotTakenCode; message: string; hint?: string; checked?: CheckedPlan };

/** How long a run held by a silent process is tried again before RUN_HELD. */
const HELD_FOR_MS = 15_000;

/**
 * Applies an operator request or a decision to a run: through the inbox of the engine driving it,
 * or, when none does, judged against the journal and recorded here (`drplan resume` carries the
 * run on). The one way requests reach runs, for the CLI and the server alike. A store that
 * refuses (no such run, a damaged or untrusted journal) still throws.
 *
 * @example
 * const applied = await applyRequest(store, runId, { type: 'cancel', by: 'alice' }, { cwd: process.cwd() });
 * if (applied.outcome === 'refused') console.error(applied.code, applied.message);
 */
export async function applyRequest(store: FileStore, runId: string, request: OperatorRequest, o: { cwd: string }): Promise<ApplyRequestOutcome> {
  const runDir = store.runDir(runId);
  const until = Date.now() + HELD_FOR_MS;
  for (;;) {
    let journal;
    try {
      journal = await store.open(runId);
    } catch (error) {
      if (!(error instanceof RunLockedError)) throw error;
      // Someone holds the run: an engine driving it (it will answer through the inbox), or another
      // command recording its own decision (it lets go within moments; then try the lock again).
      const id = submitRequest(runDir, request);
      const outcome = await awaitOutcome(runDir, id, 2_000);
      if (outcome) {
        if (!outcome.accepted) return { outcome: 'refused', code: 'REFUSED', message: outcome.message };
        return { outcome: 'taken', code: 'APPLIED', message: `${describe(request)}: applied by the engine driving run ${runId}` };
      }
      if (!withdrawRequest(runDir, id)) {
        // Taken just now: the engine has it and will answer.
        const late = await awaitOutcome(runDir, id, 10_000);
        if (late && !late.accepted) return { outcome: 'refused', code: 'REFUSED', message: late.message };
        return { outcome: 'taken', code: 'HANDED', message: `${describe(request)}: handed to the engine driving run ${runId}` };
      }
      if (Date.now() > until) {
        return {
          outcome: 'refused',
          code: 'RUN_HELD',
          message: `run ${runId} is held by pid ${error.holder.pid} on ${error.holder.host}, which neither answers nor lets go; nothing was recorded. Try again.`,
        };
      }
      continue;
    }
    return recordDirectly(runId, store.journalFile(runId), journal, request, o.cwd);
  }
}

/** No engine drives the run: judge the request against the journal and record it here. */
async function recordDirectly(runId: string, journalFile: string, journal: RunJournal, request: OperatorRequest, cwd: string): Promise<ApplyRequestOutcome> {
  try {
    const history = RunHistory.of(journal.records());
    if (!history.started) return { outcome: 'refused', code: 'NO_START_RECORD', message: `run ${runId} has no start record` };
    const loaded = loadRunPlan(cwd, history.started);
    if (loaded.outcome === 'refused') return loaded;
    const { exec, checked } = loaded;
    const time = history.started.simulated ? (journal.records().at(-1)?.time ?? Date.now()) : Date.now();
    const keys = planKeys(checked, exec);
    // A journal with a decision that does not count is not added to (not even a refusal).
    assertTrustedJournal(runId, journalFile, journal.records(), { exec, keys });
    const verdict = judgeRequest(exec, history, request, { requireSignatures: !history.started.dryRun, keys, now: time });
    if (!verdict.ok) {
      if (!history.ended) await journal.append([{ type: 'request.refused', data: { request: { ...request }, reason: verdict.refusal } }], time);
      return { outcome: 'refused', code: 'REFUSED', message: verdict.refusal };
    }
    await journal.append(verdict.records, time);
    return { outcome: 'taken', code: 'RECORDED', message: `${describe(request)}: recorded. No engine is driving run ${runId}; \`drplan resume ${runId}\` carries it on.` };
  } finally {
    await journal.close();
  }
}

function describe(r: OperatorRequest): string {
  return r.type === 'cancel' ? `cancel by ${r.by}` : `${r.type} of ${r.stepId} by ${r.by}`;
}
