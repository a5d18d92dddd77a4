/**
 * Data-driven plan fixtures (STYLE.md, Tests): every `test/fixtures/plans/invalid/*.yaml` must
 * produce exactly the diagnostics (code, severity, line, col) its `.expected.json` lists, through
 * the library and through `drplan validate --format json`; every code a plan file can produce
 * has a fixture; valid fixtures and the example plans validate without errors.
 *
 * An expected file may carry `"knownBug": "…"`: its diagnostics are the ones a user should get,
 * the pipeline does not give them yet, and the test is `it.fails` until the owner fixes it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cli } from '../../../engine/cli/cli.js';
import { resolveExecution } from '../../../engine/compile/resolve-execution.js';
import { resolveParams } from '../../../engine/compile/resolve-params.js';
import { MODES } from '../../../engine/model/plan.js';
import { captureIo, checkPlanFile, diagnosticKeys, type DiagnosticKey } from '../../helpers/pipeline.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const INVALID = fileURLToPath(new URL('../../fixtures/plans/invalid/', import.meta.url));
const VALID = fileURLToPath(new URL('../../fixtures/plans/valid/', import.meta.url));
const PLANS = fileURLToPath(new URL('../../../plans/', import.meta.url));

/** Every code a plan file can produce (schema and meaning), with the variants that must each have a fixture. */
const PLAN_CODES: Record<string, string[]> = {
  MISSING_FIELD: [],
  UNKNOWN_FIELD: [],
  WRONG_TYPE: [],
  INVALID_VALUE: [],
  INVALID_NAME: [],
  INVALID_DURATION: [],
  VALUE_OUT_OF_RANGE: [],
  TOO_FEW_ITEMS: [],
  DUPLICATE_ITEM: [],
  DUPLICATE_ID: ['duplicate-id', 'duplicate-id-group', 'duplicate-id-generated'],
  DUPLICATE_VM: [],
  UNKNOWN_ADAPTER: ['unknown-adapter', 'unknown-adapter-action'],
  UNKNOWN_ADAPTER_TYPE: [],
  INVALID_ADAPTER_CONFIG: [],
  UNKNOWN_OPERATION: [],
  SITE_OPERATION_MISSING: [],
  INVALID_WITH: [],
  WITH_WITHOUT_ACTION: [],
  UNKNOWN_APPROVER: [],
  QUORUM_TOO_LARGE: ['quorum-too-large', 'quorum-too-large-escalation'],
  UNKNOWN_GROUP: [],
  DEPENDENCY_CYCLE: [],
  STEP_KIND_MISSING: [],
  STEP_KIND_CONFLICT: [],
  MODE_NOT_DECLARED: [],
  TEMPLATE_SYNTAX: [],
  UNKNOWN_HELPER: [],
  UNKNOWN_TEMPLATE_REFERENCE: [
    'unknown-template-reference',
    'unknown-template-reference-step',
    'unknown-template-reference-output-key',
    'unknown-template-reference-vm',
    'unknown-template-reference-later-step',
  ],
  FOREACH_OUTSIDE_GROUP: [],
  INVALID_PARAMETER_DEFAULT: [],
  MISSING_ESTIMATE: [],
  // checked at the edge (engine/app/check-scripts.ts), where `drplan validate` may read files
  SCRIPT_NOT_FOUND: [],
  SCRIPT_NOT_EXECUTABLE: [],
};

interface Expected {
  diagnostics: DiagnosticKey[];
  knownBug?: string;
}

const yamlIn = (dir: string) =>
  readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort();

const kebab = (code: string) => code.toLowerCase().replace(/_/g, '-');
const stem = (file: string) => file.replace(/\.ya?ml$/, '');

function readExpected(file: string): Expected {
  return JSON.parse(readFileSync(`${INVALID}${stem(file)}.expected.json`, 'utf8')) as Expected;
}

const invalidFixtures = yamlIn(INVALID).map((file) => ({ file, expected: readExpected(file) }));

describe('invalid plan fixtures: load + validate (+ the run-script check drplan validate makes)', () => {
  it('there are fixtures, each with an expected file listing at least one diagnostic', () => {
    expect(invalidFixtures.length).toBeGreaterThanOrEqual(Object.keys(PLAN_CODES).length);
    for (const { file, expected } of invalidFixtures) expect(expected.diagnostics.length, file).toBeGreaterThan(0);
  });

  for (const { file, expected } of invalidFixtures) {
    const test = expected.knownBug ? it.fails : it;
    test(`${file}${expected.knownBug ? ` (known bug: ${expected.knownBug})` : ''}`, () => {
      const checked = checkPlanFile(`${INVALID}${file}`, file);
      expect(diagnosticKeys(checked.diagnostics)).toEqual(diagnosticKeys(expected.diagnostics));
      for (const d of checked.diagnostics) {
        expect(d.file).toBe(file);
        expect(d.message.length, d.code).toBeGreaterThan(0);
      }
      // A plan with errors yields no Plan; one with only warnings still does.
      const hasErrors = expected.diagnostics.some((d) => d.severity === 'error');
      expect(checked.plan === null).toBe(hasErrors);
    });
  }
});

describe('invalid plan fixtures: drplan validate --format json', () => {
  for (const { file, expected } of invalidFixtures) {
    const test = expected.knownBug ? it.fails : it;
    test(file, async () => {
      const io = captureIo(INVALID);
      const code = await cli(['validate', file, '--format', 'json'], io);
      const hasErrors = expected.diagnostics.some((d) => d.severity === 'error');
      expect(code).toBe(hasErrors ? 1 : 0);
      const output = JSON.parse(io.stdoutText) as { ok: boolean; diagnostics: (DiagnosticKey & { file: string; message: string })[] };
      expect(output.ok).toBe(!hasErrors);
      expect(diagnosticKeys(output.diagnostics)).toEqual(diagnosticKeys(expected.diagnostics));
      for (const d of output.diagnostics) expect(d.file).toBe(file);
      const everything = io.stdoutText + io.stderrText;
      expect(everything).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/); // no stack trace
      expect(everything).not.toMatch(/internal error|this is a bug in drplan/i);
    });
  }
});

describe('fixture coverage', () => {
  it('every code a plan file can produce has a fixture named for it that produces it', () => {
    const produced = (name: string) => invalidFixtures.find((f) => stem(f.file) === name)?.expected.diagnostics.map((d) => d.code) ?? [];
    const uncovered: string[] = [];
    for (const [code, variants] of Object.entries(PLAN_CODES)) {
      const named = invalidFixtures.filter((f) => stem(f.file) === kebab(code) || stem(f.file).startsWith(`${kebab(code)}-`));
      if (!named.some((f) => f.expected.diagnostics.some((d) => d.code === code))) uncovered.push(code);
      for (const variant of variants) if (!produced(variant).includes(code)) uncovered.push(`${code} (${variant})`);
    }
    expect(uncovered, `codes without a fixture: ${uncovered.join(', ')}`).toEqual([]);
  });

  it('the list of plan codes matches the schema and meaning codes of DiagnosticCode', () => {
    // A new code in engine/model/diagnostic.ts must get a fixture (or be listed here as not producible).
    const text = readFileSync(`${ROOT}engine/model/diagnostic.ts`, 'utf8');
    const section = text.slice(text.indexOf('// shape (schema)'), text.indexOf('// run-time inputs'));
    const declared = [...section.matchAll(/'([A-Z_]+)'/g)].map((m) => m[1]!);
    expect(declared.sort()).toEqual(Object.keys(PLAN_CODES).sort());
  });

  it('every fixture produces only codes a plan file can produce (or load codes, for load-* fixtures)', () => {
    for (const { file, expected } of invalidFixtures) {
      if (file.startsWith('load-')) continue;
      for (const d of expected.diagnostics) expect(Object.keys(PLAN_CODES), `${file}: ${d.code}`).toContain(d.code);
    }
  });
});

describe('valid plans', () => {
  const valid = [...yamlIn(VALID).map((f) => ({ dir: VALID, file: f })), ...yamlIn(PLANS).map((f) => ({ dir: PLANS, file: f }))];

  it('there are valid fixtures and example plans', () => {
    expect(yamlIn(VALID).length).toBeGreaterThanOrEqual(4);
    expect(yamlIn(PLANS).length).toBeGreaterThanOrEqual(1);
  });

  for (const { dir, file } of valid) {
    it(`${dir === PLANS ? 'plans/' : 'valid/'}${file} validates without errors and resolves in every declared mode`, () => {
      const checked = checkPlanFile(`${dir}${file}`, file);
      const errors = checked.diagnostics.filter((d) => d.severity === 'error');
      expect(errors.map((d) => `${d.line}:${d.col} ${d.code} ${d.message}`)).toEqual([]);
      const plan = checked.plan!;
      expect(plan).not.toBeNull();
      if (dir === VALID) expect(checked.diagnostics.map((d) => `${d.line}:${d.col} ${d.code}`)).toEqual([]);
      for (const mode of MODES) {
        if (plan.modes[mode] === undefined) continue;
        const { params, problems } = resolveParams(plan, {});
        expect(problems).toEqual([]);
        const exec = resolveExecution(plan, mode, params);
        const vms = plan.groups.reduce((n, g) => n + g.vms.length, 0);
        expect(exec.steps.filter((s) => s.kind === 'vm').length).toBeGreaterThanOrEqual(vms);
      }
    });
  }

  it('drplan validate --format json accepts the valid fixtures and plans/ together', async () => {
    const io = captureIo(ROOT);
    const code = await cli(['validate', 'test/fixtures/plans/valid', 'plans', '--format', 'json'], io);
    const output = JSON.parse(io.stdoutText) as { ok: boolean; diagnostics: { severity: string }[] };
    expect(output.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(output.ok).toBe(true);
    expect(code).toBe(0);
  });
});
