/**
 * The run lock's interleavings, made deterministic: `node:fs` is mocked (for this file only) so
 * that other engines act at the one moment that matters — after a contender has read the lock
 * and decided, before it claims the next epoch (its link(2)). The real-process race is
 * test/e2e/run-lock-takeover.test.ts; the argument is in engine/store/run-lock.ts.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import * as fs from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const between = vi.hoisted(() => ({ hook: null as null | (() => void) }));

vi.mock('node:fs', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs')>();
  return {
    ...actual,
    linkSync: (...args: Parameters<typeof actual.linkSync>) => {
      const hook = between.hook;
      between.hook = null;
      hook?.();
      return actual.linkSync(...args);
    },
  };
});

const { acquireRunLock, readHolder, RunLockedError } = await import('../../../engine/store/run-lock.js');
type Outcome = ReturnType<typeof acquireRunLock> | Error;

let dir = '';
let lock = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'drplan-lock-race-'));
  lock = join(dir, 'lock');
});
afterEach(() => {
  between.hook = null;
  rmSync(dir, { recursive: true, force: true });
});

const attempt = (): Outcome => {
  try {
    return acquireRunLock(lock, 'r1', () => {});
  } catch (error) {
    return error as Error;
  }
};
const holds = (o: Outcome | null): o is ReturnType<typeof acquireRunLock> => o !== null && !(o instanceof Error);

/** A lock left by a process that died holding it (epoch 1). */
function staleLock(): number {
  const dead = spawnSync(process.execPath, ['-e', '']).pid!;
  fs.mkdirSync(lock);
  fs.writeFileSync(join(lock, '1'), JSON.stringify({ pid: dead, host: hostname(), since: '2026-01-01T00:00:00Z', epoch: 1, token: 'dead' }) + '\n');
  return dead;
}

describe('run lock interleavings', () => {
  it('an engine that comes later, after the holder is written, is refused', () => {
    const held = acquireRunLock(lock, 'r1', () => {});
    expect(() => acquireRunLock(lock, 'r1', () => {})).toThrow(RunLockedError);
    expect(readHolder(lock)).toMatchObject({ pid: process.pid, host: hostname(), epoch: 1 });
    held.release();
    expect(readHolder(lock)).toBeNull();
  });

  it('two engines taking a free run at once: exactly one holds it', () => {
    let second: Outcome | null = null;
    between.hook = () => (second = attempt());
    const first = attempt();
    expect([first, second].filter(holds)).toHaveLength(1);
    expect([first, second].filter((o) => o instanceof RunLockedError)).toHaveLength(1);
  });

  it('two engines taking over the same stale lock: the one that claims the next epoch first holds it', () => {
    const dead = staleLock();
    const told: number[] = [];
    let second: Outcome | null = null;
    between.hook = () => (second = acquireRunLock(lock, 'r1', (h) => told.push(h.pid)));
    // The first read the dead holder and decided to take over; the second did it all meanwhile.
    const first = attempt();
    expect(holds(second)).toBe(true);
    expect(first).toBeInstanceOf(RunLockedError);
    expect(told).toEqual([dead]);
    expect(readHolder(lock)).toMatchObject({ pid: process.pid, epoch: 2 });
  });

  it('a contender that stalled after judging the lock stale, while others took over, let go and took the run fresh, is refused', () => {
    staleLock();
    let third: Outcome | null = null;
    between.hook = () => {
      // B takes over (epoch 2) and lets go (3: free); C takes the run fresh (4) and holds it.
      // Epochs 1–3 are cleaned away, so A's claim of epoch 2 succeeds — and must still lose.
      const b = acquireRunLock(lock, 'r1', () => {});
      b.release();
      third = attempt();
    };
    const first = attempt();
    expect(holds(third)).toBe(true);
    expect(first).toBeInstanceOf(RunLockedError);
    expect(readHolder(lock)).toMatchObject({ epoch: 4 });
    // A removed the epoch it claimed in vain; only the holder's remains.
    expect(readdirSync(lock)).toEqual(['4']);
    // The holder is not disturbed: its fence still passes.
    expect(() => (third as ReturnType<typeof acquireRunLock>).check()).not.toThrow();
  });

  it('a contender killed after claiming an epoch leaves a lock the next engine takes over', () => {
    staleLock();
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    // What a contender killed right after its link leaves: epoch 2 naming a dead process, and
    // its temporary file.
    fs.writeFileSync(join(lock, '2'), JSON.stringify({ pid: dead, host: hostname(), since: 'then', epoch: 2, token: 'x' }) + '\n');
    fs.writeFileSync(join(lock, `.tmp-${dead}-abc`), 'partial');
    const held = attempt();
    expect(holds(held)).toBe(true);
    expect(readdirSync(lock)).toEqual(['3']);
  });
});
