import { Command, CommanderError } from 'commander';
import { UntrustedJournalError } from '../run/replay-decisions.js';
import { NoSuchRunError } from '../store/file-store.js';
import { JournalDamageError } from '../store/read-journal.js';
import { RunLockedError, RunLockLostError } from '../store/run-lock.js';
import { suggest } from '../model/did-you-mean.js';
import { activateAdapterModules } from './adapter-modules.js';
import { EXIT, UsageError, type CliIo } from './io.js';
import { DRPLAN_VERSION } from './version.js';

/**
 * The whole command line as a function: parses `argv` (without `node drplan`), runs the
 * command, returns the exit code. Tests drive it in-process; `bin/drplan.js` is a thin shell.
 *
 * @example
 * const code = await cli(['validate', 'plans/'], { stdout: console.log, stderr: console.error, env: process.env, cwd: process.cwd(), isTTY: false });
 */
type Register = (program: Command, io: CliIo, setExit: (code: number) => void) => void;

/**
 * Each command's module, loaded only when that command runs: `drplan validate` must start fast
 * and has no use for the engine, the server or the report renderers. Help loads them all.
 */
const COMMANDS: { names: string[]; load: () => Promise<Register>; holdsRuns?: true }[] = [
  { names: ['validate'], load: async () => (await import('./commands/validate.js')).registerValidate },
  { names: ['plan'], load: async () => (await import('./commands/plan.js')).registerPlan },
  { names: ['graph'], load: async () => (await import('./commands/graph.js')).registerGraph },
  // `holdsRuns`: the command takes a run's lock and writes its journal — `run` and `resume` drive
  // the run (app/drive-run.ts), the operator commands record a decision when no engine does. Losing
  // stdout, stderr or the terminal must not stop it halfway: see `holdThroughOutputLoss`.
  { names: ['run'], load: async () => (await import('./commands/run.js')).registerRun, holdsRuns: true },
  { names: ['resume'], load: async () => (await import('./commands/resume.js')).registerResume, holdsRuns: true },
  { names: ['retry', 'skip', 'cancel', 'approve', 'reject', 'done'], load: async () => (await import('./commands/operator.js')).registerOperatorCommands, holdsRuns: true },
  { names: ['runs'], load: async () => (await import('./commands/runs.js')).registerRuns },
  { names: ['status'], load: async () => (await import('./commands/status.js')).registerStatus },
  { names: ['logs'], load: async () => (await import('./commands/logs.js')).registerLogs },
  { names: ['report'], load: async () => (await import('./commands/report.js')).registerReport },
  { names: ['verify'], load: async () => (await import('./commands/verify.js')).registerVerify },
  { names: ['discard'], load: async () => (await import('./commands/discard.js')).registerDiscard },
  { names: ['keys'], load: async () => (await import('./commands/keys.js')).registerKeys },
  { names: ['serve'], load: async () => (await import('./commands/serve.js')).registerServe },
];

export async function cli(argv: readonly string[], io: CliIo): Promise<number> {
  let exit: number = EXIT.ok;
  const setExit = (code: number) => {
    exit = code;
  };
  const program = new Command('drplan')
    .description('Disaster-recovery plans as code: validate, plan, run and prove recovery runbooks.')
    .version(DRPLAN_VERSION, '--version', 'print the drplan version')
    .exitOverride()
    .showSuggestionAfterError(true)
    .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) });
  const named = argv.find((a) => !a.startsWith('-'));
  const wanted = COMMANDS.filter((c) => named !== undefined && c.names.includes(named));
  if (named !== undefined && named !== 'help' && wanted.length === 0) {
    // Not left to commander: `drplan nosuch --help` would print the general help and exit 0.
    const known = COMMANDS.flatMap((c) => c.names);
    const guess = suggest(named, known);
    io.stderr(`drplan: unknown command "${named}"${guess ? ` — did you mean "${guess}"?` : ''}\n  hint: \`drplan --help\` lists the commands: ${known.join(', ')}\n`);
    return EXIT.usage;
  }
  for (const command of wanted.length > 0 ? wanted : COMMANDS) (await command.load())(program, io, setExit);
  for (const command of program.commands) command.exitOverride().showSuggestionAfterError(true);

  if (wanted.some((c) => c.holdsRuns)) io.holdThroughOutputLoss?.();
  try {
    await activateAdapterModules(io);
    await program.parseAsync([...argv], { from: 'user' });
    return exit;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are successes; every other parse failure is wrong usage.
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return EXIT.ok;
      if (error.code === 'commander.executeSubCommandAsync') return EXIT.ok;
      return EXIT.usage;
    }
    if (error instanceof UsageError) {
      io.stderr(`drplan: ${error.message}\n${error.hint ? `  hint: ${error.hint}\n` : ''}`);
      return EXIT.usage;
    }
    // The run store refusing is about the user's run, not a bug: say what and exit 1.
    if (error instanceof NoSuchRunError || error instanceof RunLockedError || error instanceof RunLockLostError || error instanceof JournalDamageError || error instanceof UntrustedJournalError) {
      io.stderr(`drplan: ${error.message}\n`);
      return EXIT.failed;
    }
    throw error;
  }
}
