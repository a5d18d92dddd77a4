import { one, type Db } from './connect.js';

/**
 * Where a promoted instance's timeline began. A promotion starts a new timeline and writes a
 * history file (`pg_wal/0000000N.history`) whose last line is `<parent timeline> <switch LSN>
 * <reason>`: everything before the switch LSN came from the old primary, nothing after it did.
 * That is the recovery point, read back from the server itself, so a repeated call (after a
 * crash of drplan) finds the same answer as the call that promoted.
 */

export interface TimelineInfo {
  timeline: number;
  /** The switch from the parent timeline, if this timeline was made by a promotion. */
  switchedFrom?: { timeline: number; lsn: string };
}

/** Parses the last line of a timeline history file. */
export function parseHistory(text: string): { timeline: number; lsn: string } | undefined {
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  const last = lines.at(-1);
  const m = last === undefined ? null : /^(\d+)\s+([0-9A-Fa-f]+\/[0-9A-Fa-f]+)/.exec(last);
  return m ? { timeline: Number(m[1]), lsn: m[2]!.toUpperCase() } : undefined;
}

/** The current timeline of a primary (not in recovery) and how it began. */
export async function readTimeline(db: Db): Promise<TimelineInfo> {
  const { walfile } = await one<{ walfile: string }>(db, 'SELECT pg_walfile_name(pg_current_wal_lsn()) AS walfile');
  const timeline = parseInt(walfile.slice(0, 8), 16);
  if (timeline <= 1) return { timeline };
  const { history } = await one<{ history: string | null }>(db, `SELECT pg_read_file('pg_wal/' || $1 || '.history') AS history`, [walfile.slice(0, 8)]);
  const switchedFrom = history ? parseHistory(history) : undefined;
  return switchedFrom ? { timeline, switchedFrom } : { timeline };
}
