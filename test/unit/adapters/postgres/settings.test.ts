import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { POSTGRES_OPERATIONS, postgresConfigSchema, postgresDeclaration } from '../../../../adapters/postgres/declaration.js';
import { pairNames, pairOf, resolvePair, resolvePostgresSettings } from '../../../../adapters/postgres/settings.js';
import { OperationError, SITE_OPERATIONS } from '../../../../adapters/types.js';

const config = {
  pairs: {
    'pg-main': {
      primary: { name: 'site-a', host: '127.0.10.1', dataDir: '/tmp/lab/site-a/data' },
      standby: { name: 'site-b', host: '127.0.20.1', port: 5433, applicationName: 'site-b' },
      test: { host: '127.0.30.1', dataDir: '/tmp/lab/test/data' },
    },
  },
  port: 55432,
};

describe('postgres config', () => {
  const validate = new Ajv2020({ strict: false }).compile(postgresConfigSchema);

  it('the schema accepts the plan’s config and rejects typos, a password in clear and a pair without a standby', () => {
    expect(validate(config)).toBe(true);
    expect(validate({ pairs: { x: { primary: { host: 'a' }, standby: { host: 'b', dataDri: '/x' } } } })).toBe(false);
    expect(validate({ password: 'hunter2' })).toBe(false);
    expect(validate({ password: 'env:PGPASSWORD' })).toBe(true);
    expect(validate({ pairs: { x: { primary: { host: 'a' } } } })).toBe(false);
  });

  it('declares every site operation, with the idempotency it really has', () => {
    const ops = postgresDeclaration.operations(config);
    expect(Object.keys(ops).sort()).toEqual([...SITE_OPERATIONS].sort());
    // Each repeated call finds its work done (a promoted standby, a stopped primary, this run's
    // test copy) and only reports, so every one is idempotent; the two that change roles can
    // also tell afterwards whether an attempt took effect.
    for (const op of SITE_OPERATIONS) expect(ops[op]!.idempotent, op).toBe(true);
    expect(POSTGRES_OPERATIONS.failover.reconcilable).toBe(true);
    expect(POSTGRES_OPERATIONS.testFailover.reconcilable).toBe(true);
    expect(Object.keys((POSTGRES_OPERATIONS.failover.output as { properties: object }).properties)).toEqual(
      expect.arrayContaining(['recoveryPoint', 'dataLossWindowSeconds', 'lostTransactions']),
    );
  });

  it('applies defaults and reads the password from drplan’s environment', () => {
    const s = resolvePostgresSettings({ ...config, password: 'env:LAB_PW' }, { LAB_PW: 's3cret' }, true);
    expect(s).toMatchObject({ user: 'postgres', database: 'postgres', osUser: 'postgres', password: 's3cret', connectTimeoutMs: 2000, syncTimeoutMs: 60_000 });
    expect(resolvePostgresSettings(config, {}, false).osUser).toBeNull(); // not root: run programs as ourselves
    expect(() => resolvePostgresSettings({ password: 'env:MISSING' }, {}, true)).toThrow(/MISSING is not set/);
  });
});

describe('which pair a step acts on', () => {
  const settings = resolvePostgresSettings(config, {}, true);

  it('a VM named like a configured pair, with the config’s default port', () => {
    const pair = resolvePair(settings, { vm: { name: 'pg-main' } }, {});
    expect(pair.primary).toEqual({ name: 'site-a', host: '127.0.10.1', port: 55432, dataDir: '/tmp/lab/site-a/data' });
    expect(pair.standby).toEqual({ name: 'site-b', host: '127.0.20.1', port: 5433, applicationName: 'site-b' });
    expect(pair.test).toEqual({ name: '127.0.30.1:55432', host: '127.0.30.1', port: 55432, dataDir: '/tmp/lab/test/data' });
  });

  it('VM attributes override the config, or describe a pair on their own', () => {
    const pair = resolvePair(settings, { vm: { name: 'pg-main', standbyHost: '10.0.0.9', standbyPort: 6000 } }, {});
    expect(pair.standby).toMatchObject({ host: '10.0.0.9', port: 6000 });
    const own = pairOf(settings, 'pg-other', { primaryHost: 'h1', standbyHost: 'h2', standbyDataDir: '/d' });
    expect(own).toMatchObject({ vm: 'pg-other', primary: { host: 'h1', port: 55432 }, standby: { host: 'h2', dataDir: '/d' } });
    expect(pairOf(settings, 'alias', { pair: 'pg-main' }).primary.name).toBe('site-a');
  });

  it('says what is missing', () => {
    expect(() => resolvePair(settings, { vm: { name: 'nope' } }, {})).toThrow(OperationError);
    expect(() => resolvePair(settings, { vm: { name: 'nope' } }, {})).toThrow(/no pair for VM "nope": add pairs.nope/);
    expect(() => resolvePair(settings, { vm: { name: 'pg-main', primaryPort: 'x' } }, {})).toThrow(/primaryPort x is not a port/);
    expect(() => pairNames(settings, 'other')).toThrow(/no pair named "other".*it has: pg-main/);
    expect(pairNames(settings, undefined)).toEqual(['pg-main']);
  });
});
