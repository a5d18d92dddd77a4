import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatLsn, lsnDistance, parseLsn, segmentStart } from '../../../../adapters/postgres/lsn.js';

describe('WAL positions', () => {
  it('parses PostgreSQL spellings, rejects anything else', () => {
    expect(parseLsn('0/3000148')).toBe(0x3000148n);
    expect(parseLsn('16/B374D848')).toBe((0x16n << 32n) | 0xb374d848n);
    expect(parseLsn('0/00846410')).toBe(0x846410n); // pg_waldump pads the low half
    for (const bad of ['', '0', '0/', '/1', '0/1/2', 'G/0', '123456789/0', null, undefined]) expect(parseLsn(bad)).toBeUndefined();
  });

  it('formats like PostgreSQL and round-trips', () => {
    expect(formatLsn(0x3000148n)).toBe('0/3000148');
    fc.assert(fc.property(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), (v) => parseLsn(formatLsn(v)) === v));
  });

  it('measures distances and segment starts in bytes', () => {
    expect(lsnDistance(parseLsn('0/8120F8')!, parseLsn('0/8121B0')!)).toBe(0xb8);
    expect(lsnDistance(parseLsn('0/9')!, parseLsn('0/1')!)).toBe(0);
    expect(formatLsn(segmentStart(parseLsn('0/8465A8')!, 1 << 20))).toBe('0/800000');
    expect(formatLsn(segmentStart(parseLsn('1/FFFFFFFF')!, 16 << 20))).toBe('1/FF000000');
  });
});
