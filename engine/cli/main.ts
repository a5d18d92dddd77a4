import { cli } from './cli.js';
import { EXIT } from './io.js';
import { DRPLAN_VERSION } from './version.js';

/** The process entry: real stdio, and the "this is a bug" path for internal faults (exit 70). */
export async function main(argv: string[]): Promise<number> {
  // `drplan ... | head` closes our stdout early: that is the reader's choice, not a crash.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw error;
    });
  }
  try {
    return await cli(argv, {
      stdout: (s) => process.stdout.write(s),
      stderr: (s) => process.stderr.write(s),
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
    process.stderr.write(
      `drplan: internal error — this is a bug in drplan, not in your plan.\n` +
        `Please report it with the command you ran and this text:\n` +
        `  drplan ${DRPLAN_VERSION}, node ${process.version}, ${process.platform}-${process.arch}\n` +
        detail.split('\n').map((l) => `  ${l}`).join('\n') + '\n',
    );
    return EXIT.internal;
  }
}
