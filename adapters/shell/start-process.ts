import type { Clock } from '../types.js';
import { createLauncherClient, type LauncherClient } from './launcher-client.js';
import type { LauncherLoss } from './launcher-connection.js';
import type { RawOutput } from './launcher-protocol.js';
import { spawnDirectly } from './spawn-direct.js';

/**
 * Starting a command, and the view of it that run-process.ts supervises: its pid, its exit, its
 * pipes, its output. Two ways behind one shape: through the process launcher (the usual way, see
 * launcher-main.ts for why), or by spawning from drplan itself when no launcher can be started.
 */

/** What to start (the part of `ProcessSpec` the starter needs). */
export interface StartRequest {
  /** The program: an absolute path, or a bare name looked up in `env.PATH`. */
  file: string;
  args: readonly string[];
  cwd: string;
  env: Record<string, string>;
  /** Written to stdin, which is then closed; without it stdin is /dev/null. */
  stdin?: string;
  maxOutputBytes: number;
}

/** How the leader ended, or that nobody can tell any more because the launcher died. */
export type LeaderExit =
  | { kind: 'exit'; code: number | null; signal: NodeJS.Signals | null }
  | { kind: 'lost'; loss: LauncherLoss };

/** A command that started: the leader of process group `pid`. */
export interface StartedProcess {
  readonly pid: number;
  readonly exited: Promise<LeaderExit>;
  /** Resolves when stdout and stderr have closed (or can no longer be read). */
  readonly closed: Promise<void>;
  /** Stops reading stdout and stderr and gives what they held; the same answer on every call. */
  collect(): Promise<RawOutput | { lost: LauncherLoss }>;
}

export type StartResult =
  | { kind: 'started'; process: StartedProcess; startedAt: number }
  | { kind: 'not-started'; error: NodeJS.ErrnoException }
  /** The launcher died before saying whether the command started. */
  | { kind: 'lost'; loss: LauncherLoss; startedAt: number };

/** Starts commands; `startedAt` is `clock.now()` just before the spawn is asked for. */
export interface ProcessStarter {
  start(request: StartRequest, clock: Clock): Promise<StartResult>;
}

/**
 * Starts commands through a launcher running `launcherModule`, started by the first command, and
 * spawns directly while it starts or when none can be started.
 *
 * @example
 * ```ts
 * const starter = createProcessStarter(launcherModulePath());
 * const start = await starter.start({ file: 'true', args: [], cwd: '/', env: {}, maxOutputBytes: 1024 }, clock);
 * ```
 */
export function createProcessStarter(launcherModule: string): ProcessStarter & { readonly launcher: LauncherClient } {
  const launcher = createLauncherClient(launcherModule);
  return {
    launcher,
    async start(request, clock) {
      const launched = await launcher.start(request, clock);
      // Correctness before speed: without a launcher, drplan forks itself as it always did.
      return launched ?? spawnDirectly(request, clock);
    },
  };
}
