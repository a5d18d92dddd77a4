import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isAlive, processesIn, runningPostmaster, stopByPid } from '../../../../adapters/postgres/processes.js';
import { systemClock } from '../../../../engine/run/clock.js';

// Stopping an instance by PID, with stand-ins for a postmaster: shell loops working in a
// "data directory", writing their PID where PostgreSQL writes its own.

const dirs: string[] = [];
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function dataDir(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'drplan-pg-proc-'));
  dirs.push(d);
  return d;
}

/** A fake postmaster in `dir`; `onInt` is the shell's INT trap ('' ignores it). */
async function fakePostmaster(dir: string, onInt = 'exit 0'): Promise<number> {
  const child = spawn('sh', ['-c', `trap '${onInt}' INT; echo $$ > postmaster.pid; while :; do sleep 0.02; done`], { cwd: dir, stdio: 'ignore' });
  children.push(child);
  const until = Date.now() + 5000;
  while (runningPostmaster(dir) === undefined) {
    if (Date.now() > until) throw new Error('fake postmaster did not start');
    await new Promise((r) => setTimeout(r, 10));
  }
  return child.pid!;
}

const signal = new AbortController().signal;

describe('stopping an instance by PID', () => {
  it('finds the postmaster of a data directory, and only a live one working there', async () => {
    const dir = dataDir();
    expect(runningPostmaster(dir)).toBeUndefined(); // no postmaster.pid
    const pid = await fakePostmaster(dir);
    expect(runningPostmaster(dir)).toBe(pid);
    expect(processesIn(dir)).toContain(pid);
    // A stale file naming a live process that works elsewhere (this test) is not a postmaster.
    const other = dataDir();
    writeFileSync(path.join(other, 'postmaster.pid'), `${process.pid}\n/some/dir\n`);
    expect(runningPostmaster(other)).toBeUndefined();
    expect(isAlive(process.pid)).toBe(true);
    expect(isAlive(2 ** 22 + 12345)).toBe(false);
  });

  it('a fast shutdown (SIGINT) when it answers to it', async () => {
    const dir = dataDir();
    const pid = await fakePostmaster(dir);
    expect(await stopByPid(dir, 5000, systemClock, signal)).toEqual({ pid, how: 'fast' });
    expect(isAlive(pid)).toBe(false);
    expect(processesIn(dir)).toEqual([]);
  });

  it('escalates to SIGQUIT when SIGINT is ignored past the grace period, and leaves no process in the directory', async () => {
    const dir = dataDir();
    const pid = await fakePostmaster(dir, '');
    // A "child" that outlives its postmaster, as PostgreSQL's backends briefly do.
    const orphan = spawn('sh', ['-c', 'trap "" INT QUIT TERM; while :; do sleep 0.02; done'], { cwd: dir, stdio: 'ignore' });
    children.push(orphan);
    const outcome = await stopByPid(dir, 200, systemClock, signal);
    expect(outcome).toEqual({ pid, how: 'immediate' });
    expect(isAlive(pid)).toBe(false);
    expect(isAlive(orphan.pid!)).toBe(false);
    expect(processesIn(dir)).toEqual([]);
  });

  it('nothing running: nothing to stop', async () => {
    expect(await stopByPid(dataDir(), 100, systemClock, signal)).toEqual({ how: 'not-running' });
  });
});
