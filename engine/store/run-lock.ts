import { randomBytes } from 'node:crypto';
import { linkSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ownIdentity, processState, type ProcessIdentity } from './process-identity.js';

/** The engine holding a run, as its lock records it. */
export interface LockHolder extends ProcessIdentity {
  since: string;
  /** Which holder of the run this is: every change of holder raises it. Absent in locks written before epochs. */
  epoch?: number;
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
        `if it ran on another host, make sure it is stopped, then remove ${lockFile} (\`rm -r\`).`,
    );
    this.name = 'RunLockedError';
  }
}

/** This engine's lock was taken over (or removed by hand): it must not write to the run again. */
export class RunLockLostError extends Error {
  constructor(
    readonly runId: string,
    readonly epoch: number,
    readonly now: LockHolder | null,
  ) {
    super(
      `run ${runId}: this engine (pid ${process.pid}, lock epoch ${epoch}) no longer holds the run: ` +
        (now ? `pid ${now.pid} on ${now.host} took it over (epoch ${now.epoch ?? '?'}, since ${now.since})` : 'its lock was removed') +
        `. It stops here and writes nothing more to the journal; \`drplan status ${runId}\` shows where the run stands.`,
    );
    this.name = 'RunLockLostError';
  }
}

/** A run lock this process holds. */
export interface RunLock {
  readonly holder: LockHolder & { epoch: number };
  /** Throws RunLockLostError if another engine has taken the run since, or the lock was removed. Cheap: one stat and one small read. */
  check(): void;
  /** Lets go (the next epoch says `free`); nothing if the lock was lost. */
  release(): void;
}

interface HeldRecord extends LockHolder {
  epoch: number;
  /** Tells this holder's file from one a person or a later engine wrote under the same number. */
  token: string;
}
type LockRecord = HeldRecord | { epoch: number; free: true; since: string };

const EPOCH = /^[1-9][0-9]{0,14}$/;

/**
 * One engine per run. `<run>/lock/` is a log of epochs: files named 1, 2, 3 …, each written once
 * and never changed. The highest says who holds the run: an engine (pid, host, boot id, process
 * start time) or `free`. Every change of holder — taking a free run, taking over from a dead
 * engine, letting go — is the creation of the next number by link(2) of a complete temporary
 * file, which fails if that name exists.
 *
 * Why not "rename the stale lock file away, then link a new one": a process that read the stale
 * lock and then stalled can rename away the lock a third process linked in the meantime — a
 * live engine's — and nothing makes a rename conditional on what it moves. Creating a name is
 * the only compare-and-set a directory offers, so each epoch is claimed by creating its name.
 *
 * Why at most one engine holds a run, whatever the interleaving:
 * 1. Each number is created by exactly one process (link is exclusive). A contender creates
 *    top + 1, where top is the highest number it listed and judged free or dead.
 * 2. After creating n, the winner lists the directory again and gives up (removing its n) if
 *    any number above n exists. Numbers are only removed below one's own epoch (by a winner
 *    cleaning up, or by a loser its own), so the highest number is never removed and this
 *    listing sees it.
 * 3. So when holder H passes step 2 with n, nothing above n exists. A contender creating m > n
 *    listed a top of m - 1 ≥ n, so the first number above n is created either by H letting go
 *    (n + 1 `free`) or by a process that read H's n as the top and judged H dead (pid gone, pid
 *    reused — another start time —, exited, or another boot). A live H is never judged dead, so
 *    while H runs and holds, no number above n appears.
 * 4. A removed low number can be created again by a process that listed long ago; step 2 makes
 *    it see n above and give up. A third process creating a lock in between is just another
 *    contender for the same number: one of them gets it, the others see it taken and look again
 *    (and find a live holder).
 * 5. A contender killed at any point leaves a temporary file (removed by the next winner) or a
 *    number naming a dead process (taken over by the next contender): nothing needs a person.
 * The holder checks before each journal write that n + 1 does not exist and n is still its file
 * (`check`): the fence against what the argument cannot cover — a person removing the lock, a
 * holder on another host, a clock or /proc that lied.
 *
 * A lock left by a process that is gone from this host is stale and taken over (the caller is
 * told through `onStale`); a lock held on another host is never taken over automatically.
 */
export function acquireRunLock(lockDir: string, runId: string, onStale: (holder: LockHolder) => void): RunLock {
  const me = { ...ownIdentity(), since: new Date().toISOString(), token: randomBytes(12).toString('hex') };
  const legacy = clearLegacyLock(lockDir, runId);
  for (let tries = 0; tries < 32; tries++) {
    mkdirSync(lockDir, { recursive: true });
    const top = Math.max(0, ...epochs(lockDir));
    let stale: LockHolder | null = legacy;
    if (top > 0) {
      const current = readRecord(lockDir, top);
      if (current === 'gone') continue; // removed by a newer winner between listing and reading
      if (current && !('free' in current)) {
        if (processState(current) !== 'dead') throw new RunLockedError(runId, publicHolder(current), lockDir);
        stale = current;
      }
      // An unreadable file was not written by drplan (links only complete files): taken over.
    }
    const mine: HeldRecord = { ...me, epoch: top + 1 };
    const text = JSON.stringify(mine) + '\n';
    if (!createEpoch(lockDir, mine.epoch, text)) continue; // another contender got this epoch: look again
    if (!stillTop(lockDir, mine.epoch, text)) {
      removeIfMine(lockDir, mine.epoch, text);
      continue;
    }
    if (stale) onStale(publicHolder(stale));
    for (const name of safeReaddir(lockDir)) {
      if ((EPOCH.test(name) && Number(name) < mine.epoch) || name.startsWith('.tmp-')) unlinkQuietly(join(lockDir, name));
    }
    return new HeldRunLock(lockDir, runId, mine, text);
  }
  throw new RunLockedError(runId, readHolder(lockDir) ?? { pid: 0, host: 'unknown', since: 'unknown' }, lockDir);
}

class HeldRunLock implements RunLock {
  private lost: RunLockLostError | null = null;
  private released = false;
  readonly holder: LockHolder & { epoch: number };

  constructor(
    private readonly dir: string,
    private readonly runId: string,
    record: HeldRecord,
    private readonly text: string,
  ) {
    this.holder = publicHolder(record) as LockHolder & { epoch: number };
  }

  check(): void {
    if (this.lost) throw this.lost;
    const next = statSync(join(this.dir, String(this.holder.epoch + 1)), { throwIfNoEntry: false });
    if (next === undefined && readText(join(this.dir, String(this.holder.epoch))) === this.text) return;
    this.lost = new RunLockLostError(this.runId, this.holder.epoch, readHolder(this.dir));
    throw this.lost;
  }

  release(): void {
    if (this.released || this.lost) return;
    this.released = true;
    try {
      this.check();
    } catch {
      return; // taken over or removed: nothing here is ours to release
    }
    const free: LockRecord = { epoch: this.holder.epoch + 1, free: true, since: new Date().toISOString() };
    if (createEpoch(this.dir, free.epoch, JSON.stringify(free) + '\n')) removeIfMine(this.dir, this.holder.epoch, this.text);
  }
}

/** The engine a run's lock names, or null when the run is free (or was never locked). */
export function readHolder(lockPath: string): LockHolder | null {
  const legacy = readLegacy(lockPath);
  if (legacy !== undefined) return legacy;
  const top = Math.max(0, ...epochs(lockPath));
  if (top === 0) return null;
  const record = readRecord(lockPath, top);
  return record && record !== 'gone' && !('free' in record) ? publicHolder(record) : null;
}

/** The engine driving a run: the holder of its lock, unless that is a process of this host that is gone. */
export function drivingEngine(lockPath: string): LockHolder | null {
  const holder = readHolder(lockPath);
  return holder && processState(holder) !== 'dead' ? holder : null;
}

/**
 * drplan before epochs kept the lock as one file `{pid, host, since}` at this path. A live one
 * is respected; a stale one is removed so the directory can take its place (unlink never
 * removes a directory, so a contender that already replaced it is safe).
 */
function clearLegacyLock(lockPath: string, runId: string): LockHolder | null {
  const legacy = readLegacy(lockPath);
  if (legacy === undefined) return null;
  if (legacy && processState(legacy) !== 'dead') throw new RunLockedError(runId, legacy, lockPath);
  unlinkQuietly(lockPath);
  return legacy;
}

/** undefined: not a legacy lock file; null: a legacy file with no readable holder. */
function readLegacy(lockPath: string): LockHolder | null | undefined {
  try {
    if (!lstatSync(lockPath).isFile()) return undefined;
  } catch {
    return undefined;
  }
  const parsed = parse(readText(lockPath));
  return parsed && !('free' in parsed) ? parsed : null;
}

function epochs(dir: string): number[] {
  return safeReaddir(dir).filter((n) => EPOCH.test(n)).map(Number);
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** Creates `<dir>/<epoch>` with `text`, complete or not at all; false if the name was taken (or the directory removed). */
function createEpoch(dir: string, epoch: number, text: string): boolean {
  const pending = join(dir, `.tmp-${process.pid}-${randomBytes(6).toString('hex')}`);
  try {
    writeFileSync(pending, text, { flag: 'wx', mode: 0o644 });
    linkSync(pending, join(dir, String(epoch)));
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // ENOENT: a winner removed our temporary file, or a person the directory: look again.
    if (code === 'EEXIST' || code === 'ENOENT') return false;
    throw error;
  } finally {
    unlinkQuietly(pending);
  }
}

function stillTop(dir: string, epoch: number, text: string): boolean {
  return readText(join(dir, String(epoch))) === text && epochs(dir).every((n) => n <= epoch);
}

function removeIfMine(dir: string, epoch: number, text: string): void {
  if (readText(join(dir, String(epoch))) === text) unlinkQuietly(join(dir, String(epoch)));
}

function readRecord(dir: string, epoch: number): LockRecord | null | 'gone' {
  const text = readText(join(dir, String(epoch)));
  return text === null ? 'gone' : (parse(text) as LockRecord | null);
}

/** A lock record: a holder (with epoch and token when written with epochs), `free`, or null when unreadable. */
function parse(text: string | null): LockRecord | LockHolder | null {
  if (text === null) return null;
  try {
    const r = JSON.parse(text) as Partial<HeldRecord> & { free?: boolean };
    if (r.free === true && typeof r.epoch === 'number') return { epoch: r.epoch, free: true, since: String(r.since) };
    return typeof r.pid === 'number' && typeof r.host === 'string' ? (r as HeldRecord) : null;
  } catch {
    return null;
  }
}

function publicHolder(r: LockHolder & { token?: string }): LockHolder {
  const { token: _token, ...holder } = r;
  return { ...holder, since: String(holder.since) };
}

function readText(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

function unlinkQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // gone already, or a directory: nothing to do
  }
}
