import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { groupLowerBound, idealSchedule, listScheduleSpan, lptSpan } from '../../../bench/peers/schedule.js';
import type { Runbook } from '../../../bench/peers/runbook.js';

// The benchmark's ratios divide by `lowerBound`: it must never exceed what a perfect schedule
// achieves, or a program could look faster than possible. Checked against the true optimum,
// found by brute force on small groups.

/** The best span of `durations` on `slots` slots, by trying every assignment. */
function optimum(durations: number[], slots: number): number {
  let best = Number.POSITIVE_INFINITY;
  const load = new Array<number>(slots).fill(0);
  const place = (i: number) => {
    if (i === durations.length) {
      best = Math.min(best, Math.max(...load));
      return;
    }
    for (let s = 0; s < slots; s++) {
      load[s]! += durations[i]!;
      if (load[s]! < best) place(i + 1);
      load[s]! -= durations[i]!;
      if (load[s] === 0) break; // empty slots are interchangeable
    }
  };
  place(0);
  return durations.length === 0 ? 0 : best;
}

const group = fc.record({
  durations: fc.array(fc.integer({ min: 0, max: 500 }), { minLength: 1, maxLength: 8 }),
  slots: fc.integer({ min: 1, max: 4 }),
});

describe('bench/peers/schedule.js', () => {
  it('lower bound ≤ optimum ≤ longest-first ≤ 4/3 optimum; optimum ≤ any list order', () => {
    fc.assert(
      fc.property(group, ({ durations, slots }) => {
        const best = optimum(durations, slots);
        expect(groupLowerBound(durations, slots)).toBeLessThanOrEqual(best + 1e-9);
        expect(lptSpan(durations, slots)).toBeGreaterThanOrEqual(best);
        expect(lptSpan(durations, slots)).toBeLessThanOrEqual((4 / 3) * best + 1e-9);
        expect(listScheduleSpan(durations, slots)).toBeGreaterThanOrEqual(best);
      }),
    );
  });

  it('a list schedule takes jobs in order, each on the first free slot', () => {
    expect(listScheduleSpan([3, 3, 2, 2, 2], 2)).toBe(7); // 3+2+2 | 3+2
    expect(lptSpan([2, 2, 2, 3, 3], 2)).toBe(7);
    expect(listScheduleSpan([1, 1, 4], 2)).toBe(5); // the long job last: 1+4 | 1
    expect(lptSpan([1, 1, 4], 2)).toBe(4);
    expect(groupLowerBound([1, 1, 4], 2)).toBe(4);
    expect(groupLowerBound([5, 5, 5], 2)).toBe(10); // two of three equal jobs share a slot
  });

  it('the runbook takes the longest path through the DAG; Ansible-style sequential groups add up', () => {
    const runbook: Runbook = {
      name: 'diamond',
      description: '',
      seed: 0,
      groups: [
        { id: 'a', concurrency: 1, dependsOn: [], steps: [{ id: 'a1', ms: 100 }] },
        { id: 'b', concurrency: 2, dependsOn: ['a'], steps: [{ id: 'b1', ms: 300 }, { id: 'b2', ms: 300 }] },
        { id: 'c', concurrency: 1, dependsOn: ['a'], steps: [{ id: 'c1', ms: 200 }, { id: 'c2', ms: 200 }] },
        { id: 'd', concurrency: 1, dependsOn: ['b', 'c'], steps: [{ id: 'd1', ms: 50 }] },
      ],
    };
    const ideal = idealSchedule(runbook);
    expect(ideal.lowerBound).toBe(100 + 400 + 50); // through c, the slower branch
    expect(ideal.documentOrder).toBe(550);
    expect(ideal.sequentialGroups).toBe(100 + 300 + 400 + 50);
    expect(ideal.work).toBe(100 + 600 + 400 + 50);
  });
});
