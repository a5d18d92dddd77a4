/**
 * The moment between creating the lock file and writing the holder into it. `node:fs` is mocked
 * (for this file only) so that a second engine arrives exactly then: the race two `drplan resume`
 * started together can lose, made deterministic.
 */
import { mkdtempSync, rmSync } from 'node:fs';
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

let dir = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'drplan-lock-race-'));
});
afterEach(() => {
  between.hook = null;
  rmSync(dir, { recursive: true, force: true });
});

describe('run lock: a second engine arriving while the first is writing the lock file', () => {
  it('an engine that comes later, after the holder is written, is refused', () => {
    const lock = join(dir, 'lock');
    const held = acquireRunLock(lock, 'r1', () => {});
    expect(() => acquireRunLock(lock, 'r1', () => {})).toThrow(RunLockedError);
    expect(readHolder(lock)).toMatchObject({ pid: process.pid, host: hostname() });
    held.release();
    expect(readHolder(lock)).toBeNull();
  });

  // BUG (engine/store/run-lock.ts acquireRunLock): the lock file is created empty (`openSync(wx)`)
  // and the holder written after; an engine arriving in between reads no holder, takes the empty
  // file for the lock of a process that died mid-write, deletes it and takes the lock itself —
  // while the first engine goes on believing it holds the lock. Two engines then drive (and
  // append to) the same journal. Writing the holder to a temporary file and linking it into place
  // (link fails if the lock exists) would make the lock appear complete or not at all.
  it('exactly one of them holds the lock', () => {
    const lock = join(dir, 'lock');
    let second: unknown = null;
    between.hook = () => {
      try {
        second = acquireRunLock(lock, 'r1', () => {});
      } catch (error) {
        second = error;
      }
    };
    let first: unknown;
    try {
      first = acquireRunLock(lock, 'r1', () => {});
    } catch (error) {
      first = error;
    }
    // Whichever links the lock into place first holds it; the other is refused.
    const outcomes = [first, second];
    expect(outcomes.filter((o) => o !== null && typeof o === 'object' && 'release' in o)).toHaveLength(1);
    expect(outcomes.filter((o) => o instanceof RunLockedError)).toHaveLength(1);
  });
});
