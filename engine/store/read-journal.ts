import { decodeLine, GENESIS, type LineProblem } from './journal-line.js';
import type { JournalRecord } from './journal.js';

export class JournalDamageError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly problem: LineProblem,
  ) {
    super(`${file}:${line}: journal record ${problem.message}. drplan will not run anything from a damaged journal; \`drplan verify\` shows the chain, and the run can only be inspected, not resumed.`);
    this.name = 'JournalDamageError';
  }
}

export interface ReadJournal {
  records: JournalRecord[];
  /** The stored hash of each record, by position (`hashes[seq - 1]`). */
  hashes: string[];
  /** Hash of the last good record (what the next record chains to). */
  lastHash: string;
  /** Byte length of the good prefix (a torn tail is cut here). */
  goodBytes: number;
  /** Set when the last line was incomplete and was dropped. */
  tornTail?: { line: number; bytes: number };
}

/**
 * Reads and checks a whole journal. Only an incomplete last line (the engine died mid-write) is
 * forgiven; any other damage — bad hash, gap, reorder, unknown record — is an error: a run is
 * never resumed from records that cannot be trusted.
 */
export function readJournal(text: string, file: string): ReadJournal {
  const records: JournalRecord[] = [];
  const hashes: string[] = [];
  let prev = GENESIS;
  let offset = 0;
  let lineNo = 0;
  while (offset < text.length) {
    const end = text.indexOf('\n', offset);
    lineNo++;
    if (end === -1) {
      // No newline: the write of this line never completed.
      const tail = text.slice(offset);
      const decoded = decodeLine(tail, records.length + 1, prev);
      if ('record' in decoded) {
        // Complete JSON without its newline still counts: the content made it to disk.
        records.push(decoded.record);
        hashes.push(decoded.hash);
        return { records, hashes, lastHash: decoded.hash, goodBytes: Buffer.byteLength(text) };
      }
      // A write cut short leaves the start of a record; anything else at the end is damage.
      const start = '{"seq":';
      if (!(tail.startsWith(start) || start.startsWith(tail))) {
        throw new JournalDamageError(file, lineNo, { kind: 'syntax', message: 'is not the start of a journal record (bytes were added to the journal, not cut off)' });
      }
      return { records, hashes, lastHash: prev, goodBytes: Buffer.byteLength(text.slice(0, offset)), tornTail: { line: lineNo, bytes: Buffer.byteLength(tail) } };
    }
    const line = text.slice(offset, end);
    const decoded = decodeLine(line, records.length + 1, prev);
    if (!('record' in decoded)) throw new JournalDamageError(file, lineNo, decoded);
    records.push(decoded.record);
    hashes.push(decoded.hash);
    prev = decoded.hash;
    offset = end + 1;
  }
  return { records, hashes, lastHash: prev, goodBytes: Buffer.byteLength(text) };
}
