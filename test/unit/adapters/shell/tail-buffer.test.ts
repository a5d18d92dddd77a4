import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createTailBuffer } from '../../../../adapters/shell/tail-buffer.js';

describe('createTailBuffer', () => {
  it('keeps everything under the limit', () => {
    const tail = createTailBuffer(10);
    tail.push(Buffer.from('abc'));
    tail.push(Buffer.from('def'));
    expect(tail.text()).toBe('abcdef');
    expect(tail.truncated).toBe(false);
  });

  it('keeps the last bytes and marks the loss', () => {
    const tail = createTailBuffer(4);
    tail.push(Buffer.from('abc'));
    tail.push(Buffer.from('def'));
    expect(tail.text()).toBe('cdef');
    expect(tail.truncated).toBe(true);
  });

  it('is not truncated when exactly the limit arrives in one chunk', () => {
    const tail = createTailBuffer(3);
    tail.push(Buffer.from('abc'));
    expect(tail.truncated).toBe(false);
    tail.push(Buffer.from('d'));
    expect(tail.text()).toBe('bcd');
    expect(tail.truncated).toBe(true);
  });

  it('drops a multi-byte character cut in half at the start instead of decoding garbage', () => {
    const tail = createTailBuffer(5);
    tail.push(Buffer.from('aé🚀')); // 1 + 2 + 4 bytes: the last 5 start inside é
    expect(tail.text()).toBe('🚀');
  });

  it('never holds more than the limit, whatever is pushed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 64 }), fc.array(fc.uint8Array({ maxLength: 200 }), { maxLength: 40 }), (limit, chunks) => {
        const tail = createTailBuffer(limit);
        for (const chunk of chunks) {
          tail.push(chunk);
          expect(tail.retainedBytes).toBeLessThanOrEqual(limit);
        }
        const all = Buffer.concat(chunks);
        const kept = all.subarray(Math.max(0, all.length - limit));
        expect(tail.retainedBytes).toBe(kept.length);
        expect(tail.truncated).toBe(all.length > limit);
      }),
    );
  });

  it('holds at most the limit while 50 MB stream through it', () => {
    const tail = createTailBuffer(1024 * 1024);
    const chunk = Buffer.alloc(64 * 1024, 'x');
    for (let i = 0; i < 800; i++) {
      tail.push(chunk);
      expect(tail.retainedBytes).toBeLessThanOrEqual(1024 * 1024);
    }
    tail.push(Buffer.from('end'));
    expect(tail.text().endsWith('xxend')).toBe(true);
  });
});
