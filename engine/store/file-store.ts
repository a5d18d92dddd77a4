import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { appendFile, open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { JournalRecord, NewRecord, RunJournal, RunStore, RunSummary } from './journal.js';
import { encodeLine, GENESIS } from './journal-line.js';
import { JournalDamageError, readJournal, type ReadJournal } from './read-journal.js';
import { checkHeads, indexHeads, readHead, writeHead, type HeadAnchor, type RunHead } from './run-head.js';
import { acquireRunLock, type LockHolder, type RunLock } from './run-lock.js';

export class NoSuchRunError extends Error {
  constructor(
    readonly runId: string,
    readonly dir: string,
  ) {
    super(`no run "${runId}" in ${dir} (\`drplan runs\` lists the runs there; --state or DRPLAN_STATE picks another directory)`);
    this.name = 'NoSuchRunError';
  }
}

export interface FileStoreOptions {
  /** Told about a torn last line that was dropped, and a stale lock that was taken over. */
  warn?: (message: string) => void;
}

/**
 * The embedded default store: `<state>/runs/<run-id>/journal.jsonl`, one hash-chained JSON record
 * per line, fsynced before `append` resolves, plus `<state>/index.jsonl` listing runs. Only the
 * holder of a run's lock appends to its journal.
 */
export class FileStore implements RunStore {
  constructor(
    readonly dir: string,
    private readonly options: FileStoreOptions = {},
  ) {}

  runDir(runId: string): string {
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(runId)) throw new NoSuchRunError(runId, this.dir);
    return join(this.dir, 'runs', runId);
  }

  exists(runId: string): boolean {
    return existsSync(join(this.runDir(runId), 'journal.jsonl'));
  }

  /**
   * Creates a run and takes its lock. The journal file does not exist until the first append is
   * durable: it is written aside, fsynced and renamed into place, so a journal is never empty —
   * a run killed before its start record was written leaves no run behind, only a directory
   * without a journal that nothing lists.
   */
  async create(runId: string): Promise<RunJournal> {
    const dir = this.runDir(runId);
    mkdirSync(join(this.dir, 'runs'), { recursive: true });
    mkdirSync(dir); // fails if the run exists: ids are never reused
    const lock = this.lock(runId);
    return new FileJournal(runId, { born: false, file: join(dir, 'journal.jsonl') }, { records: [], lastHash: GENESIS, goodBytes: 0 }, lock, (summary) => this.index(summary), this.headKeeper(runId));
  }

  /** Opens a run to drive it: takes its lock, checks the whole chain, drops a torn last line. */
  open(runId: string): Promise<RunJournal> {
    return this.openJournal(runId);
  }

  private async openJournal(runId: string): Promise<FileJournal> {
    const file = this.journalFile(runId);
    const lock = this.lock(runId);
    try {
      const heads = this.heads(runId);
      const text = readFileSync(file, 'utf8');
      const read = readJournal(text, file);
      assertReachesHeads(file, read, heads);
      const handle = await open(file, 'r+');
      if (read.tornTail) {
        this.options.warn?.(`${file}:${read.tornTail.line}: the last record was only partly written (${read.tornTail.bytes} bytes) when drplan stopped; it is dropped`);
        await handle.truncate(read.goodBytes);
      } else if (text.length > 0 && !text.endsWith('\n')) {
        await handle.write('\n', read.goodBytes);
        read.goodBytes += 1;
      }
      await handle.sync();
      return new FileJournal(runId, { born: true, handle }, read, lock, () => {}, this.headKeeper(runId));
    } catch (error) {
      lock.release();
      throw error;
    }
  }

  /**
   * Deletes a run that never started: its journal holds no complete record (drplan used to
   * create the journal empty, and could be killed before the start record was written). Takes
   * the lock first, so an engine still about to write that record keeps its run. A run with
   * records is evidence and is not deleted: its record count is returned instead.
   */
  async discardNeverStarted(runId: string): Promise<{ discarded: true } | { discarded: false; records: number }> {
    const journal = await this.openJournal(runId);
    const records = journal.records().length;
    if (records > 0) {
      await journal.close();
      return { discarded: false, records };
    }
    // Moved out of runs/ in one step, then deleted: no half-deleted run is ever listed. The lock
    // goes with it (there is nothing left to drive).
    const trash = join(this.dir, 'discarded', `${runId}.${randomBytes(4).toString('hex')}`);
    mkdirSync(dirname(trash), { recursive: true });
    await journal.abandon();
    renameSync(this.runDir(runId), trash);
    rmSync(trash, { recursive: true, force: true });
    return { discarded: true };
  }

  /** Reads a run without driving it (status, logs, report, verify). Throws on damage, as `open` does. */
  read(runId: string): ReadJournal {
    const file = this.journalFile(runId);
    // The head first: an engine appending meanwhile moves it only after its records are durable.
    // (Not the index lines too: `runs` reads every run, and the index grows with them.)
    const heads = this.heads(runId, false);
    const read = readJournal(readFileSync(file, 'utf8'), file);
    assertReachesHeads(file, read, heads);
    return read;
  }

  /**
   * The heads recorded for a run (engine/store/run-head.ts): its `head.json` and the index lines
   * written when it ended. A journal that ends before one was cut.
   */
  heads(runId: string, withIndex = true): HeadAnchor[] {
    const head = readHead(this.runDir(runId));
    const indexFile = join(this.dir, 'index.jsonl');
    const fromIndex = withIndex && existsSync(indexFile) ? indexHeads(readFileSync(indexFile, 'utf8'), runId, indexFile) : [];
    return [...(head ? [head] : []), ...fromIndex];
  }

  journalFile(runId: string): string {
    const file = join(this.runDir(runId), 'journal.jsonl');
    if (!existsSync(file)) throw new NoSuchRunError(runId, this.dir);
    return file;
  }

  async list(): Promise<RunSummary[]> {
    const out = new Map<string, RunSummary>();
    const indexFile = join(this.dir, 'index.jsonl');
    if (existsSync(indexFile)) {
      for (const line of readFileSync(indexFile, 'utf8').split('\n')) {
        try {
          const s = JSON.parse(line) as RunSummary;
          if (typeof s.runId === 'string' && this.exists(s.runId)) out.set(s.runId, s);
        } catch {
          // a torn index line: the journals are the truth, the index only lists them
        }
      }
    }
    // Runs whose index line was lost (crash between journal and index) are still found.
    const runsDir = join(this.dir, 'runs');
    if (existsSync(runsDir)) {
      for (const id of readdirSync(runsDir)) {
        if (out.has(id) || !this.exists(id)) continue;
        try {
          const records = this.read(id).records;
          const first = records[0];
          if (first?.type === 'run.started') out.set(id, { runId: id, plan: first.data.plan, mode: first.data.mode, startedAt: first.time });
          // A run that never started (an empty journal) is listed too, at the time its journal was made.
          else if (records.length === 0) out.set(id, { runId: id, plan: '?', mode: '?', startedAt: statSync(join(this.runDir(id), 'journal.jsonl')).mtimeMs });
        } catch {
          out.set(id, { runId: id, plan: '?', mode: '?', startedAt: 0 });
        }
      }
    }
    return [...out.values()].sort((a, b) => b.startedAt - a.startedAt || b.runId.localeCompare(a.runId));
  }

  private lock(runId: string): RunLock {
    return acquireRunLock(join(this.runDir(runId), 'lock'), runId, (holder: LockHolder) =>
      this.options.warn?.(`run ${runId}: taking over the lock of pid ${holder.pid} on ${holder.host}, which is no longer running`),
    );
  }

  private async index(summary: RunSummary): Promise<void> {
    await appendFile(join(this.dir, 'index.jsonl'), JSON.stringify(summary) + '\n');
  }

  /** Where a journal records its head: the index line when the run ends, `head.json` when it is let go of. */
  private headKeeper(runId: string): HeadKeeper {
    return {
      ended: (summary) =>
        this.index(summary).catch((error: unknown) => {
          // Only an anchor, like head.json: a run is not failed for want of its index line.
          this.options.warn?.(`run ${runId}: could not record its end in the index (${error instanceof Error ? error.message : String(error)})`);
        }),
      closed: (head) => {
        try {
          writeHead(this.runDir(runId), head);
        } catch (error) {
          // Only an anchor: the journal is whole without it, and the next command writes it again.
          this.options.warn?.(`run ${runId}: could not record the journal's head (${error instanceof Error ? error.message : String(error)})`);
        }
      },
    };
  }
}

/** What a journal tells its store so a cut can be seen later (engine/store/run-head.ts). */
interface HeadKeeper {
  /** The terminal record is durable: the summary, with the head, goes into the index. */
  ended(summary: RunSummary): Promise<void>;
  /** The journal is let go of after appending: its head is recorded beside it. */
  closed(head: RunHead): void;
}

const TERMINAL = new Set(['run.succeeded', 'run.failed', 'run.cancelled']);

/** A journal that ends before a recorded head, or holds another record there, is damaged (cut or rewritten). */
function assertReachesHeads(file: string, read: ReadJournal, heads: readonly HeadAnchor[]): void {
  const found = checkHeads(read.records.length, (seq) => read.hashes[seq - 1], heads);
  if (found) throw new JournalDamageError(file, found.line, found.problem);
}

/** The journal file: open, or not yet written (a new run's, until its first append is durable). */
type JournalFile = { born: true; handle: FileHandle } | { born: false; file: string };

/**
 * Appends with group commit: records appended while a write+fsync is in flight go out together
 * in the next one, so concurrent VM operations share an fsync. Before each write it checks that
 * this engine still holds the run's lock (the fence): an engine whose run was taken over never
 * writes again.
 */
class FileJournal implements RunJournal {
  private readonly list: JournalRecord[];
  private lastHash: string;
  private position: number;
  private queue: { lines: string; records: JournalRecord[]; hash: string; resolve: (r: JournalRecord[]) => void; reject: (e: unknown) => void }[] = [];
  /** The last durable record, and whether this journal appended any (then its head is recorded on close). */
  private head: RunHead | null;
  private appended = false;
  private flushing = false;
  private failed: unknown = null;

  constructor(
    readonly runId: string,
    private file: JournalFile,
    read: Omit<ReadJournal, 'hashes'>,
    private readonly lock: RunLock,
    private readonly onStarted: (summary: RunSummary) => Promise<void> | void,
    private readonly keeper?: HeadKeeper,
  ) {
    this.list = [...read.records];
    this.head = read.records.length > 0 ? { seq: read.records.length, hash: read.lastHash } : null;
    this.lastHash = read.lastHash;
    this.position = read.goodBytes;
    this.seq = read.records.length;
  }

  /** Last sequence number handed out (records in a batch being written included). */
  private seq: number;

  append(records: readonly NewRecord[], time: number): Promise<JournalRecord[]> {
    if (this.failed) return Promise.reject(this.failed);
    let lines = '';
    const stamped: JournalRecord[] = [];
    for (const r of records) {
      const record = { ...r, seq: ++this.seq, time } as JournalRecord;
      const { line, hash } = encodeLine(record, this.lastHash);
      this.lastHash = hash;
      lines += line;
      stamped.push(record);
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ lines, records: stamped, hash: this.lastHash, resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      try {
        const data = Buffer.from(batch.map((b) => b.lines).join(''));
        // Synchronously right before the write: nothing else of this engine runs in between.
        this.lock.check();
        if (this.file.born) {
          await this.file.handle.write(data, 0, data.length, this.position);
          await this.file.handle.datasync();
        } else {
          this.file = { born: true, handle: await writeNewFile(this.file.file, data) };
        }
        this.position += data.length;
        for (const b of batch) {
          this.list.push(...b.records);
          const last = b.records.at(-1);
          if (last) {
            this.head = { seq: last.seq, hash: b.hash };
            this.appended = true;
          }
          const first = b.records[0];
          if (first?.type === 'run.started') await this.onStarted({ runId: this.runId, plan: first.data.plan, mode: first.data.mode, startedAt: first.time });
          if (this.keeper && b.records.some((r) => TERMINAL.has(r.type))) await this.keeper.ended(this.endedSummary());
          b.resolve(b.records);
        }
      } catch (error) {
        // After a failed write the file's end is unknown, and after a lost lock the run is
        // another engine's: refuse every later append.
        this.failed = error;
        for (const b of [...batch, ...this.queue]) b.reject(error);
        this.queue = [];
      }
    }
    this.flushing = false;
  }

  records(): readonly JournalRecord[] {
    return this.list;
  }

  async close(): Promise<void> {
    await this.abandon();
    // Only records known durable are named: after a failed write the head stays at the last good one.
    if (this.appended && this.head) this.keeper?.closed(this.head);
    this.lock.release();
  }

  /** The run's index entry at its end: the start summary plus the head (its terminal record). */
  private endedSummary(): RunSummary {
    const first = this.list[0];
    const started = first?.type === 'run.started' ? { plan: first.data.plan, mode: first.data.mode, startedAt: first.time } : { plan: '?', mode: '?', startedAt: 0 };
    return { runId: this.runId, ...started, ...(this.head ? { head: this.head } : {}) };
  }

  /** Closes the file but keeps the lock (its directory is about to be removed with the run). */
  async abandon(): Promise<void> {
    while (this.flushing || this.queue.length > 0) await new Promise((r) => setImmediate(r));
    if (this.file.born) await this.file.handle.close();
  }
}

/**
 * A new journal with its first records: written to `<file>.new`, fsynced, renamed into place and
 * the rename made durable, so the file appears complete or not at all. Returns the open file.
 */
async function writeNewFile(file: string, data: Buffer): Promise<FileHandle> {
  const pending = `${file}.new`;
  const handle = await open(pending, 'wx');
  try {
    await handle.write(data, 0, data.length, 0);
    await handle.datasync();
    await rename(pending, file);
  } catch (error) {
    await handle.close();
    await unlink(pending).catch(() => undefined);
    throw error;
  }
  // The journal's name in the run directory, and the run directory's name in runs/.
  await syncDir(dirname(file));
  await syncDir(dirname(dirname(file)));
  return handle;
}

async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
