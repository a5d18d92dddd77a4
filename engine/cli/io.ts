/** Everything a command touches of its process, so `cli(argv, io)` runs in-process in tests. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  /** Whether stdout is an interactive terminal (progress redraws, colour). */
  isTTY: boolean;
  /** Calls `handler` on Ctrl-C (SIGINT/SIGTERM) until the returned function is called. Absent in tests. */
  onInterrupt?(handler: () => void): () => void;
  /**
   * Called by commands that drive a run or hold its lock: from then until the process exits,
   * losing stdout, stderr or the terminal (EPIPE, SIGHUP) must not stop it — output is dropped,
   * the journal is the record. Absent in tests (in-process, nothing to lose).
   */
  holdThroughOutputLoss?(): void;
}

/** Exit codes (SPEC §3). */
export const EXIT = { ok: 0, failed: 1, usage: 2, waiting: 3, internal: 70 } as const;

/** A mistake in how drplan was called: printed without a stack, exit 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Colour only for terminals, and never when NO_COLOR is set (https://no-color.org). */
export function useColor(io: CliIo): boolean {
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '') return false;
  if (io.env.FORCE_COLOR !== undefined && io.env.FORCE_COLOR !== '0') return true;
  return io.isTTY && io.env.TERM !== 'dumb';
}

// Renderers in report/ colour their text too; the CLI only decides whether (useColor).
export { paint, type Paint } from '../report/paint.js';
