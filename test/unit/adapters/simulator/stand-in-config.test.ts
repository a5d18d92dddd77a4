import { describe, expect, it } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import {
  placeholderOutput,
  simulatorAdapter,
  simulatorConfigFor,
  simulatorDeclaration,
  SITE_OPERATION_DECLARATIONS,
} from '../../../../adapters/simulator/index.js';
import type { OperationDeclaration } from '../../../../adapters/types.js';
import { context, environment, simulatedClock, START } from './context.js';

/** What a real database adapter might declare. */
const postgresOperations: Record<string, OperationDeclaration> = {
  promote: {
    description: 'Promotes the standby.',
    with: { type: 'object', required: ['cluster'], properties: { cluster: { type: 'string' } } },
    output: {
      type: 'object',
      properties: {
        lsn: { type: 'string' },
        timeline: { type: 'integer', minimum: 1 },
        primary: { type: 'string', format: 'hostname' },
        promoted: { type: 'boolean' },
      },
    },
    idempotent: false,
    reconcilable: true,
    estimateMs: 45_000,
  },
  checkpoint: { description: 'Forces a checkpoint.', with: { type: 'object' }, idempotent: true },
  failover: {
    ...SITE_OPERATION_DECLARATIONS.failover,
    output: {
      type: 'object',
      properties: { recoveryPoint: { type: 'string' }, dataLossWindowSeconds: { type: 'number' }, jobId: { type: 'string' } },
    },
  },
};

describe('simulatorConfigFor', () => {
  it('declares the same operations, inputs and idempotency as the adapter it stands in for', () => {
    const config = simulatorConfigFor(postgresOperations, {}, 9);
    const declared = simulatorDeclaration.operations(config);
    for (const [name, original] of Object.entries(postgresOperations)) {
      expect(declared[name]?.with).toEqual(original.with);
      expect(declared[name]?.idempotent).toBe(original.idempotent);
      expect(declared[name]?.description).toBe(original.description);
    }
    expect(config.seed).toBe(9);
  });

  it('is a config the simulator schema accepts', () => {
    const validate = new Ajv2020({ strict: false }).compile(simulatorDeclaration.configSchema);
    const config = simulatorConfigFor(postgresOperations, { checkpoint: 1234.6 }, 9);
    expect(validate(config), JSON.stringify(validate.errors)).toBe(true);
  });

  it('takes estimates from the given map first, then from the declaration', () => {
    const config = simulatorConfigFor(postgresOperations, { checkpoint: 1500 }, 1);
    const declared = simulatorDeclaration.operations(config);
    expect(declared.checkpoint?.estimateMs).toBe(1500);
    expect(declared.promote?.estimateMs).toBe(45_000);
    expect(declared.failover?.estimateMs).toBe(SITE_OPERATION_DECLARATIONS.failover.estimateMs);
  });

  it('outputs placeholders of the declared types, so templates reading them render', async () => {
    const clock = simulatedClock();
    const site = await simulatorAdapter.open(simulatorConfigFor(postgresOperations, {}, 1), environment(clock, 'pg'));
    expect(await site.call('promote', { cluster: 'main' }, context(clock))).toEqual({
      lsn: 'simulated-lsn',
      timeline: 1,
      primary: 'primary.simulated.invalid',
      promoted: true,
    });
    expect(await site.call('checkpoint', {}, context(clock))).toEqual({});
  });

  it('keeps the simulated site answers of site operations and fills only the other keys', async () => {
    const clock = simulatedClock();
    const site = await simulatorAdapter.open(simulatorConfigFor(postgresOperations, {}, 1), environment(clock, 'pg'));
    const output = await site.call('failover', { recoveryPoint: 'latest' }, context(clock, { mode: 'unplanned' }));
    expect(output).toEqual({
      recoveryPoint: new Date(START - 30_000).toISOString(),
      dataLossWindowSeconds: 30,
      jobId: 'simulated-jobId',
    });
  });
});

describe('placeholderOutput', () => {
  it('prefers values the schema offers', () => {
    expect(
      placeholderOutput({
        type: 'object',
        properties: {
          a: { const: 'fixed' },
          b: { type: 'string', default: 'dflt' },
          c: { type: 'string', examples: ['ex'] },
          d: { enum: ['green', 'red'] },
        },
      }),
    ).toEqual({ a: 'fixed', b: 'dflt', c: 'ex', d: 'green' });
  });

  it('synthesises by type and format', () => {
    expect(
      placeholderOutput({
        type: 'object',
        properties: {
          when: { type: 'string', format: 'date-time' },
          url: { type: 'string', format: 'uri' },
          ip: { type: 'string', format: 'ipv4' },
          id: { type: 'string', format: 'uuid' },
          count: { type: 'integer' },
          above: { type: 'number', exclusiveMinimum: 5 },
          negative: { type: 'number', maximum: -2 },
          list: { type: 'array', items: { type: 'string' } },
          maybe: { type: ['null', 'string'] },
          none: { type: 'null' },
          nested: { type: 'object', properties: { port: { type: 'integer', minimum: 5432 } } },
          untyped: {},
          either: { oneOf: [{ type: 'number' }, { type: 'string' }] },
        },
      }),
    ).toEqual({
      when: '2000-01-01T00:00:00.000Z',
      url: 'https://simulated.invalid/url',
      ip: '192.0.2.1',
      id: '00000000-0000-4000-8000-000000000000',
      count: 0,
      above: 6,
      negative: -2,
      list: [],
      maybe: 'simulated-maybe',
      none: null,
      nested: { port: 5432 },
      untyped: 'simulated-untyped',
      either: 0,
    });
  });

  it('gives an empty object for no schema or a schema of something else than an object', () => {
    expect(placeholderOutput(undefined)).toEqual({});
    expect(placeholderOutput({ type: 'string' })).toEqual({});
    expect(placeholderOutput({ type: 'object' })).toEqual({});
  });

  it('stops at a sane depth on deeply nested schemas', () => {
    let schema: Record<string, unknown> = { type: 'object', properties: {} };
    const root = schema;
    for (let i = 0; i < 50; i++) {
      const child: Record<string, unknown> = { type: 'object', properties: {} };
      (schema.properties as Record<string, unknown>).child = child;
      schema = child;
    }
    let value: unknown = placeholderOutput(root);
    let depth = 0;
    while (value && typeof value === 'object' && 'child' in value) {
      value = (value as { child: unknown }).child;
      depth++;
    }
    expect(depth).toBeLessThanOrEqual(9);
  });
});
