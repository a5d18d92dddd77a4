import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import type { JsonObject } from '../types.js';
import { formatLsn, parseLsn, segmentStart } from './lsn.js';
import { runProgram } from './programs.js';
import type { Endpoint, PostgresSettings } from './settings.js';

/**
 * What a failover lost, established from the old primary's own WAL when its files can be read
 * (a crashed server's disk usually can; a lost site's cannot).
 *
 * The promoted standby's timeline began at the switch LSN S (its history file): it has every
 * record before S and none after. pg_waldump over the old primary's WAL, from a little before S
 * to its end, lists the COMMIT records with their commit times: those before S are the last
 * transactions the new primary has (the newest is the recovery point), those at or after S are
 * the transactions that were committed, acknowledged to their clients, and are now lost. The
 * data-loss window is the time from the recovery point to the last lost commit: the RPO achieved.
 *
 * Without the old primary's WAL the window is bounded from above by the time since the last
 * transaction the standby replayed, and reported with that basis.
 */

export interface WalCommit {
  lsn: bigint;
  /** Commit time, milliseconds since the epoch (with microseconds as the fraction). */
  atMs: number;
}

export interface DataLoss {
  recoveryPoint: string;
  recoveryPointTime?: string;
  lostTransactions?: number;
  dataLossWindowSeconds?: number;
  /** How the numbers were established. */
  dataLossBasis: 'old-primary-wal' | 'old-primary-wal-lower-bound' | 'upper-bound-no-wal' | 'unknown';
  firstLostCommitAt?: string;
  lastLostCommitAt?: string;
}

const COMMIT = /lsn: ([0-9A-F]+\/[0-9A-F]+),.*desc: COMMIT(?:_PREPARED)? (?:\d+: )?(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(?:\.(\d{1,6}))? UTC/;

/** The COMMIT records in pg_waldump's output (run with TZ=UTC). */
export function parseCommits(output: string): WalCommit[] {
  const commits: WalCommit[] = [];
  for (const line of output.split('\n')) {
    const m = COMMIT.exec(line);
    if (!m) continue;
    const lsn = parseLsn(m[1]);
    if (lsn === undefined) continue;
    const [y, mo, d, h, mi, s] = m.slice(2, 8).map(Number) as [number, number, number, number, number, number];
    const micros = Number((m[8] ?? '').padEnd(6, '0'));
    commits.push({ lsn, atMs: Date.UTC(y, mo - 1, d, h, mi, s) + micros / 1000 });
  }
  return commits;
}

/** Splits commits at the switch point and works out the window. Pure. */
export function dataLossFrom(commits: readonly WalCommit[], switchLsn: bigint, replayedAtMs: number | undefined): Omit<DataLoss, 'recoveryPoint'> {
  const kept = commits.filter((c) => c.lsn < switchLsn);
  const lost = commits.filter((c) => c.lsn >= switchLsn);
  const recoveryMs = kept.at(-1)?.atMs ?? replayedAtMs;
  const base = recoveryMs === undefined ? {} : { recoveryPointTime: iso(recoveryMs) };
  if (lost.length === 0) return { ...base, lostTransactions: 0, dataLossWindowSeconds: 0, dataLossBasis: 'old-primary-wal' };
  const first = lost[0]!.atMs;
  const last = lost.at(-1)!.atMs;
  const span = { lostTransactions: lost.length, firstLostCommitAt: iso(first), lastLostCommitAt: iso(last) };
  if (recoveryMs === undefined) return { ...base, ...span, dataLossWindowSeconds: round((last - first) / 1000), dataLossBasis: 'old-primary-wal-lower-bound' };
  return { ...base, ...span, dataLossWindowSeconds: round((last - recoveryMs) / 1000), dataLossBasis: 'old-primary-wal' };
}

/** How many WAL segments before the switch point are searched for the last kept commit. */
const LOOKBACK_SEGMENTS = 8;

/**
 * Establishes the data loss of a promotion at `switchLsn` (from timeline `parentTimeline`) using
 * the old primary's WAL, falling back to an upper bound from `replayedAtMs` (the standby's last
 * replayed commit time) and `promotedAtMs`.
 */
export async function assessDataLoss(
  settings: PostgresSettings,
  oldPrimary: Endpoint,
  switch_: { lsn: string; parentTimeline: number },
  segmentBytes: number,
  times: { replayedAtMs?: number; promotedAtMs: number },
  signal: AbortSignal,
): Promise<DataLoss & { note?: string }> {
  const switchLsn = parseLsn(switch_.lsn);
  const recoveryPoint = switch_.lsn;
  const fallback = (note: string): DataLoss & { note: string } =>
    times.replayedAtMs === undefined
      ? { recoveryPoint, dataLossBasis: 'unknown', note }
      : {
          recoveryPoint,
          recoveryPointTime: iso(times.replayedAtMs),
          dataLossWindowSeconds: round(Math.max(0, times.promotedAtMs - times.replayedAtMs) / 1000),
          dataLossBasis: 'upper-bound-no-wal',
          note,
        };
  if (switchLsn === undefined) return fallback(`unreadable switch point ${switch_.lsn}`);
  const walDir = oldPrimary.dataDir === undefined ? undefined : path.join(oldPrimary.dataDir, 'pg_wal');
  if (walDir === undefined) return fallback(`${oldPrimary.name} has no dataDir in the config: its WAL cannot be read`);
  try {
    accessSync(walDir, constants.R_OK);
  } catch {
    return fallback(`${oldPrimary.name}'s WAL (${walDir}) cannot be read`);
  }

  let start = segmentStart(switchLsn, segmentBytes);
  let commits: WalCommit[] = [];
  for (let back = 0; back < LOOKBACK_SEGMENTS; back++) {
    const result = await runProgram(
      settings,
      'pg_waldump',
      ['-p', walDir, '-t', String(switch_.parentTimeline), '-s', formatLsn(start), '-r', 'Transaction'],
      // pg_waldump ends with an error at the end of valid WAL: that is how it always stops.
      { signal, timeoutMs: 30_000, allowFailure: true, asSelf: true },
    );
    if (result.code !== 0 && /could not find file|could not open file/i.test(result.stderr) && back > 0) break;
    if (result.code !== 0 && /could not find file|could not open file/i.test(result.stderr)) {
      return fallback(`pg_waldump cannot read ${oldPrimary.name}'s WAL at ${formatLsn(start)}: ${result.stderr.trim().split('\n').at(-1)}`);
    }
    commits = parseCommits(result.stdout);
    if (commits.some((c) => c.lsn < switchLsn) || start < BigInt(segmentBytes)) break;
    start -= BigInt(segmentBytes);
  }
  return { recoveryPoint, ...dataLossFrom(commits, switchLsn, times.replayedAtMs) };
}

function iso(ms: number): string {
  return new Date(Math.floor(ms)).toISOString().replace('Z', `${String(Math.min(999, Math.round((ms % 1) * 1000))).padStart(3, '0')}Z`);
}

function round(seconds: number): number {
  return Math.round(seconds * 1e6) / 1e6;
}

/** The fields a failover step outputs about its data loss. */
export function dataLossOutput(loss: DataLoss & { note?: string }): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(loss)) if (v !== undefined) out[k] = v;
  return out;
}
