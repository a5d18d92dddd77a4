import type { Clock } from '../types.js';
import type { RawOutput } from './launcher-protocol.js';

/**
 * Starting a command, and the view of it that run-process.ts supervises: its pid, its exit, its
 * pipes, its output. Two ways stand behind this one shape (start-process.ts chooses): through the
 * process launcher (launcher-client.ts), or by spawning from drplan itself (spawn-direct.ts).
 */

/** A launcher that died with commands in flight: their exit status and output are lost. */
export interface LauncherLoss {
  /** The launcher's pid. */
  pid: number;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** What the launcher said last on stderr (a crash's error line), if anything. */
  lastWords: string | null;
}

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
