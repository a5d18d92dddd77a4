import type { JournalRecord } from '../store/journal.js';

/**
 * Why a journal has no start record, and what to do. Empty: drplan stopped before writing it (an
 * older drplan created the journal first) — a run that never started, which `discard` removes.
 * Records without a start: not a journal drplan began; `verify` is where to look.
 */
export function describeUnstarted(runId: string, records: readonly JournalRecord[]): { state: 'never-started' | 'no-start-record'; text: string } {
  if (records.length === 0) {
    return {
      state: 'never-started',
      text: `its journal is empty: drplan stopped before the run's start record was written, so no step of the plan ran and there is nothing to resume. \`drplan discard ${runId}\` removes it.`,
    };
  }
  return {
    state: 'no-start-record',
    text: `its journal has ${records.length} record${records.length === 1 ? '' : 's'} but does not begin with the run's start record (the first is ${records[0]!.type}); it is not a run drplan can show or resume. \`drplan verify ${runId}\` checks it; keep the file for investigation.`,
  };
}
