/**
 * The depth guard in front of yaml: deep text is refused quickly and without the parser; text
 * that merely contains brackets, dashes or indentation inside scalars and comments is not.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadPlanText } from '../../../engine/load/load-plan.js';
import { findExcessiveNesting, MAX_NESTING_DEPTH } from '../../../engine/load/measure-nesting.js';

const depthOf = (text: string): number => {
  // The smallest limit the text stays within.
  let low = 0;
  let high = 1000;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (findExcessiveNesting(text, mid)) low = mid + 1;
    else high = mid;
  }
  return low;
};

describe('findExcessiveNesting', () => {
  it.each([
    ['a scalar', 'a', 0],
    ['a mapping', 'a: 1\nb: 2\n', 1],
    ['nested block mappings', 'a:\n  b:\n    c: 1\n', 3],
    ['a sequence of mappings', '- a: 1\n  b: 2\n- c: 3\n', 2],
    ['compact nested sequences', '- - - x\n', 3],
    ['explicit keys', '? ? x\n', 2],
    ['flow collections', '[[{a: [1]}]]', 4],
    ['flow in block', 'a:\n  b: [[1], {c: {d: 1}}]\n', 5],
    ['a dedent closing levels', 'a:\n  b:\n    c: 1\nd: 1\n', 3],
  ])('estimates %s', (_name, text, depth) => {
    expect(depthOf(text)).toBe(depth);
  });

  it.each([
    ['double-quoted scalars', 'a: "[[[[[[[[[[[["\n'],
    ['single-quoted scalars', "a: '[[[[[[[[[[[[ it''s'\n"],
    ['plain scalars', 'a: x[[[[[[[[[[[[\n'],
    ['comments', 'a: 1 # [[[[[[[[[[[[\n# - - - - - - - - - -\n'],
    ['block scalars', 'a: |\n  [[[[[[[[[[[[\n  - - - - - - - - - - - x\n      deeper: [[[[[[\nb: 1\n'],
    ['folded block scalars in a list', '- >\n  [[[[[[[[[[[[\n- x\n'],
    ['multi-line quoted scalars', 'a: "one\n  [[[[[[[[[[[[\n  two"\n'],
    ['directives', '%TAG !x! [[[[[[[[[[[[\n---\na: 1\n'],
  ])('does not count brackets or indicators inside %s', (_name, text) => {
    expect(depthOf(text)).toBeLessThanOrEqual(2);
  });

  it('restarts at each document marker', () => {
    expect(depthOf('a:\n  b:\n    c: 1\n---\nd: 1\n')).toBe(3);
    expect(findExcessiveNesting(`a: |\n  text\n---\n${'['.repeat(50)}`, 10)).toEqual({ offset: 26, depth: 11 });
  });

  it('reports the offset where the limit is crossed', () => {
    expect(findExcessiveNesting('[[[[[', 3)).toEqual({ offset: 3, depth: 4 });
    expect(findExcessiveNesting('- - - - x', 2)).toEqual({ offset: 4, depth: 3 });
    expect(findExcessiveNesting('a:\n b:\n  c:\n   d: 1\n', 3)).toEqual({ offset: 16, depth: 4 });
  });

  it('accepts every example plan and fixture with plenty of room', () => {
    const root = fileURLToPath(new URL('../../../', import.meta.url));
    const dirs = ['plans/', 'test/fixtures/plans/valid/', 'test/fixtures/plans/invalid/'];
    for (const dir of dirs) {
      for (const file of readdirSync(root + dir).filter((f) => /\.ya?ml$/.test(f))) {
        const text = readFileSync(root + dir + file, 'latin1');
        expect(depthOf(text), dir + file).toBeLessThanOrEqual(MAX_NESTING_DEPTH / 5);
      }
    }
  });
});

describe('deep input through loadPlanText', () => {
  // Each of these is under 4 MiB; given to yaml directly they take seconds and gigabytes, or
  // abort the process when the composer runs out of stack.
  const MiB = 1024 * 1024;
  it.each([
    ['flow sequences', '['.repeat(2 * MiB)],
    ['flow mappings', '{a: '.repeat(MiB)],
    ['compact block sequences', '- '.repeat(2 * MiB)],
    ['explicit keys', '? '.repeat(2 * MiB)],
    ['indentation', Array.from({ length: 2000 }, (_, i) => `${' '.repeat(i)}k:`).join('\n')],
    ['flow inside block', `a:\n  - ${'[{x: '.repeat(MiB / 2)}`],
  ])('refuses %s quickly, as YAML_SYNTAX', (_name, text) => {
    const started = performance.now();
    const result = loadPlanText(text, 'deep.yaml');
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(result.source).toBeNull();
    expect(result.diagnostics.map((d) => d.code)).toEqual(['YAML_SYNTAX']);
  });

  it('accepts nesting at the limit', () => {
    const depth = MAX_NESTING_DEPTH;
    const result = loadPlanText(`${'['.repeat(depth)}${']'.repeat(depth)}`, 'deep.yaml');
    expect(result.diagnostics).toEqual([]);
    let value = result.source!.value;
    for (let i = 1; i < depth; i++) value = (value as unknown[])[0];
    expect(value).toEqual([]);
  });
});
