import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { reduceTransitively } from '../../../engine/report/graph-reduction.js';

const edge = (from: string, to: string) => ({ from, to });

describe('reduceTransitively', () => {
  it('drops an edge implied by a longer path', () => {
    expect(reduceTransitively(['a', 'b', 'c'], [edge('a', 'b'), edge('b', 'c'), edge('a', 'c')])).toEqual([edge('a', 'b'), edge('b', 'c')]);
  });

  it('keeps a diamond whole', () => {
    const edges = [edge('a', 'b'), edge('a', 'c'), edge('b', 'd'), edge('c', 'd')];
    expect(reduceTransitively(['a', 'b', 'c', 'd'], edges)).toEqual(edges);
  });

  it('leaves a cyclic graph as it is', () => {
    const edges = [edge('a', 'b'), edge('b', 'a'), edge('a', 'c'), edge('b', 'c')];
    expect(reduceTransitively(['a', 'b', 'c'], edges)).toEqual(edges);
  });

  it('preserves reachability on random DAGs and leaves no implied edge', () => {
    // Pairs are ordered (smaller index first) rather than filtered, so a one-node graph is no trap.
    const dag = fc.integer({ min: 1, max: 14 }).chain((n) =>
      fc.tuple(
        fc.constant(n),
        fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { maxLength: 40 }).map((pairs) => [
          ...new Map(pairs.filter(([u, v]) => u !== v).map(([u, v]) => [Math.min(u, v), Math.max(u, v)] as const).map((p) => [`${p[0]}>${p[1]}`, p])).values(),
        ]),
      ),
    );
    fc.assert(
      fc.property(dag, ([n, pairs]) => {
        const nodes = Array.from({ length: n }, (_, i) => `v${i}`);
        const edges = pairs.map(([u, v]) => edge(`v${u}`, `v${v}`));
        const reduced = reduceTransitively(nodes, edges);
        expect(closure(nodes, reduced)).toEqual(closure(nodes, edges));
        for (const e of reduced) {
          const without = reduced.filter((x) => x !== e);
          expect(closure(nodes, without).has(`${e.from}>${e.to}`)).toBe(false);
        }
      }),
    );
  });
});

function closure(nodes: string[], edges: { from: string; to: string }[]): Set<string> {
  const pairs = new Set<string>();
  for (const start of nodes) {
    const stack = [start];
    const seen = new Set<string>();
    while (stack.length > 0) {
      const u = stack.pop()!;
      for (const e of edges) {
        if (e.from === u && !seen.has(e.to)) {
          seen.add(e.to);
          stack.push(e.to);
        }
      }
    }
    for (const v of seen) pairs.add(`${start}>${v}`);
  }
  return pairs;
}
