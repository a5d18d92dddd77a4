import { dirname, join } from 'node:path';
import pino from 'pino';
import type { SimulatorFault } from '../../adapters/simulator/index.js';
import type { ExecutionPlan } from '../model/execution.js';
import { systemClock } from '../run/clock.js';
import { createWaitingNotifier } from './notify-waiting.js';
import { openAdapters } from './open-adapters.js';
import { startRun, type RunHandle, type RunResult } from '../run/run-plan.js';
import { SimulatedClock } from '../run/simulated-clock.js';
import type { JournalRecord, RecordData, RunJournal } from '../store/journal.js';
import { activeAdapters } from './active-adapters.js';
import type { CheckedPlan } from './read-plans.js';

export interface DriveRunOptions {
  exec: ExecutionPlan;
  checked: CheckedPlan;
  journal: RunJournal;
  runDir: string;
  /** A new run's first record; absent when resuming. */
  start?: RecordData['run.started'];
  dryRun: boolean;
  faults: { fault: SimulatorFault; instance?: string }[];
  seed: number;
  /** Stop (leaving the journal resumable) as soon as only people can move the run on. */
  stopWhenWaiting: boolean;
  /** The environment adapters and notifications read (credentials, webhook secrets). */
  env: Readonly<Record<string, string | undefined>>;
  /** The journal's file, named in errors. */
  journalFile?: string;
  /** Every record: first those already in the journal (a resume), then each as it is appended. */
  onRecord?: (record: JournalRecord) => void;
  /** Called once a new run's start record is durable (before any step begins). */
  onStarted?: () => void;
}

/** A run under way: its controls, its end, and what must be let go of once it ends. */
export interface DrivenRun {
  control: RunHandle['control'];
  result: Promise<RunResult>;
  /** Waits for notifications in flight, closes the adapters and the journal, flushes the log. */
  close(): Promise<void>;
}

/**
 * Sets a run (new or resumed) going: the clock (simulated for a dry-run, carrying on from where
 * its journal stopped), the run's log, its adapters, its notifications, and the engine. The one
 * place a run is put together; the caller follows it and calls `close` once `result` settles.
 *
 * @example
 * const run = await driveRun({ exec, checked, journal, runDir, start, dryRun: true, faults: [], seed: 1, stopWhenWaiting: true, env: process.env });
 * try { await run.result; } finally { await run.close(); }
 */
export async function driveRun(o: DriveRunOptions): Promise<DrivenRun> {
  const logDestination = pino.destination({ dest: join(o.runDir, 'log.jsonl'), sync: false, append: true });
  const logger = pino({ base: null, timestamp: pino.stdTimeFunctions.isoTime }, logDestination);
  const lastTime = o.journal.records().at(-1)?.time;
  const clock = o.dryRun ? new SimulatedClock(lastTime ?? Date.now()) : systemClock;
  const planDir = dirname(o.checked.path);
  const opened = await openAdapters(o.exec.plan, { dryRun: o.dryRun, faults: o.faults, seed: o.seed, clock, logger, env: o.env, planDir, adapters: activeAdapters().extra });
  for (const r of o.journal.records()) o.onRecord?.(r);
  const notifier = createWaitingNotifier(o.exec, o.journal.runId, { clock, logger, env: o.env, dryRun: o.dryRun });

  const run = startRun({
    exec: o.exec,
    journal: o.journal,
    adapters: opened.adapters,
    shell: opened.shell,
    clock,
    logger,
    stopWhenWaiting: o.stopWhenWaiting,
    inboxDir: o.runDir,
    planDir,
    ...(o.journalFile ? { journalFile: o.journalFile } : {}),
    where: (pointer) => {
      const at = o.checked.source?.locate(pointer);
      return at ? `${o.checked.file}:${at.line}:${at.col}` : o.checked.file;
    },
    onRecord: (r) => {
      if (r.type === 'run.started') o.onStarted?.();
      o.onRecord?.(r);
      notifier.onRecord(r);
    },
    ...(o.start ? { start: o.start } : {}),
  });
  return {
    control: run.control,
    result: run.result,
    async close() {
      await notifier.settle();
      await opened.close();
      await o.journal.close();
      logDestination.flushSync();
    },
  };
}
