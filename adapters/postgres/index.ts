import { OperationError, type Adapter, type AdapterEnvironment, type AdapterInstance, type JsonObject, type OperationContext, type SiteOperation } from '../types.js';
import { tryDb } from './connect.js';
import { postgresDeclaration, type PostgresConfig } from './declaration.js';
import { failover } from './failover.js';
import { replicationHealth } from './replication-health.js';
import { resolvePair, resolvePostgresSettings, type PostgresSettings } from './settings.js';
import { shutdown } from './shutdown.js';
import { start } from './start.js';
import { sync } from './sync.js';
import { cleanupTest, reconcileTestFailover, testFailover } from './test-copy.js';

/**
 * `type: postgres` (SPEC §4): a site adapter for PostgreSQL streaming replication. A protected
 * "VM" is a primary/standby pair; planned failover fences and stops the primary, waits for the
 * standby to replay its shutdown checkpoint, promotes it; unplanned failover promotes and
 * reports what was lost; a test failover clones the standby into an isolated instance.
 *
 * @example
 * ```ts
 * const pg = await postgresAdapter.open({ pairs: { 'pg-main': { primary: { host: '127.0.10.1', dataDir }, standby: { host: '127.0.20.1' } } } }, env);
 * const out = await pg.call('failover', { vm: { name: 'pg-main' } }, ctx);
 * // { promoted: true, timeline: 2, recoveryPoint: '0/3000148', dataLossWindowSeconds: 0, ... }
 * ```
 */

type Operation = (settings: PostgresSettings, input: JsonObject, ctx: OperationContext) => Promise<JsonObject>;

const OPERATIONS: Record<SiteOperation, Operation> = { replicationHealth, shutdown, sync, failover, start, testFailover, cleanupTest };

export const postgresAdapter: Adapter<PostgresConfig> = {
  ...postgresDeclaration,
  open: openPostgres,
};

function openPostgres(config: PostgresConfig, environment: AdapterEnvironment): AdapterInstance {
  const settings = resolvePostgresSettings(config, environment.env, process.getuid?.() === 0);
  return {
    async call(operation, input, ctx) {
      const run = Object.hasOwn(OPERATIONS, operation) ? OPERATIONS[operation as SiteOperation] : undefined;
      if (!run) {
        throw new OperationError(`postgres has no operation "${operation}"; it provides: ${Object.keys(OPERATIONS).join(', ')}`, { retryable: false });
      }
      return run(settings, input, ctx);
    },
    async reconcile(operation, input, ctx) {
      if (operation === 'failover') {
        const pair = resolvePair(settings, input, ctx);
        const row = await tryDb(settings, pair.standby, ctx.signal, async (db) => (await db.query('SELECT pg_is_in_recovery() AS r')).rows[0] as { r: boolean });
        if (!row) return 'unknown';
        return row.r ? 'not-happened' : 'happened';
      }
      if (operation === 'testFailover') return reconcileTestFailover(settings, input, ctx);
      return 'unknown';
    },
  };
}

export { postgresDeclaration, type PostgresConfig } from './declaration.js';
