// What the run lock costs (engine/store/run-lock.ts). Every journal write is preceded by the
// fence — `check()`: one stat of the next epoch's name and one read of this holder's own small
// file — so it is paid once per write+fsync (per group-commit batch, not per record). Measured in
// process against dist/, in a temporary directory on the machine's disk:
//
//   - the fence alone, 20,000 calls;
//   - a durable append (write + fsync, fence included), one appender awaiting each, for scale;
//   - taking a free lock, and taking over one left by a dead process (the path every
//     `drplan resume` after a crash takes).

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileStore } from '../dist/engine/store/file-store.js';
import { acquireRunLock } from '../dist/engine/store/run-lock.js';
import { median, nowMs, percentile } from './stats.js';

export const name = 'run-lock';
export const description = 'run lock: the fence checked before every journal write, durable appends with it, taking a free lock and a stale one';

const CHECKS = 20_000;
const APPENDS = 400;
const ACQUIRES = 200;
const T0 = Date.parse('2026-01-01T00:00:00Z');

const started = (runId) => ({
  type: 'run.started',
  data: { runId, plan: 'bench', planFile: 'bench.yaml', planDigest: 'bench', mode: 'planned', params: {}, initiator: 'bench', engineVersion: 'bench', dryRun: true, autoApprove: true, faults: [], seed: 1, simulated: true },
});
const stepStarted = (stepId) => ({ type: 'step.started', data: { stepId, attempt: 1, idempotencyKey: `bench:${stepId}:1`, deadline: null } });

export async function run() {
  const dir = mkdtempSync(join(tmpdir(), 'drplan-bench-lock-'));
  try {
    const rows = [];
    const lock = acquireRunLock(join(dir, 'fence-lock'), 'bench', () => {});
    const checks = [];
    for (let i = 0; i < CHECKS; i++) {
      const s = nowMs();
      lock.check();
      checks.push(nowMs() - s);
    }
    lock.release();
    const checkMs = median(checks);
    rows.push({ case: `fence check before a journal write (${CHECKS.toLocaleString('en')} calls)`, runs: CHECKS, medianMs: checkMs, p95Ms: percentile(checks, 95), note: `${(checkMs * 1000).toFixed(1)} µs` });

    const store = new FileStore(join(dir, 'state'));
    const journal = await store.create('appends');
    await journal.append([started('appends')], T0);
    const appends = [];
    for (let i = 0; i < APPENDS; i++) {
      const s = nowMs();
      await journal.append([stepStarted(`s${i}`)], T0);
      appends.push(nowMs() - s);
    }
    await journal.close();
    const appendMs = median(appends);
    rows.push({ case: `durable append with the fence, 1 appender awaiting each (${APPENDS} records)`, runs: APPENDS, medianMs: appendMs, p95Ms: percentile(appends, 95), note: `the fence is ${((checkMs / appendMs) * 100).toFixed(2)}% of it` });

    const free = [];
    const stale = [];
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    for (let i = 0; i < ACQUIRES; i++) {
      const freeDir = join(dir, `free-${i}`);
      let s = nowMs();
      acquireRunLock(freeDir, 'bench', () => {}).release();
      free.push(nowMs() - s);
      const staleDir = join(dir, `stale-${i}`);
      mkdirSync(staleDir);
      writeFileSync(join(staleDir, '1'), JSON.stringify({ pid: dead, host: hostname(), since: 'then', epoch: 1, token: 'dead' }) + '\n');
      s = nowMs();
      acquireRunLock(staleDir, 'bench', () => {}).release();
      stale.push(nowMs() - s);
    }
    rows.push({ case: `take a free lock and let go (${ACQUIRES} times)`, runs: ACQUIRES, medianMs: median(free), p95Ms: percentile(free, 95) });
    rows.push({ case: `take over a dead process's lock and let go (${ACQUIRES} times)`, runs: ACQUIRES, medianMs: median(stale), p95Ms: percentile(stale, 95) });
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
