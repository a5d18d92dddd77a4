import { describe, expect, it } from 'vitest';
import { routeThroughJunctions } from '../../../engine/report/graph-junctions.js';

const edge = (from: string, to: string, muted = false) => ({ from, to, muted });
const allOf = (from: string[], to: string[], muted = false) => from.flatMap((f) => to.map((t) => edge(f, t, muted)));

describe('routeThroughJunctions', () => {
  it('routes every-to-every arrows through one junction when that saves arrows', () => {
    let n = 0;
    const { edges, junctions } = routeThroughJunctions(['a', 'b', 'x', 'y', 'z'], allOf(['a', 'b'], ['x', 'y', 'z']), () => `j${++n}`);
    expect(junctions).toEqual(['j1']);
    expect(edges).toEqual([edge('a', 'j1'), edge('b', 'j1'), edge('j1', 'x'), edge('j1', 'y'), edge('j1', 'z')]);
  });

  it('leaves two-by-two alone: a junction would save nothing', () => {
    const input = allOf(['a', 'b'], ['x', 'y']);
    expect(routeThroughJunctions(['a', 'b', 'x', 'y'], input, () => 'j')).toEqual({ edges: input, junctions: [] });
  });

  it('only gathers targets with exactly the same sources', () => {
    const input = [...allOf(['a', 'b'], ['x', 'y', 'z']), edge('c', 'z')];
    const { edges, junctions } = routeThroughJunctions(['a', 'b', 'c', 'x', 'y', 'z'], input, () => 'j');
    expect(junctions).toEqual([]);
    expect(edges).toEqual(input);
  });

  it('keeps an arrow faint only when every arrow it replaces was', () => {
    const input = [...allOf(['a'], ['x', 'y', 'z']), ...allOf(['s'], ['x', 'y'], false), edge('s', 'z', true)];
    const { edges } = routeThroughJunctions(['a', 's', 'x', 'y', 'z'], input, () => 'j');
    expect(edges.filter((e) => e.muted)).toEqual([]);
    const faint = routeThroughJunctions(['a', 's', 'x', 'y', 'z'], [...allOf(['a'], ['x', 'y', 'z']), ...allOf(['s'], ['x', 'y', 'z'], true)], () => 'j');
    expect(faint.edges.filter((e) => e.muted)).toEqual([edge('s', 'j', true)]);
  });
});
