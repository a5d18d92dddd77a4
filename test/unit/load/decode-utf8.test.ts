import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodePlanBytes, decodePlanString, findInvalidUtf8, utf8Length } from '../../../engine/load/decode-utf8.js';

const u8 = (...b: number[]) => new Uint8Array(b);

describe('decodePlanBytes', () => {
  it('decodes UTF-8 and strips a BOM', () => {
    expect(decodePlanBytes(u8(0xef, 0xbb, 0xbf, 0x61, 0xc3, 0xa9))).toEqual({ ok: true, text: 'aé' });
    expect(decodePlanBytes(u8(0x61))).toEqual({ ok: true, text: 'a' });
    expect(decodePlanBytes(u8())).toEqual({ ok: true, text: '' });
  });

  it.each([
    ['a lone continuation byte', [0x61, 0x80], 1],
    ['an overlong two-byte form', [0x61, 0x62, 0xc0, 0xaf], 2],
    ['an overlong three-byte form', [0xe0, 0x80, 0xaf], 0],
    ['a UTF-16 surrogate', [0x61, 0xed, 0xa0, 0x80], 1],
    ['a code point above U+10FFFF', [0xf4, 0x90, 0x80, 0x80], 0],
    ['a truncated sequence at the end', [0x61, 0x62, 0x63, 0xe2, 0x82], 3],
    ['a sequence cut by ASCII', [0xe2, 0x28, 0xa1], 0],
    ['a byte never used in UTF-8', [0x61, 0xff], 1],
  ])('finds %s', (_name, bytes, offset) => {
    const result = decodePlanBytes(new Uint8Array(bytes));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.reason).toBe('invalid');
    expect(result.byteOffset).toBe(offset);
    expect(result.byte).toBe(bytes[offset]);
  });

  it.each([
    ['utf16le', [0xff, 0xfe, 0x61, 0x00]],
    ['utf16be', [0xfe, 0xff, 0x00, 0x61]],
    ['utf32le', [0xff, 0xfe, 0x00, 0x00, 0x61, 0x00, 0x00, 0x00]],
    ['utf32be', [0x00, 0x00, 0xfe, 0xff, 0x00, 0x00, 0x00, 0x61]],
  ])('names a %s byte order mark', (reason, bytes) => {
    const result = decodePlanBytes(new Uint8Array(bytes));
    expect(result).toMatchObject({ ok: false, reason, byteOffset: 0 });
  });

  it('refuses NUL bytes, counting the BOM in the byte offset', () => {
    expect(decodePlanBytes(u8(0xef, 0xbb, 0xbf, 0x61, 0xc3, 0xa9, 0x00))).toMatchObject({
      ok: false,
      reason: 'nul',
      byteOffset: 6,
      prefix: 'aé',
    });
  });

  it('agrees with the WHATWG decoder on where the first bad byte is', () => {
    const lenient = new TextDecoder('utf-8', { ignoreBOM: true });
    const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
    const bytes = fc.uint8Array({ maxLength: 40 }).chain((random) =>
      // Mix random bytes with valid multi-byte text so both paths are exercised.
      fc.constantFrom(random, new Uint8Array([...Buffer.from('aé€😀'), ...random])),
    );
    fc.assert(
      fc.property(bytes, (b) => {
        const offset = findInvalidUtf8(b);
        const prefix = strict.decode(b.subarray(0, offset)); // must not throw
        const replaced = lenient.decode(b);
        if (offset === b.length) expect(replaced).toBe(prefix);
        else if (!prefix.includes('\uFFFD')) expect(replaced.indexOf('\uFFFD')).toBe(prefix.length);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('decodePlanString', () => {
  it('strips a leading BOM and nothing else', () => {
    expect(decodePlanString('\uFEFFa\uFEFF')).toEqual({ ok: true, text: 'a\uFEFF' });
  });

  it('refuses NUL, giving its UTF-8 byte offset', () => {
    expect(decodePlanString('\uFEFFé\0')).toMatchObject({ ok: false, reason: 'nul', byteOffset: 5, prefix: 'é' });
  });
});

describe('utf8Length', () => {
  it('matches Buffer.byteLength, surrogate pairs and lone surrogates included', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        expect(utf8Length(s)).toBe(Buffer.byteLength(s, 'utf8'));
      }),
    );
    expect(utf8Length('a\uD800b')).toBe(Buffer.byteLength('a\uD800b', 'utf8'));
  });
});
