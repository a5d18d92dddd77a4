import type { Paint } from './paint.js';
import { formatDuration } from '../model/duration.js';
import { RunHistory, type RunState } from '../run/run-history.js';
import type { JournalRecord, RunSummary } from '../store/journal.js';
import { formatTime, isoTime } from './run-report-text.js';

/** One line of `drplan runs`: a run's state from its journal, or `damaged` when it cannot be read. */
export interface RunListEntry {
  runId: string;
  plan: string;
  mode: string;
  /** `never-started`: an empty journal (drplan stopped before writing the start record). */
  state: RunState | 'damaged' | 'never-started';
  startedAt: number | null;
  finishedAt: number | null;
  elapsedMs: number | null;
  waitingOn: string[];
  dryRun: boolean | null;
  /** Why the journal could not be read (damaged runs). */
  error?: string;
}

/**
 * Builds a list entry from a run's records, or from the error reading them: one damaged
 * journal shows as `damaged` instead of failing the whole listing.
 */
export function runListEntry(summary: RunSummary, read: { records: readonly JournalRecord[] } | { error: string }, now: number): RunListEntry {
  if ('error' in read) {
    return { runId: summary.runId, plan: summary.plan, mode: summary.mode, state: 'damaged', startedAt: summary.startedAt || null, finishedAt: null, elapsedMs: null, waitingOn: [], dryRun: null, error: read.error };
  }
  if (read.records.length === 0) {
    return { runId: summary.runId, plan: summary.plan, mode: summary.mode, state: 'never-started', startedAt: null, finishedAt: null, elapsedMs: null, waitingOn: [], dryRun: null };
  }
  const history = RunHistory.of(read.records);
  const started = history.started;
  const startedAt = started?.time ?? (summary.startedAt || null);
  const last = read.records.at(-1)?.time ?? startedAt;
  // The outage clock of a real run keeps running while it waits; a dry-run's stops with its records.
  const until = history.ended?.time ?? (started && !started.simulated ? Math.max(now, last ?? now) : last);
  return {
    runId: summary.runId,
    plan: started?.plan ?? summary.plan,
    mode: started?.mode ?? summary.mode,
    state: history.state,
    startedAt,
    finishedAt: history.ended?.time ?? null,
    elapsedMs: startedAt !== null && until !== null ? until - startedAt : null,
    waitingOn: history.waitingOn,
    dryRun: started?.dryRun ?? null,
  };
}

/** `drplan runs --format json` (SPEC §3.1), newest first, with additive fields. */
export function runListJson(entries: readonly RunListEntry[]) {
  return entries.map((e) => ({
    runId: e.runId,
    plan: e.plan,
    mode: e.mode,
    state: e.state,
    startedAt: isoTime(e.startedAt),
    waitingOn: e.waitingOn,
    finishedAt: isoTime(e.finishedAt),
    elapsedMs: e.elapsedMs,
    dryRun: e.dryRun,
    ...(e.error ? { error: e.error } : {}),
  }));
}

/** `drplan runs`: a table, newest first. */
export function formatRunList(entries: readonly RunListEntry[], p: Paint): string {
  const rows = entries.map((e) => [
    e.runId,
    e.plan,
    `${e.mode}${e.dryRun ? ' (dry)' : ''}`,
    e.state === 'never-started' ? 'never started' : e.state,
    e.startedAt === null ? '-' : formatTime(e.startedAt),
    e.elapsedMs === null ? '-' : formatDuration(e.elapsedMs),
    e.state === 'damaged' ? 'drplan verify ' + e.runId : e.state === 'never-started' ? 'drplan discard ' + e.runId : e.waitingOn.join(', '),
  ]);
  const head = ['RUN ID', 'PLAN', 'MODE', 'STATE', 'STARTED', 'ELAPSED', 'WAITING ON'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[], colour = (_: number, s: string) => s) =>
    cells
      .map((c, i) => colour(i, i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const out = [p.dim(line(head))];
  for (const r of rows) out.push(line(r, (i, s) => (i === 3 ? colourState(r[3]!, s, p) : s)));
  return out.join('\n') + '\n';
}

function colourState(state: string, text: string, p: Paint): string {
  if (state === 'succeeded') return p.green(text);
  if (state === 'failed' || state === 'cancelled' || state === 'damaged' || state === 'never started') return p.red(text);
  return p.yellow(text);
}
