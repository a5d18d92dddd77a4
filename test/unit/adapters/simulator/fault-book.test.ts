import { describe, expect, it } from 'vitest';
import { createFaultBook } from '../../../../adapters/simulator/fault-book.js';

describe('createFaultBook', () => {
  it('counts a fault down per matching attempt, across VMs when it names none', () => {
    const book = createFaultBook([{ operation: 'failover', times: 2 }]);
    expect(book.take('start', 'db/pg-1/start', 'pg-1')).toBeUndefined();
    expect(book.take('failover', 'db/pg-1/failover', 'pg-1')).toMatchObject({ failure: 1, times: 2 });
    expect(book.take('failover', 'db/pg-2/failover', 'pg-2')).toMatchObject({ failure: 2, times: 2 });
    expect(book.take('failover', 'db/pg-1/failover', 'pg-1')).toBeUndefined();
  });

  it('matches a named VM only', () => {
    const book = createFaultBook([{ operation: 'failover', vm: 'pg-2' }]);
    expect(book.take('failover', 'db/pg-1/failover', 'pg-1')).toBeUndefined();
    expect(book.take('failover', 'db/pg-1/failover', undefined)).toBeUndefined();
    expect(book.take('failover', 'db/pg-2/failover', 'pg-2')?.message).toBe('failover on pg-2 failed: injected fault (1 of 1)');
  });

  it('matches a step, and the ids under it', () => {
    const book = createFaultBook([{ operation: 'start', step: 'app', times: 5 }]);
    expect(book.take('start', 'application/app-1/start', 'app-1')).toBeUndefined();
    expect(book.take('start', 'app', undefined)).toBeDefined();
    expect(book.take('start', 'app/app-1/start', 'app-1')).toBeDefined();
    expect(book.take('start', 'app/app-2', 'app-2')).toBeDefined();
    expect(book.take('start', 'apples/x/start', 'x')).toBeUndefined();
  });

  it('uses up the first matching fault with failures left, then the next', () => {
    const book = createFaultBook([
      { operation: 'sync', error: 'first' },
      { operation: 'sync', error: 'second', times: 2 },
    ]);
    expect(['a', 'b', 'c', 'd'].map(() => book.take('sync', 'sync', undefined)?.message)).toEqual(['first', 'second', 'second', undefined]);
  });
});
