/**
 * Whatever a person (or a bad merge) does to a valid plan, load + validate never throw: the
 * result is either a valid plan that resolves in every declared mode, or at least one error
 * diagnostic with a real position in the file.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveExecution } from '../../engine/compile/resolve-execution.js';
import { resolveParams } from '../../engine/compile/resolve-params.js';
import { MODES } from '../../engine/model/plan.js';
import { arbitraryPlan, toYaml, type Doc } from '../helpers/arbitrary-plan.js';
import { applyMutation, duplicatedStepHasId, mutation, type Mutation } from '../helpers/mutate-plan.js';
import { checkPlanText } from '../helpers/pipeline.js';

const RUNS = Number(process.env.DRPLAN_PROPERTY_RUNS ?? 100);

function checkMutated(doc: Doc, mutations: Mutation[]): void {
  let mutated: unknown = structuredClone(doc);
  for (const m of mutations) mutated = applyMutation(mutated, m);
  const text = toYaml(mutated);
  const lines = text.split('\n').length;
  const checked = checkPlanText(text, 'mutated.yaml');
  const errors = checked.diagnostics.filter((d) => d.severity === 'error');
  for (const d of checked.diagnostics) {
    expect(d.line, `${d.code} ${d.message}`).toBeGreaterThanOrEqual(1);
    expect(d.col, `${d.code} ${d.message}`).toBeGreaterThanOrEqual(1);
    expect(d.line, `${d.code} ${d.message}`).toBeLessThanOrEqual(lines);
    expect(typeof d.message).toBe('string');
    expect(d.file).toBe('mutated.yaml');
  }
  if (checked.plan === null) {
    expect(errors.length, 'a rejected plan carries at least one error').toBeGreaterThanOrEqual(1);
    return;
  }
  expect(errors).toEqual([]);
  for (const mode of MODES) {
    if (checked.plan.modes[mode] === undefined) continue;
    const { params, problems } = resolveParams(checked.plan, {});
    // A mutation may drop a default, making a parameter required: resolve with a value then.
    const given = Object.fromEntries(problems.filter((p) => p.code === 'MISSING_PARAMETER').map((p) => [p.pointer.split('/').pop()!, '1']));
    const again = Object.keys(given).length > 0 ? resolveParams(checked.plan, given) : { params, problems: [] };
    resolveExecution(checked.plan, mode, again.params);
  }
}

describe('mutated plans', () => {
  it('never make load + validate (+ resolve) throw; rejected plans carry positioned errors', () => {
    fc.assert(
      fc.property(arbitraryPlan, fc.array(mutation, { minLength: 1, maxLength: 4 }), (doc, mutations) => {
        checkMutated(doc, mutations);
      }),
      { numRuns: RUNS * 2 },
    );
  });

  it('a duplicated step with an explicit id is always reported as DUPLICATE_ID', () => {
    fc.assert(
      fc.property(arbitraryPlan, fc.nat(), (doc, which) => {
        fc.pre(duplicatedStepHasId(doc, which)); // a copy without an id gets its own generated id
        const mutated = applyMutation(structuredClone(doc), { type: 'duplicate-step', at: which });
        const checked = checkPlanText(toYaml(mutated), 'dup.yaml');
        expect(checked.plan).toBeNull();
        expect(checked.diagnostics.map((d) => d.code)).toContain('DUPLICATE_ID');
      }),
      { numRuns: RUNS },
    );
  });
});
