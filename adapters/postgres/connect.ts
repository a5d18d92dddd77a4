import pg from 'pg';
import { OperationError } from '../types.js';
import type { Endpoint, PostgresSettings } from './settings.js';

/**
 * Connections to one instance for the length of one operation. Every connection is bounded by
 * the config's connect timeout and torn down when the step's signal aborts (timeout or cancel),
 * so an operation never hangs on a server that stopped answering.
 */

export type Db = Pick<pg.Client, 'query'>;

/** Why a connection could not be made: the instance is down (or unreachable), or something else. */
export class Unreachable extends OperationError {
  constructor(
    readonly endpoint: Endpoint,
    readonly reason: string,
  ) {
    super(`${endpoint.name} (${endpoint.host}:${endpoint.port}) does not answer: ${reason}`, { retryable: true });
    this.name = 'Unreachable';
  }
}

/** Runs `fn` with a connection to `endpoint`, closing it afterwards whatever happens. */
export async function withDb<T>(settings: PostgresSettings, endpoint: Endpoint, signal: AbortSignal, fn: (db: Db) => Promise<T>): Promise<T> {
  signal.throwIfAborted();
  const client = new pg.Client({
    host: endpoint.host,
    port: endpoint.port,
    user: settings.user,
    database: settings.database,
    ...(settings.password === undefined ? {} : { password: settings.password }),
    connectionTimeoutMillis: settings.connectTimeoutMs,
    application_name: 'drplan',
  });
  // Errors on an idle client (the server went away) surface on the next query instead.
  client.on('error', () => undefined);
  const onAbort = () => {
    // Ends the socket now: a query in flight rejects at once.
    (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
  };
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    try {
      await client.connect();
    } catch (error) {
      signal.throwIfAborted();
      throw new Unreachable(endpoint, messageOf(error));
    }
    const result = await fn(client);
    signal.throwIfAborted();
    return result;
  } catch (error) {
    // An abort shows up as a dropped connection: report the abort, which says why.
    signal.throwIfAborted();
    throw error;
  } finally {
    signal.removeEventListener('abort', onAbort);
    await client.end().catch(() => undefined);
  }
}

/** Like `withDb`, but resolves `undefined` when the instance does not answer. */
export async function tryDb<T>(settings: PostgresSettings, endpoint: Endpoint, signal: AbortSignal, fn: (db: Db) => Promise<T>): Promise<T | undefined> {
  try {
    return await withDb(settings, endpoint, signal, fn);
  } catch (error) {
    if (error instanceof Unreachable) return undefined;
    throw error;
  }
}

/** The first row of a query. */
export async function one<R extends Record<string, unknown>>(db: Db, text: string, values: unknown[] = []): Promise<R> {
  const result = await db.query(text, values);
  const row = result.rows[0] as R | undefined;
  if (!row) throw new Error(`query returned no row: ${text}`);
  return row;
}

export function messageOf(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return error.errors.map(messageOf).join('; ');
  if (error instanceof Error) return error.message || (error as NodeJS.ErrnoException).code || error.name;
  return String(error);
}
