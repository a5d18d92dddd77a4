import { join } from 'node:path';
import { driveRun, type DriveRunOptions } from '../app/drive-run.js';
import { formatDuration } from '../model/duration.js';
import { runStatusJson } from '../run/run-status.js';
import type { JournalRecord } from '../store/journal.js';
import { EXIT, paint, useColor, type CliIo } from './io.js';
import { RunProgress } from './run-progress.js';
import { actingPrincipal } from './state-dir.js';

export type FollowOptions = Omit<DriveRunOptions, 'stopWhenWaiting' | 'env' | 'onRecord'> & {
  /** Return as soon as the run waits for people (exit 3) instead of waiting. */
  detach: boolean;
  json: boolean;
};

/**
 * Follows a run (new or resumed, app/drive-run.ts) to its end or to a wait, printing progress,
 * and returns the exit code: 0 succeeded, 1 failed or cancelled, 3 waiting or paused. Ctrl-C
 * cancels it.
 */
export async function followRun(io: CliIo, o: FollowOptions): Promise<number> {
  const p = paint(useColor(io));
  const { detach, json, ...drive } = o;
  const progress = json ? null : new RunProgress(io, o.exec, p, io.isTTY && !io.env.CI);
  const run = await driveRun({
    ...drive,
    stopWhenWaiting: detach || o.dryRun,
    env: io.env,
    ...(progress ? { onRecord: (r: JournalRecord) => progress.onRecord(r) } : {}),
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
    await run.close();
  }
  progress?.end();

  if (json) {
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
