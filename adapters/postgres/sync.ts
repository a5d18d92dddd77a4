import { OperationError, type JsonObject, type OperationContext } from '../types.js';
import { one, tryDb } from './connect.js';
import { formatLsn, lsnDistance, parseLsn } from './lsn.js';
import { readControlData } from './programs.js';
import { requireDataDir, resolvePair, type PostgresSettings } from './settings.js';
import { readTimeline } from './timeline.js';

/**
 * `sync` (planned mode): waits until the standby has replayed past the old primary's shutdown
 * checkpoint, the last record the primary wrote. Then nothing is left to replicate. If that
 * does not happen within `syncTimeout` (the standby was disconnected, or is on another timeline),
 * it fails, and the planned run stops before anything is promoted. Idempotent: it only reads.
 */
export async function sync(settings: PostgresSettings, input: JsonObject, ctx: OperationContext): Promise<JsonObject> {
  const pair = resolvePair(settings, input, ctx);
  const dataDir = requireDataDir(pair.primary, 'sync (the shutdown checkpoint in its control file)');
  const control = await readControlData(settings, dataDir, ctx.signal);
  if (control.state !== 'shut down') {
    throw new OperationError(`${pair.primary.name} is not shut down (cluster state "${control.state}"): run shutdown first; nothing was promoted`, { retryable: false });
  }
  const target = parseLsn(control.checkpointLsn);
  if (target === undefined) throw new OperationError(`pg_controldata gave no checkpoint location for ${pair.primary.name}`);
  const deadline = ctx.clock.now() + settings.syncTimeoutMs;
  let last: { replay?: bigint; receiver?: string | null; reachable: boolean } = { reachable: false };

  for (;;) {
    const state = await tryDb(settings, pair.standby, ctx.signal, async (db) => {
      const row = await one<{ in_recovery: boolean; replay: string | null; receiver: string | null }>(
        db,
        `SELECT pg_is_in_recovery() AS in_recovery, pg_last_wal_replay_lsn()::text AS replay, (SELECT status FROM pg_stat_wal_receiver) AS receiver`,
      );
      // Already promoted (a resumed run): it is in sync if its timeline began after the checkpoint.
      const timeline = row.in_recovery ? undefined : await readTimeline(db);
      return { ...row, timeline };
    });
    if (state && !state.in_recovery) {
      const switched = parseLsn(state.timeline?.switchedFrom?.lsn);
      if (switched !== undefined && switched > target) {
        return { pendingBytes: 0, shutdownCheckpointLsn: control.checkpointLsn, standbyReplayLsn: formatLsn(switched), alreadyPromoted: true };
      }
      throw new OperationError(`${pair.standby.name} is no longer a standby and its timeline does not continue past ${pair.primary.name}'s shutdown checkpoint ${control.checkpointLsn}`, { retryable: false });
    }
    const replay = parseLsn(state?.replay);
    last = { reachable: state !== undefined, receiver: state?.receiver ?? null, ...(replay === undefined ? {} : { replay }) };
    // The standby replayed the checkpoint record itself once its replay position is past its start.
    if (replay !== undefined && replay > target) {
      return { pendingBytes: 0, shutdownCheckpointLsn: control.checkpointLsn, standbyReplayLsn: formatLsn(replay) };
    }
    if (ctx.clock.now() >= deadline) break;
    await ctx.clock.sleep(25, ctx.signal);
  }
  const pending = last.replay === undefined ? undefined : lsnDistance(last.replay, target) + 1;
  throw new OperationError(
    `${pair.standby.name} did not replay ${pair.primary.name}'s shutdown checkpoint ${control.checkpointLsn} within ${settings.syncTimeoutMs / 1000}s: ` +
      (last.reachable
        ? `it replayed up to ${last.replay === undefined ? 'nothing' : formatLsn(last.replay)}${pending === undefined ? '' : ` (${pending} bytes short)`}, WAL receiver ${last.receiver ?? 'not running'}`
        : 'it does not answer') +
      '. Nothing was promoted: failing over now would lose data.',
    { retryable: true, output: { pendingBytes: pending ?? -1 } },
  );
}
