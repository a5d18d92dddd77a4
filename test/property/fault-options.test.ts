/**
 * `--fault` is checked against the run before anything runs (engine/app/check-fault-options.ts):
 * a fault no simulated call of the run can match is a usage error. The check must never refuse a
 * fault that would have fired: on random plans, modes and faults — aimed at what the plan calls,
 * or off by a little — whenever a dry-run with the fault injected it, the check accepted it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseFaultOption } from '../../adapters/simulator/index.js';
import { resolveExecution } from '../../engine/compile/resolve-execution.js';
import type { Plan } from '../../engine/model/plan.js';
import { checkFaultOptions } from '../../engine/app/check-fault-options.js';
import { arbitraryRunCase } from '../helpers/arbitrary-run-plan.js';
import { validPlan } from '../helpers/pipeline.js';
import { runToEnd } from '../helpers/run-harness.js';

const RUNS = Number(process.env.DRPLAN_FAULT_PROPERTY_RUNS ?? 80);

const plans = new Map<string, Plan>();
const planOf = (yaml: string) => {
  let plan = plans.get(yaml);
  if (!plan) plans.set(yaml, (plan = validPlan(yaml, 'generated.yaml')));
  return plan;
};

type Call = { instance: string; operation: string; vm: string | null };

/** The simulated calls a dry-run of the case makes (each VM operation, copy and command). */
function callsOf(exec: ReturnType<typeof resolveExecution>): Map<string, Call> {
  const calls = new Map<string, Call>();
  for (const s of [...exec.steps, ...exec.onFailure]) {
    if (s.skipped) continue;
    if (s.kind === 'run') calls.set(s.id, { instance: 'run', operation: 'exec', vm: s.vm });
    else if (s.adapter !== null && s.operation !== null) calls.set(s.id, { instance: s.adapter, operation: s.operation, vm: s.vm });
  }
  return calls;
}

/**
 * A fault for a case: aimed at a call the run makes (instance and VM each named or not), or one
 * of the faults aimed at the plan as a whole (maybe at a step of another mode) — maybe misspelt.
 */
function arbitraryFault(calls: Call[], planFaults: string[]): fc.Arbitrary<string> {
  const aimed = calls.length === 0 ? fc.constant(null) : fc.record({ call: fc.constantFrom(...calls), named: fc.boolean(), onVm: fc.boolean() });
  const planFault = planFaults.length > 0 ? fc.option(fc.constantFrom(...planFaults), { freq: 2 }) : fc.constant(null);
  return fc
    .record({ aimed, planFault, typo: fc.constantFrom(null, null, 'operation', 'vm', 'instance') })
    .filter(({ aimed, planFault }) => aimed !== null || planFault !== null)
    .map(({ aimed, planFault, typo }) => {
      let instance: string | undefined;
      let operation: string;
      let vm: string | undefined;
      let times: string | undefined;
      if (planFault !== null) {
        const [target = '', second, third] = planFault.split(':');
        const dot = target.indexOf('.');
        instance = dot === -1 ? undefined : target.slice(0, dot);
        operation = target.slice(dot + 1);
        if (third !== undefined || (second !== undefined && !/^\d+$/.test(second))) vm = second || undefined;
        times = third ?? (second !== undefined && /^\d+$/.test(second) ? second : undefined);
      } else {
        instance = aimed!.named ? aimed!.call.instance : undefined;
        operation = aimed!.call.operation;
        vm = aimed!.onVm && aimed!.call.vm !== null ? aimed!.call.vm : undefined;
      }
      if (typo === 'operation') operation = `${operation}x`;
      if (typo === 'instance') instance = 'nosuch';
      if (typo === 'vm' && vm !== undefined) vm = `${vm}x`;
      const target = `${instance === undefined ? '' : `${instance}.`}${operation}`;
      return vm !== undefined ? `${target}:${vm}${times ? `:${times}` : ''}` : times ? `${target}:${times}` : target;
    });
}

/** A case with one to three faults (several, so that onFailure steps run and can be hit too). */
const faultCase = arbitraryRunCase.chain((c) => {
  const exec = resolveExecution(planOf(c.built.yaml), c.mode, {});
  const calls = callsOf(exec);
  return fc.record({ c: fc.constant(c), calls: fc.constant(calls), faults: fc.array(arbitraryFault([...calls.values()], c.faults), { minLength: 1, maxLength: 3 }) });
});

describe('--fault checked against the run', () => {
  it('never refuses a fault that fires: each injected failure of a dry-run matches a fault the check accepted', async () => {
    let fired = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(faultCase, async ({ c, calls, faults }) => {
        const plan = planOf(c.built.yaml);
        const options = faults.map((text) => {
          const parsed = parseFaultOption(text);
          if (!parsed.ok) throw new Error(parsed.message);
          return { text, fault: parsed.fault, ...(parsed.instance ? { instance: parsed.instance } : {}) };
        });
        const exec = resolveExecution(plan, c.mode, {});
        const problems = checkFaultOptions(exec, options, true);
        refused += problems.length;
        const accepted = options.filter((o) => !problems.some((p) => p.text === o.text));
        const { records } = await runToEnd(plan, c.mode, { faults });
        for (const r of records) {
          if (r.type !== 'step.failed' || !r.data.error.includes('injected fault')) continue;
          fired++;
          const call = calls.get(r.data.stepId)!;
          // The simulator's fault book (fault-book.ts): operation, then VM and instance when named.
          const hit = accepted.some((o) => o.fault.operation === call.operation && (o.fault.vm === undefined || o.fault.vm === call.vm) && (o.instance === undefined || o.instance === call.instance));
          expect(hit, `${r.data.stepId} failed by an injected fault, but the check refused every fault that matches it: ${problems.map((p) => `${p.text}: ${p.message}`).join('; ')}\nmode ${c.mode}\n${c.built.yaml}`).toBe(true);
        }
      }),
      { numRuns: RUNS },
    );
    // The property saw both sides: faults that fired, and faults refused.
    expect(fired).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(0);
  });
});
