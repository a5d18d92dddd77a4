import { createHash } from 'node:crypto';
import { RECORD_TYPES, type JournalRecord, type NewRecord } from './journal.js';

/** The hash that precedes the first record of every journal. */
export const GENESIS = '0'.repeat(64);

/** A record as stored: the record plus the hash chain. */
export interface StoredRecord {
  seq: number;
  time: number;
  type: string;
  data: unknown;
  prev: string;
  hash: string;
}

/** sha256 over the previous hash and the record's canonical text: any edit breaks the chain from there on. */
export function hashRecord(prev: string, record: Pick<StoredRecord, 'seq' | 'time' | 'type' | 'data'>): string {
  return createHash('sha256')
    .update(prev)
    .update('\n')
    .update(JSON.stringify({ seq: record.seq, time: record.time, type: record.type, data: record.data }))
    .digest('hex');
}

export function encodeLine(record: NewRecord & { seq: number; time: number }, prev: string): { line: string; hash: string } {
  const hash = hashRecord(prev, record);
  return { line: JSON.stringify({ seq: record.seq, time: record.time, type: record.type, data: record.data, prev, hash }) + '\n', hash };
}

/** `cut` and `head`: the journal against its recorded head (engine/store/run-head.ts), not one line against the one before. */
export type LineProblem = { kind: 'syntax' | 'shape' | 'unknown-type' | 'sequence' | 'chain' | 'hash' | 'cut' | 'head'; message: string };

const KNOWN = new Set<string>(RECORD_TYPES);

/** Checks one stored line against the record before it. */
export function decodeLine(text: string, expectedSeq: number, prev: string): { record: JournalRecord; hash: string } | LineProblem {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { kind: 'syntax', message: 'is not valid JSON' };
  }
  const r = parsed as Partial<StoredRecord>;
  if (!r || typeof r !== 'object' || typeof r.seq !== 'number' || typeof r.time !== 'number' || typeof r.type !== 'string' || typeof r.prev !== 'string' || typeof r.hash !== 'string' || typeof r.data !== 'object' || r.data === null) {
    return { kind: 'shape', message: 'is not a journal record (seq, time, type, data, prev, hash)' };
  }
  if (!KNOWN.has(r.type)) return { kind: 'unknown-type', message: `has unknown record type "${r.type}" (written by a newer drplan?)` };
  if (r.seq !== expectedSeq) return { kind: 'sequence', message: `has sequence number ${r.seq} where ${expectedSeq} was expected (a record is missing or out of order)` };
  if (r.prev !== prev) return { kind: 'chain', message: `does not follow the record before it (previous hash ${r.prev.slice(0, 12)}… instead of ${prev.slice(0, 12)}…)` };
  const hash = hashRecord(prev, r as StoredRecord);
  if (hash !== r.hash) return { kind: 'hash', message: 'was altered after it was written (its hash does not match its content)' };
  return { record: { seq: r.seq, time: r.time, type: r.type, data: r.data } as JournalRecord, hash };
}
