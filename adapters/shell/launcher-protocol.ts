/**
 * The messages between drplan and its process launcher (`launcher-main.ts`), sent over the IPC
 * channel of `child_process.fork` with `serialization: 'advanced'`, so that captured output
 * travels as bytes, neither decoded nor re-encoded on the way.
 *
 * One command's life: `spawn` → `spawned` (or `not-started`) → `exited` → `output`. The launcher
 * sends `output` by itself once the command's stdout and stderr have closed; drplan sends
 * `collect` when it stops waiting for them (a background process still holds them), and the
 * launcher answers with what it has.
 */

/**
 * Changes whenever a message changes. From the TypeScript sources drplan runs the launcher built
 * into dist/, which can be older than the sources; a launcher speaking another version is not used.
 */
export const LAUNCHER_PROTOCOL = 1;

/** What the launcher needs to spawn one command; see `ProcessSpec` in run-process.ts. */
export interface SpawnRequest {
  type: 'spawn';
  id: number;
  file: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  /** Written to stdin, which is then closed; null: stdin is /dev/null. */
  stdin: string | null;
  maxOutputBytes: number;
}

/** drplan → launcher. */
export type LauncherRequest = SpawnRequest | { type: 'collect'; id: number };

/** The end of each output stream, as bytes (see `TailBuffer`). */
export interface RawOutput {
  stdout: Uint8Array;
  stderr: Uint8Array;
  stdoutTruncated: boolean;
  stderrTruncated: boolean;
}

/** An ErrnoException as data: structured clone keeps an Error's message but drops `code` and the rest. */
export interface SpawnErrorData {
  name: string;
  message: string;
  code?: string;
  errno?: number;
  syscall?: string;
  path?: string;
}

/** launcher → drplan. */
export type LauncherEvent =
  | { type: 'ready'; protocol: number }
  | { type: 'spawned'; id: number; pid: number }
  | { type: 'not-started'; id: number; error: SpawnErrorData }
  | { type: 'exited'; id: number; code: number | null; signal: NodeJS.Signals | null }
  | { type: 'output'; id: number; output: RawOutput };
