/**
 * Bounded capture of a stream: keeps only the last `limit` bytes, so a command that prints
 * gigabytes costs at most `limit` bytes of memory. The tail is kept because the end of a
 * failing command's output is where the reason usually is.
 */

/** The last bytes of a stream. */
export interface TailBuffer {
  push(chunk: Uint8Array): void;
  /** Whether bytes were dropped from the start. */
  readonly truncated: boolean;
  /** Bytes held right now; never more than the limit. */
  readonly retainedBytes: number;
  /** The kept bytes, as one buffer. */
  bytes(): Buffer;
  /** The kept bytes decoded as UTF-8 (invalid sequences become U+FFFD). */
  text(): string;
}

/**
 * A buffer keeping the last `limit` bytes pushed into it.
 *
 * @example
 * ```ts
 * const tail = createTailBuffer(4);
 * tail.push(Buffer.from('abcdef'));
 * tail.text(); // 'cdef', tail.truncated === true
 * ```
 */
export function createTailBuffer(limit: number): TailBuffer {
  if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError(`tail buffer limit must be a positive integer, got ${limit}`);
  let chunks: Buffer[] = [];
  let size = 0;
  let truncated = false;

  return {
    push(chunk) {
      if (chunk.length === 0) return;
      if (chunk.length >= limit) {
        // Copy so the large chunk's memory is not kept alive by a small view of it.
        chunks = [Buffer.from(chunk.subarray(chunk.length - limit))];
        truncated ||= chunk.length > limit || size > 0;
        size = limit;
        return;
      }
      chunks.push(Buffer.from(chunk));
      size += chunk.length;
      while (size > limit) {
        truncated = true;
        const first = chunks[0]!;
        const excess = size - limit;
        if (first.length <= excess) {
          chunks.shift();
          size -= first.length;
        } else {
          chunks[0] = Buffer.from(first.subarray(excess));
          size -= excess;
        }
      }
    },
    get truncated() {
      return truncated;
    },
    get retainedBytes() {
      return size;
    },
    bytes() {
      return Buffer.concat(chunks, size);
    },
    text() {
      return decodeTail(Buffer.concat(chunks, size), truncated);
    },
  };
}

/**
 * Decodes the kept end of a stream as UTF-8. When the start was cut it may fall inside a
 * multi-byte character: its continuation bytes are dropped rather than decoded into replacement
 * characters.
 */
export function decodeTail(bytes: Uint8Array, truncated: boolean): string {
  let start = 0;
  if (truncated) while (start < 3 && start < bytes.length && (bytes[start]! & 0xc0) === 0x80) start++;
  return new TextDecoder('utf-8').decode(bytes.subarray(start));
}
