import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldedRecord, KEYLESS, RefusalGuard, type RefusalGuardOptions, type RefusalKind } from '../../../engine/server/refusal-guard.js';

const OPTIONS: RefusalGuardOptions = { refusalsPerWindow: 5, windowMs: 60_000, sharedPerSecond: 3, signedRecordsPerWindow: 2, foldFlushMs: 10_000 };
const PRINCIPALS = ['alice', 'bob', KEYLESS] as const;

/** A decision arriving: in whose name, on which run, what kind of refusal it would be (or none: it is valid), how long after the one before. */
const arrival = fc.record({
  principal: fc.constantFrom(...PRINCIPALS),
  run: fc.constantFrom('r1', 'r2'),
  kind: fc.oneof(fc.constant<RefusalKind | null>(null), fc.constant<RefusalKind>({ verified: false }), fc.integer({ min: 0, max: 4 }).map<RefusalKind>((n) => ({ verified: true, signature: `sig${n}` }))),
  gapMs: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 2_000 }), fc.integer({ min: 10_000, max: 70_000 })),
});

describe('RefusalGuard', () => {
  it('accounts for every refusal exactly once, records a bounded number in full, judges a bounded number, and never slows a name nobody misused', () => {
    fc.assert(
      fc.property(fc.array(arrival, { maxLength: 300 }), (arrivals) => {
        const guard = new RefusalGuard(OPTIONS);
        let now = 1_000_000;
        let refused = 0;
        let full = 0;
        let judged = 0;
        const fullBySlotWindow = new Map<string, number>();
        const misused = new Set<string>();
        let folded = 0;
        const take = (which: { everything?: boolean } = {}) => {
          for (const f of guard.takeFolds(now, which)) {
            folded += f.fold.count;
            expect(foldedRecord(f).repeats).toEqual({ count: f.fold.count, unchecked: f.fold.unchecked, from: f.fold.from, to: f.fold.to });
          }
        };
        for (const a of arrivals) {
          now += a.gapMs;
          take();
          const what = { type: 'approve', stepId: 'gate', by: a.principal };
          const slot = `${a.run}/${a.principal}`;
          const admitted = guard.admit(a.run, a.principal, what, now);
          // A name with no refusal against it on that run is always judged.
          if (!misused.has(slot)) expect(admitted).toBe(true);
          if (!admitted) {
            refused++;
            continue;
          }
          judged++;
          if (!a.kind) continue; // valid and accepted: counts against nobody
          refused++;
          misused.add(slot);
          if (guard.refused(a.run, a.principal, a.kind, what, 'no', now) === 'record') {
            full++;
            const window = `${slot}/${Math.floor(now / OPTIONS.windowMs)}`;
            fullBySlotWindow.set(window, (fullBySlotWindow.get(window) ?? 0) + 1);
          }
        }
        take({ everything: true });
        expect(full + folded).toBe(refused);
        // At most one bad-signature record and signedRecordsPerWindow signed ones per name, run and
        // window (a window can straddle two clock minutes: twice that per minute bucket).
        for (const n of fullBySlotWindow.values()) expect(n).toBeLessThanOrEqual(2 * (1 + OPTIONS.signedRecordsPerWindow));
        // Judged: each name's allowance per window, plus the shared budget over the time elapsed.
        const elapsedS = (now - 1_000_000) / 1000;
        const windows = Math.ceil((now - 1_000_000) / OPTIONS.windowMs) + 1;
        const valid = arrivals.filter((a) => !a.kind).length;
        expect(judged).toBeLessThanOrEqual(valid + 2 * PRINCIPALS.length * windows * OPTIONS.refusalsPerWindow + OPTIONS.sharedPerSecond * (1 + elapsedS));
      }),
      { numRuns: 200 },
    );
  });

  it('past its allowance a name draws on the shared budget, which refills with time', () => {
    const guard = new RefusalGuard(OPTIONS);
    const what = { type: 'approve', stepId: 'gate', by: 'alice' };
    for (let i = 0; i < 5; i++) {
      expect(guard.admit('r', 'alice', what, 0)).toBe(true);
      guard.refused('r', 'alice', { verified: false }, what, 'forged', 0);
    }
    expect([0, 0, 0, 0].map(() => guard.admit('r', 'alice', what, 0))).toEqual([true, true, true, false]);
    expect(guard.admit('r', 'bob', { ...what, by: 'bob' }, 0)).toBe(true);
    expect(guard.admit('r2', 'alice', what, 0)).toBe(true); // another run: its own allowance
    expect(guard.admit('r', 'alice', what, 1_000)).toBe(true);
    expect(guard.admit('r', 'alice', what, 60_000)).toBe(true); // a new window
  });

  it('a fold that could not be journaled yet is kept, merged with what came since', () => {
    const guard = new RefusalGuard(OPTIONS);
    const what = { type: 'approve', stepId: 'gate', by: 'alice' };
    for (let i = 0; i < 4; i++) guard.refused('r', 'alice', { verified: false }, what, 'forged', i);
    const [fold] = guard.takeFolds(10, { runId: 'r' });
    expect(fold!.fold).toMatchObject({ count: 3, from: 1, to: 3 });
    expect(guard.pending).toBe(false);
    guard.refused('r', 'alice', { verified: false }, what, 'forged again', 20);
    guard.putBack([fold!], 21);
    const [merged] = guard.takeFolds(22, { everything: true });
    expect(merged!.fold).toMatchObject({ count: 4, from: 1, to: 20, last: { reason: 'forged again' } });
  });
});
