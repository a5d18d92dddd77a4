import type { Command } from 'commander';
import { parseFaultOption, type SimulatorFault } from '../../../adapters/simulator/index.js';
import { followRun } from '../follow-run.js';
import { createRun } from '../../app/create-run.js';
import { SIMULATORS_ONLY } from '../../report/run-report-text.js';
import { checkFaultOptions } from '../../app/check-fault-options.js';
import { runsOnSimulatorsOnly } from '../../run/simulators-only.js';
import { EXIT, paint, useColor, UsageError, type CliIo } from '../io.js';
import { formatOption, modeOption, paramOption, type ModeName, type OutputFormat } from '../options.js';
import { prepareExecution } from '../prepare-execution.js';
import { actingPrincipal, openStateStore, STATE_OPTION } from '../state-dir.js';
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
    .option('--fault <[instance.]operation[:vm][:times]>', 'make a simulated operation fail (repeatable)', (v: string, prev: string[]) => [...prev, v], [] as string[])
    .option('--seed <n>', 'seed of simulated durations', '1')
    .option(...STATE_OPTION)
    .addOption(formatOption(['text', 'json']))
    .action(async (file: string, options: RunOptions) => setExit(await runCommand(io, file, options)));
}

async function runCommand(io: CliIo, file: string, options: RunOptions): Promise<number> {
  const dryRun = Boolean(options.dryRun);
  if (options.autoApprove && !dryRun) {
    throw new UsageError('--auto-approve is only allowed with --dry-run', 'a real run is approved by the named approvers; add --dry-run to rehearse it with simulated approvals');
  }
  const faults = parseFaults(options.fault);
  const seed = Number(options.seed);
  if (!Number.isSafeInteger(seed)) throw new UsageError(`--seed ${options.seed}: expected a whole number`);

  const prepared = prepareExecution(io, file, options.mode, options.param);
  if (!prepared.ok) return prepared.exit;
  const { exec, checked } = prepared;
  // A fault that can never fire makes a rehearsal that proves nothing: refused before anything runs.
  const problems = checkFaultOptions(exec, faults.map((f, i) => ({ ...f, text: options.fault[i]! })), dryRun);
  for (const problem of problems) io.stderr(`drplan: --fault ${problem.text}: ${problem.message}\n  hint: ${problem.hint}\n`);
  if (problems.length > 0) return EXIT.usage;
  const store = openStateStore(io, options.state);
  const { runId, journal, start } = await createRun(store, exec, checked, {
    by: actingPrincipal(io),
    engineVersion: DRPLAN_VERSION,
    dryRun,
    autoApprove: Boolean(options.autoApprove),
    faults: options.fault,
    seed,
  });
  // The id is printed once the start record is durable: a script that reads it (SPEC §3.1) can
  // always resume the run, even if this process dies the next moment.
  const announce = () => {
    if (options.format === 'json') return;
    const p = paint(useColor(io));
    const kind = dryRun ? ' · dry-run (simulated time)' : runsOnSimulatorsOnly(exec, false) ? ` · ${SIMULATORS_ONLY}` : '';
    io.stdout(`run ${p.bold(runId)} · plan ${exec.plan.name} · mode ${exec.mode}${kind}\n`);
  };
  return followRun(io, {
    onStarted: announce,
    exec,
    checked,
    journal,
    runDir: store.runDir(runId),
    dryRun,
    faults,
    seed,
    detach: Boolean(options.detach),
    json: options.format === 'json',
    start,
  });
}

export function parseFaults(texts: readonly string[]): { fault: SimulatorFault; instance?: string }[] {
  return texts.map((text) => {
    const parsed = parseFaultOption(text);
    if (!parsed.ok) throw new UsageError(`--fault ${text}: ${parsed.message}`);
    return { fault: parsed.fault, ...(parsed.instance ? { instance: parsed.instance } : {}) };
  });
}
