/**
 * The process's stdout and stderr as the CLI writes to them, and what losing them means.
 *
 * Output goes away in three ways: the reader of a pipe exits (`drplan run … | head -1` — EPIPE),
 * the terminal closes (an SSH session drops: SIGHUP, then EIO on every write to the tty), or a
 * stream fails otherwise. For a command that only prints, that ends the command: nobody reads
 * the rest. For a process that drives a run or holds its lock, it must not: a failover stopped
 * mid-step by a closed pipe leaves the run half done and its lock stale. While such a process
 * holds (`holdThroughOutputLoss`), output that cannot be written is dropped — the journal is the
 * record of the run — SIGHUP is ignored, and nothing a write does ever throws into the engine.
 */

export interface ProcessOutput {
  stdout(text: string): void;
  stderr(text: string): void;
  /**
   * From now until the process exits, losing stdout, stderr or the terminal does not stop it.
   * There is no letting go: that would reopen the window between the end of a run and the exit.
   */
  holdThroughOutputLoss(): void;
}

/** What an output stream fails with once its reader or terminal is gone. */
const GONE = new Set(['EPIPE', 'EIO', 'ECONNRESET', 'ENXIO', 'ERR_STREAM_DESTROYED', 'ERR_STREAM_WRITE_AFTER_END']);

/** What `guardProcessOutput` uses of the process: its two output streams, its exit and SIGHUP. */
export interface OutputProcess {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  exitCode?: number | string | undefined;
  exit(code?: number): never;
  on(event: 'SIGHUP', listener: () => void): unknown;
  off(event: 'SIGHUP', listener: () => void): unknown;
}

/**
 * Guards `proc`'s stdout and stderr: writes never throw, a lost stream is written no more, and a
 * loss ends the process quietly (with the exit code set so far) unless it is held.
 *
 * @example
 * ```ts
 * const output = guardProcessOutput(process);
 * output.holdThroughOutputLoss(); // about to take a run's lock
 * await driveTheRun();
 * ```
 */
export function guardProcessOutput(proc: OutputProcess): ProcessOutput {
  const streams = [
    { stream: proc.stdout, lost: false },
    { stream: proc.stderr, lost: false },
  ];
  let held = false;

  const lose = (entry: (typeof streams)[number], error: NodeJS.ErrnoException) => {
    entry.lost = true;
    if (held) return;
    // `drplan … | head`: the reader's choice, not a crash. Anything else is a fault to report.
    if (GONE.has(error.code ?? '')) proc.exit(typeof proc.exitCode === 'number' ? proc.exitCode : 0);
    throw error;
  };
  for (const entry of streams) entry.stream.on('error', (error: NodeJS.ErrnoException) => lose(entry, error));

  const write = (entry: (typeof streams)[number], text: string) => {
    if (entry.lost) return;
    if (entry.stream.destroyed || entry.stream.writableEnded) {
      entry.lost = true;
      return;
    }
    try {
      entry.stream.write(text);
    } catch (error) {
      // A file or terminal written synchronously can fail right here; a pipe fails later, through 'error'.
      lose(entry, error as NodeJS.ErrnoException);
    }
  };

  // The terminal hung up: it is gone for good, so stop writing to it (every write would fail with
  // EIO), and go on. Output redirected to a file or a pipe is still written; stderr, if it is
  // one of those, is told why (stdout is not: a script may be parsing it).
  const onHangup = () => {
    for (const entry of streams) if (entry.stream.isTTY) entry.lost = true;
    write(streams[1]!, 'drplan: the terminal hung up (SIGHUP); drplan goes on without it\n');
  };

  return {
    stdout: (text) => write(streams[0]!, text),
    stderr: (text) => write(streams[1]!, text),
    holdThroughOutputLoss() {
      // Listening replaces SIGHUP's default action (end the process). Once a process has held a
      // run it keeps this until it exits: between letting go of the run and the exit (adapters
      // closing, the shell launcher reaped) a hangup or a closed pipe would otherwise turn a
      // finished run's exit code into a death by signal.
      if (!held) proc.on('SIGHUP', onHangup);
      held = true;
    },
  };
}
