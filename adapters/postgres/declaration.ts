import type { AdapterDeclaration, JsonSchema, OperationDeclaration, SiteOperation } from '../types.js';

/**
 * The postgres site adapter's declaration (SPEC §4): a protected "VM" is a PostgreSQL
 * primary/standby pair with streaming replication; the site operations fence, sync, promote
 * and clone it. Pure: validation and `drplan plan` use it without touching a server.
 */

/** One PostgreSQL instance: where it answers and, for the operations that need it, where its files are. */
export interface EndpointConfig {
  host: string;
  /** Default: the config's `port`, else 5432. */
  port?: number;
  /**
   * Its data directory on this machine. Needed to stop and start it with pg_ctl, to read its
   * control file (the shutdown checkpoint a planned failover waits for) and its WAL (the data an
   * unplanned failover lost).
   */
  dataDir?: string;
  /** A name for messages and outputs (`site-a`). Default: host:port. */
  name?: string;
}

export interface PairConfig {
  primary: EndpointConfig;
  /** The streaming standby that a failover promotes. */
  standby: EndpointConfig & {
    /** Its `application_name` in the primary's pg_stat_replication. Default: the only walsender there. */
    applicationName?: string;
  };
  /** Where a test failover puts its isolated copy (cloned from the standby). */
  test?: EndpointConfig;
}

/** An instance's `config` (`spec.adapters.<name>.config` for `type: postgres`), already schema-valid. */
export interface PostgresConfig {
  /** The pairs, by VM name (or by a VM's `pair` attribute). */
  pairs?: Record<string, PairConfig>;
  /** Default port of every endpoint. Default 5432. */
  port?: number;
  /** Database user drplan connects as (needs superuser: pg_promote, ALTER SYSTEM). Default postgres. */
  user?: string;
  database?: string;
  /** `env:NAME` reads the password from drplan's environment; without it libpq's PGPASSWORD applies. */
  password?: string;
  /** OS user that runs pg_ctl, pg_basebackup and friends when drplan runs as root. Default postgres. */
  osUser?: string;
  /** Directory of PostgreSQL's server programs. Default: the newest /usr/lib/postgresql/N/bin, else PATH. */
  bindir?: string;
  connectTimeout?: string;
  /** How long a clean stop (`shutdown`, `cleanupTest`) may take before it is forced. Default 60s. */
  stopTimeout?: string;
  /** How long `sync` waits for the standby to replay the primary's shutdown checkpoint. Default 60s. */
  syncTimeout?: string;
}

export const POSTGRES_DEFAULTS = {
  port: 5432,
  user: 'postgres',
  database: 'postgres',
  osUser: 'postgres',
  connectTimeout: '2s',
  stopTimeout: '60s',
  syncTimeout: '60s',
} as const;

const durationSchema = { type: 'string', pattern: '^(?=\\d)(\\d+d)?(\\d+h)?(\\d+m(?!s))?(\\d+s)?(\\d+ms)?$' };
const portSchema = { type: 'integer', minimum: 1, maximum: 65535 };

const endpointSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['host'],
  properties: {
    host: { type: 'string', minLength: 1, description: 'Address or host name the instance listens on.' },
    port: { ...portSchema, description: "Its port. Default: the config's `port`." },
    dataDir: {
      type: 'string',
      minLength: 1,
      description: 'Its data directory on the machine drplan runs on: needed to stop/start it (pg_ctl), read its control file and its WAL.',
    },
    name: { type: 'string', minLength: 1, description: 'A name for messages and outputs, e.g. site-a.' },
  },
};

export const postgresConfigSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    pairs: {
      type: 'object',
      description: 'The protected primary/standby pairs, by VM name. A VM may name another key with its `pair` attribute.',
      propertyNames: { pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$' },
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        required: ['primary', 'standby'],
        properties: {
          primary: { ...endpointSchema, description: 'The primary (source site).' },
          standby: {
            ...endpointSchema,
            description: 'The streaming standby (target site) that a failover promotes.',
            properties: {
              ...(endpointSchema.properties as object),
              applicationName: { type: 'string', description: "Its application_name in the primary's pg_stat_replication." },
            },
          },
          test: { ...endpointSchema, description: 'Where a test failover starts its isolated copy (needs dataDir).' },
        },
      },
    },
    port: { ...portSchema, description: 'Default port of every endpoint. Default 5432.' },
    user: { type: 'string', minLength: 1, description: 'Database user (a superuser: pg_promote, ALTER SYSTEM). Default postgres.' },
    database: { type: 'string', minLength: 1, description: 'Database to connect to. Default postgres.' },
    password: {
      type: 'string',
      pattern: '^env:[A-Za-z_][A-Za-z0-9_]*$',
      description: "`env:NAME`: the password is read from drplan's environment at run time, never written in the plan. Without it libpq's PGPASSWORD or a trust rule applies.",
    },
    osUser: {
      type: 'string',
      minLength: 1,
      description: 'OS user that runs pg_ctl, pg_basebackup, pg_controldata when drplan runs as root (PostgreSQL refuses root). Default postgres.',
    },
    bindir: { type: 'string', minLength: 1, description: "PostgreSQL's server programs. Default: the newest /usr/lib/postgresql/N/bin, else PATH." },
    connectTimeout: { ...durationSchema, description: 'Longest wait for a connection; an instance that does not answer by then counts as down. Default 2s.' },
    stopTimeout: { ...durationSchema, description: 'Longest a clean stop may take before it is forced. Default 60s.' },
    syncTimeout: { ...durationSchema, description: "Longest `sync` waits for the standby to replay the primary's shutdown checkpoint. Default 60s." },
  },
};

const vmInput: JsonSchema = {
  type: 'object',
  properties: {
    vm: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } },
    recoveryPoint: { type: 'string' },
    network: { type: 'string' },
  },
};

const lsn = { type: 'string', description: 'A WAL position (LSN), e.g. 0/3000148.' };

/** The site operations, as the postgres adapter implements them. */
export const POSTGRES_OPERATIONS: Record<SiteOperation, OperationDeclaration> = {
  replicationHealth: {
    description: 'Replication lag of each pair in bytes and seconds, from the primary; fails over `maxLag`. In an unplanned run an unreachable primary is reported, not failed.',
    with: {
      type: 'object',
      additionalProperties: false,
      properties: {
        maxLag: { ...durationSchema, description: 'Fail when the standby replays more than this far behind.' },
        maxLagBytes: { type: 'integer', minimum: 0, description: 'Fail when the standby has more than this many bytes of WAL left to replay.' },
        vm: { type: 'string', description: 'Only this pair. Default: every pair in the config.' },
      },
    },
    output: {
      type: 'object',
      properties: {
        healthy: { type: 'boolean' },
        lagSeconds: { type: 'number' },
        lagBytes: { type: 'number' },
        sourceReachable: { type: 'boolean' },
        pairs: { type: 'array' },
      },
    },
    idempotent: true,
    estimateMs: 200,
  },
  shutdown: {
    description: 'Fences the primary (new transactions read-only, client sessions ended), then stops it cleanly (pg_ctl stop -m fast) so its final WAL reaches the standby.',
    with: vmInput,
    output: { type: 'object', properties: { stopped: { type: 'boolean' }, shutdownCheckpointLsn: lsn, alreadyStopped: { type: 'boolean' }, timeline: { type: 'number' } } },
    // Fencing and stopping a stopped primary changes nothing.
    idempotent: true,
    estimateMs: 2_000,
  },
  sync: {
    description: "Waits until the standby has replayed the old primary's shutdown checkpoint; fails (and so stops a planned run before any promotion) if it cannot.",
    with: vmInput,
    output: { type: 'object', properties: { pendingBytes: { type: 'number' }, shutdownCheckpointLsn: lsn, standbyReplayLsn: lsn } },
    idempotent: true,
    estimateMs: 1_000,
  },
  failover: {
    description:
      'Promotes the standby (pg_promote). A standby already promoted is left as it is. Reports the recovery point (switch-over LSN and the time of its last transaction) and, in an unplanned run, the transactions and the time window lost, read from the old primary’s WAL when its files are reachable.',
    with: vmInput,
    output: {
      type: 'object',
      properties: {
        promoted: { type: 'boolean' },
        alreadyPromoted: { type: 'boolean' },
        timeline: { type: 'number' },
        recoveryPoint: lsn,
        recoveryPointTime: { type: 'string' },
        dataLossWindowSeconds: { type: 'number' },
        lostTransactions: { type: 'number' },
        dataLossBasis: { type: 'string' },
        promoteMs: { type: 'number' },
        fencedOldPrimary: { type: 'boolean' },
      },
    },
    // Promotion happens at most once: a repeated call finds the standby promoted and only reports.
    idempotent: true,
    reconcilable: true,
    estimateMs: 1_000,
  },
  start: {
    description: 'Makes sure the promoted instance runs and accepts writes (starts it if it is down, lifts a read-only default).',
    with: vmInput,
    output: { type: 'object', properties: { running: { type: 'boolean' }, readWrite: { type: 'boolean' }, timeline: { type: 'number' }, started: { type: 'boolean' } } },
    idempotent: true,
    estimateMs: 500,
  },
  testFailover: {
    description:
      'Clones the standby (pg_basebackup from the standby, never the primary) into an isolated read-write instance on the test address. Production replication is not touched. A copy this run already made is reused.',
    with: vmInput,
    output: {
      type: 'object',
      properties: {
        testVm: { type: 'string' },
        network: { type: 'string' },
        host: { type: 'string' },
        port: { type: 'number' },
        dataDir: { type: 'string' },
        pid: { type: 'number' },
        reused: { type: 'boolean' },
      },
    },
    idempotent: true,
    reconcilable: true,
    estimateMs: 5_000,
  },
  cleanupTest: {
    description: 'Stops the test copy by PID (with all its processes) and removes its data directory.',
    with: vmInput,
    output: { type: 'object', properties: { deleted: { type: 'boolean' }, stoppedPid: { type: 'number' }, removed: { type: 'array' } } },
    idempotent: true,
    estimateMs: 2_000,
  },
};

/**
 * Declaration of `type: postgres`.
 *
 * @example
 * ```yaml
 * adapters:
 *   pg:
 *     type: postgres
 *     config:
 *       pairs:
 *         pg-main:
 *           primary: { name: site-a, host: 127.0.10.1, dataDir: /tmp/drplan-lab/site-a/data }
 *           standby: { name: site-b, host: 127.0.20.1, dataDir: /tmp/drplan-lab/site-b/data }
 *           test:    { name: drill, host: 127.0.30.1, dataDir: /tmp/drplan-lab/test/data }
 * sites: { source: pg, target: pg }
 * ```
 */
export const postgresDeclaration: AdapterDeclaration<PostgresConfig> = {
  type: 'postgres',
  description: 'PostgreSQL primary/standby pairs with streaming replication: fence, sync, promote, clone for drills.',
  configSchema: postgresConfigSchema,
  operations() {
    return { ...POSTGRES_OPERATIONS };
  },
};
