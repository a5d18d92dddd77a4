import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import PQueue from 'p-queue';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SimulatedClock } from '../../../engine/run/simulated-clock.js';

const START = Date.parse('2024-05-01T08:00:00.000Z');

describe('SimulatedClock', () => {
  it('is simulated and starts at the given time', () => {
    const clock = new SimulatedClock(START);
    expect(clock.simulated).toBe(true);
    expect(clock.now()).toBe(START);
  });

  it('jumps to the due time of a lone sleeper', async () => {
    const clock = new SimulatedClock(START);
    await clock.sleep(3_600_000);
    expect(clock.now()).toBe(START + 3_600_000);
  });

  it('wakes concurrent sleepers by due time, ties in the order they went to sleep', async () => {
    const clock = new SimulatedClock(START);
    const woke: Array<[string, number]> = [];
    const nap = async (name: string, ms: number): Promise<void> => {
      await clock.sleep(ms);
      woke.push([name, clock.now() - START]);
    };
    await Promise.all([nap('c', 300), nap('a', 100), nap('b1', 200), nap('b2', 200), nap('zero', 0)]);
    expect(woke).toEqual([
      ['zero', 0],
      ['a', 100],
      ['b1', 200],
      ['b2', 200],
      ['c', 300],
    ]);
  });

  it('lets each sleeper run its continuation before the next one wakes', async () => {
    const clock = new SimulatedClock(START);
    const log: string[] = [];
    const worker = async (name: string): Promise<void> => {
      await clock.sleep(100);
      log.push(`${name} woke`);
      // A chain of promise continuations, as an adapter call or a journal append would make.
      for (let i = 0; i < 5; i++) await Promise.resolve();
      log.push(`${name} done`);
    };
    await Promise.all([worker('a'), worker('b')]);
    expect(log).toEqual(['a woke', 'a done', 'b woke', 'b done']);
  });

  it('interleaves sleep loops exactly as real time would', async () => {
    const clock = new SimulatedClock(0);
    const log: string[] = [];
    const loop = async (name: string, period: number, times: number): Promise<void> => {
      for (let i = 0; i < times; i++) {
        await clock.sleep(period);
        log.push(`${name}@${clock.now()}`);
      }
    };
    await Promise.all([loop('fast', 30, 4), loop('slow', 50, 2)]);
    expect(log).toEqual(['fast@30', 'slow@50', 'fast@60', 'fast@90', 'slow@100', 'fast@120']);
  });

  it('removes an aborted sleeper at once and rejects with the reason', async () => {
    const clock = new SimulatedClock(START);
    const controller = new AbortController();
    const aborted = clock.sleep(1000, controller.signal);
    const other = clock.sleep(5000);
    expect(clock.pendingTimers).toBe(2);
    const reason = new Error('step timed out');
    controller.abort(reason);
    await expect(aborted).rejects.toBe(reason);
    expect(clock.pendingTimers).toBe(1);
    await other;
    expect(clock.now()).toBe(START + 5000);
  });

  it('rejects at once when the signal is already aborted, without registering a timer', async () => {
    const clock = new SimulatedClock(START);
    const controller = new AbortController();
    controller.abort('cancelled');
    await expect(clock.sleep(10, controller.signal)).rejects.toBe('cancelled');
    expect(clock.pendingTimers).toBe(0);
    expect(clock.now()).toBe(START);
  });

  it('lets a sleeper time out another, as a step timeout does with an operation', async () => {
    const clock = new SimulatedClock(START);
    const controller = new AbortController();
    const operation = clock.sleep(60_000, controller.signal);
    const timeout = clock.sleep(10_000).then(() => controller.abort(new Error('timeout after 10s')));
    await timeout;
    await expect(operation).rejects.toThrow('timeout after 10s');
    expect(clock.now()).toBe(START + 10_000);
    expect(clock.pendingTimers).toBe(0);
  });

  it('does not advance while a lease is held', async () => {
    const clock = new SimulatedClock(START);
    const release = clock.hold();
    let woke = false;
    const sleeping = clock.sleep(1000).then(() => {
      woke = true;
    });
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
    expect(woke).toBe(false);
    expect(clock.now()).toBe(START);
    release();
    release(); // a second call must not return someone else's lease
    await sleeping;
    expect(clock.now()).toBe(START + 1000);
  });

  it('counts leases: time waits for the last one', async () => {
    const clock = new SimulatedClock(START);
    const first = clock.hold();
    const second = clock.hold();
    let woke = false;
    const sleeping = clock.sleep(1).then(() => {
      woke = true;
    });
    first();
    first();
    for (let i = 0; i < 10; i++) await new Promise((r) => setImmediate(r));
    expect(woke).toBe(false);
    second();
    await sleeping;
    expect(woke).toBe(true);
  });

  it('does not let a timer fire during real file writes made under a lease', async () => {
    const clock = new SimulatedClock(START);
    const dir = await mkdtemp(join(tmpdir(), 'drplan-clock-'));
    try {
      const log: string[] = [];
      const writer = async (): Promise<void> => {
        for (let i = 0; i < 5; i++) {
          await clock.sleep(10);
          const release = clock.hold();
          try {
            await writeFile(join(dir, `record-${i}`), 'x'.repeat(10_000));
            log.push(`wrote ${i} at ${clock.now() - START}`);
          } finally {
            release();
          }
        }
      };
      const watcher = async (): Promise<void> => {
        await clock.sleep(15);
        log.push(`watcher at ${clock.now() - START}`);
      };
      await Promise.all([writer(), watcher()]);
      expect(log).toEqual([
        'wrote 0 at 10',
        'watcher at 15',
        'wrote 1 at 20',
        'wrote 2 at 30',
        'wrote 3 at 40',
        'wrote 4 at 50',
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('keeps instances apart', async () => {
    const a = new SimulatedClock(0);
    const b = new SimulatedClock(1_000_000);
    await Promise.all([a.sleep(500), b.sleep(20)]);
    expect(a.now()).toBe(500);
    expect(b.now()).toBe(1_000_020);
    expect(a.pendingTimers + b.pendingTimers).toBe(0);
  });

  it('never wakes an infinite wait; only an abort ends it', async () => {
    const clock = new SimulatedClock(START);
    const controller = new AbortController();
    const forever = clock.sleep(Number.POSITIVE_INFINITY, controller.signal);
    await clock.sleep(10);
    for (let i = 0; i < 10; i++) await new Promise((r) => setImmediate(r));
    expect(clock.now()).toBe(START + 10);
    controller.abort(new Error('cancel'));
    await expect(forever).rejects.toThrow('cancel');
  });

  describe('with automatic advancing off', () => {
    it('advanceBy wakes exactly the sleepers due by then and lands on the target', async () => {
      const clock = new SimulatedClock(0, { autoAdvance: false });
      const woke: number[] = [];
      for (const ms of [10, 20, 30]) void clock.sleep(ms).then(() => woke.push(clock.now()));
      for (let i = 0; i < 10; i++) await new Promise((r) => setImmediate(r));
      expect(woke).toEqual([]);
      await clock.advanceBy(25);
      expect(woke).toEqual([10, 20]);
      expect(clock.now()).toBe(25);
      expect(clock.pendingTimers).toBe(1);
      await clock.runUntilIdle();
      expect(woke).toEqual([10, 20, 30]);
      expect(clock.now()).toBe(30);
    });

    it('advanceBy wakes sleepers registered by sleepers it woke, if due in the window', async () => {
      const clock = new SimulatedClock(0, { autoAdvance: false });
      const woke: number[] = [];
      void (async () => {
        for (let i = 0; i < 5; i++) {
          await clock.sleep(10);
          woke.push(clock.now());
        }
      })();
      await clock.advanceBy(35);
      expect(woke).toEqual([10, 20, 30]);
      expect(clock.now()).toBe(35);
      await clock.advanceBy(100);
      expect(woke).toEqual([10, 20, 30, 40, 50]);
    });
  });

  it('wakes concurrent sleepers in due-time order, at their due time (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ delay: fc.nat(50), then: fc.array(fc.nat(20), { maxLength: 3 }) }), {
          minLength: 1,
          maxLength: 12,
        }),
        async (sleepers) => {
          const clock = new SimulatedClock(START);
          const wakes: Array<{ at: number; due: number; seq: number }> = [];
          let seq = 0;
          const nap = async (ms: number): Promise<void> => {
            const due = clock.now() + ms;
            const mine = seq++;
            await clock.sleep(ms);
            wakes.push({ at: clock.now(), due, seq: mine });
          };
          await Promise.all(
            sleepers.map(async ({ delay, then }) => {
              await nap(delay);
              for (const ms of then) await nap(ms);
            }),
          );
          expect(wakes).toHaveLength(sleepers.reduce((n, s) => n + 1 + s.then.length, 0));
          for (const w of wakes) expect(w.at).toBe(w.due);
          for (let i = 1; i < wakes.length; i++) {
            const [p, q] = [wakes[i - 1]!, wakes[i]!];
            expect(p.due < q.due || (p.due === q.due && p.seq < q.seq)).toBe(true);
          }
          expect(clock.pendingTimers).toBe(0);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('is fast: many sleeps cost microseconds each', async () => {
    const sequential = new SimulatedClock(0);
    let t0 = performance.now();
    for (let i = 0; i < 10_000; i++) await sequential.sleep(1000);
    const sequentialMs = performance.now() - t0;
    expect(sequential.now()).toBe(10_000 * 1000);

    const pooled = new SimulatedClock(0);
    let maxRunning = 0;
    t0 = performance.now();
    for (let group = 0; group < 10; group++) {
      const queue = new PQueue({ concurrency: 8 });
      let running = 0;
      for (let i = 0; i < 1000; i++) {
        void queue.add(async () => {
          running++;
          maxRunning = Math.max(maxRunning, running);
          await pooled.sleep(1000);
          running--;
        });
      }
      await queue.onIdle();
    }
    const pooledMs = performance.now() - t0;
    // 1,000 sleeps of 1s, 8 at a time, take 125 virtual seconds per group.
    expect(pooled.now()).toBe(10 * 125 * 1000);
    expect(maxRunning).toBe(8);

    console.log(
      `simulated clock: 10,000 sequential sleeps in ${sequentialMs.toFixed(1)} ms real time; ` +
        `10 groups x 1,000 sleeps at concurrency 8 in ${pooledMs.toFixed(1)} ms`,
    );
  });
});
