import { closeSync, existsSync, fstatSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { END_TYPES, formatLogLine, type LogLineContext } from '../../report/run-report-log.js';
import type { FileStore } from '../../store/file-store.js';
import { EXIT, paint, useColor, type CliIo } from '../io.js';
import { openStateStore, STATE_OPTION } from '../state-dir.js';

/** How often `--follow` looks for new lines (real time: the log grows on the wall clock). */
const POLL_MS = 200;
/** After the journal shows the run ended, how long to wait for the log to catch up. */
const SETTLE_MS = 2000;

/** `drplan logs <run-id> [--follow] [--pretty]`: the run's `log.jsonl`, raw or one readable line per record. */
export function registerLogs(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('logs')
    .description("print a run's log (JSON lines; --pretty for people); --follow keeps printing until the run ends")
    .argument('<run-id>', 'the run')
    .option('--follow', 'keep printing new lines until the run ends (Ctrl-C stops following; the run goes on)')
    .option('--pretty', 'one readable line per record: time, +elapsed on the run clock, type, step, key data')
    .option(...STATE_OPTION)
    .action(async (runId: string, options: { follow?: boolean; pretty?: boolean; state?: string }) => {
      const store = openStateStore(io, options.state);
      const journalFile = store.journalFile(runId); // an unknown run is an error, not an empty log
      const logFile = join(store.runDir(runId), 'log.jsonl');
      const p = paint(useColor(io));
      const clock = new RunClock(store, runId);
      const emit = (line: string) => {
        if (!options.pretty) return io.stdout(line + '\n');
        const text = formatLogLine(line, clock.context(line), p);
        if (text !== null) io.stdout(text + '\n');
      };

      if (!options.follow) {
        if (!existsSync(logFile)) {
          io.stderr(`drplan: run ${runId} has no log yet (${logFile}); its journal is the record: \`drplan status ${runId}\`\n`);
          return setExit(EXIT.ok);
        }
        const text = readFileSync(logFile, 'utf8');
        const lines = text.split('\n');
        if (lines.at(-1) === '') lines.pop();
        for (const line of lines) emit(line);
        return setExit(EXIT.ok);
      }
      setExit(await follow(io, logFile, journalFile, emit));
    });
}

/**
 * Prints the log as it grows, complete lines only, until a run-ending record has been printed,
 * or the journal shows the run ended and the log has had time to catch up, or Ctrl-C.
 */
async function follow(io: CliIo, logFile: string, journalFile: string, emit: (line: string) => void): Promise<number> {
  let stopped = false;
  let wake: () => void = () => {};
  const stopInterrupt = io.onInterrupt?.(() => {
    stopped = true;
    wake();
  });
  let position = 0;
  let pending = '';
  let endedSince: number | null = null;
  try {
    while (!stopped) {
      const chunk = readFrom(logFile, position);
      position += chunk.length;
      pending += chunk.toString('utf8');
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        emit(line);
        // The run ended: what an engine might still append after it is not this run's story.
        if (isEnd(line)) return EXIT.ok;
      }
      if (chunk.length === 0 && journalEnded(journalFile)) {
        endedSince ??= Date.now();
        if (Date.now() - endedSince >= SETTLE_MS) {
          if (pending) emit(pending);
          return EXIT.ok;
        }
      } else if (chunk.length > 0) endedSince = null;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, POLL_MS);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    if (pending) emit(pending);
    return EXIT.ok;
  } finally {
    stopInterrupt?.();
  }
}

/** Bytes appended to `file` since `position` (none while the file does not exist yet). */
function readFrom(file: string, position: number): Buffer {
  if (!existsSync(file)) return Buffer.alloc(0);
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    if (size <= position) return Buffer.alloc(0);
    const buffer = Buffer.alloc(size - position);
    const n = readSync(fd, buffer, 0, buffer.length, position);
    return buffer.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

function isEnd(line: string): boolean {
  if (!line.includes('"run.')) return false;
  try {
    const type = (JSON.parse(line) as { type?: unknown }).type;
    return typeof type === 'string' && END_TYPES.has(type);
  } catch {
    return false;
  }
}

/** Whether the journal's last complete record ends the run (reads only its tail). */
function journalEnded(file: string): boolean {
  try {
    const size = statSync(file).size;
    const tail = readFrom(file, Math.max(0, size - 64 * 1024)).toString('utf8');
    const lines = tail.split('\n').filter((l) => l.trim() !== '');
    const last = tail.endsWith('\n') ? lines.at(-1) : lines.at(-2);
    return last !== undefined && isEnd(last);
  } catch {
    return false;
  }
}

/**
 * The run's own clock for `--pretty`'s +elapsed column: record times by sequence number from
 * the journal (simulated in dry-runs), read again when the log mentions a record not seen yet.
 */
class RunClock {
  private times = new Map<number, number>();
  private start: number | null = null;
  private readable = true;
  private loadedAt = 0;

  constructor(
    private readonly store: FileStore,
    private readonly runId: string,
  ) {
    this.load();
  }

  context(line: string): LogLineContext {
    const seq = /"seq":(\d+)/.exec(line)?.[1];
    // At most one re-read per poll: a record the journal does not have yet is looked up again later.
    if (seq !== undefined && this.readable && !this.times.has(Number(seq)) && Date.now() - this.loadedAt >= POLL_MS) this.load();
    return { runStart: this.start, timeOfSeq: (s) => this.times.get(s) };
  }

  private load(): void {
    this.loadedAt = Date.now();
    try {
      const records = this.store.read(this.runId).records;
      for (const r of records) this.times.set(r.seq, r.time);
      this.start = records[0]?.time ?? null;
    } catch {
      // A damaged journal: the log still prints, without the run-clock column.
      this.readable = false;
    }
  }
}
