import { watch, type FSWatcher } from 'node:fs';
import { open } from 'node:fs/promises';
import { decodeLine, GENESIS } from '../store/journal-line.js';
import type { JournalRecord } from '../store/journal.js';
import { JournalDamageError } from '../store/read-journal.js';

export interface TailOptions {
  /** Ends the tail (the client went away). */
  signal: AbortSignal;
  /** How often to look when no file-change event arrives (fs.watch can miss some). */
  pollMs?: number;
}

/**
 * Follows a run's journal as the engine appends to it, yielding each record once it is complete
 * (newline-terminated) and checked against the hash chain — the same check `drplan resume` makes,
 * so a page never shows a record the engine would refuse. Ends when the signal aborts; throws
 * `JournalDamageError` on a record that does not chain. Read-only: it never takes the run's lock.
 *
 * @example
 * for await (const record of tailJournal(store.journalFile(runId), { signal })) send(record);
 */
export async function* tailJournal(file: string, options: TailOptions): AsyncGenerator<JournalRecord> {
  const { signal } = options;
  const pollMs = options.pollMs ?? 500;
  let wake: (() => void) | null = null;
  // A change seen while reading (no one waiting yet) must not be lost until the next poll.
  let changed = false;
  const poke = () => {
    const w = wake;
    wake = null;
    if (w) w();
    else changed = true;
  };
  let watcher: FSWatcher | null = null;
  try {
    watcher = watch(file, { persistent: false }, poke);
    watcher.on('error', () => undefined);
  } catch {
    // no watcher: polling alone still finds every record, a little later
  }
  signal.addEventListener('abort', poke);
  const handle = await open(file, 'r');
  try {
    // `offset` is the start of the first line not yet read whole. An incomplete last line is read
    // again next time rather than kept: a later engine may cut it off (a torn write) and write
    // other records in its place.
    let offset = 0;
    let prev = GENESIS;
    let seq = 0;
    let lineNo = 0;
    let chunk = Buffer.alloc(64 * 1024);
    while (!signal.aborted) {
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, offset);
      let consumed = 0;
      let nl: number;
      while ((nl = chunk.indexOf(0x0a, consumed)) !== -1 && nl < bytesRead) {
        const line = chunk.subarray(consumed, nl).toString('utf8');
        consumed = nl + 1;
        lineNo++;
        const decoded = decodeLine(line, seq + 1, prev);
        if (!('record' in decoded)) throw new JournalDamageError(file, lineNo, decoded);
        seq = decoded.record.seq;
        prev = decoded.hash;
        yield decoded.record;
        if (signal.aborted) return;
      }
      offset += consumed;
      if (bytesRead === chunk.length) {
        // More is there already; a line longer than the buffer needs a bigger one.
        if (consumed === 0) chunk = Buffer.alloc(chunk.length * 2);
        continue;
      }
      if (changed) {
        changed = false;
        continue;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          wake = null;
          resolve();
        }, pollMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
        if (signal.aborted) poke();
      });
    }
  } finally {
    signal.removeEventListener('abort', poke);
    watcher?.close();
    await handle.close();
  }
}

/** The record types that end a run: nothing follows them. */
export function endsRun(record: JournalRecord): boolean {
  return record.type === 'run.succeeded' || record.type === 'run.failed' || record.type === 'run.cancelled';
}
