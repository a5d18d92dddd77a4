/**
 * Racing takeovers of a stale run lock, with real processes. Any crash leaves a stale lock, and
 * two operators (or a script and an operator) who both run `drplan resume` afterwards race to
 * take it over: exactly one may win, every time.
 *
 * The racers are separate Node processes (test/fixtures/lock/racer.mjs) calling the compiled
 * lock; the stale lock is the real one of a process that took it and was SIGKILLed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireRunLock, type RunLock } from '../../engine/store/run-lock.js';
import { ROOT, runDrplan } from '../helpers/torture-process.js';

const RACER = fileURLToPath(new URL('../fixtures/lock/racer.mjs', import.meta.url));
const RACERS = 6;
const TRIALS = Number(process.env.DRPLAN_LOCK_RACE_TRIALS ?? 40);

/** A racer process: send it a command line, await its next answer line. */
class Racer {
  private readonly lines: string[] = [];
  private waiting: ((line: string) => void) | null = null;
  readonly exited: Promise<void>;

  constructor(readonly child: ChildProcess) {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (this.waiting) {
        const w = this.waiting;
        this.waiting = null;
        w(line);
      } else this.lines.push(line);
    });
    // 'close': reaped, so its pid is free and a lock check sees it dead (not a zombie).
    this.exited = new Promise((resolve) => child.once('close', () => resolve()));
  }

  next(): Promise<string> {
    const line = this.lines.shift();
    if (line !== undefined) return Promise.resolve(line);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`racer ${this.child.pid} did not answer`)), 30_000);
      this.waiting = (l) => {
        clearTimeout(timer);
        resolve(l);
      };
    });
  }

  send(command: string): void {
    this.child.stdin!.write(command + '\n');
  }
}

const live: Racer[] = [];

async function startRacer(): Promise<Racer> {
  const racer = new Racer(spawn(process.execPath, [RACER], { stdio: ['pipe', 'pipe', 'inherit'] }));
  live.push(racer);
  expect(await racer.next()).toBe('ready');
  return racer;
}

/** Makes `lock` stale: a process takes it and dies holding it. */
async function staleLock(victim: Racer, lock: string): Promise<void> {
  victim.send(`hold ${lock}`);
  expect(await victim.next()).toMatch(/^held /);
  victim.send('die');
  await victim.exited;
}

let scratch = '';
beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist', 'engine', 'store', 'run-lock.js'))) throw new Error('dist/ is missing: run `npm run build` first');
  scratch = mkdtempSync(join(tmpdir(), 'drplan-lock-takeover-'));
});
afterAll(() => {
  for (const r of live) r.child.kill('SIGKILL');
  rmSync(scratch, { recursive: true, force: true });
});

describe('run lock: processes racing to take over a stale lock', () => {
  it(`${RACERS} processes, ${TRIALS} stale locks: exactly one takes each over, the others are refused`, async () => {
    const racers = await Promise.all(Array.from({ length: RACERS }, () => startRacer()));
    let victim = await startRacer();
    const problems: string[] = [];
    for (let t = 0; t < TRIALS; t++) {
      const lock = join(scratch, `run-${t}`, 'lock');
      mkdirSync(join(scratch, `run-${t}`));
      await staleLock(victim, lock);
      // Far enough ahead that every racer has read the command before the instant.
      const at = Date.now() + 150;
      for (const r of racers) r.send(`race ${lock} ${at}`);
      const answers = await Promise.all(racers.map((r) => r.next()));
      const winners = answers.flatMap((a, i) => (a.startsWith('won') ? [i] : []));
      const others = answers.filter((a) => !a.startsWith('won') && a !== 'locked');
      if (winners.length !== 1 || others.length > 0) problems.push(`trial ${t}: ${answers.join(', ')}`);
      // The winner holds the lock: it is the next trial's crash, and a fresh racer takes its place.
      const w = winners[0] ?? 0;
      victim = racers[w]!;
      racers[w] = await startRacer();
    }
    expect(problems).toEqual([]);
  }, 600_000);
});

describe('run lock: an engine whose run was taken over', () => {
  // The fence, end to end: whatever made another engine take the run (here a person removed the
  // lock and another engine took it while this one was in a step), the first engine stops at its
  // next journal write with a clear error, and writes nothing more.
  it('stops at its next journal write with a clear error (exit 1) and writes nothing more', async () => {
    const dir = join(scratch, 'fenced');
    mkdirSync(dir);
    const mark = join(dir, 'mark');
    writeFileSync(
      join(dir, 'plan.yaml'),
      [
        'apiVersion: drplan/v1',
        'kind: RecoveryPlan',
        'metadata: { name: fenced }',
        'spec:',
        '  adapters:',
        '    site: { type: simulator, estimates: { replicationHealth: 5ms, shutdown: 10ms, sync: 10ms, failover: 10ms, start: 10ms } }',
        '  sites: { source: site, target: site }',
        '  parameters:',
        '    mark: { type: string }',
        '  modes: { planned: {}, unplanned: {} }',
        '  prechecks:',
        '    - id: slow',
        '      run: [sh, -c, \'echo slow >> "$0"; sleep 2\', "{{params.mark}}"]',
        '      estimate: 3s',
        '    - id: after',
        '      run: [sh, -c, \'echo after >> "$0"\', "{{params.mark}}"]',
        '      estimate: 1s',
        '  groups:',
        '    - id: db',
        '      vms: [db-1]',
        '',
      ].join('\n'),
    );
    let taken: { lock: RunLock; journal: string; text: string } | null = null;
    const out = await runDrplan(['run', 'plan.yaml', '--mode', 'unplanned', '--param', `mark=${mark}`, '--state', 'state'], {
      cwd: dir,
      onTick: async () => {
        if (taken || !existsSync(mark)) return;
        const runDir = join(dir, 'state', 'runs', readdirSync(join(dir, 'state', 'runs'))[0]!);
        rmSync(join(runDir, 'lock'), { recursive: true, force: true });
        const lock = acquireRunLock(join(runDir, 'lock'), 'r', () => {});
        const journal = join(runDir, 'journal.jsonl');
        taken = { lock, journal, text: readFileSync(journal, 'utf8') };
      },
    });
    expect(taken, out.stdout + out.stderr).not.toBeNull();
    const { lock, journal, text } = taken!;
    expect(out.code, out.stdout + out.stderr).toBe(1);
    expect(out.stderr).toMatch(/no longer holds the run: pid \d+ on \S+ took it over \(epoch 1/);
    expect(out.stderr).not.toMatch(/internal error/);
    // Nothing after the takeover: no record, no further step.
    expect(readFileSync(journal, 'utf8')).toBe(text);
    expect(readFileSync(mark, 'utf8')).toBe('slow\n');
    lock.check();
    lock.release();
  }, 120_000);
});
