/**
 * WAL positions (LSNs) as PostgreSQL prints them, `16/B374D848`: two 32-bit hex halves. Kept as
 * bigint so byte distances between positions are exact.
 */

/** The LSN as a number of bytes, or undefined when the text is not an LSN. */
export function parseLsn(text: string | null | undefined): bigint | undefined {
  if (typeof text !== 'string') return undefined;
  const m = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/.exec(text.trim());
  if (!m) return undefined;
  return (BigInt(`0x${m[1]}`) << 32n) | BigInt(`0x${m[2]}`);
}

/** PostgreSQL's own spelling: upper-case hex, no leading zeros in either half. */
export function formatLsn(value: bigint): string {
  return `${(value >> 32n).toString(16).toUpperCase()}/${(value & 0xffffffffn).toString(16).toUpperCase()}`;
}

/** Bytes from `from` to `to` (0 when `to` is not ahead). */
export function lsnDistance(from: bigint, to: bigint): number {
  return to > from ? Number(to - from) : 0;
}

/** Start of the WAL segment that holds `lsn`. */
export function segmentStart(lsn: bigint, segmentBytes: number): bigint {
  const size = BigInt(segmentBytes);
  return (lsn / size) * size;
}
