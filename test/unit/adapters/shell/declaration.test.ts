import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { execOutputSchema, execWithSchema, shellConfigSchema, shellDeclaration } from '../../../../adapters/shell/declaration.js';
import { shellAdapter } from '../../../../adapters/shell/index.js';

const ajv = new Ajv2020({ strict: true, allErrors: true });
const validConfig = ajv.compile(shellConfigSchema);
const validWith = ajv.compile(execWithSchema);
const validOutput = ajv.compile(execOutputSchema);

describe('shellDeclaration', () => {
  it('declares type shell with exactly one operation, exec, neither idempotent nor reconcilable', () => {
    expect(shellDeclaration.type).toBe('shell');
    const operations = shellDeclaration.operations({});
    expect(Object.keys(operations)).toEqual(['exec']);
    expect(operations.exec).toMatchObject({ idempotent: false, reconcilable: false });
    expect(shellAdapter.type).toBe('shell');
    expect(shellAdapter.operations({ timeout: '1m' })).toEqual(operations);
  });

  it('describes every config property', () => {
    const properties = shellConfigSchema.properties as Record<string, { description?: string }>;
    expect(Object.keys(properties).sort()).toEqual(['cwd', 'env', 'inheritEnv', 'killGrace', 'maxOutputBytes', 'timeout']);
    for (const [name, property] of Object.entries(properties)) expect(property.description, name).toBeTruthy();
  });

  it('accepts the configs plans write', () => {
    expect(validConfig({})).toBe(true);
    expect(validConfig({ cwd: 'scripts', env: { PGPASSWORD: 'env:PGPASSWORD', REGION: 'eu' }, inheritEnv: false })).toBe(true);
    expect(validConfig({ maxOutputBytes: 65536, killGrace: '10s', timeout: '1h30m' })).toBe(true);
  });

  it('rejects unknown keys, non-string env values and malformed durations', () => {
    expect(validConfig({ shell: true })).toBe(false);
    expect(validConfig({ env: { PORT: 5432 } })).toBe(false);
    expect(validConfig({ env: { 'A=B': 'x' } })).toBe(false);
    expect(validConfig({ timeout: '5 minutes' })).toBe(false);
    expect(validConfig({ killGrace: '5' })).toBe(false);
    expect(validConfig({ maxOutputBytes: 0 })).toBe(false);
  });

  it('requires a non-empty argv of strings in exec', () => {
    expect(validWith({ argv: ['./smoke.sh', 'db'], env: { A: 'b' }, cwd: 'x', timeout: '2m', json: true, stdin: 'in' })).toBe(true);
    expect(validWith({})).toBe(false);
    expect(validWith({ argv: [] })).toBe(false);
    expect(validWith({ argv: 'echo hi' })).toBe(false);
    expect(validWith({ argv: ['echo'], command: 'x' })).toBe(false);
  });

  it('describes both outputs: the result and a json step’s own object', () => {
    expect(validOutput({ exitCode: 0, stdout: '', stderr: '', truncated: false, durationMs: 3 })).toBe(true);
    expect(validOutput({ lag: 3 })).toBe(true);
    expect(validOutput([1])).toBe(false);
  });
});
