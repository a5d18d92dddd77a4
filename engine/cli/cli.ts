import { Command, CommanderError } from 'commander';
import { registerGraph } from './commands/graph.js';
import { registerPlan } from './commands/plan.js';
import { registerKeys } from './commands/keys.js';
import { registerOperatorCommands } from './commands/operator.js';
import { registerResume } from './commands/resume.js';
import { registerReport } from './commands/report.js';
import { registerRun } from './commands/run.js';
import { registerServe } from './commands/serve.js';
import { registerRuns } from './commands/runs.js';
import { registerStatus } from './commands/status.js';
import { registerLogs } from './commands/logs.js';
import { registerVerify } from './commands/verify.js';
import { registerValidate } from './commands/validate.js';
import { NoSuchRunError } from '../store/file-store.js';
import { JournalDamageError } from '../store/read-journal.js';
import { RunLockedError } from '../store/run-lock.js';
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
  registerValidate(program, io, setExit);
  registerPlan(program, io, setExit);
  registerGraph(program, io, setExit);
  registerRun(program, io, setExit);
  registerResume(program, io, setExit);
  registerOperatorCommands(program, io, setExit);
  registerRuns(program, io, setExit);
  registerStatus(program, io, setExit);
  registerLogs(program, io, setExit);
  registerReport(program, io, setExit);
  registerVerify(program, io, setExit);
  registerKeys(program, io, setExit);
  registerServe(program, io, setExit);
  for (const command of program.commands) command.exitOverride().showSuggestionAfterError(true);

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
    if (error instanceof NoSuchRunError || error instanceof RunLockedError || error instanceof JournalDamageError) {
      io.stderr(`drplan: ${error.message}\n`);
      return EXIT.failed;
    }
    throw error;
  }
}
