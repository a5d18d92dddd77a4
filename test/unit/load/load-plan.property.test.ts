/**
 * Properties of loadPlanText over generated input: it never throws, always answers with either
 * a source or an error, never lets a dangerous key through or into Object.prototype, and reads
 * back what yaml writes, with a locate() that stays inside the text.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { loadPlanText, type LoadResult } from '../../../engine/load/load-plan.js';
import { toPointer } from '../../../engine/model/plan-source.js';

const FORBIDDEN = ['__proto__', 'constructor', 'prototype'];

/** The invariants every answer keeps, whatever the input. */
function expectWellFormed(result: LoadResult, text: string | null): void {
  const hasError = result.diagnostics.some((d) => d.severity === 'error');
  expect(result.source === null).toBe(hasError);
  const lines = text === null ? Infinity : text.split('\n').length;
  let previous = { line: 0, col: 0 };
  for (const d of result.diagnostics) {
    expect(d.line).toBeGreaterThanOrEqual(1);
    expect(d.col).toBeGreaterThanOrEqual(1);
    expect(d.line).toBeLessThanOrEqual(lines);
    expect(d.message).not.toBe('');
    expect(d.line > previous.line || (d.line === previous.line && d.col >= previous.col)).toBe(true);
    previous = d;
  }
}

const prototypeBefore = Object.getOwnPropertyNames(Object.prototype).sort();
function expectNoPollution(): void {
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeBefore);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(Object.getPrototypeOf({})).toBe(Object.prototype);
}

/** Own keys anywhere in a plain value. */
function* ownKeys(value: unknown): Generator<string> {
  if (Array.isArray(value)) for (const item of value) yield* ownKeys(item);
  else if (value !== null && typeof value === 'object') {
    for (const key of Object.getOwnPropertyNames(value)) {
      yield key;
      yield* ownKeys((value as Record<string, unknown>)[key]);
    }
  }
}

/** Every JSON pointer into a plain value. */
function* pointers(value: unknown, path: (string | number)[] = []): Generator<string> {
  yield toPointer(path);
  if (Array.isArray(value)) for (let i = 0; i < value.length; i++) yield* pointers(value[i], [...path, i]);
  else if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) yield* pointers(child, [...path, key]);
  }
}

// Fragments that reach the interesting corners of YAML: indicators, anchors and aliases,
// tags, quotes, block scalars, document markers, tabs, dangerous keys, non-ASCII.
const yamlish = fc.string({
  unit: fc.constantFrom(
    'a', 'b', '1', ' ', '  ', '\n', '\r\n', '\t', ': ', ':', '- ', '-', '? ', ',', '[', ']', '{', '}',
    '"', "'", '\\', '#', '|', '>', '&a ', '*a', '&b ', '*b', '!t ', '!!str ', '---\n', '...\n', '%YAML 1.2\n',
    '__proto__', 'constructor', 'prototype', '<<', 'é', '\uFEFF', '~', 'null', '\0', '@', '`',
  ),
  maxLength: 60,
});

describe('loadPlanText on arbitrary input', () => {
  it('never throws on YAML-like strings and always answers with a source or an error', () => {
    fc.assert(
      fc.property(yamlish, (text) => {
        expectWellFormed(loadPlanText(text, 'gen.yaml'), text);
        expectNoPollution();
      }),
      { numRuns: 3000 },
    );
  });

  it('never throws on any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
        expectWellFormed(loadPlanText(text, 'gen.yaml'), null);
      }),
      { numRuns: 1000 },
    );
  });

  it('never throws on any bytes', () => {
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 200 }),
      yamlish.map((s) => new Uint8Array(Buffer.from(s, 'utf8'))),
      fc.tuple(yamlish, fc.uint8Array({ maxLength: 4 }), yamlish).map(
        ([a, bad, b]) => new Uint8Array([...Buffer.from(a), ...bad, ...Buffer.from(b)]),
      ),
    );
    fc.assert(
      fc.property(bytes, (b) => {
        expectWellFormed(loadPlanText(b, 'gen.yaml'), null);
      }),
      { numRuns: 1000 },
    );
  });

  it('gives locate() answers inside the text for any pointer, existing or not', () => {
    const segment = fc.constantFrom('a', 'b', '0', '1', '__proto__', 'x~1y', '');
    fc.assert(
      fc.property(yamlish, fc.array(segment, { maxLength: 4 }), fc.boolean(), (text, path, key) => {
        const { source } = loadPlanText(text, 'gen.yaml');
        if (!source) return;
        const lines = source.text.split('\n');
        const at = source.locate(path.map((s) => `/${s}`).join(''), key ? 'key' : 'value');
        expect(at.line).toBeGreaterThanOrEqual(1);
        expect(at.endLine).toBeGreaterThanOrEqual(at.line);
        expect(at.endLine).toBeLessThanOrEqual(lines.length);
        expect(at.col).toBeGreaterThanOrEqual(1);
        expect(at.col).toBeLessThanOrEqual(lines[at.line - 1]!.length + 1);
        if (at.endLine === at.line) expect(at.endCol).toBeGreaterThanOrEqual(at.col);
      }),
      { numRuns: 2000 },
    );
  });
});

// A document tree rendered as block or flow YAML, with keys that include the dangerous ones
// in every spelling.
type Tree = { kind: 'scalar'; text: string } | { kind: 'map'; flow: boolean; entries: [string, Tree][] } | { kind: 'seq'; flow: boolean; items: Tree[] };

const keyText = fc.constantFrom(
  '__proto__', '"__proto__"', "'__proto__'", 'constructor', '"constructor"', 'prototype', "'prototype'",
  'polluted', 'toString', 'hasOwnProperty', 'valueOf', 'a', 'b', 'c', '__proto', 'proto__',
);
const scalarText = fc.constantFrom('1', 'true', 'x', '"q"', 'null', '~', '[]', '{}', '{polluted: true}');

const { tree } = fc.letrec<{ tree: Tree; map: Tree; seq: Tree; scalar: Tree }>((tie) => ({
  tree: fc.oneof({ depthSize: 'small', withCrossShrink: true }, tie('scalar'), tie('map'), tie('seq')),
  scalar: scalarText.map((text): Tree => ({ kind: 'scalar', text })),
  map: fc
    .record({ flow: fc.boolean(), entries: fc.array(fc.tuple(keyText, tie('tree')), { maxLength: 4 }) })
    .map(({ flow, entries }): Tree => ({ kind: 'map', flow, entries })),
  seq: fc
    .record({ flow: fc.boolean(), items: fc.array(tie('tree'), { maxLength: 3 }) })
    .map(({ flow, items }): Tree => ({ kind: 'seq', flow, items })),
}));

function renderFlow(t: Tree): string {
  if (t.kind === 'scalar') return t.text;
  if (t.kind === 'map') return `{ ${t.entries.map(([k, v]) => `${k}: ${renderFlow(v)}`).join(', ')} }`;
  return `[ ${t.items.map(renderFlow).join(', ')} ]`;
}

function renderBlock(t: Tree, indent: number): string {
  const pad = ' '.repeat(indent);
  const inline = (c: Tree) => c.kind === 'scalar' || c.flow || (c.kind === 'map' ? c.entries.length === 0 : c.items.length === 0);
  if (t.kind === 'map' && !t.flow && t.entries.length > 0) {
    return t.entries
      .map(([k, v]) => (inline(v) ? `${pad}${k}: ${renderFlow(v)}` : `${pad}${k}:\n${renderBlock(v, indent + 2)}`))
      .join('\n');
  }
  if (t.kind === 'seq' && !t.flow && t.items.length > 0) {
    return t.items.map((v) => (inline(v) ? `${pad}- ${renderFlow(v)}` : `${pad}-\n${renderBlock(v, indent + 2)}`)).join('\n');
  }
  return pad + renderFlow(t);
}

function* keysOf(t: Tree): Generator<string> {
  if (t.kind === 'map') {
    for (const [k, v] of t.entries) {
      yield k.replace(/^["']|["']$/g, '');
      yield* keysOf(v);
    }
  } else if (t.kind === 'seq') for (const item of t.items) yield* keysOf(item);
}

describe('dangerous keys', () => {
  it('are reported wherever they are, never reach the value, and never pollute', () => {
    fc.assert(
      fc.property(tree, (t) => {
        const text = `${renderBlock(t, 0)}\n`;
        const result = loadPlanText(text, 'gen.yaml');
        expectWellFormed(result, text);
        expectNoPollution();
        const dangerous = [...keysOf(t)].filter((k) => FORBIDDEN.includes(k)).length;
        const reported = result.diagnostics.filter((d) => d.code === 'FORBIDDEN_KEY').length;
        expect(reported).toBe(dangerous);
        if (result.source) for (const key of ownKeys(result.source.value)) expect(FORBIDDEN).not.toContain(key);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('round trip', () => {
  it('reads back what yaml writes, with every pointer locatable inside the text', () => {
    const json = fc.jsonValue({ maxDepth: 4 }).filter((v) => ![...ownKeys(v)].some((k) => FORBIDDEN.includes(k)));
    fc.assert(
      fc.property(json, (value) => {
        const text = stringify(value);
        const result = loadPlanText(text, 'gen.yaml');
        expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        expect(JSON.stringify(result.source!.value)).toBe(JSON.stringify(value));
        const lines = result.source!.text.split('\n').length;
        for (const pointer of pointers(value)) {
          for (const part of ['key', 'value'] as const) {
            const at = result.source!.locate(pointer, part);
            expect(at.line, pointer).toBeGreaterThanOrEqual(1);
            expect(at.endLine, pointer).toBeLessThanOrEqual(lines);
          }
        }
      }),
      { numRuns: 500 },
    );
  });
});
