import { describe, expect, it } from 'vitest';
import { parseFaultOption } from '../../../adapters/simulator/index.js';
import { resolveExecution } from '../../../engine/compile/resolve-execution.js';
import type { ModeName } from '../../../engine/model/plan.js';
import { checkFaultOptions } from '../../../engine/app/check-fault-options.js';
import { validPlan } from '../../helpers/pipeline.js';

// A plan with every kind of call a fault can land on: VM operations, an action on one VM (by a
// literal and by a template), a forEach copy per VM, a command, an onFailure-only operation, and
// an instance that is not a simulator.
const PLAN = validPlan(`apiVersion: drplan/v1
kind: RecoveryPlan
metadata: { name: faults }
spec:
  adapters:
    site:
      type: simulator
      config: { operations: { mark: {}, register: {}, probe: {} } }
    web: { type: http, config: { baseUrl: "https://lb.example.com" } }
  sites: { source: site, target: site }
  modes: { planned: {}, test: { network: drill } }
  prechecks:
    - id: ping
      action: web.request
      with: { method: GET, url: /health }
    - id: probe-db
      action: site.probe
      with: { vm: db-1 }
  groups:
    - id: db
      vms: [db-1, db-2]
      post:
        - id: reg
          forEach: vm
          action: site.register
          with: { vm: "{{vm.name}}" }
        - id: smoke
          forEach: vm
          run: [sh, -c, "true", "{{vm.name}}"]
  finalize:
    - id: announce
      run: [sh, -c, "true"]
  onFailure:
    - id: flag
      action: site.mark
`);

function check(faults: string[], options: { mode?: ModeName; dryRun?: boolean } = {}) {
  const exec = resolveExecution(PLAN, options.mode ?? 'planned', {});
  const parsed = faults.map((text) => {
    const p = parseFaultOption(text);
    if (!p.ok) throw new Error(p.message);
    return { text, fault: p.fault, ...(p.instance ? { instance: p.instance } : {}) };
  });
  return checkFaultOptions(exec, parsed, options.dryRun ?? true);
}

describe('checkFaultOptions: a --fault must be able to fire in this run', () => {
  it.each([
    'failover',
    'failover:db-2',
    'site.failover:db-1:2',
    'shutdown:2',
    'probe:db-1',
    'register:db-2',
    'exec',
    'run.exec:db-1',
    'web.request',
    'mark',
    'site.mark',
  ])('accepts %s in a dry-run: some call of the run matches it', (fault) => {
    expect(check([fault])).toEqual([]);
  });

  it.each([
    ['bogus', /no step of mode planned calls operation "bogus" on a simulated instance/, /operations this run calls on simulated instances: "request", "probe", "shutdown"/],
    ['failover:no-such-vm', /no step of mode planned calls failover on VM "no-such-vm"/, /failover runs on the VMs: "db-1", "db-2"$/],
    ['failover:db-3', /calls failover on VM "db-3"/, /^did you mean "db-1"\? failover runs on the VMs: "db-1", "db-2"$/],
    ['failovr', /operation "failovr"/, /^did you mean "failover"\?/],
    ['sitee.failover', /no step of mode planned calls a simulated instance "sitee"/, /^did you mean "site"\? simulated instances this run calls: "web", "site", "run"$/],
    ['site.request', /operation "request" on instance "site"/, /operations this run calls on "site": /],
    ['exec:db-9', /calls exec on VM "db-9"/, /exec runs on the VMs: "db-1", "db-2"/],
    ['site.mark:db-1', /operation "mark" is called on no VM in this run/, /leave the VM out: --fault site.mark$/],
    ['testFailover', /no step of mode planned calls operation "testFailover"/, /did you mean "failover"\?/],
  ])('refuses %s in a dry-run, with what would be valid', (fault, message, hint) => {
    const problems = check([fault]);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.text).toBe(fault);
    expect(problems[0]!.message).toMatch(message);
    expect(problems[0]!.hint).toMatch(hint);
  });

  it('checks each mode on its own terms: testFailover is valid in mode test, failover is not', () => {
    expect(check(['testFailover:db-1'], { mode: 'test' })).toEqual([]);
    expect(check(['failover'], { mode: 'test' })[0]?.message).toMatch(/no step of mode test calls operation "failover"/);
  });

  it('reports every wrong fault, not just the first', () => {
    expect(check(['bogus', 'failover', 'failover:nope']).map((p) => p.text)).toEqual(['bogus', 'failover:nope']);
  });

  it('in a real run, only `type: simulator` instances take faults: the http instance and the commands are real', () => {
    expect(check(['site.failover:db-1'], { dryRun: false })).toEqual([]);
    const web = check(['web.request'], { dryRun: false });
    expect(web[0]?.message).toMatch(/instance "web" is a http adapter, not a simulator: a real run calls it for real/);
    expect(web[0]?.hint).toMatch(/or add --dry-run to rehearse the plan with every adapter simulated$/);
    expect(check(['request'], { dryRun: false })[0]?.message).toMatch(/no step of mode planned calls operation "request" on a simulated instance/);
    expect(check(['run.exec'], { dryRun: false })[0]?.message).toMatch(/a real run runs the commands of `run` steps for real/);
    // A misspelt name is not cured by --dry-run, so it is not suggested.
    expect(check(['sitee.failover'], { dryRun: false })[0]?.hint).not.toMatch(/--dry-run/);
  });
});
