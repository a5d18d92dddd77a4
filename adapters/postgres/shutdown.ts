import { OperationError, type JsonObject, type OperationContext } from '../types.js';
import { one, tryDb } from './connect.js';
import { isAlive, runningPostmaster, waitGone } from './processes.js';
import { readControlData, runProgram } from './programs.js';
import { requireDataDir, resolvePair, type Pair, type PostgresSettings } from './settings.js';

/**
 * `shutdown` (planned mode, source site): fence the primary, then stop it cleanly.
 *
 * Fencing makes new transactions read-only (`default_transaction_read_only`, persisted with
 * ALTER SYSTEM, so the old primary stays fenced if someone starts it again) and ends the client
 * sessions, so no new write is accepted while it stops. `pg_ctl stop -m fast` then writes the
 * shutdown checkpoint, and the walsenders send the standby every byte of WAL up to and including
 * it before the primary exits: that is what makes a planned failover lose nothing, and what
 * `sync` checks.
 *
 * Idempotent: a primary that is already cleanly shut down is reported as such. One that is down
 * but did not shut down cleanly (it crashed) fails the step: a planned failover cannot prove that
 * the standby has everything.
 */
export async function shutdown(settings: PostgresSettings, input: JsonObject, ctx: OperationContext): Promise<JsonObject> {
  const pair = resolvePair(settings, input, ctx);
  const dataDir = requireDataDir(pair.primary, 'shutdown (pg_ctl stop, pg_controldata)');
  const fence = await fencePrimary(settings, pair, ctx.signal);
  if (fence) ctx.logger.info({ vm: pair.vm, primary: pair.primary.name, ...fence }, 'primary fenced: new transactions are read-only, client sessions ended');

  const wasRunning = await stopCleanly(settings, dataDir, ctx);
  const control = await readControlData(settings, dataDir, ctx.signal);
  if (control.state !== 'shut down') {
    throw new OperationError(
      `${pair.primary.name} is down but its cluster state is "${control.state}", not "shut down": it did not stop cleanly, so a planned failover ` +
        `cannot prove the standby has all of its data. Start it (it recovers) and retry, or fail over in unplanned mode.`,
      { retryable: false },
    );
  }
  return {
    stopped: true,
    alreadyStopped: !wasRunning,
    primary: pair.primary.name,
    shutdownCheckpointLsn: control.checkpointLsn,
    timeline: control.timeline,
    ...(fence ? { fenceLsn: fence.fenceLsn, sessionsEnded: fence.sessionsEnded } : {}),
  };
}

/** Makes a running primary refuse new writes; undefined when it does not answer. */
async function fencePrimary(settings: PostgresSettings, pair: Pair, signal: AbortSignal): Promise<{ fenceLsn: string; sessionsEnded: number } | undefined> {
  return tryDb(settings, pair.primary, signal, async (db) => {
    const { in_recovery } = await one<{ in_recovery: boolean }>(db, 'SELECT pg_is_in_recovery() AS in_recovery');
    if (in_recovery) {
      throw new OperationError(`${pair.primary.name} is in recovery: it is a standby, not the primary this plan fails over from`, { retryable: false });
    }
    await db.query('ALTER SYSTEM SET default_transaction_read_only = on');
    await db.query('SELECT pg_reload_conf()');
    const ended = await one<{ n: number }>(
      db,
      `SELECT count(*) FILTER (WHERE pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()`,
    );
    const { lsn } = await one<{ lsn: string }>(db, 'SELECT pg_current_wal_lsn()::text AS lsn');
    return { fenceLsn: lsn, sessionsEnded: ended.n };
  });
}

/**
 * A fast shutdown (SIGINT to the postmaster), waited for by polling the process every few
 * milliseconds: pg_ctl's own wait polls ten times a second, which is most of a planned
 * failover's downtime on a small database. Falls back to pg_ctl when the postmaster cannot be
 * found or signalled from here (another user's process, no /proc). Never escalates to an
 * immediate shutdown: that skips the shutdown checkpoint, and then nothing proves the standby
 * has everything. Returns whether the server was running.
 */
async function stopCleanly(settings: PostgresSettings, dataDir: string, ctx: OperationContext): Promise<boolean> {
  const pid = runningPostmaster(dataDir);
  if (pid !== undefined) {
    let signalled = true;
    try {
      process.kill(pid, 'SIGINT');
    } catch {
      signalled = false;
    }
    if (signalled) {
      if (await waitGone([pid], settings.stopTimeoutMs, ctx.clock, ctx.signal, 5)) return true;
      if (isAlive(pid)) {
        throw new OperationError(`${dataDir}: the primary did not finish a fast shutdown within ${settings.stopTimeoutMs / 1000}s (pid ${pid}); it was not forced, since an immediate stop would lose the shutdown checkpoint`, { retryable: true });
      }
      return true;
    }
  }
  const stop = await runProgram(settings, 'pg_ctl', ['stop', '-D', dataDir, '-m', 'fast', '-w', '-t', String(Math.ceil(settings.stopTimeoutMs / 1000))], {
    signal: ctx.signal,
    timeoutMs: settings.stopTimeoutMs + 5_000,
    allowFailure: true,
  });
  if (stop.code === 0) return true;
  if (/Is server running\?|PID file .* does not exist/i.test(stop.stderr)) return false;
  throw new OperationError(`postgres: pg_ctl stop -D ${dataDir} failed (exit ${stop.code}): ${stop.stderr.trim()}`);
}
