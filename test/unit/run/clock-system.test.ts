import { afterEach, describe, expect, it, vi } from 'vitest';
import { nextTimerDelay, systemClock } from '../../../engine/run/clock.js';
import { MAX_TIMER_MS } from '../../../engine/model/duration.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('systemClock', () => {
  it('is real time', () => {
    expect(systemClock.simulated).toBe(false);
    const before = Date.now();
    const now = systemClock.now();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });

  it('resolves after the delay', async () => {
    vi.useFakeTimers();
    let done = false;
    const sleeping = systemClock.sleep(1000).then(() => {
      done = true;
    });
    await vi.advanceTimersByTimeAsync(999);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await sleeping;
    expect(done).toBe(true);
  });

  it('a zero wait yields without a timer (a timer would take at least 1 ms)', async () => {
    const setTimeoutSpy = vi.spyOn(globalThis, 'setTimeout');
    try {
      let done = false;
      const sleeping = systemClock.sleep(0).then(() => {
        done = true;
      });
      expect(done).toBe(false); // it does yield
      await sleeping;
      expect(setTimeoutSpy).not.toHaveBeenCalled();
    } finally {
      setTimeoutSpy.mockRestore();
    }
  });

  it('a zero wait still honours an abort that comes before it yields', async () => {
    const controller = new AbortController();
    const sleeping = systemClock.sleep(0, controller.signal);
    controller.abort('stop');
    await expect(sleeping).rejects.toBe('stop');
  });

  it('rejects with the signal reason and clears its timer when aborted', async () => {
    vi.useFakeTimers();
    const controller = new AbortController();
    const sleeping = systemClock.sleep(60_000, controller.signal);
    expect(vi.getTimerCount()).toBe(1);
    const reason = new Error('cancelled by operator');
    controller.abort(reason);
    await expect(sleeping).rejects.toBe(reason);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('rejects at once when the signal is already aborted', async () => {
    vi.useFakeTimers();
    const controller = new AbortController();
    controller.abort('too late');
    await expect(systemClock.sleep(10, controller.signal)).rejects.toBe('too late');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('does not keep an abort listener after waking', async () => {
    vi.useFakeTimers();
    const controller = new AbortController();
    const sleeping = systemClock.sleep(5, controller.signal);
    await vi.advanceTimersByTimeAsync(5);
    await sleeping;
    // Aborting afterwards must not throw an unhandled rejection or touch a finished sleep.
    controller.abort(new Error('late'));
  });

  it('treats a negative or NaN delay as no delay', async () => {
    vi.useFakeTimers();
    const a = systemClock.sleep(-5);
    const b = systemClock.sleep(Number.NaN);
    await vi.advanceTimersByTimeAsync(0);
    await expect(Promise.all([a, b])).resolves.toEqual([undefined, undefined]);
  });

  it('waits longer than one timer can hold in several chunks instead of firing at once', async () => {
    vi.useFakeTimers();
    const total = 2 * MAX_TIMER_MS + 1000;
    let done = false;
    const sleeping = systemClock.sleep(total).then(() => {
      done = true;
    });
    await vi.advanceTimersByTimeAsync(1);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(MAX_TIMER_MS);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(MAX_TIMER_MS);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(total - 2 * MAX_TIMER_MS - 1 - 1);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await sleeping;
    expect(done).toBe(true);
  });

  it('aborts a long wait between chunks', async () => {
    vi.useFakeTimers();
    const controller = new AbortController();
    const sleeping = systemClock.sleep(3 * MAX_TIMER_MS, controller.signal);
    await vi.advanceTimersByTimeAsync(MAX_TIMER_MS + 10);
    expect(vi.getTimerCount()).toBe(1);
    controller.abort(new Error('stop'));
    await expect(sleeping).rejects.toThrow('stop');
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('nextTimerDelay', () => {
  it('never exceeds what one timer can hold', () => {
    expect(nextTimerDelay(10)).toBe(10);
    expect(nextTimerDelay(MAX_TIMER_MS)).toBe(MAX_TIMER_MS);
    expect(nextTimerDelay(MAX_TIMER_MS + 1)).toBe(MAX_TIMER_MS);
    expect(nextTimerDelay(Number.POSITIVE_INFINITY)).toBe(MAX_TIMER_MS);
    expect(nextTimerDelay(-3)).toBe(0);
  });

  it('splits a 60-day wait into three timers that add up to it', () => {
    const chunks: number[] = [];
    let remaining = 60 * 86_400_000;
    while (remaining > 0) {
      const delay = nextTimerDelay(remaining);
      chunks.push(delay);
      remaining -= delay;
    }
    expect(chunks).toHaveLength(3);
    expect(chunks.every((c) => c <= MAX_TIMER_MS)).toBe(true);
    expect(chunks.reduce((a, b) => a + b, 0)).toBe(60 * 86_400_000);
  });
});
