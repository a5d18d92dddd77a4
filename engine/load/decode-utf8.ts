/**
 * Turning a plan file's bytes into text. Plans are UTF-8 by contract: anything else is
 * reported (with the offset of the first bad byte) rather than decoded into U+FFFD soup that
 * YAML would then misread in confusing ways.
 */

/** Why the bytes are not a UTF-8 plan. */
export type NotUtf8Reason = 'utf16le' | 'utf16be' | 'utf32le' | 'utf32be' | 'invalid' | 'nul';

export type DecodeResult =
  | { ok: true; text: string }
  | {
      ok: false;
      reason: NotUtf8Reason;
      /** Offset of the offending byte in the input. */
      byteOffset: number;
      /** The offending byte, for the message. */
      byte: number;
      /** The valid text before the offending byte (BOM stripped), to compute line and column. */
      prefix: string;
    };

const BOM = '\uFEFF';

// fatal: reject ill-formed input instead of substituting U+FFFD; ignoreBOM false (the default)
// strips a leading UTF-8 BOM, which editors hide, so columns match what the user sees.
const strictDecoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes plan bytes as UTF-8, stripping a UTF-8 BOM. UTF-16/32 BOMs, ill-formed sequences and
 * NUL bytes (never valid in YAML, and the mark of UTF-16 without a BOM) are refused.
 */
export function decodePlanBytes(bytes: Uint8Array): DecodeResult {
  const foreign = detectForeignBom(bytes);
  if (foreign) return { ok: false, reason: foreign, byteOffset: 0, byte: bytes[0] ?? 0, prefix: '' };
  let text: string;
  try {
    text = strictDecoder.decode(bytes);
  } catch {
    const offset = findInvalidUtf8(bytes);
    return {
      ok: false,
      reason: 'invalid',
      byteOffset: offset,
      byte: bytes[offset] ?? 0,
      prefix: strictDecoder.decode(bytes.subarray(0, offset)),
    };
  }
  const bomBytes = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  return checkNul(text, (index) => bomBytes + utf8Length(text, index));
}

/** The same checks for text handed over already decoded (a leading BOM is stripped). */
export function decodePlanString(input: string): DecodeResult {
  const text = input.startsWith(BOM) ? input.slice(1) : input;
  const bomBytes = text === input ? 0 : 3;
  return checkNul(text, (index) => bomBytes + utf8Length(text, index));
}

/** UTF-8 length of a string (or of its first `end` code units), without allocating. */
export function utf8Length(text: string, end = text.length): number {
  let bytes = 0;
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < end && isLowSurrogate(text.charCodeAt(i + 1))) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

function checkNul(text: string, byteOffsetOf: (index: number) => number): DecodeResult {
  const nul = text.indexOf('\0');
  if (nul === -1) return { ok: true, text };
  return { ok: false, reason: 'nul', byteOffset: byteOffsetOf(nul), byte: 0, prefix: text.slice(0, nul) };
}

function detectForeignBom(b: Uint8Array): NotUtf8Reason | null {
  // UTF-32 LE starts like UTF-16 LE, so test it first.
  if (b[0] === 0xff && b[1] === 0xfe && b[2] === 0x00 && b[3] === 0x00) return 'utf32le';
  if (b[0] === 0x00 && b[1] === 0x00 && b[2] === 0xfe && b[3] === 0xff) return 'utf32be';
  if (b[0] === 0xff && b[1] === 0xfe) return 'utf16le';
  if (b[0] === 0xfe && b[1] === 0xff) return 'utf16be';
  return null;
}

/**
 * Offset of the first byte that does not start a well-formed UTF-8 sequence (Unicode table 3-7:
 * no overlongs, no surrogates, nothing above U+10FFFF). Only called once TextDecoder has said
 * the input is bad, so speed matters less than agreeing with it.
 */
export function findInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const lead = b[i]!;
    if (lead < 0x80) {
      i++;
      continue;
    }
    let length: number;
    let min = 0x80;
    let max = 0xbf;
    if (lead >= 0xc2 && lead <= 0xdf) length = 2;
    else if (lead >= 0xe0 && lead <= 0xef) {
      length = 3;
      if (lead === 0xe0) min = 0xa0;
      if (lead === 0xed) max = 0x9f;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      length = 4;
      if (lead === 0xf0) min = 0x90;
      if (lead === 0xf4) max = 0x8f;
    } else return i;
    for (let k = 1; k < length; k++) {
      const c = b[i + k];
      if (c === undefined) return i;
      const lo = k === 1 ? min : 0x80;
      const hi = k === 1 ? max : 0xbf;
      if (c < lo || c > hi) return i;
    }
    i += length;
  }
  return b.length;
}
