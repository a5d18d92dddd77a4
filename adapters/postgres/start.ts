import { OperationError, type JsonObject, type OperationContext } from '../types.js';
import { one, tryDb, withDb } from './connect.js';
import { runProgram } from './programs.js';
import { resolvePair, type PostgresSettings } from './settings.js';

/**
 * `start` (after `failover`, target site): the promoted instance runs and accepts writes. Starts
 * it with pg_ctl if it is down, and lifts a read-only default it may have inherited (a fence
 * copied along with the configuration). Fails if the instance is still a standby: nothing was
 * promoted. Idempotent.
 */
export async function start(settings: PostgresSettings, input: JsonObject, ctx: OperationContext): Promise<JsonObject> {
  const pair = resolvePair(settings, input, ctx);
  const target = pair.standby;
  let started = false;
  const answers = await tryDb(settings, target, ctx.signal, async () => true);
  if (!answers) {
    if (target.dataDir === undefined) throw new OperationError(`${target.name} does not answer and has no dataDir in the config, so drplan cannot start it`, { retryable: true });
    await runProgram(settings, 'pg_ctl', ['start', '-D', target.dataDir, '-l', `${target.dataDir}/drplan-start.log`, '-w', '-t', '60'], { signal: ctx.signal, timeoutMs: 65_000 });
    started = true;
  }
  return withDb(settings, target, ctx.signal, async (db) => {
    const state = await one<{ in_recovery: boolean; read_only: string }>(db, `SELECT pg_is_in_recovery() AS in_recovery, current_setting('default_transaction_read_only') AS read_only`);
    if (state.in_recovery) {
      throw new OperationError(`${target.name} is still a standby (in recovery): it was not promoted, so it cannot take writes`, { retryable: false });
    }
    let liftedFence = false;
    if (state.read_only === 'on') {
      await db.query('ALTER SYSTEM RESET default_transaction_read_only');
      await db.query('SELECT pg_reload_conf()');
      liftedFence = true;
    }
    // A write that reaches the WAL (a transaction id is assigned and committed), touching no table.
    await db.query('BEGIN READ WRITE; SELECT txid_current(); COMMIT');
    const { timeline } = await one<{ timeline: number }>(db, `SELECT ('x' || substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8))::bit(32)::int AS timeline`);
    return { running: true, readWrite: true, started, liftedFence, timeline, address: `${target.host}:${target.port}` };
  });
}
