import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresAdapter } from '../../../../adapters/postgres/index.js';
import type { AdapterInstance } from '../../../../adapters/types.js';
import { makeContext } from './context.js';

// What the postgres adapter says when its servers are not there, and what it refuses to do
// without touching anything. (Operations against live servers: test/e2e/pg-*.test.ts.)

let pg: AdapterInstance;
let dir: string;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'drplan-pg-offline-'));
  const port = await freePort();
  pg = await postgresAdapter.open(
    {
      port,
      connectTimeout: '500ms',
      pairs: {
        'pg-main': {
          primary: { name: 'site-a', host: '127.0.0.1' },
          standby: { name: 'site-b', host: '127.0.0.1' },
          test: { name: 'drill', host: '127.0.0.1', dataDir: path.join(dir, 'test') },
        },
      },
    },
    { instance: 'pg', planDir: dir, clock: makeContext().clock, random: Math.random, logger: makeContext().logger, env: {} },
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const vm = { vm: { name: 'pg-main' } };

describe('postgres adapter without servers', () => {
  it('replicationHealth fails in a planned run, naming both ends', async () => {
    await expect(pg.call('replicationHealth', { vm: 'pg-main', maxLag: '5s' }, makeContext())).rejects.toThrow(
      /replication is not healthy: pg-main: standby site-b .* does not answer; pg-main: primary site-a .* does not answer/,
    );
  });

  it('in an unplanned run an unreachable primary is tolerated, an unreachable standby is not', async () => {
    await expect(pg.call('replicationHealth', { vm: 'pg-main' }, makeContext({ mode: 'unplanned' }))).rejects.toThrow(/standby site-b .* does not answer/);
    await expect(pg.call('replicationHealth', { vm: 'pg-main' }, makeContext({ mode: 'unplanned' }))).rejects.not.toThrow(/primary site-a/);
  });

  it('failover cannot reach the standby: a retryable error, nothing else attempted', async () => {
    await expect(pg.call('failover', vm, makeContext())).rejects.toMatchObject({ name: 'Unreachable', details: { retryable: true } });
    expect(await pg.reconcile!('failover', vm, makeContext())).toBe('unknown');
  });

  it('refuses a recovery point a streaming standby cannot give', async () => {
    await expect(pg.call('failover', { ...vm, recoveryPoint: '2026-11-01T10:00:00Z' }, makeContext({ mode: 'unplanned' }))).rejects.toThrow(
      /recovery point "2026-11-01T10:00:00Z" is not supported/,
    );
  });

  it('shutdown and sync need the primary’s data directory', async () => {
    await expect(pg.call('shutdown', vm, makeContext())).rejects.toThrow(/site-a has no dataDir in the config, and shutdown .* needs it/);
    await expect(pg.call('sync', vm, makeContext())).rejects.toThrow(/site-a has no dataDir/);
  });

  it('test copies: never replaces or removes a directory drplan did not make', async () => {
    const foreign = path.join(dir, 'test');
    mkdirSync(foreign);
    writeFileSync(path.join(foreign, 'PG_VERSION'), '15\n');
    await expect(pg.call('testFailover', { ...vm, network: 'drill' }, makeContext({ mode: 'test' }))).rejects.toThrow(/not a test copy made by drplan .* refusing to replace it/);
    await expect(pg.call('cleanupTest', vm, makeContext({ mode: 'test' }))).rejects.toThrow(/not a test copy made by drplan .* left as it is/);
    expect(await pg.reconcile!('testFailover', vm, makeContext({ mode: 'test' }))).toBe('unknown');
    rmSync(foreign, { recursive: true });
    expect(await pg.call('cleanupTest', vm, makeContext({ mode: 'test' }))).toEqual({ deleted: true, removed: [], stoppedHow: 'not-running' });
    expect(await pg.reconcile!('testFailover', vm, makeContext({ mode: 'test' }))).toBe('not-happened');
  });

  it('an aborted step stops at once', async () => {
    const controller = new AbortController();
    controller.abort(Object.assign(new Error('timed out after 1s (attempt 1)'), { name: 'TimeoutError' }));
    await expect(pg.call('failover', vm, makeContext({ signal: controller.signal }))).rejects.toThrow(/timed out after 1s/);
  });

  it('names its operations when asked for another', async () => {
    await expect(pg.call('promote', vm, makeContext())).rejects.toThrow(/postgres has no operation "promote"; it provides: replicationHealth, shutdown, sync, failover, start, testFailover, cleanupTest/);
  });
});
