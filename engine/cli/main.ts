import { cli } from './cli.js';
import { EXIT } from './io.js';
import { forgetHungUpTerminal } from './hung-up-terminal.js';
import { guardProcessOutput } from './process-output.js';
import { DRPLAN_VERSION } from './version.js';

/** The process entry: real stdio, and the "this is a bug" path for internal faults (exit 70). */
export async function main(argv: string[]): Promise<number> {
  // `drplan ... | head` closes our stdout early: that is the reader's choice, not a crash. It ends
  // a command that only prints; one that drives a run holds on (see process-output.ts).
  const output = guardProcessOutput(process);
  // A run that outlived its terminal exits with its own exit code, not Node 20's abort.
  process.once('exit', forgetHungUpTerminal());
  try {
    return await cli(argv, {
      stdout: output.stdout,
      stderr: output.stderr,
      holdThroughOutputLoss: output.holdThroughOutputLoss,
      env: process.env,
      cwd: process.cwd(),
      isTTY: Boolean(process.stdout.isTTY),
      onInterrupt(handler) {
        process.on('SIGINT', handler);
        process.on('SIGTERM', handler);
        return () => {
          process.off('SIGINT', handler);
          process.off('SIGTERM', handler);
        };
      },
    });
  } catch (error) {
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    output.stderr(
      `drplan: internal error — this is a bug in drplan, not in your plan.\n` +
        `Please report it with the command you ran and this text:\n` +
        `  drplan ${DRPLAN_VERSION}, node ${process.version}, ${process.platform}-${process.arch}\n` +
        detail.split('\n').map((l) => `  ${l}`).join('\n') + '\n',
    );
    return EXIT.internal;
  }
}
