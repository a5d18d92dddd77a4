import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import path from 'node:path';
import type { Clock } from '../types.js';

/**
 * Stopping an instance by PID, without pg_ctl: the postmaster's PID from postmaster.pid, checked
 * against the process's working directory (a stale file can name a PID now used by something
 * else), then the processes left behind. PostgreSQL's children call setsid, so a process group
 * does not hold them; a killed postmaster leaves them running for a moment; and a postmaster
 * whose parent does not reap it stays a zombie. All of that is handled here. Linux only (/proc).
 */

/** The postmaster PID recorded in a data directory, if its process is alive and works there. */
export function runningPostmaster(dataDir: string): number | undefined {
  let pid: number;
  try {
    pid = Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  } catch {
    return undefined;
  }
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return undefined;
  return workingDirectory(pid) === path.resolve(dataDir) ? pid : undefined;
}

/** Alive and not a zombie waiting to be reaped. */
export function isAlive(pid: number): boolean {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return false;
  }
  const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  return state !== 'Z' && state !== 'X';
}

function workingDirectory(pid: number): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/cwd`);
  } catch {
    return undefined;
  }
}

/** Every live process whose working directory is `dir` (PostgreSQL's processes work in their data directory). */
export function processesIn(dir: string): number[] {
  const target = path.resolve(dir);
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    if (workingDirectory(pid) === target && isAlive(pid)) pids.push(pid);
  }
  return pids;
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/** Waits until none of `pids` is alive; false when `ms` ran out first. */
export async function waitGone(pids: readonly number[], ms: number, clock: Clock, abort: AbortSignal, pollMs = 20): Promise<boolean> {
  const until = clock.now() + ms;
  for (;;) {
    if (pids.every((p) => !isAlive(p))) return true;
    if (clock.now() >= until) return false;
    await clock.sleep(pollMs, abort);
  }
}

export interface StopOutcome {
  pid?: number;
  /** How it stopped: fast shutdown (SIGINT), immediate (SIGQUIT) or SIGKILL; none if it was not running. */
  how: 'fast' | 'immediate' | 'killed' | 'not-running';
}

/**
 * Stops the instance of `dataDir` by PID: SIGINT (fast shutdown) for up to `graceMs`, then
 * SIGQUIT, then SIGKILL; then SIGKILL to any process still working in the data directory, and
 * waits until they are all gone, so the directory and the port are free afterwards.
 */
export async function stopByPid(dataDir: string, graceMs: number, clock: Clock, abort: AbortSignal): Promise<StopOutcome> {
  const pid = runningPostmaster(dataDir);
  let how: StopOutcome['how'] = 'not-running';
  if (pid !== undefined) {
    how = 'fast';
    signal(pid, 'SIGINT');
    if (!(await waitGone([pid], graceMs, clock, abort))) {
      how = 'immediate';
      signal(pid, 'SIGQUIT');
      if (!(await waitGone([pid], 5_000, clock, abort))) {
        how = 'killed';
        signal(pid, 'SIGKILL');
        await waitGone([pid], 5_000, clock, abort);
      }
    }
  }
  for (let round = 0; round < 3; round++) {
    const left = processesIn(dataDir);
    if (left.length === 0) break;
    for (const p of left) signal(p, 'SIGKILL');
    await waitGone(left, 5_000, clock, abort);
  }
  return pid === undefined ? { how } : { pid, how };
}
