/**
 * One or more cases per loader code, asserting code, severity, line and column (never prose:
 * messages may improve), plus what every loader diagnostic carries.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_PLAN_BYTES, loadPlanText, type LoadResult } from '../../../engine/load/load-plan.js';

type Key = [code: string, severity: string, line: number, col: number];

const keys = (result: LoadResult): Key[] => result.diagnostics.map((d) => [d.code, d.severity, d.line, d.col]);
const load = (input: string | Uint8Array) => loadPlanText(input, 'plan.yaml');
const bytes = (...parts: (string | number[])[]) =>
  new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? [...Buffer.from(p, 'utf8')] : p)));

describe('every loader diagnostic', () => {
  const broken = [
    'a: 1\na: 2\n',
    'a: [1\n',
    '',
    'a: 1\n---\nb: 2\n',
    '__proto__: 1\n',
    'a: &x [*x]\n',
    'a: !custom 1\n',
  ];
  it.each(broken)('carries the file, a 1-based range, a message and a pointer: %j', (text) => {
    const result = loadPlanText(text, 'plans/db.yaml');
    expect(result.diagnostics.length).toBeGreaterThan(0);
    for (const d of result.diagnostics) {
      expect(d.file).toBe('plans/db.yaml');
      expect(d.line).toBeGreaterThanOrEqual(1);
      expect(d.col).toBeGreaterThanOrEqual(1);
      expect(d.endLine! > d.line || (d.endLine === d.line && d.endCol! >= d.col)).toBe(true);
      expect(d.message.length).toBeGreaterThan(0);
      expect(typeof d.pointer).toBe('string');
    }
  });

  it('source is null exactly when there is an error', () => {
    for (const text of broken) {
      const result = load(text);
      expect(result.source === null, text).toBe(result.diagnostics.some((d) => d.severity === 'error'));
    }
  });
});

describe('FILE_TOO_LARGE', () => {
  it('refuses bytes over the default limit at 1:1, naming the size and the limit', () => {
    const result = load(new Uint8Array(DEFAULT_MAX_PLAN_BYTES + 1).fill(0x61));
    expect(keys(result)).toEqual([['FILE_TOO_LARGE', 'error', 1, 1]]);
    expect(result.source).toBeNull();
    expect(result.diagnostics[0]!.message).toContain('4,194,305');
    expect(result.diagnostics[0]!.message).toContain('4,194,304');
  });

  it('accepts exactly the limit', () => {
    const text = `a: ${'x'.repeat(97)}\n`; // 101 bytes
    expect(keys(loadPlanText(text, 'f', { maxBytes: 101 }))).toEqual([]);
    expect(keys(loadPlanText(text, 'f', { maxBytes: 100 }))).toEqual([['FILE_TOO_LARGE', 'error', 1, 1]]);
  });

  it('measures strings in UTF-8 bytes, not characters', () => {
    const text = 'a: ééé\n'; // 7 characters, 10 bytes
    expect(keys(loadPlanText(text, 'f', { maxBytes: 10 }))).toEqual([]);
    expect(keys(loadPlanText(text, 'f', { maxBytes: 9 }))).toEqual([['FILE_TOO_LARGE', 'error', 1, 1]]);
  });
});

describe('NOT_UTF8', () => {
  it('points at the first invalid byte', () => {
    const result = load(bytes('a: 1\nname: caf', [0xe9], '\n'));
    expect(keys(result)).toEqual([['NOT_UTF8', 'error', 2, 10]]);
    expect(result.diagnostics[0]!.hint).toMatch(/UTF-8/);
  });

  it('counts columns in characters after multi-byte text on the same line', () => {
    // "é" is two bytes but one column; the bad byte is the 6th character of line 1.
    expect(keys(load(bytes('a: é', [0xff], '\n')))).toEqual([['NOT_UTF8', 'error', 1, 5]]);
  });

  it('keeps positions right after a UTF-8 BOM', () => {
    expect(keys(load(bytes([0xef, 0xbb, 0xbf], 'a: 1\nb: ', [0xc3, 0x28])))).toEqual([['NOT_UTF8', 'error', 2, 4]]);
  });

  it.each([
    ['UTF-16 little-endian', [0xff, 0xfe, 0x61, 0x00, 0x3a, 0x00]],
    ['UTF-16 big-endian', [0xfe, 0xff, 0x00, 0x61, 0x00, 0x3a]],
  ])('refuses %s at 1:1 with a hint naming UTF-16', (_name, raw) => {
    const result = load(new Uint8Array(raw));
    expect(keys(result)).toEqual([['NOT_UTF8', 'error', 1, 1]]);
    expect(result.diagnostics[0]!.message).toMatch(/UTF-16/);
    expect(result.diagnostics[0]!.hint).toMatch(/UTF-8/);
  });

  it('refuses UTF-16 without a BOM by its NUL bytes', () => {
    const result = load(new Uint8Array(Buffer.from('a: 1\n', 'utf16le')));
    expect(keys(result)).toEqual([['NOT_UTF8', 'error', 1, 2]]);
    expect(result.diagnostics[0]!.message).toMatch(/NUL/);
  });

  it('refuses a NUL character in text handed over as a string', () => {
    expect(keys(load('a: 1\nb: x\0y\n'))).toEqual([['NOT_UTF8', 'error', 2, 5]]);
  });
});

describe('YAML_SYNTAX', () => {
  it('reports an unclosed flow collection where yaml notices it', () => {
    expect(keys(load('a: [1, 2\n'))).toEqual([['YAML_SYNTAX', 'error', 2, 1]]);
  });

  it('collects every independent error, not just the first', () => {
    const text = ['a:', '  b: 1', ' c: 2', 'd: "open', ''].join('\n');
    const found = keys(load(text));
    expect(found.length).toBeGreaterThanOrEqual(2);
    expect(found.every(([code, severity]) => code === 'YAML_SYNTAX' && severity === 'error')).toBe(true);
    expect(found[0]).toEqual(['YAML_SYNTAX', 'error', 3, 2]);
  });

  it('points at the text of a wrongly indented line, not at its indentation', () => {
    const text = ['items:', '  - id: a', '    x: 1', '   y: 2', ''].join('\n');
    expect(keys(load(text))).toEqual([['YAML_SYNTAX', 'error', 4, 4]]);
  });

  it('reports tabs used for indentation', () => {
    expect(keys(load('a:\n\tb: 1\n'))).toEqual([['YAML_SYNTAX', 'error', 2, 1]]);
  });

  it('reports an alias to an anchor that does not exist', () => {
    expect(keys(load('a: 1\nb: *missing\n'))).toEqual([['YAML_SYNTAX', 'error', 2, 4]]);
  });

  it('reports an alias used before its anchor', () => {
    expect(keys(load('a: *later\nb: &later 1\n'))).toEqual([['YAML_SYNTAX', 'error', 1, 4]]);
  });

  it('reports collection keys (a JSON object cannot hold them)', () => {
    expect(keys(load('? [a, b]\n: 1\n'))).toEqual([['YAML_SYNTAX', 'error', 1, 3]]);
  });

  it('turns yaml warnings into warnings and keeps the source', () => {
    const result = load('a: !vault secret\nb: 1\n');
    expect(keys(result)).toEqual([['YAML_SYNTAX', 'warning', 1, 4]]);
    expect(result.source?.value).toEqual({ a: 'secret', b: 1 });
  });

  it('warns that merge keys are an ordinary key in YAML 1.2', () => {
    const result = load('base: &b { x: 1 }\nc:\n  <<: *b\n');
    expect(keys(result)).toEqual([['YAML_SYNTAX', 'warning', 3, 3]]);
    expect(result.source?.value).toEqual({ base: { x: 1 }, c: { '<<': { x: 1 } } });
  });

  it('warns that a %YAML 1.1 directive is ignored, and reads the plan as YAML 1.2', () => {
    const result = load('# old style\n%YAML 1.1\n---\nenabled: yes\nmode: 010\n');
    expect(keys(result)).toEqual([['YAML_SYNTAX', 'warning', 2, 1]]);
    expect(result.source?.value).toEqual({ enabled: 'yes', mode: 10 });
  });

  it('does not warn about a quoted "<<" key, which is plainly meant', () => {
    expect(keys(load('"<<": 1\n'))).toEqual([]);
  });

  it('rewrites yaml messages without parser jargon', () => {
    const samples = [
      'a: [1, 2\n',
      'a: {b: 1\n',
      'a: b: c\n',
      'a: "x" y\n',
      'a: ]\n',
      'a: [1,,2]\n',
      'a: - b\n',
      'a: @x\n',
      'a: "\\q"\n',
      'a: 1\n- b\n',
      'a:\n  - 1\n - 2\n',
      '%YAML 1.2\na: 1\n',
      'a: &x &y 1\n',
    ];
    const jargon = /flow-seq|flow-map|map-value-ind|seq-item-ind|block-seq-ind|implicit|compact mapping|scalar at node end|YAML stream/i;
    for (const text of samples) {
      const found = load(text).diagnostics.filter((d) => d.code === 'YAML_SYNTAX');
      expect(found.length, text).toBeGreaterThan(0);
      for (const d of found) expect(d.message, text).not.toMatch(jargon);
    }
  });
});

describe('DUPLICATE_KEY', () => {
  it('points at the second occurrence and names the line of the first', () => {
    const result = load('name: a\nother: 1\nname: b\n');
    expect(keys(result)).toEqual([['DUPLICATE_KEY', 'error', 3, 1]]);
    expect(result.diagnostics[0]!.message).toContain('"name"');
    expect(result.diagnostics[0]!.message).toContain('line 1');
    expect(result.diagnostics[0]!.pointer).toBe('/name');
  });

  it('reports every repeat, in nested and flow mappings too', () => {
    const text = ['spec:', '  a: 1', '  a: 2', '  a: 3', 'flow: { x: 1, y: 2, x: 3 }', ''].join('\n');
    expect(keys(load(text))).toEqual([
      ['DUPLICATE_KEY', 'error', 3, 3],
      ['DUPLICATE_KEY', 'error', 4, 3],
      ['DUPLICATE_KEY', 'error', 5, 21],
    ]);
  });

  it('treats keys that become the same JSON key as duplicates (1 and "1")', () => {
    expect(keys(load('1: a\n"1": b\n'))).toEqual([['DUPLICATE_KEY', 'error', 2, 1]]);
  });

  it('allows the same key in different mappings', () => {
    expect(keys(load('a: { id: 1 }\nb: { id: 1 }\nc: [{ id: 1 }, { id: 1 }]\n'))).toEqual([]);
  });

  it('finds duplicates in a mapping of 50,000 keys quickly (yaml\'s own check is quadratic)', () => {
    const lines = Array.from({ length: 50_000 }, (_, i) => `k${i}: ${i}`);
    lines.push('k7: again');
    const result = load(lines.join('\n') + '\n');
    expect(keys(result)).toEqual([['DUPLICATE_KEY', 'error', 50_001, 1]]);
  });
});

describe('MULTIPLE_DOCUMENTS', () => {
  it('points at the start of the second document', () => {
    expect(keys(load('a: 1\n---\nb: 2\n'))).toEqual([['MULTIPLE_DOCUMENTS', 'error', 2, 1]]);
  });

  it('accepts a leading "---" and a closing "..."', () => {
    expect(keys(load('---\na: 1\n...\n'))).toEqual([]);
  });

  it('reports a trailing empty document, and only once for several', () => {
    expect(keys(load('a: 1\n---\n'))).toEqual([['MULTIPLE_DOCUMENTS', 'error', 2, 1]]);
    expect(keys(load('a: 1\n# next\n---\nb: 1\n---\nc: 1\n'))).toEqual([['MULTIPLE_DOCUMENTS', 'error', 3, 1]]);
  });

  it('still reports the errors inside the other documents', () => {
    expect(keys(load('a: 1\n---\nb: 1\nb: 2\n'))).toEqual([
      ['MULTIPLE_DOCUMENTS', 'error', 2, 1],
      ['DUPLICATE_KEY', 'error', 4, 1],
    ]);
  });
});

describe('EMPTY_DOCUMENT', () => {
  it.each([
    ['an empty file', ''],
    ['white space', '  \n\n'],
    ['only comments', '# nothing yet\n# really\n'],
    ['a bare "---"', '---\n'],
    ['a bare "---" and "..."', '---\n...\n'],
    ['only a directive', '%YAML 1.2\n'],
  ])('reports %s at 1:1', (_name, text) => {
    expect(keys(load(text))).toEqual([['EMPTY_DOCUMENT', 'error', 1, 1]]);
  });

  it('reports an empty file given as bytes with only a BOM', () => {
    expect(keys(load(new Uint8Array([0xef, 0xbb, 0xbf])))).toEqual([['EMPTY_DOCUMENT', 'error', 1, 1]]);
  });

  it('is not reported for an explicit null (the validator says what a plan must be)', () => {
    const result = load('~\n');
    expect(keys(result)).toEqual([]);
    expect(result.source?.value).toBeNull();
  });
});

describe('ALIAS_LIMIT', () => {
  const laughs = (levels: number, width = 9) => {
    const lines = [`l0: &l0 [${Array(width).fill('lol').join(', ')}]`];
    for (let i = 1; i < levels; i++) lines.push(`l${i}: &l${i} [${Array(width).fill(`*l${i - 1}`).join(', ')}]`);
    return lines.join('\n') + '\n';
  };

  it('stops a billion laughs at the alias that crosses the limit, promptly', () => {
    const result = load(laughs(10));
    // Level 6's first alias brings the running total past 1,000,000.
    expect(keys(result)).toEqual([['ALIAS_LIMIT', 'error', 7, 10]]);
    expect(result.source).toBeNull();
  });

  it('stops a hundred levels of doubling (2^100 values) without overflowing anything', () => {
    // Level i holds 2^(i+2) - 1 values; the running total passes a million at level 17's
    // second alias (786,399 + 262,143).
    // Each level also nests one deeper: at line 99 the expanded value passes 100 levels.
    const result = load(laughs(100, 2));
    expect(keys(result)).toEqual([
      ['ALIAS_LIMIT', 'error', 18, 18],
      ['ALIAS_LIMIT', 'error', 99, 12],
    ]);
  });

  it('honours maxAliasCount', () => {
    const text = 'a: &a [1, 2, 3]\nb: *a\nc: *a\n'; // each alias copies 4 values
    expect(keys(loadPlanText(text, 'f', { maxAliasCount: 8 }))).toEqual([]);
    expect(keys(loadPlanText(text, 'f', { maxAliasCount: 7 }))).toEqual([['ALIAS_LIMIT', 'error', 3, 4]]);
    expect(keys(loadPlanText('a: &a 1\nb: *a\n', 'f', { maxAliasCount: 0 }))).toEqual([['ALIAS_LIMIT', 'error', 2, 4]]);
  });

  it('resolves aliases to anchored keys and to the latest anchor of a name', () => {
    const result = load('&k name: 1\nb: *k\nc: &v first\nd: &v second\ne: *v\n');
    expect(keys(result)).toEqual([]);
    expect(result.source!.value).toEqual({ name: 1, b: 'name', c: 'first', d: 'second', e: 'second' });
  });

  it('refuses an alias inside the value it repeats', () => {
    expect(keys(load('a: &x [1, *x]\n'))).toEqual([['ALIAS_LIMIT', 'error', 1, 11]]);
    expect(keys(load('a: &x\n  b: *x\n'))).toEqual([['ALIAS_LIMIT', 'error', 2, 6]]);
  });

  it('handles thousands of aliases in linear time (yaml\'s toJS is quadratic here)', () => {
    const n = 20_000;
    const lines = Array.from({ length: n }, (_, i) => `b${i}: &b${i} x`);
    lines.push(`all: &all [${Array.from({ length: n }, (_, i) => `*b${i}`).join(', ')}]`);
    lines.push('again: *all');
    const result = load(lines.join('\n') + '\n');
    expect(keys(result)).toEqual([]);
    const value = result.source!.value as { all: string[]; again: string[] };
    expect(value.again).toHaveLength(n);
    expect(value.again).not.toBe(value.all);
  });
});

describe('FORBIDDEN_KEY', () => {
  it('reports __proto__, constructor and prototype at the key, at any depth', () => {
    const text = [
      '__proto__: { polluted: true }',
      'a:',
      '  b:',
      '    - constructor: 1',
      '  c: { prototype: 2 }',
      '',
    ].join('\n');
    const result = load(text);
    expect(keys(result)).toEqual([
      ['FORBIDDEN_KEY', 'error', 1, 1],
      ['FORBIDDEN_KEY', 'error', 4, 7],
      ['FORBIDDEN_KEY', 'error', 5, 8],
    ]);
    expect(result.diagnostics.map((d) => d.pointer)).toEqual(['/__proto__', '/a/b/0/constructor', '/a/c/prototype']);
    expect(result.source).toBeNull();
  });

  it('catches quoted and explicit spellings too', () => {
    expect(keys(load('"__proto__": 1\n'))).toEqual([['FORBIDDEN_KEY', 'error', 1, 1]]);
    expect(keys(load("'constructor': 1\n"))).toEqual([['FORBIDDEN_KEY', 'error', 1, 1]]);
    expect(keys(load('? __proto__\n: 1\n'))).toEqual([['FORBIDDEN_KEY', 'error', 1, 3]]);
    expect(keys(load('list: [__proto__: 1]\n'))).toEqual([['FORBIDDEN_KEY', 'error', 1, 8]]);
  });

  it('never pollutes Object.prototype', () => {
    const before = Object.getOwnPropertyNames(Object.prototype).sort();
    load('__proto__: {polluted: true}\n');
    load('a: &p {polluted: true}\n__proto__: *p\n');
    load('constructor: {prototype: {polluted: true}}\n');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(before);
  });

  it('allows the words as values and inside longer keys', () => {
    const result = load('name: __proto__\nmy_constructor: 1\nprototypes: [constructor]\n');
    expect(keys(result)).toEqual([]);
    expect(result.source!.value).toEqual({ name: '__proto__', my_constructor: 1, prototypes: ['constructor'] });
  });
});
