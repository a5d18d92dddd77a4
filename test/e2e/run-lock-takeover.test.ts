/**
 * Racing takeovers of a stale run lock, with real processes. Any crash leaves a stale lock, and
 * two operators (or a script and an operator) who both run `drplan resume` afterwards race to
 * take it over: exactly one may win, every time.
 *
 * The racers are separate Node processes (test/fixtures/lock/racer.mjs) calling the compiled
 * lock; the stale lock is the real one of a process that took it and was SIGKILLed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/torture-process.js';

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
