import { describe, expect, it } from 'vitest';
import type { PlanSource } from '../../../engine/model/plan-source.js';
import { checkPlanShape } from '../../../engine/validate/schema-validator.js';

/** A plan with `groups` groups holding `vms` VMs in all and `steps` steps spread over them. */
function bigPlan(options: { vms: number; steps: number; groups: number; vmName?: (i: number) => string }) {
  const { vms, steps, groups } = options;
  const perGroup = vms / groups;
  const stepsPerGroup = Math.floor(steps / groups);
  const step = (id: string, i: number) =>
    i % 3 === 0
      ? { id, action: 'site.setAlias', with: { name: `n${i}` }, timeout: '2m', retry: { attempts: 3, backoff: '10s' } }
      : i % 3 === 1
        ? { id, run: ['./smoke.sh', '{{group.id}}'], modes: ['planned', 'test'], estimate: '30s' }
        : { id, gate: { approvers: ['dba'], quorum: 1, timeout: '30m', onTimeout: { escalate: { approvers: ['board'] } } } };
  return {
    apiVersion: 'drplan/v1',
    kind: 'RecoveryPlan',
    metadata: { name: 'big' },
    spec: {
      objectives: { rto: '4h' },
      adapters: { site: { type: 'simulator' } },
      sites: { source: 'site', target: 'site' },
      approvers: { dba: ['alice'], board: ['bob'] },
      groups: Array.from({ length: groups }, (_, g) => ({
        id: `g${g}`,
        ...(g > 0 ? { dependsOn: [`g${g - 1}`] } : {}),
        vms: Array.from({ length: perGroup }, (_, v) => {
          const i = g * perGroup + v;
          const name = options.vmName ? options.vmName(i) : `vm-${i}`;
          return i % 10 === 0 ? { name, ip: `10.0.${g}.${v}`, tier: g } : name;
        }),
        concurrency: 10,
        pre: Array.from({ length: Math.floor(stepsPerGroup / 2) }, (_, s) => step(`g${g}-pre-${s}`, s)),
        post: Array.from({ length: Math.ceil(stepsPerGroup / 2) }, (_, s) => step(`g${g}-post-${s}`, s + 1)),
      })),
    },
  };
}

function sourceFor(value: unknown): PlanSource {
  return { file: 'big.yaml', text: '', value, locate: () => ({ line: 1, col: 1, endLine: 1, endCol: 1 }) };
}


describe('shape check of a large plan', () => {
  // Timings live in `npm run bench`; these check the results on large inputs.
  it('10,000 VMs and 1,000 steps: valid', () => {
    const source = sourceFor(bigPlan({ vms: 10_000, steps: 1_000, groups: 100 }));
    expect(checkPlanShape(source)).toEqual([]);
  });

  it('10,000 bad VM names: all reported', () => {
    const source = sourceFor(bigPlan({ vms: 10_000, steps: 1_000, groups: 100, vmName: (i) => `vm ${i}` }));
    const diagnostics = checkPlanShape(source);
    expect(diagnostics).toHaveLength(10_000);
    expect(new Set(diagnostics.map((d) => d.code))).toEqual(new Set(['INVALID_NAME']));
  });
});
