import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parseDuration } from '../../engine/model/duration.js';
import { OperationError, type JsonObject, type OperationContext } from '../types.js';
import { POSTGRES_DEFAULTS, type EndpointConfig, type PairConfig, type PostgresConfig } from './declaration.js';

/**
 * An instance's config with defaults applied, and the pair a VM operation acts on: the config's
 * `pairs.<vm>` (or `pairs.<vm.pair>`), with VM attributes (`primaryHost`, `standbyDataDir`, …)
 * over it, so a plan can also describe a pair on the VM itself.
 */

export interface Endpoint {
  name: string;
  host: string;
  port: number;
  dataDir?: string;
}

export interface Pair {
  vm: string;
  primary: Endpoint;
  standby: Endpoint & { applicationName?: string };
  test?: Endpoint;
}

export interface PostgresSettings {
  pairs: Record<string, PairConfig>;
  port: number;
  user: string;
  database: string;
  password?: string;
  /** Who runs PostgreSQL's programs: null means drplan's own user (not root, or osUser root). */
  osUser: string | null;
  bindir: string | null;
  connectTimeoutMs: number;
  stopTimeoutMs: number;
  syncTimeoutMs: number;
}

/** Applies defaults; `env:NAME` is read from drplan's environment now. */
export function resolvePostgresSettings(config: PostgresConfig, env: Readonly<Record<string, string | undefined>>, isRoot: boolean): PostgresSettings {
  let password: string | undefined;
  if (config.password !== undefined) {
    const name = config.password.slice('env:'.length);
    password = env[name];
    if (password === undefined) throw new Error(`postgres: config password names ${config.password}, but ${name} is not set in drplan's environment`);
  }
  const osUser = config.osUser ?? POSTGRES_DEFAULTS.osUser;
  return {
    pairs: config.pairs ?? {},
    port: config.port ?? POSTGRES_DEFAULTS.port,
    user: config.user ?? POSTGRES_DEFAULTS.user,
    database: config.database ?? POSTGRES_DEFAULTS.database,
    ...(password === undefined ? {} : { password }),
    osUser: isRoot && osUser !== 'root' ? osUser : null,
    bindir: config.bindir ?? findBindir(),
    connectTimeoutMs: duration('connectTimeout', config.connectTimeout ?? POSTGRES_DEFAULTS.connectTimeout),
    stopTimeoutMs: duration('stopTimeout', config.stopTimeout ?? POSTGRES_DEFAULTS.stopTimeout),
    syncTimeoutMs: duration('syncTimeout', config.syncTimeout ?? POSTGRES_DEFAULTS.syncTimeout),
  };
}

/** Debian keeps the server programs out of PATH, one directory per major version: take the newest. */
function findBindir(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => /^\d+(\.\d+)?$/.test(v) && existsSync(path.join(root, v, 'bin', 'pg_ctl')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? null : path.join(root, versions[0], 'bin');
}

function duration(setting: string, text: string): number {
  const ms = parseDuration(text);
  if (ms === undefined) throw new Error(`postgres: ${setting} "${text}" is not a duration such as 30s`);
  return ms;
}

/** Names of the pairs a non-VM step (a precheck) looks at: `vm`, or all of them. */
export function pairNames(settings: PostgresSettings, vm: string | undefined): string[] {
  if (vm !== undefined) {
    if (!Object.hasOwn(settings.pairs, vm)) {
      throw new OperationError(`postgres: no pair named "${vm}" in the config; it has: ${Object.keys(settings.pairs).join(', ') || 'none'}`, { retryable: false });
    }
    return [vm];
  }
  const names = Object.keys(settings.pairs);
  if (names.length === 0) throw new OperationError('postgres: the config has no pairs to check', { retryable: false });
  return names;
}

type Attributes = Record<string, string | number | boolean>;

/** The pair a VM operation acts on. */
export function resolvePair(settings: PostgresSettings, input: JsonObject, ctx: Pick<OperationContext, 'vm'>): Pair {
  const vmInput = (input.vm ?? {}) as Attributes;
  const attributes: Attributes = { ...(ctx.vm ?? {}), ...vmInput };
  const vm = String(attributes.name ?? '');
  if (!vm) throw new OperationError('postgres: this operation acts on a VM, and none was given', { retryable: false });
  return pairOf(settings, vm, attributes);
}

/** The pair called `name` in the config (for prechecks), with VM attributes over it when given. */
export function pairOf(settings: PostgresSettings, name: string, attributes: Attributes = {}): Pair {
  const key = typeof attributes.pair === 'string' ? attributes.pair : name;
  const configured: Partial<PairConfig> = Object.hasOwn(settings.pairs, key) ? settings.pairs[key]! : {};
  const primary = endpoint(settings, 'primary', configured.primary, attributes);
  const standby = endpoint(settings, 'standby', configured.standby, attributes);
  if (!primary || !standby) {
    throw new OperationError(
      `postgres: no pair for VM "${name}": add pairs.${key} to the adapter's config, or give the VM primaryHost and standbyHost attributes`,
      { retryable: false },
    );
  }
  const applicationName = str(attributes.standbyApplicationName) ?? configured.standby?.applicationName;
  const test = endpoint(settings, 'test', configured.test, attributes);
  return {
    vm: name,
    primary,
    standby: applicationName === undefined ? standby : { ...standby, applicationName },
    ...(test ? { test } : {}),
  };
}

function endpoint(settings: PostgresSettings, role: 'primary' | 'standby' | 'test', configured: EndpointConfig | undefined, attributes: Attributes): Endpoint | undefined {
  const host = str(attributes[`${role}Host`]) ?? configured?.host;
  if (host === undefined) return undefined;
  const portAttribute = attributes[`${role}Port`];
  const port = portAttribute === undefined ? (configured?.port ?? settings.port) : Number(portAttribute);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new OperationError(`postgres: ${role}Port ${String(portAttribute)} is not a port number`, { retryable: false });
  const dataDir = str(attributes[`${role}DataDir`]) ?? configured?.dataDir;
  const name = str(attributes[`${role}Name`]) ?? configured?.name ?? `${host}:${port}`;
  return { name, host, port, ...(dataDir === undefined ? {} : { dataDir }) };
}

function str(value: string | number | boolean | undefined): string | undefined {
  return value === undefined ? undefined : String(value);
}

/** The endpoint's data directory, or an error saying which operation needs it. */
export function requireDataDir(endpoint: Endpoint, why: string): string {
  if (endpoint.dataDir === undefined) {
    throw new OperationError(`postgres: ${endpoint.name} has no dataDir in the config, and ${why} needs it`, { retryable: false });
  }
  return endpoint.dataDir;
}
