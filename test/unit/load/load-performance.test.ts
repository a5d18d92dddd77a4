/**
 * Load time of large plans. Times are the best of several runs after a warm-up, so a busy
 * machine or a cold JIT does not decide the result; what is measured is the loader's own cost.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_PLAN_BYTES, loadPlanText } from '../../../engine/load/load-plan.js';

/** A plan with `vms` VMs in groups of 100; every tenth group lists its VMs as objects. */
function largePlan(vms: number): string {
  const out = [
    'apiVersion: drplan/v1',
    'kind: RecoveryPlan',
    'metadata:',
    '  name: large',
    'spec:',
    '  adapters:',
    '    site: { type: simulator }',
    '  sites: { source: site, target: site }',
    '  groups:',
  ];
  for (let g = 0; g * 100 < vms; g++) {
    out.push(`    - id: group-${g}`, '      vms:');
    for (let v = g * 100; v < Math.min(vms, (g + 1) * 100); v++) {
      out.push(g % 10 === 0 ? `        - { name: vm-${v}, ip: 10.${v >> 16}.${(v >> 8) & 255}.${v & 255} }` : `        - vm-${v}`);
    }
    out.push('      post:', `        - id: smoke-${g}`, '          run: ["./smoke.sh", "{{group.id}}"]');
  }
  return out.join('\n') + '\n';
}


// How fast this is belongs to `npm run bench` (bench/large-plan.bench.js), not to a test: these
// check that the large inputs load correctly, and a quadratic regression shows as a test timeout.
describe('large plans', () => {
  it('loads a 10,000-VM plan completely', () => {
    const bytes = new Uint8Array(Buffer.from(largePlan(10_000)));
    const result = loadPlanText(bytes, 'large.yaml');
    expect(result.diagnostics).toEqual([]);
    const value = result.source!.value as { spec: { groups: { vms: unknown[] }[] } };
    expect(value.spec.groups.reduce((n, g) => n + g.vms.length, 0)).toBe(10_000);
    expect(result.source!.locate('/spec/groups/99/vms/99')).toMatchObject({ line: expect.any(Number) });
  });

  it('loads a plan at the size limit', () => {
    let vms = 100_000;
    let text = largePlan(vms);
    while (Buffer.byteLength(text) < DEFAULT_MAX_PLAN_BYTES * 0.9) text = largePlan((vms += 20_000));
    const bytes = new Uint8Array(Buffer.from(text));
    expect(bytes.length).toBeLessThanOrEqual(DEFAULT_MAX_PLAN_BYTES);
    const result = loadPlanText(bytes, 'huge.yaml');
    expect(result.diagnostics).toEqual([]);
  });
});
