import { closeSync, linkSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';

export interface LockHolder {
  pid: number;
  host: string;
  since: string;
}

export class RunLockedError extends Error {
  constructor(
    readonly runId: string,
    readonly holder: LockHolder,
    readonly lockFile: string,
  ) {
    super(
      `run ${runId} is being driven by another drplan (pid ${holder.pid} on ${holder.host}, since ${holder.since}). ` +
        `Only one engine may drive a run. If that process is gone and its host is this one, drplan takes the lock over by itself; ` +
        `if it ran on another host, make sure it is stopped, then remove ${lockFile}.`,
    );
    this.name = 'RunLockedError';
  }
}

/**
 * One engine per run: an exclusive lock file naming the holder's pid and host. A lock left by a
 * process that no longer exists on this host is stale and taken over (the caller is told).
 */
export function acquireRunLock(lockFile: string, runId: string, onStale: (holder: LockHolder) => void): () => void {
  const me: LockHolder = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
  for (let tries = 0; tries < 3; tries++) {
    try {
      // Written aside, then linked into place: the lock file never exists without its holder,
      // so nobody can mistake a lock being taken for a stale one.
      const pending = `${lockFile}.${process.pid}.${Date.now()}.tmp`;
      const fd = openSync(pending, 'wx', 0o644);
      writeSync(fd, JSON.stringify(me) + '\n');
      closeSync(fd);
      try {
        linkSync(pending, lockFile);
      } finally {
        unlinkSync(pending);
      }
      return () => {
        try {
          const holder = readHolder(lockFile);
          if (holder?.pid === me.pid && holder.host === me.host) unlinkSync(lockFile);
        } catch {
          // already gone
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = readHolder(lockFile);
      if (holder && (holder.host !== me.host || isAlive(holder.pid))) throw new RunLockedError(runId, holder, lockFile);
      // The holder died (or wrote nothing readable before dying): the lock is stale.
      if (holder) onStale(holder);
      try {
        unlinkSync(lockFile);
      } catch {
        // someone else took it over first; the next try sees their lock
      }
    }
  }
  throw new RunLockedError(runId, readHolder(lockFile) ?? { pid: 0, host: 'unknown', since: 'unknown' }, lockFile);
}

export function readHolder(lockFile: string): LockHolder | null {
  try {
    const parsed = JSON.parse(readFileSync(lockFile, 'utf8')) as LockHolder;
    return typeof parsed.pid === 'number' && typeof parsed.host === 'string' ? parsed : null;
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
