import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { LineProblem } from './journal-line.js';

/**
 * The head of a run's journal — the sequence number and hash of its last durable record — kept
 * outside the journal, so that lines cut off its end can be told from a journal that simply
 * stopped. A hash chain cannot show that by itself: every prefix of a chain is a valid chain.
 *
 * Two anchors, both written only after the records they name are durable, so a journal is never
 * behind its head unless records were removed from it (a crash leaves the head behind the
 * journal, never ahead of it, and the torn last line a crash can leave was never named):
 * - `<run>/head.json`, replaced atomically (written aside, fsynced, renamed) whenever an engine or
 *   command that appended to the journal lets go of it (at a wait, at the end, after a decision);
 * - a line in `<state>/index.jsonl` when the run's terminal record is durable.
 * They are as safe as the state directory: someone who can rewrite the journal can rewrite them
 * too. What they stop is a cut or a rewrite that does not also know to fix them — and the hash
 * they hold is the one to copy somewhere else (a ticket, a signed log) for more.
 */
export interface RunHead {
  seq: number;
  hash: string;
}

/** A head and where it was recorded (named in findings). */
export interface HeadAnchor extends RunHead {
  source: string;
}

export const HEAD_FILE = 'head.json';

/** Replaces `<runDir>/head.json` atomically: a reader sees the old head or the new one, never a torn one. */
export function writeHead(runDir: string, head: RunHead): void {
  const file = join(runDir, HEAD_FILE);
  const pending = `${file}.${process.pid}.tmp`;
  const fd = openSync(pending, 'w', 0o644);
  try {
    writeSync(fd, JSON.stringify({ seq: head.seq, hash: head.hash }) + '\n');
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(pending, file);
  } catch (error) {
    unlinkSync(pending);
    throw error;
  }
  const dir = openSync(runDir, 'r');
  try {
    fsyncSync(dir);
  } finally {
    closeSync(dir);
  }
}

/** The head recorded in `<runDir>/head.json`, or null when there is none (or it cannot be read: it is only an anchor). */
export function readHead(runDir: string): HeadAnchor | null {
  const file = join(runDir, HEAD_FILE);
  if (!existsSync(file)) return null;
  try {
    const h = JSON.parse(readFileSync(file, 'utf8')) as Partial<RunHead>;
    return isHead(h) ? { seq: h.seq, hash: h.hash, source: file } : null;
  } catch {
    return null;
  }
}

/** The heads recorded for a run in the state's `index.jsonl` (lines of runs that ended). */
export function indexHeads(indexText: string, runId: string, source: string): HeadAnchor[] {
  const out: HeadAnchor[] = [];
  for (const line of indexText.split('\n')) {
    if (!line.includes(runId)) continue;
    try {
      const entry = JSON.parse(line) as { runId?: unknown; head?: Partial<RunHead> };
      if (entry.runId === runId && entry.head && isHead(entry.head)) out.push({ seq: entry.head.seq, hash: entry.head.hash, source });
    } catch {
      // a torn index line: the index only lists runs
    }
  }
  return out;
}

/**
 * Checks a journal (how many records it holds and the hash of each) against the heads recorded for it: it must
 * reach every head, and hold at each head's sequence number the record that head names.
 */
export function checkHeads(count: number, hashAt: (seq: number) => string | undefined, anchors: readonly HeadAnchor[]): { line: number; problem: LineProblem } | null {
  const heads = [...anchors].sort((a, b) => b.seq - a.seq);
  const last = count;
  for (const head of heads) {
    if (head.seq > last) {
      const cut = head.seq - last;
      return {
        line: last + 1,
        problem: {
          kind: 'cut',
          message:
            `is missing: the journal ends at record ${last}, but its head recorded in ${head.source} is record ${head.seq} (hash ${head.hash.slice(0, 16)}…): ` +
            `${cut === 1 ? 'the last record was' : `the last ${cut} records were`} cut off the end`,
        },
      };
    }
    const hash = hashAt(head.seq);
    if (hash !== undefined && hash !== head.hash) {
      return {
        line: head.seq,
        problem: {
          kind: 'head',
          message: `is not the record the run's head recorded in ${head.source} names (hash ${head.hash.slice(0, 16)}… recorded, ${hash.slice(0, 16)}… found): the journal was rewritten up to here`,
        },
      };
    }
  }
  return null;
}

function isHead(h: Partial<RunHead> | null | undefined): h is RunHead {
  return !!h && Number.isInteger(h.seq) && (h.seq as number) > 0 && typeof h.hash === 'string' && /^[0-9a-f]{64}$/.test(h.hash);
}
