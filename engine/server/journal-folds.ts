import { RunHistory } from '../run/run-history.js';
import type { FileStore } from '../store/file-store.js';
import { awaitOutcome, submitRequest, withdrawRequest } from '../store/inbox.js';
import { RunLockedError } from '../store/run-lock.js';
import { foldedRecord, type FoldedRefusals } from './refusal-guard.js';

/**
 * Journals a fold of refused decisions the way a decision is recorded: directly when nobody holds
 * the run, through its inbox when an engine drives it (it alone writes the journal). `busy`: the
 * run is held by a process that took nothing from its inbox (a command recording its own request
 * for a moment); try again later. A run that has ended keeps its terminal record last, and a run
 * that is gone or damaged cannot take records: the fold is dropped (its first refusals are there).
 */
export async function journalFold(store: FileStore, folded: FoldedRefusals, now: number): Promise<'written' | 'dropped' | 'busy'> {
  const data = foldedRecord(folded);
  let journal;
  try {
    journal = await store.open(folded.runId);
  } catch (error) {
    if (!(error instanceof RunLockedError)) return 'dropped';
    const runDir = store.runDir(folded.runId);
    const id = submitRequest(runDir, { type: 'refusals', record: data });
    if (await awaitOutcome(runDir, id, 2_000)) return 'written';
    // Still there: nobody reads this inbox now. Gone: an engine took it just now and will answer.
    return withdrawRequest(runDir, id) ? 'busy' : 'written';
  }
  try {
    const records = journal.records();
    const history = RunHistory.of(records);
    if (history.ended) return 'dropped';
    // The run's clock: in a dry-run that is simulated time, carried by its last record.
    await journal.append([{ type: 'request.refused', data }], history.started?.simulated ? (records.at(-1)?.time ?? now) : now);
    return 'written';
  } finally {
    await journal.close();
  }
}
