/**
 * The depth guard inside parsing: deep text is refused quickly, before yaml's composer (which
 * recurses per level) sees it; brackets and dashes inside scalars and comments do not count,
 * because the depth is yaml's own parser stack, not a guess.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadPlanText } from '../../../engine/load/load-plan.js';
import { MAX_NESTING_DEPTH, parseDocuments } from '../../../engine/load/parse-documents.js';

const OPTIONS = { stringKeys: true };

/** The smallest limit under which the text parses. */
function depthOf(text: string): number {
  let low = 0;
  let high = 1000;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (parseDocuments(text, OPTIONS, mid).ok) high = mid;
    else low = mid + 1;
  }
  return low;
}

describe('parseDocuments', () => {
  it('parses like parseAllDocuments', () => {
    const parsed = parseDocuments('a: 1\n---\nb: [x]\n', OPTIONS);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.documents.map((d) => d.toJS())).toEqual([{ a: 1 }, { b: ['x'] }]);
    expect(parsed.streamErrors).toEqual([]);
  });

  it('counts every node on the path to the deepest one, scalars included', () => {
    expect(depthOf('a')).toBe(1);
    expect(depthOf('a: 1\n')).toBe(2);
    expect(depthOf('a:\n  b:\n    c: 1\n')).toBe(4);
    expect(depthOf('- - - x\n')).toBe(4);
    expect(depthOf('[[[]]]')).toBe(3);
    expect(depthOf('key:\n- a:\n  - b:\n    - c\n')).toBe(7);
  });

  it.each([
    ['double-quoted scalars', 'a: "[[[[[[[[[[[[ - - - -"\n'],
    ['single-quoted scalars', "a: '[[[[[[[[[[[[ it''s'\n"],
    ['plain scalars', 'a: x[[[[[[[[[[[[\n'],
    ['comments', 'a: 1 # [[[[[[[[[[[[\n# - - - - - - - - - -\n'],
    ['block scalars', 'a: |\n  [[[[[[[[[[[[\n  - - - - - - - - - - - x\n      deeper: [[[[[[\nb: 1\n'],
  ])('does not count brackets or indicators inside %s', (_name, text) => {
    expect(depthOf(text)).toBeLessThanOrEqual(2);
  });

  it('reports where the limit is crossed', () => {
    expect(parseDocuments('a: [[[[[[', OPTIONS, 3)).toEqual({ ok: false, tooDeepAt: 5 });
  });

  it('accepts every example plan and fixture with plenty of room', () => {
    const root = fileURLToPath(new URL('../../../', import.meta.url));
    for (const dir of ['plans/', 'test/fixtures/plans/valid/', 'test/fixtures/plans/invalid/']) {
      for (const file of readdirSync(root + dir).filter((f) => /\.ya?ml$/.test(f))) {
        const text = readFileSync(root + dir + file, 'latin1');
        expect(parseDocuments(text, OPTIONS, MAX_NESTING_DEPTH / 5).ok, dir + file).toBe(true);
      }
    }
  });
});

describe('deep input through loadPlanText', () => {
  // Each is under 4 MiB; given to yaml whole, they take seconds and gigabytes, or abort the
  // process when the composer runs out of stack.
  const MiB = 1024 * 1024;
  it.each([
    ['flow sequences', '['.repeat(2 * MiB)],
    ['flow mappings', '{a: '.repeat(MiB)],
    ['compact block sequences', '- '.repeat(2 * MiB)],
    ['explicit keys', '? '.repeat(2 * MiB)],
    ['indentation', Array.from({ length: 2000 }, (_, i) => `${' '.repeat(i)}k:`).join('\n')],
    ['flow inside block', `a:\n  - ${'[{x: '.repeat(MiB / 2)}`],
    ['brackets after a quoted scalar ended by an unindent', `a: "text\n${'['.repeat(MiB)}"\n`],
    ['brackets after a block scalar ended by an unindent', `a:\n  b: |\n      text\n   ${'['.repeat(MiB)}\n`],
  ])('refuses %s quickly, as one YAML_SYNTAX error', (_name, text) => {
    const result = loadPlanText(text, 'deep.yaml');
    expect(result.source).toBeNull();
    expect(result.diagnostics.map((d) => d.code)).toEqual(['YAML_SYNTAX']);
  });

  it('points at the bracket that goes one level too deep', () => {
    // The mapping is the first level, so the 100th "[" (column 103) is the 101st.
    const result = loadPlanText(`a: ${'['.repeat(150)}${']'.repeat(150)}\n`, 'deep.yaml');
    expect(result.diagnostics.map((d) => [d.code, d.line, d.col])).toEqual([['YAML_SYNTAX', 1, 103]]);
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
