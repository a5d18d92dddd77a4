import type { ChildProcess } from 'node:child_process';
import type { Clock } from '../types.js';
import type { LauncherEvent, LauncherRequest, RawOutput, SpawnErrorData } from './launcher-protocol.js';
import type { LauncherLoss, LeaderExit, StartedProcess, StartRequest, StartResult } from './process-starter.js';

/**
 * One running launcher, as drplan talks to it (launcher-client.ts starts it): requests out,
 * events in, matched by command id, and what becomes of the commands in flight when it dies.
 */

/** One running launcher and the commands it has in flight. */
export interface Connection {
  readonly pid: number;
  readonly alive: boolean;
  start(request: StartRequest, clock: Clock): Promise<StartResult>;
  /**
   * Ends an idle launcher and waits for its exit, so drplan reaps it (its CPU time, and that of
   * the commands it reaped, count as drplan's). False, doing nothing, while commands are in flight.
   */
  stopIfIdle(): Promise<boolean>;
}

/** How long a stopping launcher may take to exit before it is killed. */
const STOP_GRACE_MS = 2000;

interface InFlight {
  started: (result: StartResult) => void;
  exited: (exit: LeaderExit) => void;
  output: (output: RawOutput | { lost: LauncherLoss }) => void;
  startedAt: number;
  /** 'spawned' has arrived. */
  running: boolean;
}

/** Wraps a launcher that has said it is ready; `stderr` gives the end of what it printed there. */
export function openConnection(child: ChildProcess, stderr: () => string, onGone: (connection: Connection) => void): Connection {
  const inFlight = new Map<number, InFlight>();
  const pid = child.pid!;
  let nextId = 1;
  let alive = true;
  const channel = child.channel!;
  // Idle, the launcher must not keep drplan running; busy, it must (nothing else may be waiting).
  const holdLoop = () => {
    if (!alive) return;
    if (inFlight.size === 0) channel.unref();
    else channel.ref();
  };
  holdLoop();

  const send = (request: LauncherRequest) => {
    // A failed send means the launcher is dying; its 'exit' settles what was in flight.
    if (alive) child.send(request, undefined, undefined, () => {});
  };

  child.on('message', (event: LauncherEvent) => {
    if (event.type === 'ready') return;
    const command = inFlight.get(event.id);
    if (command === undefined) return;
    switch (event.type) {
      case 'spawned':
        command.running = true;
        command.started({ kind: 'started', startedAt: command.startedAt, process: startedProcess(event.id, event.pid, command) });
        break;
      case 'not-started':
        inFlight.delete(event.id);
        holdLoop();
        command.started({ kind: 'not-started', error: toErrnoException(event.error) });
        break;
      case 'exited':
        command.exited({ kind: 'exit', code: event.code, signal: event.signal });
        break;
      case 'output':
        inFlight.delete(event.id);
        holdLoop();
        command.output(event.output);
        break;
    }
  });

  const gone = () => {
    if (!alive) return;
    alive = false;
    onGone(connection);
  };
  // No message comes after the IPC channel closes: make sure the launcher is gone.
  child.once('disconnect', () => {
    gone();
    child.kill('SIGKILL');
  });
  child.once('exit', gone);
  // After the exit and the end of its stderr, which may say why it died.
  child.once('close', (exitCode: number | null, signal: NodeJS.Signals | null) => {
    gone();
    const loss: LauncherLoss = { pid, exitCode, signal, lastWords: lastErrorLine(stderr()) };
    for (const command of inFlight.values()) {
      if (!command.running) command.started({ kind: 'lost', loss, startedAt: command.startedAt });
      command.exited({ kind: 'lost', loss });
      command.output({ lost: loss });
    }
    inFlight.clear();
  });

  function startedProcess(id: number, commandPid: number, command: InFlight): StartedProcess {
    let outputSettled = false;
    const output = new Promise<RawOutput | { lost: LauncherLoss }>((resolve) => {
      command.output = (o) => {
        outputSettled = true;
        resolve(o);
      };
    });
    let collecting = false;
    return {
      pid: commandPid,
      exited: new Promise((resolve) => (command.exited = resolve)),
      closed: output.then(() => {}),
      collect() {
        if (!outputSettled && !collecting) {
          collecting = true;
          send({ type: 'collect', id });
        }
        return output;
      },
    };
  }

  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const connection: Connection = {
    pid,
    get alive() {
      return alive;
    },
    async stopIfIdle() {
      if (!alive) return true;
      if (inFlight.size > 0) return false;
      gone();
      // The launcher exits by itself when its channel closes (launcher-main.ts). The timer, ref'd,
      // keeps drplan's event loop alive until then: the launcher's handles are unref'd.
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      child.disconnect();
      await exited;
      clearTimeout(timer);
      return true;
    },
    start(request, clock) {
      const id = nextId++;
      return new Promise<StartResult>((resolve) => {
        const command: InFlight = { started: resolve, exited: () => {}, output: () => {}, startedAt: clock.now(), running: false };
        inFlight.set(id, command);
        holdLoop();
        send({
          type: 'spawn',
          id,
          file: request.file,
          args: [...request.args],
          cwd: request.cwd,
          env: request.env,
          stdin: request.stdin ?? null,
          maxOutputBytes: request.maxOutputBytes,
        });
      });
    },
  };
  return connection;
}

/** Rebuilds the ErrnoException the launcher saw, as describe-failure.ts reads it. */
function toErrnoException(data: SpawnErrorData): NodeJS.ErrnoException {
  const error: NodeJS.ErrnoException = data.name === 'TypeError' ? new TypeError(data.message) : new Error(data.message);
  if (data.code !== undefined) error.code = data.code;
  if (data.errno !== undefined) error.errno = data.errno;
  if (data.syscall !== undefined) error.syscall = data.syscall;
  if (data.path !== undefined) error.path = data.path;
  return error;
}

/** The line of a dying Node process's stderr that says why: its error, not the stack or the version banner. */
function lastErrorLine(text: string): string | null {
  const lines = text.split('\n').map((line) => line.trimEnd());
  const meaningful = lines.filter((line) => line !== '' && !/^\s/.test(line) && !line.startsWith('Node.js v'));
  const error = meaningful.filter((line) => /error/i.test(line)).at(-1) ?? meaningful.at(-1);
  return error === undefined ? null : error.slice(0, 300);
}
