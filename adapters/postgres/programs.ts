import { execFile } from 'node:child_process';
import path from 'node:path';
import { OperationError } from '../types.js';
import type { PostgresSettings } from './settings.js';

/**
 * PostgreSQL's own programs (pg_ctl, pg_controldata, pg_basebackup, pg_waldump), run without a
 * shell and, when drplan is root, as the configured OS user through runuser: initdb and pg_ctl
 * refuse to run as root, and files they create must belong to the server's user.
 */

export interface ProgramResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface ProgramOptions {
  signal: AbortSignal;
  timeoutMs?: number;
  /** Run as drplan's own user even when an OS user is configured (read-only tools). */
  asSelf?: boolean;
  /** Resolve with the exit code instead of failing on a non-zero one. */
  allowFailure?: boolean;
  /** Extra environment (PGPASSWORD for pg_basebackup). */
  env?: Record<string, string>;
}

/** Runs `program` (a name in the bindir, or in PATH when no bindir is known). */
export function runProgram(settings: PostgresSettings, program: string, args: readonly string[], options: ProgramOptions): Promise<ProgramResult> {
  const file = settings.bindir ? path.join(settings.bindir, program) : program;
  const [command, argv] = settings.osUser && !options.asSelf ? ['runuser', ['-u', settings.osUser, '--', file, ...args]] : [file, [...args]];
  return new Promise((resolve, reject) => {
    execFile(
      command,
      argv,
      {
        // The server's user may not be allowed into drplan's working directory.
        cwd: '/',
        env: { ...process.env, ...options.env, TZ: 'UTC', LC_ALL: 'C.UTF-8' },
        signal: options.signal,
        maxBuffer: 64 * 1024 * 1024,
        ...(options.timeoutMs === undefined ? {} : { timeout: options.timeoutMs }),
      },
      (error, stdout, stderr) => {
        if (options.signal.aborted) return reject(options.signal.reason instanceof Error ? options.signal.reason : new Error('aborted'));
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        if (error && typeof error.code === 'string') {
          return reject(new OperationError(`postgres: cannot run ${file}: ${error.message}`, { retryable: false }));
        }
        if (code !== 0 && !options.allowFailure) {
          const tail = (stderr || stdout).trim().split('\n').slice(-5).join('\n');
          return reject(new OperationError(`postgres: ${program} ${args.join(' ')} failed (exit ${code}${error?.signal ? `, ${error.signal}` : ''}): ${tail}`));
        }
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** What pg_controldata says about a data directory. */
export interface ControlData {
  /** `in production`, `shut down`, `shut down in recovery`, `in archive recovery`, `in crash recovery`… */
  state: string;
  checkpointLsn: string;
  redoLsn: string;
  timeline: number;
  systemIdentifier: string;
}

/** Reads the control file of a local data directory. */
export async function readControlData(settings: PostgresSettings, dataDir: string, signal: AbortSignal): Promise<ControlData> {
  const { stdout } = await runProgram(settings, 'pg_controldata', ['-D', dataDir], { signal, timeoutMs: 10_000, asSelf: true });
  const field = (label: string) => {
    const line = stdout.split('\n').find((l) => l.startsWith(`${label}:`));
    if (line === undefined) throw new OperationError(`postgres: pg_controldata ${dataDir} has no "${label}" line`);
    return line.slice(label.length + 1).trim();
  };
  return {
    state: field('Database cluster state'),
    checkpointLsn: field('Latest checkpoint location'),
    redoLsn: field("Latest checkpoint's REDO location"),
    timeline: Number(field("Latest checkpoint's TimeLineID")),
    systemIdentifier: field('Database system identifier'),
  };
}
