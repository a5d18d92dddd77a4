import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import pino from 'pino';
import { parseFaultOption, type SimulatorFault } from '../../../adapters/simulator/index.js';
import { systemClock } from '../../run/clock.js';
import { openAdapters } from '../../run/open-adapters.js';
import { startRun } from '../../run/run-plan.js';
import { runStatusJson } from '../../run/run-status.js';
import { SimulatedClock } from '../../run/simulated-clock.js';
import { MemoryStore } from '../../store/memory-store.js';
import { formatDuration } from '../../model/duration.js';
import { EXIT, paint, useColor, UsageError, type CliIo } from '../io.js';
import { formatOption, modeOption, paramOption, type ModeName, type OutputFormat } from '../options.js';
import { prepareExecution } from '../prepare-execution.js';
import { RunProgress } from '../run-progress.js';
import { DRPLAN_VERSION } from '../version.js';

interface RunOptions {
  mode: ModeName;
  param: Record<string, string>;
  dryRun?: boolean;
  detach?: boolean;
  autoApprove?: boolean;
  fault: string[];
  format: OutputFormat;
  state?: string;
  seed: string;
}

/** `drplan run <file> --mode M [--dry-run] ...`: starts a run and follows it. */
export function registerRun(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('run')
    .description('start a run of a plan; prints progress; waits at gates unless --detach')
    .argument('<file>', 'plan file')
    .addOption(modeOption(true))
    .addOption(paramOption())
    .option('--dry-run', 'replace every adapter with the simulator and run in simulated time')
    .option('--detach', 'return as soon as the run waits for people (exit 3) instead of waiting')
    .option('--auto-approve', 'dry-runs only: approve every gate and finish every manual step, recorded as simulated')
    .option('--fault <[instance.]operation[:vm][:times]>', 'dry-runs: make an operation fail (repeatable)', (v: string, prev: string[]) => [...prev, v], [] as string[])
    .option('--seed <n>', 'seed of simulated durations', '1')
    .option('--state <dir>', 'where runs are kept (default: $DRPLAN_STATE or .drplan/)')
    .addOption(formatOption(['text', 'json']))
    .action(async (file: string, options: RunOptions) => setExit(await runCommand(io, file, options)));
}

async function runCommand(io: CliIo, file: string, options: RunOptions): Promise<number> {
  const dryRun = Boolean(options.dryRun);
  if (options.autoApprove && !dryRun) {
    throw new UsageError('--auto-approve is only allowed with --dry-run', 'a real run is approved by the named approvers; add --dry-run to rehearse it with simulated approvals');
  }
  const faults: { fault: SimulatorFault; instance?: string }[] = [];
  for (const text of options.fault) {
    const parsed = parseFaultOption(text);
    if (!parsed.ok) throw new UsageError(`--fault ${text}: ${parsed.message}`);
    faults.push({ fault: parsed.fault, ...(parsed.instance ? { instance: parsed.instance } : {}) });
  }
  const seed = Number(options.seed);
  if (!Number.isSafeInteger(seed)) throw new UsageError(`--seed ${options.seed}: expected a whole number`);

  const prepared = prepareExecution(io, file, options.mode, options.param);
  if (!prepared.ok) return prepared.exit;
  const { exec, checked } = prepared;
  const p = paint(useColor(io));
  const json = options.format === 'json';

  const stateDir = resolve(io.cwd, options.state ?? io.env.DRPLAN_STATE ?? '.drplan');
  const runId = newRunId(exec.plan.name, Date.now());
  const runDir = join(stateDir, 'runs', runId);
  mkdirSync(runDir, { recursive: true });
  const logDestination = pino.destination({ dest: join(runDir, 'log.jsonl'), sync: false });
  const logger = pino({ base: null, timestamp: pino.stdTimeFunctions.isoTime }, logDestination);

  const clock = dryRun ? new SimulatedClock(Date.now()) : systemClock;
  const opened = await openAdapters(exec.plan, { dryRun, faults, seed, clock, logger, env: io.env });
  const store = new MemoryStore();
  const journal = await store.create(runId);
  const progress = json ? null : new RunProgress(io, exec, p, io.isTTY && !io.env.CI);

  if (!json) {
    io.stdout(`run ${p.bold(runId)} · plan ${exec.plan.name} · mode ${exec.mode}${dryRun ? ' · dry-run (simulated time)' : ''}\n`);
  }
  const run = startRun({
    exec,
    journal,
    adapters: opened.adapters,
    shell: opened.shell,
    clock,
    logger,
    stopWhenWaiting: Boolean(options.detach) || dryRun,
    where: (pointer) => {
      const at = checked.source?.locate(pointer);
      return at ? `${checked.file}:${at.line}:${at.col}` : checked.file;
    },
    onRecord: (r) => progress?.onRecord(r),
    start: {
      runId,
      plan: exec.plan.name,
      planFile: checked.file,
      planDigest: createHash('sha256').update(checked.bytes ?? '').digest('hex'),
      mode: exec.mode,
      params: exec.params,
      initiator: io.env.DRPLAN_PRINCIPAL ?? safeUser(),
      engineVersion: DRPLAN_VERSION,
      dryRun,
      autoApprove: Boolean(options.autoApprove),
      faults: options.fault,
      simulated: dryRun,
    },
  });
  const stopInterrupt = io.onInterrupt?.(() => {
    void run.control.cancel(io.env.DRPLAN_PRINCIPAL ?? safeUser(), 'interrupted (Ctrl-C)');
  });
  let result;
  try {
    result = await run.result;
  } finally {
    stopInterrupt?.();
    await opened.close();
    logDestination.flushSync();
  }
  progress?.end();

  if (json) {
    io.stdout(JSON.stringify(runStatusJson(exec, result.history), null, 2) + '\n');
  } else {
    const started = result.history.started?.time ?? 0;
    const last = journal.records().at(-1)?.time ?? started;
    const elapsed = formatDuration(last - started);
    const rto = exec.objectives.rtoMs;
    const rtoText = rto === null ? '' : ` (RTO ${formatDuration(rto)}: ${last - started <= rto ? p.green('met') : p.red('missed')})`;
    if (result.state === 'succeeded') io.stdout(`${p.green('succeeded')} in ${elapsed}${dryRun ? ' simulated' : ''}${rtoText}\n`);
    else if (result.state === 'failed') io.stdout(`${p.red('failed')} after ${elapsed}${result.failure?.stepId ? ` at step ${result.failure.stepId}` : ''}: ${result.failure?.error ?? 'see the log'}\n`);
    else if (result.state === 'cancelled') io.stdout(`${p.yellow('cancelled')} after ${elapsed}\n`);
    else {
      const waiting = result.history.waitingOn;
      io.stdout(`${p.yellow(result.state)} on ${waiting.join(', ')}${dryRun ? ` — in a dry-run, pass --auto-approve to pass gates and manual steps` : ''}\n`);
    }
    io.stdout(p.dim(`log: ${join(runDir, 'log.jsonl')}\n`));
  }
  return result.state === 'succeeded' ? EXIT.ok : result.state === 'waiting' || result.state === 'paused' ? EXIT.waiting : EXIT.failed;
}

/** Sortable, unique, readable: `<plan>-20261123-101500-3fa9`. */
export function newRunId(plan: string, now: number): string {
  const stamp = new Date(now).toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${plan.slice(0, 40)}-${stamp}-${randomBytes(2).toString('hex')}`;
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}
