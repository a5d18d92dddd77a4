import { describe, expect, it } from 'vitest';
import type { JsonSchema } from '../../../adapters/types.js';
import { simulatorConfigSchema } from '../../../adapters/simulator/declaration.js';
import { loadPlanText } from '../../../engine/load/load-plan.js';
import type { PlanSource } from '../../../engine/model/plan-source.js';
import { checkAgainstSchema } from '../../../engine/validate/schema-validator.js';
import { valueAt } from '../../../engine/validate/schema-wording.js';

/** A plan source as `drplan validate` builds it. */
function sourceOf(text: string, file = 'plan.yaml'): PlanSource {
  const { source, diagnostics } = loadPlanText(text, file);
  if (!source) throw new Error(`not loadable: ${diagnostics.map((d) => d.message).join('; ')}`);
  return source;
}

function at(text: string, needle: string): { line: number; col: number } {
  const index = text.indexOf(needle);
  if (index < 0) throw new Error(`"${needle}" not in the text`);
  const before = text.slice(0, index).split('\n');
  return { line: before.length, col: before[before.length - 1]!.length + 1 };
}

const text = `spec:
  adapters:
    site:
      type: simulator
      config: { seed: seven, jitter: 2, operation: {} }
  finalize:
    - id: dns-alias
      action: dns.setAlias
      with: { name: 42, ttl: 1 hour, sitee: recovery }
`;
const source = sourceOf(text);

const setAliasWith: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: { type: 'string', description: 'The DNS name.' },
    site: { enum: ['primary', 'recovery'] },
    ttl: { type: 'string', pattern: '^(?=\\d)(\\d+d)?(\\d+h)?(\\d+m(?!s))?(\\d+s)?(\\d+ms)?$' },
  },
};

function checkWith(schema: JsonSchema, options: Parameters<typeof checkAgainstSchema>[4] = {}) {
  const base = '/spec/finalize/0/with';
  return checkAgainstSchema(schema, valueAt(source.value, base), source, base, options);
}

describe('checkAgainstSchema', () => {
  it('gives every problem the caller’s code, with specific messages in the caller’s terms', () => {
    const diagnostics = checkWith(setAliasWith, { code: 'INVALID_WITH', subject: 'step "dns-alias"' });
    expect(diagnostics.map((d) => ({ code: d.code, line: d.line, col: d.col }))).toEqual([
      { code: 'INVALID_WITH', ...at(text, '42') },
      { code: 'INVALID_WITH', ...at(text, '1 hour') },
      { code: 'INVALID_WITH', ...at(text, 'sitee') },
    ]);
    expect(diagnostics.map((d) => d.message)).toEqual([
      'step "dns-alias": with.name must be a string, got a number',
      'step "dns-alias": with.ttl "1 hour" is not a duration',
      'step "dns-alias": with has an unknown field "sitee"',
    ]);
    expect(diagnostics[1]!.hint).toContain('did you mean "1h"?');
    expect(diagnostics[2]!.hint).toBe('did you mean "site"?');
    expect(diagnostics.map((d) => d.pointer)).toEqual([
      '/spec/finalize/0/with/name',
      '/spec/finalize/0/with/ttl',
      '/spec/finalize/0/with/sitee',
    ]);
  });

  it('keeps its own codes without one (a duration is INVALID_DURATION)', () => {
    expect(checkWith(setAliasWith).map((d) => d.code)).toEqual(['WRONG_TYPE', 'INVALID_DURATION', 'UNKNOWN_FIELD']);
  });

  it('names the place from the plan when no subject is given', () => {
    expect(checkWith(setAliasWith)[0]!.message).toBe('step "dns-alias": with.name must be a string, got a number');
  });

  it('checks adapter config, reading `adapter "site" config` as `adapter "site": config.…`', () => {
    const base = '/spec/adapters/site/config';
    const diagnostics = checkAgainstSchema(simulatorConfigSchema, valueAt(source.value, base), source, base, {
      code: 'INVALID_ADAPTER_CONFIG',
      subject: 'adapter "site" config',
    });
    expect(diagnostics.map((d) => ({ code: d.code, line: d.line, col: d.col }))).toEqual([
      { code: 'INVALID_ADAPTER_CONFIG', ...at(text, 'seven') },
      { code: 'INVALID_ADAPTER_CONFIG', ...at(text, '2,') },
      { code: 'INVALID_ADAPTER_CONFIG', ...at(text, 'operation:') },
    ]);
    expect(diagnostics.map((d) => d.message)).toEqual([
      'adapter "site": config.seed must be a whole number, got a string',
      'adapter "site": config.jitter must be at most 1, got 2',
      'adapter "site": config has an unknown field "operation"',
    ]);
    expect(diagnostics[2]!.hint).toBe('did you mean "operations"?');
  });

  it('reports a missing `with` field at the `with` mapping', () => {
    const schema: JsonSchema = { type: 'object', required: ['zone'], properties: { zone: { type: 'string', description: 'The zone.' } } };
    const [d] = checkWith(schema, { code: 'INVALID_WITH', subject: 'step "dns-alias"' });
    expect(d).toMatchObject({ code: 'INVALID_WITH', ...at(text, 'with:'), message: 'step "dns-alias": with is missing the required field "zone"', hint: 'add "zone": The zone.' });
  });

  it('resolves anyOf in adapter schemas by the type of the data', () => {
    const schema: JsonSchema = {
      type: 'object',
      properties: {
        name: { anyOf: [{ type: 'array', items: { type: 'string' } }, { type: 'object', required: ['fqdn'], properties: { fqdn: { type: 'string' } } }] },
      },
    };
    const [d, ...rest] = checkWith(schema, { subject: 'step "dns-alias"' });
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ code: 'WRONG_TYPE', message: 'step "dns-alias": with.name must be a list or a mapping, got a number' });
  });

  it('resolves anyOf nested in an anyOf branch', () => {
    const schema: JsonSchema = {
      type: 'object',
      properties: {
        name: {
          anyOf: [
            { type: 'string' },
            { type: 'object', properties: { target: { anyOf: [{ type: 'string' }, { type: 'object', required: ['host'], properties: { host: { type: 'string' } } }] } } },
          ],
        },
      },
    };
    const source = sourceOf('with: { name: { target: { hots: a } } }\n');
    const diagnostics = checkAgainstSchema(schema, valueAt(source.value, '/with'), source, '/with', { subject: 'step "x"' });
    expect(diagnostics.map((d) => [d.code, d.message])).toEqual([['MISSING_FIELD', 'step "x": with.name.target is missing the required field "host"']]);
  });

  it('reports a oneOf that more than one branch accepts', () => {
    const schema: JsonSchema = { type: 'object', properties: { name: { oneOf: [{ type: 'number' }, { type: 'integer' }] } } };
    const [d, ...rest] = checkWith(schema);
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ code: 'INVALID_VALUE', message: 'step "dns-alias": with.name fits more than one of the allowed forms', ...at(text, '42') });
  });

  it('reports what `then` requires, not that `if` matched', () => {
    const schema: JsonSchema = {
      type: 'object',
      properties: { name: { type: 'number' }, ttl: { type: 'string' } },
      if: { properties: { name: { const: 42 } } },
      then: { required: ['zone'], properties: { zone: { type: 'string' } } },
    };
    const diagnostics = checkWith(schema);
    expect(diagnostics.map((d) => [d.code, d.message])).toEqual([['MISSING_FIELD', 'step "dns-alias": with is missing the required field "zone"']]);
  });

  it('supports formats', () => {
    const schema: JsonSchema = { type: 'object', properties: { ttl: { type: 'string', format: 'uri' } } };
    const [d] = checkWith(schema);
    expect(d).toMatchObject({ code: 'INVALID_VALUE', message: 'step "dns-alias": with.ttl "1 hour" is not a valid uri' });
  });

  it('reports a schema it cannot compile as the adapter’s problem, once, without throwing', () => {
    const broken: JsonSchema[] = [
      { type: 'object', properties: { name: { type: 'strin' } } },
      { type: 'object', 'x-custom': true },
      { $ref: '#/$defs/missing' },
      { type: 'object', properties: { name: { type: 'string', format: 'no-such-format' } } },
      { type: 'object', properties: { name: { type: 'string', pattern: '(' } } },
      { type: 'object', properties: { name: { type: 'number', minimum: 'three' } } },
    ];
    for (const schema of broken) {
      for (let round = 0; round < 2; round++) {
        const diagnostics = checkWith(schema, { code: 'INVALID_WITH', subject: 'step "dns-alias"' });
        expect(diagnostics).toHaveLength(1);
        expect(diagnostics[0]).toMatchObject({ code: 'INVALID_WITH', ...at(text, '{ name: 42') });
        expect(diagnostics[0]!.message).toMatch(/^step "dns-alias" cannot be checked: the schema declared for it is unusable \(.+\)$/);
        expect(diagnostics[0]!.message).not.toMatch(/strict mode|can't resolve|must be equal/);
        expect(diagnostics[0]!.hint).toContain('adapter');
      }
    }
  });

  it('accepts ordinary JSON Schema that plan authors write: properties without `type: object`, required without properties', () => {
    const lenient: JsonSchema[] = [{ properties: { name: { type: 'number' } } }, { type: 'object', required: ['zone'] }];
    expect(checkWith(lenient[0]!).map((d) => d.code)).toEqual([]);
    expect(checkWith(lenient[1]!).map((d) => d.code)).toEqual(['MISSING_FIELD']);
  });

  it('refuses a second, different schema with the same $id instead of throwing', () => {
    const a: JsonSchema = { $id: 'https://example.com/with.json', type: 'object' };
    const b: JsonSchema = { $id: 'https://example.com/with.json', type: 'object', required: ['zone'] };
    expect(checkWith(a)).toEqual([]);
    expect(checkWith({ ...a })).toEqual([]); // equal content: the same compiled validator
    expect(checkWith(b)[0]!.message).toContain('another schema already uses the $id');
  });

  it('caches by schema content, and is unaffected by later mutation of the caller’s object', () => {
    const schema: JsonSchema = { type: 'object', properties: { name: { type: 'string' } } };
    expect(checkWith(schema)).toHaveLength(1);
    (schema.properties as Record<string, unknown>).name = { type: 'number' };
    expect(checkWith(schema)).toHaveLength(1); // same object: same compiled validator
  });

  it('never throws on odd values', () => {
    for (const value of [undefined, null, 0, '', [], [[[]]], { a: { b: { c: {} } } }]) {
      expect(() => checkAgainstSchema(setAliasWith, value, source, '/spec/finalize/0/with', { code: 'INVALID_WITH' })).not.toThrow();
    }
  });
});
