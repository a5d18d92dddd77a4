import type { ChildProcess } from 'node:child_process';
import type { Clock } from '../types.js';
import type { RawOutput } from './launcher-protocol.js';
import { spawnCommand } from './spawn-command.js';
import type { LeaderExit, StartRequest, StartResult } from './process-starter.js';
import { createTailBuffer } from './tail-buffer.js';

/**
 * Spawning a command from drplan's own process: what the launcher does, done here when no
 * launcher can be started. Correct, but the fork copies all of drplan's page tables while its
 * event loop waits.
 */

/**
 * Spawns `request.file` without a shell as the leader of a new process group, feeding stdin and
 * keeping the end of stdout and stderr.
 *
 * @example
 * ```ts
 * const start = await spawnDirectly({ file: 'true', args: [], cwd: '/', env: {}, maxOutputBytes: 1024 }, clock);
 * if (start.kind === 'started') await start.process.exited;
 * ```
 */
export async function spawnDirectly(request: StartRequest, clock: Clock): Promise<StartResult> {
  const stdout = createTailBuffer(request.maxOutputBytes);
  const stderr = createTailBuffer(request.maxOutputBytes);
  const startedAt = clock.now();
  let child: ChildProcess;
  try {
    child = spawnCommand({ ...request, withStdin: request.stdin !== undefined });
  } catch (error) {
    // Arguments the OS cannot take (Node checks some before forking).
    return { kind: 'not-started', error: error as NodeJS.ErrnoException };
  }
  child.stdout!.on('data', (chunk: Buffer) => stdout.push(chunk));
  child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk));

  const exited = new Promise<LeaderExit>((resolve) => child.once('exit', (code, signal) => resolve({ kind: 'exit', code, signal })));
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const spawnError = await new Promise<NodeJS.ErrnoException | undefined>((resolve) => {
    child.once('spawn', () => resolve(undefined));
    child.once('error', resolve);
  });
  if (spawnError) return { kind: 'not-started', error: spawnError };
  // Later 'error' events (a failed write to stdin) must not crash drplan; the exit tells the story.
  child.on('error', () => {});

  if (request.stdin !== undefined) {
    // EPIPE when the command exits without reading everything is the command's choice, not a fault.
    child.stdin!.on('error', () => {});
    child.stdin!.end(request.stdin, 'utf8');
  }

  let output: RawOutput | undefined;
  return {
    kind: 'started',
    startedAt,
    process: {
      pid: child.pid!,
      exited,
      closed,
      async collect() {
        if (output === undefined) {
          output = { stdout: stdout.bytes(), stderr: stderr.bytes(), stdoutTruncated: stdout.truncated, stderrTruncated: stderr.truncated };
          child.stdin?.destroy();
          child.stdout!.destroy();
          child.stderr!.destroy();
        }
        return output;
      },
    },
  };
}
