/**
 * Names a plan refers to (adapter instances, operations, approvers, parameters, VM attributes,
 * output keys) are looked up in plain objects. A name inherited from Object.prototype
 * (`toString`, `constructor`, `hasOwnProperty`, `__proto__`, …) must be treated like any other
 * unknown name — never found, never a crash.
 *
 * BUG (engine/validate/check-adapters.ts, check-approvers.ts, check-templates.ts,
 * normalize-plan.ts resolvePrincipals): lookups use `obj[name]` / `name in obj` on ordinary
 * objects, so inherited names are "found": some plans with them validate although they refer to
 * nothing, others make validation throw a TypeError (so `drplan validate` dies as an internal
 * error, exit 70). The `it.fails` tests below say what should happen; test/property/mutated-plans
 * avoids these names until this is fixed (MUTATE_KNOWN_BUGS in test/helpers/mutate-plan.ts).
 */
import { describe, expect, it } from 'vitest';
import { checkPlanText } from '../../helpers/pipeline.js';
import { planText, SITE } from '../../helpers/plan-text.js';

/** The diagnostic codes, or `throws: <message>` when validation throws (it must not). */
function outcome(text: string): string[] {
  try {
    return checkPlanText(text).diagnostics.map((d) => d.code);
  } catch (error) {
    return [`throws: ${(error as Error).message}`];
  }
}

const GROUPS = `
groups:
  - id: g
    vms: [{ name: v-1, ip: 10.0.0.1 }]
`;

describe('names inherited from Object.prototype', () => {
  it('sites.source: toString is an unknown adapter', () => {
    expect(outcome(planText(`
      adapters: { site: { type: simulator } }
      sites: { source: toString, target: site }
    `, GROUPS))).toEqual(['UNKNOWN_ADAPTER']);
  });

  it('action: toString.run is an unknown adapter', () => {
    expect(outcome(planText(SITE, GROUPS, `
      finalize:
        - action: toString.run
    `))).toEqual(['UNKNOWN_ADAPTER']);
  });

  it.each(['toString', 'constructor', 'hasOwnProperty'])('action: site.%s is an unknown operation', (op) => {
    expect(outcome(planText(SITE, GROUPS, `
      finalize:
        - action: site.${op}
    `))).toEqual(['UNKNOWN_OPERATION']);
  });

  it.each(['toString', 'constructor', '__proto__'])('gate approvers: [%s] is an unknown approver', (name) => {
    expect(outcome(planText(SITE, 'approvers: { dba: [alice] }', GROUPS, `
      finalize:
        - gate: { approvers: [dba, "${name}"] }
    `))).toEqual(['UNKNOWN_APPROVER']);
  });

  it('manual assignees: [hasOwnProperty] is an unknown approver', () => {
    expect(outcome(planText(SITE, 'approvers: { dba: [alice] }', GROUPS, `
      finalize:
        - manual: { instructions: x, assignees: [hasOwnProperty] }
    `))).toEqual(['UNKNOWN_APPROVER']);
  });

  it('{{params.toString}} is an unknown parameter', () => {
    expect(outcome(planText(SITE, 'parameters: { x: { type: string, default: a } }', GROUPS, `
      finalize:
        - run: [echo, "{{params.toString}}"]
    `))).toEqual(['UNKNOWN_TEMPLATE_REFERENCE']);
  });

  it('{{vm.constructor}} is a VM attribute no VM has', () => {
    expect(outcome(planText(SITE, `
      groups:
        - id: g
          vms: [{ name: v-1, ip: 10.0.0.1 }]
          post:
            - forEach: vm
              run: [echo, "{{vm.constructor}}"]
    `))).toEqual(['UNKNOWN_TEMPLATE_REFERENCE']);
  });

  it('{{steps.h.output.toString}} is an output key replicationHealth does not declare', () => {
    expect(outcome(planText(SITE, GROUPS, `
      prechecks:
        - id: h
          action: site.replicationHealth
      finalize:
        - run: [echo, "{{steps.h.output.toString}}"]
    `))).toEqual(['UNKNOWN_TEMPLATE_REFERENCE']);
  });

  it('the same words as names the plan declares itself work like any other name', () => {
    // (`constructor`, `prototype` and `__proto__` cannot be keys at all: the loader refuses them, FORBIDDEN_KEY.)
    expect(outcome(planText(`
      adapters:
        toString: { type: simulator, config: { operations: { valueOf: { output: { hasOwnProperty: 1 } } } } }
      sites: { source: toString, target: toString }
      approvers: { toString: [hasOwnProperty] }
      parameters: { valueOf: { type: string, default: a } }
    `, GROUPS, `
      prechecks:
        - id: h
          action: toString.valueOf
      finalize:
        - gate: { approvers: [toString], quorum: 1 }
        - run: [echo, "{{params.valueOf}} {{steps.h.output.hasOwnProperty}}"]
    `))).toEqual([]);
  });
});
