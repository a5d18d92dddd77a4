import { OperationError, type JsonObject, type OperationContext } from '../types.js';
import { one, tryDb, withDb, type Db } from './connect.js';
import { assessDataLoss, dataLossOutput } from './data-loss.js';
import { parseLsn } from './lsn.js';
import { readControlData, runProgram } from './programs.js';
import type { Pair, PostgresSettings } from './settings.js';
import { resolvePair } from './settings.js';
import { readTimeline } from './timeline.js';

/** Recovery points a streaming standby can be promoted at: everything it received. */
const LATEST = new Set(['latest', 'latest-app-consistent']);

/**
 * `failover`: promote the standby, at most once.
 *
 * Before promoting it makes sure there will not be two primaries: in a planned run the old
 * primary must be down and cleanly shut down, and the standby must have replayed its shutdown
 * checkpoint (what `sync` checked; checked again here because a resumed run may come back after
 * anything happened). In an unplanned run an old primary that still answers as a primary is
 * fenced by stopping it at once (`pg_ctl stop -m immediate`): the run was declared because that
 * site is lost, and a second writable copy is worse than what it still holds.
 *
 * A standby that is no longer in recovery was promoted already (by an earlier attempt that
 * drplan did not see finish): the call promotes nothing and reports the same recovery point,
 * read from the timeline history, so the step is idempotent.
 *
 * Output: the recovery point (switch LSN and the time of the last transaction the new primary
 * has) and what was lost (see data-loss.ts). In a planned run that is zero by construction, and
 * the old primary's WAL is still read to show it.
 */
export async function failover(settings: PostgresSettings, input: JsonObject, ctx: OperationContext): Promise<JsonObject> {
  const pair = resolvePair(settings, input, ctx);
  const recoveryPoint = typeof input.recoveryPoint === 'string' ? input.recoveryPoint : 'latest';
  if (!LATEST.has(recoveryPoint)) {
    throw new OperationError(
      `postgres: recovery point "${recoveryPoint}" is not supported: a streaming standby is promoted with every transaction it received (recoveryPoint: latest)`,
      { retryable: false },
    );
  }
  return withDb(settings, pair.standby, ctx.signal, async (db) => {
    const before = await one<{ in_recovery: boolean; replayed_at_ms: number | null; segment_bytes: string }>(
      db,
      `SELECT pg_is_in_recovery() AS in_recovery, (extract(epoch FROM pg_last_xact_replay_timestamp()) * 1000)::float8 AS replayed_at_ms,
              pg_size_bytes(current_setting('wal_segment_size'))::text AS segment_bytes`,
    );
    const segmentBytes = Number(before.segment_bytes);
    if (!before.in_recovery) {
      ctx.logger.info({ vm: pair.vm, standby: pair.standby.name }, 'standby was promoted already; nothing to do');
      return report(settings, pair, db, segmentBytes, { promoted: false, alreadyPromoted: true, promotedAtMs: ctx.clock.now() }, ctx);
    }
    const fencedOldPrimary = await ensureNoOtherPrimary(settings, pair, ctx);
    if (ctx.mode === 'planned') await checkInSync(settings, pair, db, ctx);

    const started = ctx.clock.now();
    await promote(db, settings.stopTimeoutMs, ctx);
    const promoteMs = ctx.clock.now() - started;
    ctx.logger.info({ vm: pair.vm, standby: pair.standby.name, promoteMs }, 'standby promoted');
    return report(
      settings,
      pair,
      db,
      segmentBytes,
      {
        promoted: true,
        alreadyPromoted: false,
        promoteMs,
        fencedOldPrimary,
        promotedAtMs: ctx.clock.now(),
        ...(before.replayed_at_ms === null ? {} : { replayedAtMs: before.replayed_at_ms }),
      },
      ctx,
    );
  });
}

/** Refuses (planned) or fences (unplanned) an old primary that still accepts writes. Returns whether it fenced. */
async function ensureNoOtherPrimary(settings: PostgresSettings, pair: Pair, ctx: OperationContext): Promise<boolean> {
  const old = await tryDb(settings, pair.primary, ctx.signal, (db) => one<{ in_recovery: boolean }>(db, 'SELECT pg_is_in_recovery() AS in_recovery'));
  if (!old || old.in_recovery) return false;
  if (ctx.mode !== 'unplanned') {
    throw new OperationError(
      `${pair.primary.name} is still running as a primary: promoting ${pair.standby.name} now would make two primaries. Shut it down first (the planned mode's shutdown step); nothing was promoted.`,
      { retryable: false },
    );
  }
  if (pair.primary.dataDir === undefined) {
    throw new OperationError(
      `${pair.primary.name} still answers as a primary and has no dataDir in the config, so drplan cannot stop it: stop it, then retry; nothing was promoted.`,
      { retryable: true },
    );
  }
  ctx.logger.warn({ vm: pair.vm, primary: pair.primary.name }, 'the old primary still answers in an unplanned failover: stopping it at once to prevent two primaries');
  await runProgram(settings, 'pg_ctl', ['stop', '-D', pair.primary.dataDir, '-m', 'immediate', '-w', '-t', '30'], { signal: ctx.signal, timeoutMs: 35_000 });
  return true;
}

/** Planned mode: the old primary shut down cleanly and the standby replayed its final checkpoint. */
async function checkInSync(settings: PostgresSettings, pair: Pair, db: Db, ctx: OperationContext): Promise<void> {
  if (pair.primary.dataDir === undefined) return; // sync could not check either; it said so
  const control = await readControlData(settings, pair.primary.dataDir, ctx.signal);
  if (control.state !== 'shut down') {
    throw new OperationError(`${pair.primary.name} is not cleanly shut down (cluster state "${control.state}"): a planned failover would not be lossless; nothing was promoted`, { retryable: false });
  }
  const { replay } = await one<{ replay: string | null }>(db, 'SELECT pg_last_wal_replay_lsn()::text AS replay');
  const replayed = parseLsn(replay);
  const checkpoint = parseLsn(control.checkpointLsn);
  if (replayed === undefined || checkpoint === undefined || replayed <= checkpoint) {
    throw new OperationError(
      `${pair.standby.name} replayed up to ${replay ?? 'nothing'}, not past ${pair.primary.name}'s shutdown checkpoint ${control.checkpointLsn}: run sync; nothing was promoted`,
      { retryable: true },
    );
  }
}

interface Outcome {
  promoted: boolean;
  alreadyPromoted: boolean;
  promoteMs?: number;
  fencedOldPrimary?: boolean;
  promotedAtMs: number;
  replayedAtMs?: number;
}

async function report(settings: PostgresSettings, pair: Pair, db: Db, segmentBytes: number, outcome: Outcome, ctx: OperationContext): Promise<JsonObject> {
  const timeline = await readTimeline(db);
  const base: JsonObject = {
    promoted: outcome.promoted,
    alreadyPromoted: outcome.alreadyPromoted,
    newPrimary: pair.standby.name,
    timeline: timeline.timeline,
    ...(outcome.promoteMs === undefined ? {} : { promoteMs: outcome.promoteMs }),
    ...(outcome.fencedOldPrimary === undefined ? {} : { fencedOldPrimary: outcome.fencedOldPrimary }),
  };
  if (!timeline.switchedFrom) {
    // Timeline 1 was never promoted into: this instance was always a primary.
    return { ...base, dataLossBasis: 'unknown', note: `${pair.standby.name} is on timeline 1: it was not made primary by a promotion` };
  }
  const loss = await assessDataLoss(
    settings,
    pair.primary,
    { lsn: timeline.switchedFrom.lsn, parentTimeline: timeline.switchedFrom.timeline },
    segmentBytes,
    { promotedAtMs: outcome.promotedAtMs, ...(outcome.replayedAtMs === undefined ? {} : { replayedAtMs: outcome.replayedAtMs }) },
    ctx.signal,
  );
  if (loss.note) ctx.logger.warn({ vm: pair.vm, note: loss.note }, 'data loss could not be read from the old primary’s WAL');
  if (ctx.mode === 'planned' && (loss.lostTransactions ?? 0) > 0) {
    ctx.logger.error({ vm: pair.vm, lost: loss.lostTransactions }, 'a planned failover lost transactions: the old primary wrote WAL after its shutdown checkpoint');
  }
  return { ...base, ...dataLossOutput(loss) };
}

/**
 * pg_promote without its own wait (which polls ten times a second), then a tighter poll of
 * pg_is_in_recovery(): promotion on a small database takes a few milliseconds, and each one is
 * downtime.
 */
async function promote(db: Db, timeoutMs: number, ctx: OperationContext): Promise<void> {
  const { signalled } = await one<{ signalled: boolean }>(db, 'SELECT pg_promote(false) AS signalled');
  if (!signalled) throw new OperationError('pg_promote could not signal the startup process', { retryable: true });
  const until = ctx.clock.now() + timeoutMs;
  for (;;) {
    const { in_recovery } = await one<{ in_recovery: boolean }>(db, 'SELECT pg_is_in_recovery() AS in_recovery');
    if (!in_recovery) return;
    if (ctx.clock.now() >= until) throw new OperationError(`promotion did not finish within ${timeoutMs / 1000}s`, { retryable: true });
    await ctx.clock.sleep(5, ctx.signal);
  }
}
