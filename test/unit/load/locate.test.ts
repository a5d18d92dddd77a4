/**
 * PlanSource.locate: JSON pointers back to 1-based ranges (end exclusive) in the original text.
 */
import { describe, expect, it } from 'vitest';
import { loadPlanText } from '../../../engine/load/load-plan.js';
import type { Position } from '../../../engine/model/diagnostic.js';
import type { PlanSource } from '../../../engine/model/plan-source.js';

function sourceOf(input: string | Uint8Array): PlanSource {
  const result = loadPlanText(input, 'plan.yaml');
  if (!result.source) throw new Error(result.diagnostics.map((d) => `${d.line}:${d.col} ${d.code} ${d.message}`).join('\n'));
  return result.source;
}

const at = (line: number, col: number, endLine: number, endCol: number): Position => ({ line, col, endLine, endCol });

const PLAN = [
  'apiVersion: drplan/v1', //                   1
  'metadata:', //                               2
  '  name: payments-eu', //                     3
  '  labels: { tier: "1", a/b: x, t~n: y }', // 4
  'spec:', //                                   5
  '  groups:', //                               6
  '    - id: database', //                      7
  '      vms: [pg-1, pg-2]', //                 8
  '      pre:', //                              9
  '        - id: signoff', //                   10
  '          gate:', //                         11
  '            approvers: [dba]', //            12
  '    - id: app', //                           13
  '      vms:', //                              14
  '        - app-1', //                         15
  '        - { name: app-2, ip: 10.0.0.2 }', // 16
  '      description:', //                     17
  '', //                                        18
].join('\n');

describe('locate', () => {
  const source = sourceOf(PLAN);

  it('gives a value by default and the key with part "key"', () => {
    expect(source.locate('/metadata/name')).toEqual(at(3, 9, 3, 20));
    expect(source.locate('/metadata/name', 'value')).toEqual(at(3, 9, 3, 20));
    expect(source.locate('/metadata/name', 'key')).toEqual(at(3, 3, 3, 7));
    expect(source.locate('/apiVersion', 'key')).toEqual(at(1, 1, 1, 11));
  });

  it('spans a whole block collection, without trailing blank lines', () => {
    expect(source.locate('/metadata')).toEqual(at(3, 3, 4, 40));
    expect(source.locate('/spec/groups/0')).toEqual(at(7, 7, 12, 29));
  });

  it('walks nested sequences by index', () => {
    expect(source.locate('/spec/groups/0/id')).toEqual(at(7, 11, 7, 19));
    expect(source.locate('/spec/groups/0/pre/0/gate/approvers/0')).toEqual(at(12, 25, 12, 28));
    expect(source.locate('/spec/groups/1/vms/0')).toEqual(at(15, 11, 15, 16));
  });

  it('walks flow sequences and flow mappings', () => {
    expect(source.locate('/spec/groups/0/vms')).toEqual(at(8, 12, 8, 24));
    expect(source.locate('/spec/groups/0/vms/1')).toEqual(at(8, 19, 8, 23));
    expect(source.locate('/spec/groups/1/vms/1')).toEqual(at(16, 11, 16, 40));
    expect(source.locate('/spec/groups/1/vms/1/ip')).toEqual(at(16, 30, 16, 38));
    expect(source.locate('/spec/groups/1/vms/1/ip', 'key')).toEqual(at(16, 26, 16, 28));
  });

  it('includes the quotes of a quoted scalar', () => {
    expect(source.locate('/metadata/labels/tier')).toEqual(at(4, 19, 4, 22));
  });

  it('unescapes pointer segments (~1 is "/", ~0 is "~")', () => {
    expect(source.locate('/metadata/labels/a~1b', 'key')).toEqual(at(4, 24, 4, 27));
    expect(source.locate('/metadata/labels/t~0n')).toEqual(at(4, 37, 4, 38));
  });

  it('gives the key for an empty value, which has no text of its own', () => {
    expect(source.locate('/spec/groups/1/description')).toEqual(at(17, 7, 17, 18));
    expect(source.locate('/spec/groups/1/description', 'key')).toEqual(at(17, 7, 17, 18));
  });

  it('gives the nearest existing ancestor for a pointer that does not exist', () => {
    expect(source.locate('/metadata/owners')).toEqual(source.locate('/metadata'));
    expect(source.locate('/metadata/owners', 'key')).toEqual(source.locate('/metadata', 'key'));
    expect(source.locate('/spec/groups/7/id')).toEqual(source.locate('/spec/groups'));
    expect(source.locate('/spec/groups/01')).toEqual(source.locate('/spec/groups'));
    expect(source.locate('/spec/groups/-')).toEqual(source.locate('/spec/groups'));
    expect(source.locate('/metadata/name/deeper')).toEqual(source.locate('/metadata/name'));
    expect(source.locate('/nothing/at/all')).toEqual(source.locate(''));
  });

  it('gives the document content for the empty pointer', () => {
    expect(source.locate('')).toEqual(at(1, 1, 17, 19));
    expect(source.locate('', 'key')).toEqual(at(1, 1, 17, 19));
  });

  it('answers sequence items with their value even when asked for a key', () => {
    expect(source.locate('/spec/groups/1/vms/0', 'key')).toEqual(at(15, 11, 15, 16));
  });

  it('matches the value at the same pointer', () => {
    const value = source.value as { spec: { groups: { vms: unknown[] }[] } };
    expect(value.spec.groups[1]!.vms[1]).toEqual({ name: 'app-2', ip: '10.0.0.2' });
  });
});

describe('locate after a BOM and in odd layouts', () => {
  it('keeps columns right when the bytes start with a UTF-8 BOM', () => {
    const source = sourceOf(new Uint8Array([0xef, 0xbb, 0xbf, ...Buffer.from('name: x\nlist: [a, b]\n')]));
    expect(source.text.startsWith('name')).toBe(true);
    expect(source.locate('/name', 'key')).toEqual(at(1, 1, 1, 5));
    expect(source.locate('/list/1')).toEqual(at(2, 11, 2, 12));
  });

  it('keeps columns right when a string starts with a BOM', () => {
    expect(sourceOf('\uFEFFname: x\n').locate('/name')).toEqual(at(1, 7, 1, 8));
  });

  it('counts columns in UTF-16 code units, after multi-byte text', () => {
    expect(sourceOf('é: ü\nk: v\n').locate('/é')).toEqual(at(1, 4, 1, 5));
  });

  it('handles CRLF line ends', () => {
    const source = sourceOf('a: 1\r\nb:\r\n  c: two\r\n');
    expect(source.locate('/b/c')).toEqual(at(3, 6, 3, 9));
    expect(source.locate('/b')).toEqual(at(3, 3, 3, 9));
  });

  it('spans a block scalar from its header', () => {
    const source = sourceOf('script: |\n  echo one\n  echo two\nnext: 1\n');
    expect(source.value).toEqual({ script: 'echo one\necho two\n', next: 1 });
    expect(source.locate('/script')).toEqual(at(1, 9, 3, 11));
  });

  it('locates a pair written inside a flow sequence', () => {
    const source = sourceOf('list: [a: 1, b]\n');
    expect(source.value).toEqual({ list: [{ a: 1 }, 'b'] });
    expect(source.locate('/list/0')).toEqual(at(1, 8, 1, 12));
    expect(source.locate('/list/0/a')).toEqual(at(1, 11, 1, 12));
    expect(source.locate('/list/0/a', 'key')).toEqual(at(1, 8, 1, 9));
  });

  it('locates the root of a document that starts with "---" and comments', () => {
    const source = sourceOf('# header\n---\n# about a\na: 1\n');
    expect(source.locate('')).toEqual(at(4, 1, 4, 5));
  });
});

describe('locate through aliases', () => {
  const text = [
    'defaults: &d', //                  1
    '  retry: { attempts: 3 }', //      2
    '  timeout: 2m', //                 3
    'steps:', //                        4
    '  - id: a', //                     5
    '    policy: *d', //                6
    '  - id: b', //                     7
    '    name: &n shared', //           8
    '    label: *n', //                 9
    '',
  ].join('\n');
  const source = sourceOf(text);

  it('answers the alias itself for a pointer that ends on it', () => {
    expect(source.locate('/steps/0/policy')).toEqual(at(6, 13, 6, 15));
    expect(source.locate('/steps/1/label')).toEqual(at(9, 12, 9, 14));
  });

  it('still gives the key in front of an alias', () => {
    expect(source.locate('/steps/0/policy', 'key')).toEqual(at(6, 5, 6, 11));
  });

  it('answers the alias for anything reached through it, keys included', () => {
    expect(source.locate('/steps/0/policy/retry/attempts')).toEqual(at(6, 13, 6, 15));
    expect(source.locate('/steps/0/policy/timeout', 'key')).toEqual(at(6, 13, 6, 15));
    expect(source.locate('/steps/0/policy/missing')).toEqual(at(6, 13, 6, 15));
  });

  it('answers the anchored original at its own pointer', () => {
    expect(source.locate('/defaults/retry/attempts')).toEqual(at(2, 22, 2, 23));
  });

  it('expands aliases into independent copies in the value', () => {
    const value = source.value as { defaults: object; steps: { policy: object }[] };
    expect(value.steps[0]!.policy).toEqual(value.defaults);
    expect(value.steps[0]!.policy).not.toBe(value.defaults);
  });
});

describe('locate cost', () => {
  it('answers 20,000 pointers into a 10,000-item list quickly, without rebuilding anything', () => {
    const text = `vms:\n${Array.from({ length: 10_000 }, (_, i) => `  - { name: vm-${i}, ip: 10.0.${i >> 8}.${i & 255} }`).join('\n')}\n`;
    const source = sourceOf(text);
    expect(source.locate('/vms/9999/ip')).toEqual(source.locate('/vms/9999/ip'));
    for (let i = 0; i < 20_000; i++) source.locate(`/vms/${(i * 7919) % 10_000}/${i % 2 ? 'ip' : 'name'}`, i % 3 ? 'value' : 'key');
    expect(source.locate('/vms/1234/name')).toEqual(at(1236, 13, 1236, 20));
  });
});
