import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { editDistance, formatDidYouMean, quoteNames, suggest } from '../../../engine/model/did-you-mean.js';

describe('editDistance', () => {
  it('counts insertions, deletions, substitutions and adjacent transpositions as one edit each', () => {
    expect(editDistance('dependsOn', 'dependsOn')).toBe(0);
    expect(editDistance('dependOn', 'dependsOn')).toBe(1);
    expect(editDistance('concurrency', 'concurency')).toBe(1);
    expect(editDistance('timeout', 'timeuot')).toBe(1);
    expect(editDistance('abort', 'abrot')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });

  it('stops past the limit', () => {
    expect(editDistance('a'.repeat(50), 'b'.repeat(50), 2)).toBe(3);
  });

  it('is symmetric and zero only for equal strings', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }), (a, b) => {
        const d = editDistance(a, b);
        expect(editDistance(b, a)).toBe(d);
        expect(d === 0).toBe(a === b);
        expect(d).toBeLessThanOrEqual(Math.max(a.length, b.length));
      }),
    );
  });
});

describe('suggest', () => {
  const stepFields = ['id', 'name', 'description', 'action', 'with', 'run', 'gate', 'manual', 'modes', 'timeout', 'retry', 'onFailure', 'estimate', 'forEach'];

  it('finds typos of field names', () => {
    expect(suggest('timout', stepFields)).toBe('timeout');
    expect(suggest('onfailure', stepFields)).toBe('onFailure');
    expect(suggest('retries', stepFields)).toBe('retry');
    expect(suggest('dependOn', ['id', 'dependsOn', 'vms'])).toBe('dependsOn');
    expect(suggest('concurency', ['id', 'concurrency', 'vms'])).toBe('concurrency');
  });

  it('prefers a match ignoring case and separators', () => {
    expect(suggest('APIVersion', ['apiVersion', 'kind'])).toBe('apiVersion');
    expect(suggest('depends_on', ['dependsOn', 'depends'])).toBe('dependsOn');
    expect(suggest('change_board', ['change-board', 'dba'])).toBe('change-board');
  });

  it('suggests nothing when nothing is close', () => {
    expect(suggest('zzz', ['id', 'vms'])).toBeUndefined();
    expect(suggest('x', ['id', 'vms'])).toBeUndefined();
    expect(suggest('completely-different', stepFields)).toBeUndefined();
    expect(suggest('anything', [])).toBeUndefined();
    expect(suggest('', ['a'])).toBeUndefined();
  });

  it('never suggests the input itself', () => {
    expect(suggest('id', ['id'])).toBeUndefined();
  });

  it('works on any iterable and breaks ties by candidate order', () => {
    expect(suggest('pg.promte', new Set(['pg.promote', 'pg.demote']))).toBe('pg.promote');
    expect(suggest('ab', ['ac', 'ad'])).toBe('ac');
  });

  it('always returns one of the candidates, or undefined', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 10 }), fc.array(fc.string({ maxLength: 10 }), { maxLength: 8 }), (input, candidates) => {
        const s = suggest(input, candidates);
        if (s !== undefined) expect(candidates).toContain(s);
      }),
    );
  });
});

describe('formatDidYouMean', () => {
  it('offers the closest candidate', () => {
    expect(formatDidYouMean('concurency', ['id', 'concurrency'])).toBe('did you mean "concurrency"?');
  });

  it('lists the alternatives when nothing is close and a label is given', () => {
    expect(formatDidYouMean('zzz', ['id', 'vms'], { alternatives: 'allowed fields' })).toBe('allowed fields: "id", "vms"');
    expect(formatDidYouMean('zzz', ['id', 'vms'])).toBeUndefined();
    expect(formatDidYouMean('zzz', [], { alternatives: 'allowed fields' })).toBeUndefined();
  });

  it('caps long lists', () => {
    const names = Array.from({ length: 30 }, (_, i) => `name${i}`);
    expect(quoteNames(names, 3)).toBe('"name0", "name1", "name2" and 27 more');
    expect(formatDidYouMean('zzzzzzzz', names, { alternatives: 'known', max: 2 })).toBe('known: "name0", "name1" and 28 more');
  });
});
