import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Socket } from 'node:net';
import type { Clock } from '../types.js';
import { openConnection, type Connection } from './launcher-connection.js';
import { LAUNCHER_PROTOCOL, type LauncherEvent } from './launcher-protocol.js';
import type { StartRequest, StartResult } from './process-starter.js';

/**
 * drplan's side of the process launcher (launcher-main.ts): one launcher per drplan process,
 * started by the first command and kept while drplan lives. It never keeps drplan alive by itself:
 * its IPC channel holds drplan's event loop only while commands are in flight. Commands that come
 * while it is starting (Node takes some 50 ms) are not made to wait: `start` answers undefined
 * and the caller spawns them itself, as it does for good when no launcher can be started. If the
 * launcher dies, the commands in flight learn so at once (their exit and output become a
 * `LauncherLoss`) and the next command starts a new one.
 */

/** The launcher as the rest of the adapter sees it. */
export interface LauncherClient {
  /**
   * Starts a command through the launcher if one is running. Otherwise answers undefined, for the
   * caller to spawn the command itself, and starts a launcher for the commands to come unless
   * one is already starting or none can be.
   */
  start(request: StartRequest, clock: Clock): Promise<StartResult | undefined>;
  /** The running launcher's pid, if one is running. */
  readonly pid: number | undefined;
  /** `unavailable`: a launcher could not be started; commands are spawned directly from then on. */
  readonly state: 'none' | 'starting' | 'running' | 'unavailable';
  /**
   * Ends the launcher, if one is running or starting and has no command in flight, and waits for
   * its exit. The next command starts a new one.
   */
  stopIfIdle(): Promise<void>;
}

/**
 * Node flags of the launcher, to keep it small: every fork it makes copies its page tables. It
 * holds only small objects (output is kept in Buffers, outside the JS heap), so a small young
 * generation is enough; left at its default it grows by tens of MB under a burst of commands.
 * `--expose-gc`: it collects when idle after reading much output (see launcher-main.ts).
 */
const LAUNCHER_FLAGS = ['--max-semi-space-size=1', '--max-old-space-size=64', '--expose-gc'];
/**
 * glibc's malloc keeps freed memory for reuse; output buffers from 32 KiB up get their own
 * mappings instead, returned to the system when freed. Other C libraries ignore it.
 */
const LAUNCHER_ENV = { MALLOC_MMAP_THRESHOLD_: '32768' };
/** Generous: a launcher that is not up by then is killed, and commands are spawned directly. */
const START_TIMEOUT_MS = 15_000;
/** How much of the launcher's stderr is kept, to say why it died. */
const STDERR_KEPT_CHARS = 4096;

/**
 * A client for launchers running `modulePath` (see `launcherModulePath`).
 *
 * @example
 * ```ts
 * const launcher = createLauncherClient(launcherModulePath());
 * // The first command starts the launcher and is spawned directly; later ones go through it.
 * const start = (await launcher.start(request, clock)) ?? (await spawnDirectly(request, clock));
 * ```
 */
export function createLauncherClient(modulePath: string): LauncherClient {
  let live: Connection | undefined;
  let starting = false;
  let started: Promise<void> = Promise.resolve();
  // Once a launcher could not be started, the next attempt would most likely fail the same way,
  // costing a fork of drplan each time: spawn directly from then on.
  let unavailable = false;

  const startLauncher = () => {
    starting = true;
    started = connect(modulePath, (gone) => {
      if (live === gone) live = undefined;
    }).then((connection) => {
      starting = false;
      if (connection === undefined) unavailable = true;
      else live = connection;
    });
  };

  return {
    get pid() {
      return live?.pid;
    },
    get state() {
      return live !== undefined ? 'running' : starting ? 'starting' : unavailable ? 'unavailable' : 'none';
    },
    async start(request, clock) {
      if (live?.alive) return live.start(request, clock);
      if (!starting && !unavailable) startLauncher();
      return undefined;
    },
    async stopIfIdle() {
      // A launcher still starting holds nothing on drplan's event loop (see connect): hold it
      // until the launcher is up and ended, or a drplan with nothing else to do would exit with
      // this wait unsettled.
      const hold = setInterval(() => {}, 60_000);
      try {
        await started;
      } finally {
        clearInterval(hold);
      }
      const connection = live;
      if (connection !== undefined && (await connection.stopIfIdle()) && live === connection) live = undefined;
    },
  };
}

/** Forks a launcher and waits for it to say it is ready; undefined when it cannot be started. */
function connect(modulePath: string, onGone: (connection: Connection) => void): Promise<Connection | undefined> {
  if (!existsSync(modulePath)) return Promise.resolve(undefined);
  // The launcher's own environment; each command gets the one its step built.
  const env: NodeJS.ProcessEnv = { ...process.env, ...LAUNCHER_ENV };
  // drplan's own Node options (--inspect, --require, a large heap) are not the launcher's.
  delete env.NODE_OPTIONS;
  let child: ChildProcess;
  try {
    child = fork(modulePath, [], {
      execArgv: LAUNCHER_FLAGS,
      env,
      cwd: '/',
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'advanced',
      // A session of its own: a terminal's signals (Ctrl-C, a hangup) go to drplan's process
      // group, and a command the launcher is forking is in the launcher's group until it calls
      // setsid — a hangup in that instant would kill a step's command before it ran.
      detached: true,
    });
  } catch {
    return Promise.resolve(undefined);
  }
  // Not even while it starts does the launcher keep drplan running: a drplan with nothing left
  // to do exits, and the launcher with it.
  child.unref();
  child.channel?.unref();
  // Later errors (a send to a launcher that just died) surface through 'exit'.
  child.on('error', () => {});
  let stderr = '';
  const stderrPipe = child.stderr as Socket;
  stderrPipe.setEncoding('utf8').on('data', (text: string) => (stderr = (stderr + text).slice(-STDERR_KEPT_CHARS)));
  stderrPipe.unref();

  return new Promise((resolve) => {
    const fail = () => {
      clearTimeout(timer);
      child.removeAllListeners('message');
      child.kill('SIGKILL');
      resolve(undefined);
    };
    const timer = setTimeout(fail, START_TIMEOUT_MS);
    timer.unref();
    child.once('exit', fail);
    child.once('message', (event: LauncherEvent) => {
      // Another protocol: a dist/ built from other sources.
      if (event.type !== 'ready' || event.protocol !== LAUNCHER_PROTOCOL) return fail();
      clearTimeout(timer);
      child.off('exit', fail);
      resolve(openConnection(child, () => stderr, onGone));
    });
  });
}
