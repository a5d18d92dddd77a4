import type { KeyObject } from 'node:crypto';
import { join } from 'node:path';
import type { Command } from 'commander';
import type { ExecutionPlan } from '../../model/execution.js';
import { formatStatusText, journalStatusJson } from '../../report/run-report-status.js';
import { summarizeRun } from '../../report/run-summary.js';
import { replayJournal, type UntrustedRecord } from '../../run/replay-decisions.js';
import { RunHistory } from '../../run/run-history.js';
import { runStatusJson } from '../../run/run-status.js';
import type { FileStore } from '../../store/file-store.js';
import type { JournalRecord } from '../../store/journal.js';
import { drivingEngine, type LockHolder } from '../../store/run-lock.js';
import { EXIT, paint, useColor, UsageError, type CliIo } from '../io.js';
import { loadRunPlan, planKeys } from '../../app/load-run-plan.js';
import { formatOption, type OutputFormat } from '../options.js';
import { openStateStore, STATE_OPTION } from '../state-dir.js';
import { describeUnstarted } from '../../app/unstarted-run.js';

/** `drplan status [run-id]`: where a run stands, from its journal. Exit 0 succeeded or running, 1 failed, cancelled or never started, 3 waiting or paused. */
export function registerStatus(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('status')
    .description('where a run stands: state, what it waits on and who may act, every step (exit 0 succeeded/running, 1 failed/cancelled/never started, 3 waiting/paused)')
    .argument('[run-id]', 'the run (default: the newest)')
    .option(...STATE_OPTION)
    .addOption(formatOption(['text', 'json']))
    .action(async (runIdArg: string | undefined, options: { state?: string; format: OutputFormat }) => {
      const store = openStateStore(io, options.state);
      const runId = runIdArg ?? (await newestRun(store));
      const run = inspectRun(io, store, runId);
      // A journal without its start record is no run: nothing of a plan ran, and nothing can resume it.
      if (!run.history.started) {
        const unstarted = describeUnstarted(runId, run.records);
        if (options.format === 'json') io.stdout(JSON.stringify({ runId, plan: null, mode: null, state: unstarted.state, records: run.records.length, steps: [], waitingOn: [], message: unstarted.text }, null, 2) + '\n');
        else io.stdout(`run ${runId}: ${unstarted.state === 'never-started' ? 'never started' : 'no start record'}\n  ${unstarted.text}\n`);
        return setExit(EXIT.failed);
      }
      const now = Date.now();
      if (options.format === 'json') {
        const json = run.exec ? runStatusJson(run.exec, run.history) : journalStatusJson(run.history, run.planUnavailable ?? 'the plan is unavailable');
        const untrusted = run.untrusted.map((u) => ({ line: u.seq, type: u.type, reason: u.reason }));
        io.stdout(JSON.stringify(untrusted.length > 0 ? { ...json, untrusted } : json, null, 2) + '\n');
      } else {
        const facts = summarizeRun(run.records, run.exec, { now, untrusted: run.untrusted });
        io.stdout(formatStatusText(facts, { now, engine: engineOf(store.runDir(runId)), planUnavailable: run.planUnavailable, planChanged: run.planChanged }, paint(useColor(io))));
      }
      // A journal with records that do not count cannot be resumed: not a run in good standing.
      setExit(run.untrusted.length > 0 ? EXIT.failed : exitFor(run.history.state));
    });
}

/** A run read for inspection: its records, and its plan resolved again when that still works. */
export interface InspectedRun {
  runId: string;
  records: JournalRecord[];
  history: RunHistory;
  exec: ExecutionPlan | null;
  /** Why there is no `exec`: the report/status then speaks from the journal alone. */
  planUnavailable: string | null;
  planChanged: { previousDigest: string; digest: string } | null;
  /** Records that do not count when the journal is replayed (engine/run/replay-decisions.ts); `history` leaves them out. */
  untrusted: UntrustedRecord[];
}

/**
 * Reads a run without taking its lock (an engine may be driving it). A damaged journal throws
 * (`drplan verify` shows where); a plan file that is gone or no longer valid does not.
 */
export function inspectRun(io: CliIo, store: FileStore, runId: string): InspectedRun {
  const file = store.journalFile(runId);
  const read = store.read(runId);
  if (read.tornTail) io.stderr(`drplan: warning: ${file}:${read.tornTail.line}: the last record is incomplete (being written, or drplan stopped while writing it); it is not shown\n`);
  const started = RunHistory.of(read.records.slice(0, 1)).started;
  let exec: ExecutionPlan | null = null;
  let keys: ReadonlyMap<string, KeyObject> | null = null;
  let planUnavailable: string | null = null;
  let planChanged: InspectedRun['planChanged'] = null;
  if (!started) planUnavailable = 'the journal has no start record';
  else {
    try {
      // The plan's own diagnostics belong to `drplan validate`, not to a status page.
      const loaded = loadRunPlan(io.cwd, started);
      if (loaded.outcome === 'refused') planUnavailable = loaded.message;
      else {
        exec = loaded.exec;
        keys = planKeys(loaded.checked, loaded.exec);
        planChanged = loaded.changed;
      }
    } catch (error) {
      planUnavailable = `the plan could not be read again (${error instanceof Error ? error.message : String(error)})`;
    }
  }
  // Decisions count as they would on resume: a forged one is not shown as a decision.
  const { history, untrusted } = replayJournal(read.records, { exec, keys });
  if (untrusted.length > 0) io.stderr(`drplan: warning: ${file}: ${untrusted.length} record${untrusted.length === 1 ? '' : 's'} that no live decision could have produced ${untrusted.length === 1 ? 'is' : 'are'} left out (\`drplan verify ${runId}\` lists ${untrusted.length === 1 ? 'it' : 'them'}); the run cannot be resumed\n`);
  return { runId, records: read.records, history, exec, planUnavailable, planChanged, untrusted };
}

export async function newestRun(store: FileStore): Promise<string> {
  const newest = (await store.list())[0];
  if (!newest) throw new UsageError(`no runs in ${store.dir}`, 'start one with `drplan run <plan> --mode <mode>`, or point --state (or DRPLAN_STATE) at the directory that holds your runs');
  return newest.runId;
}

/** The engine driving a run, if any: the holder of its lock, unless that process is gone. */
export function engineOf(runDir: string): LockHolder | null {
  return drivingEngine(join(runDir, 'lock'));
}

function exitFor(state: RunHistory['state']): number {
  if (state === 'failed' || state === 'cancelled') return EXIT.failed;
  if (state === 'waiting' || state === 'paused') return EXIT.waiting;
  return EXIT.ok;
}
