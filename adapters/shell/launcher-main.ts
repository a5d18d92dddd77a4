import type { ChildProcess } from 'node:child_process';
import { LAUNCHER_PROTOCOL, type LauncherEvent, type LauncherRequest, type SpawnErrorData, type SpawnRequest } from './launcher-protocol.js';
import { spawnCommand } from './spawn-command.js';
import { createTailBuffer, type TailBuffer } from './tail-buffer.js';

/**
 * The process launcher: a small Node process, forked once by drplan (`launcher-client.ts`), that
 * spawns step commands on drplan's behalf. Spawning forks the spawning process, and the kernel
 * copies its page tables while the spawner's event loop waits: for drplan at 100–200 MB that took
 * milliseconds per command, with no other step able to start or finish meanwhile. Here the fork
 * copies a process a fraction of that size, and drplan's event loop never waits for it.
 *
 * It does what run-process.ts did itself: spawn without a shell as the leader of a new process
 * group, feed stdin, keep the end of stdout and stderr, report the exit. Everything that needs
 * drplan's clock — timeouts, the kill grace, how long to wait for pipes — stays in drplan, which
 * signals the process group itself by its pid.
 *
 * This module is executed by Node, not imported: it must import nothing heavy, and starts nothing
 * that would keep it alive once drplan is gone.
 */

interface Command {
  child: ChildProcess;
  stdout: TailBuffer;
  stderr: TailBuffer;
  exited: boolean;
  /** The output was sent: nothing more is read from the pipes. */
  delivered: boolean;
}

const commands = new Map<number, Command>();

/**
 * Output is read into Buffers, outside V8's heap, and those of long commands are freed only by a
 * full GC, which V8 runs late for such memory: until then the launcher stays large and every fork
 * copies its page tables. So once idle after reading this much, it collects (`--expose-gc`).
 */
const COLLECT_AFTER_BYTES = 8 << 20;
/** Idle this long first: a finished command's pipes and process handle take a few turns of the loop to close. */
const COLLECT_WHEN_IDLE_MS = 250;
let readSinceCollection = 0;

if (process.send === undefined) {
  process.stderr.write('launcher-main.js is started by drplan (child_process.fork), not by hand\n');
  process.exit(2);
}

// drplan went away — exited, crashed or SIGKILLed — so the launcher goes too. The commands it
// started lead process groups of their own and live on, as they did when drplan spawned them.
process.on('disconnect', () => process.exit(0));
// The launcher leads a session of its own (launcher-client.ts), so a terminal's Ctrl-C or hangup
// reaches drplan only: drplan cancels its commands through the launcher, or drives its run on
// without the terminal. Signals sent to the launcher by name are still drplan's to act on, not
// the launcher's: it goes when drplan goes, by the line above.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => {});
process.on('SIGHUP', () => {});
process.on('message', (request: LauncherRequest) => {
  if (request.type === 'spawn') startCommand(request);
  else deliverOutput(request.id);
});
send({ type: 'ready', protocol: LAUNCHER_PROTOCOL });

function send(event: LauncherEvent): void {
  // A failed send means drplan is gone; 'disconnect' ends the launcher.
  if (process.connected) process.send!(event, undefined, undefined, () => {});
}

function startCommand(request: SpawnRequest): void {
  const { id } = request;
  let child: ChildProcess;
  try {
    child = spawnCommand({ ...request, withStdin: request.stdin !== null });
  } catch (error) {
    // Arguments the OS cannot take (Node checks some before forking).
    send({ type: 'not-started', id, error: describeError(error) });
    return;
  }
  const command: Command = {
    child,
    stdout: createTailBuffer(request.maxOutputBytes),
    stderr: createTailBuffer(request.maxOutputBytes),
    exited: false,
    delivered: false,
  };
  child.stdout!.on('data', (chunk: Buffer) => {
    readSinceCollection += chunk.length;
    command.stdout.push(chunk);
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    readSinceCollection += chunk.length;
    command.stderr.push(chunk);
  });

  child.once('error', (error) => send({ type: 'not-started', id, error: describeError(error) }));
  child.once('spawn', () => {
    commands.set(id, command);
    send({ type: 'spawned', id, pid: child.pid! });
    // Later 'error' events (a failed write to stdin) must not end the launcher; the exit tells the story.
    child.removeAllListeners('error');
    child.on('error', () => {});
    if (request.stdin !== null) {
      // EPIPE when the command exits without reading everything is the command's choice, not a fault.
      child.stdin!.on('error', () => {});
      child.stdin!.end(request.stdin, 'utf8');
    }
  });
  child.once('exit', (code, signal) => {
    command.exited = true;
    send({ type: 'exited', id, code, signal });
    if (command.delivered) forget(id);
  });
  // Both pipes closed (and the leader exited): the output is complete.
  child.once('close', () => deliverOutput(id));
}

/** Sends what the command printed and stops reading its pipes; once per command. */
function deliverOutput(id: number): void {
  const command = commands.get(id);
  if (command === undefined || command.delivered) return;
  command.delivered = true;
  const { child, stdout, stderr } = command;
  send({
    type: 'output',
    id,
    output: { stdout: stdout.bytes(), stderr: stderr.bytes(), stdoutTruncated: stdout.truncated, stderrTruncated: stderr.truncated },
  });
  child.stdin?.destroy();
  child.stdout!.destroy();
  child.stderr!.destroy();
  if (command.exited) forget(id);
}

function forget(id: number): void {
  commands.delete(id);
  if (commands.size === 0 && readSinceCollection >= COLLECT_AFTER_BYTES) setTimeout(collectIfIdle, COLLECT_WHEN_IDLE_MS).unref();
}

function collectIfIdle(): void {
  if (commands.size > 0 || readSinceCollection < COLLECT_AFTER_BYTES) return;
  readSinceCollection = 0;
  (globalThis as { gc?: () => void }).gc?.();
}

function describeError(error: unknown): SpawnErrorData {
  const e = error as NodeJS.ErrnoException;
  const data: SpawnErrorData = { name: e.name ?? 'Error', message: e.message ?? String(error) };
  if (typeof e.code === 'string') data.code = e.code;
  if (typeof e.errno === 'number') data.errno = e.errno;
  if (typeof e.syscall === 'string') data.syscall = e.syscall;
  if (typeof e.path === 'string') data.path = e.path;
  return data;
}
