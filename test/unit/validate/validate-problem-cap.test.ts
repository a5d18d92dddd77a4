/**
 * Regression (issue 11, item 4): the validator's share of the per-file cap. A mistake repeated
 * over a large plan gives one diagnostic per repeat; validatePlan keeps the first
 * MAX_DIAGNOSTICS_PER_FILE (errors before warnings, by position) and counts the rest, whether
 * they come from the schema or from the meaning checks.
 */
import { describe, expect, it } from 'vitest';
import { builtinCatalog } from '../../../adapters/catalog.js';
import { loadPlanText } from '../../../engine/load/load-plan.js';
import { MAX_DIAGNOSTICS_PER_FILE } from '../../../engine/model/diagnostic-cap.js';
import { validatePlan } from '../../../engine/validate/validate-plan.js';

const HEAD = ['apiVersion: drplan/v1', 'kind: RecoveryPlan', 'metadata:', '  name: many', 'spec:', '  adapters:', '    site: { type: simulator }', '  sites: { source: site, target: site }', '  modes: { planned: {} }', '  groups:'];

function validate(lines: string[]) {
  const loaded = loadPlanText([...HEAD, ...lines].join('\n') + '\n', 'many.yaml');
  expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return validatePlan(loaded.source!, builtinCatalog);
}

describe('validatePlan on a plan with thousands of problems', () => {
  it('schema problems: 3,000 bad VM names, the first 1,000 kept', () => {
    const result = validate(['    - id: g', '      vms:', ...Array.from({ length: 3_000 }, (_, i) => `        - "bad name ${i}"`)]);
    expect(result.plan).toBeNull();
    expect(result.diagnostics).toHaveLength(MAX_DIAGNOSTICS_PER_FILE);
    expect(new Set(result.diagnostics.map((d) => d.code))).toEqual(new Set(['INVALID_NAME']));
    expect(result.diagnostics[0]!.line).toBe(HEAD.length + 3);
    expect(result.diagnostics.at(-1)!.line).toBe(HEAD.length + 2 + MAX_DIAGNOSTICS_PER_FILE);
    expect(result.omitted).toEqual({ errors: 2_000, warnings: 0 });
  });

  it('meaning problems: one VM in 3,000 groups, the first 1,000 repeats kept', () => {
    const result = validate(Array.from({ length: 3_000 }, (_, g) => [`    - id: g${g}`, '      vms: [same]']).flat());
    expect(result.plan).toBeNull();
    expect(result.diagnostics).toHaveLength(MAX_DIAGNOSTICS_PER_FILE);
    expect(new Set(result.diagnostics.map((d) => d.code))).toEqual(new Set(['DUPLICATE_VM']));
    expect(result.omitted).toEqual({ errors: 1_999, warnings: 0 });
  });

  it('under the cap: everything, and no omitted counts', () => {
    const result = validate(Array.from({ length: 3 }, (_, g) => [`    - id: g${g}`, '      vms: [same]']).flat());
    expect(result.diagnostics).toHaveLength(2);
    expect(result).not.toHaveProperty('omitted');
  });
});
