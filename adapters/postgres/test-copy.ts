import { appendFileSync, chownSync, existsSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { OperationError, type JsonObject, type OperationContext, type ReconcileResult } from '../types.js';
import { one, tryDb, withDb } from './connect.js';
import { runningPostmaster, stopByPid } from './processes.js';
import { runProgram } from './programs.js';
import { requireDataDir, resolvePair, type Endpoint, type Pair, type PostgresSettings } from './settings.js';

/**
 * `testFailover` and `cleanupTest`: a drill on an isolated copy.
 *
 * The copy is cloned from the standby (pg_basebackup connects to the standby, never to the
 * primary), so the production primary does no extra work and its replication is not touched.
 * The clone is made under `<dataDir>.drplan-partial` and renamed into place only once it is
 * complete and configured: listening on the test address only, with every replication and
 * archiving setting cleared, so it cannot stream from or to production. It starts as a
 * read-write primary of its own. A marker file (`drplan-test-copy.json`) says which run made it;
 * cleanup removes only directories that carry it.
 */

const MARKER = 'drplan-test-copy.json';

interface Marker {
  vm: string;
  runId: string;
  idempotencyKey: string;
  createdAt: string;
  clonedFrom: string;
}

function partialDir(dataDir: string): string {
  return `${dataDir}.drplan-partial`;
}

function readMarker(dataDir: string): Marker | undefined {
  try {
    return JSON.parse(readFileSync(path.join(dataDir, MARKER), 'utf8')) as Marker;
  } catch {
    return undefined;
  }
}

function testEndpoint(pair: Pair): Endpoint {
  if (!pair.test) {
    throw new OperationError(`postgres: VM "${pair.vm}" has no test endpoint: add pairs.${pair.vm}.test { host, dataDir } to the adapter's config`, { retryable: false });
  }
  return pair.test;
}

export async function testFailover(settings: PostgresSettings, input: JsonObject, ctx: OperationContext): Promise<JsonObject> {
  const pair = resolvePair(settings, input, ctx);
  const test = testEndpoint(pair);
  const dataDir = requireDataDir(test, 'testFailover');
  const network = typeof input.network === 'string' ? input.network : null;
  const result = (pid: number | undefined, reused: boolean): JsonObject => ({
    testVm: `${pair.vm}-test`,
    network,
    host: test.host,
    port: test.port,
    dataDir,
    ...(pid === undefined ? {} : { pid }),
    clonedFrom: pair.standby.name,
    reused,
  });

  const marker = readMarker(dataDir);
  const running = runningPostmaster(dataDir);
  if (marker && running !== undefined) {
    if (marker.runId !== ctx.runId) {
      throw new OperationError(
        `a test copy of ${pair.vm} made by run ${marker.runId} is still running on ${test.host}:${test.port}: clean it up first (cleanupTest, or npm run lab:down in the lab)`,
        { retryable: false },
      );
    }
    await withDb(settings, test, ctx.signal, (db) => one(db, 'SELECT 1 AS ok'));
    ctx.logger.info({ vm: pair.vm, pid: running }, 'test copy made by this run is already running; reused');
    return result(running, true);
  }
  if (existsSync(dataDir)) {
    if (!marker) {
      throw new OperationError(`${dataDir} exists and is not a test copy made by drplan (no ${MARKER}); refusing to replace it`, { retryable: false });
    }
    // A copy that is not running (an interrupted attempt, or a drill that was never cleaned up).
    await stopByPid(dataDir, settings.stopTimeoutMs, ctx.clock, ctx.signal);
    rmSync(dataDir, { recursive: true, force: true });
  }
  rmSync(partialDir(dataDir), { recursive: true, force: true });
  if (await tryDb(settings, test, ctx.signal, async () => true)) {
    throw new OperationError(`something already answers on the test address ${test.host}:${test.port}; the test copy needs it free`, { retryable: false });
  }

  const partial = partialDir(dataDir);
  const started = ctx.clock.now();
  await runProgram(
    settings,
    'pg_basebackup',
    ['-h', pair.standby.host, '-p', String(pair.standby.port), '-U', settings.user, '-D', partial, '-X', 'stream', '-c', 'fast', '-N'],
    { signal: ctx.signal, timeoutMs: 30 * 60_000, ...(settings.password === undefined ? {} : { env: { PGPASSWORD: settings.password } }) },
  );
  isolate(partial, dataDir, test, pair.vm, ctx.runId);
  writeOwned(partial, MARKER, JSON.stringify({ vm: pair.vm, runId: ctx.runId, idempotencyKey: ctx.idempotencyKey, createdAt: new Date(ctx.clock.now()).toISOString(), clonedFrom: pair.standby.name } satisfies Marker) + '\n');
  renameSync(partial, dataDir);
  await runProgram(settings, 'pg_ctl', ['start', '-D', dataDir, '-l', path.join(dataDir, 'drplan-test.log'), '-w', '-t', '120'], { signal: ctx.signal, timeoutMs: 125_000 });
  const state = await withDb(settings, test, ctx.signal, (db) => one<{ in_recovery: boolean }>(db, 'SELECT pg_is_in_recovery() AS in_recovery'));
  if (state.in_recovery) throw new OperationError(`the test copy on ${test.host}:${test.port} came up in recovery; it should be a primary of its own`);
  ctx.logger.info({ vm: pair.vm, host: test.host, port: test.port, ms: ctx.clock.now() - started }, 'test copy cloned from the standby and started');
  return result(runningPostmaster(dataDir), false);
}

/** Settings that make the copy answer on its own address only and never replicate or archive. */
function isolate(partial: string, dataDir: string, test: Endpoint, vm: string, runId: string): void {
  for (const signal of ['standby.signal', 'recovery.signal']) rmSync(path.join(partial, signal), { force: true });
  // postgresql.auto.conf is read last, so these win over whatever the copied configuration says.
  appendFileSync(
    path.join(partial, 'postgresql.auto.conf'),
    [
      '',
      `# drplan test copy of ${vm} (run ${runId}): isolated, never replicating or archiving`,
      `listen_addresses = '${test.host}'`,
      `port = ${test.port}`,
      `unix_socket_directories = '${dataDir.replace(/'/g, "''")}'`,
      `cluster_name = 'drplan-test-${vm}'`,
      "primary_conninfo = ''",
      "primary_slot_name = ''",
      "restore_command = ''",
      'archive_mode = off',
      "synchronous_standby_names = ''",
      '',
    ].join('\n'),
  );
}

/** Writes a file in a data directory, owned like the directory (drplan may be root). */
function writeOwned(dir: string, name: string, text: string): void {
  const file = path.join(dir, name);
  writeFileSync(file, text, { mode: 0o600 });
  const owner = statSync(dir);
  try {
    chownSync(file, owner.uid, owner.gid);
  } catch {
    // not root: the file is ours, like the directory
  }
}

export async function cleanupTest(settings: PostgresSettings, input: JsonObject, ctx: OperationContext): Promise<JsonObject> {
  const pair = resolvePair(settings, input, ctx);
  if (!pair.test) return { deleted: true, removed: [], note: `VM "${pair.vm}" has no test endpoint; nothing to clean up` };
  const test = pair.test;
  const dataDir = requireDataDir(test, 'cleanupTest');
  if (existsSync(dataDir) && !readMarker(dataDir)) {
    throw new OperationError(`${dataDir} is not a test copy made by drplan (no ${MARKER}); left as it is`, { retryable: false });
  }
  const removed: string[] = [];
  let stop: Awaited<ReturnType<typeof stopByPid>> = { how: 'not-running' };
  for (const dir of [dataDir, partialDir(dataDir)]) {
    if (!existsSync(dir)) continue;
    const outcome = await stopByPid(dir, settings.stopTimeoutMs, ctx.clock, ctx.signal);
    if (outcome.pid !== undefined) stop = outcome;
    rmSync(dir, { recursive: true, force: true });
    removed.push(dir);
  }
  if (await tryDb(settings, test, ctx.signal, async () => true)) {
    throw new OperationError(`something still answers on the test address ${test.host}:${test.port} after the test copy was stopped`, { retryable: true });
  }
  ctx.logger.info({ vm: pair.vm, removed, stopped: stop.how }, 'test copy stopped and removed');
  return { deleted: true, removed, stoppedHow: stop.how, ...(stop.pid === undefined ? {} : { stoppedPid: stop.pid }) };
}

/** Did this run's testFailover make its copy? */
export async function reconcileTestFailover(settings: PostgresSettings, input: JsonObject, ctx: OperationContext): Promise<ReconcileResult> {
  const pair = resolvePair(settings, input, ctx);
  const dataDir = pair.test?.dataDir;
  if (dataDir === undefined) return 'not-happened';
  const marker = readMarker(dataDir);
  if (marker?.runId === ctx.runId && runningPostmaster(dataDir) !== undefined) return 'happened';
  if (!existsSync(dataDir) && !existsSync(partialDir(dataDir))) return 'not-happened';
  return 'unknown';
}
