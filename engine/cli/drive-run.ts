import { dirname, join } from 'node:path';
import pino from 'pino';
import type { SimulatorFault } from '../../adapters/simulator/index.js';
import { formatDuration } from '../model/duration.js';
import type { ExecutionPlan } from '../model/execution.js';
import { systemClock } from '../run/clock.js';
import { createWaitingNotifier } from '../run/notify-waiting.js';
import { activeAdapters } from '../app/active-adapters.js';
import { openAdapters } from '../run/open-adapters.js';
import { startRun } from '../run/run-plan.js';
import { runStatusJson } from '../run/run-status.js';
import { SimulatedClock } from '../run/simulated-clock.js';
import type { RecordData, RunJournal } from '../store/journal.js';
import { EXIT, paint, useColor, type CliIo } from './io.js';
import type { CheckedPlan } from '../app/read-plans.js';
import { RunProgress } from './run-progress.js';
import { actingPrincipal } from './state-dir.js';

export interface DriveOptions {
  exec: ExecutionPlan;
  checked: CheckedPlan;
  journal: RunJournal;
  runDir: string;
  /** A new run's first record; absent when resuming. */
  start?: RecordData['run.started'];
  /** Called once a new run's start record is durable (before any step begins). */
  onStarted?: () => void;
  dryRun: boolean;
  faults: { fault: SimulatorFault; instance?: string }[];
  seed: number;
  detach: boolean;
  json: boolean;
  /** The journal's file, named in errors. */
  journalFile?: string;
}

/**
 * Drives a run (new or resumed) to its end or to a wait, printing progress, and returns the exit
 * code: 0 succeeded, 1 failed or cancelled, 3 waiting or paused.
 */
export async function driveRun(io: CliIo, o: DriveOptions): Promise<number> {
  const p = paint(useColor(io));
  const logDestination = pino.destination({ dest: join(o.runDir, 'log.jsonl'), sync: false, append: true });
  const logger = pino({ base: null, timestamp: pino.stdTimeFunctions.isoTime }, logDestination);
  // A dry-run's time is simulated; a resumed dry-run carries on from where its journal stopped.
  const lastTime = o.journal.records().at(-1)?.time;
  const clock = o.dryRun ? new SimulatedClock(lastTime ?? Date.now()) : systemClock;
  const opened = await openAdapters(o.exec.plan, { dryRun: o.dryRun, faults: o.faults, seed: o.seed, clock, logger, env: io.env, planDir: dirname(o.checked.path), adapters: activeAdapters().extra });
  const progress = o.json ? null : new RunProgress(io, o.exec, p, io.isTTY && !io.env.CI);
  for (const r of o.journal.records()) progress?.onRecord(r);
  const notifier = createWaitingNotifier(o.exec, o.journal.runId, { clock, logger, env: io.env, dryRun: o.dryRun });

  const run = startRun({
    exec: o.exec,
    journal: o.journal,
    adapters: opened.adapters,
    shell: opened.shell,
    clock,
    logger,
    stopWhenWaiting: o.detach || o.dryRun,
    inboxDir: o.runDir,
    planDir: dirname(o.checked.path),
    ...(o.journalFile ? { journalFile: o.journalFile } : {}),
    where: (pointer) => {
      const at = o.checked.source?.locate(pointer);
      return at ? `${o.checked.file}:${at.line}:${at.col}` : o.checked.file;
    },
    onRecord: (r) => {
      if (r.type === 'run.started') o.onStarted?.();
      progress?.onRecord(r);
      notifier.onRecord(r);
    },
    ...(o.start ? { start: o.start } : {}),
  });
  const stopInterrupt = io.onInterrupt?.(() => {
    io.stderr('\ndrplan: cancelling the run (cleanup and onFailure still run); press Ctrl-C again to leave it to `drplan resume`\n');
    stopInterrupt?.();
    void run.control.cancel(actingPrincipal(io), 'interrupted (Ctrl-C)').catch(() => undefined);
  });
  let result;
  try {
    result = await run.result;
  } finally {
    stopInterrupt?.();
    await notifier.settle();
    await opened.close();
    await o.journal.close();
    logDestination.flushSync();
  }
  progress?.end();

  if (o.json) {
    io.stdout(JSON.stringify(runStatusJson(o.exec, result.history), null, 2) + '\n');
  } else {
    const started = result.history.started?.time ?? 0;
    const last = o.journal.records().at(-1)?.time ?? started;
    const elapsed = formatDuration(last - started);
    const rto = o.exec.objectives.rtoMs;
    const rtoText = rto === null ? '' : ` (RTO ${formatDuration(rto)}: ${last - started <= rto ? p.green('met') : p.red('missed')})`;
    const runId = o.journal.runId;
    if (result.state === 'succeeded') io.stdout(`${p.green('succeeded')} in ${elapsed}${o.dryRun ? ' simulated' : ''}${rtoText}\n`);
    else if (result.state === 'failed') io.stdout(`${p.red('failed')} after ${elapsed}${result.failure?.stepId ? ` at step ${result.failure.stepId}` : ''}: ${result.failure?.error ?? 'see the log'}\n`);
    else if (result.state === 'cancelled') io.stdout(`${p.yellow('cancelled')} after ${elapsed}\n`);
    else {
      io.stdout(`${p.yellow(result.state)} on ${result.history.waitingOn.join(', ')}\n`);
      io.stdout(nextSteps(result.state, runId, result.history.waitingOn, o.dryRun) + '\n');
    }
    io.stdout(p.dim(`log: ${join(o.runDir, 'log.jsonl')} · status: drplan status ${runId}\n`));
  }
  return result.state === 'succeeded' ? EXIT.ok : result.state === 'waiting' || result.state === 'paused' ? EXIT.waiting : EXIT.failed;
}

function nextSteps(state: string, runId: string, waitingOn: string[], dryRun: boolean): string {
  const lines = [`the run is saved; \`drplan resume ${runId}\` continues it.`];
  if (state === 'paused') lines.push(`an operator decides: drplan retry|skip ${runId} ${waitingOn[0] ?? '<step>'} --reason "..."`);
  if (dryRun) lines.push('in a dry-run, --auto-approve passes gates and manual steps as simulated.');
  return lines.join('\n');
}
