import { parseDuration } from '../../engine/model/duration.js';
import { OperationError, type JsonObject, type OperationContext } from '../types.js';
import { one, tryDb } from './connect.js';
import { lsnDistance, parseLsn } from './lsn.js';
import { pairNames, pairOf, type Pair, type PostgresSettings } from './settings.js';

/**
 * `replicationHealth`: for each pair, how far the standby is behind the primary, in bytes (the
 * primary's current WAL position minus what the standby replayed) and in seconds (the primary's
 * `replay_lag`, which is zero when the standby is caught up). A standby that is not streaming is
 * unhealthy whatever the numbers. In an unplanned run the source may be gone: an unreachable
 * primary, or lag over the limit, is reported and logged instead of failing the check, but the
 * standby must answer, since it is what the failover will promote.
 */
export async function replicationHealth(settings: PostgresSettings, input: JsonObject, ctx: OperationContext): Promise<JsonObject> {
  const maxLagMs = typeof input.maxLag === 'string' ? parseDuration(input.maxLag) : undefined;
  const maxLagBytes = typeof input.maxLagBytes === 'number' ? input.maxLagBytes : undefined;
  const names = pairNames(settings, typeof input.vm === 'string' ? input.vm : undefined);
  const reports: JsonObject[] = [];
  const problems: string[] = [];
  const tolerated: string[] = [];
  for (const name of names) {
    const report = await checkPair(settings, pairOf(settings, name), ctx.signal);
    reports.push(report.output);
    const unplanned = ctx.mode === 'unplanned';
    for (const p of report.standbyProblems) problems.push(`${name}: ${p}`);
    const sourceProblems = [...report.sourceProblems];
    if (report.lagSeconds !== undefined && maxLagMs !== undefined && report.lagSeconds * 1000 > maxLagMs) {
      sourceProblems.push(`standby ${report.standbyName} replays ${report.lagSeconds.toFixed(3)}s behind (maxLag ${String(input.maxLag)})`);
    }
    if (report.lagBytes !== undefined && maxLagBytes !== undefined && report.lagBytes > maxLagBytes) {
      sourceProblems.push(`standby ${report.standbyName} is ${report.lagBytes} bytes behind (maxLagBytes ${maxLagBytes})`);
    }
    for (const p of sourceProblems) (unplanned ? tolerated : problems).push(`${name}: ${p}`);
  }
  if (tolerated.length > 0) ctx.logger.warn({ problems: tolerated }, 'replication is not healthy; tolerated in an unplanned run');
  const lagSeconds = Math.max(0, ...reports.map((r) => (typeof r.lagSeconds === 'number' ? r.lagSeconds : 0)));
  const lagBytes = Math.max(0, ...reports.map((r) => (typeof r.lagBytes === 'number' ? r.lagBytes : 0)));
  const output: JsonObject = {
    healthy: problems.length === 0 && tolerated.length === 0,
    lagSeconds,
    lagBytes,
    sourceReachable: reports.every((r) => r.primaryReachable === true),
    pairs: reports,
    ...(tolerated.length > 0 ? { tolerated } : {}),
  };
  if (problems.length > 0) {
    throw new OperationError(`replication is not healthy: ${problems.join('; ')}`, { retryable: true, output });
  }
  return output;
}

interface PairReport {
  output: JsonObject;
  standbyName: string;
  lagSeconds?: number;
  lagBytes?: number;
  /** Problems that make a failover impossible. */
  standbyProblems: string[];
  /** Problems of the source side (tolerated in an unplanned run). */
  sourceProblems: string[];
}

async function checkPair(settings: PostgresSettings, pair: Pair, signal: AbortSignal): Promise<PairReport> {
  const standbyProblems: string[] = [];
  const sourceProblems: string[] = [];
  const primary = await tryDb(settings, pair.primary, signal, async (db) => {
    const state = await one<{ in_recovery: boolean; lsn: string | null }>(
      db,
      'SELECT pg_is_in_recovery() AS in_recovery, CASE WHEN pg_is_in_recovery() THEN NULL ELSE pg_current_wal_lsn()::text END AS lsn',
    );
    const senders = await db.query(
      `SELECT application_name, state, replay_lsn::text AS replay_lsn, extract(epoch FROM replay_lag)::float8 AS replay_lag
         FROM pg_stat_replication WHERE $1::text IS NULL OR application_name = $1`,
      [pair.standby.applicationName ?? null],
    );
    return { ...state, senders: senders.rows as { application_name: string; state: string; replay_lsn: string | null; replay_lag: number | null }[] };
  });
  const standby = await tryDb(settings, pair.standby, signal, (db) =>
    one<{ in_recovery: boolean; receive_lsn: string | null; replay_lsn: string | null; receiver: string | null; last_replay: string | null }>(
      db,
      `SELECT pg_is_in_recovery() AS in_recovery, pg_last_wal_receive_lsn()::text AS receive_lsn, pg_last_wal_replay_lsn()::text AS replay_lsn,
              (SELECT status FROM pg_stat_wal_receiver) AS receiver, pg_last_xact_replay_timestamp()::text AS last_replay`,
    ),
  );

  if (!standby) standbyProblems.push(`standby ${pair.standby.name} (${pair.standby.host}:${pair.standby.port}) does not answer`);
  else if (!standby.in_recovery) standbyProblems.push(`${pair.standby.name} is not a standby (it is not in recovery: promoted already?)`);

  let lagSeconds: number | undefined;
  let lagBytes: number | undefined;
  let streaming = false;
  if (!primary) {
    sourceProblems.push(`primary ${pair.primary.name} (${pair.primary.host}:${pair.primary.port}) does not answer`);
  } else if (primary.in_recovery) {
    sourceProblems.push(`${pair.primary.name} is in recovery: it is not the primary`);
  } else {
    if (primary.senders.length > 1 && pair.standby.applicationName === undefined) {
      standbyProblems.push(`${pair.primary.name} streams to ${primary.senders.length} standbys; set standby.applicationName to say which one is ${pair.standby.name}`);
    }
    const sender = primary.senders[0];
    if (!sender || sender.state !== 'streaming') {
      sourceProblems.push(`standby ${pair.standby.name} is not streaming from ${pair.primary.name}${sender ? ` (walsender state ${sender.state})` : ''}`);
    } else {
      streaming = true;
      const current = parseLsn(primary.lsn);
      const replayed = parseLsn(sender.replay_lsn);
      lagBytes = current !== undefined && replayed !== undefined ? lsnDistance(replayed, current) : undefined;
      lagSeconds = sender.replay_lag ?? 0;
    }
  }

  const output: JsonObject = {
    vm: pair.vm,
    primary: pair.primary.name,
    standby: pair.standby.name,
    primaryReachable: primary !== undefined,
    standbyReachable: standby !== undefined,
    streaming,
    ...(lagSeconds === undefined ? {} : { lagSeconds }),
    ...(lagBytes === undefined ? {} : { lagBytes }),
    ...(primary?.lsn ? { primaryLsn: primary.lsn } : {}),
    ...(standby?.receive_lsn ? { standbyReceiveLsn: standby.receive_lsn } : {}),
    ...(standby?.replay_lsn ? { standbyReplayLsn: standby.replay_lsn } : {}),
    ...(standby?.last_replay ? { lastReplayedTransactionAt: standby.last_replay } : {}),
  };
  return {
    output,
    standbyName: pair.standby.name,
    ...(lagSeconds === undefined ? {} : { lagSeconds }),
    ...(lagBytes === undefined ? {} : { lagBytes }),
    standbyProblems,
    sourceProblems,
  };
}
