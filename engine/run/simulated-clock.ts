import type { Clock } from '../../adapters/types.js';

/**
 * Virtual time for dry-runs (SPEC §1: "fast (simulated time)"). `sleep` registers a virtual timer
 * instead of a real one; when the program has nothing else to do, time jumps to the earliest
 * pending timer and wakes it. A plan estimated at hours dry-runs in milliseconds, and concurrent
 * sleepers still wake in the order real time would wake them: by due time, ties by the order
 * they went to sleep, one at a time, each sleeper's continuation running before the next wakes.
 *
 * "Nothing else to do" is judged by the event loop: time advances only after a full
 * `setImmediate` turn in which no timer was registered, no timer was cancelled and no lease was
 * taken or returned, and while no lease (`hold`) is held. A turn lets every pending promise
 * continuation run, so ordinary async code between sleeps is seen. Real I/O can outlast a turn;
 * code awaiting it must hold a lease (the journal store holds one around each write), or a
 * timer could fire while it waits.
 *
 * @example
 * ```ts
 * const clock = new SimulatedClock(Date.parse('2024-05-01T08:00:00Z'));
 * await clock.sleep(3_600_000); // returns in microseconds of real time
 * clock.now(); // 2024-05-01T09:00:00Z
 * ```
 */
export class SimulatedClock implements Clock {
  readonly simulated = true;
  private current: number;
  private readonly timers = new TimerHeap();
  private sequence = 0;
  /** Bumped by every event that shows the program is busy; a turn that sees it change is not idle. */
  private activity = 0;
  private holds = 0;
  /** Advances driven by `advanceBy` / `runUntilIdle`, which pause automatic advancing. */
  private manual = 0;
  private turnPending = false;
  private activityAtTurn = 0;
  private releaseWaiters: Array<() => void> = [];
  private readonly autoAdvance: boolean;

  /**
   * @param startMs virtual time at creation, in milliseconds since the epoch
   * @param options `autoAdvance: false` leaves time still until `advanceBy` or `runUntilIdle`
   *   moves it, for tests that look at the program between two instants.
   */
  constructor(startMs: number, options: { autoAdvance?: boolean } = {}) {
    if (!Number.isFinite(startMs)) throw new RangeError(`start time must be finite, got ${startMs}`);
    this.current = startMs;
    this.autoAdvance = options.autoAdvance ?? true;
  }

  now(): number {
    return this.current;
  }

  /** Number of sleepers waiting (aborted ones are removed at once). */
  get pendingTimers(): number {
    return this.timers.size;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const delay = Number.isNaN(ms) ? 0 : Math.max(ms, 0);
      const timer: Timer = { due: this.current + delay, seq: this.sequence++, index: -1, wake: resolve };
      if (signal) {
        const onAbort = (): void => {
          this.timers.remove(timer);
          this.poke();
          reject(signal.reason);
        };
        signal.addEventListener('abort', onAbort, { once: true });
        timer.wake = () => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        };
      }
      this.timers.push(timer);
      this.poke();
    });
  }

  /**
   * Takes a lease that stops time from advancing until the returned function is called (calling
   * it again does nothing). Wrap real I/O between sleeps in one, so that a timer cannot fire
   * while the program is busy but the event loop looks idle.
   *
   * @example
   * ```ts
   * const release = clock.hold();
   * try { await appendFile(journal, line); } finally { release(); }
   * ```
   */
  hold(): () => void {
    this.holds++;
    this.poke();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.holds--;
      if (this.holds === 0) {
        const waiters = this.releaseWaiters;
        this.releaseWaiters = [];
        for (const wake of waiters) wake();
      }
      this.poke();
    };
  }

  /**
   * Moves time forward by `ms`, waking every sleeper due by then in order and letting the program
   * settle after each, then sets `now()` to exactly the target. Automatic advancing is paused
   * meanwhile, so nothing due later wakes.
   */
  async advanceBy(ms: number): Promise<void> {
    const target = this.current + Math.max(ms, 0);
    await this.drive((due) => due <= target);
    this.current = Math.max(this.current, target);
  }

  /**
   * Wakes sleepers, earliest first, until none is left and the program is idle. Never returns
   * while something keeps going back to sleep (a poll loop without an end).
   */
  async runUntilIdle(): Promise<void> {
    await this.drive(() => true);
  }

  private async drive(shouldWake: (due: number) => boolean): Promise<void> {
    this.manual++;
    try {
      for (;;) {
        await this.settle();
        const next = this.timers.peek();
        if (!next || !Number.isFinite(next.due) || !shouldWake(next.due)) return;
        this.wakeEarliest();
      }
    } finally {
      this.manual--;
      this.poke();
    }
  }

  /** Resolves once a whole turn passed without activity and no lease is held. */
  private async settle(): Promise<void> {
    for (;;) {
      if (this.holds > 0) await new Promise<void>((resolve) => this.releaseWaiters.push(resolve));
      const seen = this.activity;
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (this.holds === 0 && this.activity === seen) return;
    }
  }

  /** Records activity and makes sure an idle check is coming. */
  private poke(): void {
    this.activity++;
    if (!this.turnPending && this.autoAdvance && this.manual === 0 && this.timers.size > 0) this.scheduleTurn();
  }

  private scheduleTurn(): void {
    this.turnPending = true;
    this.activityAtTurn = this.activity;
    setImmediate(this.onTurn);
  }

  private readonly onTurn = (): void => {
    this.turnPending = false;
    // A lease's release and the end of a manual advance poke again, so returning is enough.
    if (this.holds > 0 || this.manual > 0) return;
    const next = this.timers.peek();
    // Only an infinite wait is left: the program waits for an abort, not for time.
    if (!next || !Number.isFinite(next.due)) return;
    if (this.activity !== this.activityAtTurn) {
      this.scheduleTurn();
      return;
    }
    this.wakeEarliest();
    if (this.timers.size > 0) this.scheduleTurn();
  };

  private wakeEarliest(): void {
    const timer = this.timers.pop();
    if (!timer) return;
    this.current = Math.max(this.current, timer.due);
    timer.wake();
  }
}

interface Timer {
  due: number;
  /** Registration order, to break ties between equal due times as real timers do. */
  seq: number;
  /** Position in the heap, so an abort removes its timer in O(log n); -1 when not queued. */
  index: number;
  wake: () => void;
}

/** A binary min-heap of timers by (due, seq) that can remove any member. */
class TimerHeap {
  private readonly items: Timer[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): Timer | undefined {
    return this.items[0];
  }

  push(timer: Timer): void {
    timer.index = this.items.length;
    this.items.push(timer);
    this.up(timer.index);
  }

  pop(): Timer | undefined {
    const top = this.items[0];
    if (top) this.remove(top);
    return top;
  }

  remove(timer: Timer): void {
    const i = timer.index;
    if (i < 0 || this.items[i] !== timer) return;
    const last = this.items.pop()!;
    timer.index = -1;
    if (last === timer) return;
    this.items[i] = last;
    last.index = i;
    this.down(i);
    this.up(last.index);
  }

  private up(start: number): void {
    let i = start;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(i, parent)) return;
      this.swap(i, parent);
      i = parent;
    }
  }

  private down(start: number): void {
    let i = start;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < this.items.length && this.before(left, smallest)) smallest = left;
      if (right < this.items.length && this.before(right, smallest)) smallest = right;
      if (smallest === i) return;
      this.swap(i, smallest);
      i = smallest;
    }
  }

  private before(a: number, b: number): boolean {
    const x = this.items[a]!;
    const y = this.items[b]!;
    return x.due < y.due || (x.due === y.due && x.seq < y.seq);
  }

  private swap(a: number, b: number): void {
    const x = this.items[a]!;
    const y = this.items[b]!;
    this.items[a] = y;
    this.items[b] = x;
    x.index = b;
    y.index = a;
  }
}
