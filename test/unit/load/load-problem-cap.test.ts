/**
 * Regression (issue 11, item 4): the loader on files full of problems. It used to collect
 * every problem and spread them into push(), which overflowed the stack past ~125,000; yaml
 * kept an Error with a stack trace for each (3 million "]" on one line: 80 s, 4 GB, then the
 * process died). Now at most MAX_DIAGNOSTICS_PER_FILE are kept, at every stage, and the rest
 * are counted; and an alias may not nest the value deeper than the text itself may.
 */
import { describe, expect, it } from 'vitest';
import { loadPlanText } from '../../../engine/load/load-plan.js';
import { MAX_NESTING_DEPTH, parseDocuments } from '../../../engine/load/parse-documents.js';
import { MAX_DIAGNOSTICS_PER_FILE } from '../../../engine/model/diagnostic-cap.js';

const OPTIONS = { version: '1.2', schema: 'core', stringKeys: true, uniqueKeys: false, logLevel: 'silent' } as const;
const N = MAX_DIAGNOSTICS_PER_FILE;

describe('loadPlanText on a file full of problems', () => {
  it.each([
    ['300,000 "]" lines', ']\n'.repeat(300_000), { errors: 300_000 - N, warnings: 0 }],
    ['3,000,000 "]" on one line', ']'.repeat(3_000_000), { errors: 3_000_000 - N, warnings: 0 }],
    ['130,000 duplicate keys', 'a: 1\n'.repeat(130_000), { errors: 129_999 - N, warnings: 0 }],
    ['130,000 duplicate keys in one flow mapping', `{${'a: 1, '.repeat(130_000)}}`, { errors: 129_999 - N, warnings: 0 }],
    ['200,000 unknown tags', '- !t x\n'.repeat(200_000), { errors: 0, warnings: 200_000 - N }],
    ['1,000,000 empty items', `[${','.repeat(1_000_000)}]`, { errors: 999_999 - N, warnings: 0 }],
    ['200,000 tab-indented lines', `a:\n${'\tb: 1\n'.repeat(200_000)}`, { errors: 399_999 - N, warnings: 0 }],
  ])('%s: the first 1,000 kept, in reading order, the rest counted', (_name, text, omitted) => {
    const result = loadPlanText(text, 'f.yaml');
    expect(result.diagnostics).toHaveLength(N);
    expect(result.omitted).toEqual(omitted);
    const lines = result.diagnostics.map((d) => d.line * 1e7 + d.col);
    expect(lines).toEqual([...lines].sort((a, b) => a - b));
    if (omitted.errors > 0) expect(result.source).toBeNull();
  });

  it('keeps an error behind a thousand warnings', () => {
    const result = loadPlanText(`${'- !t x\n'.repeat(5_000)}- a: 1\n  a: 2\n`, 'f.yaml');
    expect(result.source).toBeNull();
    expect(result.diagnostics.filter((d) => d.code === 'DUPLICATE_KEY')).toHaveLength(1);
    expect(result.omitted).toEqual({ errors: 0, warnings: 5_000 - (N - 1) });
  });

  it('reports no omitted counts when nothing was left out', () => {
    expect(loadPlanText('a: 1\na: 2\n', 'f.yaml')).not.toHaveProperty('omitted');
  });
});

describe('parseDocuments keeps at most maxProblems of yaml\'s own problems', () => {
  it('of stray tokens between documents', () => {
    const parsed = parseDocuments(']\n'.repeat(5_000), OPTIONS, MAX_NESTING_DEPTH, 10);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.documents.flatMap((d) => d.errors)).toHaveLength(10);
    expect(parsed.omitted).toEqual({ errors: 4_990, warnings: 0 });
  });

  it('of problems inside a document, errors and warnings apart', () => {
    const parsed = parseDocuments(`[${'!t x, '.repeat(50)}${','.repeat(50)}]`, OPTIONS, MAX_NESTING_DEPTH, 10);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.documents[0]!.errors).toHaveLength(10);
    expect(parsed.documents[0]!.warnings).toHaveLength(10);
    expect(parsed.omitted).toEqual({ errors: 40, warnings: 40 });
  });

  it('leaves Error.stackTraceLimit as it found it', () => {
    const before = Error.stackTraceLimit;
    parseDocuments(']\n]\n', OPTIONS);
    expect(Error.stackTraceLimit).toBe(before);
  });
});

describe('nesting through aliases', () => {
  /** Anchors each nesting the one before `levels` deeper: about 90 * 140 levels once expanded. */
  const chain = (anchors: number, levels: number) => {
    const lines = [`a0: &a0 ${'['.repeat(levels)}${']'.repeat(levels)}`];
    for (let k = 1; k < anchors; k++) lines.push(`a${k}: &a${k} ${'['.repeat(levels)}*a${k - 1}${']'.repeat(levels)}`);
    return lines.join('\n') + '\n';
  };

  it('refuses an alias that would nest the value past the limit, at that alias', () => {
    const result = loadPlanText(chain(140, 90), 'f.yaml');
    expect(result.source).toBeNull();
    expect(result.diagnostics.map((d) => [d.code, d.line, d.col])).toEqual([['ALIAS_LIMIT', 2, 99]]);
    expect(result.diagnostics[0]!.message).toContain('181 levels deep, more than the limit of 100');
  });

  it('accepts aliases that stay within the limit', () => {
    // a1 expands to 1 (mapping) + 45 + 46 (a0's own brackets) = 92 levels.
    const result = loadPlanText(chain(2, 45), 'f.yaml');
    expect(result.diagnostics).toEqual([]);
  });

  it('counts a pair inside a sequence as the mapping it becomes', () => {
    const deep = `${'['.repeat(98)}${']'.repeat(98)}`;
    // Text depth 99; through the alias: mapping, sequence, implicit mapping, then a's 98 = 101.
    expect(loadPlanText(`a: &a ${deep}\nb: [k: *a]\n`, 'f.yaml').diagnostics.map((d) => d.code)).toEqual(['ALIAS_LIMIT']);
    expect(loadPlanText(`a: &a ${deep}\nb: *a\n`, 'f.yaml').diagnostics).toEqual([]);
  });
});
