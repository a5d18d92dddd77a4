/** Steps: generated ids, id clashes, kinds, `with`, `forEach`, `modes`. */
import { describe, expect, it } from 'vitest';
import { allSteps } from '../../../engine/model/plan.js';
import { checkPlanText, validPlan } from '../../helpers/pipeline.js';
import { planText, positionOf, SITE } from '../../helpers/plan-text.js';

describe('generated step ids', () => {
  it('a step without `id` is named after its list and 1-based position: prechecks-1, <group>-pre-2, <group>-post-1, finalize-2, cleanup-1, onFailure-1', () => {
    const plan = validPlan(planText(SITE, `
      prechecks:
        - action: site.replicationHealth
      groups:
        - id: database
          vms: [pg-1]
          pre:
            - id: signoff
              manual: { instructions: ok }
            - manual: { instructions: second }
          post:
            - run: [echo, done]
      finalize:
        - id: dns
          manual: { instructions: dns }
        - manual: { instructions: announce }
      cleanup:
        - manual: { instructions: tidy }
      onFailure:
        - manual: { instructions: page someone }
    `));
    expect(allSteps(plan).map((s) => s.id)).toEqual(['prechecks-1', 'signoff', 'database-pre-2', 'database-post-1', 'dns', 'finalize-2', 'cleanup-1', 'onFailure-1']);
  });

  it('a generated id that clashes with an explicit one is a DUPLICATE_ID at the step without id, whose hint says to give it an id', () => {
    const text = planText(SITE, `
      groups: [{ id: app }]
      finalize:
        - id: finalize-2
          manual: { instructions: first }
        - manual: { instructions: second }
    `);
    const { diagnostics } = checkPlanText(text);
    expect(diagnostics.map((d) => d.code)).toEqual(['DUPLICATE_ID']);
    const d = diagnostics[0]!;
    expect(d.message).toContain('"finalize-2"');
    expect(d.message).toContain(`line ${positionOf(text, 'finalize-2').line}`);
    expect(d.hint).toContain('generated from the step’s position');
    expect(d).toMatchObject(positionOf(text, 'manual: { instructions: second'));
  });

  it('explicit ids are unique across every list of the plan, group steps included', () => {
    const text = planText(SITE, `
      prechecks:
        - id: check
          manual: { instructions: a }
      groups:
        - id: app
          post:
            - id: check
              manual: { instructions: b }
      cleanup:
        - id: check
          manual: { instructions: c }
    `);
    const { diagnostics } = checkPlanText(text);
    const at = (i: number) => positionOf(text, 'id: check', i);
    expect(diagnostics.map((d) => `${d.code} ${d.line}:${d.col}`)).toEqual([
      `DUPLICATE_ID ${at(2).line}:${at(2).col + 4}`,
      `DUPLICATE_ID ${at(3).line}:${at(3).col + 4}`,
    ]);
    for (const d of diagnostics) expect(d.message).toContain(`already used at line ${at(1).line}`);
  });

  it('a group id and a step id may be the same (they are different namespaces)', () => {
    expect(checkPlanText(planText(SITE, `
      groups:
        - id: smoke
          post:
            - id: smoke
              run: [echo]
    `)).diagnostics).toEqual([]);
  });
});

describe('step kinds and fields', () => {
  it('STEP_KIND_CONFLICT points at the second kind and lists all of them', () => {
    const text = planText(SITE, `
      groups: [{ id: app }]
      finalize:
        - id: both
          run: [echo]
          gate: { approvers: [alice] }
          manual: { instructions: x }
    `, 'approvers: { a: [alice] }');
    const conflicts = checkPlanText(text).diagnostics.filter((d) => d.code === 'STEP_KIND_CONFLICT');
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0]!.message).toContain('3 kinds: run, gate, manual');
    expect(conflicts[0]).toMatchObject(positionOf(text, 'gate:'));
  });

  it('`with` on a run, gate or manual step is WITH_WITHOUT_ACTION at the `with` key', () => {
    const text = planText(SITE, `
      groups: [{ id: app }]
      finalize:
        - manual: { instructions: x }
          with: { a: 1 }
    `);
    const { diagnostics } = checkPlanText(text);
    expect(diagnostics.map((d) => d.code)).toEqual(['WITH_WITHOUT_ACTION']);
    expect(diagnostics[0]).toMatchObject(positionOf(text, 'with:'));
  });

  it('`forEach: vm` is allowed in group pre/post steps and refused in prechecks, finalize, cleanup and onFailure', () => {
    const text = planText(SITE, `
      prechecks:
        - { run: [echo], forEach: vm }
      groups:
        - id: app
          vms: [a-1]
          pre:
            - { run: [echo, "{{vm.name}}"], forEach: vm }
          post:
            - { run: [echo, "{{vm.name}}"], forEach: vm }
      finalize:
        - { run: [echo], forEach: vm }
      cleanup:
        - { run: [echo], forEach: vm }
      onFailure:
        - { run: [echo], forEach: vm }
    `);
    const { diagnostics } = checkPlanText(text);
    expect(diagnostics.map((d) => d.code)).toEqual(Array(4).fill('FOREACH_OUTSIDE_GROUP'));
    expect(diagnostics.map((d) => d.line)).toEqual([1, 4, 5, 6].map((i) => positionOf(text, 'forEach', i).line));
  });

  it('`modes` may only name declared modes; without spec.modes all three are declared', () => {
    const restricted = planText(SITE, `
      modes: { test: { cleanup: on-success } }
      groups: [{ id: app }]
      finalize:
        - manual: { instructions: x }
          modes: [test, planned, unplanned]
    `);
    const { diagnostics } = checkPlanText(restricted);
    expect(diagnostics.map((d) => d.code)).toEqual(['MODE_NOT_DECLARED', 'MODE_NOT_DECLARED']);
    expect(diagnostics[0]).toMatchObject(positionOf(restricted, 'planned, unplanned'));
    expect(diagnostics[0]!.hint).toContain('"test"');

    expect(checkPlanText(planText(SITE, `
      groups: [{ id: app }]
      finalize:
        - manual: { instructions: x }
          modes: [test, planned, unplanned]
    `)).diagnostics).toEqual([]);
  });
});

describe('durations', () => {
  it('timeouts, estimates and objectives are kept in milliseconds', () => {
    const plan = validPlan(planText('objectives: { rto: 1h30m, rpo: 90s }', SITE, `
      groups: [{ id: app }]
      finalize:
        - manual: { instructions: x }
          timeout: 1d2h
          estimate: 500ms
          retry: { attempts: 3, backoff: 10s, factor: 2, maxBackoff: 1m }
    `));
    expect(plan.objectives).toEqual({ rtoMs: 5_400_000, rpoMs: 90_000 });
    expect(plan.finalize[0]).toMatchObject({ timeoutMs: 93_600_000, estimateMs: 500, retry: { attempts: 3, backoffMs: 10_000, factor: 2, maxBackoffMs: 60_000 } });
  });

  // BUG (engine/model/duration.ts parseDuration + engine/validate/normalize-plan.ts optionalMs): a
  // duration that matches the schema's pattern but is past Number.MAX_SAFE_INTEGER milliseconds
  // (e.g. `timeout: 99999999999999999999d`) validates without a word and is then dropped: the
  // step runs with no timeout at all, an `rto` so written is no RTO. It should be an error at the
  // value (the code DURATION_TOO_LONG existed for this and was removed).
  it('a duration too long to represent is an error at that value, not silently dropped', () => {
    const text = planText(SITE, `
      groups: [{ id: app }]
      finalize:
        - manual: { instructions: x }
          timeout: 99999999999999999999d
    `);
    const { diagnostics } = checkPlanText(text);
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([
      expect.objectContaining({ ...positionOf(text, '99999999999999999999d') }),
    ]);
  });
});
